#include "runner/core/table_view.h"

#include <gtest/gtest.h>

namespace cts::core {
namespace {

TEST(TableView, ReadsBothDumpShapes) {
  std::string err;
  const auto oracle = parse_table_view(nlohmann::json::parse(R"({"bundle_count":1,"pools":[{"name":"total_bundles","used":1,"limit":8}],
    "bundles":[{"handle":"0x00000003","direction":"inbound","sas":[{"operation":"ESP","spi":"0x00001001","esn":true,"sequence_number_high_order":4}]}]})"), err);
  ASSERT_TRUE(oracle) << err;
  const auto device = parse_table_view(nlohmann::json::parse(R"({"bundles":[{"handle":"0x80000000","direction":"inbound",
    "sas":[{"spi":4097,"operation":"esp","esn":true,"sequence_number_high_order":4}]}],"pools":{"total_bundles":{"used":1,"capacity":8}}})"), err);
  ASSERT_TRUE(device) << err;
  const std::map<uint64_t, std::string> ol = {{3, "in1"}}, dl = {{0x80000000u, "in1"}};
  EXPECT_TRUE(diff_tables(*oracle, *device, ol, dl).empty());
}

TEST(TableView, NamesEveryDifferenceByLabel) {
  std::string err;
  TableView o, d;
  o.bundles.push_back({1, "inbound", {{0x1001u, "ESP", true, 5u}}});
  o.bundles.push_back({2, "outbound", {{0x2001u, "ESP", false, 0u}}});
  d.bundles.push_back({9, "inbound", {{0x1001u, "ESP", true, 4u}}});
  o.pool_used["total_bundles"] = 2;
  d.pool_used["total_bundles"] = 1;
  const auto diffs = diff_tables(o, d, {{1, "in"}, {2, "out"}}, {{9, "in"}});
  std::set<std::string> fields;
  for (const auto& x : diffs) fields.insert(x.field);
  EXPECT_TRUE(fields.count("table.in.sas[0].sequence_number_high_order"));
  EXPECT_TRUE(fields.count("table.out"));
  EXPECT_TRUE(fields.count("table.bundle_count"));
  EXPECT_TRUE(fields.count("table.pools.total_bundles.used"));
}

TEST(TableView, RejectsShapelessDumps) {
  std::string err;
  EXPECT_FALSE(parse_table_view(nlohmann::json::parse(R"({"sas":[]})"), err));
  EXPECT_FALSE(parse_table_view(nlohmann::json::parse(R"({"bundles":[{"direction":"inbound"}]})"), err));
}

}  // namespace
}  // namespace cts::core
