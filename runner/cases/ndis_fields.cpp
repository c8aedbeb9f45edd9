#include "runner/cases/ndis_fields.h"

#include <map>

namespace cts::cases {
namespace {

struct Entry {
  uint32_t x64_offset, x64_width, x86_offset, x86_width;
};
using Table = std::map<std::string, Entry>;

void add_header(Table& t) {
  t["Header.Type"] = {0, 1, 0, 1};
  t["Header.Revision"] = {1, 1, 1, 1};
  t["Header.Size"] = {2, 2, 2, 2};
}

// IPSEC_OFFLOAD_V2_SECURITY_ASSOCIATION 48 bytes, same on both ABIs.
void add_sec_assoc(Table& t, uint32_t base64, uint32_t base86) {
  for (uint32_t k = 0; k < 2; ++k) {
    const std::string p = "SecAssoc[" + std::to_string(k) + "].";
    const uint32_t b64 = base64 + 48 * k, b86 = base86 + 48 * k;
    auto put = [&](const std::string& name, uint32_t off) { t[p + name] = {b64 + off, 4, b86 + off, 4}; };
    put("Flags", 0);
    put("Operation", 4);
    put("Spi", 8);
    for (const auto& [alg, base] : {std::pair<const char*, uint32_t>{"AuthenticationAlgorithm.", 12},
                                    {"EncryptionAlgorithm.", 28}}) {
      put(std::string(alg) + "Identifier", base);
      put(std::string(alg) + "KeyLength", base + 4);
      put(std::string(alg) + "KeyOffsetBytes", base + 8);
      put(std::string(alg) + "AdditionalInfo", base + 12);
    }
    put("SequenceNumberHighOrder", 44);
  }
}

const Table& table(OidKind oid) {
  static const Table add_sa = [] {  // IPSEC_OFFLOAD_V2_ADD_SA
    Table t;
    add_header(t);
    t["Next"] = {8, 8, 4, 4};
    t["NumExtHdrs"] = {16, 4, 8, 4};
    t["Flags"] = {20, 4, 12, 4};
    t["IPv4Endpoints.SrcAddr"] = {24, 4, 16, 4};
    t["IPv4Endpoints.DestAddr"] = {28, 4, 20, 4};
    t["OffloadHandle"] = {56, 8, 48, 4};
    t["UdpEspEncapsulation"] = {64, 4, 52, 4};
    add_sec_assoc(t, 68, 56);
    t["KeyLength"] = {164, 4, 152, 4};
    t["KeyData[0]"] = {168, 1, 156, 1};
    return t;
  }();
  static const Table add_sa_ex = [] {  // IPSEC_OFFLOAD_V2_ADD_SA_EX
    Table t;
    add_header(t);
    t["NumExtHdrs"] = {4, 4, 4, 4};
    t["Flags"] = {8, 4, 8, 4};
    t["IPv4Endpoints.SrcAddr"] = {12, 4, 12, 4};
    t["IPv4Endpoints.DestAddr"] = {16, 4, 16, 4};
    t["OffloadHandle"] = {48, 8, 44, 4};
    t["UdpEspEncapsulation"] = {56, 4, 48, 4};
    add_sec_assoc(t, 60, 52);
    t["KeyLength"] = {156, 4, 148, 4};
    t["KeyOffset"] = {160, 4, 152, 4};
    t["SourceSwitchPortId"] = {164, 4, 156, 4};
    t["VlanId"] = {168, 2, 160, 2};
    return t;
  }();
  static const Table delete_sa = [] {  // IPSEC_OFFLOAD_V2_DELETE_SA
    Table t;
    add_header(t);
    t["Next"] = {8, 8, 4, 4};
    t["OffloadHandle"] = {16, 8, 8, 4};
    return t;
  }();
  static const Table update_sa = [] {  // IPSEC_OFFLOAD_V2_UPDATE_SA
    Table t;
    add_header(t);
    t["OffloadHandle"] = {8, 8, 4, 4};
    t["Operation"] = {16, 4, 8, 4};
    t["Spi"] = {20, 4, 12, 4};
    t["SequenceNumberHighOrder"] = {24, 4, 16, 4};
    return t;
  }();
  switch (oid) {
    case OidKind::add_sa: return add_sa;
    case OidKind::add_sa_ex: return add_sa_ex;
    case OidKind::delete_sa: return delete_sa;
    case OidKind::update_sa: return update_sa;
  }
  return add_sa;
}

}  // namespace

std::optional<FieldLocation> find_field(OidKind oid, bool x86, const std::string& path) {
  const Table& t = table(oid);
  auto it = t.find(path);
  if (it == t.end()) return std::nullopt;
  const Entry& e = it->second;
  return x86 ? FieldLocation{e.x86_offset, e.x86_width} : FieldLocation{e.x64_offset, e.x64_width};
}

std::vector<std::string> field_paths(OidKind oid) {
  std::vector<std::string> out;
  for (const auto& [name, entry] : table(oid)) out.push_back(name);
  return out;
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

}  // namespace cts::cases
