// esp_sa export: labels and key layout as Wireshark 4.0's packet-ipsec.c expects them (eight
// columns; GCM key = AES key ‖ salt, RFC 4106 §8.1); GMAC is reported, never exported wrong.
#include "runner/vectors/wireshark_esp_sa.h"

#include <gtest/gtest.h>

namespace cts::vectors {
namespace {

SidecarSa make_sa(const std::string& id, const std::string& suite_name) {
  SidecarSa sa;
  sa.id = id;
  sa.spi = 0x1234;
  sa.source = "192.0.2.1";
  sa.destination = "192.0.2.2";
  EXPECT_TRUE(esp::parse_suite(suite_name, sa.suite)) << suite_name;
  sa.encryption_key.assign(esp::cipher_key_size(sa.suite.encryption), 0x11);
  if (esp::is_combined(sa.suite.encryption)) sa.salt = {0xa0, 0xa1, 0xa2, 0xa3};
  sa.integrity_key.assign(esp::integrity_key_size(sa.suite.integrity), 0x22);
  return sa;
}

TEST(WiresharkEspSa, GcmRowHasEightColumnsAndKeyWithSalt) {
  Sidecar s;
  s.name = "v";
  s.sas.push_back(make_sa("a", "aes-128-gcm"));
  const auto rows = esp_sa_rows(s);
  ASSERT_EQ(rows.size(), 1u);
  ASSERT_TRUE(rows[0].supported);
  ASSERT_EQ(rows[0].columns.size(), 8u);
  EXPECT_EQ(rows[0].columns[0], "IPv4");
  EXPECT_EQ(rows[0].columns[3], "0x00001234");
  EXPECT_EQ(rows[0].columns[4], "AES-GCM with 16 octet ICV [RFC4106]");
  EXPECT_EQ(rows[0].columns[5], "0x11111111111111111111111111111111a0a1a2a3");
  EXPECT_EQ(rows[0].columns[6], "NULL");
  EXPECT_EQ(rows[0].columns[7], "");
  EXPECT_EQ(esp_sa_uat_option(rows[0]),
            "uat:esp_sa:\"IPv4\",\"192.0.2.1\",\"192.0.2.2\",\"0x00001234\",\"AES-GCM with 16 octet ICV "
            "[RFC4106]\",\"0x11111111111111111111111111111111a0a1a2a3\",\"NULL\",\"\"");
}

TEST(WiresharkEspSa, CbcHmacLabels) {
  Sidecar s;
  s.sas.push_back(make_sa("a", "aes-256-cbc-hmac-sha256"));
  s.sas.push_back(make_sa("b", "null-hmac-md5"));
  s.sas.push_back(make_sa("c", "aes-128-cbc-hmac-sha512"));
  s.sas[1].ip_version = 6;
  const auto rows = esp_sa_rows(s);
  EXPECT_EQ(rows[0].columns[4], "AES-CBC [RFC3602]");
  EXPECT_EQ(rows[0].columns[6], "HMAC-SHA-256-128 [RFC4868]");
  EXPECT_EQ(rows[0].columns[7].size(), 2u + 64u);
  EXPECT_EQ(rows[1].columns[0], "IPv6");
  EXPECT_EQ(rows[1].columns[4], "NULL");
  EXPECT_EQ(rows[1].columns[5], "");
  EXPECT_EQ(rows[1].columns[6], "HMAC-MD5-96 [RFC2403]");
  EXPECT_EQ(rows[2].columns[6], "HMAC-SHA-512-256 [RFC4868]");
}

TEST(WiresharkEspSa, GmacIsCommentedOutWithTheReason) {
  Sidecar s;
  s.name = "g";
  s.sas.push_back(make_sa("g", "aes-128-gmac"));
  const auto rows = esp_sa_rows(s);
  EXPECT_FALSE(rows[0].supported);
  const std::string table = esp_sa_table(s);
  EXPECT_NE(table.find("# not exported: Wireshark 4.0 has no ENCR_NULL_AUTH_AES_GMAC"), std::string::npos);
  EXPECT_EQ(table.find("\"IPv4\""), std::string::npos);
}

TEST(WiresharkEspSa, EsnStateIsWrittenAsAComment) {
  Sidecar s;
  s.sas.push_back(make_sa("e", "aes-128-cbc-hmac-sha1"));
  s.sas[0].esn = true;
  s.sas[0].initial_sequence = 0x00000001fffffff0ull;
  const std::string table = esp_sa_table(s);
  EXPECT_NE(table.find("ESN (high half at start 0x00000001"), std::string::npos) << table;
  EXPECT_NE(table.find("\"AES-CBC [RFC3602]\""), std::string::npos);
}

}  // namespace
}  // namespace cts::vectors
