// The case model's OID kinds as the NDIS OIDs they stand for, and the raw-edit field paths of
// their structures. The paths, offsets and widths are oracle/ndis's (field_paths.h, taken from
// the asserted structure mirrors); this file only maps a case's OidKind onto them.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "oracle/ndis/field_paths.h"
#include "runner/cases/case_model.h"

namespace cts::cases {

using ndis::FieldLocation;

uint32_t oid_number(OidKind oid);  // OID_TCP_TASK_IPSEC_OFFLOAD_V2_ADD_SA, ...
const char* oid_kind_name(OidKind oid);  // "ADD_SA", ...

// ndis::find_field / ndis::field_paths for the case's OID and ABI.
std::optional<FieldLocation> find_field(OidKind oid, bool x86, const std::string& path);
std::vector<std::string> field_paths(OidKind oid);

}  // namespace cts::cases
