// The per-packet out-of-band (OOB) data of IPsecOV2: the three NET_BUFFER_LIST info slots of
// NET_BUFFER_LIST info slots 1, 11 and 12, for both Windows ABIs.
//
//   slot 1  IPsecOffloadV2NetBufferListInfo        NDIS_IPSEC_OFFLOAD_V2_NET_BUFFER_LIST_INFO
//           transmit: OffloadHandle (pointer); receive: SaDeleteReq, CryptoDone,
//           NextCryptoDone, Reserved, CryptoStatus (one ULONG bit-field word, bytes 0-3)
//   slot 11 IPsecOffloadV2TunnelNetBufferListInfo  TunnelHandle (pointer, transmit only)
//   slot 12 IPsecOffloadV2HeaderNetBufferListInfo  one ULONG: transmit NextHeader, PadLength,
//           AhHeaderOffset, EspHeaderOffset; receive NextHeader, PadLength, HeaderInfoSet
//
// Three levels, all free of allocation except the printing and checking functions:
//  - slot codecs: the raw little-endian bytes of one pointer-sized slot <-> the integer the
//    model keeps (SendOob / ReceiveOob of model.h);
//  - field builders and decoders: the bit-fields of the 3.10 tables <-> that integer;
//  - conformance checks of a reported receive view (RECV-008/009/011/016/020, OQ-24) as values,
//    and one-line descriptions for logs and reports.
// Errors are values naming the slot field; nothing here throws or reads outside a span.
#pragma once

#include <array>
#include <cstddef>
#include <cstdint>
#include <span>
#include <string>
#include <variant>
#include <vector>

#include "oracle/ndis/model.h"

namespace cts::ndis {

// ------------------------------------------------------------------ errors

// Why a slot or field value cannot be built or read. `field` names the slot member
// ("IPsecOffloadV2HeaderNetBufferListInfo.Transmit.EspHeaderOffset").
struct OobError {
  std::string field;
  std::string message;
};

template <typename T>
using OobResult = std::variant<T, OobError>;

// ------------------------------------------------------------------ slot codecs

// Size of one NetBufferListInfo[] slot: a PVOID, 8 bytes on x64 and 4 on x86. Slots 1 and
// 11 fill the whole slot; the slot 12 structure is 4 bytes on both ABIs and sits in
// bytes 0-3, the rest of an x64 slot is zero (OQ-24: the whole slot is written to 0 first).
size_t nbl_info_slot_size(Abi abi);
inline constexpr size_t kHeaderInfoSize = 4;  // sizeof(..._HEADER_NET_BUFFER_LIST_INFO)

// The raw bytes of one slot, little-endian; `size` is nbl_info_slot_size(abi).
struct NblSlot {
  std::array<uint8_t, 8> bytes{};
  uint8_t size = 0;

  std::span<const uint8_t> view() const { return {bytes.data(), size}; }
  friend bool operator==(const NblSlot&, const NblSlot&) = default;
};

// Encoders. Errors: a handle or receive word that does not fit the 4-byte x86 slot.
OobResult<NblSlot> encode_offload_handle_slot(uint64_t offload_handle, Abi abi);  // slot 1 Tx
OobResult<NblSlot> encode_tunnel_handle_slot(uint64_t tunnel_handle, Abi abi);    // slot 11
OobResult<NblSlot> encode_receive_info_slot(uint64_t ipsec_info, Abi abi);        // slot 1 Rx
NblSlot encode_header_info_slot(uint32_t header_info, Abi abi);                   // slot 12

// Decoders take exactly one slot (nbl_info_slot_size(abi) bytes); any other length is an error.
// The receive decoder keeps all 8 bytes of an x64 slot so that check_receive_oob can judge
// bytes 4-7 (OQ-24). The slot 12 decoder refuses non-zero x64 bytes 4-7: they lie outside the
// 4-byte structure and the model (a uint32_t) could not carry them.
OobResult<uint64_t> decode_offload_handle_slot(std::span<const uint8_t> slot, Abi abi);
OobResult<uint64_t> decode_tunnel_handle_slot(std::span<const uint8_t> slot, Abi abi);
OobResult<uint64_t> decode_receive_info_slot(std::span<const uint8_t> slot, Abi abi);
OobResult<uint32_t> decode_header_info_slot(std::span<const uint8_t> slot, Abi abi);

// Whole views. SendOob::lso_mss belongs to slot 2 (TcpLargeSendNetBufferListInfo), which is
// not an IPsec slot: it is not encoded, and decode_send_oob leaves it 0.
struct SendOobSlots {
  NblSlot offload_handle;  // slot 1
  NblSlot tunnel_handle;   // slot 11
  NblSlot header_info;     // slot 12
  friend bool operator==(const SendOobSlots&, const SendOobSlots&) = default;
};
struct ReceiveOobSlots {
  NblSlot ipsec_info;   // slot 1
  NblSlot header_info;  // slot 12
  friend bool operator==(const ReceiveOobSlots&, const ReceiveOobSlots&) = default;
};
OobResult<SendOobSlots> encode_send_oob(const SendOob& oob, Abi abi);
OobResult<SendOob> decode_send_oob(std::span<const uint8_t> slot1, std::span<const uint8_t> slot11,
                                   std::span<const uint8_t> slot12, Abi abi);
OobResult<ReceiveOobSlots> encode_receive_oob(const ReceiveOob& oob, Abi abi);
OobResult<ReceiveOob> decode_receive_oob(std::span<const uint8_t> slot1,
                                         std::span<const uint8_t> slot12, Abi abi);

// ------------------------------------------------------------------ send view fields -------

// The transmit view of slot 12 with the offsets in bytes from the start of the IP header
// (the field holds 4-byte units). An offset of 0 means the packet has no such header: an AH or
// ESP header can never start at offset 0, where the IP header is.
struct SendHeaderInfo {
  uint8_t next_header = 0;        // ESP trailer Next Header value
  uint8_t pad_length = 0;         // ESP padding bytes (OQ-27: informational without LSO)
  uint16_t ah_offset_bytes = 0;   // AhHeaderOffset * 4
  uint16_t esp_offset_bytes = 0;  // EspHeaderOffset * 4
  friend bool operator==(const SendHeaderInfo&, const SendHeaderInfo&) = default;
};

// Largest offset the 8-bit field holds in 4-byte units (3.10 consequence): 255 * 4.
inline constexpr uint32_t kMaxHeaderOffsetBytes = 1020;

// Errors: an offset that is not a multiple of 4, or larger than kMaxHeaderOffsetBytes
// (field "...Transmit.AhHeaderOffset" / "...Transmit.EspHeaderOffset").
OobResult<uint32_t> make_send_header_info(uint8_t next_header, uint8_t pad_length,
                                          uint32_t ah_offset_bytes, uint32_t esp_offset_bytes);
SendHeaderInfo decode_send_header_info(uint32_t header_info);  // all 32 bits are declared

// ------------------------------------------------------------------ receive view fields -------

// The declared fields of the slot 1 receive view. A builder writes only these (reserved bits
// and x64 bytes 4-7 are zero, OQ-24); CryptoStatus is written as given, so a test can express a
// value outside 2.9.
struct ReceiveInfo {
  bool sa_delete_req = false;
  bool crypto_done = false;
  bool next_crypto_done = false;
  uint16_t crypto_status = CRYPTO_SUCCESS;
  friend bool operator==(const ReceiveInfo&, const ReceiveInfo&) = default;
};

// Everything a reported slot 1 word holds, including what a conforming device leaves zero.
struct DecodedReceiveInfo {
  ReceiveInfo fields;
  uint32_t reserved_bits = 0;  // ipsec_info & NBL_RECV_RESERVED_MASK, in place (bits 3-15)
  uint32_t slot_upper = 0;     // x64 slot bytes 4-7 as a little-endian word
  friend bool operator==(const DecodedReceiveInfo&, const DecodedReceiveInfo&) = default;
};

uint64_t make_receive_info(const ReceiveInfo& fields);
DecodedReceiveInfo decode_receive_info(uint64_t ipsec_info);

// The declared fields of the slot 12 receive view.
struct ReceiveHeaderInfo {
  uint8_t next_header = 0;
  uint8_t pad_length = 0;
  bool header_info_set = false;  // 0: NextHeader and PadLength are to be ignored (RECV-016)
  friend bool operator==(const ReceiveHeaderInfo&, const ReceiveHeaderInfo&) = default;
};

struct DecodedReceiveHeaderInfo {
  ReceiveHeaderInfo fields;
  uint32_t undeclared_bits = 0;  // header_info & NBL_HDR_RECV_UNDECLARED_MASK, in place (17-31)
  friend bool operator==(const DecodedReceiveHeaderInfo&,
                         const DecodedReceiveHeaderInfo&) = default;
};

uint32_t make_receive_header_info(const ReceiveHeaderInfo& fields);
DecodedReceiveHeaderInfo decode_receive_header_info(uint32_t header_info);

// Both receive slots from their declared fields.
ReceiveOob make_receive_oob(const ReceiveInfo& info, const ReceiveHeaderInfo& header);

// ------------------------------------------------------------------ receive view checks

// One observation about a reported receive view. `error` findings break a MUST; the others
// (RECV-011 SHOULD, RECV-016 ignored fields) are warnings. Shaped like CapabilityFinding.
struct OobFinding {
  bool error = true;
  std::string requirement;  // "RECV-008"
  std::string field;        // "IPsecOffloadV2NetBufferListInfo.Receive.NextCryptoDone"
  std::string message;
};

// Checks, in this order (an empty result means nothing to report):
//   RECV-020 error    slot 1 Reserved bits 3-15 non-zero (3.10 "write 0")
//   RECV-020 error    slot 1 bits beyond the receive word: x64 bytes 4-7 (OQ-24), or on x86
//                     any bit above 31 (the slot has only 4 bytes)
//   RECV-008 error    NextCryptoDone = 1 with CryptoDone = 0
//   RECV-009 error    CryptoStatus outside 0..7
//   RECV-011 warning  CryptoStatus != CRYPTO_SUCCESS with CryptoDone = 0
//   RECV-016 error    slot 12 bits 17-31 non-zero (3.10 "write 0")
//   RECV-016 warning  NextHeader or PadLength non-zero with HeaderInfoSet = 0 (ignored fields)
std::vector<OobFinding> check_receive_oob(const ReceiveOob& oob, Abi abi);

// ------------------------------------------------------------------ printing

// "CryptoDone=1 NextCryptoDone=0 SaDeleteReq=0 CryptoStatus=CRYPTO_TRANSPORT_ESP_AUTH_FAILED(3)
//  HeaderInfoSet=1 NextHeader=4 PadLength=2" (one line). An unknown status prints as
// "UNKNOWN(9)". Bits a conforming device leaves zero are appended only when set:
// " Reserved=0x0008 SlotUpper=0x00000001 HeaderUndeclared=0x00020000".
std::string describe_receive_oob(const ReceiveOob& oob);

// "OffloadHandle=0x1001 TunnelHandle=0x0 NextHeader=4 PadLength=2 AhHeaderOffset=0(0B)
//  EspHeaderOffset=5(20B) LsoMss=0" (one line): offsets as the field value (4-byte units)
//  followed by bytes.
std::string describe_send_oob(const SendOob& oob);

}  // namespace cts::ndis
