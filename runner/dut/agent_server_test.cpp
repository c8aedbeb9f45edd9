// The agent server driven directly over a socket pair: requests a client library would never
// send, to check the server answers every one with a well-formed error and keeps going.
#include "runner/dut/agent_server.h"

#include <sys/socket.h>
#include <unistd.h>

#include <gtest/gtest.h>

#include <thread>

#include <nlohmann/json.hpp>

#include "runner/dut/line_channel.h"

namespace cts::dut {
namespace {

using nlohmann::json;
using namespace std::chrono_literals;

class AgentSession : public ::testing::Test {
 protected:
  void SetUp() override {
    ASSERT_EQ(::socketpair(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0, fds_), 0);
    server_ = std::make_unique<AgentServer>(plugin_opener(CTS_FAKE_DEVICE),
                                            AgentOptions{"", 4096});
    thread_ = std::thread([this] { rc_ = server_->serve(fds_[1], fds_[1]); });
    channel_ = std::make_unique<LineChannel>(fds_[0], fds_[0], 1 << 20);
  }
  void TearDown() override {
    ::shutdown(fds_[0], SHUT_WR);
    if (thread_.joinable()) thread_.join();
    ::close(fds_[0]);
    ::close(fds_[1]);
  }
  json ask(const std::string& line) {
    EXPECT_TRUE(channel_->write_line(line, Clock::now() + 5s).ok());
    std::string answer;
    EXPECT_TRUE(channel_->read_line(answer, Clock::now() + 5s).ok());
    return json::parse(answer);
  }
  int fds_[2] = {-1, -1};
  int rc_ = -1;
  std::unique_ptr<AgentServer> server_;
  std::thread thread_;
  std::unique_ptr<LineChannel> channel_;
};

TEST_F(AgentSession, AnswersBadRequestsWithErrorsAndGoesOn) {
  json a = ask("not json");
  EXPECT_TRUE(a["id"].is_null());
  EXPECT_EQ(a["ok"], false);
  EXPECT_EQ(a["error"]["kind"], "protocol_error");

  a = ask(R"({"id":1,"op":"reset"})");
  EXPECT_EQ(a["id"], 1);
  EXPECT_EQ(a["error"]["kind"], "protocol_error");
  EXPECT_NE(a["error"]["message"].get<std::string>().find("send hello first"), std::string::npos);

  a = ask(R"({"id":2,"op":"hello","protocol":2})");
  EXPECT_EQ(a["error"]["kind"], "unsupported");

  a = ask(R"({"id":3,"op":"hello","protocol":1,"config":{"copies":2}})");
  ASSERT_EQ(a["ok"], true) << a.dump();
  EXPECT_EQ(a["result"]["device"], "fake-device");
  EXPECT_EQ(a["result"]["protocol"], 1);

  a = ask(R"({"id":4,"op":"teleport"})");
  EXPECT_EQ(a["error"]["kind"], "unsupported");
  a = ask(R"({"op":"reset"})");
  EXPECT_EQ(a["error"]["kind"], "protocol_error");  // no id
  a = ask(R"({"id":5,"op":"send","frame":"abc","oob":{}})");
  EXPECT_EQ(a["error"]["kind"], "protocol_error");
  EXPECT_NE(a["error"]["message"].get<std::string>().find("send.frame"), std::string::npos);

  a = ask(R"({"id":6,"op":"send","frame":"0102","oob":{"offload_handle":"0x1","tunnel_handle":"0x0","header_info":0,"lso_mss":0}})");
  ASSERT_EQ(a["ok"], true) << a.dump();
  EXPECT_EQ(a["result"]["frames"], json::array({"0102", "0102"}));  // copies: 2 from hello.config

  a = ask(R"({"id":7,"op":"close"})");
  EXPECT_EQ(a["ok"], true);
  thread_.join();
  EXPECT_EQ(rc_, 0);
}

// docs/process-protocol.md §3.1: only an unsigned integer id is repeated; any other id is
// answered null, whatever else is wrong with the request.
TEST_F(AgentSession, UnusableIdsAreAnsweredNull) {
  for (const char* line :
       {R"({"id":"7","op":"reset"})", R"({"id":-1,"op":"reset"})", R"({"id":1.5,"op":"reset"})",
        R"({"id":true,"op":"reset"})", R"({"id":{"n":1},"op":"reset"})",
        R"({"id":[1],"op":"reset"})", R"({"id":1e2,"op":"reset"})",
        R"({"id":18446744073709551616,"op":"reset"})", R"({"id":"x"})"}) {
    const json a = ask(line);
    EXPECT_TRUE(a["id"].is_null()) << line << " -> " << a.dump();
    EXPECT_EQ(a["ok"], false) << line;
    EXPECT_EQ(a["error"]["kind"], "protocol_error") << line;
  }
  // A usable id is repeated exactly, up to 2^64 - 1, even when the op is missing.
  json a = ask(R"({"id":18446744073709551615})");
  EXPECT_EQ(a["id"].get<uint64_t>(), 18446744073709551615u) << a.dump();
  EXPECT_EQ(a["error"]["kind"], "protocol_error");
}

TEST_F(AgentSession, OverlongRequestEndsTheSession) {
  json a = ask(std::string(5000, 'x'));
  EXPECT_EQ(a["error"]["kind"], "protocol_error");
  thread_.join();
  EXPECT_EQ(rc_, 1);
}

}  // namespace
}  // namespace cts::dut
