// Outer header construction and decapsulation rules (RFC 4301 §5.1.2, MODE-004, MODE-008).
#include "oracle/esp/tunnel.h"

#include <gtest/gtest.h>

#include "oracle/esp/esp_test_support.h"
#include "oracle/esp/ip_fixup.h"

namespace cts::esp {
namespace {

using testing::hex;

std::vector<uint8_t> inner_v4(uint8_t tos, bool df) {
  auto p = hex("4500001c0abc00004011000" "0c0000201c6336401" "0001000200080000");
  p[1] = tos;
  if (df) p[6] = 0x40;
  ipv4_refresh_checksum(MutableBytes(p).first(20));
  return p;
}

TEST(Tunnel, Ipv4OuterPolicies) {
  TunnelConfig c;
  c.source = {10, 0, 0, 1};
  c.destination = {10, 0, 0, 2};
  c.ttl = 9;
  std::vector<uint8_t> out(20);
  const auto in = inner_v4(0x2A | kEcnEct1, true);
  ASSERT_TRUE(write_outer_header(out, c, in, 4, 50, 100, 0x4242));
  EXPECT_EQ(hex("4529006442424000093200000a0000010a000002").size(), 20u);
  EXPECT_EQ(out[0], 0x45);
  EXPECT_EQ(out[1], 0x2A | kEcnEct1);  // DSCP 10 and ECT(1) copied
  EXPECT_EQ(wire::get16(&out[2]), 100);
  EXPECT_EQ(wire::get16(&out[4]), 0x4242);
  EXPECT_EQ(wire::get16(&out[6]), kIpv4FlagDf);  // DF copied
  EXPECT_EQ(out[8], 9);
  EXPECT_EQ(out[9], 50);
  EXPECT_TRUE(ipv4_header_checksum_ok(out));
  c.df = DfPolicy::kClear;
  c.dscp = DscpPolicy::kFixed;
  c.fixed_dscp = 46;
  c.ecn = EcnPolicy::kClear;
  ASSERT_TRUE(write_outer_header(out, c, in, 4, 50, 100, 1));
  EXPECT_EQ(out[1], 46 << 2);
  EXPECT_EQ(wire::get16(&out[6]), 0);
  EXPECT_FALSE(write_outer_header(out, c, in, 4, 50, 0x10000, 1));
}

TEST(Tunnel, Ipv6OuterFlowLabelAndTrafficClass) {
  TunnelConfig c;
  c.outer_version = 6;
  c.ttl = 33;
  c.flow_label = FlowLabelPolicy::kCopy;
  auto in = hex("6b812345000800114020010db8000000000000000000000001" "20010db8000000000000000000000002" "0001000200080000");
  std::vector<uint8_t> out(40);
  ASSERT_TRUE(write_outer_header(out, c, in, 6, 50, 140, 0));
  EXPECT_EQ(ipv6_traffic_class(out), 0xB8);
  EXPECT_EQ(ipv6_flow_label(out), 0x12345u);
  EXPECT_EQ(wire::get16(&out[4]), 100);
  EXPECT_EQ(out[6], 50);
  EXPECT_EQ(out[7], 33);
  c.flow_label = FlowLabelPolicy::kZero;
  ASSERT_TRUE(write_outer_header(out, c, in, 6, 50, 140, 0));
  EXPECT_EQ(ipv6_flow_label(out), 0u);
}

TEST(Tunnel, CePropagation) {
  TunnelConfig c;
  for (uint8_t ecn : {kEcnNotEct, kEcnEct1, kEcnEct0, kEcnCe}) {
    auto in = inner_v4(static_cast<uint8_t>(0x28 | ecn), false);
    const bool changed = apply_decapsulation_rules(in, 4, 0x00 | kEcnCe, c);
    EXPECT_EQ(changed, ecn == kEcnEct0 || ecn == kEcnEct1);
    EXPECT_EQ(in[1] & 3, ecn == kEcnNotEct ? kEcnNotEct : kEcnCe);
    EXPECT_EQ(in[1] >> 2, 0x28 >> 2);  // outer DS discarded by default
    EXPECT_TRUE(ipv4_header_checksum_ok(ConstBytes(in).first(20)));
  }
  auto in = inner_v4(kEcnEct0, false);
  EXPECT_FALSE(apply_decapsulation_rules(in, 4, kEcnEct0, c));  // no CE outside: unchanged
  c.copy_dscp_inward = true;
  EXPECT_TRUE(apply_decapsulation_rules(in, 4, 0xB8, c));
  EXPECT_EQ(in[1], 0xB8 | kEcnEct0);
  EXPECT_TRUE(ipv4_header_checksum_ok(ConstBytes(in).first(20)));
}

}  // namespace
}  // namespace cts::esp
