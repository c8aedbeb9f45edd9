// Every vector of testdata/esp-known-answers.json, in both directions where it has two:
// esp-packet / ip-packet: outbound with the vector's IV must reproduce the ESP bytes exactly;
// inbound must authenticate, decrypt and return the payload (or fail for the stated reason).
// cipher-primitive / mac-primitive: the crypto adapters against the RFC tables.
// replay-scenario: the packet sequence through an SA registry with the stated window.
// Expected values are the published ones; nothing here is derived from the code under test.
#include <gtest/gtest.h>

#include <nlohmann/json.hpp>

#include <fstream>
#include <map>
#include <set>
#include <string>

#include "oracle/crypto/cbc_cipher.h"
#include "oracle/crypto/hmac.h"
#include "oracle/esp/esp_inbound.h"
#include "oracle/esp/esp_outbound.h"
#include "oracle/esp/esp_sa_registry.h"
#include "oracle/esp/esp_test_support.h"
#include "oracle/esp/esp_trailer.h"

namespace cts::esp {
namespace {

using json = nlohmann::json;
using testing::hex;
using testing::library;

const json& all_vectors() {
  static const json doc = [] {
    const std::string path = std::string(CTS_SOURCE_ROOT) + "/oracle/esp/testdata/esp-known-answers.json";
    std::ifstream in(path);
    if (!in) {
      ADD_FAILURE() << "cannot open " << path;
      return json::object();
    }
    return json::parse(in);
  }();
  return doc;
}

const json& vector_named(const std::string& name) {
  for (const json& v : all_vectors()["vectors"]) {
    if (v["name"] == name) return v;
  }
  static const json none;
  ADD_FAILURE() << "no vector named " << name;
  return none;
}

std::vector<std::string> names_of(std::set<std::string> categories) {
  std::vector<std::string> out;
  for (const json& v : all_vectors()["vectors"]) {
    if (categories.count(v["category"].get<std::string>())) out.push_back(v["name"]);
  }
  return out;
}

std::string test_name(const ::testing::TestParamInfo<std::string>& info) {
  std::string s = info.param;
  for (char& c : s) {
    if (!std::isalnum(static_cast<unsigned char>(c))) c = '_';
  }
  return s;
}

TEST(EspKnownAnswers, FileIsCompleteAndEveryCategoryIsHandled) {
  const json& doc = all_vectors();
  ASSERT_TRUE(doc.contains("vectors"));
  EXPECT_EQ(doc["count"].get<size_t>(), doc["vectors"].size());
  const std::set<std::string> handled = {"esp-packet", "ip-packet", "cipher-primitive",
                                         "mac-primitive", "replay-scenario"};
  for (const json& v : doc["vectors"]) {
    EXPECT_TRUE(handled.count(v["category"].get<std::string>()))
        << v["name"] << ": category " << v["category"] << " has no test";
    EXPECT_TRUE(v["verified"].get<bool>()) << v["name"] << " is not marked verified";
  }
}

// Suite from the vector's "algorithm" object; fails the test on anything unknown.
EspSuite suite_of(const json& alg) {
  EspSuite s;
  const std::string enc = alg["encryption"];
  const int bits = alg.value("aes_key_bits", 0);
  auto aes = [&](EspEncryption e128, EspEncryption e192, EspEncryption e256) {
    return bits == 128 ? e128 : bits == 192 ? e192 : e256;
  };
  if (enc == "NULL") {
    s.encryption = EspEncryption::null;
  } else if (enc == "AES-CBC") {
    s.encryption = aes(EspEncryption::aes_128_cbc, EspEncryption::aes_192_cbc, EspEncryption::aes_256_cbc);
  } else if (enc == "AES-GCM") {
    s.encryption = aes(EspEncryption::aes_128_gcm, EspEncryption::aes_192_gcm, EspEncryption::aes_256_gcm);
    s.gcm_icv_size = static_cast<uint8_t>(alg["icv_bytes"].get<int>());
  } else if (enc == "AES-GMAC") {
    s.encryption = aes(EspEncryption::aes_128_gmac, EspEncryption::aes_192_gmac, EspEncryption::aes_256_gmac);
  } else {
    ADD_FAILURE() << "unknown encryption " << enc;
  }
  const std::string integ = alg["integrity"].is_null() ? "" : alg["integrity"].get<std::string>();
  static const std::map<std::string, EspIntegrity> kInteg = {
      {"", EspIntegrity::none},
      {"HMAC-MD5-96", EspIntegrity::hmac_md5_96},
      {"HMAC-SHA1-96", EspIntegrity::hmac_sha1_96},
      {"HMAC-SHA-256-128", EspIntegrity::hmac_sha256_128},
      {"HMAC-SHA-384-192", EspIntegrity::hmac_sha384_192},
      {"HMAC-SHA-512-256", EspIntegrity::hmac_sha512_256}};
  auto it = kInteg.find(integ);
  if (it == kInteg.end()) {
    ADD_FAILURE() << "unknown integrity " << integ;
  } else {
    s.integrity = it->second;
  }
  EXPECT_EQ(icv_size(s), alg["icv_bytes"].get<size_t>()) << "ICV size disagrees with the vector";
  EXPECT_EQ(iv_size(s), alg["iv_bytes"].get<size_t>()) << "IV size disagrees with the vector";
  return s;
}

uint64_t seq_of(const json& v) { return std::stoull(v["seq"].get<std::string>(), nullptr, 16); }

EspSaConfig config_of(const json& v) {
  EspSaConfig c;
  c.spi = static_cast<uint32_t>(std::stoul(v["spi"].get<std::string>(), nullptr, 16));
  c.suite = suite_of(v["algorithm"]);
  c.esn = v["esn"].get<bool>();
  c.allow_spi_zero = c.spi == 0;  // draft-mcgrew test 4 uses SPI 0 (ESP-002 forbids it on real SAs)
  const json& keys = v["keys"];
  if (is_combined(c.suite.encryption)) {
    // OQ-07: the key block is the KEYMAT (AES key ‖ salt).
    c.encryption_key.assign(hex(keys["keymat"]));
    EXPECT_EQ(crypto::to_hex(c.encryption_key.view()),
              keys["enc_key"].get<std::string>() + keys["salt"].get<std::string>());
  } else if (keys.contains("enc_key")) {
    c.encryption_key.assign(hex(keys["enc_key"]));
  }
  if (keys.contains("auth_key")) c.integrity_key.assign(hex(keys["auth_key"]));
  c.anti_replay = has_integrity(c.suite);
  return c;
}

// The ESP part of an ip-packet vector's expected IP datagram, found with a minimal header walk
// (the full IP framing is tested by the IP layer's own tests).
std::vector<uint8_t> esp_from_ip(const std::vector<uint8_t>& ip, bool udp) {
  size_t off = 0;
  uint8_t proto = 0;
  if ((ip.at(0) >> 4) == 4) {
    off = size_t{ip.at(0) & 0xFu} * 4;
    proto = ip.at(9);
  } else {
    off = 40;
    proto = ip.at(6);
    while (proto == 0 || proto == 43 || proto == 60) {  // Hop-by-Hop, Routing, Destination Options
      proto = ip.at(off);
      off += (size_t{ip.at(off + 1)} + 1) * 8;
    }
  }
  EXPECT_EQ(proto, udp ? 17 : 50);
  if (udp) off += 8;
  return {ip.begin() + static_cast<std::ptrdiff_t>(off), ip.end()};
}

class EspPacketVector : public ::testing::TestWithParam<std::string> {};

TEST_P(EspPacketVector, OutboundReproducesTheBytes) {
  const json& v = vector_named(GetParam());
  const EspSaConfig base = config_of(v);
  EspSaConfig cfg = base;
  cfg.initial_sequence = seq_of(v) - 1;  // the next packet carries the vector's number
  auto rng = testing::seeded(1);
  std::unique_ptr<EspOutbound> out;
  ASSERT_TRUE(EspOutbound::create(cfg, library(), *rng, out).ok());

  const auto payload = hex(v["inner"]["payload"]);
  const auto iv = hex(v["iv"]);
  const size_t pad = v["inner"]["pad_length"];
  const size_t min_pad = minimal_pad_length(payload.size(), out->transform().pad_modulus());
  ASSERT_GE(pad, min_pad);
  OutboundOptions opt;
  opt.iv = iv.empty() ? nullptr : iv.data();
  opt.extra_padding = pad - min_pad;

  std::vector<uint8_t> buf(out->packet_size(payload.size(), opt));
  const OutboundResult r = out->protect(payload, v["inner"]["next_header"].get<uint8_t>(), buf, opt);
  ASSERT_TRUE(r.status.ok()) << verdict_name(r.status.verdict) << ": " << r.status.detail;
  EXPECT_EQ(r.seq, seq_of(v));
  ASSERT_EQ(r.length, buf.size());

  const std::string expected = v["expected"]["esp_packet"];
  const std::string got = crypto::to_hex(buf);
  if (v["expected_result"] == "reject-integrity") {
    // The published packet carries a corrupted ICV: everything before the ICV must match, the
    // ICV we compute must not.
    const size_t icv_hex = icv_size(cfg.suite) * 2;
    EXPECT_EQ(got.substr(0, got.size() - icv_hex), expected.substr(0, expected.size() - icv_hex));
    EXPECT_NE(got.substr(got.size() - icv_hex), expected.substr(expected.size() - icv_hex));
  } else {
    EXPECT_EQ(got, expected);
  }
  if (v["category"] == "ip-packet" && v["expected"].contains("ip_packet")) {
    EXPECT_EQ(crypto::to_hex(esp_from_ip(hex(v["expected"]["ip_packet"]), v["udp_encap"])), expected)
        << "the vector's ip_packet does not carry its esp_packet";
  }
}

TEST_P(EspPacketVector, InboundAcceptsOrRejectsAsStated) {
  const json& v = vector_named(GetParam());
  EspSaConfig cfg = config_of(v);
  // T one below the packet: for ESN this makes App. A2.1 infer the vector's high half.
  cfg.initial_sequence = seq_of(v) - 1;
  std::unique_ptr<EspInbound> in;
  ASSERT_TRUE(EspInbound::create(cfg, library(), in).ok());

  auto pkt = hex(v["expected"]["esp_packet"]);
  const auto original = pkt;
  const InboundResult r = in->process(pkt);
  const std::string want = v["expected_result"];
  if (want == "reject-integrity") {
    EXPECT_EQ(r.status.verdict, EspVerdict::bad_icv) << verdict_name(r.status.verdict);
    EXPECT_EQ(pkt, original) << "a rejected packet must be left unchanged";
    EXPECT_EQ(in->window().top(), cfg.initial_sequence) << "window moved on a bad ICV";
    return;
  }
  const EspVerdict expect = want == "accept" ? EspVerdict::ok : EspVerdict::dummy;
  ASSERT_TRUE(want == "accept" || want == "accept-then-discard-dummy") << want;
  ASSERT_EQ(r.status.verdict, expect) << verdict_name(r.status.verdict) << ": " << r.status.detail;
  EXPECT_EQ(r.seq, seq_of(v));
  EXPECT_EQ(r.next_header, v["inner"]["next_header"].get<uint8_t>());
  EXPECT_EQ(r.pad_length, v["inner"]["pad_length"].get<uint8_t>());
  EXPECT_EQ(crypto::to_hex({pkt.data() + r.payload_offset, r.payload_length}),
            v["inner"]["payload"].get<std::string>());
  const size_t body_len = pkt.size() - r.payload_offset - icv_size(cfg.suite);
  EXPECT_EQ(crypto::to_hex({pkt.data() + r.payload_offset, body_len}),
            v["esp_plaintext"].get<std::string>());
  if (has_integrity(cfg.suite)) {
    EXPECT_EQ(in->window().top(), seq_of(v));
  }
}

INSTANTIATE_TEST_SUITE_P(Vectors, EspPacketVector,
                         ::testing::ValuesIn(names_of({"esp-packet", "ip-packet"})), test_name);

class CipherPrimitiveVector : public ::testing::TestWithParam<std::string> {};

TEST_P(CipherPrimitiveVector, AesCbcMatchesBothWays) {
  const json& v = vector_named(GetParam());
  ASSERT_EQ(v["algorithm"]["encryption"], "AES-CBC");
  const int bits = v["algorithm"]["aes_key_bits"];
  const auto alg = bits == 128 ? crypto::CbcAlgorithm::aes_128
                   : bits == 192 ? crypto::CbcAlgorithm::aes_192 : crypto::CbcAlgorithm::aes_256;
  std::unique_ptr<crypto::CbcCipher> c;
  ASSERT_TRUE(crypto::CbcCipher::create(library(), alg, hex(v["keys"]["enc_key"]), c).ok());
  const auto iv = hex(v["iv"]);
  const auto pt = hex(v["plaintext"]);
  std::vector<uint8_t> ct(pt.size());
  ASSERT_TRUE(c->encrypt(iv, pt, ct).ok());
  EXPECT_EQ(crypto::to_hex(ct), v["expected"]["ciphertext"].get<std::string>());
  std::vector<uint8_t> back(ct.size());
  ASSERT_TRUE(c->decrypt(iv, ct, back).ok());
  EXPECT_EQ(back, pt);
}

INSTANTIATE_TEST_SUITE_P(Vectors, CipherPrimitiveVector,
                         ::testing::ValuesIn(names_of({"cipher-primitive"})), test_name);

class MacPrimitiveVector : public ::testing::TestWithParam<std::string> {};

TEST_P(MacPrimitiveVector, HmacMatches) {
  const json& v = vector_named(GetParam());
  static const std::map<std::string, crypto::HmacAlgorithm> kHash = {
      {"md5", crypto::HmacAlgorithm::md5},
      {"sha1", crypto::HmacAlgorithm::sha1},
      {"sha256", crypto::HmacAlgorithm::sha256},
      {"sha384", crypto::HmacAlgorithm::sha384},
      {"sha512", crypto::HmacAlgorithm::sha512}};
  const auto alg = kHash.at(v["algorithm"]["hash"]);
  const size_t icv = v["algorithm"]["icv_bytes"];
  EXPECT_EQ(crypto::hmac_ipsec_icv_size(alg), icv);
  EXPECT_EQ(crypto::hmac_ipsec_key_size(alg), v["algorithm"]["esp_key_bytes"].get<size_t>());
  const auto key = hex(v["keys"]["auth_key"]);
  EXPECT_EQ(key.size(), v["keys"]["key_bytes"].get<size_t>());
  std::unique_ptr<crypto::Hmac> h;
  ASSERT_TRUE(crypto::Hmac::create(library(), alg, key, icv, h).ok());
  const auto data = hex(v["data"]);
  // Feed the data in two uneven pieces: the adapter must work over a sequence of spans.
  const size_t cut = data.size() / 3;
  const crypto::ByteView parts[] = {crypto::ByteView(data).first(cut), crypto::ByteView(data).subspan(cut)};
  std::vector<uint8_t> out(icv);
  ASSERT_TRUE(h->compute(parts, out).ok());
  EXPECT_EQ(crypto::to_hex(out), v["expected"]["icv_truncated"].get<std::string>());
  EXPECT_TRUE(h->verify(parts, out).ok());
  if (v["expected"].contains("hmac_full")) {
    std::vector<uint8_t> full(h->full_size());
    ASSERT_TRUE(h->compute(parts, full).ok());
    EXPECT_EQ(crypto::to_hex(full), v["expected"]["hmac_full"].get<std::string>());
  }
  if (v["expected"].contains("hmac_truncated_as_published")) {
    EXPECT_EQ(crypto::to_hex(out), v["expected"]["hmac_truncated_as_published"].get<std::string>());
  }
  out[0] ^= 1;
  EXPECT_EQ(h->verify(parts, out).code, crypto::CryptoErrc::authentication_failed);
}

INSTANTIATE_TEST_SUITE_P(Vectors, MacPrimitiveVector,
                         ::testing::ValuesIn(names_of({"mac-primitive"})), test_name);

class ReplayScenarioVector : public ::testing::TestWithParam<std::string> {};

TEST_P(ReplayScenarioVector, VerdictsInOrder) {
  const json& v = vector_named(GetParam());
  EspSaConfig cfg = config_of({{"spi", v["spi"]}, {"algorithm", v["algorithm"]}, {"esn", v["esn"]},
                               {"keys", v["keys"]}});
  cfg.replay_window = v["replay_window"];
  cfg.anti_replay = true;
  EspSaRegistry reg(library());
  ASSERT_TRUE(reg.add(cfg).ok());
  const json& packets = v["packets"];
  const json& expected = v["expected_results"];
  ASSERT_EQ(packets.size(), expected.size());
  static const std::map<std::string, EspVerdict> kResult = {
      {"accept", EspVerdict::ok},
      {"reject-replay", EspVerdict::replay},
      {"reject-out-of-window", EspVerdict::outside_window},
      {"reject-integrity", EspVerdict::bad_icv}};
  for (size_t i = 0; i < packets.size(); ++i) {
    const json& pv = vector_named(packets[i]["packet_vector"]);
    EXPECT_EQ(pv["seq"], packets[i]["seq"]);
    auto pkt = hex(pv["expected"]["esp_packet"]);
    const InboundResult r = reg.process(pkt);
    EXPECT_EQ(r.status.verdict, kResult.at(expected[i]))
        << "packet " << i << ": got " << verdict_name(r.status.verdict) << " (" << r.status.detail << ")";
  }
}

INSTANTIATE_TEST_SUITE_P(Vectors, ReplayScenarioVector,
                         ::testing::ValuesIn(names_of({"replay-scenario"})), test_name);

}  // namespace
}  // namespace cts::esp
