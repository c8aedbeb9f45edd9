#include "runner/core/lso_framer.h"

#include <gtest/gtest.h>

#include "oracle/ndis/constants.h"
#include "runner/core/bundle_material.h"
#include "runner/core/packet_builder.h"

namespace cts::core {
namespace {

uint32_t be32(const std::vector<uint8_t>& v, size_t at) {
  return uint32_t{v[at]} << 24 | uint32_t{v[at + 1]} << 16 | uint32_t{v[at + 2]} << 8 | v[at + 3];
}
uint16_t be16(const std::vector<uint8_t>& v, size_t at) { return static_cast<uint16_t>(v[at] << 8 | v[at + 1]); }

std::vector<uint8_t> tcp_datagram(int version, size_t payload, uint8_t flags = 0x19) {
  DatagramSpec d;
  d.ip_version = version;
  d.protocol = 6;
  d.src = *parse_address(version == 4 ? "192.0.2.1" : "2001:db8::1", version);
  d.dst = *parse_address(version == 4 ? "198.51.100.2" : "2001:db8:1::2", version);
  for (size_t i = 0; i < payload; ++i) d.payload.push_back(static_cast<uint8_t>(i * 7));
  auto out = build_datagram(d);
  const size_t hl = version == 4 ? 20 : 40;
  out[hl + 13] = flags;  // ACK | PSH | FIN: PSH and FIN belong to the last segment only
  return out;
}

TEST(LsoFramer, LargeSendHasNoTrailerAndEndsWithTheDiscardedOctets) {
  esp::EspSuite gcm;  // AES-GCM-128: IV 8, ICV 16
  std::string err;
  const auto plain = tcp_datagram(4, 2500);
  const auto lso = frame_lso_send(gcm, 0x1001, 5, plain, 1000, 4, err);
  ASSERT_TRUE(lso) << err;
  const auto& d = lso->large.datagram;
  // IP 20 | ESP 8 | IV 8 | TCP 20 | 2500 payload | 4 octets to discard (SEND-011, SEND-012).
  EXPECT_EQ(d.size(), 20u + 8 + 8 + 20 + 2500 + 4);
  EXPECT_EQ(d[9], 50);
  EXPECT_EQ(be32(d, 24), 5u);
  EXPECT_EQ(d[d.size() - 4], 1);
  EXPECT_EQ(d[d.size() - 1], 4);
  EXPECT_EQ(lso->large.header_info & ndis::NBL_HDR_NEXT_HEADER_MASK, 6u);
  EXPECT_EQ((lso->large.header_info >> ndis::NBL_HDR_PAD_LENGTH_SHIFT) & 0xFF, 4u);
  EXPECT_EQ((lso->large.header_info >> ndis::NBL_HDR_ESP_OFFSET_SHIFT) & 0xFF, 5u);
}

TEST(LsoFramer, EachSegmentIsFramedAsItsOwnSend) {
  esp::EspSuite gcm;
  std::string err;
  const auto plain = tcp_datagram(4, 2500);
  const auto lso = frame_lso_send(gcm, 0x1001, 5, plain, 1000, 0, err);
  ASSERT_TRUE(lso) << err;
  ASSERT_EQ(lso->segments.size(), 3u);
  const uint32_t tcp_seq = be32(plain, 24);
  for (size_t i = 0; i < 3; ++i) {
    const auto& s = lso->segments[i].framed.datagram;
    const size_t chunk = i < 2 ? 1000 : 500;
    // IP 20 | ESP 8 | IV 8 | TCP 20 | chunk | minimal padding, 2 trailer octets | ICV 16.
    const size_t covered = 20 + chunk;
    const size_t pad = (4 - (covered + 2) % 4) % 4;
    EXPECT_EQ(s.size(), 20 + 8 + 8 + covered + pad + 2 + 16) << i;
    EXPECT_EQ(be16(s, 2), s.size()) << i;
    EXPECT_EQ(be16(s, 4), be16(plain, 4) + i) << "IPv4 Identification + i";
    EXPECT_EQ(be32(s, 24), 5u + i) << "ESP sequence number of segment i (OQ-17)";
    EXPECT_EQ(be32(s, 36 + 4), tcp_seq + i * 1000) << "TCP sequence number";
    EXPECT_EQ(s[36 + 13], i < 2 ? 0x10 : 0x19) << "FIN and PSH on the last segment only";
    EXPECT_EQ(s[s.size() - 16 - 1], 6) << "Next Header TCP";
    EXPECT_EQ(lso->segments[i].carry, 0u);
  }
}

TEST(LsoFramer, SegmentsPast2To32CarryIntoTheHighHalf) {
  esp::EspSuite gcm;
  std::string err;
  const auto lso = frame_lso_send(gcm, 0x1001, 0xFFFFFFFE, tcp_datagram(6, 4000), 1000, 0, err);
  ASSERT_TRUE(lso) << err;
  ASSERT_EQ(lso->segments.size(), 4u);
  const uint32_t lows[4] = {0xFFFFFFFE, 0xFFFFFFFF, 0, 1};
  for (size_t i = 0; i < 4; ++i) {
    EXPECT_EQ(be32(lso->segments[i].framed.datagram, 44), lows[i]);
    EXPECT_EQ(lso->segments[i].carry, i < 2 ? 0u : 1u);
    EXPECT_EQ(be16(lso->segments[i].framed.datagram, 4), lso->segments[i].framed.datagram.size() - 40);
  }
}

TEST(LsoFramer, RefusesShapesLsoDoesNotOffload) {
  esp::EspSuite gcm;
  std::string err;
  DatagramSpec udp;
  udp.src = *parse_address("192.0.2.1", 4);
  udp.dst = *parse_address("198.51.100.2", 4);
  udp.payload.assign(100, 1);
  EXPECT_FALSE(frame_lso_send(gcm, 1, 1, build_datagram(udp), 50, 0, err));
  EXPECT_NE(err.find("TCP"), std::string::npos);
  EXPECT_FALSE(frame_lso_send(gcm, 1, 1, tcp_datagram(4, 100), 0, 0, err));
  EXPECT_FALSE(frame_lso_send(gcm, 1, 1, tcp_datagram(4, 100), 10, 256, err));
  EXPECT_FALSE(frame_lso_send(gcm, 1, 1, tcp_datagram(4, 5000), 1, 0, err));  // 5000 segments
}

}  // namespace
}  // namespace cts::core
