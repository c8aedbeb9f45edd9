// Names of the NDIS IPsecOV2 constants (ndis.h, ntddndis.h) for messages, JSON and data files.
#include "oracle/ndis/constants.h"

#include <array>

namespace cts::ndis {
namespace {

struct Named {
  uint32_t value;
  std::string_view name;   // full WDK name
  std::string_view short_name;  // without the common prefix ("" when none applies)
};

constexpr std::array kStatuses{
    Named{NDIS_STATUS_SUCCESS, "NDIS_STATUS_SUCCESS", "SUCCESS"},
    Named{NDIS_STATUS_PENDING, "NDIS_STATUS_PENDING", "PENDING"},
    Named{NDIS_STATUS_NOT_RECOGNIZED, "NDIS_STATUS_NOT_RECOGNIZED", "NOT_RECOGNIZED"},
    Named{NDIS_STATUS_NOT_ACCEPTED, "NDIS_STATUS_NOT_ACCEPTED", "NOT_ACCEPTED"},
    Named{NDIS_STATUS_INDICATION_REQUIRED, "NDIS_STATUS_INDICATION_REQUIRED", "INDICATION_REQUIRED"},
    Named{NDIS_STATUS_BUFFER_OVERFLOW, "NDIS_STATUS_BUFFER_OVERFLOW", "BUFFER_OVERFLOW"},
    Named{NDIS_STATUS_FAILURE, "NDIS_STATUS_FAILURE", "FAILURE"},
    Named{NDIS_STATUS_INVALID_PARAMETER, "NDIS_STATUS_INVALID_PARAMETER", "INVALID_PARAMETER"},
    Named{NDIS_STATUS_INVALID_DEVICE_REQUEST, "NDIS_STATUS_INVALID_DEVICE_REQUEST",
          "INVALID_DEVICE_REQUEST"},
    Named{NDIS_STATUS_RESOURCES, "NDIS_STATUS_RESOURCES", "RESOURCES"},
    Named{NDIS_STATUS_NOT_SUPPORTED, "NDIS_STATUS_NOT_SUPPORTED", "NOT_SUPPORTED"},
    Named{NDIS_STATUS_INVALID_STATE, "NDIS_STATUS_INVALID_STATE", "INVALID_STATE"},
    Named{NDIS_STATUS_REQUEST_ABORTED, "NDIS_STATUS_REQUEST_ABORTED", "REQUEST_ABORTED"},
    Named{NDIS_STATUS_RESET_IN_PROGRESS, "NDIS_STATUS_RESET_IN_PROGRESS", "RESET_IN_PROGRESS"},
    Named{NDIS_STATUS_ADAPTER_NOT_READY, "NDIS_STATUS_ADAPTER_NOT_READY", "ADAPTER_NOT_READY"},
    Named{NDIS_STATUS_INVALID_LENGTH, "NDIS_STATUS_INVALID_LENGTH", "INVALID_LENGTH"},
    Named{NDIS_STATUS_INVALID_DATA, "NDIS_STATUS_INVALID_DATA", "INVALID_DATA"},
    Named{NDIS_STATUS_BUFFER_TOO_SHORT, "NDIS_STATUS_BUFFER_TOO_SHORT", "BUFFER_TOO_SHORT"},
    Named{NDIS_STATUS_INVALID_OID, "NDIS_STATUS_INVALID_OID", "INVALID_OID"},
    Named{NDIS_STATUS_UNSUPPORTED_REVISION, "NDIS_STATUS_UNSUPPORTED_REVISION",
          "UNSUPPORTED_REVISION"},
    Named{NDIS_STATUS_SEND_ABORTED, "NDIS_STATUS_SEND_ABORTED", "SEND_ABORTED"},
    Named{NDIS_STATUS_PAUSED, "NDIS_STATUS_PAUSED", "PAUSED"},
};

constexpr std::array kOids{
    Named{OID_TCP_TASK_IPSEC_OFFLOAD_V2_ADD_SA, "OID_TCP_TASK_IPSEC_OFFLOAD_V2_ADD_SA", "ADD_SA"},
    Named{OID_TCP_TASK_IPSEC_OFFLOAD_V2_DELETE_SA, "OID_TCP_TASK_IPSEC_OFFLOAD_V2_DELETE_SA",
          "DELETE_SA"},
    Named{OID_TCP_TASK_IPSEC_OFFLOAD_V2_UPDATE_SA, "OID_TCP_TASK_IPSEC_OFFLOAD_V2_UPDATE_SA",
          "UPDATE_SA"},
    Named{OID_TCP_TASK_IPSEC_OFFLOAD_V2_ADD_SA_EX, "OID_TCP_TASK_IPSEC_OFFLOAD_V2_ADD_SA_EX",
          "ADD_SA_EX"},
    Named{OID_TCP_OFFLOAD_CURRENT_CONFIG, "OID_TCP_OFFLOAD_CURRENT_CONFIG", ""},
    Named{OID_TCP_OFFLOAD_PARAMETERS, "OID_TCP_OFFLOAD_PARAMETERS", ""},
    Named{OID_TCP_OFFLOAD_HARDWARE_CAPABILITIES, "OID_TCP_OFFLOAD_HARDWARE_CAPABILITIES", ""},
    Named{OID_OFFLOAD_ENCAPSULATION, "OID_OFFLOAD_ENCAPSULATION", ""},
    Named{OID_TCP_TASK_IPSEC_ADD_SA, "OID_TCP_TASK_IPSEC_ADD_SA", ""},
    Named{OID_TCP_TASK_IPSEC_DELETE_SA, "OID_TCP_TASK_IPSEC_DELETE_SA", ""},
    Named{OID_TCP_TASK_IPSEC_ADD_UDPESP_SA, "OID_TCP_TASK_IPSEC_ADD_UDPESP_SA", ""},
    Named{OID_TCP_TASK_IPSEC_DELETE_UDPESP_SA, "OID_TCP_TASK_IPSEC_DELETE_UDPESP_SA", ""},
};

constexpr std::array kCryptoStatuses{
    Named{CRYPTO_SUCCESS, "CRYPTO_SUCCESS", ""},
    Named{CRYPTO_GENERIC_ERROR, "CRYPTO_GENERIC_ERROR", ""},
    Named{CRYPTO_TRANSPORT_AH_AUTH_FAILED, "CRYPTO_TRANSPORT_AH_AUTH_FAILED", ""},
    Named{CRYPTO_TRANSPORT_ESP_AUTH_FAILED, "CRYPTO_TRANSPORT_ESP_AUTH_FAILED", ""},
    Named{CRYPTO_TUNNEL_AH_AUTH_FAILED, "CRYPTO_TUNNEL_AH_AUTH_FAILED", ""},
    Named{CRYPTO_TUNNEL_ESP_AUTH_FAILED, "CRYPTO_TUNNEL_ESP_AUTH_FAILED", ""},
    Named{CRYPTO_INVALID_PACKET_SYNTAX, "CRYPTO_INVALID_PACKET_SYNTAX", ""},
    Named{CRYPTO_INVALID_PROTOCOL, "CRYPTO_INVALID_PROTOCOL", ""},
};

constexpr std::array kOperations{
    Named{IPsecOffloadV2Ah, "IPsecOffloadV2Ah", "AH"},
    Named{IPsecOffloadV2Esp, "IPsecOffloadV2Esp", "ESP"},
    Named{IPsecOffloadV2Max, "IPsecOffloadV2Max", ""},
};

constexpr std::array kAuthentication{
    Named{IPSEC_OFFLOAD_V2_AUTHENTICATION_MD5, "IPSEC_OFFLOAD_V2_AUTHENTICATION_MD5", "MD5"},
    Named{IPSEC_OFFLOAD_V2_AUTHENTICATION_SHA_1, "IPSEC_OFFLOAD_V2_AUTHENTICATION_SHA_1", "SHA_1"},
    Named{IPSEC_OFFLOAD_V2_AUTHENTICATION_SHA_256, "IPSEC_OFFLOAD_V2_AUTHENTICATION_SHA_256",
          "SHA_256"},
    Named{IPSEC_OFFLOAD_V2_AUTHENTICATION_AES_GCM_128,
          "IPSEC_OFFLOAD_V2_AUTHENTICATION_AES_GCM_128", "AES_GCM_128"},
    Named{IPSEC_OFFLOAD_V2_AUTHENTICATION_AES_GCM_192,
          "IPSEC_OFFLOAD_V2_AUTHENTICATION_AES_GCM_192", "AES_GCM_192"},
    Named{IPSEC_OFFLOAD_V2_AUTHENTICATION_AES_GCM_256,
          "IPSEC_OFFLOAD_V2_AUTHENTICATION_AES_GCM_256", "AES_GCM_256"},
};

constexpr std::array kEncryption{
    Named{IPSEC_OFFLOAD_V2_ENCRYPTION_NONE, "IPSEC_OFFLOAD_V2_ENCRYPTION_NONE", "NONE"},
    Named{IPSEC_OFFLOAD_V2_ENCRYPTION_DES_CBC, "IPSEC_OFFLOAD_V2_ENCRYPTION_DES_CBC", "DES_CBC"},
    Named{IPSEC_OFFLOAD_V2_ENCRYPTION_3_DES_CBC, "IPSEC_OFFLOAD_V2_ENCRYPTION_3_DES_CBC",
          "3_DES_CBC"},
    Named{IPSEC_OFFLOAD_V2_ENCRYPTION_AES_GCM_128, "IPSEC_OFFLOAD_V2_ENCRYPTION_AES_GCM_128",
          "AES_GCM_128"},
    Named{IPSEC_OFFLOAD_V2_ENCRYPTION_AES_GCM_192, "IPSEC_OFFLOAD_V2_ENCRYPTION_AES_GCM_192",
          "AES_GCM_192"},
    Named{IPSEC_OFFLOAD_V2_ENCRYPTION_AES_GCM_256, "IPSEC_OFFLOAD_V2_ENCRYPTION_AES_GCM_256",
          "AES_GCM_256"},
    Named{IPSEC_OFFLOAD_V2_ENCRYPTION_AES_CBC_128, "IPSEC_OFFLOAD_V2_ENCRYPTION_AES_CBC_128",
          "AES_CBC_128"},
    Named{IPSEC_OFFLOAD_V2_ENCRYPTION_AES_CBC_192, "IPSEC_OFFLOAD_V2_ENCRYPTION_AES_CBC_192",
          "AES_CBC_192"},
    Named{IPSEC_OFFLOAD_V2_ENCRYPTION_AES_CBC_256, "IPSEC_OFFLOAD_V2_ENCRYPTION_AES_CBC_256",
          "AES_CBC_256"},
};

constexpr std::array kUdpEsp{
    Named{IPSEC_OFFLOAD_V2_UDP_ESP_ENCAPSULATION_NONE, "IPSEC_OFFLOAD_V2_UDP_ESP_ENCAPSULATION_NONE",
          "NONE"},
    Named{IPSEC_OFFLOAD_V2_UDP_ESP_ENCAPSULATION_TRANSPORT,
          "IPSEC_OFFLOAD_V2_UDP_ESP_ENCAPSULATION_TRANSPORT", "TRANSPORT"},
    Named{IPSEC_OFFLOAD_V2_UDP_ESP_ENCAPSULATION_TUNNEL,
          "IPSEC_OFFLOAD_V2_UDP_ESP_ENCAPSULATION_TUNNEL", "TUNNEL"},
    Named{IPSEC_OFFLOAD_V2_TRANSPORT_OVER_UDP_ESP_ENCAPSULATION_TUNNEL,
          "IPSEC_OFFLOAD_V2_TRANSPORT_OVER_UDP_ESP_ENCAPSULATION_TUNNEL",
          "TRANSPORT_OVER_UDP_ESP_TUNNEL"},
    Named{IPSEC_OFFLOAD_V2_UDP_ESP_ENCAPSULATION_TRANSPORT_OVER_TUNNEL,
          "IPSEC_OFFLOAD_V2_UDP_ESP_ENCAPSULATION_TRANSPORT_OVER_TUNNEL",
          "UDP_ESP_TRANSPORT_OVER_TUNNEL"},
};

constexpr std::array kObjectTypes{
    Named{NDIS_OBJECT_TYPE_DEFAULT, "NDIS_OBJECT_TYPE_DEFAULT", ""},
    Named{NDIS_OBJECT_TYPE_OFFLOAD, "NDIS_OBJECT_TYPE_OFFLOAD", ""},
    Named{NDIS_OBJECT_TYPE_MINIPORT_ADAPTER_OFFLOAD_ATTRIBUTES,
          "NDIS_OBJECT_TYPE_MINIPORT_ADAPTER_OFFLOAD_ATTRIBUTES", ""},
};

template <size_t N>
std::string_view name_of(const std::array<Named, N>& table, uint32_t value) {
  for (const auto& entry : table) {
    if (entry.value == value) return entry.name;
  }
  return {};
}

template <size_t N>
bool value_of(const std::array<Named, N>& table, std::string_view name, uint32_t& out) {
  if (name.empty()) return false;
  for (const auto& entry : table) {
    if (entry.name == name || entry.short_name == name) {
      out = entry.value;
      return true;
    }
  }
  return false;
}

}  // namespace

std::string_view ndis_status_name(NdisStatus status) { return name_of(kStatuses, status); }
std::string_view oid_name(uint32_t oid) { return name_of(kOids, oid); }
std::string_view crypto_status_name(uint16_t status) { return name_of(kCryptoStatuses, status); }
std::string_view operation_name(uint32_t operation) { return name_of(kOperations, operation); }
std::string_view authentication_algorithm_name(uint32_t identifier) {
  return name_of(kAuthentication, identifier);
}
std::string_view encryption_algorithm_name(uint32_t identifier) {
  return name_of(kEncryption, identifier);
}
std::string_view udp_esp_encapsulation_name(uint32_t type) { return name_of(kUdpEsp, type); }
std::string_view object_type_name(uint8_t type) { return name_of(kObjectTypes, type); }
std::string_view udp_esp_encapsulation_short_name(uint32_t type) {
  for (const auto& entry : kUdpEsp) {
    if (entry.value == type) return entry.short_name;
  }
  return {};
}

bool ndis_status_from_name(std::string_view name, NdisStatus& out) {
  return value_of(kStatuses, name, out);
}
bool oid_from_name(std::string_view name, uint32_t& out) { return value_of(kOids, name, out); }
bool authentication_algorithm_from_name(std::string_view name, uint32_t& out) {
  return value_of(kAuthentication, name, out);
}
bool encryption_algorithm_from_name(std::string_view name, uint32_t& out) {
  return value_of(kEncryption, name, out);
}
bool operation_from_name(std::string_view name, uint32_t& out) {
  return value_of(kOperations, name, out);
}
bool udp_esp_encapsulation_from_name(std::string_view name, uint32_t& out) {
  return value_of(kUdpEsp, name, out);
}

}  // namespace cts::ndis
