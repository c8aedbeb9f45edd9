// Profile JSON loader: the sample profiles load, every field maps to the NDIS capability bits of
// the algorithm, UDP-ESP and capability constants, and every malformed input is an error naming the
// file and the field.
#include "runner/dut/profile_json.h"

#include <gtest/gtest.h>

#include "oracle/ndis/constants.h"

namespace cts {
namespace {

using namespace cts::ndis;

const std::string kProfiles = std::string(CTS_SOURCE_ROOT) + "/duts/profiles/";

sa::DeviceProfile must_load(const std::string& path) {
  ProfileResult r = load_profile_file(path);
  if (auto* e = std::get_if<ProfileError>(&r)) {
    ADD_FAILURE() << e->to_string();
    return {};
  }
  return std::get<sa::DeviceProfile>(r);
}

ProfileError must_fail(const std::string& text) {
  ProfileResult r = load_profile_json(text, "<test>");
  if (auto* e = std::get_if<ProfileError>(&r)) return *e;
  ADD_FAILURE() << "accepted: " << text;
  return {};
}

const char* kMinimal = R"({"name":"m","capabilities":{"esp":true,"tunnel":true},"pools":{"total_bundles":4}})";

TEST(ProfileJson, SoftnicFile) {
  const sa::DeviceProfile p = must_load(kProfiles + "softnic.json");
  const auto& c = p.capabilities;
  EXPECT_EQ(p.name, "softnic");
  EXPECT_EQ(c.encapsulation, NDIS_ENCAPSULATION_IEEE_802_3);
  EXPECT_TRUE(c.esp);
  EXPECT_FALSE(c.ah);
  EXPECT_FALSE(c.ah_esp_combined);
  EXPECT_TRUE(c.transport);
  EXPECT_TRUE(c.tunnel);
  EXPECT_TRUE(c.ipv6_supported);
  EXPECT_TRUE(c.extended_sequence_numbers);
  EXPECT_EQ(c.udp_esp, 0u);
  EXPECT_EQ(c.authentication_algorithms, 0x2u | 0x4u);          // SHA_1 | SHA_256
  EXPECT_EQ(c.encryption_algorithms, 0x8u | 0x20u | 0x40u);     // GCM-128 | GCM-256 | CBC-128
  EXPECT_EQ(c.sa_offload_capacity, 2048u);
  EXPECT_EQ(p.pools.inbound_bundles.value_or(0), 1024u);
  EXPECT_EQ(p.pools.outbound_bundles.value_or(0), 1024u);
  EXPECT_EQ(p.pools.inbound_destination_addresses.value_or(0), 128u);
  EXPECT_TRUE(p.validation.gcm_key_includes_salt);
}

TEST(ProfileJson, FullFileAdvertisesEverything) {
  const sa::DeviceProfile p = must_load(kProfiles + "full.json");
  const auto& c = p.capabilities;
  EXPECT_EQ(c.authentication_algorithms, 0x3Fu);
  EXPECT_EQ(c.encryption_algorithms, 0x1FFu);
  EXPECT_EQ(c.udp_esp, 0xFu);
  EXPECT_TRUE(c.ah && c.esp && c.ah_esp_combined && c.transport && c.tunnel &&
              c.transport_tunnel_combined && c.lso_supported && c.extended_sequence_numbers &&
              c.ipv6_supported && c.ipv4_options && c.ipv6_non_ipsec_extension_headers);
  EXPECT_EQ(c.encapsulation & NDIS_ENCAPSULATION_IEEE_802_3, NDIS_ENCAPSULATION_IEEE_802_3);
}

TEST(ProfileJson, EverySampleProfileSatisfiesCap008AndCap009) {
  for (const char* f : {"softnic.json", "full.json"}) {
    const sa::DeviceProfile p = must_load(kProfiles + f);
    EXPECT_TRUE(p.capabilities.encapsulation & NDIS_ENCAPSULATION_IEEE_802_3) << f << " CAP-008";
    EXPECT_TRUE(p.capabilities.tunnel) << f << " CAP-009";
  }
}

TEST(ProfileJson, RoundTrip) {
  for (const sa::DeviceProfile& p : {sa::softnic_profile(), sa::full_profile()}) {
    ProfileResult r = load_profile_json(profile_to_json(p), "<roundtrip>");
    ASSERT_TRUE(std::holds_alternative<sa::DeviceProfile>(r)) << std::get<ProfileError>(r).to_string();
    const sa::DeviceProfile& q = std::get<sa::DeviceProfile>(r);
    EXPECT_EQ(encode_capabilities(q.capabilities), encode_capabilities(p.capabilities));
    EXPECT_EQ(q.pools.total_bundles, p.pools.total_bundles);
    EXPECT_EQ(q.pools.inbound_bundles, p.pools.inbound_bundles);
    EXPECT_EQ(q.pools.outbound_bundles, p.pools.outbound_bundles);
    EXPECT_EQ(q.pools.inbound_destination_addresses, p.pools.inbound_destination_addresses);
  }
}

TEST(ProfileJson, MinimalDefaultsAndOptionalParts) {
  ProfileResult r = load_profile_json(kMinimal, "<m>");
  ASSERT_TRUE(std::holds_alternative<sa::DeviceProfile>(r));
  const sa::DeviceProfile& p = std::get<sa::DeviceProfile>(r);
  EXPECT_EQ(p.capabilities.encapsulation, NDIS_ENCAPSULATION_IEEE_802_3);
  EXPECT_FALSE(p.pools.inbound_bundles.has_value());
  EXPECT_FALSE(p.accepted_spi_range.has_value());
  r = load_profile_json(
      R"({"name":"m","capabilities":{"encryption_algorithms":["IPSEC_OFFLOAD_V2_ENCRYPTION_AES_GCM_128", "AES_CBC_256"],"authentication_algorithms":6},
          "pools":{"total_bundles":4},"accepted_spi_range":{"min":256,"max":4095},
          "validation":{"gcm_key_includes_salt":false}})",
      "<m>");
  ASSERT_TRUE(std::holds_alternative<sa::DeviceProfile>(r)) << std::get<ProfileError>(r).to_string();
  const sa::DeviceProfile& q = std::get<sa::DeviceProfile>(r);
  EXPECT_EQ(q.capabilities.encryption_algorithms, 0x8u | 0x100u);
  EXPECT_EQ(q.capabilities.authentication_algorithms, 6u);
  ASSERT_TRUE(q.accepted_spi_range.has_value());
  EXPECT_EQ(q.accepted_spi_range->min, 256u);
  EXPECT_EQ(q.accepted_spi_range->max, 4095u);
  EXPECT_FALSE(q.validation.gcm_key_includes_salt);
}

TEST(ProfileJson, ErrorsNameTheField) {
  struct Case {
    const char* json;
    const char* where;
  } cases[] = {
      {"{", "<test>"},
      {"[]", "<test>: $"},
      {R"({"capabilities":{},"pools":{"total_bundles":1}})", "name"},
      {R"({"name":"x","pools":{"total_bundles":1}})", "capabilities"},
      {R"({"name":"x","capabilities":{}})", "pools"},
      {R"({"name":"x","capabilities":{},"pools":{}})", "pools.total_bundles"},
      {R"({"name":"x","capabilities":{},"pools":{"total_bundles":0}})", "pools.total_bundles"},
      {R"({"name":"x","capabilities":{},"pools":{"total_bundles":-3}})", "pools.total_bundles"},
      {R"({"name":"x","capabilities":{},"pools":{"total_bundles":99999999}})", "pools.total_bundles"},
      {R"({"name":"x","capabilities":{},"pools":{"total_bundles":"8"}})", "pools.total_bundles"},
      {R"({"name":"x","capabilities":{},"pools":{"total_bundles":8,"inbound_bundles":0}})", "pools.inbound_bundles"},
      {R"({"name":"x","capabilities":{},"pools":{"total_bundles":8,"inbound":4}})", "pools.inbound"},
      {R"({"name":"x","capabilities":{"espp":true},"pools":{"total_bundles":8}})", "capabilities.espp"},
      {R"({"name":"x","capabilities":{"sa_offload_capacity":8},"pools":{"total_bundles":8}})", "capabilities.sa_offload_capacity"},
      {R"({"name":"x","capabilities":{"esp":1},"pools":{"total_bundles":8}})", "capabilities.esp"},
      {R"({"name":"x","capabilities":{"encryption_algorithms":["AES_GCM_129"]},"pools":{"total_bundles":8}})", "capabilities.encryption_algorithms[0]"},
      {R"({"name":"x","capabilities":{"encryption_algorithms":["AES_GCM_128","AES_GCM_128"]},"pools":{"total_bundles":8}})", "capabilities.encryption_algorithms[1]"},
      {R"({"name":"x","capabilities":{"encryption_algorithms":1024},"pools":{"total_bundles":8}})", "capabilities.encryption_algorithms"},
      {R"({"name":"x","capabilities":{"authentication_algorithms":"SHA_1"},"pools":{"total_bundles":8}})", "capabilities.authentication_algorithms"},
      {R"({"name":"x","capabilities":{"udp_esp":["NONE"]},"pools":{"total_bundles":8}})", "capabilities.udp_esp[0]"},
      {R"({"name":"x","capabilities":{"encapsulation":["ETHERNET"]},"pools":{"total_bundles":8}})", "capabilities.encapsulation[0]"},
      {R"({"name":"x","capabilities":{},"pools":{"total_bundles":8},"accepted_spi_range":{"min":9}})", "accepted_spi_range"},
      {R"({"name":"x","capabilities":{},"pools":{"total_bundles":8},"accepted_spi_range":{"min":9,"max":3}})", "accepted_spi_range"},
      {R"({"name":"x","capabilities":{},"pools":{"total_bundles":8},"validation":{"salt":true}})", "validation.salt"},
      {R"({"name":"x","capabilities":{},"pools":{"total_bundles":8},"extra":1})", "extra"},
  };
  for (const Case& c : cases) {
    ProfileError e = must_fail(c.json);
    EXPECT_NE(e.where.find("<test>"), std::string::npos) << "names the origin: " << e.where;
    EXPECT_NE(e.to_string().find(c.where), std::string::npos)
        << c.json << "\n  -> " << e.to_string() << "\n  expected to name " << c.where;
    EXPECT_FALSE(e.message.empty());
  }
}

TEST(ProfileJson, ADirectoryIsNamedAsSuch) {
  ProfileResult r = load_profile_file(kProfiles);
  ASSERT_TRUE(std::holds_alternative<ProfileError>(r));
  EXPECT_NE(std::get<ProfileError>(r).to_string().find("is a directory, not a device profile"),
            std::string::npos)
      << std::get<ProfileError>(r).to_string();
}

TEST(ProfileJson, MissingFileNamesThePath) {
  ProfileResult r = load_profile_file("/nonexistent/dir/profile.json");
  ASSERT_TRUE(std::holds_alternative<ProfileError>(r));
  EXPECT_NE(std::get<ProfileError>(r).where.find("/nonexistent/dir/profile.json"), std::string::npos);
}

}  // namespace
}  // namespace cts
