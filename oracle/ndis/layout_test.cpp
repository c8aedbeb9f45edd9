// Layout tests: every expected number below is typed from the documented layouts of the structures (and the
// NDIS_SIZEOF table of 2.2), never computed from offsetof, so a layout edit that moves a byte
// fails here as well as in the static_asserts of the layout headers.
#include <gtest/gtest.h>

#include "oracle/ndis/codec.h"
#include "oracle/ndis/layout_x64.h"
#include "oracle/ndis/layout_x86.h"

namespace cts::ndis {
namespace {

struct Row {
  const char* field;
  size_t actual;
  size_t spec;
};

void expect_rows(const char* structure, std::initializer_list<Row> rows) {
  for (const Row& r : rows) {
    EXPECT_EQ(r.actual, r.spec) << structure << "." << r.field;
  }
}

// GEN-012: IPSEC_OFFLOAD_V2_ADD_SA, both columns.
TEST(Layout, AddSaMatchesSpecTable3_6) {
  using A = x64::IPSEC_OFFLOAD_V2_ADD_SA;
  using B = x86::IPSEC_OFFLOAD_V2_ADD_SA;
  expect_rows("x64 ADD_SA",
              {{"Header", offsetof(A, Header), 0},
               {"Next", offsetof(A, Next), 8},
               {"NumExtHdrs", offsetof(A, NumExtHdrs), 16},
               {"Flags", offsetof(A, Flags), 20},
               {"IPv4Endpoints.SrcAddr", offsetof(A, IPv4Endpoints.SrcAddr), 24},
               {"IPv4Endpoints.DestAddr", offsetof(A, IPv4Endpoints.DestAddr), 28},
               {"IPv6Endpoints.SrcAddr", offsetof(A, IPv6Endpoints.SrcAddr), 24},
               {"IPv6Endpoints.DestAddr", offsetof(A, IPv6Endpoints.DestAddr), 40},
               {"OffloadHandle", offsetof(A, OffloadHandle), 56},
               {"UdpEspEncapsulation", offsetof(A, UdpEspEncapsulation), 64},
               {"SecAssoc[0]", offsetof(A, SecAssoc[0]), 68},
               {"SecAssoc[1]", offsetof(A, SecAssoc[1]), 116},
               {"KeyLength", offsetof(A, KeyLength), 164},
               {"KeyData", offsetof(A, KeyData), 168},
               {"sizeof", sizeof(A), 176},
               {"NDIS_SIZEOF_REVISION_1", x64::NDIS_SIZEOF_IPSEC_OFFLOAD_V2_ADD_SA_REVISION_1, 169}});
  expect_rows("x86 ADD_SA",
              {{"Header", offsetof(B, Header), 0},
               {"Next", offsetof(B, Next), 4},
               {"NumExtHdrs", offsetof(B, NumExtHdrs), 8},
               {"Flags", offsetof(B, Flags), 12},
               {"IPv4Endpoints.SrcAddr", offsetof(B, IPv4Endpoints.SrcAddr), 16},
               {"IPv4Endpoints.DestAddr", offsetof(B, IPv4Endpoints.DestAddr), 20},
               {"IPv6Endpoints.SrcAddr", offsetof(B, IPv6Endpoints.SrcAddr), 16},
               {"IPv6Endpoints.DestAddr", offsetof(B, IPv6Endpoints.DestAddr), 32},
               {"OffloadHandle", offsetof(B, OffloadHandle), 48},
               {"UdpEspEncapsulation", offsetof(B, UdpEspEncapsulation), 52},
               {"SecAssoc[0]", offsetof(B, SecAssoc[0]), 56},
               {"SecAssoc[1]", offsetof(B, SecAssoc[1]), 104},
               {"KeyLength", offsetof(B, KeyLength), 152},
               {"KeyData", offsetof(B, KeyData), 156},
               {"sizeof", sizeof(B), 160},
               {"NDIS_SIZEOF_REVISION_1", x86::NDIS_SIZEOF_IPSEC_OFFLOAD_V2_ADD_SA_REVISION_1, 157}});
}

// GEN-012, ADDEX-009: IPSEC_OFFLOAD_V2_ADD_SA_EX.
TEST(Layout, AddSaExMatchesSpecTable3_7) {
  using A = x64::IPSEC_OFFLOAD_V2_ADD_SA_EX;
  using B = x86::IPSEC_OFFLOAD_V2_ADD_SA_EX;
  expect_rows("x64 ADD_SA_EX",
              {{"NumExtHdrs", offsetof(A, NumExtHdrs), 4},
               {"Flags", offsetof(A, Flags), 8},
               {"IPv4Endpoints.SrcAddr", offsetof(A, IPv4Endpoints.SrcAddr), 12},
               {"IPv4Endpoints.DestAddr", offsetof(A, IPv4Endpoints.DestAddr), 16},
               {"IPv6Endpoints.DestAddr", offsetof(A, IPv6Endpoints.DestAddr), 28},
               {"OffloadHandle", offsetof(A, OffloadHandle), 48},
               {"UdpEspEncapsulation", offsetof(A, UdpEspEncapsulation), 56},
               {"SecAssoc[0]", offsetof(A, SecAssoc[0]), 60},
               {"SecAssoc[1]", offsetof(A, SecAssoc[1]), 108},
               {"KeyLength", offsetof(A, KeyLength), 156},
               {"KeyOffset", offsetof(A, KeyOffset), 160},
               {"SourceSwitchPortId", offsetof(A, SourceSwitchPortId), 164},
               {"VlanId", offsetof(A, VlanId), 168},
               {"sizeof", sizeof(A), 176},
               {"NDIS_SIZEOF_REVISION_1", x64::NDIS_SIZEOF_IPSEC_OFFLOAD_V2_ADD_SA_EX_REVISION_1,
                170}});
  expect_rows("x86 ADD_SA_EX",
              {{"NumExtHdrs", offsetof(B, NumExtHdrs), 4},
               {"Flags", offsetof(B, Flags), 8},
               {"IPv4Endpoints.SrcAddr", offsetof(B, IPv4Endpoints.SrcAddr), 12},
               {"IPv4Endpoints.DestAddr", offsetof(B, IPv4Endpoints.DestAddr), 16},
               {"IPv6Endpoints.DestAddr", offsetof(B, IPv6Endpoints.DestAddr), 28},
               {"OffloadHandle", offsetof(B, OffloadHandle), 44},
               {"UdpEspEncapsulation", offsetof(B, UdpEspEncapsulation), 48},
               {"SecAssoc[0]", offsetof(B, SecAssoc[0]), 52},
               {"SecAssoc[1]", offsetof(B, SecAssoc[1]), 100},
               {"KeyLength", offsetof(B, KeyLength), 148},
               {"KeyOffset", offsetof(B, KeyOffset), 152},
               {"SourceSwitchPortId", offsetof(B, SourceSwitchPortId), 156},
               {"VlanId", offsetof(B, VlanId), 160},
               {"sizeof", sizeof(B), 164},
               {"NDIS_SIZEOF_REVISION_1", x86::NDIS_SIZEOF_IPSEC_OFFLOAD_V2_ADD_SA_EX_REVISION_1,
                162}});
}

// IPSEC_OFFLOAD_V2_DELETE_SA and _UPDATE_SA.
TEST(Layout, DeleteAndUpdateMatchSpecTables3_8And3_9) {
  expect_rows("x64 DELETE_SA",
              {{"Next", offsetof(x64::IPSEC_OFFLOAD_V2_DELETE_SA, Next), 8},
               {"OffloadHandle", offsetof(x64::IPSEC_OFFLOAD_V2_DELETE_SA, OffloadHandle), 16},
               {"sizeof", sizeof(x64::IPSEC_OFFLOAD_V2_DELETE_SA), 24},
               {"NDIS_SIZEOF", x64::NDIS_SIZEOF_IPSEC_OFFLOAD_V2_DELETE_SA_REVISION_1, 24}});
  expect_rows("x86 DELETE_SA",
              {{"Next", offsetof(x86::IPSEC_OFFLOAD_V2_DELETE_SA, Next), 4},
               {"OffloadHandle", offsetof(x86::IPSEC_OFFLOAD_V2_DELETE_SA, OffloadHandle), 8},
               {"sizeof", sizeof(x86::IPSEC_OFFLOAD_V2_DELETE_SA), 12},
               {"NDIS_SIZEOF", x86::NDIS_SIZEOF_IPSEC_OFFLOAD_V2_DELETE_SA_REVISION_1, 12}});
  using U = x64::IPSEC_OFFLOAD_V2_UPDATE_SA;
  using V = x86::IPSEC_OFFLOAD_V2_UPDATE_SA;
  expect_rows("x64 UPDATE_SA",
              {{"OffloadHandle", offsetof(U, OffloadHandle), 8},
               {"Operation", offsetof(U, Operation), 16},
               {"Spi", offsetof(U, Spi), 20},
               {"SequenceNumberHighOrder", offsetof(U, SequenceNumberHighOrder), 24},
               {"sizeof", sizeof(U), 32},
               {"NDIS_SIZEOF", x64::NDIS_SIZEOF_IPSEC_OFFLOAD_V2_UPDATE_SA_REVISION_1, 28}});
  expect_rows("x86 UPDATE_SA",
              {{"OffloadHandle", offsetof(V, OffloadHandle), 4},
               {"Operation", offsetof(V, Operation), 8},
               {"Spi", offsetof(V, Spi), 12},
               {"SequenceNumberHighOrder", offsetof(V, SequenceNumberHighOrder), 16},
               {"sizeof", sizeof(V), 20},
               {"NDIS_SIZEOF", x86::NDIS_SIZEOF_IPSEC_OFFLOAD_V2_UPDATE_SA_REVISION_1, 20}});
}

// NDIS_OBJECT_HEADER, NDIS_IPSEC_OFFLOAD_V2, ALGORITHM_INFO, SECURITY_ASSOCIATION: same on both ABIs.
TEST(Layout, PointerFreeStructuresMatchSpecTables) {
  using C = layout::NDIS_IPSEC_OFFLOAD_V2;
  using S = layout::IPSEC_OFFLOAD_V2_SECURITY_ASSOCIATION;
  using I = layout::IPSEC_OFFLOAD_V2_ALGORITHM_INFO;
  expect_rows("NDIS_OBJECT_HEADER", {{"Revision", offsetof(layout::NDIS_OBJECT_HEADER, Revision), 1},
                                     {"Size", offsetof(layout::NDIS_OBJECT_HEADER, Size), 2},
                                     {"sizeof", sizeof(layout::NDIS_OBJECT_HEADER), 4}});
  expect_rows("NDIS_IPSEC_OFFLOAD_V2",
              {{"IPv6Supported", offsetof(C, IPv6Supported), 4},
               {"Ah", offsetof(C, Ah), 7},
               {"Esp", offsetof(C, Esp), 8},
               {"Tunnel", offsetof(C, Tunnel), 11},
               {"ExtendedSequenceNumbers", offsetof(C, ExtendedSequenceNumbers), 14},
               {"UdpEsp", offsetof(C, UdpEsp), 16},
               {"AuthenticationAlgorithms", offsetof(C, AuthenticationAlgorithms), 20},
               {"EncryptionAlgorithms", offsetof(C, EncryptionAlgorithms), 24},
               {"SaOffloadCapacity", offsetof(C, SaOffloadCapacity), 28},
               {"sizeof", sizeof(C), 32}});
  expect_rows("ALGORITHM_INFO", {{"KeyLength", offsetof(I, KeyLength), 4},
                                 {"KeyOffsetBytes", offsetof(I, KeyOffsetBytes), 8},
                                 {"AdditionalInfo", offsetof(I, AdditionalInfo), 12},
                                 {"sizeof", sizeof(I), 16}});
  expect_rows("SECURITY_ASSOCIATION",
              {{"Operation", offsetof(S, Operation), 4},
               {"Spi", offsetof(S, Spi), 8},
               {"AuthenticationAlgorithm", offsetof(S, AuthenticationAlgorithm), 12},
               {"EncryptionAlgorithm", offsetof(S, EncryptionAlgorithm), 28},
               {"SequenceNumberHighOrder", offsetof(S, SequenceNumberHighOrder), 44},
               {"sizeof", sizeof(S), 48}});
}

// NDIS_OFFLOAD revisions, adapter attributes, offload parameters.
TEST(Layout, ContainersMatchSpecTable3_3) {
  using O = layout::NDIS_OFFLOAD;
  expect_rows("NDIS_OFFLOAD", {{"LsoV1", offsetof(O, LsoV1), 36},
                               {"IPsecV1", offsetof(O, IPsecV1), 52},
                               {"LsoV2", offsetof(O, LsoV2), 80},
                               {"Flags", offsetof(O, Flags), 108},
                               {"IPsecV2", offsetof(O, IPsecV2), 112},
                               {"Rsc", offsetof(O, Rsc), 144},
                               {"Gre", offsetof(O, EncapsulatedPacketTaskOffloadGre), 148},
                               {"REVISION_1", layout::NDIS_SIZEOF_NDIS_OFFLOAD_REVISION_1, 112},
                               {"REVISION_2", layout::NDIS_SIZEOF_NDIS_OFFLOAD_REVISION_2, 144},
                               {"REVISION_3", layout::NDIS_SIZEOF_NDIS_OFFLOAD_REVISION_3, 156}});
  expect_rows("NDIS_OFFLOAD_PARAMETERS",
              {{"Flags", offsetof(layout::NDIS_OFFLOAD_PARAMETERS, Flags), 16},
               {"IPsecV2", offsetof(layout::NDIS_OFFLOAD_PARAMETERS, IPsecV2), 20},
               {"IPsecV2IPv4", offsetof(layout::NDIS_OFFLOAD_PARAMETERS, IPsecV2IPv4), 21},
               {"REVISION_1", layout::NDIS_SIZEOF_OFFLOAD_PARAMETERS_REVISION_1, 20},
               {"REVISION_2", layout::NDIS_SIZEOF_OFFLOAD_PARAMETERS_REVISION_2, 22}});
  using A = x64::NDIS_MINIPORT_ADAPTER_OFFLOAD_ATTRIBUTES;
  using B = x86::NDIS_MINIPORT_ADAPTER_OFFLOAD_ATTRIBUTES;
  expect_rows("x64 ADAPTER_OFFLOAD_ATTRIBUTES",
              {{"DefaultOffloadConfiguration", offsetof(A, DefaultOffloadConfiguration), 8},
               {"HardwareOffloadCapabilities", offsetof(A, HardwareOffloadCapabilities), 16},
               {"DefaultTcpConnectionOffloadConfiguration",
                offsetof(A, DefaultTcpConnectionOffloadConfiguration), 24},
               {"TcpConnectionOffloadHardwareCapabilities",
                offsetof(A, TcpConnectionOffloadHardwareCapabilities), 32},
               {"NDIS_SIZEOF", x64::NDIS_SIZEOF_MINIPORT_ADAPTER_OFFLOAD_ATTRIBUTES_REVISION_1, 40}});
  expect_rows("x86 ADAPTER_OFFLOAD_ATTRIBUTES",
              {{"DefaultOffloadConfiguration", offsetof(B, DefaultOffloadConfiguration), 4},
               {"HardwareOffloadCapabilities", offsetof(B, HardwareOffloadCapabilities), 8},
               {"DefaultTcpConnectionOffloadConfiguration",
                offsetof(B, DefaultTcpConnectionOffloadConfiguration), 12},
               {"TcpConnectionOffloadHardwareCapabilities",
                offsetof(B, TcpConnectionOffloadHardwareCapabilities), 16},
               {"NDIS_SIZEOF", x86::NDIS_SIZEOF_MINIPORT_ADAPTER_OFFLOAD_ATTRIBUTES_REVISION_1, 20}});
}

// Per-packet OOB: slot sizes 8/4 (slot 1 and 11) and 4 on both (slot 12).
TEST(Layout, NblInfoSlotsMatchSpec3_10) {
  EXPECT_EQ(sizeof(x64::NDIS_IPSEC_OFFLOAD_V2_NET_BUFFER_LIST_INFO), 8u);
  EXPECT_EQ(sizeof(x86::NDIS_IPSEC_OFFLOAD_V2_NET_BUFFER_LIST_INFO), 4u);
  EXPECT_EQ(sizeof(x64::NDIS_IPSEC_OFFLOAD_V2_TUNNEL_NET_BUFFER_LIST_INFO), 8u);
  EXPECT_EQ(sizeof(x86::NDIS_IPSEC_OFFLOAD_V2_TUNNEL_NET_BUFFER_LIST_INFO), 4u);
  EXPECT_EQ(sizeof(x64::NDIS_IPSEC_OFFLOAD_V2_HEADER_NET_BUFFER_LIST_INFO), 4u);
  EXPECT_EQ(sizeof(x86::NDIS_IPSEC_OFFLOAD_V2_HEADER_NET_BUFFER_LIST_INFO), 4u);
}

// The sizes the codec hands out (layout_sizes) are the spec's.
TEST(Layout, LayoutSizesReportSpecValues) {
  const LayoutSizes& a = layout_sizes(Abi::x64);
  EXPECT_EQ(a.add_sa_sizeof_rev1, 169);
  EXPECT_EQ(a.add_sa_ex_sizeof_rev1, 170);
  EXPECT_EQ(a.delete_sa_sizeof_rev1, 24);
  EXPECT_EQ(a.update_sa_sizeof_rev1, 28);
  EXPECT_EQ(a.add_sa_struct, 176u);
  EXPECT_EQ(a.add_sa_ex_struct, 176u);
  EXPECT_EQ(a.delete_sa_struct, 24u);
  EXPECT_EQ(a.update_sa_struct, 32u);
  EXPECT_EQ(a.add_sa_key_data_offset, 168u);
  const LayoutSizes& b = layout_sizes(Abi::x86);
  EXPECT_EQ(b.add_sa_sizeof_rev1, 157);
  EXPECT_EQ(b.add_sa_ex_sizeof_rev1, 162);
  EXPECT_EQ(b.delete_sa_sizeof_rev1, 12);
  EXPECT_EQ(b.update_sa_sizeof_rev1, 20);
  EXPECT_EQ(b.add_sa_struct, 160u);
  EXPECT_EQ(b.add_sa_ex_struct, 164u);
  EXPECT_EQ(b.delete_sa_struct, 12u);
  EXPECT_EQ(b.update_sa_struct, 20u);
  EXPECT_EQ(b.add_sa_key_data_offset, 156u);
  EXPECT_EQ(pointer_size(Abi::x64), 8u);
  EXPECT_EQ(pointer_size(Abi::x86), 4u);
  EXPECT_EQ(offload_handle_offset(OID_TCP_TASK_IPSEC_OFFLOAD_V2_ADD_SA, Abi::x64), 56u);
  EXPECT_EQ(offload_handle_offset(OID_TCP_TASK_IPSEC_OFFLOAD_V2_ADD_SA, Abi::x86), 48u);
  EXPECT_EQ(offload_handle_offset(OID_TCP_TASK_IPSEC_OFFLOAD_V2_ADD_SA_EX, Abi::x64), 48u);
  EXPECT_EQ(offload_handle_offset(OID_TCP_TASK_IPSEC_OFFLOAD_V2_ADD_SA_EX, Abi::x86), 44u);
  EXPECT_EQ(offload_handle_offset(OID_TCP_TASK_IPSEC_OFFLOAD_V2_DELETE_SA, Abi::x64), 16u);
  EXPECT_EQ(offload_handle_offset(OID_TCP_TASK_IPSEC_OFFLOAD_V2_UPDATE_SA, Abi::x86), 4u);
  EXPECT_EQ(offload_handle_offset(OID_TCP_OFFLOAD_PARAMETERS, Abi::x64), kNoOffset);
}

}  // namespace
}  // namespace cts::ndis
