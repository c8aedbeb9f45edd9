#include "runner/dut/oid_set_line.h"

#include <gtest/gtest.h>

#include <nlohmann/json.hpp>

#include "runner/dut/protocol.h"

namespace cts::dut {
namespace {

using nlohmann::json;

std::string generic(const json& j) { return j.dump(-1, ' ', false, json::error_handler_t::replace); }

const std::vector<uint8_t> kBuffer = {0x80, 0x01, 0xaa, 0x00, 0xff, 0x10};

TEST(OidSetLine, RequestIsTheLineTheGenericPathWrites) {
  json params = protocol::oid_set_to_json(4228055557u, kBuffer);
  params["id"] = 12345678901234ull;
  params["op"] = protocol::kOidSet;
  EXPECT_EQ(oid_set_request_line(12345678901234ull, 4228055557u, kBuffer), generic(params));
  const auto back = read_oid_set_request_line(generic(params));
  ASSERT_TRUE(back);
  EXPECT_EQ(back->id, 12345678901234ull);
  EXPECT_EQ(back->oid, 4228055557u);
  EXPECT_EQ(back->buffer, kBuffer);
}

TEST(OidSetLine, AnswerIsTheLineTheGenericPathWrites) {
  OidReply r;
  r.status = 0xC0000001u;
  r.bytes_read = 6;
  r.bytes_needed = 0;
  r.buffer = kBuffer;
  const json answer = {{"id", 7}, {"ok", true}, {"result", protocol::oid_reply_to_json(r)}};
  EXPECT_EQ(oid_set_answer_line(7, r), generic(answer));
  const auto back = read_oid_set_answer_line(generic(answer));
  ASSERT_TRUE(back);
  EXPECT_EQ(back->id, 7u);
  EXPECT_EQ(back->reply.status, r.status);
  EXPECT_EQ(back->reply.bytes_read, 6u);
  EXPECT_EQ(back->reply.bytes_needed, 0u);
  EXPECT_EQ(back->reply.buffer, kBuffer);
}

TEST(OidSetLine, AnyOtherFormIsLeftToTheJsonReader) {
  const std::string ok = oid_set_request_line(1, 2, kBuffer);
  ASSERT_TRUE(read_oid_set_request_line(ok));
  for (const std::string& bad : {
           std::string("{\"buffer\":\"8001\", \"id\":1,\"oid\":2,\"op\":\"oid_set\"}"),  // a space
           std::string("{\"id\":1,\"buffer\":\"8001\",\"oid\":2,\"op\":\"oid_set\"}"),   // another order
           std::string("{\"buffer\":\"800\",\"id\":1,\"oid\":2,\"op\":\"oid_set\"}"),    // odd hex
           std::string("{\"buffer\":\"80\\u0030\",\"id\":1,\"oid\":2,\"op\":\"oid_set\"}"),  // an escape
           std::string("{\"buffer\":\"8001\",\"id\":01,\"oid\":2,\"op\":\"oid_set\"}"),   // leading zero
           std::string("{\"buffer\":\"8001\",\"id\":1.0,\"oid\":2,\"op\":\"oid_set\"}"),  // a fraction
           std::string("{\"buffer\":\"8001\",\"id\":-1,\"oid\":2,\"op\":\"oid_set\"}"),
           std::string("{\"buffer\":\"8001\",\"id\":1,\"oid\":4294967296,\"op\":\"oid_set\"}"),  // > u32
           std::string("{\"buffer\":\"8001\",\"id\":1,\"oid\":2,\"op\":\"oid_set\",\"x\":0}"),
           std::string("{\"buffer\":\"8001\",\"id\":1,\"oid\":2,\"op\":\"oid_set\"}x"),
           std::string("{\"buffer\":\"8001\",\"id\":1,\"oid\":2,\"op\":\"send\"}"),
           ok.substr(0, ok.size() - 1)}) {
    EXPECT_FALSE(read_oid_set_request_line(bad)) << bad;
  }
  EXPECT_FALSE(read_oid_set_answer_line("{\"id\":1,\"ok\":false,\"error\":{}}"));
  EXPECT_FALSE(read_oid_set_answer_line(
      "{\"id\":1,\"ok\":true,\"result\":{\"buffer\":\"80\",\"bytes_needed\":0,\"bytes_read\":1,\"status\":4294967296}}"));
  EXPECT_FALSE(read_oid_set_answer_line(
      "{\"id\":1,\"ok\":true,\"result\":{\"buffer\":\"80\",\"bytes_needed\":0,\"bytes_read\":1,\"status\":0,\"x\":1}}"));
  EXPECT_TRUE(read_oid_set_answer_line(
      "{\"id\":1,\"ok\":true,\"result\":{\"buffer\":\"80\",\"bytes_needed\":0,\"bytes_read\":1,\"status\":4294967295}}"));
}

}  // namespace
}  // namespace cts::dut
