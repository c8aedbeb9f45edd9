// Encoder and decoder between the logical model (model.h) and the exact binary buffers of the
// IPsecOV2 OIDs, for both Windows ABIs. The decoder never reads outside the buffer it is given:
// every rejection is a value naming the element, the field and the NDIS status the oracle
// returns for it (OQ-04), never an exception or a crash.
#pragma once

#include <cstddef>
#include <cstdint>
#include <span>
#include <string>
#include <variant>
#include <vector>

#include "oracle/ndis/model.h"

namespace cts::ndis {

// How `Next` members are written and read. In-process buffers hold real pointers
// (next = base_address + offset of the next element); buffers in files and on the process
// protocol hold offsets from the start of the buffer (base_address = 0).
struct NextLinks {
  uint64_t base_address = 0;
};

// Why a buffer was refused. `element` is the list index (0 for single structures), `field` the
// ndis.h field path ("SecAssoc[1].EncryptionAlgorithm.KeyLength"), `status` the NDIS status.
struct DecodeError {
  NdisStatus status = NDIS_STATUS_INVALID_DATA;
  uint32_t element = 0;
  std::string field;
  std::string message;
  uint32_t bytes_needed = 0;  // set with NDIS_STATUS_INVALID_LENGTH
};

template <typename T>
using Decoded = std::variant<T, DecodeError>;

// Documented Header.Size values (NDIS_SIZEOF_*_REVISION_1) and struct sizes per ABI.
struct LayoutSizes {
  uint16_t add_sa_sizeof_rev1, add_sa_ex_sizeof_rev1, delete_sa_sizeof_rev1, update_sa_sizeof_rev1;
  uint32_t add_sa_struct, add_sa_ex_struct, delete_sa_struct, update_sa_struct;
  uint32_t add_sa_key_data_offset;  // offsetof(IPSEC_OFFLOAD_V2_ADD_SA, KeyData)
};
const LayoutSizes& layout_sizes(Abi abi);

// Encoders lay a whole request out contiguously in one buffer (OQ-06), zero every padding byte,
// and fill Header.Size with the documented value when the model leaves it 0. ADD_SA elements
// take max(sizeof, offsetof(KeyData) + key bytes) rounded up to the pointer alignment. ADD_SA_EX
// puts the key block at `key_offset` (default sizeof(IPSEC_OFFLOAD_V2_ADD_SA_EX)); a key_offset
// inside the documented fields or beyond 1 MiB is written as given but the key bytes are left
// out (such a request exists only to be rejected). KeyLength is key_length_override when set.
std::vector<uint8_t> encode_add_sa(const AddSaRequest& request, Abi abi, NextLinks links);
std::vector<uint8_t> encode_add_sa_ex(const AddSaExRequest& request, Abi abi);
std::vector<uint8_t> encode_delete_sa(const DeleteSaRequest& request, Abi abi, NextLinks links);
std::vector<uint8_t> encode_update_sa(const UpdateSaRequest& request, Abi abi);
std::array<uint8_t, 32> encode_capabilities(const IpsecOffloadV2Capabilities& caps);

// Rebase every Next pointer of an encoded ADD_SA / DELETE_SA list from one NextLinks to another
// (e.g. file offsets to live pointers before handing the buffer to an in-process device).
// Returns false if a link leaves the buffer or loops, or a rebased pointer does not fit the
// ABI; the buffer is then unchanged. Only links are checked, so a request that is deliberately
// wrong in its content can still be delivered. ADD_SA_EX / UPDATE_SA have no links: true.
bool rebase_next_links(std::span<uint8_t> buffer, uint32_t oid, Abi abi, NextLinks from,
                       NextLinks to);

// Decoders check structure only (header rules of OQ-01, Next chains that leave the buffer, loop
// or exceed kMaxListElements, key block inside the buffer); semantic checks are in validate.h.
inline constexpr size_t kMaxListElements = 65536;
Decoded<AddSaRequest> decode_add_sa(std::span<const uint8_t> buffer, Abi abi, NextLinks links);
Decoded<AddSaExRequest> decode_add_sa_ex(std::span<const uint8_t> buffer, Abi abi);
Decoded<DeleteSaRequest> decode_delete_sa(std::span<const uint8_t> buffer, Abi abi, NextLinks links);
Decoded<UpdateSaRequest> decode_update_sa(std::span<const uint8_t> buffer, Abi abi);
Decoded<IpsecOffloadV2Capabilities> decode_capabilities(std::span<const uint8_t> buffer);

// Byte offset of each element of a decoded list inside the buffer, in list order, so a device
// model can write OffloadHandle back into the right place. Only the Next links are followed
// (bounds, alignment, loops, count), not the element contents; {} when a link is bad. For
// ADD_SA_EX and UPDATE_SA: {0} when the buffer holds the structure, else {}.
std::vector<size_t> list_element_offsets(std::span<const uint8_t> buffer, uint32_t oid, Abi abi,
                                         NextLinks links);
// Offset of OffloadHandle inside an ADD_SA / ADD_SA_EX / DELETE_SA / UPDATE_SA element (its
// width is pointer_size(abi): 8 or 4); kNoOffset for any other OID.
inline constexpr size_t kNoOffset = static_cast<size_t>(-1);
size_t offload_handle_offset(uint32_t oid, Abi abi);
size_t pointer_size(Abi abi);

}  // namespace cts::ndis
