#include "runner/results/merge.h"

#include <algorithm>
#include <map>
#include <set>

namespace cts::results {
namespace {

struct ShardPos {
  unsigned long index = 0, count = 0;
};

std::optional<ShardPos> parse(const std::string& s) {
  const auto slash = s.find('/');
  if (slash == std::string::npos) return std::nullopt;
  try {
    ShardPos p{std::stoul(s.substr(0, slash)), std::stoul(s.substr(slash + 1))};
    if (p.index == 0 || p.count == 0 || p.index > p.count) return std::nullopt;
    return p;
  } catch (...) {
    return std::nullopt;
  }
}

std::string seed_text(const RunInfo& r) { return r.seed ? std::to_string(*r.seed) : "none"; }

std::string join(const std::vector<std::string>& v) {
  std::string out;
  for (const auto& s : v) out += (out.empty() ? "" : " ") + s;
  return out.empty() ? "(none)" : out;
}

}  // namespace

std::optional<Results> merge_shards(const std::vector<NamedResults>& shards, std::string& error) {
  if (shards.empty()) {
    error = "nothing to merge";
    return std::nullopt;
  }
  const NamedResults& first = shards.front();
  const RunInfo& f = first.results.run;
  auto differs = [&](const NamedResults& s, const std::string& what, const std::string& here, const std::string& there) {
    error = s.name + ": " + what + " " + here + ", but " + first.name + " has " + what + " " + there + ": not shards of one run";
    return std::nullopt;
  };
  std::set<unsigned long> seen_index;
  std::vector<std::string> shard_names;
  Results out;
  out.tool_name = first.results.tool_name;
  out.tool_version = first.results.tool_version;
  out.run = f;
  out.run.duration_ms = 0.0;
  std::map<std::string, std::string> case_origin;
  std::map<std::string, ExpectationEntry*> entries;
  for (auto& e : out.run.expectations) {
    e.matched = 0;
    entries[e.glob] = &e;
  }
  for (const NamedResults& s : shards) {
    const RunInfo& r = s.results.run;
    if (r.case_set_sha256 != f.case_set_sha256)
      return differs(s, "case set", r.case_set_sha256.substr(0, 12), f.case_set_sha256.substr(0, 12));
    if (r.device.name != f.device.name) return differs(s, "device", "\"" + r.device.name + "\"", "\"" + f.device.name + "\"");
    if (r.device.capabilities != f.device.capabilities)
      return differs(s, "device capabilities", "(one set)", "(another set)");
    if (r.seed != f.seed) return differs(s, "seed", seed_text(r), seed_text(f));
    if (r.filters != f.filters) return differs(s, "filters", join(r.filters), join(f.filters));
    if (r.library != f.library) return differs(s, "library case set", r.library ? "yes" : "no", f.library ? "yes" : "no");
    if (r.expectations_file != f.expectations_file)
      return differs(s, "expectations file", "\"" + r.expectations_file + "\"", "\"" + f.expectations_file + "\"");
    const std::vector<std::string> parts = r.merged_shards.empty() ? std::vector<std::string>{r.shard} : r.merged_shards;
    for (const std::string& part : parts) {
      const auto pos = parse(part);
      const auto first_pos = parse(f.merged_shards.empty() ? f.shard : f.merged_shards.front());
      if (!pos || !first_pos) {
        error = s.name + ": shard \"" + part + "\" is not i/n";
        return std::nullopt;
      }
      if (pos->count != first_pos->count)
        return differs(s, "shard", part, "one of " + std::to_string(first_pos->count));
      if (!seen_index.insert(pos->index).second) {
        error = s.name + ": shard " + part + " is given twice";
        return std::nullopt;
      }
      shard_names.push_back(part);
    }
    for (const CaseResult& c : s.results.cases) {
      auto [it, fresh] = case_origin.emplace(c.id, s.name);
      if (!fresh) {
        error = s.name + ": case " + c.id + " is in " + it->second + " too: shards do not overlap";
        return std::nullopt;
      }
      out.cases.push_back(c);
    }
    for (const auto& e : r.expectations)
      if (auto it = entries.find(e.glob); it != entries.end()) it->second->matched += e.matched;
    if (!r.started_at.empty() && (out.run.started_at.empty() || r.started_at < out.run.started_at))
      out.run.started_at = r.started_at;
    if (r.ended_at > out.run.ended_at) out.run.ended_at = r.ended_at;
    if (r.duration_ms) out.run.duration_ms = *out.run.duration_ms + *r.duration_ms;
    if (!r.stopped.empty()) out.run.stopped = r.stopped;
    if (r.host != f.host) out.run.host = "several";
  }
  // Staleness over the whole run: an entry is stale when no shard still needs it.
  for (auto& e : out.run.expectations) {
    bool needed = false;
    for (const CaseResult& c : out.cases)
      if (c.expectation && c.expectation->glob == e.glob && c.expectation->outcome != ExpectationOutcome::stale)
        needed = true;
    e.stale = !needed;
  }
  std::sort(shard_names.begin(), shard_names.end(), [](const std::string& a, const std::string& b) {
    return parse(a)->index < parse(b)->index;
  });
  const auto count = parse(shard_names.front())->count;
  out.run.merged_shards = shard_names;
  // Every shard present: the shards partition the selection, so the merge is the whole run.
  out.run.shard = seen_index.size() == count ? "1/1" : shard_names.front();
  std::sort(out.cases.begin(), out.cases.end(), [](const CaseResult& a, const CaseResult& b) { return a.id < b.id; });
  out.summary = summarize(out.cases);
  return out;
}

}  // namespace cts::results
