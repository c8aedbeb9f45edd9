#include "runner/core/packet_builder.h"

#include <gtest/gtest.h>

#include "oracle/esp/ip_fixup.h"
#include "oracle/esp/ip_packet.h"
#include "runner/core/bundle_material.h"

namespace cts::core {
namespace {

DatagramSpec spec(int version) {
  DatagramSpec d;
  d.ip_version = version;
  d.src = *parse_address(version == 6 ? "2001:db8::1" : "192.0.2.1", version);
  d.dst = *parse_address(version == 6 ? "2001:db8:1::2" : "198.51.100.2", version);
  d.payload.assign(20, 0x5A);
  return d;
}

// IPv4 options (RFC 791): Router Alert (RFC 2113) then No Operation; IHL and the header checksum
// count them, and the oracle's parser accepts the result.
TEST(PacketBuilder, Ipv4OptionsAreRouterAlertThenNops) {
  DatagramSpec d = spec(4);
  d.ipv4_options = 12;
  const auto p = build_datagram(d);
  EXPECT_EQ(p[0], 0x48);  // IHL 8 words
  EXPECT_EQ(p[20], 0x94);
  EXPECT_EQ(p[21], 4);
  EXPECT_EQ(p[24], 1);
  EXPECT_EQ(p[31], 1);
  EXPECT_EQ((p[2] << 8 | p[3]), static_cast<int>(p.size()));
  esp::IpLayout L;
  ASSERT_TRUE(esp::parse_ip(p, L).ok());
  EXPECT_EQ(L.header_length, 32u);
  EXPECT_EQ(L.payload_protocol, 17);
  EXPECT_EQ(esp::ipv4_header_checksum(std::span<const uint8_t>(p.data(), 32)), p[10] << 8 | p[11]);
}

// An option no NIC knows (AH-026): the RFC 4727 experimental type 158 (copied, class 0, number
// 30), length 4, data that is not zero, so zeroing it or not changes an AH ICV.
TEST(PacketBuilder, Ipv4ExperimentalOptionComesFirst) {
  DatagramSpec d = spec(4);
  d.ipv4_options = 8;
  d.ipv4_option = DatagramSpec::Ipv4Option::experimental;
  const auto p = build_datagram(d);
  EXPECT_EQ(p[0], 0x47);  // IHL 7 words
  EXPECT_EQ(p[20], 158);
  EXPECT_EQ(p[21], 4);
  EXPECT_TRUE(p[22] != 0 || p[23] != 0);
  EXPECT_EQ(p[24], 1);  // then No Operation
  EXPECT_EQ(p[27], 1);
  esp::IpLayout L;
  ASSERT_TRUE(esp::parse_ip(p, L).ok());
  EXPECT_EQ(L.header_length, 28u);
}

// IPv6 extension headers in the order asked; ESP's insertion point is behind the headers routers
// and the destination must see, before a last Destination Options header (RFC 4303 3.1.1).
TEST(PacketBuilder, Ipv6ExtensionChainAndInsertionPoint) {
  DatagramSpec d = spec(6);
  d.ipv6_ext = {0, 60, 43, 60};
  const auto p = build_datagram(d);
  esp::IpLayout L;
  ASSERT_TRUE(esp::parse_ip(p, L).ok());
  ASSERT_EQ(L.ext_count, 4u);
  EXPECT_EQ(L.ext[0].type, 0);
  EXPECT_EQ(L.ext[2].type, 43);
  EXPECT_EQ(L.payload_protocol, 17);
  EXPECT_EQ(L.payload_offset, 40u + 32);
  EXPECT_TRUE(L.has_routing_header);
  EXPECT_FALSE(L.is_fragment);
  const esp::InsertionPoint at = esp::transport_insertion_point(L);
  EXPECT_EQ(at.offset, 40u + 24);        // behind hop-by-hop, destination, routing
  EXPECT_EQ(at.protected_protocol, 60);  // the last destination options header goes inside ESP
}

TEST(PacketBuilder, FragmentsOfBothVersions) {
  DatagramSpec d = spec(4);
  d.fragment = DatagramSpec::Fragment::first;
  auto p = build_datagram(d);
  esp::IpLayout L;
  ASSERT_TRUE(esp::parse_ip(p, L).ok());
  EXPECT_TRUE(L.is_fragment);
  EXPECT_EQ(p[6], 0x20);  // More Fragments, offset 0
  d.fragment = DatagramSpec::Fragment::last;
  p = build_datagram(d);
  ASSERT_TRUE(esp::parse_ip(p, L).ok());
  EXPECT_TRUE(L.is_fragment);
  EXPECT_EQ((p[6] << 8 | p[7]), 185);  // offset 1480 / 8, no More Fragments

  DatagramSpec v6 = spec(6);
  v6.fragment = DatagramSpec::Fragment::last;
  p = build_datagram(v6);
  ASSERT_TRUE(esp::parse_ip(p, L).ok());
  EXPECT_TRUE(L.has_fragment_header);
  EXPECT_TRUE(L.is_fragment);
  EXPECT_EQ(p[6], 44);
}

}  // namespace
}  // namespace cts::core
