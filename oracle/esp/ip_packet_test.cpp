// Parsers and checksum helpers of ip_packet.h: layouts of known packets, every rejection class,
// and bounds: no parse reads past the span it was given.
#include "oracle/esp/ip_packet.h"

#include <gtest/gtest.h>

#include <memory>
#include <random>

#include "oracle/esp/esp_test_support.h"

namespace cts::esp {
namespace {

using testing::hex;

// RFC 3602 case 5 plain datagram (ICMP) and the ODP IPv6 Hop-by-Hop datagram (esp-known-answers).
const char* kV4 = "4500005408f200004001f9fec0a87b03c0a87b6408000ebda70a00008e9c083db95b070008090a0b0c0d0e0f101112131415161718191a1b1c1d1e1f202122232425262728292a2b2c2d2e2f3031323334353637";
const char* kV6Hbh = "600000000014004020010db800000000021143fffe4ad70a20010db80000000000000000000000163a000100010001000800fb3712340000babe01234567cafe";

TEST(IpPacket, Ipv4Layout) {
  const auto p = hex(kV4);
  IpLayout L;
  ASSERT_TRUE(parse_ip(p, L).ok());
  EXPECT_EQ(L.version, 4);
  EXPECT_EQ(L.header_length, 20u);
  EXPECT_EQ(L.datagram_length, 0x54u);
  EXPECT_EQ(L.payload_offset, 20u);
  EXPECT_EQ(L.payload_protocol, kProtoIcmp);
  EXPECT_EQ(L.protocol_field_offset, 9u);
  EXPECT_FALSE(L.is_fragment);
  EXPECT_TRUE(ipv4_header_checksum_ok(ConstBytes(p).first(20)));
  EXPECT_EQ(ipv4_header_checksum(ConstBytes(p).first(20)), 0xf9fe);  // the value on the wire
}

TEST(IpPacket, Ipv6HopByHopLayout) {
  const auto p = hex(kV6Hbh);
  IpLayout L;
  ASSERT_TRUE(parse_ip(p, L).ok());
  EXPECT_EQ(L.version, 6);
  ASSERT_EQ(L.ext_count, 1u);
  EXPECT_EQ(L.ext[0].type, kProtoHopByHop);
  EXPECT_EQ(L.ext[0].offset, 40u);
  EXPECT_EQ(L.ext[0].length, 8u);
  EXPECT_EQ(L.payload_offset, 48u);
  EXPECT_EQ(L.payload_protocol, kProtoIcmpv6);
  EXPECT_EQ(L.protocol_field_offset, 40u);  // the Hop-by-Hop Next Header, not the fixed header's
}

TEST(IpPacket, FragmentsAreFlagged) {
  auto p = hex(kV4);
  p[6] = 0x20;  // MF
  IpLayout L;
  ASSERT_TRUE(parse_ip(p, L).ok());
  EXPECT_TRUE(L.is_fragment);
  p[6] = 0x40;  // DF only
  ASSERT_TRUE(parse_ip(p, L).ok());
  EXPECT_FALSE(L.is_fragment);
  // IPv6 Fragment header: atomic (offset 0, M 0) is not a fragment; offset 8 is.
  auto v6 = hex("600000000010002c20010db800000000000000000000000120010db80000000000000000000000023b000000000000013b00000000000000");
  v6[6] = kProtoFragment;
  v6[40] = kProtoNoNextHeader;
  ASSERT_TRUE(parse_ip(v6, L).ok());
  EXPECT_TRUE(L.has_fragment_header);
  EXPECT_FALSE(L.is_fragment);
  v6[43] = 0x08;
  ASSERT_TRUE(parse_ip(v6, L).ok());
  EXPECT_TRUE(L.is_fragment);
}

TEST(IpPacket, RejectionsNameTheField) {
  IpLayout L;
  auto p = hex(kV4);
  EXPECT_EQ(parse_ip(ConstBytes(p).first(0), L).error, PacketError::kTruncated);
  EXPECT_EQ(parse_ip(ConstBytes(p).first(19), L).error, PacketError::kTruncated);
  EXPECT_EQ(parse_ip(ConstBytes(p).first(83), L).error, PacketError::kTruncated);  // Total Length 84
  p[0] = 0x44;
  ParseStatus st = parse_ip(p, L);
  EXPECT_EQ(st.error, PacketError::kBadHeaderLength);
  EXPECT_STREQ(st.field, "ipv4.ihl");
  p[0] = 0x35;
  EXPECT_EQ(parse_ip(p, L).error, PacketError::kBadVersion);
  p = hex(kV4);
  p[3] = 10;
  p[2] = 0;
  EXPECT_EQ(parse_ip(p, L).error, PacketError::kBadTotalLength);
  // IPv6 extension header longer than the datagram.
  auto v6 = hex(kV6Hbh);
  v6[41] = 3;
  st = parse_ip(v6, L);
  EXPECT_EQ(st.error, PacketError::kTruncated);
  EXPECT_EQ(st.offset, 41u);
  // Link padding after the datagram is ignored.
  auto padded = hex(kV4);
  padded.insert(padded.end(), 6, 0);
  ASSERT_TRUE(parse_ip(padded, L).ok());
  EXPECT_EQ(L.datagram_length, 0x54u);
}

TEST(IpPacket, Ipv4OptionWalk) {
  // Router Alert, Record Route (7 octets), EOL, padding.
  const auto opts = hex("9404000007070400000000000000");
  std::vector<OptionSpan> seen;
  ASSERT_TRUE(walk_ipv4_options(ConstBytes(opts).first(12), 20, [&](const OptionSpan& o) { seen.push_back(o); }).ok());
  ASSERT_EQ(seen.size(), 3u);
  EXPECT_EQ(seen[0].type, 0x94);
  EXPECT_EQ(seen[1].type, 0x07);
  EXPECT_EQ(seen[1].length, 7u);
  EXPECT_EQ(seen[2].type, kIpv4OptEnd);
  // Length 1, and length past the end, are malformed.
  const auto bad1 = hex("94010000");
  EXPECT_EQ(walk_ipv4_options(bad1, 20, [](const OptionSpan&) {}).error, PacketError::kBadOption);
  const auto bad2 = hex("01010705");
  const ParseStatus st = walk_ipv4_options(bad2, 20, [](const OptionSpan&) {});
  EXPECT_EQ(st.error, PacketError::kBadOption);
  EXPECT_EQ(st.offset, 23u);
  const auto bad3 = hex("010101" "83");  // type octet with no room for its length
  EXPECT_EQ(walk_ipv4_options(bad3, 20, [](const OptionSpan&) {}).error, PacketError::kBadOption);
}

TEST(IpPacket, Ipv6TlvWalk) {
  const auto h = hex("3a00" "00" "3e0461626364" "01");  // Pad1, option 0x3e (4 data), PadN cut short
  EXPECT_EQ(walk_ipv6_tlv_options(h, 40, [](const OptionSpan&) {}).error, PacketError::kBadOption);
  const auto ok = hex("3a00" "00" "3e04616263" "64" "00");
  std::vector<OptionSpan> seen;
  ASSERT_TRUE(walk_ipv6_tlv_options(ok, 40, [&](const OptionSpan& o) { seen.push_back(o); }).ok());
  ASSERT_EQ(seen.size(), 3u);
  EXPECT_EQ(seen[1].type, 0x3e);
  EXPECT_EQ(seen[1].length, 6u);
}

TEST(IpPacket, EthernetWithAndWithoutVlan) {
  auto f = hex("ffffffffffff0200000000010800");
  EthernetInfo e;
  ASSERT_TRUE(parse_ethernet(f, e).ok());
  EXPECT_EQ(e.l3_offset, 14u);
  EXPECT_FALSE(e.has_vlan);
  auto tagged = hex("ffffffffffff020000000001" "8100" "6064" "86dd");
  ASSERT_TRUE(parse_ethernet(tagged, e).ok());
  EXPECT_TRUE(e.has_vlan);
  EXPECT_EQ(e.vlan_tci, 0x6064);
  EXPECT_EQ(e.ether_type, kEtherTypeIpv6);
  EXPECT_EQ(e.l3_offset, 18u);
  auto qinq = hex("ffffffffffff02000000000181000064" "8100");
  EXPECT_EQ(parse_ethernet(qinq, e).error, PacketError::kUnsupportedHeader);
  auto arp = hex("ffffffffffff0200000000010806");
  EXPECT_EQ(parse_ethernet(arp, e).error, PacketError::kBadEtherType);
  EXPECT_EQ(parse_ethernet(ConstBytes(f).first(13), e).error, PacketError::kTruncated);
  EXPECT_EQ(parse_ethernet(ConstBytes(tagged).first(17), e).error, PacketError::kTruncated);
}

TEST(IpPacket, ChecksumHelpers) {
  // RFC 1071 §3 example words 0001 f203 f4f5 f6f7: sum 0xddf2 (folded), checksum 0x220d.
  const auto w = hex("0001f203f4f5f6f7");
  EXPECT_EQ(checksum_finish(checksum_add(w)), 0x220d);
  // Odd length: trailing octet padded with zero.
  EXPECT_EQ(checksum_finish(checksum_add(hex("01"))), static_cast<uint16_t>(~0x0100));
  // Incremental update (RFC 1624) equals a recomputation.
  auto p = hex(kV4);
  const uint16_t before = wire::get16(&p[10]);
  const uint16_t old_word = wire::get16(&p[8]);
  p[8] = 0x3f;  // TTL 63
  const uint16_t updated = checksum_update16(before, old_word, wire::get16(&p[8]));
  EXPECT_EQ(updated, ipv4_header_checksum(ConstBytes(p).first(20)));
}

TEST(IpPacket, RandomBuffersStayInBounds) {
  std::mt19937 rng(4242);
  for (int i = 0; i < 20000; ++i) {
    const size_t n = rng() % 120;
    std::unique_ptr<uint8_t[]> buf(new uint8_t[n + 1]);
    for (size_t k = 0; k < n; ++k) buf[k] = static_cast<uint8_t>(rng());
    if (n) buf[0] = static_cast<uint8_t>((rng() & 1 ? 0x40 : 0x60) | (buf[0] & 0x0F));
    IpLayout L;
    const ParseStatus st = parse_ip(ConstBytes(buf.get(), n), L);
    if (st.ok()) {
      EXPECT_LE(L.datagram_length, n);
      EXPECT_LE(L.payload_offset, L.datagram_length);
      for (uint32_t k = 0; k < L.ext_count; ++k) EXPECT_LE(L.ext[k].offset + L.ext[k].length, L.datagram_length);
    }
  }
}

}  // namespace
}  // namespace cts::esp
