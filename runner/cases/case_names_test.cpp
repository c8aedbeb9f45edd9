#include "runner/cases/case_names.h"

#include <set>

#include <gtest/gtest.h>

#include "runner/cases/capability_tokens.h"

namespace cts::cases {
namespace {

template <typename Table>
void expect_round_trip(const Table& t) {
  std::set<std::string_view> names;
  for (const auto& e : t.entries()) {
    EXPECT_TRUE(names.insert(e.name).second) << "duplicate name " << e.name;
    ASSERT_TRUE(t.find(e.name)) << e.name;
    EXPECT_EQ(*t.find(e.name), e.value) << e.name;
    EXPECT_EQ(t.name(e.value), e.name);
  }
  EXPECT_FALSE(t.find("no such name"));
}

TEST(CaseNames, EveryTableRoundTripsAndHasUniqueNames) {
  expect_round_trip(kCorruptionNames);
  expect_round_trip(kReceivedFrameNames);
  expect_round_trip(kSendVerdictNames);
  expect_round_trip(kCapabilityFlagNames);
  expect_round_trip(kEncapsulationNames);
  expect_round_trip(kCapabilityTokenNames);
  expect_round_trip(kPatternNames);
  expect_round_trip(kUdpChecksumNames);
  expect_round_trip(kIpv6ExtensionHeaderNames);
  expect_round_trip(kFragmentNames);
}

TEST(CaseNames, ListsForMessages) {
  EXPECT_EQ(kSendVerdictNames.quoted_alternatives(), "\"protected\", \"clear\" or \"none\"");
  EXPECT_EQ(kCorruptionNames.list(), "icv, payload, spi, dst, truncate, esp_header_only, clear, pad_bytes, esp_icv, udp_ike, udp_keepalive, fragment");
  EXPECT_EQ(kCorruptionNames.name(Corruption::none), "");  // the sentinel has no name
  EXPECT_EQ(kUdpChecksumNames.quoted_alternatives(), "\"zero\" or \"computed\"");
  EXPECT_EQ(kFragmentNames.quoted_alternatives(), "\"first\" or \"last\"");
}

TEST(CaseNames, SendVerdictsAreTheSendJudgesEnum) {
  EXPECT_EQ(*kSendVerdictNames.find("protected"), esp::PacketVerdict::protected_frame);
  EXPECT_FALSE(kSendVerdictNames.find("corrupt"));  // a judge's finding, never an expectation
  for (const auto& e : kSendVerdictNames.entries()) EXPECT_EQ(esp::packet_verdict_name(e.value), e.name);
}

TEST(CaseNames, Ipv6ExtensionHeadersAreTheirProtocolNumbers) {
  EXPECT_EQ(*kIpv6ExtensionHeaderNames.find("hop_by_hop"), 0);
  EXPECT_EQ(*kIpv6ExtensionHeaderNames.find("routing"), 43);
  EXPECT_EQ(*kIpv6ExtensionHeaderNames.find("fragment"), 44);
  EXPECT_EQ(*kIpv6ExtensionHeaderNames.find("destination"), 60);
}

TEST(CaseNames, EncapsulationValuesAreTheNdisBits) {
  EXPECT_EQ(static_cast<uint32_t>(*kEncapsulationNames.find("NULL")), ndis::NDIS_ENCAPSULATION_NULL);
  EXPECT_EQ(static_cast<uint32_t>(*kEncapsulationNames.find("IEEE_802_3")), ndis::NDIS_ENCAPSULATION_IEEE_802_3);
}

TEST(CapabilityTokens, ParsesKindsAndAlgorithmBits) {
  auto t = parse_capability_token("!enc:AES_GCM_192");
  ASSERT_TRUE(t);
  EXPECT_TRUE(t->negated);
  EXPECT_EQ(t->kind, CapabilityKind::encryption);
  EXPECT_EQ(t->algorithm, ndis::IPSEC_OFFLOAD_V2_ENCRYPTION_AES_GCM_192);
  EXPECT_EQ(t->text, "!enc:AES_GCM_192");
  t = parse_capability_token("udp_esp:tunnel");
  ASSERT_TRUE(t);
  EXPECT_EQ(t->kind, CapabilityKind::udp_esp_tunnel);
  t = parse_capability_token("auth:SHA_256");
  ASSERT_TRUE(t);
  EXPECT_EQ(t->algorithm, ndis::IPSEC_OFFLOAD_V2_AUTHENTICATION_SHA_256);
  EXPECT_FALSE(parse_capability_token("warp_drive"));
  EXPECT_FALSE(parse_capability_token("enc:AES_GCM_512"));
}

}  // namespace
}  // namespace cts::cases
