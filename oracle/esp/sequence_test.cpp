// Sender sequence numbers (RFC 4303 §3.3.3; SEQ-001..005).
#include "oracle/esp/sequence.h"

#include <gtest/gtest.h>

namespace cts::esp {
namespace {

TEST(SequenceCounter, FirstPacketCarriesOne) {
  SequenceCounter c(false, true);
  uint64_t s = 0;
  ASSERT_EQ(c.next(s), EspVerdict::ok);
  EXPECT_EQ(s, 1u);
  ASSERT_EQ(c.next(s), EspVerdict::ok);
  EXPECT_EQ(s, 2u);
}

TEST(SequenceCounter, ThirtyTwoBitLastValueIsSentThenOverflow) {
  SequenceCounter c(false, true, 0xFFFFFFFEull);
  uint64_t s = 0;
  ASSERT_EQ(c.next(s), EspVerdict::ok);
  EXPECT_EQ(s, 0xFFFFFFFFull);
  EXPECT_EQ(c.next(s), EspVerdict::seq_overflow);
  EXPECT_EQ(c.last_sent(), 0xFFFFFFFFull);  // unchanged
  EXPECT_EQ(c.next(s), EspVerdict::seq_overflow);
}

TEST(SequenceCounter, WithoutAntiReplayWrapsToZero) {
  SequenceCounter c(false, false, 0xFFFFFFFFull);
  uint64_t s = 99;
  ASSERT_EQ(c.next(s), EspVerdict::ok);
  EXPECT_EQ(s, 0u);
}

TEST(SequenceCounter, EsnCrossesTheLowWrapAndStopsAt2To64) {
  SequenceCounter c(true, true, 0xFFFFFFFFull);
  uint64_t s = 0;
  ASSERT_EQ(c.next(s), EspVerdict::ok);
  EXPECT_EQ(s, 0x100000000ull);
  EXPECT_EQ(c.high(), 1u);
  SequenceCounter top(true, true, ~uint64_t{0} - 1);
  ASSERT_EQ(top.next(s), EspVerdict::ok);
  EXPECT_EQ(s, ~uint64_t{0});
  EXPECT_EQ(top.next(s), EspVerdict::seq_overflow);
}

TEST(SequenceCounter, ReserveIsAllOrNothing) {
  SequenceCounter c(false, true, 0xFFFFFFF0ull);
  uint64_t first = 0;
  EXPECT_EQ(c.reserve(16, first), EspVerdict::seq_overflow);
  EXPECT_EQ(c.last_sent(), 0xFFFFFFF0ull);
  ASSERT_EQ(c.reserve(15, first), EspVerdict::ok);
  EXPECT_EQ(first, 0xFFFFFFF1ull);
  EXPECT_EQ(c.last_sent(), 0xFFFFFFFFull);
  EXPECT_EQ(c.reserve(0, first), EspVerdict::invalid_argument);
}

}  // namespace
}  // namespace cts::esp
