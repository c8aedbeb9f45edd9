// The logical model of the IPsecOV2 OID payloads: plain C++ values, one per field of the NDIS
// structures, with no layout. The codec (codec.h) turns these into the exact binary buffers of
// either Windows ABI and back. Every field is kept as the raw number the structure carries, so a
// test can express a request that is deliberately wrong; validation (validate.h) turns a raw
// request into a checked SaBundleSpec or a rejection.
#pragma once

#include <array>
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "oracle/ndis/constants.h"

namespace cts::ndis {

// Which Windows ABI a buffer follows: pointer-sized fields are 8 bytes (x64) or 4 bytes (x86).
enum class Abi : uint8_t { x64, x86 };

struct ObjectHeader {
  uint8_t type = NDIS_OBJECT_TYPE_DEFAULT;
  uint8_t revision = 1;
  uint16_t size = 0;  // 0 in a request model means "the documented NDIS_SIZEOF value for the ABI"

  friend bool operator==(const ObjectHeader&, const ObjectHeader&) = default;
};

struct AlgorithmInfo {  // IPSEC_OFFLOAD_V2_ALGORITHM_INFO
  uint32_t identifier = 0;
  uint32_t key_length = 0;
  uint32_t key_offset_bytes = 0;
  uint32_t additional_info = 0;

  friend bool operator==(const AlgorithmInfo&, const AlgorithmInfo&) = default;
};

struct SecurityAssociation {  // IPSEC_OFFLOAD_V2_SECURITY_ASSOCIATION
  uint32_t flags = 0;
  uint32_t operation = 0;
  uint32_t spi = 0;  // numeric SPI (OQ-13: the ULONG equals the SPI as a number)
  AlgorithmInfo authentication;
  AlgorithmInfo encryption;
  uint32_t sequence_number_high_order = 0;

  friend bool operator==(const SecurityAssociation&, const SecurityAssociation&) = default;
};

// The 32-byte endpoint union, as raw bytes. IPv4 addresses sit in bytes 0..3 (source) and 4..7
// (destination) in network order (OQ-13); IPv6 addresses in bytes 0..15 and 16..31.
struct Endpoints {
  std::array<uint8_t, 32> raw{};

  static Endpoints ipv4(std::array<uint8_t, 4> src, std::array<uint8_t, 4> dst);
  static Endpoints ipv6(const std::array<uint8_t, 16>& src, const std::array<uint8_t, 16>& dst);
  std::array<uint8_t, 4> ipv4_src() const;
  std::array<uint8_t, 4> ipv4_dst() const;
  std::array<uint8_t, 16> ipv6_src() const;
  std::array<uint8_t, 16> ipv6_dst() const;

  friend bool operator==(const Endpoints&, const Endpoints&) = default;
};

// One IPSEC_OFFLOAD_V2_ADD_SA element, or the single IPSEC_OFFLOAD_V2_ADD_SA_EX.
// `key_data` is the key block (ADD_SA: KeyData[]; ADD_SA_EX: the block at KeyOffset).
struct AddSaElement {
  ObjectHeader header;
  uint32_t num_ext_hdrs = 1;
  uint32_t flags = 0;
  Endpoints endpoints;
  uint64_t offload_handle = 0;  // output: written back by the device
  uint32_t udp_esp_encapsulation = 0;
  std::array<SecurityAssociation, 2> sec_assoc{};
  std::optional<uint32_t> key_length_override;  // KeyLength field if it must differ from key_data
  std::vector<uint8_t> key_data;
  // ADD_SA_EX only.
  std::optional<uint32_t> key_offset;  // unset: the encoder places the block right after the struct
  uint32_t source_switch_port_id = 0;
  uint16_t vlan_id = 0;

  friend bool operator==(const AddSaElement&, const AddSaElement&) = default;
};

struct AddSaRequest {  // OID_TCP_TASK_IPSEC_OFFLOAD_V2_ADD_SA: a Next-linked list
  std::vector<AddSaElement> elements;

  friend bool operator==(const AddSaRequest&, const AddSaRequest&) = default;
};

struct AddSaExRequest {  // OID_TCP_TASK_IPSEC_OFFLOAD_V2_ADD_SA_EX: exactly one bundle
  AddSaElement element;

  friend bool operator==(const AddSaExRequest&, const AddSaExRequest&) = default;
};

struct DeleteSaElement {
  ObjectHeader header;
  uint64_t offload_handle = 0;

  friend bool operator==(const DeleteSaElement&, const DeleteSaElement&) = default;
};

struct DeleteSaRequest {  // OID_TCP_TASK_IPSEC_OFFLOAD_V2_DELETE_SA: a Next-linked list
  std::vector<DeleteSaElement> elements;

  friend bool operator==(const DeleteSaRequest&, const DeleteSaRequest&) = default;
};

struct UpdateSaRequest {  // OID_TCP_TASK_IPSEC_OFFLOAD_V2_UPDATE_SA: one structure (OQ-02)
  ObjectHeader header;
  uint64_t offload_handle = 0;
  uint32_t operation = IPsecOffloadV2Esp;
  uint32_t spi = 0;
  uint32_t sequence_number_high_order = 0;

  friend bool operator==(const UpdateSaRequest&, const UpdateSaRequest&) = default;
};

struct IpsecOffloadV2Capabilities {  // NDIS_IPSEC_OFFLOAD_V2, 32 bytes on both ABIs
  uint32_t encapsulation = NDIS_ENCAPSULATION_IEEE_802_3;
  bool ipv6_supported = false;
  bool ipv4_options = false;
  bool ipv6_non_ipsec_extension_headers = false;
  bool ah = false;
  bool esp = false;
  bool ah_esp_combined = false;
  bool transport = false;
  bool tunnel = false;
  bool transport_tunnel_combined = false;
  bool lso_supported = false;
  bool extended_sequence_numbers = false;
  uint32_t udp_esp = 0;
  uint32_t authentication_algorithms = 0;
  uint32_t encryption_algorithms = 0;
  uint32_t sa_offload_capacity = 0;

  friend bool operator==(const IpsecOffloadV2Capabilities&,
                         const IpsecOffloadV2Capabilities&) = default;
};

// Per-packet OOB words as they sit in the NET_BUFFER_LIST info slots (3.10).
struct SendOob {
  uint64_t offload_handle = 0;  // slot 1, Transmit.OffloadHandle
  uint64_t tunnel_handle = 0;   // slot 11, TunnelHandle
  uint32_t header_info = 0;     // slot 12, transmit view
  uint32_t lso_mss = 0;         // slot 2 (LSO v2 MSS); 0 = no LSO

  friend bool operator==(const SendOob&, const SendOob&) = default;
};

struct ReceiveOob {
  uint64_t ipsec_info = 0;   // slot 1, receive view (upper 4 bytes must be zero on x64, OQ-24)
  uint32_t header_info = 0;  // slot 12, receive view

  bool sa_delete_req() const { return ipsec_info & NBL_RECV_SA_DELETE_REQ; }
  bool crypto_done() const { return ipsec_info & NBL_RECV_CRYPTO_DONE; }
  bool next_crypto_done() const { return ipsec_info & NBL_RECV_NEXT_CRYPTO_DONE; }
  uint16_t crypto_status() const {
    return static_cast<uint16_t>((ipsec_info >> NBL_RECV_CRYPTO_STATUS_SHIFT) & 0xFFFFu);
  }
  bool header_info_set() const { return header_info & NBL_HDR_RECV_HEADER_INFO_SET; }
};

}  // namespace cts::ndis
