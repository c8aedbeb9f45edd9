// Random sources: the seeded one is reproducible, seed-sensitive and a continuous stream; the OS
// one produces distinct outputs.
#include "oracle/crypto/random_source.h"

#include <gtest/gtest.h>

#include "oracle/crypto/crypto_test_support.h"
#include "oracle/crypto/secret_bytes.h"

namespace cts::crypto {
namespace {

using testing::lib;

TEST(SeededRandomSource, SameSeedSameStreamAcrossCallSplits) {
  std::unique_ptr<SeededRandomSource> a, b, c;
  ASSERT_TRUE(SeededRandomSource::create(lib(), 7, a).ok());
  ASSERT_TRUE(SeededRandomSource::create(lib(), 7, b).ok());
  ASSERT_TRUE(SeededRandomSource::create(lib(), 8, c).ok());
  std::vector<uint8_t> x(100), y1(37), y2(63), z(100);
  ASSERT_TRUE(a->fill(x).ok());
  ASSERT_TRUE(b->fill(y1).ok());
  ASSERT_TRUE(b->fill(y2).ok());
  ASSERT_TRUE(c->fill(z).ok());
  std::vector<uint8_t> y = y1;
  y.insert(y.end(), y2.begin(), y2.end());
  EXPECT_EQ(x, y);
  EXPECT_NE(x, z);
  EXPECT_EQ(a->seed(), 7u);
  EXPECT_NE(x, std::vector<uint8_t>(100, 0));
}

TEST(OsRandomSource, DistinctOutputs) {
  OsRandomSource r(lib());
  std::vector<uint8_t> a(32), b(32);
  ASSERT_TRUE(r.fill(a).ok());
  ASSERT_TRUE(r.fill(b).ok());
  EXPECT_NE(a, b);
}

TEST(SecretBytes, CopyMoveAndClear) {
  const std::vector<uint8_t> k = {1, 2, 3, 4};
  SecretBytes s(k);
  SecretBytes t = s;
  EXPECT_EQ(std::vector<uint8_t>(t.view().begin(), t.view().end()), k);
  SecretBytes u = std::move(s);
  EXPECT_TRUE(s.empty());  // NOLINT(bugprone-use-after-move): moved-from state is specified
  EXPECT_EQ(u.size(), 4u);
  u.clear();
  EXPECT_TRUE(u.empty());
  std::vector<uint8_t> out;
  EXPECT_FALSE(from_hex("abc", out));
  EXPECT_FALSE(from_hex("zz", out));
  ASSERT_TRUE(from_hex("00Ff", out));
  EXPECT_EQ(to_hex(out), "00ff");
}

}  // namespace
}  // namespace cts::crypto
