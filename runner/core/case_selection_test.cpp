#include "runner/core/case_selection.h"

#include <gtest/gtest.h>

namespace cts::core {
namespace {

TEST(CaseSelection, ShardsPartitionTheFilteredList) {
  cases::CaseFile f;
  for (const char* id : {"a.b.c", "a.b.d", "a.x.e", "z.y.w", "a.b.f"}) {
    cases::Case c;
    c.id = id;
    f.cases.push_back(c);
  }
  const std::vector<cases::CaseFile> files = {f};
  EXPECT_EQ(select_cases(files, {}, {}).size(), 5u);
  EXPECT_EQ(select_cases(files, {"a.b.*"}, {}).size(), 3u);
  EXPECT_EQ(select_cases(files, {"a.b.*", "z.*"}, {}).size(), 4u);
  size_t total = 0;
  for (uint32_t i = 0; i < 3; ++i) total += select_cases(files, {"a.*"}, Shard{i, 3}).size();
  EXPECT_EQ(total, 4u);
  EXPECT_EQ(select_cases(files, {}, {})[0]->id, "a.b.c");  // sorted by id
  EXPECT_TRUE(id_matches("x.y.z[oid=add_sa]", {"x.y.z[oid=add_sa]"}));  // exact, brackets and all
  EXPECT_TRUE(id_matches("x.y.z[oid=add_sa]", {"x.y.*"}));
}

TEST(CaseSelection, ParsesShards) {
  EXPECT_EQ(parse_shard("2/4")->index, 1u);
  EXPECT_EQ(parse_shard("2/4")->count, 4u);
  for (const char* bad : {"0/4", "5/4", "1/0", "x/2", "1/2/3", "2", ""}) EXPECT_FALSE(parse_shard(bad)) << bad;
}

}  // namespace
}  // namespace cts::core
