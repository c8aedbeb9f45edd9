// The in-process plugin adapter against testdata/fake_device.c, honest and misbehaving.
#include "runner/dut/plugin_adapter.h"

#include <gtest/gtest.h>

#include <nlohmann/json.hpp>

#include "runner/dut/testdata/list_buffers.h"

namespace cts::dut {
namespace {

using namespace cts::dut::testing;
using nlohmann::json;

std::unique_ptr<DutAdapter> open_fake(const std::string& mode = "", unsigned copies = 1) {
  json config = json::object();
  if (!mode.empty()) config["mode"] = mode;
  config["copies"] = copies;
  auto dut = open_plugin(CTS_FAKE_DEVICE, config.dump());
  if (!dut) ADD_FAILURE() << dut.error().to_string();
  return dut ? std::move(*dut) : nullptr;
}

bool contains(const std::string& text, const std::string& part) {
  return text.find(part) != std::string::npos;
}

TEST(PluginAdapter, LoadsAndReportsItself) {
  auto dut = open_fake();
  ASSERT_TRUE(dut);
  EXPECT_EQ(dut->name(), "fake-device");
  EXPECT_TRUE(dut->features().dump);
  EXPECT_TRUE(dut->features().request_sa_delete);
  auto caps = dut->query_capabilities();
  ASSERT_TRUE(caps) << caps.error().to_string();
  EXPECT_TRUE(caps->ipsec_offload_v2.esp);
  EXPECT_TRUE(caps->ipsec_offload_v2.tunnel);
  EXPECT_FALSE(caps->ipsec_offload_v2.ah);
  EXPECT_EQ(caps->ipsec_offload_v2.sa_offload_capacity, 64u);
  EXPECT_EQ(caps->ipsec_offload_v2.encryption_algorithms, 0x48u);
  EXPECT_EQ(caps->inbound_bundle_capacity, 32u);
  EXPECT_EQ(caps->inbound_dest_address_capacity, 8u);
  EXPECT_EQ(caps->spi_min, 256u);
  EXPECT_TRUE(caps->gcm_key_includes_salt);
}

TEST(PluginAdapter, AddSaListReachesTheDeviceAsLivePointersAndComesBackAsOffsets) {
  auto dut = open_fake();
  ASSERT_TRUE(dut);
  const auto request = add_sa_list(3);
  const auto untouched = request;
  auto reply = dut->oid_set(kOidAddSa, request);
  ASSERT_TRUE(reply) << reply.error().to_string();
  EXPECT_EQ(reply->status, 0u);
  EXPECT_EQ(reply->bytes_needed, 3u);  // the fake reports how many elements it walked
  EXPECT_EQ(request, untouched);       // the caller's bytes are never modified
  ASSERT_EQ(reply->buffer.size(), request.size());
  for (size_t i = 0; i < 3; ++i) {
    EXPECT_EQ(get64(reply->buffer, i * kAddSaStride + kAddSaHandle), 0x1001u + i);
    EXPECT_EQ(get64(reply->buffer, i * kAddSaStride + kNext), i < 2 ? (i + 1) * kAddSaStride : 0);
  }
  auto dump = dut->dump();
  ASSERT_TRUE(dump && *dump) << (dump ? "" : dump.error().to_string());
  const json table = json::parse(**dump);
  ASSERT_EQ(table["bundles"].size(), 3u);
  EXPECT_EQ(table["bundles"][1]["handle"], "0x1002");
  EXPECT_EQ(table["bundles"][1]["sas"][0]["spi"], 0x1001);
  EXPECT_EQ(table["bundles"][1]["direction"], "outbound");
}

TEST(PluginAdapter, MalformedListsReachTheDeviceFaithfully) {
  auto dut = open_fake();
  ASSERT_TRUE(dut);
  auto loop = add_sa_list(3);
  put64(loop, 2 * kAddSaStride + kNext, kAddSaStride);  // element 2 -> element 1
  auto reply = dut->oid_set(kOidAddSa, loop);
  ASSERT_TRUE(reply) << reply.error().to_string();
  EXPECT_EQ(reply->status, 0xC0010015u);  // the fake ran around the pointer loop and gave up
  EXPECT_EQ(reply->bytes_needed, 65u);
  EXPECT_EQ(get64(reply->buffer, 2 * kAddSaStride + kNext), kAddSaStride);

  auto wild = add_sa_list(2);
  put64(wild, kNext, 100000);
  reply = dut->oid_set(kOidAddSa, wild);
  ASSERT_TRUE(reply) << reply.error().to_string();
  EXPECT_EQ(reply->status, 0xC0010015u);
  EXPECT_EQ(reply->bytes_needed, 1u);  // element 1 lay outside the buffer
  EXPECT_EQ(get64(reply->buffer, kNext), 100000u);
}

TEST(PluginAdapter, RefusesADeviceThatCorruptsNextLinks) {
  auto dut = open_fake("corrupt_next");
  ASSERT_TRUE(dut);
  auto reply = dut->oid_set(kOidAddSa, add_sa_list(2));
  ASSERT_FALSE(reply);
  EXPECT_EQ(reply.error().kind, DutErrorKind::protocol_error);
  EXPECT_TRUE(contains(reply.error().message, "Next")) << reply.error().message;
}

TEST(PluginAdapter, RefusesADeviceThatWritesPastTheBuffer) {
  auto dut = open_fake("write_past_end");
  ASSERT_TRUE(dut);
  // A length that ends on an 8-byte boundary ends on the guard page: the write faults there, is
  // caught, and is the device's fault; the instance is abandoned and a restart gives a fresh one.
  auto reply = dut->oid_set(kOidUpdateSa, std::vector<uint8_t>(32, 0));
  ASSERT_FALSE(reply);
  EXPECT_EQ(reply.error().kind, DutErrorKind::crashed);
  EXPECT_TRUE(contains(reply.error().message, "wrote past the end")) << reply.error().message;
  EXPECT_TRUE(contains(reply.error().message, "offset 32")) << reply.error().message;
  EXPECT_TRUE(contains(reply.error().message, "guard page")) << reply.error().message;
  EXPECT_FALSE(dut->reset());  // abandoned: nothing runs on it any more
  ASSERT_TRUE(dut->restart());
  // Other lengths leave a few canary bytes before the page: caught there.
  reply = dut->oid_set(kOidUpdateSa, std::vector<uint8_t>(30, 0));
  ASSERT_FALSE(reply);
  EXPECT_EQ(reply.error().kind, DutErrorKind::protocol_error);
  EXPECT_TRUE(contains(reply.error().message, "offset 30")) << reply.error().message;
}

TEST(PluginAdapter, SendEchoesAndRetriesOnBufferTooSmall) {
  const std::vector<uint8_t> frame(1000, 0x42);
  auto dut = open_fake("", 3);
  ASSERT_TRUE(dut);
  auto reply = dut->send(frame, ndis::SendOob{0x1001, 0, 0, 0});
  ASSERT_TRUE(reply) << reply.error().to_string();
  EXPECT_EQ(reply->completion_status, 0u);
  ASSERT_EQ(reply->frames.size(), 3u);
  EXPECT_EQ(reply->frames[2], frame);

  auto many = open_fake("", 200);  // more frames than the first max_frames (64)
  ASSERT_TRUE(many);
  reply = many->send(frame, ndis::SendOob{0x1001, 0, 0, 0});
  ASSERT_TRUE(reply) << reply.error().to_string();
  EXPECT_EQ(reply->frames.size(), 200u);

  auto failed = dut->send(frame, ndis::SendOob{0xDEAD, 0, 0, 0});
  ASSERT_TRUE(failed);
  EXPECT_EQ(failed->completion_status, 0xC0000001u);
  EXPECT_TRUE(failed->frames.empty());
}

TEST(PluginAdapter, RefusesFrameCountsAndLengthsOutsideTheBuffers) {
  auto over = open_fake("overclaim_frames");
  ASSERT_TRUE(over);
  auto reply = over->send(std::vector<uint8_t>(60, 1), {});
  ASSERT_FALSE(reply);
  EXPECT_EQ(reply.error().kind, DutErrorKind::protocol_error);
  EXPECT_TRUE(contains(reply.error().message, "frame_count")) << reply.error().message;

  auto longer = open_fake("overlong_frame");
  ASSERT_TRUE(longer);
  reply = longer->send(std::vector<uint8_t>(60, 1), {});
  ASSERT_FALSE(reply);
  EXPECT_EQ(reply.error().kind, DutErrorKind::protocol_error);
  EXPECT_TRUE(contains(reply.error().message, "past data_capacity")) << reply.error().message;
}

TEST(PluginAdapter, DeviceErrorsCarryLastError) {
  auto dut = open_fake("device_error_on_send");
  ASSERT_TRUE(dut);
  auto reply = dut->send(std::vector<uint8_t>(60, 1), {});
  ASSERT_FALSE(reply);
  EXPECT_EQ(reply.error().kind, DutErrorKind::device_error);
  EXPECT_EQ(reply.error().raw, "transmit ring stalled");

  auto odd = open_fake("bad_result");
  ASSERT_TRUE(odd);
  reply = odd->send(std::vector<uint8_t>(60, 1), {});
  ASSERT_FALSE(reply);
  EXPECT_EQ(reply.error().kind, DutErrorKind::protocol_error);
  EXPECT_TRUE(contains(reply.error().message, "unknown result 77")) << reply.error().message;
}

TEST(PluginAdapter, ReceiveAndSaDeleteRequest) {
  auto dut = open_fake();
  ASSERT_TRUE(dut);
  const std::vector<uint8_t> frame(80, 0x17);
  auto reply = dut->receive(frame);
  ASSERT_TRUE(reply) << reply.error().to_string();
  EXPECT_TRUE(reply->indicated);
  EXPECT_EQ(reply->frame, frame);
  EXPECT_TRUE(reply->oob.crypto_done());
  EXPECT_FALSE(reply->oob.sa_delete_req());
  EXPECT_TRUE(reply->oob.header_info_set());
  ASSERT_TRUE(dut->request_sa_delete(0x1000));
  reply = dut->receive(frame);
  ASSERT_TRUE(reply);
  EXPECT_TRUE(reply->oob.sa_delete_req());
}

TEST(PluginAdapter, ReceiveRetriesAndRefusesBadAnswers) {
  auto grow = open_fake("grow_receive");
  ASSERT_TRUE(grow);
  auto reply = grow->receive(std::vector<uint8_t>(100, 1));
  ASSERT_TRUE(reply) << reply.error().to_string();
  EXPECT_EQ(reply->frame.size(), 100u + 8192u);

  auto longer = open_fake("overlong_receive");
  ASSERT_TRUE(longer);
  reply = longer->receive(std::vector<uint8_t>(100, 1));
  ASSERT_FALSE(reply);
  EXPECT_EQ(reply.error().kind, DutErrorKind::protocol_error);
  EXPECT_TRUE(contains(reply.error().message, "out_length")) << reply.error().message;

  auto two = open_fake("indicated_2");
  ASSERT_TRUE(two);
  reply = two->receive(std::vector<uint8_t>(100, 1));
  ASSERT_FALSE(reply);
  EXPECT_TRUE(contains(reply.error().message, "indicated is 2")) << reply.error().message;
}

TEST(PluginAdapter, RefusesDumpsThatAreNotTerminatedJson) {
  auto garbage = open_fake("garbage_dump");
  ASSERT_TRUE(garbage);
  auto dump = garbage->dump();
  ASSERT_FALSE(dump);
  EXPECT_EQ(dump.error().kind, DutErrorKind::protocol_error);
  EXPECT_EQ(dump.error().raw, "{not json");

  auto unterminated = open_fake("unterminated_dump");
  ASSERT_TRUE(unterminated);
  dump = unterminated->dump();
  ASSERT_FALSE(dump);
  EXPECT_TRUE(contains(dump.error().message, "no NUL")) << dump.error().message;
}

TEST(PluginAdapter, ResetAndRestartEmptyTheTable) {
  auto dut = open_fake();
  ASSERT_TRUE(dut);
  ASSERT_TRUE(dut->oid_set(kOidAddSa, add_sa_list(2)));
  ASSERT_TRUE(dut->reset());
  EXPECT_EQ(json::parse(**dut->dump())["bundles"].size(), 0u);
  ASSERT_TRUE(dut->oid_set(kOidAddSa, add_sa_list(1)));
  ASSERT_TRUE(dut->restart());
  EXPECT_EQ(json::parse(**dut->dump())["bundles"].size(), 0u);
}

TEST(PluginAdapter, RefusesLibrariesThatBreakTheAbi) {
  auto bad_abi = open_plugin(CTS_FAKE_DEVICE_BAD_ABI, "");
  ASSERT_FALSE(bad_abi);
  EXPECT_EQ(bad_abi.error().kind, DutErrorKind::device_error);
  EXPECT_TRUE(contains(bad_abi.error().message, "ABI version 99")) << bad_abi.error().message;

  auto no_send = open_plugin(CTS_FAKE_DEVICE_NO_SEND, "");
  ASSERT_FALSE(no_send);
  EXPECT_TRUE(contains(no_send.error().message, "'send' is NULL")) << no_send.error().message;

  auto no_entry = open_plugin(CTS_FAKE_DEVICE_NO_ENTRY, "");
  ASSERT_FALSE(no_entry);
  EXPECT_TRUE(contains(no_entry.error().message, "ipsec_cts_dut_entry"))
      << no_entry.error().message;

  auto missing = open_plugin("/nonexistent/libnothing.so", "");
  ASSERT_FALSE(missing);
  EXPECT_TRUE(contains(missing.error().message, "cannot load")) << missing.error().message;

  auto refused = open_plugin(CTS_FAKE_DEVICE, "{\"mode\":\"fail_open\"}");
  ASSERT_FALSE(refused);
  EXPECT_EQ(refused.error().kind, DutErrorKind::device_error);
  EXPECT_EQ(refused.error().raw, "no such adapter");
}

}  // namespace
}  // namespace cts::dut
