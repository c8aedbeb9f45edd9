#include "runner/results/results_diff.h"

#include <map>

namespace cts::results {
namespace {

bool failing(std::optional<Verdict> v) { return v && (*v == Verdict::fail || *v == Verdict::error); }

std::string name_of(std::optional<Verdict> v) { return v ? verdict_name(*v) : "absent"; }

nlohmann::json list_json(const std::vector<VerdictChange>& v) {
  nlohmann::json out = nlohmann::json::array();
  for (const auto& c : v) out.push_back({{"id", c.id}, {"before", name_of(c.before)}, {"after", name_of(c.after)}});
  return out;
}

}  // namespace

ResultsDiff diff_results(const Results& before, const Results& after) {
  std::map<std::string, Verdict> old_v, new_v;
  for (const auto& c : before.cases) old_v[c.id] = c.verdict;
  for (const auto& c : after.cases) new_v[c.id] = c.verdict;
  ResultsDiff d;
  for (const auto& [id, v] : new_v) {
    auto it = old_v.find(id);
    const std::optional<Verdict> b = it == old_v.end() ? std::nullopt : std::optional<Verdict>(it->second);
    VerdictChange ch{id, b, v};
    if (!b) d.added.push_back(ch);
    if (!failing(b) && failing(v)) d.regressions.push_back(ch);
    else if (b && failing(b) && !failing(v)) d.fixes.push_back(ch);
    else if (b && *b != v) d.changed.push_back(ch);
    else if (b) ++d.unchanged;
  }
  for (const auto& [id, v] : old_v)
    if (!new_v.count(id)) d.removed.push_back({id, v, std::nullopt});
  return d;
}

std::string diff_text(const ResultsDiff& d, const std::string& before_name, const std::string& after_name) {
  std::string out = "diff " + before_name + " -> " + after_name + ": " + std::to_string(d.regressions.size()) +
                    " regression(s), " + std::to_string(d.fixes.size()) + " fix(es), " +
                    std::to_string(d.changed.size()) + " other change(s), " + std::to_string(d.added.size()) +
                    " new, " + std::to_string(d.removed.size()) + " removed, " + std::to_string(d.unchanged) +
                    " unchanged\n";
  auto section = [&](const char* title, const std::vector<VerdictChange>& v) {
    if (v.empty()) return;
    out += std::string(title) + ":\n";
    for (const auto& c : v) out += "  " + c.id + ": " + name_of(c.before) + " -> " + name_of(c.after) + "\n";
  };
  section("regressions", d.regressions);
  section("fixes", d.fixes);
  section("other changes", d.changed);
  section("new cases", d.added);
  section("removed cases", d.removed);
  return out;
}

nlohmann::json diff_json(const ResultsDiff& d, const std::string& before_name, const std::string& after_name) {
  return {{"before", before_name},         {"after", after_name},
          {"regressions", list_json(d.regressions)}, {"fixes", list_json(d.fixes)},
          {"changed", list_json(d.changed)}, {"added", list_json(d.added)},
          {"removed", list_json(d.removed)}, {"unchanged", d.unchanged}};
}

}  // namespace cts::results
