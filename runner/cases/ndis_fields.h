// ndis.h field paths of the four IPsecOV2 SA structures and where they sit in an encoded element,
// for raw edits in case files ("SecAssoc[1].EncryptionAlgorithm.KeyLength" = 200). Offsets are
// those of the ADD_SA, ADD_SA_EX, DELETE_SA and UPDATE_SA layouts for both ABIs; the x64 column is cross-checked against
// oracle/ndis/layout_x64.h in the test.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "runner/cases/case_model.h"

namespace cts::cases {

struct FieldLocation {
  uint32_t offset = 0;  // from the start of the element
  uint32_t width = 0;   // bytes: 1, 2, 4 or 8 (pointer-sized fields: 8 on x64, 4 on x86)
};

std::optional<FieldLocation> find_field(OidKind oid, bool x86, const std::string& path);
// Every path find_field knows for this OID (for error messages and documentation).
std::vector<std::string> field_paths(OidKind oid);

const char* oid_kind_name(OidKind oid);  // "ADD_SA", ...

}  // namespace cts::cases
