#include "runner/cases/ndis_fields.h"

#include "oracle/ndis/constants.h"

namespace cts::cases {

uint32_t oid_number(OidKind oid) {
  switch (oid) {
    case OidKind::add_sa: return ndis::OID_TCP_TASK_IPSEC_OFFLOAD_V2_ADD_SA;
    case OidKind::add_sa_ex: return ndis::OID_TCP_TASK_IPSEC_OFFLOAD_V2_ADD_SA_EX;
    case OidKind::delete_sa: return ndis::OID_TCP_TASK_IPSEC_OFFLOAD_V2_DELETE_SA;
    case OidKind::update_sa: return ndis::OID_TCP_TASK_IPSEC_OFFLOAD_V2_UPDATE_SA;
  }
  return 0;
}

const char* oid_kind_name(OidKind oid) {
  switch (oid) {
    case OidKind::add_sa: return "ADD_SA";
    case OidKind::add_sa_ex: return "ADD_SA_EX";
    case OidKind::delete_sa: return "DELETE_SA";
    case OidKind::update_sa: return "UPDATE_SA";
  }
  return "?";
}

std::optional<FieldLocation> find_field(OidKind oid, bool x86, const std::string& path) {
  return ndis::find_field(oid_number(oid), x86 ? ndis::Abi::x86 : ndis::Abi::x64, path);
}

std::vector<std::string> field_paths(OidKind oid) { return ndis::field_paths(oid_number(oid)); }

}  // namespace cts::cases
