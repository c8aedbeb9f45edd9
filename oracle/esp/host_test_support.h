// Helpers for the packet-layer tests (header only, never part of the library): loading the
// known-answer files copied under oracle/esp/testdata/ and turning a vector into SA parameters.
#pragma once

#include <gtest/gtest.h>

#include <cstdint>
#include <fstream>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "oracle/esp/ah_sa.h"
#include "oracle/esp/esp_host.h"
#include "oracle/esp/esp_test_support.h"

namespace cts::esp::testing {

inline nlohmann::json load_testdata(const std::string& file) {
  const std::string path = std::string(CTS_SOURCE_ROOT) + "/oracle/esp/testdata/" + file;
  std::ifstream in(path);
  if (!in) {
    ADD_FAILURE() << "cannot open " << path;
    return nlohmann::json::object();
  }
  return nlohmann::json::parse(in);
}

inline std::vector<uint8_t> hexfield(const nlohmann::json& j, const char* key) {
  if (!j.contains(key) || !j[key].is_string()) return {};
  return hex(j[key].get<std::string>());
}

inline uint64_t hexnum(const nlohmann::json& j, const char* key) {
  return std::stoull(j.at(key).get<std::string>(), nullptr, 16);
}

// Tunnel parameters taken from the expected outer header: addresses, TTL/Hop Limit and DF are
// the source implementation's choices (vector notes), the rest follows RFC 4301 §5.1.2.
inline TunnelConfig tunnel_from_outer(const std::vector<uint8_t>& pkt) {
  TunnelConfig t;
  t.outer_version = static_cast<uint8_t>(pkt.at(0) >> 4);
  if (t.outer_version == 4) {
    std::copy(pkt.begin() + 12, pkt.begin() + 16, t.source.begin());
    std::copy(pkt.begin() + 16, pkt.begin() + 20, t.destination.begin());
    t.ttl = pkt[8];
    t.df = (pkt[6] & 0x40) ? DfPolicy::kSet : DfPolicy::kClear;
  } else {
    std::copy(pkt.begin() + 8, pkt.begin() + 24, t.source.begin());
    std::copy(pkt.begin() + 24, pkt.begin() + 40, t.destination.begin());
    t.ttl = pkt[7];
  }
  return t;
}

inline uint16_t outer_id(const std::vector<uint8_t>& pkt) {
  return pkt.at(0) >> 4 == 4 ? static_cast<uint16_t>(pkt[4] << 8 | pkt[5]) : 0;
}

// ESP suite of an esp-known-answers.json vector.
inline bool esp_suite_of(const nlohmann::json& alg, EspSuite& s) {
  const std::string enc = alg.at("encryption").get<std::string>();
  const int bits = alg.contains("aes_key_bits") && alg["aes_key_bits"].is_number() ? alg["aes_key_bits"].get<int>() : 0;
  const int icv = alg.at("icv_bytes").get<int>();
  s = EspSuite{};
  if (enc == "NULL") s.encryption = EspEncryption::null;
  else if (enc == "AES-CBC") s.encryption = bits == 256 ? EspEncryption::aes_256_cbc : bits == 192 ? EspEncryption::aes_192_cbc : EspEncryption::aes_128_cbc;
  else if (enc == "AES-GCM") {
    s.encryption = bits == 256 ? EspEncryption::aes_256_gcm : bits == 192 ? EspEncryption::aes_192_gcm : EspEncryption::aes_128_gcm;
    s.gcm_icv_size = static_cast<uint8_t>(icv);
  } else if (enc == "AES-GMAC") s.encryption = bits == 256 ? EspEncryption::aes_256_gmac : bits == 192 ? EspEncryption::aes_192_gmac : EspEncryption::aes_128_gmac;
  else return false;
  const auto& integ = alg.at("integrity");
  if (integ.is_null()) s.integrity = EspIntegrity::none;
  else {
    const std::string i = integ.get<std::string>();
    if (i == "HMAC-MD5-96") s.integrity = EspIntegrity::hmac_md5_96;
    else if (i == "HMAC-SHA1-96") s.integrity = EspIntegrity::hmac_sha1_96;
    else if (i == "HMAC-SHA-256-128") s.integrity = EspIntegrity::hmac_sha256_128;
    else if (i == "HMAC-SHA-384-192") s.integrity = EspIntegrity::hmac_sha384_192;
    else if (i == "HMAC-SHA-512-256") s.integrity = EspIntegrity::hmac_sha512_256;
    else return false;
  }
  return true;
}

// ESP SA of a vector; `initial` = last sent (outbound) or T (inbound).
inline EspSaConfig esp_config_of(const nlohmann::json& v, uint64_t initial) {
  EspSaConfig c;
  EXPECT_TRUE(esp_suite_of(v.at("algorithm"), c.suite)) << v.at("name");
  c.spi = static_cast<uint32_t>(hexnum(v, "spi"));
  const auto& k = v.at("keys");
  if (is_combined(c.suite.encryption)) c.encryption_key.assign(hexfield(k, "keymat"));
  else c.encryption_key.assign(hexfield(k, "enc_key"));
  c.integrity_key.assign(hexfield(k, "auth_key"));
  c.esn = v.value("esn", false);
  c.initial_sequence = initial;
  c.anti_replay = has_integrity(c.suite);
  return c;
}

inline AhAlgorithm ah_algorithm_of(const std::string& s) {
  if (s == "HMAC-MD5-96") return AhAlgorithm::hmac_md5_96;
  if (s == "HMAC-SHA1-96") return AhAlgorithm::hmac_sha1_96;
  if (s == "HMAC-SHA-256-128") return AhAlgorithm::hmac_sha256_128;
  if (s == "AES-128-GMAC") return AhAlgorithm::aes_128_gmac;
  if (s == "AES-192-GMAC") return AhAlgorithm::aes_192_gmac;
  if (s == "AES-256-GMAC") return AhAlgorithm::aes_256_gmac;
  ADD_FAILURE() << "unknown AH algorithm " << s;
  return AhAlgorithm::hmac_sha256_128;
}

inline AhSaConfig ah_config_of(const nlohmann::json& v, uint64_t initial) {
  AhSaConfig c;
  c.algorithm = ah_algorithm_of(v.at("algorithm").at("integrity").get<std::string>());
  c.spi = static_cast<uint32_t>(hexnum(v, "spi"));
  const auto& k = v.at("keys");
  c.key.assign(is_gmac(c.algorithm) ? hexfield(k, "keymat") : hexfield(k, "auth_key"));
  c.esn = v.value("esn", false);
  c.initial_sequence = initial;
  return c;
}

inline std::unique_ptr<EspHost> make_host(uint64_t seed = 7) {
  static std::vector<std::unique_ptr<crypto::SeededRandomSource>> rngs;  // outlive the hosts
  rngs.push_back(seeded(seed));
  std::unique_ptr<EspHost> h;
  EXPECT_TRUE(EspHost::create(h, rngs.back().get(), &library()).ok());
  return h;
}

inline std::string hexs(ConstBytes b) { return crypto::to_hex(b); }

}  // namespace cts::esp::testing
