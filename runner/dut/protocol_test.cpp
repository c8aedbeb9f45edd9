#include "runner/dut/protocol.h"

#include <gtest/gtest.h>

#include "runner/dut/hex.h"

namespace cts::dut {
namespace {

using nlohmann::json;

TEST(Hex, RoundTripAndRejects) {
  const std::vector<uint8_t> bytes{0x00, 0x7f, 0x80, 0xff};
  EXPECT_EQ(to_hex(bytes), "007f80ff");
  EXPECT_EQ(from_hex("007F80ff"), bytes);
  EXPECT_FALSE(from_hex("abc"));
  EXPECT_FALSE(from_hex("zz"));
  EXPECT_EQ(from_hex("")->size(), 0u);
}

TEST(Hex, SixtyFourBitWords) {
  EXPECT_EQ(u64_to_hex(0), "0x0");
  EXPECT_EQ(u64_to_hex(0xFFFFFFFFFFFFFFFFull), "0xffffffffffffffff");
  EXPECT_EQ(u64_from_hex("0x1A2b"), 0x1a2bu);
  EXPECT_FALSE(u64_from_hex("1234"));
  EXPECT_FALSE(u64_from_hex("0x"));
  EXPECT_FALSE(u64_from_hex("0x10000000000000000"));  // 17 digits
  EXPECT_FALSE(u64_from_hex("0xg"));
}

TEST(Protocol, SendRoundTrip) {
  const std::vector<uint8_t> frame{1, 2, 3};
  const ndis::SendOob oob{0x8000000000000001ull, 0x22, 0x32, 1400};
  const json j = protocol::send_to_json(frame, oob);
  EXPECT_EQ(j["oob"]["offload_handle"], "0x8000000000000001");
  auto parsed = protocol::send_from_json(j);
  ASSERT_TRUE(parsed) << parsed.error().to_string();
  EXPECT_EQ(parsed->frame, frame);
  EXPECT_EQ(parsed->oob.offload_handle, oob.offload_handle);
  EXPECT_EQ(parsed->oob.tunnel_handle, 0x22u);
  EXPECT_EQ(parsed->oob.header_info, 0x32u);
  EXPECT_EQ(parsed->oob.lso_mss, 1400u);
}

TEST(Protocol, ErrorsNameTheMember) {
  json j = protocol::send_to_json(std::vector<uint8_t>{1}, {});
  j["oob"]["lso_mss"] = -1;
  auto parsed = protocol::send_from_json(j);
  ASSERT_FALSE(parsed);
  EXPECT_EQ(parsed.error().kind, DutErrorKind::protocol_error);
  EXPECT_NE(parsed.error().message.find("send.oob.lso_mss"), std::string::npos);

  j = protocol::send_to_json(std::vector<uint8_t>{1}, {});
  j["oob"]["offload_handle"] = 5;  // a number where a "0x..." string is required
  parsed = protocol::send_from_json(j);
  ASSERT_FALSE(parsed);
  EXPECT_NE(parsed.error().message.find("send.oob.offload_handle"), std::string::npos);

  auto reply = protocol::oid_reply_from_json(json{{"status", 0}, {"bytes_read", 1},
                                                  {"bytes_needed", 4294967296ull},
                                                  {"buffer", ""}});
  ASSERT_FALSE(reply);
  EXPECT_NE(reply.error().message.find("oid_set.result.bytes_needed: exceeds 32 bits"),
            std::string::npos);
}

TEST(Protocol, CapabilitiesRoundTripThroughTheNdisDecoder) {
  Capabilities caps;
  // NDIS_IPSEC_OFFLOAD_V2: IEEE_802_3, IPv6, Esp, Transport, Tunnel, ESN;
  // SHA_1|SHA_256; AES_GCM_128|AES_CBC_128; 2048 bundles.
  const auto raw = from_hex("02000000" "01000000" "01000101" "00000100" "00000000" "06000000"
                            "48000000" "00080000");
  ASSERT_TRUE(raw);
  std::copy(raw->begin(), raw->end(), caps.ipsec_offload_v2_raw.begin());
  caps.inbound_bundle_capacity = 1024;
  caps.spi_min = 256;
  caps.spi_max = 0xFFFFFFFFu;
  caps.gcm_key_includes_salt = true;
  auto back = protocol::capabilities_from_json(protocol::capabilities_to_json(caps));
  ASSERT_TRUE(back) << back.error().to_string();
  EXPECT_EQ(back->ipsec_offload_v2_raw, caps.ipsec_offload_v2_raw);
  EXPECT_TRUE(back->ipsec_offload_v2.ipv6_supported);
  EXPECT_TRUE(back->ipsec_offload_v2.esp);
  EXPECT_FALSE(back->ipsec_offload_v2.ah);
  EXPECT_TRUE(back->ipsec_offload_v2.extended_sequence_numbers);
  EXPECT_EQ(back->ipsec_offload_v2.authentication_algorithms, 0x6u);
  EXPECT_EQ(back->ipsec_offload_v2.encryption_algorithms, 0x48u);
  EXPECT_EQ(back->ipsec_offload_v2.sa_offload_capacity, 2048u);
  EXPECT_EQ(back->inbound_bundle_capacity, 1024u);
  EXPECT_EQ(back->spi_max, 0xFFFFFFFFu);
  EXPECT_TRUE(back->gcm_key_includes_salt);

  json short_caps = protocol::capabilities_to_json(caps);
  short_caps["ipsec_offload_v2"] = "0200";
  auto refused = protocol::capabilities_from_json(short_caps);
  ASSERT_FALSE(refused);
  EXPECT_NE(refused.error().message.find("must be 32 bytes"), std::string::npos);
}

TEST(Protocol, ReceiveReplyNotIndicatedCarriesNoFrame) {
  ReceiveReply r;
  r.indicated = false;
  r.oob.ipsec_info = 0x30002;
  auto back = protocol::receive_reply_from_json(protocol::receive_reply_to_json(r));
  ASSERT_TRUE(back);
  EXPECT_EQ(back->oob.ipsec_info, 0x30002u);
  json bad = protocol::receive_reply_to_json(r);
  bad["frame"] = "00";
  EXPECT_FALSE(protocol::receive_reply_from_json(bad));
}

TEST(Protocol, ErrorObjects) {
  const DutError e{DutErrorKind::device_error, "ring stalled", "E42"};
  auto back = protocol::error_from_json(protocol::error_to_json(e), "send");
  ASSERT_TRUE(back);
  EXPECT_EQ(back->error.kind, DutErrorKind::device_error);
  EXPECT_NE(back->error.message.find("ring stalled"), std::string::npos);
  EXPECT_EQ(back->error.raw, "E42");
  EXPECT_FALSE(protocol::error_from_json(json("oops"), "send"));
  EXPECT_FALSE(protocol::error_from_json(json{{"kind", "meltdown"}, {"message", "x"}}, "send"));
  EXPECT_FALSE(protocol::error_from_json(json{{"kind", "timeout"}}, "send"));
}

TEST(Protocol, HelloAndDump) {
  protocol::Hello h;
  h.client = "t";
  h.config = json{{"mode", "x"}};
  auto back = protocol::hello_from_json(protocol::hello_to_json(h));
  ASSERT_TRUE(back);
  EXPECT_EQ((*back->config)["mode"], "x");
  EXPECT_FALSE(protocol::hello_from_json(json{{"protocol", 1}, {"config", "text"}}));
  EXPECT_FALSE(protocol::hello_reply_from_json(json{{"protocol", 1}, {"device", "d"}}));

  auto table = protocol::dump_reply_from_json(protocol::dump_reply_to_json("{\"bundles\":[]}"));
  ASSERT_TRUE(table);
  EXPECT_EQ(json::parse(*table), json::parse("{\"bundles\":[]}"));
  EXPECT_FALSE(protocol::dump_reply_from_json(json{{"table", "text"}}));
}

}  // namespace
}  // namespace cts::dut
