#include "reports/results_view.h"

#include <algorithm>
#include <cmath>
#include <set>

#include "reports/json_document.h"

namespace cts::reports {
namespace {

using nlohmann::json;

struct LoadError {
  std::string path;
  std::string message;
};

// Opaque blobs (evidence, capabilities) are copied at most this deep; deeper parts become a
// note. Rendering recurses over them, and a device's SA-table dump is recorded as it answered.
constexpr size_t kMaxBlobDepth = 32;

json bounded_copy(const json& v, size_t depth) {
  if (!v.is_structured()) return v;
  if (depth >= kMaxBlobDepth)
    return "(nested deeper than " + std::to_string(kMaxBlobDepth) + " levels: see the results file)";
  json out = v.is_object() ? json::object() : json::array();
  if (v.is_object()) {
    for (auto it = v.begin(); it != v.end(); ++it) out[it.key()] = bounded_copy(*it, depth + 1);
  } else {
    for (const auto& e : v) out.push_back(bounded_copy(e, depth + 1));
  }
  return out;
}

// A document's string inside a message: JSON-quoted, so control characters stay visible.
std::string quote_json(const std::string& s) { return json(s).dump(-1, ' ', false, json::error_handler_t::replace); }

const char* type_name(const json& v) {
  switch (v.type()) {
    case json::value_t::null: return "null";
    case json::value_t::object: return "an object";
    case json::value_t::array: return "an array";
    case json::value_t::string: return "a string";
    case json::value_t::boolean: return "a boolean";
    case json::value_t::number_integer:
    case json::value_t::number_unsigned: return "an integer";
    case json::value_t::number_float: return "a number";
    default: return "an unknown value";
  }
}

// A cursor on one JSON value with its path, for messages.
class Node {
 public:
  Node(const json& v, std::string path) : v_(v), path_(std::move(path)) {}
  const json& raw() const { return v_; }
  const std::string& path() const { return path_; }

  [[noreturn]] void fail(const std::string& message) const { throw LoadError{path_, message}; }
  void expect(bool ok, const char* what) const {
    if (!ok) fail(std::string("expected ") + what + ", found " + type_name(v_));
  }

  bool has(const char* key) const { return v_.is_object() && v_.contains(key); }
  Node at(const char* key) const {
    expect(v_.is_object(), "an object");
    auto it = v_.find(key);
    if (it == v_.end()) fail(std::string("missing member \"") + key + "\"");
    return Node(*it, json_path_member(path_, key));
  }
  std::optional<Node> maybe(const char* key) const {
    expect(v_.is_object(), "an object");
    auto it = v_.find(key);
    if (it == v_.end()) return std::nullopt;
    return Node(*it, json_path_member(path_, key));
  }
  Node element(size_t i) const { return Node(v_[i], json_path_index(path_, i)); }

  std::string str() const {
    expect(v_.is_string(), "a string");
    return v_.get<std::string>();
  }
  uint64_t count() const {
    expect(v_.is_number_unsigned() || (v_.is_number_integer() && v_.get<int64_t>() >= 0),
           "a non-negative integer");
    return v_.get<uint64_t>();
  }
  double number() const {
    expect(v_.is_number(), "a number");
    const double d = v_.get<double>();
    if (!std::isfinite(d) || d < 0) fail("expected a non-negative duration");
    return d;
  }
  size_t array_size() const {
    expect(v_.is_array(), "an array");
    return v_.size();
  }
  std::vector<std::string> strings() const {
    std::vector<std::string> out;
    for (size_t i = 0, n = array_size(); i < n; ++i) out.push_back(element(i).str());
    return out;
  }

 private:
  const json& v_;
  std::string path_;
};

std::string optional_string(const Node& parent, const char* key) {
  auto n = parent.maybe(key);
  return n ? n->str() : std::string();
}

Verdict parse_verdict(const Node& n) {
  const std::string s = n.str();
  if (s == "PASS") return Verdict::pass;
  if (s == "FAIL") return Verdict::fail;
  if (s == "NOT_APPLICABLE") return Verdict::not_applicable;
  if (s == "ERROR") return Verdict::error;
  n.fail("unknown verdict " + quote_json(s) +
         " (expected PASS, FAIL, NOT_APPLICABLE or ERROR)");
}

FindingView parse_finding(const Node& n) {
  n.expect(n.raw().is_object(), "an object");
  FindingView f;
  f.step = n.at("step").str();
  f.field = n.at("field").str();
  f.expected = n.at("expected").str();
  f.actual = n.at("actual").str();
  f.requirements = n.at("requirements").strings();
  f.detail = optional_string(n, "detail");
  return f;
}

CaseView parse_case(const Node& n, size_t index) {
  n.expect(n.raw().is_object(), "an object");
  CaseView c;
  c.index = index;
  c.id = n.at("id").str();
  if (c.id.empty()) n.at("id").fail("empty case id");
  c.file = n.at("file").str();
  c.verdict = parse_verdict(n.at("verdict"));
  c.requirements = n.at("requirements").strings();
  if (auto f = n.maybe("flags")) c.flags = f->strings();
  if (auto d = n.maybe("duration_ms")) c.duration_ms = d->number();
  c.missing_capability = optional_string(n, "missing_capability");
  c.error = optional_string(n, "error");
  if (auto fs = n.maybe("findings"))
    for (size_t i = 0, k = fs->array_size(); i < k; ++i) c.findings.push_back(parse_finding(fs->element(i)));
  if (auto ev = n.maybe("evidence")) {
    ev->expect(ev->raw().is_array(), "an array");
    c.evidence = bounded_copy(ev->raw(), 0);
  }
  return c;
}

void parse_run(const Node& run, ResultsView& v) {
  run.expect(run.raw().is_object(), "an object");
  if (auto s = run.maybe("seed")) v.seed = s->count();
  const Node device = run.at("device");
  device.expect(device.raw().is_object(), "an object");
  v.device_name = device.at("name").str();
  v.device_spec = optional_string(device, "spec");
  v.device_description = optional_string(device, "description");
  if (auto c = device.maybe("capabilities")) {
    c->expect(c->raw().is_object() || c->raw().is_null(), "an object");
    v.device_capabilities = bounded_copy(c->raw(), 0);
  }
  if (auto f = device.maybe("features")) {
    f->expect(f->raw().is_object() || f->raw().is_null(), "an object");
    v.device_features = bounded_copy(f->raw(), 0);
  }
  if (auto files = run.maybe("case_files")) {
    for (size_t i = 0, n = files->array_size(); i < n; ++i) {
      const Node f = files->element(i);
      f.expect(f.raw().is_object(), "an object");
      CaseFileView cf;
      cf.path = f.at("path").str();
      cf.sha256 = optional_string(f, "sha256");
      if (auto k = f.maybe("cases")) cf.cases = k->count();
      v.case_files.push_back(std::move(cf));
    }
  }
  if (auto f = run.maybe("filters")) v.filters = f->strings();
  v.shard = optional_string(run, "shard");
  v.started_at = optional_string(run, "started_at");
  if (auto d = run.maybe("duration_ms")) v.duration_ms = d->number();
}

void check_summary(const Node& s, ResultsView& v) {
  s.expect(s.raw().is_object(), "an object");
  v.summary.total = s.at("total").count();
  v.summary.pass = s.at("pass").count();
  v.summary.fail = s.at("fail").count();
  v.summary.not_applicable = s.at("not_applicable").count();
  v.summary.error = s.at("error").count();
  SummaryView counted;
  for (const CaseView& c : v.cases) {
    ++counted.total;
    switch (c.verdict) {
      case Verdict::pass: ++counted.pass; break;
      case Verdict::fail: ++counted.fail; break;
      case Verdict::not_applicable: ++counted.not_applicable; break;
      case Verdict::error: ++counted.error; break;
    }
  }
  // A summary that disagrees with the cases means an edited or corrupt document; a report must
  // not show totals its own tables contradict.
  auto same = [&](const char* key, uint64_t said, uint64_t found) {
    if (said != found)
      s.at(key).fail("says " + std::to_string(said) + " but $.cases holds " + std::to_string(found));
  };
  same("total", v.summary.total, counted.total);
  same("pass", v.summary.pass, counted.pass);
  same("fail", v.summary.fail, counted.fail);
  same("not_applicable", v.summary.not_applicable, counted.not_applicable);
  same("error", v.summary.error, counted.error);
}

}  // namespace

const char* verdict_name(Verdict v) {
  switch (v) {
    case Verdict::pass: return "PASS";
    case Verdict::fail: return "FAIL";
    case Verdict::not_applicable: return "NOT_APPLICABLE";
    case Verdict::error: return "ERROR";
  }
  return "?";
}

const char* verdict_label(Verdict v) {
  switch (v) {
    case Verdict::pass: return "Pass";
    case Verdict::fail: return "Fail";
    case Verdict::not_applicable: return "Not applicable";
    case Verdict::error: return "Error";
  }
  return "?";
}

const char* verdict_key(Verdict v) {
  switch (v) {
    case Verdict::pass: return "pass";
    case Verdict::fail: return "fail";
    case Verdict::not_applicable: return "not_applicable";
    case Verdict::error: return "error";
  }
  return "unknown";
}

std::string CaseView::group() const {
  const std::string base = id.substr(0, id.find('['));
  const auto dot = base.rfind('.');
  return dot == std::string::npos ? std::string() : id.substr(0, dot);
}

std::string CaseView::leaf() const {
  const std::string base = id.substr(0, id.find('['));
  const auto dot = base.rfind('.');
  return dot == std::string::npos ? id : id.substr(dot + 1);
}

std::vector<std::string> CaseView::all_requirements() const {
  std::vector<std::string> out;
  std::set<std::string> seen;
  auto add = [&](const std::string& r) {
    if (seen.insert(r).second) out.push_back(r);
  };
  for (const auto& r : requirements) add(r);
  for (const auto& f : findings)
    for (const auto& r : f.requirements) add(r);
  return out;
}

bool ResultsView::partial_run() const { return !filters.empty() || (!shard.empty() && shard != "1/1"); }

bool ResultsView::conformant() const { return summary.fail == 0 && summary.error == 0 && summary.total > 0; }

std::optional<ResultsView> results_view_from_json(const json& doc, const std::string& origin, std::string& error) {
  try {
    const Node root(doc, "$");
    root.expect(doc.is_object(), "an object (a results document)");
    const Node version = root.at("schema_version");
    version.expect(version.raw().is_number_integer(), "an integer");
    if (version.raw().get<int64_t>() != kResultsSchemaVersion)
      version.fail("unsupported schema_version " + version.raw().dump() + " (this version of ipsec-cts reads " +
                   std::to_string(kResultsSchemaVersion) + ")");
    ResultsView v;
    v.origin = origin;
    const Node tool = root.at("tool");
    v.tool_name = tool.at("name").str();
    v.tool_version = tool.at("version").str();
    parse_run(root.at("run"), v);
    const Node cases = root.at("cases");
    std::set<std::string> ids;
    for (size_t i = 0, n = cases.array_size(); i < n; ++i) {
      const Node c = cases.element(i);
      v.cases.push_back(parse_case(c, i));
      if (!ids.insert(v.cases.back().id).second) c.at("id").fail("duplicate case id " + quote_json(v.cases.back().id));
    }
    check_summary(root.at("summary"), v);
    return v;
  } catch (const LoadError& e) {
    error = origin + ": " + e.path + ": " + e.message;
  } catch (const std::exception& e) {
    error = origin + ": unreadable results document: " + e.what();
  }
  return std::nullopt;
}

std::optional<ResultsView> load_results_file(const std::string& path, std::string& error) {
  auto doc = read_json_file(path, error);
  if (!doc) return std::nullopt;
  return results_view_from_json(*doc, path, error);
}

}  // namespace cts::reports
