#include "runner/core/transport_framer.h"

#include <gtest/gtest.h>

#include "oracle/esp/udp_encap.h"
#include "oracle/ndis/constants.h"
#include "runner/core/bundle_material.h"
#include "runner/core/packet_builder.h"

namespace cts::core {
namespace {

std::vector<uint8_t> udp_datagram(size_t payload) {
  DatagramSpec d;
  d.src = *parse_address("192.0.2.1", 4);
  d.dst = *parse_address("198.51.100.2", 4);
  d.payload.assign(payload, 0x11);
  return build_datagram(d);
}

TEST(TransportFramer, TransportModeLayoutAndOob) {
  esp::EspSuite gcm;  // AES-GCM-128, ICV 16, IV 8, pad modulus 4 (RFC 4106)
  std::string err;
  const auto plain = udp_datagram(5);  // UDP segment of 13 bytes
  const FramedSend f = frame_for_send(gcm, 0xA1B2C3D4, 7, plain, false, 4, {}, {}, err);
  ASSERT_FALSE(f.datagram.empty()) << err;
  // 20 IP + 8 ESP + 8 IV + 13 payload + 1 pad + 2 trailer + 16 ICV (RFC 4303 §2.4: 4-aligned).
  EXPECT_EQ(f.datagram.size(), 20u + 8 + 8 + 13 + 1 + 2 + 16);
  EXPECT_EQ(f.datagram[9], 50);  // protocol ESP (MODE-001)
  EXPECT_EQ((f.datagram[2] << 8 | f.datagram[3]), static_cast<int>(f.datagram.size()));
  EXPECT_EQ(f.datagram[20], 0xA1);
  EXPECT_EQ(f.datagram[27], 7);
  EXPECT_EQ(f.pad_length, 1);
  EXPECT_EQ(f.next_header, 17);
  EXPECT_EQ(f.header_info & ndis::NBL_HDR_NEXT_HEADER_MASK, 17u);
  EXPECT_EQ((f.header_info >> ndis::NBL_HDR_ESP_OFFSET_SHIFT) & 0xFF, 5u);  // 20 bytes / 4
  EXPECT_EQ((f.header_info >> ndis::NBL_HDR_PAD_LENGTH_SHIFT) & 0xFF, 1u);
  // Default padding 1..p right before Pad Length and Next Header (PAD-003).
  const size_t trailer = f.datagram.size() - 16 - 2;
  EXPECT_EQ(f.datagram[trailer - 1], 1);
  EXPECT_EQ(f.datagram[trailer], 1);
  EXPECT_EQ(f.datagram[trailer + 1], 17);
}

TEST(TransportFramer, CbcPadsToTheBlock) {
  esp::EspSuite cbc;
  cbc.encryption = esp::EspEncryption::aes_128_cbc;
  cbc.integrity = esp::EspIntegrity::hmac_sha1_96;
  std::string err;
  const auto plain = udp_datagram(5);
  const FramedSend f = frame_for_send(cbc, 0x1001, 1, plain, false, 4, {}, {}, err);
  const size_t encrypted = f.datagram.size() - 20 - 8 - 16 - 12;  // minus IP, ESP, IV, ICV
  EXPECT_EQ(encrypted % 16, 0u);  // PAD-002
}

TEST(TransportFramer, TunnelModeCarriesTheWholeInnerPacket) {
  esp::EspSuite gcm;
  std::string err;
  const auto inner = udp_datagram(30);
  const auto outer_src = *parse_address("2001:db8::1", 6), outer_dst = *parse_address("2001:db8:1::2", 6);
  const FramedSend f = frame_for_send(gcm, 0x1001, 1, inner, true, 6, outer_src, outer_dst, err);
  ASSERT_FALSE(f.datagram.empty()) << err;
  EXPECT_EQ(f.datagram[0] >> 4, 6);
  EXPECT_EQ(f.datagram[6], 50);
  EXPECT_EQ(f.next_header, 4);  // IPv4 inner (MODE-003)
  EXPECT_TRUE(std::equal(inner.begin(), inner.end(), f.datagram.begin() + 40 + 8 + 8));
}


// Padding from minimal to 255 octets and TFC padding (RFC 4303 2.4, 2.7).
TEST(TransportFramer, TrailerShapes) {
  esp::EspSuite cbc;
  cbc.encryption = esp::EspEncryption::aes_128_cbc;
  cbc.integrity = esp::EspIntegrity::hmac_sha1_96;
  std::string err;
  // 15 covered octets: 15 + p + 2 must be a multiple of 16, so p = 15, 31, ..., 255.
  TrailerShape s;
  EXPECT_EQ(shaped_pad_length(cbc, 15, s, err), 15u);
  s.pad_max = true;
  EXPECT_EQ(shaped_pad_length(cbc, 15, s, err), 255u);
  s.pad_max = false;
  s.pad_length = 127;
  EXPECT_EQ(shaped_pad_length(cbc, 15, s, err), 127u);
  s.pad_length = 16;
  EXPECT_FALSE(shaped_pad_length(cbc, 15, s, err).has_value());
  EXPECT_NE(err.find("15, 31, ... 255"), std::string::npos) << err;
  // GCM aligns to 4: 16 covered octets take 2, 6, ..., 254.
  esp::EspSuite gcm;
  s.pad_length.reset();
  s.pad_max = true;
  EXPECT_EQ(shaped_pad_length(gcm, 16, s, err), 254u);

  // On the wire: payload, TFC zeros, 1..255, Pad Length, Next Header; the OOB carries 255.
  const auto plain = udp_datagram(7);  // 15-octet UDP segment
  TrailerShape shape;
  shape.pad_max = true;
  shape.tfc = 16;
  const FramedSend f = frame_for_send(cbc, 0x1001, 1, plain, false, 4, {}, {}, err, shape);
  ASSERT_FALSE(f.datagram.empty()) << err;
  EXPECT_EQ(f.pad_length, 255);
  EXPECT_EQ((f.header_info >> ndis::NBL_HDR_PAD_LENGTH_SHIFT) & 0xFF, 255u);
  const size_t trailer = f.datagram.size() - 12 - 2;  // HMAC-SHA1-96 ICV
  EXPECT_EQ(f.datagram[trailer], 255);
  EXPECT_EQ(f.datagram[trailer - 1], 255);  // the last pad octet
  EXPECT_EQ(f.datagram[trailer - 255], 1);  // the first
  EXPECT_EQ(f.datagram[trailer - 256], 0);  // TFC
  EXPECT_EQ((f.datagram.size() - 20 - 8 - 16 - 12) % 16, 0u);
}


// UDP-ESP (RFC 3948 2.1): UDP 4500 -> 4500 right before ESP, IP protocol 17, EspHeaderOffset past
// the UDP header, the checksum zero or computed over the framed packet.
TEST(TransportFramer, UdpEncapsulation) {
  esp::EspSuite gcm;
  std::string err;
  const auto plain = udp_datagram(5);
  UdpShape udp;
  udp.encap = true;
  const FramedSend f = frame_for_send(gcm, 0x1001, 1, plain, false, 4, {}, {}, err, {}, udp);
  ASSERT_FALSE(f.datagram.empty()) << err;
  EXPECT_EQ(f.datagram[9], 17);
  EXPECT_EQ(f.udp_offset, 20u);
  EXPECT_EQ(f.esp_offset, 28u);
  EXPECT_EQ((f.datagram[20] << 8 | f.datagram[21]), 4500);
  EXPECT_EQ((f.datagram[22] << 8 | f.datagram[23]), 4500);
  EXPECT_EQ((f.datagram[24] << 8 | f.datagram[25]), static_cast<int>(f.datagram.size() - 20));
  EXPECT_EQ((f.datagram[26] | f.datagram[27]), 0);  // UDPENC-002
  EXPECT_EQ((f.header_info >> ndis::NBL_HDR_ESP_OFFSET_SHIFT) & 0xFF, 7u);
  udp.checksum = true;
  const FramedSend c = frame_for_send(gcm, 0x1001, 1, plain, false, 4, {}, {}, err, {}, udp);
  EXPECT_TRUE(esp::udp_checksum_acceptable(c.datagram, 4, 20, static_cast<uint32_t>(c.datagram.size() - 20)));
  EXPECT_NE((c.datagram[26] | c.datagram[27]), 0);
}

// IPv6 extension headers: ESP after Hop-by-Hop and Routing, the Next Header of the last of them
// announcing ESP, a trailing Destination Options header inside ESP.
TEST(TransportFramer, EspBehindIpv6ExtensionHeaders) {
  DatagramSpec d;
  d.ip_version = 6;
  d.src = *parse_address("2001:db8::1", 6);
  d.dst = *parse_address("2001:db8:1::2", 6);
  d.ipv6_ext = {0, 43, 60};
  d.payload.assign(10, 1);
  const auto plain = build_datagram(d);
  esp::EspSuite gcm;
  std::string err;
  const FramedSend f = frame_for_send(gcm, 0x1001, 1, plain, false, 6, {}, {}, err);
  ASSERT_FALSE(f.datagram.empty()) << err;
  EXPECT_EQ(f.esp_offset, 40u + 16);
  EXPECT_EQ(f.datagram[6], 0);        // IPv6 header -> Hop-by-Hop, unchanged
  EXPECT_EQ(f.datagram[40], 43);      // Hop-by-Hop -> Routing
  EXPECT_EQ(f.datagram[48], 50);      // Routing -> ESP
  EXPECT_EQ(f.next_header, 60);       // ESP protects Destination Options -> UDP
  EXPECT_EQ((f.datagram[4] << 8 | f.datagram[5]), static_cast<int>(f.datagram.size() - 40));
}

}  // namespace
}  // namespace cts::core
