// SendJudge: accepts a correct device whatever IV it chose, and names every way a device can get a
// send wrong (bad ICV, stale ESN high half, changed headers, nonce reuse).
#include "oracle/esp/send_judge.h"

#include <gtest/gtest.h>

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
  const Sent s = send_with(rig, ah, ah_wire);
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
  EXPECT_TRUE(mentions(j, "offset(s) 22"));
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

}  // namespace
}  // namespace cts::esp
