// IvHistory: a repeat is found with the sequence number that first carried the IV; IVs that
// differ in any octet or in length are different.
#include "oracle/esp/iv_history.h"

#include <gtest/gtest.h>

#include <vector>

namespace cts::esp {
namespace {

TEST(IvHistory, ARepeatNamesTheFirstSequence) {
  IvHistory h;
  const std::vector<uint8_t> a(8, 0xA1), b(8, 0xB2);
  EXPECT_FALSE(h.record(a, 1));
  EXPECT_FALSE(h.record(b, 2));
  const auto r = h.record(a, 3);
  ASSERT_TRUE(r);
  EXPECT_EQ(*r, 1u);
  EXPECT_EQ(h.size(), 2u);
}

TEST(IvHistory, OctetsAndLengthBothCount) {
  IvHistory h;
  std::vector<uint8_t> iv(16, 0);
  EXPECT_FALSE(h.record(iv, 1));
  iv[15] = 1;
  EXPECT_FALSE(h.record(iv, 2)) << "the last octet differs";
  EXPECT_FALSE(h.record(std::vector<uint8_t>(8, 0), 3)) << "a shorter all-zero IV is another IV";
  EXPECT_TRUE(h.record(std::vector<uint8_t>(8, 0), 4));
}

}  // namespace
}  // namespace cts::esp
