// The process adapter against ipsec-cts-agent (a real agent hosting the fake device), against
// a deliberately broken agent (testdata/fake_agent.cpp), and over TCP on 127.0.0.1.
#include "runner/dut/process_adapter.h"

#include <gtest/gtest.h>

#include <chrono>
#include <cstdio>

#include <nlohmann/json.hpp>

#include "runner/dut/child_process.h"
#include "runner/dut/line_channel.h"
#include "runner/dut/testdata/list_buffers.h"

namespace cts::dut {
namespace {

using namespace cts::dut::testing;
using namespace std::chrono_literals;
using nlohmann::json;

bool contains(const std::string& text, const std::string& part) {
  return text.find(part) != std::string::npos;
}

DutOptions quick(std::chrono::milliseconds timeout = 5000ms) {
  DutOptions o;
  o.request_timeout = timeout;
  o.agent_path = CTS_AGENT;
  return o;
}

std::string agent_cmd(const std::string& extra = "") {
  return std::string("cmd:") + CTS_AGENT + " --plugin " + CTS_FAKE_DEVICE + extra;
}

std::unique_ptr<DutAdapter> fake_agent(const std::string& mode, DutOptions options = quick()) {
  // Started without a shell, so the agent's own exit and its closing of stdout are seen.
  auto dut = make_dut(std::string("cmd:") + CTS_FAKE_AGENT + " " + mode, options);
  if (!dut) ADD_FAILURE() << dut.error().to_string();
  return dut ? std::move(*dut) : nullptr;
}

// The same checks through any transport that hosts the fake device.
void exercise_fake_device(DutAdapter& dut) {
  EXPECT_EQ(dut.name(), "fake-device");
  EXPECT_TRUE(dut.features().dump);
  EXPECT_TRUE(dut.features().request_sa_delete);
  auto caps = dut.query_capabilities();
  ASSERT_TRUE(caps) << caps.error().to_string();
  EXPECT_EQ(caps->ipsec_offload_v2.sa_offload_capacity, 64u);
  EXPECT_EQ(caps->spi_min, 256u);

  auto reply = dut.oid_set(kOidAddSa, add_sa_list(3));
  ASSERT_TRUE(reply) << reply.error().to_string();
  EXPECT_EQ(reply->status, 0u);
  EXPECT_EQ(reply->bytes_needed, 3u);
  for (size_t i = 0; i < 3; ++i) {
    EXPECT_EQ(get64(reply->buffer, i * kAddSaStride + kAddSaHandle), 0x1001u + i);
    EXPECT_EQ(get64(reply->buffer, i * kAddSaStride + kNext), i < 2 ? (i + 1) * kAddSaStride : 0);
  }
  const std::vector<uint8_t> frame(300, 0x5c);
  auto sent = dut.send(frame, ndis::SendOob{0x1001, 0, 0x32, 0});
  ASSERT_TRUE(sent) << sent.error().to_string();
  ASSERT_EQ(sent->frames.size(), 1u);
  EXPECT_EQ(sent->frames[0], frame);
  ASSERT_TRUE(dut.request_sa_delete(0x1000));
  auto received = dut.receive(frame);
  ASSERT_TRUE(received) << received.error().to_string();
  EXPECT_TRUE(received->indicated);
  EXPECT_EQ(received->frame, frame);
  EXPECT_TRUE(received->oob.sa_delete_req());
  EXPECT_TRUE(received->oob.crypto_done());
  auto dump = dut.dump();
  ASSERT_TRUE(dump && *dump);
  EXPECT_EQ(json::parse(**dump)["bundles"].size(), 3u);
  ASSERT_TRUE(dut.reset());
  EXPECT_EQ(json::parse(**dut.dump())["bundles"].size(), 0u);
}

TEST(ProcessAdapter, AgentOnStdioServesThePlugin) {
  auto dut = make_dut(agent_cmd(), quick());
  ASSERT_TRUE(dut) << dut.error().to_string();
  exercise_fake_device(**dut);
}

TEST(ProcessAdapter, AgentKeepsDeviceStdoutOffTheWire) {
  DutOptions o = quick();
  o.config_json = R"({"mode":"stdout_noise"})";
  auto dut = make_dut(agent_cmd(), o);
  ASSERT_TRUE(dut) << dut.error().to_string();
  exercise_fake_device(**dut);
}

TEST(ProcessAdapter, AgentRelaysDeviceAbiViolationsAndContinues) {
  DutOptions o = quick();
  o.config_json = R"({"mode":"corrupt_next"})";
  auto dut = make_dut(agent_cmd(), o);
  ASSERT_TRUE(dut) << dut.error().to_string();
  auto reply = (*dut)->oid_set(kOidAddSa, add_sa_list(2));
  ASSERT_FALSE(reply);
  EXPECT_EQ(reply.error().kind, DutErrorKind::protocol_error);
  EXPECT_TRUE(contains(reply.error().message, "Next")) << reply.error().message;
  EXPECT_TRUE((*dut)->query_capabilities());  // the session goes on
}

TEST(ProcessAdapter, IsolatedPluginCrashIsAnErrorAndRestartRecovers) {
  DutOptions o = quick();
  o.isolate = true;
  o.config_json = R"({"mode":"crash_on_send"})";
  auto dut = make_dut(std::string("plugin:") + CTS_FAKE_DEVICE, o);
  ASSERT_TRUE(dut) << dut.error().to_string();
  EXPECT_TRUE(contains((*dut)->description(), "isolated"));
  auto sent = (*dut)->send(std::vector<uint8_t>(60, 1), {});
  ASSERT_FALSE(sent);
  EXPECT_EQ(sent.error().kind, DutErrorKind::crashed);
  EXPECT_TRUE(contains(sent.error().message, "signal 11")) << sent.error().message;
  auto after = (*dut)->query_capabilities();
  ASSERT_FALSE(after);
  EXPECT_EQ(after.error().kind, DutErrorKind::closed);
  ASSERT_TRUE((*dut)->restart());
  auto caps = (*dut)->query_capabilities();
  EXPECT_TRUE(caps) << caps.error().to_string();
}

TEST(ProcessAdapter, IsolatedPluginHangTimesOut) {
  DutOptions o = quick(300ms);
  o.isolate = true;
  o.config_json = R"({"mode":"hang_on_send"})";
  auto dut = make_dut(std::string("plugin:") + CTS_FAKE_DEVICE, o);
  ASSERT_TRUE(dut) << dut.error().to_string();
  const auto start = std::chrono::steady_clock::now();
  auto sent = (*dut)->send(std::vector<uint8_t>(60, 1), {});
  const auto took = std::chrono::steady_clock::now() - start;
  ASSERT_FALSE(sent);
  EXPECT_EQ(sent.error().kind, DutErrorKind::timeout);
  EXPECT_TRUE(contains(sent.error().message, "300 ms")) << sent.error().message;
  EXPECT_LT(took, 3s);
  ASSERT_TRUE((*dut)->restart());
  EXPECT_TRUE((*dut)->reset());
}

TEST(ProcessAdapter, OpenFailureTravelsInHello) {
  DutOptions o = quick();
  o.config_json = R"({"mode":"fail_open"})";
  auto dut = make_dut(agent_cmd(), o);
  ASSERT_FALSE(dut);
  EXPECT_EQ(dut.error().kind, DutErrorKind::device_error);
  EXPECT_TRUE(contains(dut.error().to_string(), "no such adapter")) << dut.error().to_string();
}

TEST(ProcessAdapter, CrashMidRequest) {
  auto dut = fake_agent("crash");
  ASSERT_TRUE(dut);
  auto r = dut->reset();
  ASSERT_FALSE(r);
  EXPECT_EQ(r.error().kind, DutErrorKind::crashed);
  EXPECT_TRUE(contains(r.error().message, "signal 11")) << r.error().message;
  EXPECT_TRUE(contains(r.error().raw, "about to crash")) << r.error().raw;  // stderr tail
  EXPECT_TRUE(contains(r.error().raw, "{\"id\":")) << r.error().raw;        // partial output
  ASSERT_TRUE(dut->restart());  // a fresh child: hello works again
  EXPECT_EQ(dut->name(), "fake-agent");
}

TEST(ProcessAdapter, CmdStartsTheAgentWithoutAShell) {
  auto dut = make_dut(std::string("cmd:") + CTS_FAKE_AGENT + " crash", quick());
  ASSERT_TRUE(dut) << dut.error().to_string();
  auto r = (*dut)->reset();
  ASSERT_FALSE(r);
  EXPECT_EQ(r.error().kind, DutErrorKind::crashed);
  // The agent itself died (no shell in between to turn the signal into a status).
  EXPECT_TRUE(contains(r.error().message, "terminated by signal 11")) << r.error().message;
  // Shell syntax stays literal: the ';' and what follows are arguments, never a second command.
  const std::string marker = std::string(CTS_BINARY_DIR) + "/cmd-no-shell-marker";
  std::remove(marker.c_str());
  auto literal = make_dut(std::string("cmd:") + CTS_FAKE_AGENT + " ok; touch " + marker, quick());
  if (literal) (void)(*literal)->reset();
  FILE* f = std::fopen(marker.c_str(), "r");
  EXPECT_EQ(f, nullptr) << "a shell ran the command line";
  if (f) std::fclose(f);
  auto unbalanced = make_dut(std::string("cmd:") + CTS_FAKE_AGENT + " 'x", quick());
  ASSERT_FALSE(unbalanced);
  EXPECT_EQ(unbalanced.error().kind, DutErrorKind::invalid_argument);
}

TEST(ProcessAdapter, HangPastTheTimeout) {
  auto dut = fake_agent("hang", quick(200ms));
  ASSERT_TRUE(dut);
  auto r = dut->reset();
  ASSERT_FALSE(r);
  EXPECT_EQ(r.error().kind, DutErrorKind::timeout);
  EXPECT_TRUE(contains(r.error().raw, "hanging")) << r.error().raw;
  EXPECT_EQ(dut->reset().error().kind, DutErrorKind::closed);
}

TEST(ProcessAdapter, ClosedStdout) {
  auto dut = fake_agent("close_stdout");
  ASSERT_TRUE(dut);
  auto r = dut->reset();
  ASSERT_FALSE(r);
  EXPECT_EQ(r.error().kind, DutErrorKind::closed);
  EXPECT_TRUE(contains(r.error().message, "closed its output")) << r.error().message;
}

TEST(ProcessAdapter, ExitWithoutAnswer) {
  auto dut = fake_agent("exit");
  ASSERT_TRUE(dut);
  auto r = dut->reset();
  ASSERT_FALSE(r);
  EXPECT_EQ(r.error().kind, DutErrorKind::crashed);
  EXPECT_TRUE(contains(r.error().message, "exited with status 3")) << r.error().message;
}

TEST(ProcessAdapter, Garbage) {
  struct Case {
    const char* mode;
    const char* message_part;
    const char* raw_part;
  };
  for (const Case& c : {Case{"non_json", "not a JSON object", "this is not json"},
                        Case{"wrong_id", "answer id 9, expected 2", "\"id\":9"},
                        Case{"missing_fields", "send.result.completion_status: missing", "frames"},
                        Case{"bad_error_object", "must be an object", "oops"}}) {
    SCOPED_TRACE(c.mode);
    auto dut = fake_agent(c.mode);
    ASSERT_TRUE(dut);
    auto r = dut->send(std::vector<uint8_t>{1, 2, 3}, {});
    ASSERT_FALSE(r);
    EXPECT_EQ(r.error().kind, DutErrorKind::protocol_error);
    EXPECT_TRUE(contains(r.error().message, c.message_part)) << r.error().message;
    EXPECT_TRUE(contains(r.error().raw, c.raw_part)) << r.error().raw;
    EXPECT_EQ(dut->reset().error().kind, DutErrorKind::closed);  // out of step: torn down
    ASSERT_TRUE(dut->restart());
  }
}

TEST(ProcessAdapter, HugeLineIsCutOff) {
  DutOptions o = quick();
  o.max_line_bytes = 1u << 20;
  auto dut = fake_agent("huge_line", o);
  ASSERT_TRUE(dut);
  auto r = dut->reset();
  ASSERT_FALSE(r);
  EXPECT_EQ(r.error().kind, DutErrorKind::protocol_error);
  EXPECT_TRUE(contains(r.error().message, "longer than 1048576 bytes")) << r.error().message;
  EXPECT_LT(r.error().raw.size(), 2048u);  // quoted, not copied whole
}

TEST(ProcessAdapter, ErrorObjectIsOneFailedOperation) {
  auto dut = fake_agent("error_object");
  ASSERT_TRUE(dut);
  auto r = dut->reset();
  ASSERT_FALSE(r);
  EXPECT_EQ(r.error().kind, DutErrorKind::device_error);
  EXPECT_TRUE(contains(r.error().message, "ring stalled"));
  EXPECT_EQ(r.error().raw, "E42");
  EXPECT_TRUE(dut->reset());  // the session continues
  auto caps = dut->query_capabilities();
  ASSERT_TRUE(caps) << caps.error().to_string();
  EXPECT_TRUE(caps->ipsec_offload_v2.esp);
  EXPECT_EQ(caps->ipsec_offload_v2.sa_offload_capacity, 4u);
  EXPECT_FALSE(dut->features().dump);
  auto dump = dut->dump();
  ASSERT_TRUE(dump);
  EXPECT_FALSE(*dump);  // not offered: nullopt, not an error
  EXPECT_EQ(dut->request_sa_delete(1).error().kind, DutErrorKind::unsupported);
}

TEST(ProcessAdapter, BadHellos) {
  auto v2 = make_dut(std::string("cmd:") + CTS_FAKE_AGENT + " bad_hello", quick());
  ASSERT_FALSE(v2);
  EXPECT_EQ(v2.error().kind, DutErrorKind::protocol_error);
  EXPECT_TRUE(contains(v2.error().message, "protocol version 2")) << v2.error().message;

  auto noisy = make_dut(std::string("cmd:") + CTS_FAKE_AGENT + " noise_before_hello", quick());
  ASSERT_FALSE(noisy);
  EXPECT_EQ(noisy.error().kind, DutErrorKind::protocol_error);
  EXPECT_TRUE(contains(noisy.error().raw, "fake agent 1.0 starting")) << noisy.error().raw;

  auto missing = make_dut("cmd:/nonexistent/agent --x", quick());
  ASSERT_FALSE(missing);
  // No shell in between: the exec failure itself is reported.
  EXPECT_EQ(missing.error().kind, DutErrorKind::device_error);
  EXPECT_TRUE(contains(missing.error().message, "cannot execute /nonexistent/agent: No such file"))
      << missing.error().message;

  DutOptions bad_config = quick();
  bad_config.config_json = "[1]";
  auto refused = make_dut(agent_cmd(), bad_config);
  ASSERT_FALSE(refused);
  EXPECT_EQ(refused.error().kind, DutErrorKind::invalid_argument);
}

// An agent listening on an ephemeral loopback port; the port is read from its first line.
class TcpAgent {
 public:
  explicit TcpAgent(std::vector<std::string> argv) {
    argv.push_back("--listen");
    argv.push_back("127.0.0.1:0");
    auto child = ChildProcess::spawn(argv);
    if (!child) {
      ADD_FAILURE() << child.error().to_string();
      return;
    }
    child_ = std::move(*child);
    LineChannel out(child_->stdout_fd(), child_->stdin_fd(), 4096);
    std::string line;
    const auto st = out.read_line(line, Clock::now() + 5s);
    if (!st.ok() || !contains(line, "listening on 127.0.0.1:")) {
      ADD_FAILURE() << "agent did not announce its port: '" << line << "'";
      return;
    }
    port_ = line.substr(line.rfind(':') + 1);
  }
  std::string spec() const { return "tcp:127.0.0.1:" + port_; }
  ChildProcess& child() { return *child_; }

 private:
  std::unique_ptr<ChildProcess> child_;
  std::string port_;
};

TEST(ProcessAdapter, TcpOnLoopback) {
  TcpAgent agent({CTS_AGENT, "--plugin", CTS_FAKE_DEVICE});
  auto dut = make_dut(agent.spec(), quick());
  ASSERT_TRUE(dut) << dut.error().to_string();
  exercise_fake_device(**dut);
  ASSERT_TRUE((*dut)->oid_set(kOidAddSa, add_sa_list(2)));
  ASSERT_TRUE((*dut)->restart());  // a new connection is a fresh device instance
  EXPECT_EQ(json::parse(**(*dut)->dump())["bundles"].size(), 0u);
  agent.child().kill_and_reap();
  auto r = (*dut)->reset();
  ASSERT_FALSE(r);
  EXPECT_EQ(r.error().kind, DutErrorKind::closed);
  EXPECT_TRUE(contains(r.error().message, "closed the connection")) << r.error().message;
}

TEST(ProcessAdapter, TcpNobodyListening) {
  TcpAgent agent({CTS_AGENT, "--plugin", CTS_FAKE_DEVICE});
  const std::string spec = agent.spec();
  agent.child().kill_and_reap();
  auto dut = make_dut(spec, quick());
  ASSERT_FALSE(dut);
  EXPECT_EQ(dut.error().kind, DutErrorKind::closed);
  EXPECT_TRUE(contains(dut.error().message, "cannot connect")) << dut.error().message;
}

}  // namespace
}  // namespace cts::dut
