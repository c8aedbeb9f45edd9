// Numeric constants of the NDIS IPsec Offload Version 2 interface, exactly as the WDK headers
// define them (ndis.h, ntddndis.h, ndis/status.h, ndis/nblinfo.h). Values as in those headers.
#pragma once

#include <cstdint>
#include <string_view>

namespace cts::ndis {

// 2.1 OIDs.
inline constexpr uint32_t OID_TCP_TASK_IPSEC_OFFLOAD_V2_ADD_SA = 0xFC030202u;
inline constexpr uint32_t OID_TCP_TASK_IPSEC_OFFLOAD_V2_DELETE_SA = 0xFC030203u;
inline constexpr uint32_t OID_TCP_TASK_IPSEC_OFFLOAD_V2_UPDATE_SA = 0xFC030204u;
inline constexpr uint32_t OID_TCP_TASK_IPSEC_OFFLOAD_V2_ADD_SA_EX = 0xFC030205u;
inline constexpr uint32_t OID_TCP_OFFLOAD_CURRENT_CONFIG = 0xFC01020Bu;
inline constexpr uint32_t OID_TCP_OFFLOAD_PARAMETERS = 0xFC01020Cu;
inline constexpr uint32_t OID_TCP_OFFLOAD_HARDWARE_CAPABILITIES = 0xFC01020Du;
inline constexpr uint32_t OID_OFFLOAD_ENCAPSULATION = 0x0101010Au;
// IPsec offload version 1 OIDs: context only, never valid for IPsecOV2 requests.
inline constexpr uint32_t OID_TCP_TASK_IPSEC_ADD_SA = 0xFC010202u;
inline constexpr uint32_t OID_TCP_TASK_IPSEC_DELETE_SA = 0xFC010203u;
inline constexpr uint32_t OID_TCP_TASK_IPSEC_ADD_UDPESP_SA = 0xFC010205u;
inline constexpr uint32_t OID_TCP_TASK_IPSEC_DELETE_UDPESP_SA = 0xFC010206u;
// NDIS_REQUEST_TYPE values; the IPsecOV2 OIDs are set requests.
inline constexpr uint32_t NdisRequestQueryInformation = 0;
inline constexpr uint32_t NdisRequestSetInformation = 1;
inline constexpr uint32_t NdisRequestMethod = 12;

// 2.2 Object header types, revisions and the NDIS_SIZEOF_*_REVISION_1 values.
inline constexpr uint8_t NDIS_OBJECT_TYPE_DEFAULT = 0x80;
inline constexpr uint8_t NDIS_OBJECT_TYPE_OFFLOAD = 0xA7;
inline constexpr uint8_t NDIS_OBJECT_TYPE_MINIPORT_ADAPTER_OFFLOAD_ATTRIBUTES = 0xA0;
inline constexpr uint8_t NDIS_IPSEC_OFFLOAD_V2_ADD_SA_REVISION_1 = 1;
inline constexpr uint8_t NDIS_IPSEC_OFFLOAD_V2_ADD_SA_EX_REVISION_1 = 1;
inline constexpr uint8_t NDIS_IPSEC_OFFLOAD_V2_DELETE_SA_REVISION_1 = 1;
inline constexpr uint8_t NDIS_IPSEC_OFFLOAD_V2_UPDATE_SA_REVISION_1 = 1;
inline constexpr uint8_t NDIS_MINIPORT_ADAPTER_OFFLOAD_ATTRIBUTES_REVISION_1 = 1;
inline constexpr uint8_t NDIS_OFFLOAD_REVISION_1 = 1;  // NDIS 6.0
inline constexpr uint8_t NDIS_OFFLOAD_REVISION_2 = 2;  // NDIS 6.1, adds IPsecV2
inline constexpr uint8_t NDIS_OFFLOAD_REVISION_3 = 3;  // NDIS 6.30
inline constexpr uint8_t NDIS_OFFLOAD_REVISION_4 = 4;  // NDIS 6.50
inline constexpr uint8_t NDIS_OFFLOAD_REVISION_5 = 5;  // NDIS 6.70
inline constexpr uint8_t NDIS_OFFLOAD_REVISION_6 = 6;  // NDIS 6.83
inline constexpr uint8_t NDIS_OFFLOAD_REVISION_7 = 7;  // NDIS 6.85
// The NDIS_SIZEOF_*_REVISION_n values are defined, and asserted against the spec tables, beside
// the structures: layout_common.h (ABI-independent) and layout_x64.h / layout_x86.h.

// 2.3 Flags.
inline constexpr uint32_t IPSEC_OFFLOAD_V2_INBOUND = 0x00000001u;
inline constexpr uint32_t IPSEC_OFFLOAD_V2_IPv6 = 0x00000010u;
inline constexpr uint32_t IPSEC_OFFLOAD_V2_ESN_SA = 0x00000001u;
inline constexpr uint32_t NDIS_OFFLOAD_FLAGS_GROUP_CHECKSUM_CAPABILITIES = 0x00000001u;
inline constexpr uint32_t IPSEC_OFFLOAD_V2_AND_TCP_CHECKSUM_COEXISTENCE = 0x00000002u;
inline constexpr uint32_t IPSEC_OFFLOAD_V2_AND_UDP_CHECKSUM_COEXISTENCE = 0x00000004u;

// 2.4 IPSEC_OFFLOAD_V2_OPERATION (a 4-byte MSVC enum).
inline constexpr uint32_t IPsecOffloadV2Ah = 1;
inline constexpr uint32_t IPsecOffloadV2Esp = 2;
inline constexpr uint32_t IPsecOffloadV2Max = 3;

// 2.5 Algorithm identifiers: bit masks in the capabilities, single values in ALGORITHM_INFO.
inline constexpr uint32_t IPSEC_OFFLOAD_V2_AUTHENTICATION_MD5 = 0x00000001u;
inline constexpr uint32_t IPSEC_OFFLOAD_V2_AUTHENTICATION_SHA_1 = 0x00000002u;
inline constexpr uint32_t IPSEC_OFFLOAD_V2_AUTHENTICATION_SHA_256 = 0x00000004u;
inline constexpr uint32_t IPSEC_OFFLOAD_V2_AUTHENTICATION_AES_GCM_128 = 0x00000008u;
inline constexpr uint32_t IPSEC_OFFLOAD_V2_AUTHENTICATION_AES_GCM_192 = 0x00000010u;
inline constexpr uint32_t IPSEC_OFFLOAD_V2_AUTHENTICATION_AES_GCM_256 = 0x00000020u;
inline constexpr uint32_t IPSEC_OFFLOAD_V2_AUTHENTICATION_ALL = 0x0000003Fu;

inline constexpr uint32_t IPSEC_OFFLOAD_V2_ENCRYPTION_NONE = 0x00000001u;
inline constexpr uint32_t IPSEC_OFFLOAD_V2_ENCRYPTION_DES_CBC = 0x00000002u;
inline constexpr uint32_t IPSEC_OFFLOAD_V2_ENCRYPTION_3_DES_CBC = 0x00000004u;
inline constexpr uint32_t IPSEC_OFFLOAD_V2_ENCRYPTION_AES_GCM_128 = 0x00000008u;
inline constexpr uint32_t IPSEC_OFFLOAD_V2_ENCRYPTION_AES_GCM_192 = 0x00000010u;
inline constexpr uint32_t IPSEC_OFFLOAD_V2_ENCRYPTION_AES_GCM_256 = 0x00000020u;
inline constexpr uint32_t IPSEC_OFFLOAD_V2_ENCRYPTION_AES_CBC_128 = 0x00000040u;
inline constexpr uint32_t IPSEC_OFFLOAD_V2_ENCRYPTION_AES_CBC_192 = 0x00000080u;
inline constexpr uint32_t IPSEC_OFFLOAD_V2_ENCRYPTION_AES_CBC_256 = 0x00000100u;
inline constexpr uint32_t IPSEC_OFFLOAD_V2_ENCRYPTION_ALL = 0x000001FFu;

// 2.6 UDP-ESP encapsulation types (v2).
inline constexpr uint32_t IPSEC_OFFLOAD_V2_UDP_ESP_ENCAPSULATION_NONE = 0x0u;
inline constexpr uint32_t IPSEC_OFFLOAD_V2_UDP_ESP_ENCAPSULATION_TRANSPORT = 0x1u;
inline constexpr uint32_t IPSEC_OFFLOAD_V2_UDP_ESP_ENCAPSULATION_TUNNEL = 0x2u;
inline constexpr uint32_t IPSEC_OFFLOAD_V2_TRANSPORT_OVER_UDP_ESP_ENCAPSULATION_TUNNEL = 0x4u;
inline constexpr uint32_t IPSEC_OFFLOAD_V2_UDP_ESP_ENCAPSULATION_TRANSPORT_OVER_TUNNEL = 0x8u;
inline constexpr uint32_t IPSEC_OFFLOAD_V2_UDP_ESP_ALL = 0xFu;
inline constexpr uint32_t IPSEC_OFFLOAD_V2_MAX_EXTENSION_HEADERS = 2;
// Three of the eight IPsec offload v1 UDP-ESP flags (0x1..0x80), named here only so that a v1
// value met in a v2 field can be recognised in a message; they are not v2 values.
inline constexpr uint32_t IPSEC_TPT_UDPESP_ENCAPTYPE_IKE = 0x01u;
inline constexpr uint32_t IPSEC_TPT_UDPESP_ENCAPTYPE_OTHER = 0x10u;
inline constexpr uint32_t IPSEC_TPT_UDPESP_OVER_PURE_TUN_ENCAPTYPE_OTHER = 0x80u;

// 2.7 Capability-related values.
inline constexpr uint32_t NDIS_ENCAPSULATION_NOT_SUPPORTED = 0x0u;
inline constexpr uint32_t NDIS_ENCAPSULATION_NULL = 0x1u;
inline constexpr uint32_t NDIS_ENCAPSULATION_IEEE_802_3 = 0x2u;
inline constexpr uint32_t NDIS_ENCAPSULATION_IEEE_802_3_P_AND_Q = 0x4u;
inline constexpr uint32_t NDIS_ENCAPSULATION_IEEE_802_3_P_AND_Q_IN_OOB = 0x8u;
inline constexpr uint32_t NDIS_ENCAPSULATION_IEEE_LLC_SNAP_ROUTED = 0x10u;
inline constexpr uint8_t NDIS_OFFLOAD_PARAMETERS_NO_CHANGE = 0;
inline constexpr uint8_t NDIS_OFFLOAD_PARAMETERS_IPSECV2_DISABLED = 1;
inline constexpr uint8_t NDIS_OFFLOAD_PARAMETERS_IPSECV2_AH_ENABLED = 2;
inline constexpr uint8_t NDIS_OFFLOAD_PARAMETERS_IPSECV2_ESP_ENABLED = 3;
inline constexpr uint8_t NDIS_OFFLOAD_PARAMETERS_IPSECV2_AH_AND_ESP_ENABLED = 4;
inline constexpr uint32_t NDIS_STATUS_TASK_OFFLOAD_CURRENT_CONFIG = 0x40020006u;
inline constexpr uint32_t NDIS_STATUS_TASK_OFFLOAD_HARDWARE_CAPABILITIES = 0x40020007u;

// 2.8 NET_BUFFER_LIST info slots.
inline constexpr uint32_t TcpIpChecksumNetBufferListInfo = 0;
inline constexpr uint32_t IPsecOffloadV2NetBufferListInfo = 1;  // shared with v1
inline constexpr uint32_t TcpLargeSendNetBufferListInfo = 2;
inline constexpr uint32_t WfpNetBufferListInfo = 10;
inline constexpr uint32_t IPsecOffloadV2TunnelNetBufferListInfo = 11;
inline constexpr uint32_t IPsecOffloadV2HeaderNetBufferListInfo = 12;

// 3.10 Bit layout of the receive views (first little-endian 32-bit word of the slot).
inline constexpr uint32_t NBL_RECV_SA_DELETE_REQ = 0x00000001u;
inline constexpr uint32_t NBL_RECV_CRYPTO_DONE = 0x00000002u;
inline constexpr uint32_t NBL_RECV_NEXT_CRYPTO_DONE = 0x00000004u;
inline constexpr uint32_t NBL_RECV_RESERVED_MASK = 0x0000FFF8u;
inline constexpr uint32_t NBL_RECV_CRYPTO_STATUS_SHIFT = 16;
inline constexpr uint32_t NBL_HDR_NEXT_HEADER_MASK = 0x000000FFu;
inline constexpr uint32_t NBL_HDR_PAD_LENGTH_SHIFT = 8;
inline constexpr uint32_t NBL_HDR_PAD_LENGTH_MASK = 0x0000FF00u;
inline constexpr uint32_t NBL_HDR_AH_OFFSET_MASK = 0x00FF0000u;
inline constexpr uint32_t NBL_HDR_ESP_OFFSET_MASK = 0xFF000000u;
inline constexpr uint32_t NBL_HDR_RECV_UNDECLARED_MASK = 0xFFFE0000u;  // bits 17-31, write 0
inline constexpr uint32_t NBL_HDR_AH_OFFSET_SHIFT = 16;   // transmit view, 4-byte units
inline constexpr uint32_t NBL_HDR_ESP_OFFSET_SHIFT = 24;  // transmit view, 4-byte units
inline constexpr uint32_t NBL_HDR_RECV_HEADER_INFO_SET = 0x00010000u;

// 2.9 CryptoStatus.
inline constexpr uint16_t CRYPTO_SUCCESS = 0;
inline constexpr uint16_t CRYPTO_GENERIC_ERROR = 1;
inline constexpr uint16_t CRYPTO_TRANSPORT_AH_AUTH_FAILED = 2;
inline constexpr uint16_t CRYPTO_TRANSPORT_ESP_AUTH_FAILED = 3;
inline constexpr uint16_t CRYPTO_TUNNEL_AH_AUTH_FAILED = 4;
inline constexpr uint16_t CRYPTO_TUNNEL_ESP_AUTH_FAILED = 5;
inline constexpr uint16_t CRYPTO_INVALID_PACKET_SYNTAX = 6;
inline constexpr uint16_t CRYPTO_INVALID_PROTOCOL = 7;

// 2.10 NDIS_STATUS codes (the values a miniport returns; not the facility-0x23 NTSTATUS twins).
using NdisStatus = uint32_t;
inline constexpr NdisStatus NDIS_STATUS_SUCCESS = 0x00000000u;
inline constexpr NdisStatus NDIS_STATUS_PENDING = 0x00000103u;
inline constexpr NdisStatus NDIS_STATUS_NOT_RECOGNIZED = 0x00010001u;
inline constexpr NdisStatus NDIS_STATUS_NOT_ACCEPTED = 0x00010003u;
inline constexpr NdisStatus NDIS_STATUS_INDICATION_REQUIRED = 0x40230001u;
inline constexpr NdisStatus NDIS_STATUS_BUFFER_OVERFLOW = 0x80000005u;
inline constexpr NdisStatus NDIS_STATUS_FAILURE = 0xC0000001u;
inline constexpr NdisStatus NDIS_STATUS_INVALID_PARAMETER = 0xC000000Du;
inline constexpr NdisStatus NDIS_STATUS_INVALID_DEVICE_REQUEST = 0xC0000010u;
inline constexpr NdisStatus NDIS_STATUS_RESOURCES = 0xC000009Au;
inline constexpr NdisStatus NDIS_STATUS_NOT_SUPPORTED = 0xC00000BBu;
inline constexpr NdisStatus NDIS_STATUS_INVALID_STATE = 0xC0000184u;
inline constexpr NdisStatus NDIS_STATUS_REQUEST_ABORTED = 0xC001000Cu;
inline constexpr NdisStatus NDIS_STATUS_RESET_IN_PROGRESS = 0xC001000Du;
inline constexpr NdisStatus NDIS_STATUS_ADAPTER_NOT_READY = 0xC0010011u;
inline constexpr NdisStatus NDIS_STATUS_INVALID_LENGTH = 0xC0010014u;
inline constexpr NdisStatus NDIS_STATUS_INVALID_DATA = 0xC0010015u;
inline constexpr NdisStatus NDIS_STATUS_BUFFER_TOO_SHORT = 0xC0010016u;
inline constexpr NdisStatus NDIS_STATUS_INVALID_OID = 0xC0010017u;
inline constexpr NdisStatus NDIS_STATUS_UNSUPPORTED_REVISION = 0xC023002Cu;
inline constexpr NdisStatus NDIS_STATUS_SEND_ABORTED = 0xC023000Cu;
inline constexpr NdisStatus NDIS_STATUS_PAUSED = 0xC023002Au;

// True for NT_ERROR-class codes (severity bits 11), i.e. a failed request.
constexpr bool ndis_failed(NdisStatus s) { return (s >> 30) == 3u; }

// Printable names ("NDIS_STATUS_RESOURCES"); an unknown value yields an empty view.
std::string_view ndis_status_name(NdisStatus status);
std::string_view oid_name(uint32_t oid);
std::string_view crypto_status_name(uint16_t status);
std::string_view operation_name(uint32_t operation);
std::string_view authentication_algorithm_name(uint32_t identifier);
std::string_view encryption_algorithm_name(uint32_t identifier);
std::string_view udp_esp_encapsulation_name(uint32_t type);

std::string_view object_type_name(uint8_t type);
std::string_view udp_esp_encapsulation_short_name(uint32_t type);  // "TRANSPORT", "TUNNEL", ...

// Inverse lookups for data files; return false when the name is unknown. Each accepts the full
// WDK name and the short form without the common prefix: "NDIS_STATUS_RESOURCES" or
// "RESOURCES"; "OID_TCP_TASK_IPSEC_OFFLOAD_V2_ADD_SA" or "ADD_SA";
// "IPSEC_OFFLOAD_V2_AUTHENTICATION_SHA_1" or "SHA_1"; "IPSEC_OFFLOAD_V2_ENCRYPTION_AES_GCM_128"
// or "AES_GCM_128". Matching is exact (case-sensitive).
bool ndis_status_from_name(std::string_view name, NdisStatus& out);
bool oid_from_name(std::string_view name, uint32_t& out);  // accepts "ADD_SA" and the full name
bool authentication_algorithm_from_name(std::string_view name, uint32_t& out);
bool encryption_algorithm_from_name(std::string_view name, uint32_t& out);
bool operation_from_name(std::string_view name, uint32_t& out);  // "IPsecOffloadV2Esp" or "ESP"
bool udp_esp_encapsulation_from_name(std::string_view name, uint32_t& out);

}  // namespace cts::ndis
