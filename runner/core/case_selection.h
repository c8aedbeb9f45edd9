// Which cases a run executes: --filter globs on case ids (any match selects; none given = all)
// and --shard i/n (case k of the sorted, filtered id list belongs to shard k mod n), so shards partition
// the library and merge back into one result set.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "runner/cases/case_model.h"

namespace cts::core {

struct Shard {
  uint32_t index = 0;  // 0-based
  uint32_t count = 1;
};
// "i/n" with 1 <= i <= n (1-based on the command line); nothing when malformed.
std::optional<Shard> parse_shard(const std::string& text);

bool id_matches(const std::string& id, const std::vector<std::string>& globs);

// Pointers into `files`, sorted by id.
std::vector<const cases::Case*> select_cases(const std::vector<cases::CaseFile>& files,
                                             const std::vector<std::string>& globs, Shard shard);

}  // namespace cts::core
