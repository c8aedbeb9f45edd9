#include "runner/results/expectations.h"

#include <fnmatch.h>

#include <filesystem>
#include <fstream>
#include <sstream>

#include "runner/json/json_text.h"
#include "runner/results/results_json.h"

namespace cts::results {
namespace {

using nlohmann::json;

struct Bad {
  std::string path, message;
};

const json& member(const json& o, const std::string& path, const char* key) {
  auto it = o.find(key);
  if (it == o.end()) throw Bad{path, std::string("missing member \"") + key + "\""};
  return *it;
}

std::string string_at(const json& v, const std::string& path) {
  if (!v.is_string()) throw Bad{path, "expected a string"};
  return v.get<std::string>();
}

void only(const json& o, const std::string& path, std::initializer_list<const char*> known) {
  for (auto it = o.begin(); it != o.end(); ++it) {
    bool ok = false;
    for (const char* k : known) ok = ok || it.key() == k;
    if (!ok) throw Bad{strict::path_member(path, it.key()), "unknown member (a typo would silently waive nothing)"};
  }
}

}  // namespace

bool glob_matches(const std::string& glob, const std::string& id) {
  return glob == id || fnmatch(glob.c_str(), id.c_str(), 0) == 0;
}

std::optional<ExpectationsFile> parse_expectations(const std::string& text, const std::string& origin,
                                                   std::string& error) {
  ExpectationsFile f;
  f.name = std::filesystem::path(origin).filename().string();
  try {
    auto parsed = strict::parse_text(text, origin, error);
    if (!parsed) return std::nullopt;
    const json doc = std::move(*parsed);
    if (!doc.is_object()) throw Bad{"$", "expected an object"};
    only(doc, "$", {"schema_version", "expectations", "comment"});
    const json& version = member(doc, "$", "schema_version");
    if (!version.is_number_integer() || version.get<int64_t>() != 1)
      throw Bad{"$.schema_version", "unsupported " + version.dump() + " (this version reads 1)"};
    const json& list = member(doc, "$", "expectations");
    if (!list.is_array()) throw Bad{"$.expectations", "expected an array"};
    for (size_t i = 0; i < list.size(); ++i) {
      const std::string p = strict::path_index("$.expectations", i);
      const json& e = list[i];
      if (!e.is_object()) throw Bad{p, "expected an object"};
      only(e, p, {"case", "verdict", "reason", "link"});
      ExpectationEntry x;
      x.glob = string_at(member(e, p, "case"), p + ".case");
      if (x.glob.empty()) throw Bad{p + ".case", "an empty glob matches nothing"};
      const std::string v = string_at(member(e, p, "verdict"), p + ".verdict");
      const auto verdict = verdict_from_name(v);
      if (!verdict || verdict_passes(*verdict))
        throw Bad{p + ".verdict", "\"" + v + "\" is not an expectable verdict (FAIL, ERROR or NOT_APPLICABLE)"};
      x.verdict = *verdict;
      if (!e.contains("reason")) throw Bad{p + ".reason", "a reason is required: say why this result is accepted"};
      x.reason = string_at(e["reason"], p + ".reason");
      if (x.reason.find_first_not_of(" \t\n") == std::string::npos)
        throw Bad{p + ".reason", "a reason is required: say why this result is accepted"};
      if (e.contains("link")) x.link = string_at(e["link"], p + ".link");
      f.entries.push_back(std::move(x));
    }
  } catch (const Bad& b) {
    error = origin + ": " + b.path + ": " + b.message;
    return std::nullopt;
  }
  return f;
}

std::optional<ExpectationsFile> load_expectations(const std::string& path, std::string& error) {
  std::string text;
  if (!strict::read_text_file(path, text, error, "expectations file")) return std::nullopt;
  return parse_expectations(text, path, error);
}

void apply_expectations(const ExpectationsFile& file, RunInfo& run, std::vector<CaseResult>& cases) {
  std::vector<ExpectationEntry> entries = file.entries;
  std::vector<bool> still_useful(entries.size(), false);
  for (CaseResult& c : cases) {
    for (size_t i = 0; i < entries.size(); ++i) {
      ExpectationEntry& e = entries[i];
      if (!glob_matches(e.glob, c.id)) continue;
      ++e.matched;
      CaseExpectation x{e.verdict, e.reason, e.link, e.glob, ExpectationOutcome::expected};
      if (c.verdict == e.verdict) {
        still_useful[i] = true;
      } else if (c.verdict == Verdict::fail || c.verdict == Verdict::error) {
        x.outcome = ExpectationOutcome::unexpected;
        still_useful[i] = true;
      } else {
        x.outcome = ExpectationOutcome::stale;
      }
      c.expectation = std::move(x);
      break;
    }
  }
  for (size_t i = 0; i < entries.size(); ++i) entries[i].stale = !still_useful[i];
  run.expectations_file = file.name;
  run.expectations = std::move(entries);
}

}  // namespace cts::results
