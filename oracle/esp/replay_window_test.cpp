// Anti-replay window (RFC 4303 §3.4.3) for sizes 32..4096+, RFC 6479 ring wrap-around.
#include "oracle/esp/replay_window.h"

#include <gtest/gtest.h>

#include <random>
#include <set>

namespace cts::esp {
namespace {

TEST(ReplayWindow, ZeroIsNeverAccepted) {
  ReplayWindow w(64);
  EXPECT_EQ(w.check(0), ReplayCheck::outside_window);
  EXPECT_EQ(w.update(0), ReplayCheck::outside_window);
}

TEST(ReplayWindow, OdpScenarioWindow32) {
  ReplayWindow w(32);
  EXPECT_EQ(w.update(1), ReplayCheck::ok);
  EXPECT_EQ(w.check(1), ReplayCheck::replay);
  EXPECT_EQ(w.update(0x1235), ReplayCheck::ok);
  EXPECT_EQ(w.check(1), ReplayCheck::outside_window);
}

TEST(ReplayWindow, CheckDoesNotChangeStateUpdateRechecks) {
  ReplayWindow w(64);
  EXPECT_EQ(w.check(5), ReplayCheck::ok);
  EXPECT_EQ(w.check(5), ReplayCheck::ok);
  EXPECT_EQ(w.top(), 0u);
  // Two packets with the same number both passed the pre-check; the second update is REPLAY.
  EXPECT_EQ(w.update(5), ReplayCheck::ok);
  EXPECT_EQ(w.update(5), ReplayCheck::replay);
}

TEST(ReplayWindow, EdgesForEverySize) {
  for (uint32_t size : {32u, 64u, 100u, 128u, 1024u, 4096u, 5000u, 65536u}) {
    SCOPED_TRACE(size);
    ReplayWindow w(size);
    const uint64_t top = 100000;
    ASSERT_EQ(w.update(top), ReplayCheck::ok);
    EXPECT_EQ(w.check(top - size + 1), ReplayCheck::ok);  // lowest slot
    EXPECT_EQ(w.check(top - size), ReplayCheck::outside_window);
    EXPECT_EQ(w.check(top), ReplayCheck::replay);
    EXPECT_EQ(w.check(top + 1), ReplayCheck::ok);
    ASSERT_EQ(w.update(top - size + 1), ReplayCheck::ok);
    EXPECT_EQ(w.check(top - size + 1), ReplayCheck::replay);
    // Advance by exactly the window: the old top is now the lowest slot... plus one: outside.
    ASSERT_EQ(w.update(top + size - 1), ReplayCheck::ok);
    EXPECT_EQ(w.check(top), ReplayCheck::replay);
    ASSERT_EQ(w.update(top + size), ReplayCheck::ok);
    EXPECT_EQ(w.check(top), ReplayCheck::outside_window);
  }
}

TEST(ReplayWindow, MatchesAReferenceModelUnderRandomTraffic) {
  // Reference: the RFC 4303 §3.4.3 algorithm over a std::set of accepted numbers.
  for (uint32_t size : {32u, 64u, 4096u}) {
    std::mt19937_64 rng(size);
    ReplayWindow w(size);
    std::set<uint64_t> accepted;
    uint64_t top = 0;
    for (int i = 0; i < 20000; ++i) {
      const uint64_t s = top + 1 + (rng() % (3 * size)) - std::min<uint64_t>(top, 2 * size);
      ReplayCheck want;
      if (s == 0) want = ReplayCheck::outside_window;
      else if (s > top) want = ReplayCheck::ok;
      else if (top - s >= size) want = ReplayCheck::outside_window;
      else want = accepted.count(s) ? ReplayCheck::replay : ReplayCheck::ok;
      ASSERT_EQ(w.check(s), want) << "size " << size << " seq " << s << " top " << top;
      if ((rng() & 3) != 0) {  // some packets fail their ICV: never recorded
        ASSERT_EQ(w.update(s), want);
        if (want == ReplayCheck::ok) {
          accepted.insert(s);
          top = std::max(top, s);
        }
      }
    }
  }
}

TEST(ReplayWindow, JumpsFarAheadAcrossTheEsnBoundary) {
  ReplayWindow w(64, 0xFFFFFFF0ull);
  EXPECT_TRUE(w.seen(0xFFFFFFF0ull));
  for (uint64_t s = 0xFFFFFFF1ull; s <= 0x100000010ull; ++s) ASSERT_EQ(w.update(s), ReplayCheck::ok);
  EXPECT_EQ(w.check(0xFFFFFFFFull), ReplayCheck::replay);  // bitmap carries over the 2^32 wrap
  EXPECT_EQ(w.check(0x100000010ull - 64), ReplayCheck::outside_window);
  EXPECT_EQ(w.update(0x900000000ull), ReplayCheck::ok);
  EXPECT_EQ(w.check(0x100000010ull), ReplayCheck::outside_window);
  EXPECT_EQ(w.check(0x900000000ull - 1), ReplayCheck::ok);
}

TEST(ReplayWindow, ResetMarksOnlyTheNewTop) {
  ReplayWindow w(64);
  for (uint64_t s = 1; s < 50; ++s) w.update(s);
  w.reset(0x500000000ull);
  EXPECT_EQ(w.top(), 0x500000000ull);
  EXPECT_EQ(w.check(0x500000000ull), ReplayCheck::replay);
  EXPECT_EQ(w.check(0x500000000ull - 1), ReplayCheck::ok);
}

TEST(ReplayWindow, SizeLimits) {
  EXPECT_FALSE(ReplayWindow::valid_size(31));
  EXPECT_TRUE(ReplayWindow::valid_size(32));
  EXPECT_TRUE(ReplayWindow::valid_size(4096));
  EXPECT_FALSE(ReplayWindow::valid_size(ReplayWindow::kMaxSize + 1));
}

}  // namespace
}  // namespace cts::esp
