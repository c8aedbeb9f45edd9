// The `oracle` device: the oracle behind DutAdapter. Where softnic is built, the two are also
// compared: both claim the softnic profile of issue 4, and softnic shares no code with the
// oracle, so equal answers are evidence for both.
#include "runner/dut/oracle_adapter.h"

#include <gtest/gtest.h>

#include <nlohmann/json.hpp>

#include "oracle/ndis/codec.h"

namespace cts::dut {
namespace {

std::vector<uint8_t> add_sa_ex(uint32_t flags, uint32_t spi) {
  ndis::AddSaExRequest request;
  ndis::AddSaElement& e = request.element;
  e.flags = flags;
  e.endpoints = ndis::Endpoints::ipv4({192, 0, 2, 1}, {192, 0, 2, 2});
  e.sec_assoc[0].operation = ndis::IPsecOffloadV2Esp;
  e.sec_assoc[0].spi = spi;
  e.sec_assoc[0].encryption = {ndis::IPSEC_OFFLOAD_V2_ENCRYPTION_AES_CBC_128, 16, 0, 0};
  e.sec_assoc[0].authentication = {ndis::IPSEC_OFFLOAD_V2_AUTHENTICATION_SHA_1, 20, 16, 0};
  e.key_data.assign(36, 0x5a);
  return ndis::encode_add_sa_ex(request, ndis::Abi::x64);
}

uint64_t handle_of(const OidReply& reply) {
  const size_t at = ndis::offload_handle_offset(ndis::OID_TCP_TASK_IPSEC_OFFLOAD_V2_ADD_SA_EX,
                                                ndis::Abi::x64);
  uint64_t h = 0;
  for (size_t i = 0; i < 8; ++i) h |= static_cast<uint64_t>(reply.buffer[at + i]) << (8 * i);
  return h;
}

TEST(OracleAdapter, IsADeviceWithTheSoftnicProfile) {
  auto dut = make_dut("oracle", DutOptions{});
  ASSERT_TRUE(dut) << dut.error().to_string();
  EXPECT_EQ((*dut)->name(), "oracle");
  EXPECT_TRUE((*dut)->features().dump);
  EXPECT_TRUE((*dut)->features().request_sa_delete);
  auto caps = (*dut)->query_capabilities();
  ASSERT_TRUE(caps);
  EXPECT_EQ(caps->inbound_bundle_capacity, 1024u);
  EXPECT_EQ(caps->outbound_bundle_capacity, 1024u);
  EXPECT_EQ(caps->inbound_dest_address_capacity, 128u);
  EXPECT_TRUE(caps->ipsec_offload_v2.esp);
  EXPECT_FALSE(caps->ipsec_offload_v2.ah);
}

TEST(OracleAdapter, AddDumpDeleteReset) {
  auto dut = make_dut("oracle", DutOptions{});
  ASSERT_TRUE(dut);
  auto added = (*dut)->oid_set(ndis::OID_TCP_TASK_IPSEC_OFFLOAD_V2_ADD_SA_EX, add_sa_ex(0, 0x1000));
  ASSERT_TRUE(added);
  EXPECT_EQ(added->status, ndis::NDIS_STATUS_SUCCESS);
  const uint64_t handle = handle_of(*added);
  EXPECT_NE(handle, 0u);
  auto dump = (*dut)->dump();
  ASSERT_TRUE(dump && *dump);
  EXPECT_EQ(nlohmann::json::parse(**dump)["bundles"].size(), 1u);

  ndis::DeleteSaRequest del;
  del.elements.push_back(ndis::DeleteSaElement{{}, handle});
  auto deleted = (*dut)->oid_set(ndis::OID_TCP_TASK_IPSEC_OFFLOAD_V2_DELETE_SA,
                                 ndis::encode_delete_sa(del, ndis::Abi::x64, ndis::NextLinks{0}));
  ASSERT_TRUE(deleted);
  EXPECT_EQ(deleted->status, ndis::NDIS_STATUS_SUCCESS);
  ASSERT_TRUE((*dut)->oid_set(ndis::OID_TCP_TASK_IPSEC_OFFLOAD_V2_ADD_SA_EX, add_sa_ex(1, 0x2000)));
  ASSERT_TRUE((*dut)->reset());
  EXPECT_EQ(nlohmann::json::parse(**(*dut)->dump())["bundles"].size(), 0u);
  ASSERT_TRUE((*dut)->restart());
}

TEST(OracleAdapter, RefusesABadProfileNamingTheField) {
  DutOptions o;
  // A complete profile but for one field of the wrong type: the error must name that field.
  o.oracle_profile_json = R"({"name":"x","capabilities":{"esp":true},
                              "pools":{"total_bundles":"many"}})";
  auto dut = make_dut("oracle", o);
  ASSERT_FALSE(dut);
  EXPECT_EQ(dut.error().kind, DutErrorKind::invalid_argument);
  EXPECT_NE(dut.error().message.find("total_bundles"), std::string::npos) << dut.error().message;
}

#ifdef CTS_SOFTNIC_PLUGIN
TEST(OracleAdapter, AgreesWithSoftnic) {
  auto oracle = make_dut("oracle", DutOptions{});
  auto softnic = make_dut(std::string("plugin:") + CTS_SOFTNIC_PLUGIN, DutOptions{});
  ASSERT_TRUE(oracle && softnic);
  auto a = (*oracle)->query_capabilities();
  auto b = (*softnic)->query_capabilities();
  ASSERT_TRUE(a && b);
  EXPECT_EQ(a->ipsec_offload_v2_raw, b->ipsec_offload_v2_raw);
  EXPECT_EQ(a->inbound_bundle_capacity, b->inbound_bundle_capacity);
  EXPECT_EQ(a->outbound_bundle_capacity, b->outbound_bundle_capacity);
  EXPECT_EQ(a->inbound_dest_address_capacity, b->inbound_dest_address_capacity);
  EXPECT_EQ(a->gcm_key_includes_salt, b->gcm_key_includes_salt);
  for (uint32_t flags : {0u, 1u}) {
    const auto request = add_sa_ex(flags, 0x3000 + flags);
    auto x = (*oracle)->oid_set(ndis::OID_TCP_TASK_IPSEC_OFFLOAD_V2_ADD_SA_EX, request);
    auto y = (*softnic)->oid_set(ndis::OID_TCP_TASK_IPSEC_OFFLOAD_V2_ADD_SA_EX, request);
    ASSERT_TRUE(x && y);
    EXPECT_EQ(x->status, y->status);
    EXPECT_EQ(handle_of(*x) != 0, handle_of(*y) != 0);
  }
}
#endif

}  // namespace
}  // namespace cts::dut

