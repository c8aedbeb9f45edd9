// Per-packet OOB slots (NET_BUFFER_LIST info slots 1, 11, 12): slot codecs, bit-field builders, receive view checks.
#include "oracle/ndis/oob.h"

#include <cstdio>
#include <optional>
#include <string>
#include <utility>

#include "oracle/ndis/byte_access.h"
#include "oracle/ndis/layout_x64.h"
#include "oracle/ndis/layout_x86.h"

namespace cts::ndis {
namespace {

// Field paths used in errors and findings (NET_BUFFER_LIST_INFO enumerator + member).
constexpr const char* kSlot1 = "IPsecOffloadV2NetBufferListInfo";
constexpr const char* kSlot11 = "IPsecOffloadV2TunnelNetBufferListInfo";
constexpr const char* kSlot12 = "IPsecOffloadV2HeaderNetBufferListInfo";

// The slot sizes follow the structure mirrors, whose sizes are asserted against the documented OOB layout.
static_assert(sizeof(x64::NDIS_IPSEC_OFFLOAD_V2_NET_BUFFER_LIST_INFO) == 8);
static_assert(sizeof(x86::NDIS_IPSEC_OFFLOAD_V2_NET_BUFFER_LIST_INFO) == 4);
static_assert(sizeof(x64::NDIS_IPSEC_OFFLOAD_V2_TUNNEL_NET_BUFFER_LIST_INFO) == x64::kPointerSize);
static_assert(sizeof(x86::NDIS_IPSEC_OFFLOAD_V2_TUNNEL_NET_BUFFER_LIST_INFO) == x86::kPointerSize);
static_assert(sizeof(layout::NDIS_IPSEC_OFFLOAD_V2_HEADER_NET_BUFFER_LIST_INFO) == kHeaderInfoSize);

constexpr uint32_t kUnitBytes = 4;  // AhHeaderOffset / EspHeaderOffset unit

std::string abi_name(Abi abi) { return abi == Abi::x64 ? "x64" : "x86"; }

std::string hex(uint64_t v, int digits) {
  char buf[24];
  std::snprintf(buf, sizeof buf, "0x%0*llX", digits, static_cast<unsigned long long>(v));
  return buf;
}

NblSlot slot_with(uint64_t value, Abi abi) {
  NblSlot s;
  s.size = static_cast<uint8_t>(nbl_info_slot_size(abi));
  bytes::store_le(std::span<uint8_t>(s.bytes.data(), s.size), 0, s.size, value);
  return s;
}

// A whole pointer-sized slot value; the x86 slot cannot hold bits above 31.
OobResult<NblSlot> encode_pointer_slot(uint64_t value, Abi abi, const std::string& field) {
  if (abi == Abi::x86 && (value >> 32) != 0) {
    return OobError{field, "value " + hex(value, 16) +
                               " does not fit the 4-byte x86 slot (a PVOID is 32 bits there)"};
  }
  return slot_with(value, abi);
}

std::optional<OobError> check_slot_length(std::span<const uint8_t> slot, Abi abi,
                                          const std::string& field) {
  const size_t want = nbl_info_slot_size(abi);
  if (slot.size() == want) return std::nullopt;
  return OobError{field, "slot holds " + std::to_string(slot.size()) + " bytes; a NetBufferListInfo[] slot is " +
                             std::to_string(want) + " bytes on " + abi_name(abi)};
}

OobResult<uint64_t> decode_pointer_slot(std::span<const uint8_t> slot, Abi abi,
                                        const std::string& field) {
  if (auto err = check_slot_length(slot, abi, field)) return *err;
  return bytes::load_le(slot, 0, slot.size());
}

OobResult<uint32_t> offset_units(uint32_t offset_bytes, const char* member) {
  const std::string field = std::string(kSlot12) + ".Transmit." + member;
  if (offset_bytes % kUnitBytes != 0) {
    return OobError{field, "offset " + std::to_string(offset_bytes) +
                               " bytes is not a multiple of 4; the field counts 4-byte units "
                               "from the start of the IP header"};
  }
  if (offset_bytes > kMaxHeaderOffsetBytes) {
    return OobError{field, "offset " + std::to_string(offset_bytes) +
                               " bytes exceeds 1020, the largest value the 8-bit field holds in "
                               "4-byte units"};
  }
  return offset_bytes / kUnitBytes;
}

const char* bit(bool b) { return b ? "1" : "0"; }

void add(std::vector<OobFinding>& out, bool error, const char* requirement, std::string field,
         std::string message) {
  out.push_back(OobFinding{error, requirement, std::move(field), std::move(message)});
}

}  // namespace

// ------------------------------------------------------------------ slot codecs

size_t nbl_info_slot_size(Abi abi) {
  return abi == Abi::x64 ? sizeof(x64::NDIS_IPSEC_OFFLOAD_V2_NET_BUFFER_LIST_INFO)
                         : sizeof(x86::NDIS_IPSEC_OFFLOAD_V2_NET_BUFFER_LIST_INFO);
}

OobResult<NblSlot> encode_offload_handle_slot(uint64_t offload_handle, Abi abi) {
  return encode_pointer_slot(offload_handle, abi, std::string(kSlot1) + ".Transmit.OffloadHandle");
}

OobResult<NblSlot> encode_tunnel_handle_slot(uint64_t tunnel_handle, Abi abi) {
  return encode_pointer_slot(tunnel_handle, abi, std::string(kSlot11) + ".Transmit.TunnelHandle");
}

OobResult<NblSlot> encode_receive_info_slot(uint64_t ipsec_info, Abi abi) {
  // On x64 bytes 4-7 are written as given (a deliberately wrong device can be modelled); the
  // x86 slot has no room for them.
  return encode_pointer_slot(ipsec_info, abi, std::string(kSlot1) + ".Receive");
}

NblSlot encode_header_info_slot(uint32_t header_info, Abi abi) {
  return slot_with(header_info, abi);  // bytes 4-7 of an x64 slot stay zero (OQ-24)
}

OobResult<uint64_t> decode_offload_handle_slot(std::span<const uint8_t> slot, Abi abi) {
  return decode_pointer_slot(slot, abi, std::string(kSlot1) + ".Transmit.OffloadHandle");
}

OobResult<uint64_t> decode_tunnel_handle_slot(std::span<const uint8_t> slot, Abi abi) {
  return decode_pointer_slot(slot, abi, std::string(kSlot11) + ".Transmit.TunnelHandle");
}

OobResult<uint64_t> decode_receive_info_slot(std::span<const uint8_t> slot, Abi abi) {
  return decode_pointer_slot(slot, abi, std::string(kSlot1) + ".Receive");
}

OobResult<uint32_t> decode_header_info_slot(std::span<const uint8_t> slot, Abi abi) {
  const std::string field = kSlot12;
  if (auto err = check_slot_length(slot, abi, field)) return *err;
  const uint64_t beyond = bytes::load_le(slot, kHeaderInfoSize, slot.size() - kHeaderInfoSize);
  if (beyond != 0) {
    return OobError{field, "slot bytes 4-7 are " + hex(beyond, 8) +
                               "; they lie outside the 4-byte structure and must be 0 ("
                               "OQ-24)"};
  }
  return bytes::load_u32(slot, 0);
}

OobResult<SendOobSlots> encode_send_oob(const SendOob& oob, Abi abi) {
  auto handle = encode_offload_handle_slot(oob.offload_handle, abi);
  if (auto* err = std::get_if<OobError>(&handle)) return *err;
  auto tunnel = encode_tunnel_handle_slot(oob.tunnel_handle, abi);
  if (auto* err = std::get_if<OobError>(&tunnel)) return *err;
  return SendOobSlots{std::get<NblSlot>(handle), std::get<NblSlot>(tunnel),
                      encode_header_info_slot(oob.header_info, abi)};
}

OobResult<SendOob> decode_send_oob(std::span<const uint8_t> slot1, std::span<const uint8_t> slot11,
                                   std::span<const uint8_t> slot12, Abi abi) {
  auto handle = decode_offload_handle_slot(slot1, abi);
  if (auto* err = std::get_if<OobError>(&handle)) return *err;
  auto tunnel = decode_tunnel_handle_slot(slot11, abi);
  if (auto* err = std::get_if<OobError>(&tunnel)) return *err;
  auto header = decode_header_info_slot(slot12, abi);
  if (auto* err = std::get_if<OobError>(&header)) return *err;
  SendOob oob;
  oob.offload_handle = std::get<uint64_t>(handle);
  oob.tunnel_handle = std::get<uint64_t>(tunnel);
  oob.header_info = std::get<uint32_t>(header);
  return oob;
}

OobResult<ReceiveOobSlots> encode_receive_oob(const ReceiveOob& oob, Abi abi) {
  auto info = encode_receive_info_slot(oob.ipsec_info, abi);
  if (auto* err = std::get_if<OobError>(&info)) return *err;
  return ReceiveOobSlots{std::get<NblSlot>(info), encode_header_info_slot(oob.header_info, abi)};
}

OobResult<ReceiveOob> decode_receive_oob(std::span<const uint8_t> slot1,
                                         std::span<const uint8_t> slot12, Abi abi) {
  auto info = decode_receive_info_slot(slot1, abi);
  if (auto* err = std::get_if<OobError>(&info)) return *err;
  auto header = decode_header_info_slot(slot12, abi);
  if (auto* err = std::get_if<OobError>(&header)) return *err;
  ReceiveOob oob;
  oob.ipsec_info = std::get<uint64_t>(info);
  oob.header_info = std::get<uint32_t>(header);
  return oob;
}

// ------------------------------------------------------------------ send view fields

OobResult<uint32_t> make_send_header_info(uint8_t next_header, uint8_t pad_length,
                                          uint32_t ah_offset_bytes, uint32_t esp_offset_bytes) {
  auto ah = offset_units(ah_offset_bytes, "AhHeaderOffset");
  if (auto* err = std::get_if<OobError>(&ah)) return *err;
  auto esp = offset_units(esp_offset_bytes, "EspHeaderOffset");
  if (auto* err = std::get_if<OobError>(&esp)) return *err;
  return static_cast<uint32_t>(next_header) |
         (static_cast<uint32_t>(pad_length) << NBL_HDR_PAD_LENGTH_SHIFT) |
         (std::get<uint32_t>(ah) << NBL_HDR_AH_OFFSET_SHIFT) |
         (std::get<uint32_t>(esp) << NBL_HDR_ESP_OFFSET_SHIFT);
}

SendHeaderInfo decode_send_header_info(uint32_t header_info) {
  SendHeaderInfo h;
  h.next_header = static_cast<uint8_t>(header_info & NBL_HDR_NEXT_HEADER_MASK);
  h.pad_length =
      static_cast<uint8_t>((header_info & NBL_HDR_PAD_LENGTH_MASK) >> NBL_HDR_PAD_LENGTH_SHIFT);
  h.ah_offset_bytes = static_cast<uint16_t>(
      ((header_info & NBL_HDR_AH_OFFSET_MASK) >> NBL_HDR_AH_OFFSET_SHIFT) * kUnitBytes);
  h.esp_offset_bytes = static_cast<uint16_t>(
      ((header_info & NBL_HDR_ESP_OFFSET_MASK) >> NBL_HDR_ESP_OFFSET_SHIFT) * kUnitBytes);
  return h;
}

// ------------------------------------------------------------------ receive view fields

uint64_t make_receive_info(const ReceiveInfo& f) {
  uint32_t w = static_cast<uint32_t>(f.crypto_status) << NBL_RECV_CRYPTO_STATUS_SHIFT;
  if (f.sa_delete_req) w |= NBL_RECV_SA_DELETE_REQ;
  if (f.crypto_done) w |= NBL_RECV_CRYPTO_DONE;
  if (f.next_crypto_done) w |= NBL_RECV_NEXT_CRYPTO_DONE;
  return w;  // Reserved and x64 bytes 4-7 zero (OQ-24)
}

DecodedReceiveInfo decode_receive_info(uint64_t ipsec_info) {
  const auto w = static_cast<uint32_t>(ipsec_info & 0xFFFFFFFFu);
  DecodedReceiveInfo d;
  d.fields.sa_delete_req = (w & NBL_RECV_SA_DELETE_REQ) != 0;
  d.fields.crypto_done = (w & NBL_RECV_CRYPTO_DONE) != 0;
  d.fields.next_crypto_done = (w & NBL_RECV_NEXT_CRYPTO_DONE) != 0;
  d.fields.crypto_status = static_cast<uint16_t>(w >> NBL_RECV_CRYPTO_STATUS_SHIFT);
  d.reserved_bits = w & NBL_RECV_RESERVED_MASK;
  d.slot_upper = static_cast<uint32_t>(ipsec_info >> 32);
  return d;
}

uint32_t make_receive_header_info(const ReceiveHeaderInfo& f) {
  uint32_t w = static_cast<uint32_t>(f.next_header) |
               (static_cast<uint32_t>(f.pad_length) << NBL_HDR_PAD_LENGTH_SHIFT);
  if (f.header_info_set) w |= NBL_HDR_RECV_HEADER_INFO_SET;
  return w;
}

DecodedReceiveHeaderInfo decode_receive_header_info(uint32_t header_info) {
  DecodedReceiveHeaderInfo d;
  d.fields.next_header = static_cast<uint8_t>(header_info & NBL_HDR_NEXT_HEADER_MASK);
  d.fields.pad_length =
      static_cast<uint8_t>((header_info & NBL_HDR_PAD_LENGTH_MASK) >> NBL_HDR_PAD_LENGTH_SHIFT);
  d.fields.header_info_set = (header_info & NBL_HDR_RECV_HEADER_INFO_SET) != 0;
  d.undeclared_bits = header_info & NBL_HDR_RECV_UNDECLARED_MASK;
  return d;
}

ReceiveOob make_receive_oob(const ReceiveInfo& info, const ReceiveHeaderInfo& header) {
  ReceiveOob oob;
  oob.ipsec_info = make_receive_info(info);
  oob.header_info = make_receive_header_info(header);
  return oob;
}

// ------------------------------------------------------------------ receive view checks

std::vector<OobFinding> check_receive_oob(const ReceiveOob& oob, Abi abi) {
  std::vector<OobFinding> out;
  const DecodedReceiveInfo info = decode_receive_info(oob.ipsec_info);
  const DecodedReceiveHeaderInfo hdr = decode_receive_header_info(oob.header_info);
  const std::string rx = std::string(kSlot1) + ".Receive.";
  const std::string hrx = std::string(kSlot12) + ".Receive.";

  if (info.reserved_bits != 0) {
    add(out, true, "RECV-020", rx + "Reserved",
        "reserved bits 3-15 are " + hex(info.reserved_bits, 4) +
            "; they are reserved for NDIS and must be written as 0");
  }
  if (info.slot_upper != 0) {
    if (abi == Abi::x64) {
      add(out, true, "RECV-020", std::string(kSlot1) + "[bytes 4-7]",
          "bytes 4-7 of the 8-byte x64 slot are " + hex(info.slot_upper, 8) +
              "; the receive view uses bytes 0-3 only and the rest must be 0 (OQ-24: the "
              "whole slot is zeroed before the fields are set)");
    } else {
      add(out, true, "RECV-020", std::string(kSlot1),
          "value has bits above 31 (" + hex(info.slot_upper, 8) +
              ") but the x86 slot is 4 bytes; no x86 device can report them");
    }
  }
  if (info.fields.next_crypto_done && !info.fields.crypto_done) {
    add(out, true, "RECV-008", rx + "NextCryptoDone",
        "NextCryptoDone=1 with CryptoDone=0; NextCryptoDone requires CryptoDone");
  }
  if (info.fields.crypto_status > CRYPTO_INVALID_PROTOCOL) {
    add(out, true, "RECV-009", rx + "CryptoStatus",
        "CryptoStatus " + std::to_string(info.fields.crypto_status) +
            " is not a defined result code (0-7)");
  }
  if (!info.fields.crypto_done && info.fields.crypto_status != CRYPTO_SUCCESS) {
    add(out, false, "RECV-011", rx + "CryptoStatus",
        "CryptoStatus " + std::to_string(info.fields.crypto_status) +
            " with CryptoDone=0; a packet the NIC did not process should carry "
            "CRYPTO_SUCCESS (0)");
  }
  if (hdr.undeclared_bits != 0) {
    // RECV-016 is the requirement on the header receive view; its layout declares only
    // NextHeader, PadLength and HeaderInfoSet, and says bits 17-31 are written as 0.
    add(out, true, "RECV-016", std::string(kSlot12) + "[bits 17-31]",
        "undeclared bits 17-31 of the header receive view are " + hex(hdr.undeclared_bits, 8) +
            "; they must be written as 0");
  }
  if (!hdr.fields.header_info_set && (hdr.fields.next_header != 0 || hdr.fields.pad_length != 0)) {
    add(out, false, "RECV-016", hrx + "HeaderInfoSet",
        "HeaderInfoSet=0 with NextHeader=" + std::to_string(hdr.fields.next_header) +
            " PadLength=" + std::to_string(hdr.fields.pad_length) +
            "; the transport ignores both fields, so these values are not reported results");
  }
  return out;
}

// ------------------------------------------------------------------ printing

std::string describe_receive_oob(const ReceiveOob& oob) {
  const DecodedReceiveInfo info = decode_receive_info(oob.ipsec_info);
  const DecodedReceiveHeaderInfo hdr = decode_receive_header_info(oob.header_info);
  const std::string_view status_name = crypto_status_name(info.fields.crypto_status);
  std::string s;
  s += "CryptoDone=";
  s += bit(info.fields.crypto_done);
  s += " NextCryptoDone=";
  s += bit(info.fields.next_crypto_done);
  s += " SaDeleteReq=";
  s += bit(info.fields.sa_delete_req);
  s += " CryptoStatus=";
  s += status_name.empty() ? std::string("UNKNOWN") : std::string(status_name);
  s += "(" + std::to_string(info.fields.crypto_status) + ")";
  s += " HeaderInfoSet=";
  s += bit(hdr.fields.header_info_set);
  s += " NextHeader=" + std::to_string(hdr.fields.next_header);
  s += " PadLength=" + std::to_string(hdr.fields.pad_length);
  if (info.reserved_bits != 0) s += " Reserved=" + hex(info.reserved_bits, 4);
  if (info.slot_upper != 0) s += " SlotUpper=" + hex(info.slot_upper, 8);
  if (hdr.undeclared_bits != 0) s += " HeaderUndeclared=" + hex(hdr.undeclared_bits, 8);
  return s;
}

std::string describe_send_oob(const SendOob& oob) {
  const SendHeaderInfo h = decode_send_header_info(oob.header_info);
  std::string s;
  s += "OffloadHandle=" + hex(oob.offload_handle, 1);
  s += " TunnelHandle=" + hex(oob.tunnel_handle, 1);
  s += " NextHeader=" + std::to_string(h.next_header);
  s += " PadLength=" + std::to_string(h.pad_length);
  s += " AhHeaderOffset=" + std::to_string(h.ah_offset_bytes / kUnitBytes) + "(" +
       std::to_string(h.ah_offset_bytes) + "B)";
  s += " EspHeaderOffset=" + std::to_string(h.esp_offset_bytes / kUnitBytes) + "(" +
       std::to_string(h.esp_offset_bytes) + "B)";
  s += " LsoMss=" + std::to_string(oob.lso_mss);
  return s;
}

}  // namespace cts::ndis
