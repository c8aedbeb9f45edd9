#include "runner/vectors/link_frame.h"

#include <gtest/gtest.h>

namespace cts::vectors {
namespace {

const std::vector<uint8_t> kIpv4 = {0x45, 0, 0, 20, 0, 0, 0, 0, 64, 50, 0, 0, 192, 0, 2, 1, 192, 0, 2, 2};

TEST(LinkFrame, EthernetRoundTrip) {
  std::vector<uint8_t> frame;
  append_ethernet_frame(kIpv4, frame);
  ASSERT_EQ(frame.size(), 14 + kIpv4.size());
  EXPECT_EQ(frame[12], 0x08);
  EXPECT_EQ(frame[13], 0x00);
  IpInRecord ip;
  std::string why;
  ASSERT_TRUE(ip_from_record(LinkType::kEthernet, frame, ip, why)) << why;
  EXPECT_EQ(ip.version, 4);
  EXPECT_EQ(std::vector<uint8_t>(ip.ip.begin(), ip.ip.end()), kIpv4);
}

TEST(LinkFrame, EthernetWithVlanTag) {
  std::vector<uint8_t> frame = {2, 0, 0, 0, 0, 2, 2, 0, 0, 0, 0, 1, 0x81, 0x00, 0x00, 0x05, 0x08, 0x00};
  frame.insert(frame.end(), kIpv4.begin(), kIpv4.end());
  IpInRecord ip;
  std::string why;
  ASSERT_TRUE(ip_from_record(LinkType::kEthernet, frame, ip, why)) << why;
  EXPECT_EQ(ip.ip.size(), kIpv4.size());
}

TEST(LinkFrame, NonIpFramesAreNamed) {
  std::vector<uint8_t> arp = {2, 0, 0, 0, 0, 2, 2, 0, 0, 0, 0, 1, 0x08, 0x06, 0, 1};
  IpInRecord ip;
  std::string why;
  EXPECT_FALSE(ip_from_record(LinkType::kEthernet, arp, ip, why));
  EXPECT_FALSE(why.empty());
  EXPECT_FALSE(ip_from_record(LinkType::kEthernet, std::vector<uint8_t>{1, 2, 3}, ip, why));
  EXPECT_FALSE(ip_from_record(LinkType::kRawIp, std::vector<uint8_t>{}, ip, why));
  EXPECT_FALSE(ip_from_record(LinkType::kRawIp, std::vector<uint8_t>{0x55}, ip, why));
  EXPECT_FALSE(ip_from_record(LinkType::kIpv6, kIpv4, ip, why));
  EXPECT_FALSE(ip_from_record(LinkType::kLinuxSll, std::vector<uint8_t>(10, 0), ip, why));
}

TEST(LinkFrame, RawAndCooked) {
  IpInRecord ip;
  std::string why;
  ASSERT_TRUE(ip_from_record(LinkType::kRawIp, kIpv4, ip, why)) << why;
  EXPECT_EQ(ip.version, 4);
  std::vector<uint8_t> sll(16, 0);
  sll[14] = 0x08;
  sll.insert(sll.end(), kIpv4.begin(), kIpv4.end());
  ASSERT_TRUE(ip_from_record(LinkType::kLinuxSll, sll, ip, why)) << why;
  EXPECT_EQ(ip.ip.size(), kIpv4.size());
}

}  // namespace
}  // namespace cts::vectors
