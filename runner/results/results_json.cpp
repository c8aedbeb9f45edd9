#include "runner/results/results_json.h"

#include <algorithm>
#include <cmath>
#include <set>

#include "runner/json/json_text.h"
#include "runner/json/strict_reader.h"

namespace cts::results {
namespace {

using nlohmann::json;

struct LoadError {
  std::string path;
  std::string message;
};

// Opaque blobs (evidence, capabilities) are copied at most this deep; deeper parts become a
// note. Views recurse over them, and a device's SA-table dump is recorded as it answered.
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

  [[noreturn]] void fail(const std::string& message) const { throw LoadError{path_, message}; }
  void expect(bool ok, const char* what) const {
    if (!ok) fail(std::string("expected ") + what + ", found " + type_name(v_));
  }
  Node at(const char* key) const {
    expect(v_.is_object(), "an object");
    auto it = v_.find(key);
    if (it == v_.end()) fail(std::string("missing member \"") + key + "\"");
    return Node(*it, strict::path_member(path_, key));
  }
  std::optional<Node> maybe(const char* key) const {
    expect(v_.is_object(), "an object");
    auto it = v_.find(key);
    if (it == v_.end()) return std::nullopt;
    return Node(*it, strict::path_member(path_, key));
  }
  Node element(size_t i) const { return Node(v_[i], strict::path_index(path_, i)); }
  const std::string& path() const { return path_; }
  std::string str() const {
    expect(v_.is_string(), "a string");
    return v_.get<std::string>();
  }
  bool boolean() const {
    expect(v_.is_boolean(), "a boolean");
    return v_.get<bool>();
  }
  uint64_t count() const {
    expect(v_.is_number_unsigned() || (v_.is_number_integer() && v_.get<int64_t>() >= 0), "a non-negative integer");
    return v_.get<uint64_t>();
  }
  double duration() const {
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
  json blob(bool allow_array = false) const {
    expect(v_.is_object() || v_.is_null() || (allow_array && v_.is_array()), "an object");
    return bounded_copy(v_, 0);
  }

 private:
  const json& v_;
  std::string path_;
};

std::string optional_string(const Node& parent, const char* key) {
  auto n = parent.maybe(key);
  return n ? n->str() : std::string();
}

Finding parse_finding(const Node& n) {
  n.expect(n.raw().is_object(), "an object");
  Finding f;
  f.step = n.at("step").str();
  f.field = n.at("field").str();
  f.expected = n.at("expected").str();
  f.actual = n.at("actual").str();
  f.requirements = n.at("requirements").strings();
  f.detail = optional_string(n, "detail");
  return f;
}

CaseResult parse_case(const Node& n) {
  n.expect(n.raw().is_object(), "an object");
  CaseResult c;
  c.id = n.at("id").str();
  if (c.id.empty()) n.at("id").fail("empty case id");
  c.file = n.at("file").str();
  const Node verdict = n.at("verdict");
  const auto v = verdict_from_name(verdict.str());
  if (!v)
    verdict.fail("unknown verdict " + quote_json(verdict.str()) +
                 " (expected PASS, ACCEPTABLE, FAIL, NOT_APPLICABLE or ERROR)");
  c.verdict = *v;
  c.requirements = n.at("requirements").strings();
  if (auto f = n.maybe("flags")) c.flags = f->strings();
  if (auto d = n.maybe("duration_ms")) c.duration_ms = d->duration();
  c.missing_capability = optional_string(n, "missing_capability");
  c.error = optional_string(n, "error");
  if (auto fs = n.maybe("findings"))
    for (size_t i = 0, k = fs->array_size(); i < k; ++i) c.findings.push_back(parse_finding(fs->element(i)));
  if (auto as = n.maybe("acceptances"))
    for (size_t i = 0, k = as->array_size(); i < k; ++i) {
      const Node a = as->element(i);
      a.expect(a.raw().is_object(), "an object");
      c.acceptances.push_back({a.at("step").str(), a.at("field").str(), a.at("question").str(), a.at("device").str(),
                               a.at("oracle").str(), optional_string(a, "note")});
    }
  if ((c.verdict == Verdict::acceptable) != !c.acceptances.empty())
    verdict.fail(c.verdict == Verdict::acceptable ? "ACCEPTABLE names no accepted alternative (\"acceptances\")"
                                                  : "only an ACCEPTABLE case lists \"acceptances\"");
  if (auto ev = n.maybe("evidence")) {
    for (size_t i = 0, k = ev->array_size(); i < k; ++i) {
      const Node e = ev->element(i);
      try {
        c.evidence.push_back(step_evidence_from_json(e.raw(), e.path()));
      } catch (const strict::ReadError& bad) {
        throw LoadError{bad.path, bad.what()};
      }
    }
  }
  if (auto as = n.maybe("artifacts")) {
    for (size_t i = 0, k = as->array_size(); i < k; ++i) {
      const Node a = as->element(i);
      Artifact art{a.at("kind").str(), a.at("step").str(), a.at("path").str()};
      if (art.path.empty() || art.path[0] == '/' || art.path.find("..") != std::string::npos)
        a.at("path").fail("an artifact path must be relative to the results folder, without \"..\"");
      c.artifacts.push_back(std::move(art));
    }
  }
  if (auto e = n.maybe("expectation")) {
    CaseExpectation x;
    const Node xv = e->at("verdict");
    const auto expected_verdict = verdict_from_name(xv.str());
    if (!expected_verdict) xv.fail("unknown verdict " + quote_json(xv.str()));
    x.verdict = *expected_verdict;
    x.reason = e->at("reason").str();
    x.link = optional_string(*e, "link");
    x.glob = optional_string(*e, "case");
    const Node o = e->at("outcome");
    const std::string os = o.str();
    if (os == "expected") x.outcome = ExpectationOutcome::expected;
    else if (os == "stale") x.outcome = ExpectationOutcome::stale;
    else if (os == "unexpected") x.outcome = ExpectationOutcome::unexpected;
    else o.fail("unknown outcome " + quote_json(os) + " (expected expected, stale or unexpected)");
    c.expectation = std::move(x);
  }
  return c;
}

RunInfo parse_run(const Node& run) {
  run.expect(run.raw().is_object(), "an object");
  RunInfo r;
  if (auto s = run.maybe("seed")) r.seed = s->count();
  const Node device = run.at("device");
  device.expect(device.raw().is_object(), "an object");
  r.device.name = device.at("name").str();
  r.device.spec = optional_string(device, "spec");
  r.device.description = optional_string(device, "description");
  if (auto c = device.maybe("capabilities")) r.device.capabilities = c->blob();
  if (auto f = device.maybe("features")) r.device.features = f->blob();
  if (auto a = device.maybe("add_oids")) r.device.add_oids = a->blob();
  if (auto p = run.maybe("oracle_profile")) r.oracle_profile = p->blob();
  if (auto files = run.maybe("case_files")) {
    for (size_t i = 0, n = files->array_size(); i < n; ++i) {
      const Node f = files->element(i);
      f.expect(f.raw().is_object(), "an object");
      CaseFileInfo cf;
      cf.path = f.at("path").str();
      cf.sha256 = optional_string(f, "sha256");
      cf.root = optional_string(f, "root");
      if (auto k = f.maybe("cases")) cf.cases = k->count();
      r.case_files.push_back(std::move(cf));
    }
  }
  r.case_set_sha256 = optional_string(run, "case_set_sha256");
  if (auto n = run.maybe("case_set_cases")) r.case_set_cases = n->count();
  if (auto l = run.maybe("library")) r.library = l->boolean();
  if (auto f = run.maybe("filters")) r.filters = f->strings();
  if (auto s = run.maybe("shard")) r.shard = s->str();
  if (auto m = run.maybe("merged_shards")) r.merged_shards = m->strings();
  r.rerun_of = optional_string(run, "rerun_of");
  r.stopped = optional_string(run, "stopped");
  r.started_at = optional_string(run, "started_at");
  r.ended_at = optional_string(run, "ended_at");
  if (auto d = run.maybe("duration_ms")) r.duration_ms = d->duration();
  r.host = optional_string(run, "host");
  r.revision = optional_string(run, "revision");
  if (auto ex = run.maybe("expectations")) {
    r.expectations_file = ex->at("file").str();
    const Node entries = ex->at("entries");
    for (size_t i = 0, n = entries.array_size(); i < n; ++i) {
      const Node e = entries.element(i);
      ExpectationEntry x;
      x.glob = e.at("case").str();
      const Node v = e.at("verdict");
      const auto verdict = verdict_from_name(v.str());
      if (!verdict) v.fail("unknown verdict " + quote_json(v.str()));
      x.verdict = *verdict;
      x.reason = e.at("reason").str();
      x.link = optional_string(e, "link");
      x.matched = e.at("matched").count();
      x.stale = e.at("stale").boolean();
      r.expectations.push_back(std::move(x));
    }
  }
  return r;
}

void check_summary(const Node& s, const Summary& counted) {
  s.expect(s.raw().is_object(), "an object");
  // A summary that disagrees with the cases means an edited or corrupt document; a view must
  // not show totals its own tables contradict.
  auto same = [&](const char* key, uint64_t found) {
    const uint64_t said = s.at(key).count();
    if (said != found) s.at(key).fail("says " + std::to_string(said) + " but $.cases holds " + std::to_string(found));
  };
  same("total", counted.total);
  same("pass", counted.pass);
  same("fail", counted.fail);
  same("not_applicable", counted.not_applicable);
  same("error", counted.error);
  // Documents of schema_version 1 had no ACCEPTABLE verdict; their summary has no such count.
  if (s.maybe("acceptable") || counted.acceptable) same("acceptable", counted.acceptable);
}

template <typename T, typename F>
std::optional<T> guarded(const std::string& origin, std::string& error, F&& f) {
  try {
    return f();
  } catch (const LoadError& e) {
    error = origin + ": " + e.path + ": " + e.message;
  } catch (const std::exception& e) {
    error = origin + ": unreadable results document: " + e.what();
  }
  return std::nullopt;
}

}  // namespace

json finding_to_json(const Finding& f) {
  json j = {{"step", f.step}, {"field", f.field}, {"expected", f.expected},
            {"actual", f.actual}, {"requirements", f.requirements}};
  if (!f.detail.empty()) j["detail"] = f.detail;
  return j;
}

json case_to_json(const CaseResult& r) {
  json j = {{"id", r.id}, {"file", r.file}, {"verdict", verdict_name(r.verdict)},
            {"requirements", r.requirements}, {"flags", r.flags},
            {"duration_ms", std::round(r.duration_ms * 1000.0) / 1000.0}};
  if (!r.missing_capability.empty()) j["missing_capability"] = r.missing_capability;
  if (!r.error.empty()) j["error"] = r.error;
  if (!r.findings.empty()) {
    j["findings"] = json::array();
    for (const auto& f : r.findings) j["findings"].push_back(finding_to_json(f));
  }
  if (!r.acceptances.empty()) {
    j["acceptances"] = json::array();
    for (const auto& a : r.acceptances) {
      json x = {{"step", a.step}, {"field", a.field}, {"question", a.question}, {"device", a.device}, {"oracle", a.oracle}};
      if (!a.note.empty()) x["note"] = a.note;
      j["acceptances"].push_back(std::move(x));
    }
  }
  if (r.verdict != Verdict::pass && r.verdict != Verdict::not_applicable && !r.evidence.empty()) {
    j["evidence"] = json::array();
    for (const auto& e : r.evidence) j["evidence"].push_back(step_evidence_to_json(e));
  }
  if (!r.artifacts.empty()) {
    j["artifacts"] = json::array();
    for (const auto& a : r.artifacts) j["artifacts"].push_back({{"kind", a.kind}, {"step", a.step}, {"path", a.path}});
  }
  if (r.expectation) {
    const CaseExpectation& x = *r.expectation;
    j["expectation"] = {{"verdict", verdict_name(x.verdict)}, {"reason", x.reason}, {"case", x.glob},
                        {"outcome", expectation_outcome_name(x.outcome)}};
    if (!x.link.empty()) j["expectation"]["link"] = x.link;
  }
  return j;
}

json run_to_json(const RunInfo& r) {
  json device = {{"spec", r.device.spec}, {"name", r.device.name}, {"description", r.device.description}};
  if (!r.device.features.is_null()) device["features"] = r.device.features;
  if (!r.device.capabilities.is_null()) device["capabilities"] = r.device.capabilities;
  if (!r.device.add_oids.is_null()) device["add_oids"] = r.device.add_oids;
  json files = json::array();
  for (const auto& f : r.case_files) {
    files.push_back({{"path", f.path}, {"sha256", f.sha256}, {"cases", f.cases}});
    if (!f.root.empty()) files.back()["root"] = f.root;
  }
  json j = {{"device", device},       {"case_files", files},     {"case_set_sha256", r.case_set_sha256},
            {"case_set_cases", r.case_set_cases}, {"library", r.library}, {"filters", r.filters},
            {"shard", r.shard},       {"started_at", r.started_at}};
  if (r.seed) j["seed"] = *r.seed;
  if (!r.oracle_profile.is_null()) j["oracle_profile"] = r.oracle_profile;
  if (!r.merged_shards.empty()) j["merged_shards"] = r.merged_shards;
  if (!r.rerun_of.empty()) j["rerun_of"] = r.rerun_of;
  if (!r.stopped.empty()) j["stopped"] = r.stopped;
  if (!r.ended_at.empty()) j["ended_at"] = r.ended_at;
  if (r.duration_ms) j["duration_ms"] = std::round(*r.duration_ms);
  if (!r.host.empty()) j["host"] = r.host;
  if (!r.revision.empty()) j["revision"] = r.revision;
  if (!r.expectations_file.empty()) {
    json entries = json::array();
    for (const auto& e : r.expectations) {
      json x = {{"case", e.glob}, {"verdict", verdict_name(e.verdict)}, {"reason", e.reason},
                {"matched", e.matched}, {"stale", e.stale}};
      if (!e.link.empty()) x["link"] = e.link;
      entries.push_back(std::move(x));
    }
    j["expectations"] = {{"file", r.expectations_file}, {"entries", entries}};
  }
  return j;
}

json results_to_json(const Results& r) {
  std::vector<const CaseResult*> sorted;
  for (const auto& c : r.cases) sorted.push_back(&c);
  std::sort(sorted.begin(), sorted.end(), [](const auto* a, const auto* b) { return a->id < b->id; });
  Summary s;
  json cases = json::array();
  for (const auto* c : sorted) {
    s.add(c->verdict);
    cases.push_back(case_to_json(*c));
    // Derived from the run record, written for readers of the file alone (CI logs, scripts);
    // readers recompute it.
    if (c->verdict == Verdict::fail || c->verdict == Verdict::error)
      cases.back()["reproduce"] = reproduce_command(r.run, *c);
  }
  return {{"schema_version", kSchemaVersion},
          {"tool", {{"name", r.tool_name}, {"version", r.tool_version}}},
          {"run", run_to_json(r.run)},
          {"summary",
           {{"total", s.total}, {"pass", s.pass}, {"fail", s.fail}, {"not_applicable", s.not_applicable},
            {"error", s.error}, {"acceptable", s.acceptable}}},
          {"cases", cases}};
}

std::string canonical_dump(const json& doc) {
  // nlohmann::json objects are std::map-ordered: keys come out sorted.
  return doc.dump(2, ' ', false, json::error_handler_t::replace) + "\n";
}

std::string line_dump(const json& doc) { return doc.dump(-1, ' ', false, json::error_handler_t::replace); }

std::optional<Results> results_from_json(const json& doc, const std::string& origin, std::string& error) {
  return guarded<Results>(origin, error, [&] {
    const Node root(doc, "$");
    root.expect(doc.is_object(), "an object (a results document)");
    const Node version = root.at("schema_version");
    version.expect(version.raw().is_number_integer(), "an integer");
    const int64_t v = version.raw().get<int64_t>();
    if (v < kOldestSchemaVersion || v > kSchemaVersion)
      version.fail("unsupported schema_version " + version.raw().dump() + " (this version of ipsec-cts reads " +
                   std::to_string(kOldestSchemaVersion) + " to " + std::to_string(kSchemaVersion) + ")");
    Results r;
    const Node tool = root.at("tool");
    r.tool_name = tool.at("name").str();
    r.tool_version = tool.at("version").str();
    r.run = parse_run(root.at("run"));
    const Node cases = root.at("cases");
    std::set<std::string> ids;
    for (size_t i = 0, n = cases.array_size(); i < n; ++i) {
      const Node c = cases.element(i);
      r.cases.push_back(parse_case(c));
      if (!ids.insert(r.cases.back().id).second) c.at("id").fail("duplicate case id " + quote_json(r.cases.back().id));
    }
    r.summary = summarize(r.cases);
    check_summary(root.at("summary"), r.summary);
    return r;
  });
}

std::optional<CaseResult> case_from_json(const json& doc, const std::string& origin, std::string& error) {
  return guarded<CaseResult>(origin, error, [&] { return parse_case(Node(doc, "$")); });
}

std::optional<RunInfo> run_from_json(const json& doc, const std::string& origin, std::string& error) {
  return guarded<RunInfo>(origin, error, [&] { return parse_run(Node(doc, "$")); });
}

}  // namespace cts::results
