#include "runner/cases/ndis_fields.h"

#include <gtest/gtest.h>

#include "oracle/ndis/layout_x64.h"

namespace cts::cases {
namespace {

// The x64 column must agree with the byte-exact mirrors of oracle/ndis (ADD_SA, ADD_SA_EX, DELETE_SA, UPDATE_SA).
TEST(NdisFields, X64OffsetsMatchTheLayoutMirrors) {
  using namespace cts::ndis::x64;
  struct Row {
    OidKind oid;
    const char* path;
    size_t offset, width;
  };
  const Row rows[] = {
      {OidKind::add_sa, "Next", offsetof(IPSEC_OFFLOAD_V2_ADD_SA, Next), 8},
      {OidKind::add_sa, "NumExtHdrs", offsetof(IPSEC_OFFLOAD_V2_ADD_SA, NumExtHdrs), 4},
      {OidKind::add_sa, "OffloadHandle", offsetof(IPSEC_OFFLOAD_V2_ADD_SA, OffloadHandle), 8},
      {OidKind::add_sa, "SecAssoc[1].Spi", offsetof(IPSEC_OFFLOAD_V2_ADD_SA, SecAssoc[1]) + 8, 4},
      {OidKind::add_sa, "SecAssoc[0].EncryptionAlgorithm.AdditionalInfo",
       offsetof(IPSEC_OFFLOAD_V2_ADD_SA, SecAssoc[0]) + 40, 4},
      {OidKind::add_sa, "KeyLength", offsetof(IPSEC_OFFLOAD_V2_ADD_SA, KeyLength), 4},
      {OidKind::add_sa_ex, "OffloadHandle", offsetof(IPSEC_OFFLOAD_V2_ADD_SA_EX, OffloadHandle), 8},
      {OidKind::add_sa_ex, "KeyOffset", offsetof(IPSEC_OFFLOAD_V2_ADD_SA_EX, KeyOffset), 4},
      {OidKind::add_sa_ex, "VlanId", offsetof(IPSEC_OFFLOAD_V2_ADD_SA_EX, VlanId), 2},
      {OidKind::add_sa_ex, "SecAssoc[0].SequenceNumberHighOrder",
       offsetof(IPSEC_OFFLOAD_V2_ADD_SA_EX, SecAssoc[0]) + 44, 4},
      {OidKind::delete_sa, "OffloadHandle", offsetof(IPSEC_OFFLOAD_V2_DELETE_SA, OffloadHandle), 8},
      {OidKind::update_sa, "Spi", offsetof(IPSEC_OFFLOAD_V2_UPDATE_SA, Spi), 4},
      {OidKind::update_sa, "SequenceNumberHighOrder",
       offsetof(IPSEC_OFFLOAD_V2_UPDATE_SA, SequenceNumberHighOrder), 4},
  };
  for (const auto& r : rows) {
    const auto loc = find_field(r.oid, false, r.path);
    ASSERT_TRUE(loc) << r.path;
    EXPECT_EQ(loc->offset, r.offset) << r.path;
    EXPECT_EQ(loc->width, r.width) << r.path;
  }
}

// x86 column typed from spec tables 3.6-3.9.
TEST(NdisFields, X86OffsetsFromTheSpec) {
  EXPECT_EQ(find_field(OidKind::add_sa, true, "Next")->offset, 4u);
  EXPECT_EQ(find_field(OidKind::add_sa, true, "Next")->width, 4u);
  EXPECT_EQ(find_field(OidKind::add_sa, true, "OffloadHandle")->offset, 48u);
  EXPECT_EQ(find_field(OidKind::add_sa, true, "SecAssoc[1].Flags")->offset, 104u);
  EXPECT_EQ(find_field(OidKind::add_sa, true, "KeyData[0]")->offset, 156u);
  EXPECT_EQ(find_field(OidKind::add_sa_ex, true, "KeyOffset")->offset, 152u);
  EXPECT_EQ(find_field(OidKind::delete_sa, true, "OffloadHandle")->offset, 8u);
  EXPECT_EQ(find_field(OidKind::update_sa, true, "SequenceNumberHighOrder")->offset, 16u);
}

TEST(NdisFields, UnknownPaths) {
  EXPECT_FALSE(find_field(OidKind::add_sa_ex, false, "Next"));
  EXPECT_FALSE(find_field(OidKind::update_sa, false, "SecAssoc[0].Spi"));
  EXPECT_FALSE(find_field(OidKind::add_sa, false, "SecAssoc[2].Spi"));
  EXPECT_FALSE(field_paths(OidKind::delete_sa).empty());
}

}  // namespace
}  // namespace cts::cases
