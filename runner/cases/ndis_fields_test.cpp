#include "runner/cases/ndis_fields.h"

#include <gtest/gtest.h>

#include "oracle/ndis/constants.h"

namespace cts::cases {
namespace {

// The case's OID kinds reach the OIDs of ndis.h (2.1) and their structures' fields; the offsets
// themselves are pinned to the spec tables in oracle/ndis/field_paths_test.cpp.
TEST(NdisFields, OidKindsAreTheNdisOids) {
  EXPECT_EQ(oid_number(OidKind::add_sa), 0xFC030202u);
  EXPECT_EQ(oid_number(OidKind::delete_sa), 0xFC030203u);
  EXPECT_EQ(oid_number(OidKind::update_sa), 0xFC030204u);
  EXPECT_EQ(oid_number(OidKind::add_sa_ex), 0xFC030205u);
  EXPECT_STREQ(oid_kind_name(OidKind::add_sa_ex), "ADD_SA_EX");
}

TEST(NdisFields, AbiSelectsTheColumn) {
  // 3.6: OffloadHandle at 56 (x64, 8 bytes) and 48 (x86, 4 bytes).
  EXPECT_EQ(*find_field(OidKind::add_sa, false, "OffloadHandle"), (FieldLocation{56, 8}));
  EXPECT_EQ(*find_field(OidKind::add_sa, true, "OffloadHandle"), (FieldLocation{48, 4}));
  EXPECT_FALSE(find_field(OidKind::add_sa_ex, false, "Next"));
  EXPECT_FALSE(field_paths(OidKind::delete_sa).empty());
}

}  // namespace
}  // namespace cts::cases
