#include "oracle/esp/ndis_algorithms.h"

#include <gtest/gtest.h>

#include "oracle/ndis/constants.h"

namespace cts::esp {
namespace {

using namespace cts::ndis;

TEST(NdisAlgorithms, EncryptionIdentifiersMapToTheirCiphers) {
  EXPECT_EQ(esp_encryption_of_ndis(IPSEC_OFFLOAD_V2_ENCRYPTION_NONE), EspEncryption::null);
  EXPECT_EQ(esp_encryption_of_ndis(IPSEC_OFFLOAD_V2_ENCRYPTION_DES_CBC), EspEncryption::des_cbc);
  EXPECT_EQ(esp_encryption_of_ndis(IPSEC_OFFLOAD_V2_ENCRYPTION_3_DES_CBC), EspEncryption::des3_cbc);
  EXPECT_EQ(esp_encryption_of_ndis(IPSEC_OFFLOAD_V2_ENCRYPTION_AES_GCM_192), EspEncryption::aes_192_gcm);
  EXPECT_EQ(esp_encryption_of_ndis(IPSEC_OFFLOAD_V2_ENCRYPTION_AES_CBC_256), EspEncryption::aes_256_cbc);
  EXPECT_FALSE(esp_encryption_of_ndis(0));
  EXPECT_FALSE(esp_encryption_of_ndis(IPSEC_OFFLOAD_V2_ENCRYPTION_ALL));
}

TEST(NdisAlgorithms, AuthenticationIdentifiersAreHmacOrGmacAndAllAreAh) {
  EXPECT_EQ(esp_integrity_of_ndis(IPSEC_OFFLOAD_V2_AUTHENTICATION_SHA_1), EspIntegrity::hmac_sha1_96);
  EXPECT_EQ(esp_integrity_of_ndis(IPSEC_OFFLOAD_V2_AUTHENTICATION_SHA_256), EspIntegrity::hmac_sha256_128);
  EXPECT_FALSE(esp_integrity_of_ndis(IPSEC_OFFLOAD_V2_AUTHENTICATION_AES_GCM_128));
  EXPECT_EQ(esp_gmac_of_ndis(IPSEC_OFFLOAD_V2_AUTHENTICATION_AES_GCM_256), EspEncryption::aes_256_gmac);
  EXPECT_FALSE(esp_gmac_of_ndis(IPSEC_OFFLOAD_V2_AUTHENTICATION_MD5));
  EXPECT_EQ(ah_algorithm_of_ndis(IPSEC_OFFLOAD_V2_AUTHENTICATION_MD5), AhAlgorithm::hmac_md5_96);
  EXPECT_EQ(ah_algorithm_of_ndis(IPSEC_OFFLOAD_V2_AUTHENTICATION_AES_GCM_192), AhAlgorithm::aes_192_gmac);
  EXPECT_FALSE(ah_algorithm_of_ndis(0));
}

TEST(NdisAlgorithms, SuitesStateTheIdentifiersAnAddElementCarries) {
  const auto gcm = ndis_identifiers_of(EspSuite{EspEncryption::aes_128_gcm, EspIntegrity::none, 12});
  ASSERT_TRUE(gcm);
  EXPECT_EQ(gcm->encryption, IPSEC_OFFLOAD_V2_ENCRYPTION_AES_GCM_128);
  EXPECT_EQ(gcm->authentication, 0u);  // ADD-021: combined mode names no authentication
  const auto gmac = ndis_identifiers_of(EspSuite{EspEncryption::aes_192_gmac, EspIntegrity::none, 16});
  ASSERT_TRUE(gmac);
  EXPECT_EQ(gmac->encryption, IPSEC_OFFLOAD_V2_ENCRYPTION_NONE);
  EXPECT_EQ(gmac->authentication, IPSEC_OFFLOAD_V2_AUTHENTICATION_AES_GCM_192);
  const auto cbc = ndis_identifiers_of(EspSuite{EspEncryption::aes_256_cbc, EspIntegrity::hmac_sha256_128, 16});
  ASSERT_TRUE(cbc);
  EXPECT_EQ(cbc->encryption, IPSEC_OFFLOAD_V2_ENCRYPTION_AES_CBC_256);
  EXPECT_EQ(cbc->authentication, IPSEC_OFFLOAD_V2_AUTHENTICATION_SHA_256);
  const auto null = ndis_identifiers_of(EspSuite{EspEncryption::null, EspIntegrity::hmac_md5_96, 16});
  ASSERT_TRUE(null);
  EXPECT_EQ(null->encryption, IPSEC_OFFLOAD_V2_ENCRYPTION_NONE);
  EXPECT_EQ(null->authentication, IPSEC_OFFLOAD_V2_AUTHENTICATION_MD5);
  EXPECT_FALSE(ndis_identifiers_of(EspSuite{EspEncryption::aes_128_cbc, EspIntegrity::hmac_sha384_192, 16}));
}

// Both directions come from one table: every identifier maps back to itself.
TEST(NdisAlgorithms, EveryIdentifierRoundTrips) {
  for (uint32_t bit = 1; bit <= IPSEC_OFFLOAD_V2_ENCRYPTION_ALL; bit <<= 1) {
    if (bit == IPSEC_OFFLOAD_V2_ENCRYPTION_NONE) continue;  // NONE needs an integrity to be a suite
    const auto cipher = esp_encryption_of_ndis(bit);
    ASSERT_TRUE(cipher) << bit;
    const auto ids = ndis_identifiers_of(EspSuite{*cipher, is_gcm(*cipher) ? EspIntegrity::none : EspIntegrity::hmac_sha1_96, 16});
    ASSERT_TRUE(ids) << bit;
    EXPECT_EQ(ids->encryption, bit);
  }
  for (uint32_t bit = 1; bit <= IPSEC_OFFLOAD_V2_AUTHENTICATION_ALL; bit <<= 1) {
    EspSuite suite{EspEncryption::null, EspIntegrity::none, 16};
    if (const auto h = esp_integrity_of_ndis(bit)) suite.integrity = *h;
    else if (const auto g = esp_gmac_of_ndis(bit)) suite.encryption = *g;
    else ADD_FAILURE() << bit;
    const auto ids = ndis_identifiers_of(suite);
    ASSERT_TRUE(ids) << bit;
    EXPECT_EQ(ids->authentication, bit);
  }
}

}  // namespace
}  // namespace cts::esp
