// The runner's adapter onto the one send judge, end to end with the runner's own framers: a
// bundle described as case material is framed by the transport framers (ESP, then AH in front
// of it), protected by the oracle's NIC model from the same ADD element, and judged. The
// judge's own checks are tested beside it (oracle/esp/send_judge_test.cpp).
#include "runner/core/wire_judge.h"

#include <gtest/gtest.h>

#include "oracle/esp/nic_sa_config.h"
#include "oracle/esp/nic_test_support.h"
#include "oracle/ndis/constants.h"
#include "runner/core/ah_framer.h"
#include "runner/core/packet_builder.h"

namespace cts::core {
namespace {

MaterialBundle esp_ah_material(bool with_esp) {
  MaterialBundle b;
  b.label = "o";
  b.src = default_local(4);
  b.dst = default_peer(4);
  if (with_esp) {
    MaterialSa e;
    e.operation = ndis::IPsecOffloadV2Esp;
    e.spi = 0x1001;
    e.encryption = ndis::IPSEC_OFFLOAD_V2_ENCRYPTION_AES_GCM_128;
    e.encryption_key.assign(20, 0x11);  // key ‖ salt (OQ-07)
    e.icv_length = 16;
    b.sas.push_back(e);
  }
  MaterialSa a;
  a.operation = ndis::IPsecOffloadV2Ah;
  a.spi = 0x2002;
  a.authentication = ndis::IPSEC_OFFLOAD_V2_AUTHENTICATION_SHA_256;
  a.authentication_key.assign(32, 0x5a);
  b.sas.push_back(a);
  return b;
}

struct Sent {
  std::vector<uint8_t> framed;
  std::vector<uint8_t> wire;
};

// Frames one send the way the send step does and lets the oracle's NIC model protect it.
Sent send_once(esp::testing::Rig& rig, sa::Handle h, const ndis::BundleSpec& spec, uint32_t seq) {
  DatagramSpec d;
  d.src = default_local(4);
  d.dst = default_peer(4);
  d.payload.assign(33, 0xAB);
  const std::vector<uint8_t> plain = build_datagram(d);
  std::string why;
  FramedSend f;
  const bool has_esp = spec.num_ext_hdrs == 2;
  if (has_esp) {
    esp::EspSaConfig cfg;
    EXPECT_TRUE(esp::esp_config_from_sa(spec.sas[0], cfg).ok());
    f = frame_for_send(cfg.suite, spec.sas[0].spi, seq, plain, false, 4, d.src, d.dst, why);
  } else {
    f.datagram = datagram_before_ah(plain, false, 4, d.src, d.dst);
  }
  esp::AhSaConfig ah;
  EXPECT_TRUE(esp::ah_config_from_sa(spec.sas[has_esp ? 1 : 0], ah).ok());
  EXPECT_TRUE(insert_ah(f, ah.algorithm, spec.sas[has_esp ? 1 : 0].spi, seq, why)) << why;
  Sent s;
  s.framed = ethernet_wrap(f.datagram, true);
  s.wire = s.framed;
  ndis::SendOob oob;
  oob.offload_handle = h;
  oob.header_info = f.header_info;
  EXPECT_EQ(rig.nic->send(s.wire, oob).completion_status, ndis::NDIS_STATUS_SUCCESS);
  return s;
}

TEST(WireJudge, AhAndEspAhSendsFramedByTheRunnerAndProtectedByTheOracleAreProtected) {
  for (bool with_esp : {false, true}) {
    SCOPED_TRACE(with_esp ? "ESP+AH" : "AH");
    const MaterialBundle m = esp_ah_material(with_esp);
    std::string why;
    const auto spec = bundle_spec_of(m, true, why);
    ASSERT_TRUE(spec) << why;
    esp::testing::Rig rig;
    const sa::Handle h = rig.add(to_add_element(m));
    auto judge = make_send_judge(rig.dev.table());
    ASSERT_NE(judge, nullptr);
    const Sent s = send_once(rig, h, *spec, 1);
    const WireVerdict v = judge_send_output(*judge, s.framed, {s.wire}, &*spec);
    EXPECT_EQ(v.name(), "protected") << v.detail;
    EXPECT_TRUE(v.requirements.empty());
    // The AH ICV is the last 16 octets of AH (HMAC-SHA-256-128, IPv4: no padding): one bit off.
    std::vector<uint8_t> damaged = s.wire;
    damaged[14 + 20 + 12] ^= 1;
    const WireVerdict d = judge_send_output(*judge, s.framed, {damaged}, &*spec);
    EXPECT_EQ(d.name(), "corrupt");
    EXPECT_NE(std::find(d.requirements.begin(), d.requirements.end(), "AH-070"), d.requirements.end()) << d.detail;
    EXPECT_EQ(judge_send_output(*judge, s.framed, {}, &*spec).name(), "none");
    EXPECT_EQ(judge_send_output(*judge, s.framed, {s.framed}, &*spec).name(), "clear");
  }
}

TEST(WireJudge, ASequenceTheTransportFramedTwiceDoesNotCountAsAnIvRepeat) {
  // The NIC model derives GCM IVs from the sequence number (OQ-16): the transport framing the same
  // number twice makes it repeat through no fault of its own.
  const MaterialBundle m = esp_ah_material(true);
  std::string why;
  const auto spec = bundle_spec_of(m, true, why);
  ASSERT_TRUE(spec) << why;
  esp::testing::Rig rig;
  const sa::Handle h = rig.add(to_add_element(m));
  auto judge = make_send_judge(rig.dev.table());
  for (int i = 0; i < 2; ++i) {
    const Sent s = send_once(rig, h, *spec, 7);
    const WireVerdict v = judge_send_output(*judge, s.framed, {s.wire}, &*spec);
    EXPECT_EQ(v.name(), "protected") << v.detail;
    EXPECT_TRUE(v.iv_repeats.empty());
  }
}

TEST(WireJudge, BundleSpecOfNamesWhyMaterialDoesNotValidate) {
  MaterialBundle m = esp_ah_material(false);
  m.sas[0].authentication_key.resize(7);  // SHA-256 takes 32 octets (AH-054)
  std::string why;
  EXPECT_FALSE(bundle_spec_of(m, true, why));
  EXPECT_FALSE(why.empty());
}

}  // namespace
}  // namespace cts::core
