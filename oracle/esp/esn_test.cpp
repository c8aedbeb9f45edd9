// RFC 4303 App. A2.1 inference against worked examples of its three cases
// (W = 64), plus the corners the spec calls out (start-up, top subspace, A3 counter).
#include "oracle/esp/esn.h"

#include <gtest/gtest.h>

namespace cts::esp {
namespace {

constexpr uint64_t sq(uint64_t high, uint64_t low) { return (high << 32) | low; }

struct Row {
  uint64_t top;
  EsnCase which;
  uint32_t seql;
  uint32_t seqh;
};

TEST(EsnInference, SpecWorkedExamples) {
  const Row rows[] = {
      {sq(1, 1000), EsnCase::a, 990, 1},        {sq(1, 1000), EsnCase::a, 1001, 1},
      {sq(1, 1000), EsnCase::a, 937, 1},        {sq(1, 1000), EsnCase::a, 936, 2},
      {sq(2, 10), EsnCase::b, 0xFFFFFFF0u, 1},  {sq(2, 10), EsnCase::b, 0xFFFFFFCBu, 1},
      {sq(2, 10), EsnCase::b, 7, 2},            {sq(2, 10), EsnCase::b, 11, 2},
      {sq(0, 0xFFFFFFFFu), EsnCase::a, 3, 1},
  };
  for (const Row& r : rows) {
    const EsnInference inf = infer_esn(r.top, 64, r.seql);
    EXPECT_EQ(inf.which, r.which) << std::hex << r.top << " " << r.seql;
    EXPECT_EQ(inf.seq, sq(r.seqh, r.seql)) << std::hex << r.top << " " << r.seql;
    EXPECT_TRUE(inf.valid);
    EXPECT_FALSE(inf.clamped);
  }
}

TEST(EsnInference, StartUpCornerNeverUnderflows) {
  // T = 0:0 is case B; a low half >= Bl would give Seqh = -1: clamped to 0 (RFC 4303 App. A2.1).
  const EsnInference inf = infer_esn(0, 64, 0xFFFFFFF0u);
  EXPECT_EQ(inf.which, EsnCase::b);
  EXPECT_TRUE(inf.clamped);
  EXPECT_EQ(inf.seq, sq(0, 0xFFFFFFF0u));
  const EsnInference low = infer_esn(0, 64, 5);
  EXPECT_FALSE(low.clamped);
  EXPECT_EQ(low.seq, 5u);
}

TEST(EsnInference, NoSubspaceAboveTheTop) {
  const EsnInference inf = infer_esn(sq(0xFFFFFFFFu, 1000), 64, 10);
  EXPECT_FALSE(inf.valid);
  EXPECT_TRUE(infer_esn(sq(0xFFFFFFFFu, 1000), 64, 999).valid);
}

TEST(EsnInference, WindowEdgesExactly) {
  // Case A boundary: Tl = W-1 is case A with Bl = 0.
  EXPECT_EQ(infer_esn(sq(3, 63), 64, 0).which, EsnCase::a);
  EXPECT_EQ(infer_esn(sq(3, 63), 64, 0).seq, sq(3, 0));
  EXPECT_EQ(infer_esn(sq(3, 62), 64, 0).which, EsnCase::b);
  EXPECT_EQ(infer_esn(sq(3, 62), 64, 0xFFFFFFFFu).seq, sq(2, 0xFFFFFFFFu));
  // Large window (4096): Bl = 100 - 4095 mod 2^32 = 0xFFFFF065.
  EXPECT_EQ(infer_esn(sq(5, 100), 4096, 0xFFFFF065u).seq, sq(4, 0xFFFFF065u));
  EXPECT_EQ(infer_esn(sq(5, 100), 4096, 0xFFFFF064u).seq, sq(5, 0xFFFFF064u));
}

TEST(EsnResyncCounter, ThresholdAndReset) {
  EsnResyncCounter c(3, 2);
  EXPECT_FALSE(c.should_retry());
  c.on_icv_failure();
  c.on_icv_failure();
  EXPECT_FALSE(c.should_retry());
  c.on_icv_failure();
  EXPECT_TRUE(c.should_retry());
  EXPECT_EQ(c.consecutive_failures(), 3u);
  c.on_authenticated();
  EXPECT_EQ(c.consecutive_failures(), 0u);
  EsnResyncCounter off;
  for (int i = 0; i < 10; ++i) off.on_icv_failure();
  EXPECT_FALSE(off.should_retry());
}

}  // namespace
}  // namespace cts::esp
