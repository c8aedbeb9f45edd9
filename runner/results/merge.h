// `ipsec-cts report merge`: shards of one run (--shard i/n) joined into one result. Shards join
// only when they are parts of the same run: the same case set (hash), device (name and
// capabilities), seed, filters and shard count, no shard twice and no case twice. A merge of
// every shard of an unfiltered library run is a complete run and may be CONFORMANT.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "runner/results/results_model.h"

namespace cts::results {

struct NamedResults {
  std::string name;  // for messages ("shard2/results.json")
  Results results;
};

// Errors say which input differs from the first and in what ("shard3.json: seed 7, but
// shard1.json has seed 8: not shards of one run").
std::optional<Results> merge_shards(const std::vector<NamedResults>& shards, std::string& error);

}  // namespace cts::results
