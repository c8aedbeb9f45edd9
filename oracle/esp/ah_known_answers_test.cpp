// Every vector of ah-known-answers.json (testdata copy), both directions through EspHost, plus the
// ICV input of each vector rebuilt octet for octet (RFC 4302 §3.3.3).
#include <gtest/gtest.h>

#include "oracle/esp/ah_icv_input.h"
#include "oracle/esp/host_test_support.h"

namespace cts::esp {
namespace {

using namespace testing;
using nlohmann::json;

const json& ah_vectors() {
  static const json doc = load_testdata("ah-known-answers.json");
  return doc.at("vectors");
}

HostSaParams params_for(const json& v, uint64_t initial) {
  HostSaParams p;
  p.mode = v.at("mode") == "tunnel" ? IpsecMode::tunnel : IpsecMode::transport;
  p.ah = ah_config_of(v, initial);
  if (p.mode == IpsecMode::tunnel) p.tunnel = tunnel_from_outer(hexfield(v.at("expected"), "ip_packet"));
  return p;
}

// Packets a sender of this suite would produce from plain_ip_packet (Reserved 0, zero padding,
// minimal length): those vectors are checked byte for byte on protect.
bool sender_reproducible(const json& v) {
  const std::string n = v.at("name");
  return !v.at("plain_ip_packet").is_null() && v.at("expected_result") == "accept" &&
         n != "derived-ipv4-ah-sha256-reserved-nonzero" && n != "derived-ipv6-ah-sha256-icv-padding-a5" &&
         !v.contains("bundle");
}

TEST(AhKnownAnswers, FileHasAllVectors) { EXPECT_EQ(ah_vectors().size(), 27u); }

TEST(AhKnownAnswers, IcvInputMatchesEveryVector) {
  for (const json& v : ah_vectors()) {
    SCOPED_TRACE(v.at("name").get<std::string>());
    const auto pkt = hexfield(v.at("expected"), "ip_packet");
    const auto want = hex(v.at("icv_input").get<std::string>());
    IpLayout layout;
    ASSERT_TRUE(parse_ip(pkt, layout).ok());
    ASSERT_EQ(layout.payload_protocol, kProtoAh);
    ASSERT_EQ(layout.payload_offset, v.at("expected").at("ah_offset").get<uint32_t>());
    const AhAlgorithm alg = ah_algorithm_of(v.at("algorithm").at("integrity"));
    AhIcvRegion region;
    region.ah_offset = layout.payload_offset;
    region.ah_length = (pkt[region.ah_offset + 1] + 2u) * 4u;
    region.icv_offset = static_cast<uint32_t>(kAhFixedSize + ah_iv_size(alg));
    region.icv_length = static_cast<uint32_t>(ah_icv_size(alg));
    region.datagram_length = layout.datagram_length;
    std::vector<uint8_t> got;
    ASSERT_TRUE(build_ah_icv_input(pkt, layout, region, got).ok());
    if (v.value("esn", false)) {  // the vector's input ends with the appended high word
      const uint64_t seq = hexnum(v, "seq");
      for (int s = 24; s >= 0; s -= 8) got.push_back(static_cast<uint8_t>(seq >> (32 + s)));
    }
    EXPECT_EQ(hexs(got), hexs(want));
  }
}

TEST(AhKnownAnswers, ProtectReproducesEveryVector) {
  int checked = 0;
  for (const json& v : ah_vectors()) {
    if (!sender_reproducible(v)) continue;
    SCOPED_TRACE(v.at("name").get<std::string>());
    const uint64_t seq = hexnum(v, "seq");
    auto host = make_host();
    HostSaId id = 0;
    ASSERT_TRUE(host->add_outbound(params_for(v, seq - 1), id).ok());
    const auto plain = hexfield(v, "plain_ip_packet");
    const auto want = hexfield(v.at("expected"), "ip_packet");
    ProtectOptions o;
    if (v.contains("iv")) {
      std::array<uint8_t, 8> iv{};
      const auto b = hexfield(v, "iv");
      std::copy(b.begin(), b.end(), iv.begin());
      o.ah_gmac_iv = iv;
    }
    o.outer_ipv4_id = outer_id(want);
    std::vector<uint8_t> out(want.size() + 64);
    const ProtectResult r = host->protect(id, plain, out, o);
    ASSERT_TRUE(r.status.ok()) << host_verdict_name(r.status.verdict) << ": " << r.status.detail;
    out.resize(r.length);
    EXPECT_EQ(hexs(out), hexs(want));
    EXPECT_EQ(r.ah_offset, v.at("expected").at("ah_offset").get<uint32_t>());
    EXPECT_EQ(r.ah_sequence, seq);
    ++checked;
  }
  EXPECT_EQ(checked, 17);
}

// The [ESP, AH] bundle vector from the cleartext: ESP (AES-128-CBC, no ICV) first, then AH.
TEST(AhKnownAnswers, EspThenAhBundleFromCleartext) {
  const json* vp = nullptr;
  for (const json& v : ah_vectors())
    if (v.contains("bundle")) vp = &v;
  ASSERT_NE(vp, nullptr);
  const json& v = *vp;
  const json& b = v.at("bundle");
  HostSaParams p = params_for(v, 0);
  EspSaConfig e;
  e.spi = 0x4321;
  e.suite = EspSuite{EspEncryption::aes_128_cbc, EspIntegrity::none, 16};
  e.encryption_key.assign(hexfield(b, "esp_enc_key"));
  e.anti_replay = false;  // encryption-only element: AH supplies replay protection (AH-066)
  p.esp = e;
  auto host = make_host();
  HostSaId id = 0;
  ASSERT_TRUE(host->add_outbound(p, id).ok());
  const auto iv = hexfield(b, "esp_iv");
  ProtectOptions o;
  o.esp_iv = iv.data();
  const auto plain = hexfield(b, "original_ip_packet");
  const auto want = hexfield(v.at("expected"), "ip_packet");
  std::vector<uint8_t> out(want.size() + 64);
  const ProtectResult r = host->protect(id, plain, out, o);
  ASSERT_TRUE(r.status.ok()) << r.status.detail;
  out.resize(r.length);
  EXPECT_EQ(hexs(out), hexs(want));
  EXPECT_EQ(r.ah_offset, 20u);   // AhHeaderOffset 5
  EXPECT_EQ(r.esp_offset, 44u);  // EspHeaderOffset 11

  // Receive: AH first, then ESP; the cleartext comes back.
  auto rx = make_host();
  ASSERT_TRUE(rx->add_inbound(p).ok());
  std::vector<uint8_t> back(want.size());
  const UnprotectResult u = rx->unprotect(want, back);
  ASSERT_TRUE(u.status.ok()) << host_verdict_name(u.status.verdict) << ": " << u.status.detail;
  back.resize(u.length);
  EXPECT_EQ(hexs(back), hexs(plain));
  EXPECT_EQ(u.ah_sequence, 1u);
  EXPECT_EQ(u.esp_sequence, 1u);

  // The ESP part alone is refused by the bundle SA (AH required).
  std::vector<uint8_t> tmp(want.size());
  const auto esp_only = hexfield(v, "plain_ip_packet");
  EXPECT_EQ(rx->unprotect(esp_only, tmp).status.verdict, HostVerdict::policy_mismatch);
  // A corrupted ESP octet fails AH (outermost, verified first): ESP is never reached.
  auto bad = want;
  bad[60] ^= 1;
  auto rx2 = make_host();
  ASSERT_TRUE(rx2->add_inbound(p).ok());
  const UnprotectResult ub = rx2->unprotect(bad, tmp);
  EXPECT_EQ(ub.status.verdict, HostVerdict::bad_icv);
  EXPECT_EQ(ub.layer, IpsecLayer::ah);
}

TEST(AhKnownAnswers, UnprotectEveryVector) {
  for (const json& v : ah_vectors()) {
    const std::string name = v.at("name");
    SCOPED_TRACE(name);
    const uint64_t seq = hexnum(v, "seq");
    HostSaParams p = params_for(v, seq - 1);
    if (v.contains("bundle")) {
      // Only AH is checked here (the ESP element is covered by EspThenAhBundleFromCleartext).
      p.esp.reset();
    }
    auto host = make_host();
    ASSERT_TRUE(host->add_inbound(p).ok());
    const auto pkt = hexfield(v.at("expected"), "ip_packet");
    std::vector<uint8_t> out(pkt.size());
    const UnprotectResult u = host->unprotect(pkt, out);
    const std::string expect = v.at("expected_result");
    if (expect == "reject-integrity") {
      EXPECT_EQ(u.status.verdict, HostVerdict::bad_icv) << u.status.detail;
      EXPECT_EQ(host->inbound_ah(p.ah->spi)->window().top(), seq - 1) << "window moved on a bad ICV";
      continue;
    }
    // accept, and "acceptable" (OQ-AH-4) which the default profile accepts.
    ASSERT_TRUE(u.status.ok()) << host_verdict_name(u.status.verdict) << ": " << u.status.detail;
    EXPECT_EQ(u.ah_sequence, seq);
    EXPECT_EQ(u.ah_over_padded, expect == "acceptable");
    out.resize(u.length);
    if (!v.at("plain_ip_packet").is_null() && name != "derived-ipv4-ah-sha256-reserved-nonzero") {
      EXPECT_EQ(hexs(out), hexs(hexfield(v, "plain_ip_packet")));
    }
    if (v.contains("received_ip_packet")) {  // the same datagram after the routers
      auto host2 = make_host();
      ASSERT_TRUE(host2->add_inbound(params_for(v, seq - 1)).ok());
      const auto rcv = hexfield(v, "received_ip_packet");
      std::vector<uint8_t> o2(rcv.size());
      EXPECT_TRUE(host2->unprotect(rcv, o2).status.ok());
    }
  }
}

TEST(AhKnownAnswers, StrictProfileRejectsLinuxOverPadding) {
  for (const json& v : ah_vectors()) {
    if (v.at("expected_result") != "acceptable") continue;
    HostSaParams p = params_for(v, 0);
    p.ah->accept_ipv4_8_octet_aligned = false;
    auto host = make_host();
    ASSERT_TRUE(host->add_inbound(p).ok());
    const auto pkt = hexfield(v.at("expected"), "ip_packet");
    std::vector<uint8_t> out(pkt.size());
    EXPECT_EQ(host->unprotect(pkt, out).status.verdict, HostVerdict::malformed_length);
  }
}

TEST(AhKnownAnswers, EsnWrongHighWordFails) {
  for (const json& v : ah_vectors()) {
    if (!v.value("esn", false)) continue;
    SCOPED_TRACE(v.at("name").get<std::string>());
    const uint64_t seq = hexnum(v, "seq");
    // A receiver one subspace ahead infers a different high word: BAD_ICV, window unchanged.
    HostSaParams p = params_for(v, seq - 1 + (uint64_t{1} << 32));
    auto host = make_host();
    ASSERT_TRUE(host->add_inbound(p).ok());
    const auto pkt = hexfield(v.at("expected"), "ip_packet");
    std::vector<uint8_t> out(pkt.size());
    EXPECT_EQ(host->unprotect(pkt, out).status.verdict, HostVerdict::bad_icv);
    // The same SA without ESN also fails (icv_if_esn_off differs).
    HostSaParams q = params_for(v, 0);
    q.ah->esn = false;
    auto host2 = make_host();
    ASSERT_TRUE(host2->add_inbound(q).ok());
    EXPECT_EQ(host2->unprotect(pkt, out).status.verdict, HostVerdict::bad_icv);
  }
}

TEST(AhKnownAnswers, ReplayOfAVectorIsDetected) {
  const json& v = ah_vectors().at(0);
  auto host = make_host();
  ASSERT_TRUE(host->add_inbound(params_for(v, 0)).ok());
  const auto pkt = hexfield(v.at("expected"), "ip_packet");
  std::vector<uint8_t> out(pkt.size());
  EXPECT_TRUE(host->unprotect(pkt, out).status.ok());
  EXPECT_EQ(host->unprotect(pkt, out).status.verdict, HostVerdict::replay);
}

TEST(AhKnownAnswers, ShortSha256IcvDoesNotConform) {
  // A 96-bit SHA-256 ICV (AH 24 octets, Linux legacy "auth") is refused by length (AH-054).
  const json& v = ah_vectors().at(0);
  auto pkt = hexfield(v.at("expected"), "ip_packet");
  pkt[21] = 4;  // Payload Len as for a 12-octet ICV
  auto host = make_host();
  ASSERT_TRUE(host->add_inbound(params_for(v, 0)).ok());
  std::vector<uint8_t> out(pkt.size());
  EXPECT_EQ(host->unprotect(pkt, out).status.verdict, HostVerdict::malformed_length);
}

}  // namespace
}  // namespace cts::esp
