// Encoder and decoder of the IPsecOV2 OID buffers (NDIS_IPSEC_OFFLOAD_V2 and the ADD_SA, ADD_SA_EX, DELETE_SA, UPDATE_SA structures) for both ABIs.
// Structural rules only: header Type/Revision/Size (OQ-01), buffer lengths (OQ-04: too short ->
// NDIS_STATUS_INVALID_LENGTH with BytesNeeded), Next chains (OQ-06), the ADD_SA_EX key block
// (OQ-05). Field semantics are judged by validate.cpp.
#include "oracle/ndis/codec.h"

#include <algorithm>
#include <cstdio>
#include <limits>
#include <map>
#include <optional>

#include "oracle/ndis/abi_offsets.h"
#include "oracle/ndis/byte_access.h"

namespace cts::ndis {
namespace {

using bytes::load_le;
using bytes::load_u16;
using bytes::load_u32;
using bytes::load_u8;
using bytes::store_le;
using bytes::store_u16;
using bytes::store_u32;
using bytes::store_u8;
using detail::AbiOffsets;
using detail::AddOffsets;
using detail::AlgorithmInfoOffsets;
using detail::SecAssocOffsets;

constexpr size_t kEndpointsSize = 32;
// The encoder never grows a buffer past this to honour a deliberately wrong ADD_SA_EX KeyOffset.
constexpr uint64_t kMaxEncodedKeyBlockEnd = 1u << 20;

std::string hex(uint64_t v) {
  char buf[24];
  std::snprintf(buf, sizeof buf, "0x%llX", static_cast<unsigned long long>(v));
  return buf;
}

std::string abi_name(Abi abi) { return abi == Abi::x86 ? "x86" : "x64"; }

DecodeError error(NdisStatus status, size_t element, std::string field, std::string message,
                  uint64_t bytes_needed = 0) {
  DecodeError e;
  e.status = status;
  e.element = static_cast<uint32_t>(element);
  e.field = std::move(field);
  e.message = std::move(message);
  e.bytes_needed = static_cast<uint32_t>(
      std::min<uint64_t>(bytes_needed, std::numeric_limits<uint32_t>::max()));
  return e;
}

// The structure a buffer holds, for messages and the shared checks.
struct StructInfo {
  const char* name;         // "IPSEC_OFFLOAD_V2_ADD_SA"
  uint16_t sizeof_rev1;     // NDIS_SIZEOF_..._REVISION_1 for the ABI
};

// Fixed part present: a buffer (or the part of it from `offset` on) shorter than
// NDIS_SIZEOF_..._REVISION_1 cannot hold the structure (OQ-04 -> INVALID_LENGTH, BytesNeeded).
std::optional<DecodeError> check_fixed_length(std::span<const uint8_t> b, size_t offset,
                                              size_t element, const StructInfo& s, Abi abi) {
  if (bytes::in_bounds(b.size(), offset, s.sizeof_rev1)) return std::nullopt;
  return error(NDIS_STATUS_INVALID_LENGTH, element, "Header",
               "buffer of " + std::to_string(b.size()) + " bytes is too short for " + s.name +
                   ": " + std::to_string(s.sizeof_rev1) + " bytes (NDIS_SIZEOF_" + s.name +
                   "_REVISION_1, " + abi_name(abi) + ") are needed" +
                   (offset ? " from offset " + std::to_string(offset) : std::string()),
               static_cast<uint64_t>(offset) + s.sizeof_rev1);
}

// OQ-01: Type == NDIS_OBJECT_TYPE_DEFAULT, Revision >= 1, Size >= NDIS_SIZEOF_..._REVISION_1
// (producers write either the documented macro or sizeof(); both are accepted). No status is
// documented; the oracle uses NDIS_STATUS_INVALID_PARAMETER.
std::optional<DecodeError> check_header(std::span<const uint8_t> b, size_t offset, size_t element,
                                        const StructInfo& s) {
  const uint8_t type = load_u8(b, offset);
  const uint8_t revision = load_u8(b, offset + 1);
  const uint16_t size = load_u16(b, offset + 2);
  if (type != NDIS_OBJECT_TYPE_DEFAULT) {
    return error(NDIS_STATUS_INVALID_PARAMETER, element, "Header.Type",
                 "Header.Type is " + hex(type) +
                     ", expected NDIS_OBJECT_TYPE_DEFAULT (0x80) (GEN-010, OQ-01)");
  }
  if (revision < 1) {
    return error(NDIS_STATUS_INVALID_PARAMETER, element, "Header.Revision",
                 "Header.Revision is 0, expected 1 or later (GEN-010, OQ-01)");
  }
  if (size < s.sizeof_rev1) {
    return error(NDIS_STATUS_INVALID_PARAMETER, element, "Header.Size",
                 "Header.Size is " + std::to_string(size) + ", below NDIS_SIZEOF_" + s.name +
                     "_REVISION_1 = " + std::to_string(s.sizeof_rev1) + " (GEN-011, OQ-01)");
  }
  return std::nullopt;
}

enum class ListKind { add_sa, delete_sa };

struct ListShape {
  StructInfo info;
  size_t next_offset;
  const AddOffsets* add;  // ADD_SA only: for the key block extent
};

std::optional<ListShape> list_shape(uint32_t oid, Abi abi) {
  const AbiOffsets& o = detail::abi_offsets(abi);
  if (oid == OID_TCP_TASK_IPSEC_OFFLOAD_V2_ADD_SA) {
    return ListShape{{"IPSEC_OFFLOAD_V2_ADD_SA", o.add_sa.sizeof_rev1}, o.add_sa.next, &o.add_sa};
  }
  if (oid == OID_TCP_TASK_IPSEC_OFFLOAD_V2_DELETE_SA) {
    return ListShape{{"IPSEC_OFFLOAD_V2_DELETE_SA", o.delete_sa.sizeof_rev1}, o.delete_sa.next,
                     nullptr};
  }
  return std::nullopt;
}

enum class WalkMode {
  links_only,  // Next pointers only: bounds, alignment, loops, count (rebase, offsets)
  full,        // plus each element's header and extent, and no two elements overlapping
};

// Walks a Next-linked list laid out in `b` (OQ-06) and fills `offsets` with each element's
// offset in list order. Every element must lie wholly inside the buffer; a Next that leaves the
// buffer, is misaligned, revisits an element or makes the list longer than kMaxListElements is
// NDIS_STATUS_INVALID_DATA on the element holding that Next.
std::optional<DecodeError> walk_list(std::span<const uint8_t> b, const ListShape& shape, Abi abi,
                                     NextLinks links, WalkMode mode, std::vector<size_t>& offsets) {
  offsets.clear();
  const AbiOffsets& o = detail::abi_offsets(abi);
  // start offset -> (end offset, element index), to find loops and overlaps in O(log n).
  std::map<size_t, std::pair<size_t, size_t>> extents;
  size_t offset = 0;
  for (size_t index = 0;; ++index) {
    if (auto e = check_fixed_length(b, offset, index, shape.info, abi)) return e;
    size_t end = offset + shape.info.sizeof_rev1;
    if (mode == WalkMode::full) {
      // An element that overlaps another is a bad Next of the element before it; checked on the
      // fixed part first (a Next into another element's KeyData is reported as such, not as a
      // bad header) and again once the key block extent is known.
      auto overlap = [&](size_t until) -> std::optional<DecodeError> {
        auto next_it = extents.lower_bound(offset);
        const std::pair<const size_t, std::pair<size_t, size_t>>* hit = nullptr;
        if (next_it != extents.end() && next_it->first < until) hit = &*next_it;
        if (hit == nullptr && next_it != extents.begin() &&
            std::prev(next_it)->second.first > offset) {
          hit = &*std::prev(next_it);
        }
        if (hit == nullptr) return std::nullopt;
        return error(NDIS_STATUS_INVALID_DATA, index - 1, "Next",
                     "element " + std::to_string(index) + " at offset " + std::to_string(offset) +
                         " overlaps element " + std::to_string(hit->second.second) +
                         " at offset " + std::to_string(hit->first));
      };
      if (auto e = overlap(end)) return e;
      if (auto e = check_header(b, offset, index, shape.info)) return e;
      if (shape.add != nullptr) {
        // ADD_SA: KeyData[KeyLength] follows the fixed fields (IPSEC_OFFLOAD_V2_ADD_SA, ADD-017).
        const uint32_t key_length = load_u32(b, offset + shape.add->key_length);
        const uint64_t needed = static_cast<uint64_t>(offset) + shape.add->key_data + key_length;
        if (needed > b.size()) {
          if (needed > std::numeric_limits<uint32_t>::max()) {
            return error(NDIS_STATUS_INVALID_DATA, index, "KeyLength",
                         "KeyLength " + std::to_string(key_length) +
                             " makes the element larger than any OID buffer");
          }
          return error(NDIS_STATUS_INVALID_LENGTH, index, "KeyLength",
                       "KeyData of " + std::to_string(key_length) + " bytes at offset " +
                           std::to_string(offset + shape.add->key_data) + " ends at byte " +
                           std::to_string(needed) + ", beyond the " + std::to_string(b.size()) +
                           "-byte buffer (ADD-017)",
                       needed);
        }
        end = std::max<size_t>(end, static_cast<size_t>(needed));
        if (auto e = overlap(end)) return e;
      }
    }
    extents.emplace(offset, std::make_pair(end, index));
    offsets.push_back(offset);

    const uint64_t next = load_le(b, offset + shape.next_offset, o.pointer_size);
    if (next == 0) return std::nullopt;  // NULL terminates the list (ADD-002, DEL-002)
    if (index + 1 >= kMaxListElements) {
      return error(NDIS_STATUS_INVALID_DATA, index, "Next",
                   "list has more than kMaxListElements (" + std::to_string(kMaxListElements) +
                       ") elements");
    }
    if (next < links.base_address || next - links.base_address >= b.size() ||
        !bytes::in_bounds(b.size(), static_cast<size_t>(next - links.base_address),
                          shape.info.sizeof_rev1)) {
      return error(NDIS_STATUS_INVALID_DATA, index, "Next",
                   "Next = " + hex(next) + " does not point at a whole " + shape.info.name +
                       " inside the " + std::to_string(b.size()) + "-byte buffer at " +
                       hex(links.base_address) + " (OQ-06)");
    }
    if (next % o.pointer_align != 0) {
      return error(NDIS_STATUS_INVALID_DATA, index, "Next",
                   "Next = " + hex(next) + " is not aligned to " +
                       std::to_string(o.pointer_align) + " bytes as a " + shape.info.name +
                       " must be (" + abi_name(abi) + ")");
    }
    const size_t next_offset = static_cast<size_t>(next - links.base_address);
    if (auto it = extents.find(next_offset); it != extents.end()) {
      return error(NDIS_STATUS_INVALID_DATA, index, "Next",
                   "Next = " + hex(next) + " points back to element " +
                       std::to_string(it->second.second) + ": the list loops");
    }
    offset = next_offset;
  }
}

AlgorithmInfo read_algorithm(std::span<const uint8_t> b, size_t at) {
  AlgorithmInfo a;
  a.identifier = load_u32(b, at + AlgorithmInfoOffsets::identifier);
  a.key_length = load_u32(b, at + AlgorithmInfoOffsets::key_length);
  a.key_offset_bytes = load_u32(b, at + AlgorithmInfoOffsets::key_offset_bytes);
  a.additional_info = load_u32(b, at + AlgorithmInfoOffsets::additional_info);
  return a;
}

void write_algorithm(std::span<uint8_t> b, size_t at, const AlgorithmInfo& a) {
  store_u32(b, at + AlgorithmInfoOffsets::identifier, a.identifier);
  store_u32(b, at + AlgorithmInfoOffsets::key_length, a.key_length);
  store_u32(b, at + AlgorithmInfoOffsets::key_offset_bytes, a.key_offset_bytes);
  store_u32(b, at + AlgorithmInfoOffsets::additional_info, a.additional_info);
}

ObjectHeader read_header(std::span<const uint8_t> b, size_t at) {
  return ObjectHeader{load_u8(b, at), load_u8(b, at + 1), load_u16(b, at + 2)};
}

void write_header(std::span<uint8_t> b, size_t at, const ObjectHeader& h, uint16_t sizeof_rev1) {
  store_u8(b, at, h.type);
  store_u8(b, at + 1, h.revision);
  store_u16(b, at + 2, h.size == 0 ? sizeof_rev1 : h.size);
}

// The fields ADD_SA and ADD_SA_EX share, at the offsets of `a` (IPSEC_OFFLOAD_V2_ADD_SA / _ADD_SA_EX).
void read_add_fields(std::span<const uint8_t> b, size_t at, const AddOffsets& a, size_t ptr,
                     AddSaElement& e) {
  e.header = read_header(b, at);
  e.num_ext_hdrs = load_u32(b, at + a.num_ext_hdrs);
  e.flags = load_u32(b, at + a.flags);
  for (size_t i = 0; i < kEndpointsSize; ++i) e.endpoints.raw[i] = load_u8(b, at + a.endpoints + i);
  e.offload_handle = load_le(b, at + a.offload_handle, ptr);
  e.udp_esp_encapsulation = load_u32(b, at + a.udp_esp_encapsulation);
  for (size_t i = 0; i < 2; ++i) {
    const size_t sa = at + a.sec_assoc + i * SecAssocOffsets::size;
    SecurityAssociation& s = e.sec_assoc[i];
    s.flags = load_u32(b, sa + SecAssocOffsets::flags);
    s.operation = load_u32(b, sa + SecAssocOffsets::operation);
    s.spi = load_u32(b, sa + SecAssocOffsets::spi);
    s.authentication = read_algorithm(b, sa + SecAssocOffsets::authentication);
    s.encryption = read_algorithm(b, sa + SecAssocOffsets::encryption);
    s.sequence_number_high_order = load_u32(b, sa + SecAssocOffsets::sequence_number_high_order);
  }
}

void write_add_fields(std::span<uint8_t> b, size_t at, const AddOffsets& a, size_t ptr,
                      const AddSaElement& e) {
  write_header(b, at, e.header, a.sizeof_rev1);
  store_u32(b, at + a.num_ext_hdrs, e.num_ext_hdrs);
  store_u32(b, at + a.flags, e.flags);
  for (size_t i = 0; i < kEndpointsSize; ++i) store_u8(b, at + a.endpoints + i, e.endpoints.raw[i]);
  store_le(b, at + a.offload_handle, ptr, e.offload_handle);
  store_u32(b, at + a.udp_esp_encapsulation, e.udp_esp_encapsulation);
  for (size_t i = 0; i < 2; ++i) {
    const size_t sa = at + a.sec_assoc + i * SecAssocOffsets::size;
    const SecurityAssociation& s = e.sec_assoc[i];
    store_u32(b, sa + SecAssocOffsets::flags, s.flags);
    store_u32(b, sa + SecAssocOffsets::operation, s.operation);
    store_u32(b, sa + SecAssocOffsets::spi, s.spi);
    write_algorithm(b, sa + SecAssocOffsets::authentication, s.authentication);
    write_algorithm(b, sa + SecAssocOffsets::encryption, s.encryption);
    store_u32(b, sa + SecAssocOffsets::sequence_number_high_order, s.sequence_number_high_order);
  }
  store_u32(b, at + a.key_length,
            e.key_length_override.value_or(static_cast<uint32_t>(e.key_data.size())));
}

size_t align_up(size_t v, size_t a) { return (v + a - 1) / a * a; }

}  // namespace

const LayoutSizes& layout_sizes(Abi abi) {
  static const LayoutSizes sizes[2] = {
      {detail::kX64Offsets.add_sa.sizeof_rev1, detail::kX64Offsets.add_sa_ex.sizeof_rev1,
       detail::kX64Offsets.delete_sa.sizeof_rev1, detail::kX64Offsets.update_sa.sizeof_rev1,
       static_cast<uint32_t>(detail::kX64Offsets.add_sa.struct_size),
       static_cast<uint32_t>(detail::kX64Offsets.add_sa_ex.struct_size),
       static_cast<uint32_t>(detail::kX64Offsets.delete_sa.struct_size),
       static_cast<uint32_t>(detail::kX64Offsets.update_sa.struct_size),
       static_cast<uint32_t>(detail::kX64Offsets.add_sa.key_data)},
      {detail::kX86Offsets.add_sa.sizeof_rev1, detail::kX86Offsets.add_sa_ex.sizeof_rev1,
       detail::kX86Offsets.delete_sa.sizeof_rev1, detail::kX86Offsets.update_sa.sizeof_rev1,
       static_cast<uint32_t>(detail::kX86Offsets.add_sa.struct_size),
       static_cast<uint32_t>(detail::kX86Offsets.add_sa_ex.struct_size),
       static_cast<uint32_t>(detail::kX86Offsets.delete_sa.struct_size),
       static_cast<uint32_t>(detail::kX86Offsets.update_sa.struct_size),
       static_cast<uint32_t>(detail::kX86Offsets.add_sa.key_data)},
  };
  return sizes[abi == Abi::x86 ? 1 : 0];
}

size_t pointer_size(Abi abi) { return detail::abi_offsets(abi).pointer_size; }

size_t offload_handle_offset(uint32_t oid, Abi abi) {
  const AbiOffsets& o = detail::abi_offsets(abi);
  switch (oid) {
    case OID_TCP_TASK_IPSEC_OFFLOAD_V2_ADD_SA: return o.add_sa.offload_handle;
    case OID_TCP_TASK_IPSEC_OFFLOAD_V2_ADD_SA_EX: return o.add_sa_ex.offload_handle;
    case OID_TCP_TASK_IPSEC_OFFLOAD_V2_DELETE_SA: return o.delete_sa.offload_handle;
    case OID_TCP_TASK_IPSEC_OFFLOAD_V2_UPDATE_SA: return o.update_sa.offload_handle;
    default: return kNoOffset;
  }
}

// ---------------------------------------------------------------------------------- encoders

std::vector<uint8_t> encode_add_sa(const AddSaRequest& request, Abi abi, NextLinks links) {
  const AbiOffsets& o = detail::abi_offsets(abi);
  const AddOffsets& a = o.add_sa;
  // Contiguous layout (OQ-06): each element takes at least sizeof(IPSEC_OFFLOAD_V2_ADD_SA), more
  // when its KeyData is longer, rounded up so the next element is naturally aligned.
  std::vector<size_t> starts;
  size_t total = 0;
  for (const auto& e : request.elements) {
    starts.push_back(total);
    total += align_up(std::max(a.struct_size, a.key_data + e.key_data.size()), o.pointer_align);
  }
  std::vector<uint8_t> out(total, 0);
  std::span<uint8_t> b(out);
  for (size_t i = 0; i < request.elements.size(); ++i) {
    const AddSaElement& e = request.elements[i];
    const size_t at = starts[i];
    write_add_fields(b, at, a, o.pointer_size, e);
    const uint64_t next = i + 1 < starts.size() ? links.base_address + starts[i + 1] : 0;
    store_le(b, at + a.next, o.pointer_size, next);
    std::copy(e.key_data.begin(), e.key_data.end(), out.begin() + static_cast<long>(at + a.key_data));
  }
  return out;
}

std::vector<uint8_t> encode_add_sa_ex(const AddSaExRequest& request, Abi abi) {
  const AbiOffsets& o = detail::abi_offsets(abi);
  const AddOffsets& a = o.add_sa_ex;
  const AddSaElement& e = request.element;
  // Default: the key block right after the structure (KeyOffset = sizeof). A KeyOffset that
  // cannot hold the block (inside the fixed fields, or absurdly far) is written as given with
  // the key bytes left out: such a request exists only to be rejected (OQ-05).
  const uint64_t key_offset = e.key_offset.value_or(static_cast<uint32_t>(a.struct_size));
  const uint64_t key_end = key_offset + e.key_data.size();
  const bool place_keys = key_offset >= a.sizeof_rev1 && key_end <= kMaxEncodedKeyBlockEnd;
  std::vector<uint8_t> out(place_keys ? std::max<size_t>(a.struct_size, key_end) : a.struct_size,
                           0);
  std::span<uint8_t> b(out);
  write_add_fields(b, 0, a, o.pointer_size, e);
  store_u32(b, a.key_offset, static_cast<uint32_t>(key_offset));
  store_u32(b, a.source_switch_port_id, e.source_switch_port_id);
  store_u16(b, a.vlan_id, e.vlan_id);
  if (place_keys) {
    std::copy(e.key_data.begin(), e.key_data.end(), out.begin() + static_cast<long>(key_offset));
  }
  return out;
}

std::vector<uint8_t> encode_delete_sa(const DeleteSaRequest& request, Abi abi, NextLinks links) {
  const AbiOffsets& o = detail::abi_offsets(abi);
  const auto& d = o.delete_sa;
  std::vector<uint8_t> out(d.struct_size * request.elements.size(), 0);
  std::span<uint8_t> b(out);
  for (size_t i = 0; i < request.elements.size(); ++i) {
    const size_t at = i * d.struct_size;
    write_header(b, at, request.elements[i].header, d.sizeof_rev1);
    const uint64_t next =
        i + 1 < request.elements.size() ? links.base_address + (i + 1) * d.struct_size : 0;
    store_le(b, at + d.next, o.pointer_size, next);
    store_le(b, at + d.offload_handle, o.pointer_size, request.elements[i].offload_handle);
  }
  return out;
}

std::vector<uint8_t> encode_update_sa(const UpdateSaRequest& request, Abi abi) {
  const AbiOffsets& o = detail::abi_offsets(abi);
  const auto& u = o.update_sa;
  std::vector<uint8_t> out(u.struct_size, 0);
  std::span<uint8_t> b(out);
  write_header(b, 0, request.header, u.sizeof_rev1);
  store_le(b, u.offload_handle, o.pointer_size, request.offload_handle);
  store_u32(b, u.operation, request.operation);
  store_u32(b, u.spi, request.spi);
  store_u32(b, u.sequence_number_high_order, request.sequence_number_high_order);
  return out;
}

std::array<uint8_t, 32> encode_capabilities(const IpsecOffloadV2Capabilities& caps) {
  using C = layout::NDIS_IPSEC_OFFLOAD_V2;
  std::array<uint8_t, 32> out{};
  std::span<uint8_t> b(out);
  store_u32(b, offsetof(C, Encapsulation), caps.encapsulation);
  store_u8(b, offsetof(C, IPv6Supported), caps.ipv6_supported);
  store_u8(b, offsetof(C, IPv4Options), caps.ipv4_options);
  store_u8(b, offsetof(C, IPv6NonIPsecExtensionHeaders), caps.ipv6_non_ipsec_extension_headers);
  store_u8(b, offsetof(C, Ah), caps.ah);
  store_u8(b, offsetof(C, Esp), caps.esp);
  store_u8(b, offsetof(C, AhEspCombined), caps.ah_esp_combined);
  store_u8(b, offsetof(C, Transport), caps.transport);
  store_u8(b, offsetof(C, Tunnel), caps.tunnel);
  store_u8(b, offsetof(C, TransportTunnelCombined), caps.transport_tunnel_combined);
  store_u8(b, offsetof(C, LsoSupported), caps.lso_supported);
  store_u8(b, offsetof(C, ExtendedSequenceNumbers), caps.extended_sequence_numbers);
  store_u32(b, offsetof(C, UdpEsp), caps.udp_esp);
  store_u32(b, offsetof(C, AuthenticationAlgorithms), caps.authentication_algorithms);
  store_u32(b, offsetof(C, EncryptionAlgorithms), caps.encryption_algorithms);
  store_u32(b, offsetof(C, SaOffloadCapacity), caps.sa_offload_capacity);
  return out;
}

// ---------------------------------------------------------------------------------- decoders

Decoded<AddSaRequest> decode_add_sa(std::span<const uint8_t> buffer, Abi abi, NextLinks links) {
  const auto shape = list_shape(OID_TCP_TASK_IPSEC_OFFLOAD_V2_ADD_SA, abi);
  std::vector<size_t> offsets;
  if (auto e = walk_list(buffer, *shape, abi, links, WalkMode::full, offsets)) return *e;
  const AbiOffsets& o = detail::abi_offsets(abi);
  AddSaRequest request;
  request.elements.resize(offsets.size());
  for (size_t i = 0; i < offsets.size(); ++i) {
    AddSaElement& e = request.elements[i];
    const size_t at = offsets[i];
    read_add_fields(buffer, at, o.add_sa, o.pointer_size, e);
    const uint32_t key_length = load_u32(buffer, at + o.add_sa.key_length);
    const auto key = buffer.subspan(at + o.add_sa.key_data, key_length);  // checked by walk_list
    e.key_data.assign(key.begin(), key.end());
  }
  return request;
}

Decoded<AddSaExRequest> decode_add_sa_ex(std::span<const uint8_t> buffer, Abi abi) {
  const AbiOffsets& o = detail::abi_offsets(abi);
  const AddOffsets& a = o.add_sa_ex;
  const StructInfo info{"IPSEC_OFFLOAD_V2_ADD_SA_EX", a.sizeof_rev1};
  if (auto e = check_fixed_length(buffer, 0, 0, info, abi)) return *e;
  if (auto e = check_header(buffer, 0, 0, info)) return *e;
  const uint32_t key_length = load_u32(buffer, a.key_length);
  const uint32_t key_offset = load_u32(buffer, a.key_offset);
  // OQ-05: the key block starts after the documented fields and ends inside the buffer.
  if (key_offset < a.sizeof_rev1) {
    return error(NDIS_STATUS_INVALID_DATA, 0, "KeyOffset",
                 "KeyOffset " + std::to_string(key_offset) +
                     " puts the key block inside the structure; it must be at least "
                     "NDIS_SIZEOF_IPSEC_OFFLOAD_V2_ADD_SA_EX_REVISION_1 = " +
                     std::to_string(a.sizeof_rev1) + " (ADDEX-006, OQ-05)");
  }
  const uint64_t key_end = static_cast<uint64_t>(key_offset) + key_length;
  if (key_end > buffer.size()) {
    if (key_end > std::numeric_limits<uint32_t>::max()) {
      return error(NDIS_STATUS_INVALID_DATA, 0, "KeyLength",
                   "KeyOffset " + std::to_string(key_offset) + " + KeyLength " +
                       std::to_string(key_length) + " exceeds any OID buffer (OQ-05)");
    }
    return error(NDIS_STATUS_INVALID_LENGTH, 0, "KeyLength",
                 "key block [KeyOffset " + std::to_string(key_offset) + ", +KeyLength " +
                     std::to_string(key_length) + ") ends at byte " + std::to_string(key_end) +
                     ", beyond the " + std::to_string(buffer.size()) +
                     "-byte buffer (ADDEX-006, OQ-05)",
                 key_end);
  }
  AddSaExRequest request;
  AddSaElement& e = request.element;
  read_add_fields(buffer, 0, a, o.pointer_size, e);
  e.key_offset = key_offset;
  e.source_switch_port_id = load_u32(buffer, a.source_switch_port_id);
  e.vlan_id = load_u16(buffer, a.vlan_id);
  const auto key = buffer.subspan(key_offset, key_length);
  e.key_data.assign(key.begin(), key.end());
  return request;
}

Decoded<DeleteSaRequest> decode_delete_sa(std::span<const uint8_t> buffer, Abi abi,
                                          NextLinks links) {
  const auto shape = list_shape(OID_TCP_TASK_IPSEC_OFFLOAD_V2_DELETE_SA, abi);
  std::vector<size_t> offsets;
  if (auto e = walk_list(buffer, *shape, abi, links, WalkMode::full, offsets)) return *e;
  const AbiOffsets& o = detail::abi_offsets(abi);
  DeleteSaRequest request;
  request.elements.resize(offsets.size());
  for (size_t i = 0; i < offsets.size(); ++i) {
    request.elements[i].header = read_header(buffer, offsets[i]);
    request.elements[i].offload_handle =
        load_le(buffer, offsets[i] + o.delete_sa.offload_handle, o.pointer_size);
  }
  return request;
}

Decoded<UpdateSaRequest> decode_update_sa(std::span<const uint8_t> buffer, Abi abi) {
  const AbiOffsets& o = detail::abi_offsets(abi);
  const auto& u = o.update_sa;
  const StructInfo info{"IPSEC_OFFLOAD_V2_UPDATE_SA", u.sizeof_rev1};
  if (auto e = check_fixed_length(buffer, 0, 0, info, abi)) return *e;
  if (auto e = check_header(buffer, 0, 0, info)) return *e;
  // OQ-02: one structure per request; bytes beyond NDIS_SIZEOF_..._REVISION_1 are ignored.
  UpdateSaRequest r;
  r.header = read_header(buffer, 0);
  r.offload_handle = load_le(buffer, u.offload_handle, o.pointer_size);
  r.operation = load_u32(buffer, u.operation);
  r.spi = load_u32(buffer, u.spi);
  r.sequence_number_high_order = load_u32(buffer, u.sequence_number_high_order);
  return r;
}

Decoded<IpsecOffloadV2Capabilities> decode_capabilities(std::span<const uint8_t> buffer) {
  using C = layout::NDIS_IPSEC_OFFLOAD_V2;
  if (buffer.size() < sizeof(C)) {
    return error(NDIS_STATUS_INVALID_LENGTH, 0, "",
                 "buffer of " + std::to_string(buffer.size()) +
                     " bytes is too short for NDIS_IPSEC_OFFLOAD_V2 (32 bytes)",
                 sizeof(C));
  }
  // BOOLEAN is TRUE = 1 / FALSE = 0 (the NDIS type model); any other byte is not a BOOLEAN value.
  struct Flag {
    size_t offset;
    const char* name;
    bool IpsecOffloadV2Capabilities::*member;
  };
  const Flag flags[] = {
      {offsetof(C, IPv6Supported), "IPv6Supported", &IpsecOffloadV2Capabilities::ipv6_supported},
      {offsetof(C, IPv4Options), "IPv4Options", &IpsecOffloadV2Capabilities::ipv4_options},
      {offsetof(C, IPv6NonIPsecExtensionHeaders), "IPv6NonIPsecExtensionHeaders",
       &IpsecOffloadV2Capabilities::ipv6_non_ipsec_extension_headers},
      {offsetof(C, Ah), "Ah", &IpsecOffloadV2Capabilities::ah},
      {offsetof(C, Esp), "Esp", &IpsecOffloadV2Capabilities::esp},
      {offsetof(C, AhEspCombined), "AhEspCombined", &IpsecOffloadV2Capabilities::ah_esp_combined},
      {offsetof(C, Transport), "Transport", &IpsecOffloadV2Capabilities::transport},
      {offsetof(C, Tunnel), "Tunnel", &IpsecOffloadV2Capabilities::tunnel},
      {offsetof(C, TransportTunnelCombined), "TransportTunnelCombined",
       &IpsecOffloadV2Capabilities::transport_tunnel_combined},
      {offsetof(C, LsoSupported), "LsoSupported", &IpsecOffloadV2Capabilities::lso_supported},
      {offsetof(C, ExtendedSequenceNumbers), "ExtendedSequenceNumbers",
       &IpsecOffloadV2Capabilities::extended_sequence_numbers},
  };
  IpsecOffloadV2Capabilities caps;
  caps.encapsulation = load_u32(buffer, offsetof(C, Encapsulation));
  for (const Flag& f : flags) {
    const uint8_t v = load_u8(buffer, f.offset);
    if (v > 1) {
      return error(NDIS_STATUS_INVALID_DATA, 0, f.name,
                   std::string(f.name) + " is " + std::to_string(v) +
                       ", not a BOOLEAN (0 = FALSE, 1 = TRUE)");
    }
    caps.*(f.member) = v == 1;
  }
  caps.udp_esp = load_u32(buffer, offsetof(C, UdpEsp));
  caps.authentication_algorithms = load_u32(buffer, offsetof(C, AuthenticationAlgorithms));
  caps.encryption_algorithms = load_u32(buffer, offsetof(C, EncryptionAlgorithms));
  caps.sa_offload_capacity = load_u32(buffer, offsetof(C, SaOffloadCapacity));
  return caps;
}

// ------------------------------------------------------------------------------ list helpers

bool rebase_next_links(std::span<uint8_t> buffer, uint32_t oid, Abi abi, NextLinks from,
                       NextLinks to) {
  if (oid == OID_TCP_TASK_IPSEC_OFFLOAD_V2_ADD_SA_EX || oid == OID_TCP_TASK_IPSEC_OFFLOAD_V2_UPDATE_SA) {
    return true;  // single structures: no Next member
  }
  const auto shape = list_shape(oid, abi);
  if (!shape) return false;
  // Links only: a request that is deliberately wrong in its content must still be deliverable.
  std::vector<size_t> offsets;
  if (walk_list(buffer, *shape, abi, from, WalkMode::links_only, offsets)) return false;
  const AbiOffsets& o = detail::abi_offsets(abi);
  const uint64_t max_pointer =
      o.pointer_size == 8 ? std::numeric_limits<uint64_t>::max() : 0xFFFFFFFFu;
  std::vector<uint64_t> rebased;
  for (size_t i = 0; i < offsets.size(); ++i) {
    if (i + 1 == offsets.size()) {
      rebased.push_back(0);
      continue;
    }
    const uint64_t target = to.base_address + offsets[i + 1];
    if (target < to.base_address || target > max_pointer || target == 0) return false;
    rebased.push_back(target);
  }
  for (size_t i = 0; i < offsets.size(); ++i) {
    store_le(buffer, offsets[i] + shape->next_offset, o.pointer_size, rebased[i]);
  }
  return true;
}

std::vector<size_t> list_element_offsets(std::span<const uint8_t> buffer, uint32_t oid, Abi abi,
                                         NextLinks links) {
  const AbiOffsets& o = detail::abi_offsets(abi);
  if (oid == OID_TCP_TASK_IPSEC_OFFLOAD_V2_ADD_SA_EX) {
    return buffer.size() >= o.add_sa_ex.sizeof_rev1 ? std::vector<size_t>{0} : std::vector<size_t>{};
  }
  if (oid == OID_TCP_TASK_IPSEC_OFFLOAD_V2_UPDATE_SA) {
    return buffer.size() >= o.update_sa.sizeof_rev1 ? std::vector<size_t>{0} : std::vector<size_t>{};
  }
  const auto shape = list_shape(oid, abi);
  if (!shape) return {};
  std::vector<size_t> offsets;
  if (walk_list(buffer, *shape, abi, links, WalkMode::links_only, offsets)) return {};
  return offsets;
}

}  // namespace cts::ndis
