#include <gtest/gtest.h>

#include "runner/dut/dut_adapter.h"

namespace cts::dut {
namespace {

TEST(DutSpec, ParsesEveryForm) {
  auto softnic = parse_dut_spec("softnic");
  ASSERT_TRUE(softnic);
  EXPECT_EQ(softnic->kind, DutSpec::Kind::softnic);
  EXPECT_EQ(softnic->path, executable_directory() + "/../lib/libipsec_cts_softnic.so");
  auto full = parse_dut_spec("softnic-full");
  ASSERT_TRUE(full);
  EXPECT_EQ(full->kind, DutSpec::Kind::softnic);
  EXPECT_EQ(full->path, executable_directory() + "/../lib/libipsec_cts_softnic_full.so");

  auto plugin = parse_dut_spec("plugin:/opt/x/libnic.so");
  ASSERT_TRUE(plugin);
  EXPECT_EQ(plugin->kind, DutSpec::Kind::plugin);
  EXPECT_EQ(plugin->path, "/opt/x/libnic.so");

  auto cmd = parse_dut_spec("cmd:'agent --listen 0 --x \"y\"'");
  ASSERT_TRUE(cmd);
  EXPECT_EQ(cmd->kind, DutSpec::Kind::command);
  EXPECT_EQ(cmd->command, "agent --listen 0 --x \"y\"");
  EXPECT_EQ(parse_dut_spec("cmd:agent -v")->command, "agent -v");

  auto tcp = parse_dut_spec("tcp:10.0.0.2:4000");
  ASSERT_TRUE(tcp);
  EXPECT_EQ(tcp->host, "10.0.0.2");
  EXPECT_EQ(tcp->port, 4000);
  auto v6 = parse_dut_spec("tcp:[::1]:65535");
  ASSERT_TRUE(v6);
  EXPECT_EQ(v6->host, "::1");
  EXPECT_EQ(v6->port, 65535);

  EXPECT_EQ(parse_dut_spec("oracle")->kind, DutSpec::Kind::oracle);
}

TEST(DutSpec, NoDumpPrefixMarksTheDeviceAsABlackBox) {
  auto plain = parse_dut_spec("plugin:/opt/x/libnic.so");
  ASSERT_TRUE(plain);
  EXPECT_FALSE(plain->ignore_dump);
  auto blind = parse_dut_spec("no-dump:plugin:/opt/x/libnic.so");
  ASSERT_TRUE(blind);
  EXPECT_TRUE(blind->ignore_dump);
  EXPECT_EQ(blind->kind, DutSpec::Kind::plugin);
  EXPECT_EQ(blind->path, "/opt/x/libnic.so");
  auto cmd = parse_dut_spec("no-dump:cmd:'agent -v'");
  ASSERT_TRUE(cmd);
  EXPECT_TRUE(cmd->ignore_dump);
  EXPECT_EQ(cmd->command, "agent -v");
  EXPECT_FALSE(parse_dut_spec("no-dump:"));
  EXPECT_FALSE(parse_dut_spec("no-dump:nic"));
}

TEST(DutSpec, RejectsWithAReason) {
  for (const char* bad : {"", "nic", "plugin:", "cmd:", "cmd:  ", "tcp:host", "tcp:host:0",
                          "tcp:host:65536", "tcp::::1:4", "tcp:[::1]", "tcp:h:12a"}) {
    SCOPED_TRACE(bad);
    auto r = parse_dut_spec(bad);
    ASSERT_FALSE(r);
    EXPECT_EQ(r.error().kind, DutErrorKind::invalid_argument);
    EXPECT_FALSE(r.error().message.empty());
  }
  EXPECT_NE(parse_dut_spec("nic").error().message.find("plugin:PATH"), std::string::npos);
}

TEST(DutFactory, MissingPluginFileIsNamed) {
  auto r = make_dut("plugin:/nonexistent/libnic.so", DutOptions{});
  ASSERT_FALSE(r);
  EXPECT_EQ(r.error().kind, DutErrorKind::device_error);
  EXPECT_NE(r.error().message.find("/nonexistent/libnic.so: no such file"), std::string::npos);
}

TEST(DutError, Text) {
  const DutError e{DutErrorKind::timeout, "send: no answer", "stderr: x"};
  EXPECT_EQ(e.to_string(), "timeout: send: no answer [device said: stderr: x]");
  EXPECT_EQ(to_string(DutErrorKind::protocol_error), "protocol_error");
}

}  // namespace
}  // namespace cts::dut
