// RFC 3948 helpers: demultiplexing classes and the checksum rules.
#include "oracle/esp/udp_encap.h"

#include <gtest/gtest.h>

#include "oracle/esp/esp_test_support.h"

namespace cts::esp {
namespace {

using testing::hex;

TEST(UdpEncap, Classification) {
  EXPECT_EQ(classify_udp_encap_payload(hex("ff")), UdpPayloadKind::kKeepalive);
  EXPECT_EQ(classify_udp_encap_payload(hex("fe")), UdpPayloadKind::kTruncated);
  EXPECT_EQ(classify_udp_encap_payload(hex("00000000")), UdpPayloadKind::kIke);
  EXPECT_EQ(classify_udp_encap_payload(hex("0000000001")), UdpPayloadKind::kIke);
  EXPECT_EQ(classify_udp_encap_payload(hex("00000001")), UdpPayloadKind::kEsp);
  EXPECT_EQ(classify_udp_encap_payload(hex("ffff")), UdpPayloadKind::kTruncated);
}

TEST(UdpEncap, ChecksumZeroOrComputedBothAccepted) {
  // The ODP UDP-encapsulated vector's IPv4 header with an 8-octet UDP datagram after it.
  auto p = hex("4500001c000000004011abf3c0a86f02c0a8de02" "1194119400080000");
  write_udp_header(MutableBytes(p).subspan(20), kNatTPort, kNatTPort, 8);
  EXPECT_EQ(wire::get16(&p[26]), 0);
  EXPECT_TRUE(udp_checksum_acceptable(p, 4, 20, 8));  // zero: never relied upon (UDPENC-003)
  finish_udp_checksum(p, 4, 20, 8, UdpChecksumMode::kCompute);
  // Pseudo header c0a8 6f02 c0a8 de02 0011 0008 + 1194 1194 0008 -> one's complement.
  uint32_t sum = 0xc0a8 + 0x6f02 + 0xc0a8 + 0xde02 + 0x0011 + 0x0008 + 0x1194 + 0x1194 + 0x0008;
  while (sum >> 16) sum = (sum & 0xFFFF) + (sum >> 16);
  EXPECT_EQ(wire::get16(&p[26]), static_cast<uint16_t>(~sum));
  EXPECT_TRUE(udp_checksum_acceptable(p, 4, 20, 8));
  p[27] ^= 1;
  EXPECT_FALSE(udp_checksum_acceptable(p, 4, 20, 8));
  finish_udp_checksum(p, 4, 20, 8, UdpChecksumMode::kZero);
  EXPECT_EQ(wire::get16(&p[26]), 0);
}

}  // namespace
}  // namespace cts::esp
