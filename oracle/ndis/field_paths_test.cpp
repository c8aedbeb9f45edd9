#include "oracle/ndis/field_paths.h"

#include <gtest/gtest.h>

#include "oracle/ndis/byte_access.h"
#include "oracle/ndis/codec.h"
#include "oracle/ndis/constants.h"

namespace cts::ndis {
namespace {

constexpr uint32_t kAdd = OID_TCP_TASK_IPSEC_OFFLOAD_V2_ADD_SA;
constexpr uint32_t kAddEx = OID_TCP_TASK_IPSEC_OFFLOAD_V2_ADD_SA_EX;
constexpr uint32_t kDelete = OID_TCP_TASK_IPSEC_OFFLOAD_V2_DELETE_SA;
constexpr uint32_t kUpdate = OID_TCP_TASK_IPSEC_OFFLOAD_V2_UPDATE_SA;

struct SpecRow {
  uint32_t oid;
  const char* path;
  uint32_t x64_offset, x64_width, x86_offset, x86_width;
};

// Typed from the x64 / x86 layout tables of the NDIS structure pages of IPSEC_OFFLOAD_V2_ADD_SA,
// IPSEC_OFFLOAD_V2_ADD_SA_EX, IPSEC_OFFLOAD_V2_DELETE_SA and IPSEC_OFFLOAD_V2_UPDATE_SA; a
// SecAssoc sub-field is the SecAssoc row plus its offset in IPSEC_OFFLOAD_V2_SECURITY_ASSOCIATION.
constexpr SpecRow kSpecRows[] = {
    {kAdd, "Header.Size", 2, 2, 2, 2},
    {kAdd, "Next", 8, 8, 4, 4},
    {kAdd, "NumExtHdrs", 16, 4, 8, 4},
    {kAdd, "Flags", 20, 4, 12, 4},
    {kAdd, "IPv4Endpoints.DestAddr", 28, 4, 20, 4},
    {kAdd, "OffloadHandle", 56, 8, 48, 4},
    {kAdd, "UdpEspEncapsulation", 64, 4, 52, 4},
    {kAdd, "SecAssoc[0].Flags", 68, 4, 56, 4},
    {kAdd, "SecAssoc[1].Flags", 116, 4, 104, 4},
    {kAdd, "SecAssoc[0].EncryptionAlgorithm.AdditionalInfo", 68 + 40, 4, 56 + 40, 4},
    {kAdd, "SecAssoc[1].SequenceNumberHighOrder", 116 + 44, 4, 104 + 44, 4},
    {kAdd, "KeyLength", 164, 4, 152, 4},
    {kAdd, "KeyData[0]", 168, 1, 156, 1},
    {kAddEx, "NumExtHdrs", 4, 4, 4, 4},
    {kAddEx, "IPv4Endpoints.SrcAddr", 12, 4, 12, 4},
    {kAddEx, "OffloadHandle", 48, 8, 44, 4},
    {kAddEx, "UdpEspEncapsulation", 56, 4, 48, 4},
    {kAddEx, "SecAssoc[0].Spi", 60 + 8, 4, 52 + 8, 4},
    {kAddEx, "SecAssoc[1].AuthenticationAlgorithm.KeyOffsetBytes", 108 + 20, 4, 100 + 20, 4},
    {kAddEx, "KeyLength", 156, 4, 148, 4},
    {kAddEx, "KeyOffset", 160, 4, 152, 4},
    {kAddEx, "SourceSwitchPortId", 164, 4, 156, 4},
    {kAddEx, "VlanId", 168, 2, 160, 2},
    {kDelete, "Next", 8, 8, 4, 4},
    {kDelete, "OffloadHandle", 16, 8, 8, 4},
    {kUpdate, "OffloadHandle", 8, 8, 4, 4},
    {kUpdate, "Operation", 16, 4, 8, 4},
    {kUpdate, "Spi", 20, 4, 12, 4},
    {kUpdate, "SequenceNumberHighOrder", 24, 4, 16, 4},
};

TEST(FieldPaths, OffsetsAndWidthsAreThoseOfTheSpecTables) {
  for (const SpecRow& r : kSpecRows) {
    const auto x64 = find_field(r.oid, Abi::x64, r.path);
    const auto x86 = find_field(r.oid, Abi::x86, r.path);
    ASSERT_TRUE(x64 && x86) << oid_name(r.oid) << " " << r.path;
    EXPECT_EQ(*x64, (FieldLocation{r.x64_offset, r.x64_width})) << oid_name(r.oid) << " x64 " << r.path;
    EXPECT_EQ(*x86, (FieldLocation{r.x86_offset, r.x86_width})) << oid_name(r.oid) << " x86 " << r.path;
  }
}

TEST(FieldPaths, PathsAStructureDoesNotHaveAreUnknown) {
  EXPECT_FALSE(find_field(kAddEx, Abi::x64, "Next"));      // 3.7: Next removed
  EXPECT_FALSE(find_field(kAddEx, Abi::x64, "KeyData[0]"));
  EXPECT_FALSE(find_field(kAdd, Abi::x64, "KeyOffset"));   // ADD_SA_EX only
  EXPECT_FALSE(find_field(kUpdate, Abi::x64, "Next"));     // 3.9, OQ-02
  EXPECT_FALSE(find_field(kUpdate, Abi::x64, "SecAssoc[0].Spi"));
  EXPECT_FALSE(find_field(kAdd, Abi::x64, "SecAssoc[2].Spi"));
  EXPECT_FALSE(find_field(OID_TCP_OFFLOAD_CURRENT_CONFIG, Abi::x64, "Header.Size"));
  EXPECT_TRUE(field_paths(OID_TCP_OFFLOAD_CURRENT_CONFIG).empty());
}

// Every listed field lies inside the documented structure (ADD_SA: through KeyData[0]).
TEST(FieldPaths, EveryFieldLiesInsideItsStructure) {
  for (const Abi abi : {Abi::x64, Abi::x86}) {
    const LayoutSizes& s = layout_sizes(abi);
    const std::pair<uint32_t, uint32_t> structs[] = {
        {kAdd, s.add_sa_sizeof_rev1}, {kAddEx, s.add_sa_ex_sizeof_rev1},
        {kDelete, s.delete_sa_sizeof_rev1}, {kUpdate, s.update_sa_sizeof_rev1}};
    for (const auto& [oid, size] : structs) {
      const auto paths = field_paths(oid);
      EXPECT_FALSE(paths.empty());
      for (const auto& p : paths) {
        const auto loc = find_field(oid, abi, p);
        ASSERT_TRUE(loc) << p;
        EXPECT_TRUE(loc->width == 1 || loc->width == 2 || loc->width == 4 || loc->width == 8) << p;
        EXPECT_LE(loc->offset + loc->width, size) << oid_name(oid) << " " << p;
      }
    }
  }
}

// The codec writes each model field where find_field says it is: a raw edit of a field and an
// encoded value of that field land on the same bytes.
TEST(FieldPaths, TheEncoderPutsEachFieldWhereFindFieldSaysItIs) {
  AddSaElement e;
  e.num_ext_hdrs = 2;
  e.flags = 0x11;
  e.endpoints = Endpoints::ipv4({10, 1, 2, 3}, {10, 4, 5, 6});
  e.udp_esp_encapsulation = 0x2;
  e.sec_assoc[0].spi = 0xA1A2A3A4;
  e.sec_assoc[1].spi = 0xB1B2B3B4;
  e.sec_assoc[1].operation = IPsecOffloadV2Ah;
  e.sec_assoc[0].encryption.additional_info = 12;
  e.sec_assoc[1].authentication.identifier = IPSEC_OFFLOAD_V2_AUTHENTICATION_SHA_256;
  e.sec_assoc[0].sequence_number_high_order = 0x01020304;
  e.key_data = {0x5A, 1, 2, 3};
  e.source_switch_port_id = 0x0C0D0E0F;
  e.vlan_id = 0x0123;
  struct Expect {
    const char* path;
    uint64_t value;
  };
  const Expect common[] = {
      {"NumExtHdrs", 2},
      {"Flags", 0x11},
      {"IPv4Endpoints.SrcAddr", 0x0302010A},  // network order in memory (OQ-13)
      {"UdpEspEncapsulation", 2},
      {"SecAssoc[0].Spi", 0xA1A2A3A4},
      {"SecAssoc[1].Spi", 0xB1B2B3B4},
      {"SecAssoc[1].Operation", IPsecOffloadV2Ah},
      {"SecAssoc[0].EncryptionAlgorithm.AdditionalInfo", 12},
      {"SecAssoc[1].AuthenticationAlgorithm.Identifier", IPSEC_OFFLOAD_V2_AUTHENTICATION_SHA_256},
      {"SecAssoc[0].SequenceNumberHighOrder", 0x01020304},
      {"KeyLength", 4},
  };
  for (const Abi abi : {Abi::x64, Abi::x86}) {
    const std::vector<uint8_t> add = encode_add_sa(AddSaRequest{{e}}, abi, NextLinks{0});
    const std::vector<uint8_t> ex = encode_add_sa_ex(AddSaExRequest{e}, abi);
    for (const auto& x : common) {
      for (const auto& [oid, buf] : {std::pair{kAdd, &add}, std::pair{kAddEx, &ex}}) {
        const auto loc = find_field(oid, abi, x.path);
        ASSERT_TRUE(loc) << x.path;
        EXPECT_EQ(bytes::load_le(*buf, loc->offset, loc->width), x.value) << oid_name(oid) << " " << x.path;
      }
    }
    EXPECT_EQ(bytes::load_le(add, find_field(kAdd, abi, "KeyData[0]")->offset, 1), 0x5Au);
    EXPECT_EQ(bytes::load_le(ex, find_field(kAddEx, abi, "VlanId")->offset, 2), 0x0123u);
    EXPECT_EQ(bytes::load_le(ex, find_field(kAddEx, abi, "SourceSwitchPortId")->offset, 4), 0x0C0D0E0Fu);

    UpdateSaRequest u;
    u.offload_handle = 0x77;
    u.spi = 0x12345678;
    u.sequence_number_high_order = 9;
    const std::vector<uint8_t> upd = encode_update_sa(u, abi);
    EXPECT_EQ(bytes::load_le(upd, find_field(kUpdate, abi, "Spi")->offset, 4), 0x12345678u);
    EXPECT_EQ(bytes::load_le(upd, find_field(kUpdate, abi, "SequenceNumberHighOrder")->offset, 4), 9u);
    const auto h = find_field(kUpdate, abi, "OffloadHandle");
    EXPECT_EQ(bytes::load_le(upd, h->offset, h->width), 0x77u);
    EXPECT_EQ(h->offset, offload_handle_offset(kUpdate, abi));

    DeleteSaRequest d;
    d.elements.resize(2);
    d.elements[0].offload_handle = 0x55;
    const std::vector<uint8_t> del = encode_delete_sa(d, abi, NextLinks{0});
    const auto dh = find_field(kDelete, abi, "OffloadHandle");
    const auto next = find_field(kDelete, abi, "Next");
    EXPECT_EQ(bytes::load_le(del, dh->offset, dh->width), 0x55u);
    EXPECT_EQ(bytes::load_le(del, next->offset, next->width), list_element_offsets(del, kDelete, abi, NextLinks{0})[1]);
  }
}

}  // namespace
}  // namespace cts::ndis
