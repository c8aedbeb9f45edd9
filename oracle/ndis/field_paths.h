// ndis.h field paths of the four IPsecOV2 SA structures ("SecAssoc[1].EncryptionAlgorithm.KeyLength")
// and where each sits in one encoded element of either ABI, so a raw edit of a buffer names a field
// the way the WDK header does. Every offset and width is taken with offsetof / sizeof from the
// asserted mirrors of layout_x64.h / layout_x86.h: nothing here is typed a second time.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "oracle/ndis/model.h"

namespace cts::ndis {

struct FieldLocation {
  uint32_t offset = 0;  // bytes from the start of the element
  uint32_t width = 0;   // 1, 2, 4 or 8 (pointer-sized fields: 8 on x64, 4 on x86)

  friend bool operator==(const FieldLocation&, const FieldLocation&) = default;
};

// `oid` is one of the four OID_TCP_TASK_IPSEC_OFFLOAD_V2_* SA OIDs; nothing for any other OID or
// for a path the structure does not have (ADD_SA_EX has no Next, UPDATE_SA no SecAssoc). Only
// fields a little-endian integer write can set are listed (the IPv6 address arrays are not).
std::optional<FieldLocation> find_field(uint32_t oid, Abi abi, std::string_view path);

// Every path find_field knows for this OID, sorted (for error messages and documentation).
std::vector<std::string> field_paths(uint32_t oid);

}  // namespace cts::ndis
