// AH layout arithmetic (RFC 4302 §2) and SA validation.
#include "oracle/esp/ah_sa.h"

#include <gtest/gtest.h>

#include "oracle/esp/host_verdict.h"

namespace cts::esp {
namespace {

TEST(AhSa, LengthsFromTheSpecTable) {
  struct Row { AhAlgorithm a; size_t v4, v6; } rows[] = {
      {AhAlgorithm::hmac_md5_96, 24, 24},     {AhAlgorithm::hmac_sha1_96, 24, 24},
      {AhAlgorithm::hmac_sha256_128, 28, 32}, {AhAlgorithm::aes_128_gmac, 36, 40},
      {AhAlgorithm::aes_256_gmac, 36, 40},    {AhAlgorithm::hmac_sha384_192, 36, 40},
      {AhAlgorithm::hmac_sha512_256, 44, 48},
  };
  for (const Row& r : rows) {
    EXPECT_EQ(ah_length(r.a, 4), r.v4) << ah_algorithm_name(r.a);
    EXPECT_EQ(ah_length(r.a, 6), r.v6) << ah_algorithm_name(r.a);
  }
  EXPECT_EQ(ah_payload_len_field(24), 4);  // RFC 4302 §2.2 example: 96-bit ICV -> 4
  EXPECT_EQ(ah_payload_len_field(40), 8);
}

TEST(AhSa, Validation) {
  AhSaConfig c;
  c.spi = 0x100;
  c.algorithm = AhAlgorithm::hmac_sha256_128;
  c.key.assign(std::vector<uint8_t>(32, 1));
  EXPECT_TRUE(validate_ah_config(c).ok());
  c.key.assign(std::vector<uint8_t>(20, 1));  // SHA-256 needs exactly 32 (RFC 4868 §2.1.1)
  EXPECT_EQ(validate_ah_config(c).verdict, EspVerdict::invalid_argument);
  c.algorithm = AhAlgorithm::aes_128_gmac;      // 16 + 4 salt
  EXPECT_TRUE(validate_ah_config(c).ok());
  c.spi = 0;
  EXPECT_EQ(validate_ah_config(c).verdict, EspVerdict::invalid_argument);
  c.spi = 1;
  c.replay_window = 8;
  EXPECT_FALSE(validate_ah_config(c).ok());
  AhAlgorithm a;
  EXPECT_TRUE(parse_ah_algorithm("hmac-sha256-128", a));
  EXPECT_EQ(a, AhAlgorithm::hmac_sha256_128);
  EXPECT_FALSE(parse_ah_algorithm("hmac-sha256-96", a));
}

TEST(HostVerdict, NamesRoundTrip) {
  for (int i = 0; i < kHostVerdictCount; ++i) {
    const auto v = static_cast<HostVerdict>(i);
    HostVerdict back;
    ASSERT_TRUE(host_verdict_from_name(host_verdict_name(v), back)) << i;
    EXPECT_EQ(back, v);
  }
  EXPECT_EQ(host_verdict_name(HostVerdict::bad_padding), "MALFORMED_PADDING");
  EXPECT_FALSE(is_error(HostVerdict::dummy));
  EXPECT_TRUE(is_error(HostVerdict::malformed_length));
}

}  // namespace
}  // namespace cts::esp
