// SendJudge: accepts a correct device whatever IV it chose, and names every way a device can get a
// send wrong (bad ICV, stale ESN high half, changed headers, nonce reuse).
#include "oracle/esp/send_judge.h"

#include <gtest/gtest.h>
#include <openssl/evp.h>
#include <openssl/hmac.h>

#include "oracle/esp/nic_test_support.h"

namespace cts::esp {
namespace {

using namespace cts::ndis;
using namespace cts::esp::testing;

struct Sent {
  std::vector<uint8_t> framed;
  std::vector<uint8_t> wire;
  SendOob oob;
};

Sent send_with(Rig& rig, sa::Handle h, const std::vector<uint8_t>& framed_ip) {
  Sent s;
  s.framed = ethernet(framed_ip);
  s.wire = s.framed;
  s.oob = oob_for(h);
  EXPECT_EQ(rig.nic->send(s.wire, s.oob).completion_status, NDIS_STATUS_SUCCESS);
  return s;
}

bool mentions(const SendJudgement& j, const std::string& what) {
  for (const auto& f : j.findings) {
    if (f.find(what) != std::string::npos) return true;
  }
  return false;
}

TEST(SendJudge, AcceptsTheNicModelsOwnOutputForEveryShape) {
  Rig rig;
  auto judge = SendJudge::create(rig.dev.table());
  ASSERT_NE(judge, nullptr);
  for (const char* name : {"dpdk-gcm128-ipv4-tunnel-seq1", "odp-ipv4-transport-aes128cbc-hmac-sha1-96",
                           "odp-ipv4-transport-null-hmac-sha256", "odp-ipv4-udp-encap-transport-null-hmac-sha256",
                           "odp-ipv6-in-ipv6-tunnel-null-hmac-sha256"}) {
    const json& v = esp_vector(name);
    const std::vector<uint8_t> wire = hexfield(v["expected"], "ip_packet");
    const sa::Handle h = rig.add(esp_element(v, wire, false));
    const Sent s = send_with(rig, h, framed_from(v, wire, v["udp_encap"].get<bool>() ? 28 : ((wire[0] >> 4) == 6 ? 40 : 20)));
    const SendJudgement j = judge->judge(s.framed, s.oob, s.wire);
    EXPECT_TRUE(j.pass) << name << ": " << (j.findings.empty() ? "" : j.findings[0]);
  }
  const json& a = ah_vector("derived-ipv4-transport-ah-hmac-sha1-96-esn");
  const std::vector<uint8_t> ah_wire = hexfield(a["expected"], "ip_packet");
  const sa::Handle ah = rig.add(ah_element(a, ah_wire, false));
  // The transport hands down the ICV octets as zero placeholders (OQ-AH-2).
  std::vector<uint8_t> ah_framed = ah_wire;
  const size_t icv_at = a["expected"]["ah_offset"].get<size_t>() + 12;
  std::fill(ah_framed.begin() + static_cast<long>(icv_at),
            ah_framed.begin() + static_cast<long>(icv_at + a["algorithm"]["icv_bytes"].get<size_t>()), 0);
  const Sent s = send_with(rig, ah, ah_framed);
  EXPECT_EQ(s.wire, ethernet(ah_wire));  // the NIC model computes the published ICV
  EXPECT_TRUE(judge->judge(s.framed, s.oob, s.wire).pass);
  EXPECT_GE(judge->ivs_recorded(), 2u);
}

TEST(SendJudge, UDPENC006_AStaleUdpChecksumIsNamedAndZeroIsAccepted) {
  // A NIC that fills in IV and ICV but leaves the UDP checksum the transport computed over the
  // placeholders sends packets a checksum-verifying receiver drops.
  const json& v = esp_vector("odp-ipv4-udp-encap-transport-null-hmac-sha256");
  const std::vector<uint8_t> wire = hexfield(v["expected"], "ip_packet");
  Rig rig;
  const sa::Handle h = rig.add(esp_element(v, wire, false));
  auto judge = SendJudge::create(rig.dev.table());
  Sent s = send_with(rig, h, framed_from(v, wire, 28));
  const size_t csum = 14 + 20 + 6;  // Ethernet, IPv4, UDP checksum field
  ASSERT_EQ(s.wire[csum], 0);        // published with a zero checksum, and the NIC keeps it
  EXPECT_TRUE(judge->judge(s.framed, s.oob, s.wire).pass);
  s.wire[csum] = 0x12;  // neither zero nor correct
  s.wire[csum + 1] = 0x34;
  const SendJudgement j = judge->judge(s.framed, s.oob, s.wire);
  EXPECT_FALSE(j.pass);
  EXPECT_TRUE(mentions(j, "UDPENC-006")) << (j.findings.empty() ? "" : j.findings[0]);
  EXPECT_TRUE(mentions(j, "0x1234"));
}

TEST(SendJudge, GcmIvReuseUnderOneKeyIsCritical) {
  // The transport hands down the same sequence number twice; a NIC that derives its GCM IV from
  // it (OQ-16) reuses a nonce. The judge must call that critical.
  const json& v = esp_vector("dpdk-gcm128-ipv4-tunnel-seq1");
  const std::vector<uint8_t> wire = hexfield(v["expected"], "ip_packet");
  Rig rig;
  const sa::Handle h = rig.add(esp_element(v, wire, false));
  auto judge = SendJudge::create(rig.dev.table());
  const Sent first = send_with(rig, h, framed_from(v, wire, 20));
  EXPECT_TRUE(judge->judge(first.framed, first.oob, first.wire).pass);
  const Sent again = send_with(rig, h, framed_from(v, wire, 20));
  const SendJudgement j = judge->judge(again.framed, again.oob, again.wire);
  EXPECT_FALSE(j.pass);
  EXPECT_TRUE(j.critical);
  EXPECT_TRUE(mentions(j, "CRITICAL"));
  // The same key added again as another SA shares the IV history.
  const sa::Handle h2 = rig.add(esp_element(v, wire, false));
  const Sent third = send_with(rig, h2, framed_from(v, wire, 20));
  EXPECT_TRUE(judge->judge(third.framed, third.oob, third.wire).critical);
}

TEST(SendJudge, CbcIvRepeatIsAFailureButNotCritical) {
  const json& v = esp_vector("odp-ipv4-transport-aes128cbc-hmac-sha1-96");
  const std::vector<uint8_t> wire = hexfield(v["expected"], "ip_packet");
  Rig rig;
  const sa::Handle h = rig.add(esp_element(v, wire, false));
  rig.impose_iv(hexfield(v, "iv"));  // a device with a constant CBC IV
  auto judge = SendJudge::create(rig.dev.table());
  const Sent a = send_with(rig, h, framed_from(v, wire, 20));
  EXPECT_TRUE(judge->judge(a.framed, a.oob, a.wire).pass);
  const Sent b = send_with(rig, h, framed_from(v, wire, 20));
  const SendJudgement j = judge->judge(b.framed, b.oob, b.wire);
  EXPECT_FALSE(j.pass);
  EXPECT_FALSE(j.critical);
  EXPECT_TRUE(mentions(j, "RFC 3602"));
}

TEST(SendJudge, CBC002_CounterAndChainedIvsAreNamed) {
  const json& v = esp_vector("odp-ipv4-transport-aes128cbc-hmac-sha1-96");
  const std::vector<uint8_t> wire = hexfield(v["expected"], "ip_packet");
  Rig rig;
  const sa::Handle h = rig.add(esp_element(v, wire, false));
  auto judge = SendJudge::create(rig.dev.table());
  std::vector<uint8_t> iv = hexfield(v, "iv");
  rig.impose_iv(iv);
  const Sent a = send_with(rig, h, framed_from(v, wire, 20));
  EXPECT_TRUE(judge->judge(a.framed, a.oob, a.wire).pass);
  iv.back() = static_cast<uint8_t>(iv.back() + 1);  // a device counting its IVs
  rig.impose_iv(iv);
  const Sent b = send_with(rig, h, framed_from(v, wire, 20));
  const SendJudgement counter = judge->judge(b.framed, b.oob, b.wire);
  EXPECT_FALSE(counter.pass);
  EXPECT_TRUE(mentions(counter, "counter")) << (counter.findings.empty() ? "" : counter.findings[0]);
  ASSERT_EQ(counter.iv_repeats.size(), 1u);
  EXPECT_EQ(counter.iv_repeats[0].requirement, "CBC-002");
  // The next IV is the last ciphertext block of the packet before it (ICV: 12 octets).
  const std::vector<uint8_t> last(b.wire.end() - 12 - 16, b.wire.end() - 12);
  rig.impose_iv(last);
  const Sent c = send_with(rig, h, framed_from(v, wire, 20));
  const SendJudgement chained = judge->judge(c.framed, c.oob, c.wire);
  EXPECT_FALSE(chained.pass);
  EXPECT_TRUE(mentions(chained, "last ciphertext block")) << (chained.findings.empty() ? "" : chained.findings[0]);
}

TEST(SendJudge, SEND017_IcvWithAStaleHighHalfIsNamed) {
  const json& v = esp_vector("mcgrew-gcm-test-01-gcm128-esn");
  const std::vector<uint8_t> wire = ipv4_around(hexfield(v["expected"], "esp_packet"));
  Rig oracle_rig;  // the oracle's table: the SA after UPDATE_SA to 0x87654321
  const sa::Handle h = oracle_rig.add(esp_element(v, wire, false));
  Rig device;      // a device that missed the update
  ndis::AddSaElement stale = esp_element(v, wire, false);
  stale.sec_assoc[0].sequence_number_high_order = 0x87654320;
  const sa::Handle dh = device.add(stale);
  Sent s = send_with(device, dh, framed_from(v, wire, 20));
  s.oob.offload_handle = h;
  auto judge = SendJudge::create(oracle_rig.dev.table());
  const SendJudgement j = judge->judge(s.framed, s.oob, s.wire);
  EXPECT_FALSE(j.pass);
  EXPECT_TRUE(mentions(j, "SEND-017")) << (j.findings.empty() ? "" : j.findings[0]);
  EXPECT_TRUE(mentions(j, "0x87654321"));
}

TEST(SendJudge, ChangedHeaderOrPayloadIsNamedWithOffsets) {
  const json& v = esp_vector("odp-ipv4-transport-null-hmac-sha256");
  const std::vector<uint8_t> wire = hexfield(v["expected"], "ip_packet");
  Rig rig;
  const sa::Handle h = rig.add(esp_element(v, wire, false));
  auto judge = SendJudge::create(rig.dev.table());
  Sent s = send_with(rig, h, framed_from(v, wire, 20));
  s.wire[14 + 8] = 1;  // the device rewrote the TTL (not covered by ESP's ICV)
  const SendJudgement j = judge->judge(s.framed, s.oob, s.wire);
  EXPECT_FALSE(j.pass);
  EXPECT_TRUE(mentions(j, "IP header changed: 1 byte(s) from offset 22"));
  EXPECT_EQ(j.verdict, PacketVerdict::corrupt);
  EXPECT_EQ(j.requirements, std::vector<std::string>{"SEND-010"});
  Sent t = send_with(rig, h, framed_from(v, wire, 20));
  t.wire[t.wire.size() - 20] ^= 4;  // ciphertext/trailer damaged: ICV fails
  EXPECT_TRUE(mentions(judge->judge(t.framed, t.oob, t.wire), "ICV"));
}

TEST(SendJudge, SEND005_SEND006_ZeroAndUnknownHandles) {
  Rig rig;
  auto judge = SendJudge::create(rig.dev.table());
  const std::vector<uint8_t> frame = ethernet(hex("4500001c000100004011f9c3c0000201c00002020035003500080000"));
  std::vector<uint8_t> changed = frame;
  changed.back() ^= 1;
  EXPECT_TRUE(judge->judge(frame, SendOob{}, frame).pass);
  EXPECT_FALSE(judge->judge(frame, SendOob{}, changed).pass);
  EXPECT_TRUE(mentions(judge->judge(frame, oob_for(0x1234567), frame), "SEND-006"));
  EXPECT_FALSE(judge->judge(frame, SendOob{}, std::vector<uint8_t>(frame.begin(), frame.end() - 1)).pass);
}

// ---- AH (RFC 4302) against the OpenDataPlane known answer: the wire packet is ODP's, every
// "device" variant's ICV is computed here with OpenSSL's one-shot HMAC over an ICV input
// written out by hand, not by the oracle's AH code under test.

bool names(const SendJudgement& j, const std::string& id) {
  return std::find(j.requirements.begin(), j.requirements.end(), id) != j.requirements.end();
}

struct AhCase {
  json v = ah_vector("odp-ipv4-transport-ah-hmac-sha256");
  std::vector<uint8_t> wire = hexfield(v["expected"], "ip_packet");
  std::vector<uint8_t> key = hexfield(v["keys"], "auth_key");
  static constexpr size_t kAh = 20, kIcv = 32, kIcvLen = 16;  // AH at 20; ICV at AH + 12

  std::vector<uint8_t> framed() const {  // the transport's frame: ICV placeholder zero (OQ-AH-2)
    std::vector<uint8_t> f = wire;
    std::fill(f.begin() + kIcv, f.begin() + kIcv + kIcvLen, 0);
    return f;
  }
  // A device's packet: `ip` with its ICV set to HMAC-SHA-256-128 over `icv_input`.
  std::vector<uint8_t> signed_as(std::vector<uint8_t> ip, const std::vector<uint8_t>& icv_input) const {
    uint8_t mac[32];
    unsigned int n = 0;
    HMAC(EVP_sha256(), key.data(), static_cast<int>(key.size()), icv_input.data(), icv_input.size(), mac, &n);
    std::copy(mac, mac + kIcvLen, ip.begin() + kIcv);
    return ip;
  }
  // RFC 4302 §3.3.3.1.1.1: TOS, flags/offset, TTL and checksum zero; the ICV field zero.
  static std::vector<uint8_t> icv_input_of(std::vector<uint8_t> ip) {
    ip[1] = 0;
    ip[6] = ip[7] = 0;
    ip[8] = 0;
    ip[10] = ip[11] = 0;
    std::fill(ip.begin() + kIcv, ip.begin() + kIcv + kIcvLen, 0);
    return ip;
  }
};

TEST(SendJudge, AH_OdpKnownAnswerIsProtectedAndItsIcvInputIsTheRfcs) {
  AhCase c;
  // The hand-written ICV input equals the vector's own (so the helpers below are right).
  EXPECT_EQ(crypto::to_hex(AhCase::icv_input_of(c.wire)), c.v["icv_input"].get<std::string>());
  EXPECT_EQ(c.signed_as(c.wire, AhCase::icv_input_of(c.wire)), c.wire);
  Rig rig;
  const sa::Handle h = rig.add(ah_element(c.v, c.wire, false));
  auto judge = SendJudge::create(rig.dev.table());
  const SendJudgement j = judge->judge(ethernet(c.framed()), oob_for(h), ethernet(c.wire));
  EXPECT_TRUE(j.pass) << j.detail();
  EXPECT_EQ(j.verdict, PacketVerdict::protected_frame);
  // Nothing done: the frame left as framed.
  const SendJudgement clear = judge->judge(ethernet(c.framed()), oob_for(h), ethernet(c.framed()));
  EXPECT_EQ(clear.verdict, PacketVerdict::clear);
  EXPECT_TRUE(names(clear, "SEND-009"));
}

TEST(SendJudge, AH_IcvOverMutableFieldsAsSentIsNamed) {
  // A device that feeds TTL and checksum into the ICV as they are (AH-023/AH-024): the ICV is
  // HMAC over the raw header, which a receiver (zeroing them) never reproduces.
  AhCase c;
  std::vector<uint8_t> raw = c.wire;
  std::fill(raw.begin() + AhCase::kIcv, raw.begin() + AhCase::kIcv + AhCase::kIcvLen, 0);
  const std::vector<uint8_t> device = c.signed_as(c.wire, raw);
  ASSERT_NE(device, c.wire);
  Rig rig;
  const sa::Handle h = rig.add(ah_element(c.v, c.wire, false));
  auto judge = SendJudge::create(rig.dev.table());
  const SendJudgement j = judge->judge(ethernet(c.framed()), oob_for(h), ethernet(device));
  EXPECT_EQ(j.verdict, PacketVerdict::corrupt);
  EXPECT_TRUE(names(j, "AH-070")) << j.detail();
  EXPECT_TRUE(mentions(j, "AH ICV (SPI 0x0000007b) does not verify"));
}

TEST(SendJudge, AH_HeaderFieldsTheDeviceRewroteAreNamedEvenUnderAGoodIcv) {
  // The device signs what it sent, so the ICV verifies; the field still is not the framed one.
  AhCase c;
  Rig rig;
  const sa::Handle h = rig.add(ah_element(c.v, c.wire, false));
  auto judge = SendJudge::create(rig.dev.table());
  struct Edit {
    size_t at;
    uint8_t value;
    const char* field;
    const char* id;
  };
  for (const Edit e : {Edit{AhCase::kAh + 0, 6, "AH Next Header", "AH-002"},          // ICMP (1) -> TCP
                       Edit{AhCase::kAh + 11, 9, "AH Sequence Number", "AH-009"},      // 1 -> 9
                       Edit{AhCase::kAh + 3, 1, "AH Reserved", "AH-005"}}) {
    std::vector<uint8_t> sent = c.wire;
    sent[e.at] = e.value;
    sent = c.signed_as(sent, AhCase::icv_input_of(sent));
    const SendJudgement j = judge->judge(ethernet(c.framed()), oob_for(h), ethernet(sent));
    EXPECT_EQ(j.verdict, PacketVerdict::corrupt) << e.field;
    EXPECT_TRUE(mentions(j, std::string(e.field) + " changed")) << e.field << ": " << j.detail();
    EXPECT_TRUE(names(j, e.id)) << e.field;
    EXPECT_TRUE(names(j, "SEND-010")) << e.field;
  }
}

TEST(SendJudge, FramesNoneClearAndSeveral) {
  AhCase c;
  Rig rig;
  const sa::Handle h = rig.add(ah_element(c.v, c.wire, false));
  auto judge = SendJudge::create(rig.dev.table());
  SendExpectation e;
  e.bundle = &rig.dev.table().find(h)->spec;
  const std::vector<uint8_t> framed = ethernet(c.framed());
  const std::vector<std::vector<uint8_t>> none, two = {ethernet(c.wire), ethernet(c.wire)};
  EXPECT_EQ(judge->judge_frames(framed, none, e).verdict, PacketVerdict::none);
  EXPECT_EQ(judge->judge_frames(framed, two, e).verdict, PacketVerdict::corrupt);
  const std::vector<std::vector<uint8_t>> one = {ethernet(c.wire)};
  EXPECT_EQ(judge->judge_frames(framed, one, e).verdict, PacketVerdict::protected_frame);
  // Without a bundle the same protected frame is a changed clear send (SEND-005).
  const SendJudgement clear = judge->judge_frames(framed, one, SendExpectation{});
  EXPECT_EQ(clear.verdict, PacketVerdict::corrupt);
  EXPECT_TRUE(names(clear, "SEND-005"));
}

TEST(PacketVerdict, NamesRoundTrip) {
  for (int i = 0; i < kPacketVerdictCount; ++i) {
    PacketVerdict v{};
    ASSERT_TRUE(packet_verdict_from_name(packet_verdict_name(static_cast<PacketVerdict>(i)), v));
    EXPECT_EQ(static_cast<int>(v), i);
  }
  PacketVerdict v{};
  EXPECT_EQ(packet_verdict_name(PacketVerdict::protected_frame), "protected");
  EXPECT_FALSE(packet_verdict_from_name("Protected", v));
}

}  // namespace
}  // namespace cts::esp
