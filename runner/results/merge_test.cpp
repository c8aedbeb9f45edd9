#include "runner/results/merge.h"

#include <gtest/gtest.h>

#include "runner/results/results_diff.h"

namespace cts::results {
namespace {

NamedResults shard(unsigned i, unsigned n, std::vector<std::string> ids) {
  Results r;
  r.run.seed = 5;
  r.run.device.name = "softnic";
  r.run.case_set_sha256 = "hash";
  r.run.case_set_cases = 4;
  r.run.library = true;
  r.run.shard = std::to_string(i) + "/" + std::to_string(n);
  r.run.duration_ms = 10.0;
  for (const auto& id : ids) {
    CaseResult c;
    c.id = id;
    c.file = "f.json";
    r.cases.push_back(c);
  }
  r.summary = summarize(r.cases);
  return {"shard" + std::to_string(i) + ".json", r};
}

TEST(MergeShards, AllShardsMakeACompleteRun) {
  std::string error;
  auto m = merge_shards({shard(2, 2, {"b", "d"}), shard(1, 2, {"a", "c"})}, error);
  ASSERT_TRUE(m) << error;
  EXPECT_EQ(m->run.shard, "1/1");
  EXPECT_EQ(m->run.merged_shards, (std::vector<std::string>{"1/2", "2/2"}));
  EXPECT_EQ(m->cases.front().id, "a");
  EXPECT_EQ(m->summary.total, 4u);
  EXPECT_DOUBLE_EQ(*m->run.duration_ms, 20.0);
  EXPECT_TRUE(assess_completeness(*m).complete);
}

TEST(MergeShards, MissingShardStaysPartial) {
  std::string error;
  auto m = merge_shards({shard(1, 3, {"a"}), shard(3, 3, {"c"})}, error);
  ASSERT_TRUE(m) << error;
  const auto c = assess_completeness(*m);
  EXPECT_FALSE(c.complete);
  EXPECT_EQ(c.left_out.front(), "only shards 1/3, 3/3 (merge every shard with `ipsec-cts report merge`)");
}

TEST(MergeShards, RefusesPartsOfDifferentRuns) {
  std::string error;
  auto other_seed = shard(2, 2, {"b"});
  other_seed.results.run.seed = 6;
  EXPECT_FALSE(merge_shards({shard(1, 2, {"a"}), other_seed}, error));
  EXPECT_EQ(error, "shard2.json: seed 6, but shard1.json has seed 5: not shards of one run");
  auto other_set = shard(2, 2, {"b"});
  other_set.results.run.case_set_sha256 = "other";
  EXPECT_FALSE(merge_shards({shard(1, 2, {"a"}), other_set}, error));
  EXPECT_NE(error.find("case set"), std::string::npos);
  auto other_device = shard(2, 2, {"b"});
  other_device.results.run.device.name = "nic2";
  EXPECT_FALSE(merge_shards({shard(1, 2, {"a"}), other_device}, error));
  EXPECT_NE(error.find("device \"nic2\""), std::string::npos);
  EXPECT_FALSE(merge_shards({shard(1, 2, {"a"}), shard(1, 2, {"b"})}, error));
  EXPECT_EQ(error, "shard1.json: shard 1/2 is given twice");
  EXPECT_FALSE(merge_shards({shard(1, 2, {"a"}), shard(2, 2, {"a"})}, error));
  EXPECT_EQ(error, "shard2.json: case a is in shard1.json too: shards do not overlap");
  EXPECT_FALSE(merge_shards({shard(1, 2, {"a"}), shard(2, 3, {"b"})}, error));
}

TEST(ResultsDiff, RegressionsFixesNewAndRemoved) {
  Results before = shard(1, 1, {"a", "b", "c", "gone"}).results;
  Results after = shard(1, 1, {"a", "b", "c", "new"}).results;
  before.cases[1].verdict = Verdict::fail;    // b fixed
  after.cases[2].verdict = Verdict::error;    // c regressed
  after.cases[3].verdict = Verdict::fail;     // new and failing: a regression too
  before.cases[0].verdict = Verdict::not_applicable;  // a: N/A -> PASS, a change
  const auto d = diff_results(before, after);
  ASSERT_EQ(d.regressions.size(), 2u);
  EXPECT_EQ(d.regressions[0].id, "c");
  EXPECT_EQ(d.regressions[1].id, "new");
  ASSERT_EQ(d.fixes.size(), 1u);
  EXPECT_EQ(d.fixes[0].id, "b");
  ASSERT_EQ(d.changed.size(), 1u);
  ASSERT_EQ(d.added.size(), 1u);
  ASSERT_EQ(d.removed.size(), 1u);
  EXPECT_EQ(d.removed[0].id, "gone");
  EXPECT_TRUE(d.regressed());
  EXPECT_NE(diff_text(d, "old.json", "new.json").find("  c: PASS -> ERROR\n"), std::string::npos);
  EXPECT_EQ(diff_json(d, "o", "n")["regressions"][0]["after"], "ERROR");
  EXPECT_FALSE(diff_results(after, after).regressed());
}

}  // namespace
}  // namespace cts::results
