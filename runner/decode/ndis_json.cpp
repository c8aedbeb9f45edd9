// JSON views of decoded NDIS IPsecOV2 structures (see ndis_json.h).
#include "runner/decode/ndis_json.h"

#include <arpa/inet.h>

#include <cstdio>
#include <string>

namespace cts::decode {
namespace {

using nlohmann::json;

void put_name(json& j, const char* key, std::string_view name) {
  if (!name.empty()) j[key] = std::string(name);
}

json header_json(const ndis::ObjectHeader& h) {
  json j{{"Type", h.type}, {"Revision", h.revision}, {"Size", h.size}};
  put_name(j, "TypeName", ndis::object_type_name(h.type));
  return j;
}

json algorithm_json(const ndis::AlgorithmInfo& a, bool authentication) {
  json j{{"Identifier", a.identifier},
         {"KeyLength", a.key_length},
         {"KeyOffsetBytes", a.key_offset_bytes},
         {"AdditionalInfo", a.additional_info}};
  put_name(j, "IdentifierName", authentication ? ndis::authentication_algorithm_name(a.identifier)
                                               : ndis::encryption_algorithm_name(a.identifier));
  return j;
}

json sec_assoc_json(const ndis::SecurityAssociation& sa) {
  json j{{"Flags", sa.flags},
         {"Operation", sa.operation},
         {"Spi", sa.spi},
         {"SpiHex", hex32(sa.spi)},
         {"AuthenticationAlgorithm", algorithm_json(sa.authentication, true)},
         {"EncryptionAlgorithm", algorithm_json(sa.encryption, false)},
         {"SequenceNumberHighOrder", sa.sequence_number_high_order}};
  if (sa.flags == ndis::IPSEC_OFFLOAD_V2_ESN_SA) j["FlagsNames"] = {"IPSEC_OFFLOAD_V2_ESN_SA"};
  put_name(j, "OperationName", ndis::operation_name(sa.operation));
  return j;
}

std::string ipv4_text(const std::array<uint8_t, 4>& a) {
  // OQ-13: IPAddr holds the address in network order, first octet at the lowest address.
  return std::to_string(a[0]) + "." + std::to_string(a[1]) + "." + std::to_string(a[2]) + "." +
         std::to_string(a[3]);
}

std::string ipv6_text(const std::array<uint8_t, 16>& a) {
  char buf[INET6_ADDRSTRLEN] = {};
  if (inet_ntop(AF_INET6, a.data(), buf, sizeof buf) == nullptr) return hex_bytes(a.data(), 16);
  return buf;
}

}  // namespace

std::string hex32(uint32_t value) {
  char buf[16];
  std::snprintf(buf, sizeof buf, "0x%08X", value);
  return buf;
}

std::string hex_bytes(const uint8_t* data, size_t length) {
  static constexpr char digits[] = "0123456789abcdef";
  std::string s;
  s.reserve(length * 2);
  for (size_t i = 0; i < length; ++i) {
    s.push_back(digits[data[i] >> 4]);
    s.push_back(digits[data[i] & 0xF]);
  }
  return s;
}

json add_element_json(const ndis::AddSaElement& e, bool ex, uint64_t next) {
  json j;
  j["Header"] = header_json(e.header);
  if (!ex) j["Next"] = next;
  j["NumExtHdrs"] = e.num_ext_hdrs;
  j["Flags"] = e.flags;
  json names = json::array();
  if (e.flags & ndis::IPSEC_OFFLOAD_V2_INBOUND) names.push_back("IPSEC_OFFLOAD_V2_INBOUND");
  if (e.flags & ndis::IPSEC_OFFLOAD_V2_IPv6) names.push_back("IPSEC_OFFLOAD_V2_IPv6");
  j["FlagsNames"] = names;
  j["Direction"] = (e.flags & ndis::IPSEC_OFFLOAD_V2_INBOUND) ? "inbound" : "outbound";
  if (e.flags & ndis::IPSEC_OFFLOAD_V2_IPv6) {
    j["IPv6Endpoints"] = {{"SrcAddr", ipv6_text(e.endpoints.ipv6_src())},
                          {"DestAddr", ipv6_text(e.endpoints.ipv6_dst())}};
  } else {
    j["IPv4Endpoints"] = {{"SrcAddr", ipv4_text(e.endpoints.ipv4_src())},
                          {"DestAddr", ipv4_text(e.endpoints.ipv4_dst())}};
  }
  j["OffloadHandle"] = e.offload_handle;
  j["UdpEspEncapsulation"] = e.udp_esp_encapsulation;
  put_name(j, "UdpEspEncapsulationName",
           ndis::udp_esp_encapsulation_name(e.udp_esp_encapsulation));
  // SecAssoc holds NumExtHdrs elements (ADD-011); both are shown when NumExtHdrs is invalid.
  const size_t shown = (e.num_ext_hdrs == 1 || e.num_ext_hdrs == 2) ? e.num_ext_hdrs : 2;
  json sas = json::array();
  for (size_t i = 0; i < shown; ++i) sas.push_back(sec_assoc_json(e.sec_assoc[i]));
  j["SecAssoc"] = sas;
  j["KeyLength"] = e.key_length_override.value_or(static_cast<uint32_t>(e.key_data.size()));
  j["KeyData"] = hex_bytes(e.key_data.data(), e.key_data.size());
  if (ex) {
    j["KeyOffset"] = e.key_offset.value_or(0);
    j["SourceSwitchPortId"] = e.source_switch_port_id;
    j["VlanId"] = e.vlan_id;
  }
  return j;
}

json delete_element_json(const ndis::DeleteSaElement& e, uint64_t next) {
  return json{{"Header", header_json(e.header)}, {"Next", next}, {"OffloadHandle", e.offload_handle}};
}

json update_json(const ndis::UpdateSaRequest& r) {
  json j{{"Header", header_json(r.header)},
         {"OffloadHandle", r.offload_handle},
         {"Operation", r.operation},
         {"Spi", r.spi},
         {"SpiHex", hex32(r.spi)},
         {"SequenceNumberHighOrder", r.sequence_number_high_order}};
  put_name(j, "OperationName", ndis::operation_name(r.operation));
  return j;
}

json capabilities_json(const ndis::IpsecOffloadV2Capabilities& c) {
  auto mask_names = [](uint32_t mask, std::string_view (*name)(uint32_t)) {
    json names = json::array();
    for (uint32_t bit = 1; bit != 0; bit <<= 1) {
      if ((mask & bit) == 0) continue;
      const auto n = name(bit);
      names.push_back(n.empty() ? hex32(bit) : std::string(n));
    }
    return names;
  };
  return json{
      {"Encapsulation", c.encapsulation},
      {"IPv6Supported", c.ipv6_supported},
      {"IPv4Options", c.ipv4_options},
      {"IPv6NonIPsecExtensionHeaders", c.ipv6_non_ipsec_extension_headers},
      {"Ah", c.ah},
      {"Esp", c.esp},
      {"AhEspCombined", c.ah_esp_combined},
      {"Transport", c.transport},
      {"Tunnel", c.tunnel},
      {"TransportTunnelCombined", c.transport_tunnel_combined},
      {"LsoSupported", c.lso_supported},
      {"ExtendedSequenceNumbers", c.extended_sequence_numbers},
      {"UdpEsp", c.udp_esp},
      {"UdpEspNames", mask_names(c.udp_esp, ndis::udp_esp_encapsulation_name)},
      {"AuthenticationAlgorithms", c.authentication_algorithms},
      {"AuthenticationAlgorithmsNames",
       mask_names(c.authentication_algorithms, ndis::authentication_algorithm_name)},
      {"EncryptionAlgorithms", c.encryption_algorithms},
      {"EncryptionAlgorithmsNames",
       mask_names(c.encryption_algorithms, ndis::encryption_algorithm_name)},
      {"SaOffloadCapacity", c.sa_offload_capacity},
  };
}

json status_json(ndis::NdisStatus status) {
  const auto name = ndis::ndis_status_name(status);
  return json{{"status", name.empty() ? hex32(status) : std::string(name)},
              {"status_code", hex32(status)}};
}

json error_json(const ndis::DecodeError& e) {
  json j = status_json(e.status);
  j["element"] = e.element;
  j["field"] = e.field;
  j["message"] = e.message;
  if (e.status == ndis::NDIS_STATUS_INVALID_LENGTH) j["bytes_needed"] = e.bytes_needed;
  return j;
}

}  // namespace cts::decode
