// HMAC adapter: RFC 2202 / RFC 4231 test case 2 for every digest, streaming over uneven spans,
// truncation and constant-time verification results.
#include "oracle/crypto/hmac.h"

#include <gtest/gtest.h>

#include "oracle/crypto/crypto_test_support.h"

namespace cts::crypto {
namespace {

using testing::hex;
using testing::lib;

TEST(Hmac, JefeVectorsForEveryDigest) {
  const std::string key = "4a656665";  // "Jefe"
  const std::string data = "7768617420646f2079612077616e7420666f72206e6f7468696e673f";
  const struct {
    HmacAlgorithm alg;
    const char* full;
  } rows[] = {
      {HmacAlgorithm::md5, "750c783e6ab0b503eaa86e310a5db738"},
      {HmacAlgorithm::sha1, "effcdf6ae5eb2fa2d27416d5f184df9c259a7c79"},
      {HmacAlgorithm::sha256, "5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843"},
      {HmacAlgorithm::sha384,
       "af45d2e376484031617f78d2b58a6b1b9c7ef464f5a01b47e42ec3736322445e8e2240ca5e69e2c78b3239ecfab21649"},
      {HmacAlgorithm::sha512,
       "164b7a7bfcf819e2e395fbe73b56e0a387bd64222e831fd610270cd7ea2505549758bf75c05a994a6d034f65f8f0e6fdca"
       "eab1a34d4a6b4b636e070a38bce737"},
  };
  const auto d = hex(data);
  for (const auto& r : rows) {
    SCOPED_TRACE(hmac_algorithm_name(r.alg));
    std::unique_ptr<Hmac> h;
    ASSERT_TRUE(Hmac::create(lib(), r.alg, hex(key), hmac_ipsec_icv_size(r.alg), h).ok());
    for (int round = 0; round < 3; ++round) {  // the keyed context is reusable packet after packet
      ASSERT_TRUE(h->begin().ok());
      for (size_t i = 0; i < d.size(); i += 5) ASSERT_TRUE(h->update(ByteView(d).subspan(i, std::min<size_t>(5, d.size() - i))).ok());
      std::vector<uint8_t> full(h->full_size());
      ASSERT_TRUE(h->finish(full).ok());
      EXPECT_EQ(to_hex(full), r.full);
    }
    const ByteView parts[] = {d};
    std::vector<uint8_t> icv(h->icv_size());
    ASSERT_TRUE(h->compute(parts, icv).ok());
    EXPECT_EQ(to_hex(icv), std::string(r.full).substr(0, icv.size() * 2));
    EXPECT_TRUE(h->verify(parts, icv).ok());
    for (size_t i = 0; i < icv.size(); ++i) {
      auto bad = icv;
      bad[i] ^= 0x01;
      EXPECT_EQ(h->verify(parts, bad).code, CryptoErrc::authentication_failed) << i;
    }
  }
}

TEST(Hmac, SizesAndErrors) {
  EXPECT_EQ(hmac_ipsec_icv_size(HmacAlgorithm::md5), 12u);
  EXPECT_EQ(hmac_ipsec_icv_size(HmacAlgorithm::sha1), 12u);
  EXPECT_EQ(hmac_ipsec_icv_size(HmacAlgorithm::sha256), 16u);
  EXPECT_EQ(hmac_ipsec_icv_size(HmacAlgorithm::sha384), 24u);
  EXPECT_EQ(hmac_ipsec_icv_size(HmacAlgorithm::sha512), 32u);
  std::unique_ptr<Hmac> h;
  EXPECT_EQ(Hmac::create(lib(), HmacAlgorithm::sha256, {}, 16, h).code, CryptoErrc::invalid_key_length);
  EXPECT_EQ(Hmac::create(lib(), HmacAlgorithm::sha256, hex("01"), 33, h).code, CryptoErrc::invalid_tag_length);
  ASSERT_TRUE(Hmac::create(lib(), HmacAlgorithm::sha1, hex("01"), 12, h).ok());
  std::vector<uint8_t> too_long(21);
  ASSERT_TRUE(h->begin().ok());
  EXPECT_EQ(h->finish(too_long).code, CryptoErrc::invalid_tag_length);
}

}  // namespace
}  // namespace cts::crypto
