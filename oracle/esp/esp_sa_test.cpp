// Suite names, sizes and SA validation (RFC 4303, 4106, 4543, 3602, 4868 sizes; ESP-004; GCM-006; OQ-07).
#include "oracle/esp/esp_sa.h"

#include <gtest/gtest.h>

#include <set>

#include "oracle/esp/esp_test_support.h"
#include "oracle/esp/verdict.h"

namespace cts::esp {
namespace {

TEST(EspSuite, CanonicalNamesRoundTripAndAreUnique) {
  std::set<std::string> seen;
  for (const EspSuite& s : all_suites()) {
    const std::string name = format_suite(s);
    EXPECT_TRUE(seen.insert(name).second) << "duplicate name " << name;
    EspSuite back;
    ASSERT_TRUE(parse_suite(name, back)) << name;
    EXPECT_EQ(back, s) << name;
  }
  EXPECT_GE(seen.size(), 40u);
}

TEST(EspSuite, NamesFromTheBrief) {
  EspSuite s;
  ASSERT_TRUE(parse_suite("aes-128-gcm", s));
  EXPECT_EQ(s.encryption, EspEncryption::aes_128_gcm);
  EXPECT_EQ(icv_size(s), 16u);
  ASSERT_TRUE(parse_suite("aes-128-cbc-hmac-sha1", s));
  EXPECT_EQ(s.integrity, EspIntegrity::hmac_sha1_96);
  EXPECT_EQ(icv_size(s), 12u);
  EXPECT_EQ(iv_size(s), 16u);
  ASSERT_TRUE(parse_suite("null-hmac-sha256", s));
  EXPECT_EQ(icv_size(s), 16u);
  EXPECT_EQ(iv_size(s), 0u);
  ASSERT_TRUE(parse_suite("aes-128-gmac", s));
  EXPECT_TRUE(is_gmac(s.encryption));
  ASSERT_TRUE(parse_suite("3des-cbc-hmac-md5", s));
  EXPECT_EQ(pad_modulus(s), 8u);
  EXPECT_EQ(iv_size(s), 8u);
  ASSERT_TRUE(parse_suite("aes-256-gcm-icv8", s));
  EXPECT_EQ(icv_size(s), 8u);
  ASSERT_TRUE(parse_suite("aes-128-cbc-hmac-sha256-128", s));
  EXPECT_EQ(s.integrity, EspIntegrity::hmac_sha256_128);
}

TEST(EspSuite, RefusedNames) {
  EspSuite s;
  for (const char* bad : {"", "null", "aes-128-gcm-hmac-sha1", "aes-128-gmac-hmac-sha1",
                          "aes-128-gcm-icv4", "aes-129-cbc", "aes-128-cbc-", "aes-128-cbc-hmac-sha3",
                          "aes-128-gcmx"}) {
    EXPECT_FALSE(parse_suite(bad, s)) << bad;
  }
}

TEST(EspSaConfig, Validation) {
  EspSuite gcm;
  ASSERT_TRUE(parse_suite("aes-128-gcm", gcm));
  EspSaConfig c = testing::make_config(gcm);
  EXPECT_TRUE(validate_sa_config(c).ok());
  c.spi = 0;
  EXPECT_EQ(validate_sa_config(c).verdict, EspVerdict::invalid_argument);
  c.allow_spi_zero = true;
  EXPECT_TRUE(validate_sa_config(c).ok());
  c = testing::make_config(gcm);
  c.encryption_key.assign(std::vector<uint8_t>(16, 1));  // salt missing under OQ-07
  EXPECT_EQ(validate_sa_config(c).verdict, EspVerdict::invalid_argument);
  c.salt_convention = SaltConvention::separate;
  EXPECT_TRUE(validate_sa_config(c).ok());

  EspSuite hmac;
  ASSERT_TRUE(parse_suite("null-hmac-sha256", hmac));
  c = testing::make_config(hmac);
  c.integrity_key.assign(std::vector<uint8_t>(20, 1));  // RFC 4868 §2.1.1: exactly 32
  EXPECT_EQ(validate_sa_config(c).verdict, EspVerdict::invalid_argument);
  c = testing::make_config(hmac);
  c.initial_sequence = 0x100000000ull;
  EXPECT_EQ(validate_sa_config(c).verdict, EspVerdict::invalid_argument);
}

TEST(EspVerdict, NamesRoundTrip) {
  for (int i = 0; i < kEspVerdictCount; ++i) {
    const auto v = static_cast<EspVerdict>(i);
    EspVerdict back;
    ASSERT_TRUE(verdict_from_name(verdict_name(v), back));
    EXPECT_EQ(back, v);
  }
  EXPECT_EQ(verdict_name(EspVerdict::outside_window), "OUT_OF_WINDOW");
  EXPECT_EQ(verdict_name(EspVerdict::bad_padding), "MALFORMED_PADDING");
  EXPECT_FALSE(is_error(EspVerdict::dummy));
  EXPECT_TRUE(is_error(EspVerdict::bad_icv));
}

}  // namespace
}  // namespace cts::esp
