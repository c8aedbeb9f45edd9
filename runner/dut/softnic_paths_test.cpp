// The softnic sample device (duts/softnic) through every path the runner offers: in-process
// plugin, isolated plugin, softnic-agent on stdio and on TCP. Every path must report the same
// device and give the same answers. Expected capabilities come from the softnic profile of
// issue 4 (1024 + 1024 bundles, 128 inbound destinations, ESP with AES-GCM-128/256 and
// AES-CBC-128 + HMAC-SHA-1-96 / HMAC-SHA-256-128, ESN, IPv4+IPv6, transport+tunnel, no AH/UDP-ESP).
#include <gtest/gtest.h>

#ifdef CTS_SOFTNIC_PLUGIN

#include <nlohmann/json.hpp>

#include "oracle/ndis/codec.h"
#include "runner/dut/child_process.h"
#include "runner/dut/dut_adapter.h"
#include "runner/dut/line_channel.h"

namespace cts::dut {
namespace {

using namespace std::chrono_literals;

struct TcpSoftnic {
  std::unique_ptr<ChildProcess> child;
  std::string spec;
};

TcpSoftnic start_tcp_softnic() {
  TcpSoftnic out;
  auto child = ChildProcess::spawn({CTS_SOFTNIC_AGENT, "--listen", "127.0.0.1:0"});
  if (!child) {
    ADD_FAILURE() << child.error().to_string();
    return out;
  }
  out.child = std::move(*child);
  LineChannel channel(out.child->stdout_fd(), out.child->stdin_fd(), 4096);
  std::string line;
  if (!channel.read_line(line, Clock::now() + 5s).ok()) {
    ADD_FAILURE() << "softnic-agent did not announce its port";
    return out;
  }
  out.spec = "tcp:127.0.0.1:" + line.substr(line.rfind(':') + 1);
  return out;
}

std::vector<uint8_t> add_sa_ex_cbc_sha1() {
  ndis::AddSaExRequest request;
  ndis::AddSaElement& e = request.element;
  e.flags = 0;  // outbound, IPv4
  e.endpoints = ndis::Endpoints::ipv4({192, 0, 2, 1}, {192, 0, 2, 2});
  e.sec_assoc[0].operation = ndis::IPsecOffloadV2Esp;
  e.sec_assoc[0].spi = 0x00001000;
  e.sec_assoc[0].encryption = {ndis::IPSEC_OFFLOAD_V2_ENCRYPTION_AES_CBC_128, 16, 0, 0};
  e.sec_assoc[0].authentication = {ndis::IPSEC_OFFLOAD_V2_AUTHENTICATION_SHA_1, 20, 16, 0};
  e.key_data.assign(36, 0x5a);
  return ndis::encode_add_sa_ex(request, ndis::Abi::x64);
}

void check_softnic(DutAdapter& dut) {
  SCOPED_TRACE(dut.description());
  auto caps = dut.query_capabilities();
  ASSERT_TRUE(caps) << caps.error().to_string();
  const auto& c = caps->ipsec_offload_v2;
  EXPECT_TRUE(c.esp);
  EXPECT_FALSE(c.ah);
  EXPECT_TRUE(c.ipv6_supported);
  EXPECT_TRUE(c.transport);
  EXPECT_TRUE(c.tunnel);
  EXPECT_TRUE(c.extended_sequence_numbers);
  EXPECT_EQ(c.udp_esp, 0u);
  EXPECT_EQ(c.encryption_algorithms, ndis::IPSEC_OFFLOAD_V2_ENCRYPTION_AES_GCM_128 |
                                         ndis::IPSEC_OFFLOAD_V2_ENCRYPTION_AES_GCM_256 |
                                         ndis::IPSEC_OFFLOAD_V2_ENCRYPTION_AES_CBC_128);
  EXPECT_EQ(caps->inbound_bundle_capacity, 1024u);
  EXPECT_EQ(caps->outbound_bundle_capacity, 1024u);
  EXPECT_EQ(caps->inbound_dest_address_capacity, 128u);

  ASSERT_TRUE(dut.reset());
  const auto request = add_sa_ex_cbc_sha1();
  auto added = dut.oid_set(ndis::OID_TCP_TASK_IPSEC_OFFLOAD_V2_ADD_SA_EX, request);
  ASSERT_TRUE(added) << added.error().to_string();
  EXPECT_EQ(added->status, ndis::NDIS_STATUS_SUCCESS);
  const size_t at = ndis::offload_handle_offset(ndis::OID_TCP_TASK_IPSEC_OFFLOAD_V2_ADD_SA_EX,
                                                ndis::Abi::x64);
  uint64_t handle = 0;
  for (size_t i = 0; i < 8; ++i) handle |= static_cast<uint64_t>(added->buffer[at + i]) << (8 * i);
  EXPECT_NE(handle, 0u);

  if (dut.features().dump) {
    auto dump = dut.dump();
    ASSERT_TRUE(dump && *dump) << (dump ? "" : dump.error().to_string());
    const auto table = nlohmann::json::parse(**dump);
    ASSERT_EQ(table["bundles"].size(), 1u) << **dump;
    EXPECT_EQ(table["bundles"][0]["direction"], "outbound");
    EXPECT_EQ(table["bundles"][0]["sas"][0]["spi"], 0x1000);
  }

  ndis::DeleteSaRequest del;
  del.elements.push_back(ndis::DeleteSaElement{{}, handle});
  auto deleted = dut.oid_set(ndis::OID_TCP_TASK_IPSEC_OFFLOAD_V2_DELETE_SA,
                             ndis::encode_delete_sa(del, ndis::Abi::x64, ndis::NextLinks{0}));
  ASSERT_TRUE(deleted) << deleted.error().to_string();
  EXPECT_EQ(deleted->status, ndis::NDIS_STATUS_SUCCESS);
}

TEST(SoftnicPaths, Plugin) {
  auto dut = make_dut(std::string("plugin:") + CTS_SOFTNIC_PLUGIN, DutOptions{});
  ASSERT_TRUE(dut) << dut.error().to_string();
  EXPECT_EQ((*dut)->name(), "softnic");
  check_softnic(**dut);
}

TEST(SoftnicPaths, IsolatedPlugin) {
  DutOptions o;
  o.isolate = true;
  o.agent_path = CTS_AGENT;
  auto dut = make_dut(std::string("plugin:") + CTS_SOFTNIC_PLUGIN, o);
  ASSERT_TRUE(dut) << dut.error().to_string();
  EXPECT_EQ((*dut)->name(), "softnic");
  check_softnic(**dut);
}

TEST(SoftnicPaths, AgentOnStdio) {
  auto dut = make_dut(std::string("cmd:") + CTS_SOFTNIC_AGENT, DutOptions{});
  ASSERT_TRUE(dut) << dut.error().to_string();
  EXPECT_EQ((*dut)->name(), "softnic");
  check_softnic(**dut);
}

TEST(SoftnicPaths, AgentOnTcp) {
  TcpSoftnic agent = start_tcp_softnic();
  ASSERT_FALSE(agent.spec.empty());
  auto dut = make_dut(agent.spec, DutOptions{});
  ASSERT_TRUE(dut) << dut.error().to_string();
  check_softnic(**dut);
  ASSERT_TRUE((*dut)->restart());
  check_softnic(**dut);
}

}  // namespace
}  // namespace cts::dut

#endif  // CTS_SOFTNIC_PLUGIN
