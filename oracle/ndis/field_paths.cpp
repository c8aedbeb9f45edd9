#include "oracle/ndis/field_paths.h"

#include <array>
#include <cstddef>
#include <map>
#include <utility>

#include "oracle/ndis/constants.h"
#include "oracle/ndis/layout_x64.h"
#include "oracle/ndis/layout_x86.h"

namespace cts::ndis {
namespace {

// One row: the field's place in the x64 element and in the x86 element.
using Row = std::array<FieldLocation, 2>;
using Table = std::map<std::string, Row, std::less<>>;

constexpr size_t column(Abi abi) { return abi == Abi::x86 ? 1 : 0; }

// offsetof / sizeof of a member path of structure T.
#define CTS_FIELD(T, member)                                    \
  FieldLocation {                                               \
    static_cast<uint32_t>(offsetof(T, member)),                 \
        static_cast<uint32_t>(sizeof(std::declval<T&>().member)) \
  }

template <typename T>
void put_header(Table& t, size_t col) {
  t["Header.Type"][col] = CTS_FIELD(T, Header.Type);
  t["Header.Revision"][col] = CTS_FIELD(T, Header.Revision);
  t["Header.Size"][col] = CTS_FIELD(T, Header.Size);
}

// The fields of IPSEC_OFFLOAD_V2_SECURITY_ASSOCIATION (same on both ABIs) placed at `base`.
void put_sec_assoc(Table& t, size_t col, const std::string& prefix, size_t base) {
  using SA = layout::IPSEC_OFFLOAD_V2_SECURITY_ASSOCIATION;
  const auto at = [&](const std::string& name, FieldLocation in_sa) {
    t[prefix + name][col] = FieldLocation{static_cast<uint32_t>(base + in_sa.offset), in_sa.width};
  };
  at("Flags", CTS_FIELD(SA, Flags));
  at("Operation", CTS_FIELD(SA, Operation));
  at("Spi", CTS_FIELD(SA, Spi));
  at("AuthenticationAlgorithm.Identifier", CTS_FIELD(SA, AuthenticationAlgorithm.Identifier));
  at("AuthenticationAlgorithm.KeyLength", CTS_FIELD(SA, AuthenticationAlgorithm.KeyLength));
  at("AuthenticationAlgorithm.KeyOffsetBytes", CTS_FIELD(SA, AuthenticationAlgorithm.KeyOffsetBytes));
  at("AuthenticationAlgorithm.AdditionalInfo", CTS_FIELD(SA, AuthenticationAlgorithm.AdditionalInfo));
  at("EncryptionAlgorithm.Identifier", CTS_FIELD(SA, EncryptionAlgorithm.Identifier));
  at("EncryptionAlgorithm.KeyLength", CTS_FIELD(SA, EncryptionAlgorithm.KeyLength));
  at("EncryptionAlgorithm.KeyOffsetBytes", CTS_FIELD(SA, EncryptionAlgorithm.KeyOffsetBytes));
  at("EncryptionAlgorithm.AdditionalInfo", CTS_FIELD(SA, EncryptionAlgorithm.AdditionalInfo));
  at("SequenceNumberHighOrder", CTS_FIELD(SA, SequenceNumberHighOrder));
}

// Members ADD_SA and ADD_SA_EX share.
template <typename T>
void put_add_common(Table& t, size_t col) {
  put_header<T>(t, col);
  t["NumExtHdrs"][col] = CTS_FIELD(T, NumExtHdrs);
  t["Flags"][col] = CTS_FIELD(T, Flags);
  t["IPv4Endpoints.SrcAddr"][col] = CTS_FIELD(T, IPv4Endpoints.SrcAddr);
  t["IPv4Endpoints.DestAddr"][col] = CTS_FIELD(T, IPv4Endpoints.DestAddr);
  t["OffloadHandle"][col] = CTS_FIELD(T, OffloadHandle);
  t["UdpEspEncapsulation"][col] = CTS_FIELD(T, UdpEspEncapsulation);
  put_sec_assoc(t, col, "SecAssoc[0].", offsetof(T, SecAssoc[0]));
  put_sec_assoc(t, col, "SecAssoc[1].", offsetof(T, SecAssoc[1]));
  t["KeyLength"][col] = CTS_FIELD(T, KeyLength);
}

template <typename T>
void put_add_sa(Table& t, size_t col) {
  put_add_common<T>(t, col);
  t["Next"][col] = CTS_FIELD(T, Next);
  t["KeyData[0]"][col] = CTS_FIELD(T, KeyData[0]);
}

template <typename T>
void put_add_sa_ex(Table& t, size_t col) {
  put_add_common<T>(t, col);
  t["KeyOffset"][col] = CTS_FIELD(T, KeyOffset);
  t["SourceSwitchPortId"][col] = CTS_FIELD(T, SourceSwitchPortId);
  t["VlanId"][col] = CTS_FIELD(T, VlanId);
}

template <typename T>
void put_delete_sa(Table& t, size_t col) {
  put_header<T>(t, col);
  t["Next"][col] = CTS_FIELD(T, Next);
  t["OffloadHandle"][col] = CTS_FIELD(T, OffloadHandle);
}

template <typename T>
void put_update_sa(Table& t, size_t col) {
  put_header<T>(t, col);
  t["OffloadHandle"][col] = CTS_FIELD(T, OffloadHandle);
  t["Operation"][col] = CTS_FIELD(T, Operation);
  t["Spi"][col] = CTS_FIELD(T, Spi);
  t["SequenceNumberHighOrder"][col] = CTS_FIELD(T, SequenceNumberHighOrder);
}

#undef CTS_FIELD

const Table* table(uint32_t oid) {
  static const Table add_sa = [] {
    Table t;
    put_add_sa<x64::IPSEC_OFFLOAD_V2_ADD_SA>(t, column(Abi::x64));
    put_add_sa<x86::IPSEC_OFFLOAD_V2_ADD_SA>(t, column(Abi::x86));
    return t;
  }();
  static const Table add_sa_ex = [] {
    Table t;
    put_add_sa_ex<x64::IPSEC_OFFLOAD_V2_ADD_SA_EX>(t, column(Abi::x64));
    put_add_sa_ex<x86::IPSEC_OFFLOAD_V2_ADD_SA_EX>(t, column(Abi::x86));
    return t;
  }();
  static const Table delete_sa = [] {
    Table t;
    put_delete_sa<x64::IPSEC_OFFLOAD_V2_DELETE_SA>(t, column(Abi::x64));
    put_delete_sa<x86::IPSEC_OFFLOAD_V2_DELETE_SA>(t, column(Abi::x86));
    return t;
  }();
  static const Table update_sa = [] {
    Table t;
    put_update_sa<x64::IPSEC_OFFLOAD_V2_UPDATE_SA>(t, column(Abi::x64));
    put_update_sa<x86::IPSEC_OFFLOAD_V2_UPDATE_SA>(t, column(Abi::x86));
    return t;
  }();
  switch (oid) {
    case OID_TCP_TASK_IPSEC_OFFLOAD_V2_ADD_SA: return &add_sa;
    case OID_TCP_TASK_IPSEC_OFFLOAD_V2_ADD_SA_EX: return &add_sa_ex;
    case OID_TCP_TASK_IPSEC_OFFLOAD_V2_DELETE_SA: return &delete_sa;
    case OID_TCP_TASK_IPSEC_OFFLOAD_V2_UPDATE_SA: return &update_sa;
    default: return nullptr;
  }
}

}  // namespace

std::optional<FieldLocation> find_field(uint32_t oid, Abi abi, std::string_view path) {
  const Table* t = table(oid);
  if (t == nullptr) return std::nullopt;
  const auto it = t->find(path);
  if (it == t->end()) return std::nullopt;
  return it->second[column(abi)];
}

std::vector<std::string> field_paths(uint32_t oid) {
  std::vector<std::string> out;
  if (const Table* t = table(oid))
    for (const auto& [name, row] : *t) out.push_back(name);
  return out;
}

}  // namespace cts::ndis
