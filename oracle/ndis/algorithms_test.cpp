#include "oracle/ndis/algorithms.h"

#include <gtest/gtest.h>

#include "oracle/ndis/constants.h"

namespace cts::ndis {
namespace {

// Key octets as the RFCs give them: AES-CBC 16/24/32 (RFC 3602), AES-GCM and AES-GMAC 16/24/32
// plus the 4-octet salt, 20/28/36 (RFC 4106 §8.1, RFC 4543 §5.4), DES 8 (RFC 2405), 3DES 24
// (RFC 2451), HMAC-MD5 16 (RFC 2403), HMAC-SHA1 20 (RFC 2404), HMAC-SHA-256 32 (RFC 4868).
struct Expect {
  uint32_t identifier;
  uint32_t key, key_with_salt;
};

TEST(AlgorithmFacts, EncryptionKeySizesAreTheRfcSizes) {
  const Expect rows[] = {
      {0x00000001, 0, 0},    // ENCRYPTION_NONE, RFC 2410
      {0x00000002, 8, 8},    // DES-CBC
      {0x00000004, 24, 24},  // 3DES-CBC
      {0x00000008, 16, 20},  // AES-GCM-128
      {0x00000010, 24, 28},  // AES-GCM-192
      {0x00000020, 32, 36},  // AES-GCM-256
      {0x00000040, 16, 16},  // AES-CBC-128
      {0x00000080, 24, 24},  // AES-CBC-192
      {0x00000100, 32, 32},  // AES-CBC-256
  };
  for (const auto& r : rows) {
    const AlgorithmFacts* f = encryption_facts(r.identifier);
    ASSERT_NE(f, nullptr) << r.identifier;
    EXPECT_EQ(key_block_length(*f, false), r.key) << f->name;
    EXPECT_EQ(key_block_length(*f, true), r.key_with_salt) << f->name;
  }
}

TEST(AlgorithmFacts, AuthenticationKeyAndIcvSizesAreTheRfcSizes) {
  struct Row {
    uint32_t identifier;
    uint32_t key, key_with_salt, icv;
  };
  const Row rows[] = {
      {0x01, 16, 16, 12},  // HMAC-MD5-96, RFC 2403
      {0x02, 20, 20, 12},  // HMAC-SHA1-96, RFC 2404
      {0x04, 32, 32, 16},  // HMAC-SHA2-256-128, RFC 4868
      {0x08, 16, 20, 16},  // AES-GMAC-128, RFC 4543
      {0x10, 24, 28, 16},
      {0x20, 32, 36, 16},
  };
  for (const auto& r : rows) {
    const AlgorithmFacts* f = authentication_facts(r.identifier);
    ASSERT_NE(f, nullptr) << r.identifier;
    EXPECT_EQ(key_block_length(*f, false), r.key) << f->name;
    EXPECT_EQ(key_block_length(*f, true), r.key_with_salt) << f->name;
    EXPECT_EQ(f->icv_length, r.icv) << f->name;
  }
}

TEST(AlgorithmFacts, OnlySingleDefinedIdentifiersHaveFacts) {
  EXPECT_EQ(encryption_facts(0), nullptr);
  EXPECT_EQ(authentication_facts(0), nullptr);
  EXPECT_EQ(encryption_facts(IPSEC_OFFLOAD_V2_ENCRYPTION_AES_CBC_128 | IPSEC_OFFLOAD_V2_ENCRYPTION_AES_GCM_128), nullptr);
  EXPECT_EQ(encryption_facts(0x200), nullptr);
  EXPECT_EQ(authentication_facts(0x40), nullptr);
  // Every bit of the _ALL masks is one algorithm with facts.
  for (uint32_t bit = 1; bit != 0 && bit <= IPSEC_OFFLOAD_V2_ENCRYPTION_ALL; bit <<= 1)
    EXPECT_NE(encryption_facts(bit), nullptr) << bit;
  for (uint32_t bit = 1; bit <= IPSEC_OFFLOAD_V2_AUTHENTICATION_ALL; bit <<= 1)
    EXPECT_NE(authentication_facts(bit), nullptr) << bit;
}

}  // namespace
}  // namespace cts::ndis
