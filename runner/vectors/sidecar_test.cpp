// Sidecar loader: strictness (unknown fields rejected with file and JSON path), cross-field
// checks, and a canonical writer that round-trips.
#include "runner/vectors/sidecar.h"

#include <gtest/gtest.h>

#include <nlohmann/json.hpp>

namespace cts::vectors {
namespace {

nlohmann::json minimal() {
  return nlohmann::json::parse(R"({
    "schema_version": 1,
    "name": "t",
    "provenance": {"kind": "generated", "tool": "ipsec-cts vectors generate", "tool_version": "0.1.0", "seed": 7},
    "link_type": "ethernet",
    "sas": [{
      "id": "in", "spi": "0x00001001", "direction": "inbound", "mode": "tunnel", "ip_version": 4,
      "source": "192.0.2.1", "destination": "192.0.2.2", "udp_encap": null,
      "suite": "aes-128-gcm", "encryption_key": "000102030405060708090a0b0c0d0e0f", "salt": "a0a1a2a3",
      "esn": true, "initial_sequence": "0x00000000fffffff0", "anti_replay": true, "replay_window": 64
    }],
    "packets": [
      {"index": 0, "sa": "in", "sequence": "0x00000000fffffff1", "esn_high": "0x00000000", "expect": "ok",
       "inner_protocol": 4, "requirements": ["GCM-004", "ESN-005"], "flags": ["valid"]},
      {"index": 1, "sa": "in", "sequence": "0x00000000fffffff1", "esn_high": "0x00000000", "expect": "replay",
       "requirements": ["REPLAY-006"], "flags": ["duplicate"], "twin_of": 0}
    ]
  })");
}

bool parse(const nlohmann::json& j, Sidecar& s, std::string& error) {
  return parse_sidecar(j.dump(), "vec.json", s, error);
}

TEST(Sidecar, LoadsAWellFormedFile) {
  Sidecar s;
  std::string error;
  ASSERT_TRUE(parse(minimal(), s, error)) << error;
  ASSERT_EQ(s.sas.size(), 1u);
  EXPECT_EQ(s.sas[0].spi, 0x1001u);
  EXPECT_EQ(s.sas[0].suite.encryption, esp::EspEncryption::aes_128_gcm);
  EXPECT_EQ(s.sas[0].initial_sequence, 0xfffffff0ull);
  EXPECT_EQ(s.sas[0].salt.size(), 4u);
  ASSERT_EQ(s.packets.size(), 2u);
  EXPECT_EQ(s.packets[1].expect, PacketVerdict::replay);
  EXPECT_EQ(*s.packets[1].twin_of, 0u);
  EXPECT_EQ(*s.packets[0].inner_protocol, 4);
}

TEST(Sidecar, UnknownFieldsAreRejectedWithFileAndPath) {
  struct Case {
    const char* pointer;
    const char* key;
    const char* path;
  } cases[] = {
      {"", "extra", "$.extra"},
      {"/provenance", "sed", "$.provenance.sed"},
      {"/sas/0", "replay_windw", "$.sas[0].replay_windw"},
      {"/packets/1", "expected", "$.packets[1].expected"},
  };
  for (const auto& c : cases) {
    auto j = minimal();
    j[nlohmann::json::json_pointer(c.pointer)][c.key] = 1;
    Sidecar s;
    std::string error;
    EXPECT_FALSE(parse(j, s, error)) << c.path;
    EXPECT_NE(error.find("vec.json"), std::string::npos) << error;
    EXPECT_NE(error.find(c.path), std::string::npos) << error;
    EXPECT_NE(error.find("unknown field"), std::string::npos) << error;
  }
}

TEST(Sidecar, CrossFieldChecksNameThePath) {
  struct Case {
    const char* pointer;
    nlohmann::json value;
    const char* path;
  } cases[] = {
      {"/sas/0/encryption_key", "0001", "$.sas[0].encryption_key"},
      {"/sas/0/salt", nullptr, "$.sas[0].salt"},
      {"/sas/0/suite", "aes-128-gcm-hmac-sha1", "$.sas[0].suite"},
      {"/sas/0/spi", "0x0", "$.sas[0].spi"},
      {"/sas/0/source", "300.1.1.1", "$.sas[0].source"},
      {"/packets/0/sa", "nope", "$.packets[0].sa"},
      {"/packets/0/esn_high", nullptr, "$.packets[0].esn_high"},
      {"/packets/0/expect", "fine", "$.packets[0].expect"},
      {"/packets/0/requirements/0", "gcm4", "$.packets[0].requirements[0]"},
      {"/packets/0/flags/0", "mystery", "$.packets[0].flags[0]"},
      {"/packets/1/index", 5, "$.packets[1].index"},
      {"/packets/1/twin_of", 1, "$.packets[1].twin_of"},
      {"/packets/1/twin_of", 9, "$.packets[1].twin_of"},
      {"/schema_version", 2, "$.schema_version"},
      {"/provenance/kind", "found", "$.provenance.kind"},
      {"/sas/0/anti_replay", "yes", "$.sas[0].anti_replay"},
  };
  for (const auto& c : cases) {
    auto j = minimal();
    j[nlohmann::json::json_pointer(c.pointer)] = c.value;
    Sidecar s;
    std::string error;
    EXPECT_FALSE(parse(j, s, error)) << c.path;
    EXPECT_NE(error.find(c.path), std::string::npos) << c.path << " -> " << error;
  }
}

TEST(Sidecar, AntiReplayWithoutIntegrityIsRefused) {
  auto j = minimal();
  j["sas"][0]["suite"] = "aes-128-cbc";
  j["sas"][0].erase("salt");
  Sidecar s;
  std::string error;
  EXPECT_FALSE(parse(j, s, error));
  EXPECT_NE(error.find("REPLAY-002"), std::string::npos) << error;
}

TEST(Sidecar, InvalidJsonNamesTheFile) {
  Sidecar s;
  std::string error;
  EXPECT_FALSE(parse_sidecar("{", "broken.json", s, error));
  EXPECT_NE(error.find("broken.json"), std::string::npos);
  EXPECT_FALSE(load_sidecar("/nonexistent/x.json", s, error));
  EXPECT_NE(error.find("/nonexistent/x.json"), std::string::npos);
}

TEST(Sidecar, CanonicalTextRoundTrips) {
  Sidecar s;
  std::string error;
  ASSERT_TRUE(parse(minimal(), s, error)) << error;
  const std::string text = sidecar_to_json(s);
  Sidecar again;
  ASSERT_TRUE(parse_sidecar(text, "again.json", again, error)) << error;
  EXPECT_EQ(sidecar_to_json(again), text);
}

TEST(Sidecar, PacketsAreOptional) {
  auto j = minimal();
  j.erase("packets");
  Sidecar s;
  std::string error;
  ASSERT_TRUE(parse(j, s, error)) << error;
  EXPECT_TRUE(s.packets.empty());
}

TEST(Sidecar, AVendorCaptureNeedsNoSeedOrSource) {
  // A capture recorded from a device: SAs only, no expectations, no generator behind it.
  auto j = minimal();
  j.erase("packets");
  j["provenance"] = {{"kind", "captured"}, {"tool", "tcpdump"}, {"tool_version", ""}};
  Sidecar s;
  std::string error;
  ASSERT_TRUE(parse(j, s, error)) << error;
  EXPECT_EQ(s.provenance.kind, "captured");
  j["provenance"]["kind"] = "recorded";
  EXPECT_FALSE(parse(j, s, error));
  EXPECT_NE(error.find("$.provenance.kind"), std::string::npos) << error;
}

TEST(Sidecar, VerdictLabelsRoundTrip) {
  for (auto v : {PacketVerdict::ok, PacketVerdict::bad_icv, PacketVerdict::replay, PacketVerdict::outside_window,
                 PacketVerdict::bad_padding, PacketVerdict::unknown_spi, PacketVerdict::truncated,
                 PacketVerdict::dummy, PacketVerdict::not_esp}) {
    PacketVerdict back;
    ASSERT_TRUE(verdict_from_label(verdict_label(v), back));
    EXPECT_EQ(back, v);
  }
}

}  // namespace
}  // namespace cts::vectors
