#include "oracle/esp/cbc_iv_check.h"

#include <gtest/gtest.h>

#include <random>
#include <vector>

namespace cts::esp {
namespace {

std::vector<uint8_t> block(uint64_t hi, uint64_t lo) {
  std::vector<uint8_t> b(16);
  for (int i = 0; i < 8; ++i) {
    b[static_cast<size_t>(i)] = static_cast<uint8_t>(hi >> (56 - 8 * i));
    b[static_cast<size_t>(8 + i)] = static_cast<uint8_t>(lo >> (56 - 8 * i));
  }
  return b;
}

TEST(CbcIvCheck, RandomIvsPass) {
  std::mt19937_64 rng(7);
  CbcIvTracker t;
  for (int i = 0; i < 10000; ++i) {
    const auto iv = block(rng(), rng());
    const auto last = block(rng(), rng());
    EXPECT_EQ(t.next(iv, last), CbcIvFlaw::none) << i;
  }
  std::vector<uint8_t> iv8(8), last8(8);
  CbcIvTracker des;
  for (int i = 0; i < 10000; ++i) {
    for (auto& b : iv8) b = static_cast<uint8_t>(rng());
    for (auto& b : last8) b = static_cast<uint8_t>(rng());
    EXPECT_EQ(des.next(iv8, last8), CbcIvFlaw::none) << i;
  }
}

TEST(CbcIvCheck, ChainedIvIsThePreviousLastBlock) {
  CbcIvTracker t;
  const auto last = block(0x1234567890ABCDEFu, 0x0F1E2D3C4B5A6978u);
  EXPECT_EQ(t.next(block(0xA5A5A5A5A5A5A5A5u, 0x5A5A5A5A5A5A5A5Au), last), CbcIvFlaw::none);
  EXPECT_EQ(t.next(last, block(1, 2)), CbcIvFlaw::chained);
}

TEST(CbcIvCheck, CountersInEitherByteOrder) {
  CbcIvTracker be;
  EXPECT_EQ(be.next(block(0, 0xFFFF), block(9, 9)), CbcIvFlaw::none);
  EXPECT_EQ(be.next(block(0, 0x10000), block(8, 8)), CbcIvFlaw::counter);  // carry flips 17 bits
  EXPECT_EQ(be.next(block(0, 0x10000 + 4096), block(7, 7)), CbcIvFlaw::counter);
  CbcIvTracker le;
  std::vector<uint8_t> a(16, 0x3C), b(16, 0x3C);
  b[0] = 0x3D;  // least significant octet of a little-endian counter
  EXPECT_EQ(le.next(a, block(1, 1)), CbcIvFlaw::none);
  EXPECT_EQ(le.next(b, block(2, 2)), CbcIvFlaw::counter);
}

TEST(CbcIvCheck, LowHammingDistanceAndRepeats) {
  CbcIvTracker t;
  const auto a = block(0x0123456789ABCDEFu, 0xFEDCBA9876543210u);
  auto b = a;
  b[0] ^= 0x81;
  b[7] ^= 0x10;
  b[15] ^= 0x80;  // 4 bits apart, not a small step in either byte order
  EXPECT_EQ(t.next(a, block(5, 5)), CbcIvFlaw::none);
  EXPECT_EQ(t.next(b, block(6, 6)), CbcIvFlaw::low_hamming_distance);
  EXPECT_EQ(t.next(b, block(7, 7)), CbcIvFlaw::none);  // a repeat is the IV history's finding
}

}  // namespace
}  // namespace cts::esp
