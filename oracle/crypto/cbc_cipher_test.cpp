// CBC adapter: RFC 3602 case 2 (AES-128), FIPS 81 CBC example (DES; 3DES with K1=K2=K3 equals
// DES), block-size and overlap rules, legacy-provider reporting.
#include "oracle/crypto/cbc_cipher.h"

#include <gtest/gtest.h>

#include <cstring>

#include "oracle/crypto/crypto_test_support.h"

namespace cts::crypto {
namespace {

using testing::hex;
using testing::lib;

void check(CbcAlgorithm alg, const std::string& key, const std::string& iv, const std::string& pt,
           const std::string& ct) {
  std::unique_ptr<CbcCipher> c;
  const CryptoStatus s = CbcCipher::create(lib(), alg, hex(key), c);
  ASSERT_TRUE(s.ok()) << cbc_algorithm_name(alg) << ": " << s.context;
  std::vector<uint8_t> buf = hex(pt);
  ASSERT_TRUE(c->encrypt(hex(iv), buf, buf).ok());
  EXPECT_EQ(to_hex(buf), ct);
  ASSERT_TRUE(c->decrypt(hex(iv), buf, buf).ok());
  EXPECT_EQ(to_hex(buf), pt);
}

TEST(CbcCipher, Rfc3602Case2) {
  check(CbcAlgorithm::aes_128, "c286696d887c9aa0611bbb3e2025a45a", "562e17996d093d28ddb3ba695a2e6f58",
        "000102030405060708090a0b0c0d0e0f101112131415161718191a1b1c1d1e1f",
        "d296cd94c2cccf8a3a863028b5e1dc0a7586602d253cfff91b8266bea6d61ab1");
}

TEST(CbcCipher, DesFips81AndTripleDesDegenerate) {
  ASSERT_TRUE(lib().legacy_available()) << "OpenSSL legacy provider missing: DES-CBC unavailable";
  const std::string pt = "4e6f77206973207468652074696d6520666f7220616c6c20";  // "Now is the time for all "
  const std::string ct = "e5c7cdde872bf27c43e934008c389c0f683788499a7c05f6";
  check(CbcAlgorithm::des, "0123456789abcdef", "1234567890abcdef", pt, ct);
  check(CbcAlgorithm::des3, "0123456789abcdef0123456789abcdef0123456789abcdef", "1234567890abcdef", pt, ct);
}

TEST(CbcCipher, LengthAndOverlapRules) {
  std::unique_ptr<CbcCipher> c;
  ASSERT_TRUE(CbcCipher::create(lib(), CbcAlgorithm::aes_256, std::vector<uint8_t>(32, 7), c).ok());
  EXPECT_EQ(CbcCipher::create(lib(), CbcAlgorithm::aes_256, std::vector<uint8_t>(16, 7), c).code,
            CryptoErrc::invalid_key_length);
  ASSERT_TRUE(CbcCipher::create(lib(), CbcAlgorithm::aes_256, std::vector<uint8_t>(32, 7), c).ok());
  const std::vector<uint8_t> iv(16, 3);
  std::vector<uint8_t> buf(40, 1);
  EXPECT_EQ(c->encrypt(iv, ByteView(buf).first(15), buf).code, CryptoErrc::invalid_length);
  EXPECT_EQ(c->encrypt(iv, {}, buf).code, CryptoErrc::invalid_length);
  EXPECT_EQ(c->encrypt(ByteView(iv).first(8), ByteView(buf).first(16), buf).code, CryptoErrc::invalid_iv_length);
  std::vector<uint8_t> small(16);
  EXPECT_EQ(c->encrypt(iv, ByteView(buf).first(32), small).code, CryptoErrc::buffer_too_small);
  // Overlapping input/output equals the out-of-place result; input untouched out of place.
  std::vector<uint8_t> src(32);
  for (size_t i = 0; i < src.size(); ++i) src[i] = static_cast<uint8_t>(i);
  const auto keep = src;
  std::vector<uint8_t> ref(32);
  ASSERT_TRUE(c->encrypt(iv, src, ref).ok());
  EXPECT_EQ(src, keep);
  std::vector<uint8_t> big(40);
  std::memcpy(big.data() + 5, src.data(), 32);
  ASSERT_TRUE(c->encrypt(iv, ByteView(big).subspan(5, 32), big).ok());
  EXPECT_EQ(std::vector<uint8_t>(big.begin(), big.begin() + 32), ref);
}

}  // namespace
}  // namespace cts::crypto
