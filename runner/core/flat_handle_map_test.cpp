#include "runner/core/flat_handle_map.h"

#include <gtest/gtest.h>

#include <unordered_map>

namespace cts::core {
namespace {

TEST(FlatHandleMap, AbsentUntilInsertedAndNullNeverFound) {
  FlatHandleMap<int> m;
  EXPECT_EQ(m.find(0), nullptr);
  EXPECT_EQ(m.find(7), nullptr);
  m[7] = 3;
  ASSERT_NE(m.find(7), nullptr);
  EXPECT_EQ(*m.find(7), 3);
  EXPECT_EQ(m.find(0), nullptr);
  EXPECT_EQ(m.find(8), nullptr);
  EXPECT_EQ(m.size(), 1u);
}

TEST(FlatHandleMap, AgreesWithAReferenceMapThroughGrowth) {
  // Handles shaped like a device's: slot bits low, generation bits high, plus colliding strides.
  FlatHandleMap<uint64_t> m;
  std::unordered_map<uint64_t, uint64_t> ref;
  for (uint64_t i = 1; i <= 200000; ++i) {
    const uint64_t h = (i % 3 == 0) ? (i << 32) | 1 : (i % 3 == 1) ? (i << 1) | 1 : i * 0x10000;
    m[h] += i;
    ref[h] += i;
  }
  EXPECT_EQ(m.size(), ref.size());
  for (const auto& [h, v] : ref) {
    ASSERT_NE(m.find(h), nullptr) << h;
    EXPECT_EQ(*m.find(h), v) << h;
  }
  for (uint64_t probe : {uint64_t{2}, uint64_t{4}, uint64_t{0x7B5A0001}})
    EXPECT_EQ(m.find(probe) != nullptr, ref.count(probe) == 1) << probe;
}

TEST(FlatHandleMap, ValuesCanBeClearedInPlace) {
  FlatHandleMap<uint8_t> m;
  m[0x11] = 1;
  *m.find(0x11) = 0;
  ASSERT_NE(m.find(0x11), nullptr) << "an entry stays once inserted";
  EXPECT_EQ(*m.find(0x11), 0);
}

}  // namespace
}  // namespace cts::core
