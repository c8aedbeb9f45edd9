// AES-GCM / GMAC adapter: McGrew-Viega GCM specification test cases 2 and 4 (96-bit IV, split
// here as RFC 4106 salt ‖ IV), tag truncation, in-place / overlapping buffers, and the no-leak
// rule on a failed decrypt.
#include "oracle/crypto/aes_gcm.h"

#include <gtest/gtest.h>

#include <cstring>

#include "oracle/crypto/crypto_test_support.h"

namespace cts::crypto {
namespace {

using testing::hex;
using testing::lib;

struct Case4 {
  std::vector<uint8_t> key = hex("feffe9928665731c6d6a8f9467308308");
  std::vector<uint8_t> salt = hex("cafebabe");
  std::vector<uint8_t> iv = hex("facedbaddecaf888");
  std::vector<uint8_t> aad = hex("feedfacedeadbeeffeedfacedeadbeefabaddad2");
  std::vector<uint8_t> pt = hex(
      "d9313225f88406e5a55909c5aff5269a86a7a9531534f7da2e4c303d8a318a721c3c0c95956809532fcf0e2449a6b525"
      "b16aedf5aa0de657ba637b39");
  std::string ct =
      "42831ec2217774244b7221b784d0d49ce3aa212f2c02a4e035c17e2329aca12e21d514b25466931c7d8f6a5aac84aa05"
      "1ba30b396a0aac973d58e091";
  std::string tag = "5bc94fbc3221a5db94fae95ae7121a47";
};

TEST(AesGcm, GcmSpecTestCase2) {
  std::unique_ptr<AesGcm> g;
  ASSERT_TRUE(AesGcm::create(lib(), hex("00000000000000000000000000000000"), hex("00000000"), 16, g).ok());
  std::vector<uint8_t> buf(16, 0), tag(16);
  ASSERT_TRUE(g->encrypt(hex("0000000000000000"), {}, buf, buf, tag).ok());
  EXPECT_EQ(to_hex(buf), "0388dace60b6a392f328c2b971b2fe78");
  EXPECT_EQ(to_hex(tag), "ab6e47d42cec13bdf53a67b21257bddf");
}

TEST(AesGcm, GcmSpecTestCase4WithSplitAadAndTruncatedTags) {
  Case4 v;
  for (size_t tag_size : {16u, 12u, 8u}) {
    std::unique_ptr<AesGcm> g;
    ASSERT_TRUE(AesGcm::create(lib(), v.key, v.salt, tag_size, g).ok());
    const ByteView aad[] = {ByteView(v.aad).first(7), ByteView(v.aad).subspan(7)};
    std::vector<uint8_t> ct(v.pt.size()), tag(tag_size);
    ASSERT_TRUE(g->encrypt(v.iv, aad, v.pt, ct, tag).ok());
    EXPECT_EQ(to_hex(ct), v.ct);
    EXPECT_EQ(to_hex(tag), v.tag.substr(0, tag_size * 2));  // truncation = leftmost octets
    std::vector<uint8_t> back(ct.size());
    ASSERT_TRUE(g->decrypt(v.iv, aad, ct, back, tag).ok());
    EXPECT_EQ(back, v.pt);
  }
}

TEST(AesGcm, FailedDecryptLeavesNoPlaintext) {
  Case4 v;
  std::unique_ptr<AesGcm> g;
  ASSERT_TRUE(AesGcm::create(lib(), v.key, v.salt, 16, g).ok());
  const ByteView aad[] = {v.aad};
  auto tag = hex(v.tag);
  tag[15] ^= 1;
  std::vector<uint8_t> inplace = hex(v.ct);
  EXPECT_EQ(g->decrypt(v.iv, aad, inplace, inplace, tag).code, CryptoErrc::authentication_failed);
  EXPECT_EQ(to_hex(inplace), v.ct) << "in place: the ciphertext must be restored";
  const auto ct = hex(v.ct);
  std::vector<uint8_t> out(ct.size(), 0xCC);
  EXPECT_EQ(g->decrypt(v.iv, aad, ct, out, tag).code, CryptoErrc::authentication_failed);
  EXPECT_EQ(out, std::vector<uint8_t>(ct.size(), 0)) << "out of place: output wiped";
  // Wrong IV and wrong AAD fail too.
  tag = hex(v.tag);
  auto iv = v.iv;
  iv[0] ^= 1;
  EXPECT_EQ(g->decrypt(iv, aad, ct, out, tag).code, CryptoErrc::authentication_failed);
  const ByteView no_aad[] = {ByteView(v.aad).first(19)};
  EXPECT_EQ(g->decrypt(v.iv, no_aad, ct, out, tag).code, CryptoErrc::authentication_failed);
}

TEST(AesGcm, OverlappingBuffersGiveTheSameResult) {
  Case4 v;
  std::unique_ptr<AesGcm> g;
  ASSERT_TRUE(AesGcm::create(lib(), v.key, v.salt, 16, g).ok());
  const ByteView aad[] = {v.aad};
  for (size_t shift : {1u, 5u, 17u}) {
    std::vector<uint8_t> buf(v.pt.size() + shift);
    std::memcpy(buf.data() + shift, v.pt.data(), v.pt.size());
    std::vector<uint8_t> tag(16);
    ASSERT_TRUE(g->encrypt(v.iv, aad, ByteView(buf).subspan(shift), buf, tag).ok());
    EXPECT_EQ(to_hex(ByteView(buf).first(v.pt.size())), v.ct) << shift;
  }
}

TEST(AesGcm, GmacIsGcmWithEverythingAsAad) {
  // GMAC over X = GCM tag with empty plaintext and AAD X (NIST SP 800-38D §3).
  Case4 v;
  std::unique_ptr<AesGcm> g;
  ASSERT_TRUE(AesGcm::create(lib(), v.key, v.salt, 16, g).ok());
  const ByteView parts[] = {v.aad, v.pt};
  std::vector<uint8_t> tag(16), ref_tag(16), none;
  ASSERT_TRUE(g->gmac(v.iv, parts, tag).ok());
  std::vector<uint8_t> joined = v.aad;
  joined.insert(joined.end(), v.pt.begin(), v.pt.end());
  const ByteView one[] = {joined};
  ASSERT_TRUE(g->encrypt(v.iv, one, none, none, ref_tag).ok());
  EXPECT_EQ(tag, ref_tag);
  EXPECT_TRUE(g->gmac_verify(v.iv, parts, tag).ok());
  ASSERT_TRUE(g->gmac_begin(v.iv).ok());
  ASSERT_TRUE(g->gmac_update(ByteView(joined).first(3)).ok());
  ASSERT_TRUE(g->gmac_update(ByteView(joined).subspan(3)).ok());
  EXPECT_TRUE(g->gmac_finish_verify(tag).ok());
  tag[3] ^= 0x20;
  EXPECT_EQ(g->gmac_verify(v.iv, parts, tag).code, CryptoErrc::authentication_failed);
}

TEST(AesGcm, RejectsBadSizes) {
  std::unique_ptr<AesGcm> g;
  EXPECT_EQ(AesGcm::create(lib(), std::vector<uint8_t>(15), hex("00000000"), 16, g).code, CryptoErrc::invalid_key_length);
  EXPECT_EQ(AesGcm::create(lib(), std::vector<uint8_t>(16), hex("000000"), 16, g).code, CryptoErrc::invalid_key_length);
  EXPECT_EQ(AesGcm::create(lib(), std::vector<uint8_t>(16), hex("00000000"), 10, g).code, CryptoErrc::invalid_tag_length);
  ASSERT_TRUE(AesGcm::create(lib(), std::vector<uint8_t>(32), hex("00000000"), 16, g).ok());
  std::vector<uint8_t> buf(4), tag(16);
  EXPECT_EQ(g->encrypt(hex("00"), {}, buf, buf, tag).code, CryptoErrc::invalid_iv_length);
}

}  // namespace
}  // namespace cts::crypto
