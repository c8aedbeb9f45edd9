// Field offsets of the pointer-carrying structures for one ABI, taken with offsetof from the
// asserted mirrors in layout_x64.h / layout_x86.h, so the codec can serve both ABIs from one
// code path while every number it uses is the one the spec tables pin down.
#pragma once

#include <cstddef>
#include <cstdint>

#include "oracle/ndis/layout_x64.h"
#include "oracle/ndis/layout_x86.h"
#include "oracle/ndis/model.h"

namespace cts::ndis::detail {

struct SecAssocOffsets {  // relative to the start of one IPSEC_OFFLOAD_V2_SECURITY_ASSOCIATION
  static constexpr size_t flags = offsetof(layout::IPSEC_OFFLOAD_V2_SECURITY_ASSOCIATION, Flags);
  static constexpr size_t operation =
      offsetof(layout::IPSEC_OFFLOAD_V2_SECURITY_ASSOCIATION, Operation);
  static constexpr size_t spi = offsetof(layout::IPSEC_OFFLOAD_V2_SECURITY_ASSOCIATION, Spi);
  static constexpr size_t authentication =
      offsetof(layout::IPSEC_OFFLOAD_V2_SECURITY_ASSOCIATION, AuthenticationAlgorithm);
  static constexpr size_t encryption =
      offsetof(layout::IPSEC_OFFLOAD_V2_SECURITY_ASSOCIATION, EncryptionAlgorithm);
  static constexpr size_t sequence_number_high_order =
      offsetof(layout::IPSEC_OFFLOAD_V2_SECURITY_ASSOCIATION, SequenceNumberHighOrder);
  static constexpr size_t size = sizeof(layout::IPSEC_OFFLOAD_V2_SECURITY_ASSOCIATION);
};

struct AlgorithmInfoOffsets {
  static constexpr size_t identifier = offsetof(layout::IPSEC_OFFLOAD_V2_ALGORITHM_INFO, Identifier);
  static constexpr size_t key_length = offsetof(layout::IPSEC_OFFLOAD_V2_ALGORITHM_INFO, KeyLength);
  static constexpr size_t key_offset_bytes =
      offsetof(layout::IPSEC_OFFLOAD_V2_ALGORITHM_INFO, KeyOffsetBytes);
  static constexpr size_t additional_info =
      offsetof(layout::IPSEC_OFFLOAD_V2_ALGORITHM_INFO, AdditionalInfo);
};

// Offsets shared by ADD_SA and ADD_SA_EX (`next`, `key_data` are ADD_SA only; `key_offset`,
// `source_switch_port_id`, `vlan_id` are ADD_SA_EX only).
struct AddOffsets {
  size_t next, num_ext_hdrs, flags, endpoints, offload_handle, udp_esp_encapsulation, sec_assoc,
      key_length, key_data, key_offset, source_switch_port_id, vlan_id;
  size_t struct_size;
  uint16_t sizeof_rev1;
};

struct DeleteOffsets {
  size_t next, offload_handle, struct_size;
  uint16_t sizeof_rev1;
};

struct UpdateOffsets {
  size_t offload_handle, operation, spi, sequence_number_high_order, struct_size;
  uint16_t sizeof_rev1;
};

struct AbiOffsets {
  size_t pointer_size;
  size_t pointer_align;  // alignment of the list element structures (= pointer size)
  AddOffsets add_sa, add_sa_ex;
  DeleteOffsets delete_sa;
  UpdateOffsets update_sa;
};

template <typename A, typename E, typename D, typename U>
constexpr AbiOffsets make_offsets(size_t pointer_size, uint16_t add_rev1, uint16_t ex_rev1,
                                  uint16_t del_rev1, uint16_t upd_rev1) {
  AbiOffsets o{};
  o.pointer_size = pointer_size;
  o.pointer_align = alignof(A);
  o.add_sa = AddOffsets{offsetof(A, Next),          offsetof(A, NumExtHdrs),
                        offsetof(A, Flags),         offsetof(A, IPv4Endpoints),
                        offsetof(A, OffloadHandle), offsetof(A, UdpEspEncapsulation),
                        offsetof(A, SecAssoc),      offsetof(A, KeyLength),
                        offsetof(A, KeyData),       0,
                        0,                          0,
                        sizeof(A),                  add_rev1};
  o.add_sa_ex = AddOffsets{0,
                           offsetof(E, NumExtHdrs),
                           offsetof(E, Flags),
                           offsetof(E, IPv4Endpoints),
                           offsetof(E, OffloadHandle),
                           offsetof(E, UdpEspEncapsulation),
                           offsetof(E, SecAssoc),
                           offsetof(E, KeyLength),
                           0,
                           offsetof(E, KeyOffset),
                           offsetof(E, SourceSwitchPortId),
                           offsetof(E, VlanId),
                           sizeof(E),
                           ex_rev1};
  o.delete_sa = DeleteOffsets{offsetof(D, Next), offsetof(D, OffloadHandle), sizeof(D), del_rev1};
  o.update_sa = UpdateOffsets{offsetof(U, OffloadHandle), offsetof(U, Operation), offsetof(U, Spi),
                              offsetof(U, SequenceNumberHighOrder), sizeof(U), upd_rev1};
  return o;
}

inline constexpr AbiOffsets kX64Offsets =
    make_offsets<x64::IPSEC_OFFLOAD_V2_ADD_SA, x64::IPSEC_OFFLOAD_V2_ADD_SA_EX,
                 x64::IPSEC_OFFLOAD_V2_DELETE_SA, x64::IPSEC_OFFLOAD_V2_UPDATE_SA>(
        x64::kPointerSize, x64::NDIS_SIZEOF_IPSEC_OFFLOAD_V2_ADD_SA_REVISION_1,
        x64::NDIS_SIZEOF_IPSEC_OFFLOAD_V2_ADD_SA_EX_REVISION_1,
        x64::NDIS_SIZEOF_IPSEC_OFFLOAD_V2_DELETE_SA_REVISION_1,
        x64::NDIS_SIZEOF_IPSEC_OFFLOAD_V2_UPDATE_SA_REVISION_1);
inline constexpr AbiOffsets kX86Offsets =
    make_offsets<x86::IPSEC_OFFLOAD_V2_ADD_SA, x86::IPSEC_OFFLOAD_V2_ADD_SA_EX,
                 x86::IPSEC_OFFLOAD_V2_DELETE_SA, x86::IPSEC_OFFLOAD_V2_UPDATE_SA>(
        x86::kPointerSize, x86::NDIS_SIZEOF_IPSEC_OFFLOAD_V2_ADD_SA_REVISION_1,
        x86::NDIS_SIZEOF_IPSEC_OFFLOAD_V2_ADD_SA_EX_REVISION_1,
        x86::NDIS_SIZEOF_IPSEC_OFFLOAD_V2_DELETE_SA_REVISION_1,
        x86::NDIS_SIZEOF_IPSEC_OFFLOAD_V2_UPDATE_SA_REVISION_1);

inline const AbiOffsets& abi_offsets(Abi abi) {
  return abi == Abi::x86 ? kX86Offsets : kX64Offsets;
}

}  // namespace cts::ndis::detail
