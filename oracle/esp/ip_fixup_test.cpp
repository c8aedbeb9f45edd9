// Header fix-ups and the transport insertion point (RFC 4303 §3.1, RFC 8200 §4).
#include "oracle/esp/ip_fixup.h"

#include <gtest/gtest.h>

#include "oracle/esp/esp_test_support.h"

namespace cts::esp {
namespace {

using testing::hex;

// IPv6: HbH, Routing (type 0, no addresses), Destination Options (last), UDP.
std::vector<uint8_t> chain() {
  auto p = hex("6000000000200040" "20010db8000000000000000000000001" "20010db8000000000000000000000002"
               "2b00010400000000" "3c00000000000000" "1100010400000000" "0001000200080000");
  return p;
}

TEST(IpFixup, Ipv6InsertionAfterRoutingBeforeTrailingDestinationOptions) {
  const auto p = chain();
  IpLayout L;
  ASSERT_TRUE(parse_ip(p, L).ok());
  ASSERT_EQ(L.ext_count, 3u);
  EXPECT_EQ(transport_unprotected_ext_count(L), 2u);
  const InsertionPoint ip = transport_insertion_point(L);
  EXPECT_EQ(ip.offset, 56u);
  EXPECT_EQ(ip.protocol_field_offset, 48u);  // the Routing header's Next Header
  EXPECT_EQ(ip.protected_protocol, kProtoDestinationOptions);
}

TEST(IpFixup, Ipv6WithoutExtensionHeadersPatchesFixedHeader) {
  auto p = hex("6000000000081140" "20010db8000000000000000000000001" "20010db8000000000000000000000002" "0001000200080000");
  IpLayout L;
  ASSERT_TRUE(parse_ip(p, L).ok());
  const InsertionPoint ip = transport_insertion_point(L);
  EXPECT_EQ(ip.offset, 40u);
  EXPECT_EQ(ip.protocol_field_offset, 6u);
  EXPECT_EQ(ip.protected_protocol, kProtoUdp);
  ASSERT_TRUE(finalize_ip_header(p, 6, ip.protocol_field_offset, kProtoEsp, 100));
  EXPECT_EQ(p[6], kProtoEsp);
  EXPECT_EQ(wire::get16(&p[4]), 60);
}

TEST(IpFixup, Ipv4LengthProtocolChecksum) {
  auto p = hex("4500001c000100004011000" "0c0000201c0000202" "0001000200080000");
  ASSERT_TRUE(finalize_ip_header(p, 4, 9, kProtoEsp, 0x40));
  EXPECT_EQ(p[9], kProtoEsp);
  EXPECT_EQ(wire::get16(&p[2]), 0x40);
  EXPECT_TRUE(ipv4_header_checksum_ok(ConstBytes(p).first(20)));
  EXPECT_FALSE(finalize_ip_header(p, 4, 9, kProtoEsp, 0x10000));  // too long for Total Length
  EXPECT_FALSE(finalize_ip_header(p, 4, 9, kProtoEsp, 12));       // shorter than the header
  EXPECT_FALSE(finalize_ip_header(p, 4, 400, kProtoEsp, 0x40));   // field outside the buffer
  EXPECT_FALSE(finalize_ip_header(p, 5, 9, kProtoEsp, 0x40));
}

}  // namespace
}  // namespace cts::esp
