#include "runner/core/case_selection.h"

#include <fnmatch.h>

#include <algorithm>

namespace cts::core {

std::optional<Shard> parse_shard(const std::string& text) {
  const auto slash = text.find('/');
  if (slash == std::string::npos) return std::nullopt;
  try {
    size_t a = 0, b = 0;
    const unsigned long i = std::stoul(text.substr(0, slash), &a);
    const unsigned long n = std::stoul(text.substr(slash + 1), &b);
    if (a != slash || b != text.size() - slash - 1 || n == 0 || i == 0 || i > n || n > 1'000'000)
      return std::nullopt;
    return Shard{static_cast<uint32_t>(i - 1), static_cast<uint32_t>(n)};
  } catch (...) {
    return std::nullopt;
  }
}

bool id_matches(const std::string& id, const std::vector<std::string>& globs) {
  if (globs.empty()) return true;
  // An exact id always matches itself: parameterised ids contain brackets, which a glob would
  // read as a character class.
  for (const auto& g : globs)
    if (g == id || fnmatch(g.c_str(), id.c_str(), 0) == 0) return true;
  return false;
}

std::vector<const cases::Case*> select_cases(const std::vector<cases::CaseFile>& files,
                                             const std::vector<std::string>& globs, Shard shard) {
  std::vector<const cases::Case*> all;
  for (const auto& f : files)
    for (const auto& c : f.cases) all.push_back(&c);
  std::sort(all.begin(), all.end(), [](const auto* a, const auto* b) { return a->id < b->id; });
  std::vector<const cases::Case*> selected, out;
  for (const auto* c : all)
    if (id_matches(c->id, globs)) selected.push_back(c);
  for (size_t k = 0; k < selected.size(); ++k)
    if (k % shard.count == shard.index) out.push_back(selected[k]);
  return out;
}

}  // namespace cts::core
