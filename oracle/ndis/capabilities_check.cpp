// Request-independent checks of NDIS_IPSEC_OFFLOAD_V2 (CAP-008..013).
#include <string>

#include "oracle/ndis/validate.h"

namespace cts::ndis {
namespace {

std::string hex(uint32_t v) {
  std::string s = "0x";
  static constexpr char digits[] = "0123456789ABCDEF";
  for (int shift = 28; shift >= 0; shift -= 4) s.push_back(digits[(v >> shift) & 0xF]);
  return s;
}

constexpr uint32_t kAllEncapsulations = NDIS_ENCAPSULATION_NULL | NDIS_ENCAPSULATION_IEEE_802_3 |
                                        NDIS_ENCAPSULATION_IEEE_802_3_P_AND_Q |
                                        NDIS_ENCAPSULATION_IEEE_802_3_P_AND_Q_IN_OOB |
                                        NDIS_ENCAPSULATION_IEEE_LLC_SNAP_ROUTED;

}  // namespace

std::vector<CapabilityFinding> check_capabilities(const IpsecOffloadV2Capabilities& caps) {
  std::vector<CapabilityFinding> out;
  auto add = [&](bool error, const char* req, const char* field, std::string message) {
    out.push_back(CapabilityFinding{error, req, field, std::move(message)});
  };
  if ((caps.encapsulation & NDIS_ENCAPSULATION_IEEE_802_3) == 0) {
    add(true, "CAP-008", "Encapsulation",
        "Encapsulation " + hex(caps.encapsulation) +
            " lacks NDIS_ENCAPSULATION_IEEE_802_3 (0x2), which is mandatory");
  }
  if ((caps.encapsulation & ~kAllEncapsulations) != 0) {
    add(true, "CAP-008", "Encapsulation",
        "Encapsulation has undefined bits " + hex(caps.encapsulation & ~kAllEncapsulations));
  }
  if (!caps.tunnel) {
    add(false, "CAP-009", "Tunnel",
        "Tunnel is FALSE; a miniport supporting IPsec task offload sets it TRUE (OQ-19: warning)");
  }
  if ((caps.ah || caps.esp) && caps.sa_offload_capacity == 0) {
    add(false, "CAP-010", "SaOffloadCapacity",
        "SaOffloadCapacity is 0 although AH or ESP is advertised: no bundle can be offloaded");
  }
  if ((caps.authentication_algorithms & ~IPSEC_OFFLOAD_V2_AUTHENTICATION_ALL) != 0) {
    add(true, "CAP-012", "AuthenticationAlgorithms",
        "AuthenticationAlgorithms has undefined bits " +
            hex(caps.authentication_algorithms & ~IPSEC_OFFLOAD_V2_AUTHENTICATION_ALL));
  }
  if ((caps.encryption_algorithms & ~IPSEC_OFFLOAD_V2_ENCRYPTION_ALL) != 0) {
    add(true, "CAP-012", "EncryptionAlgorithms",
        "EncryptionAlgorithms has undefined bits " +
            hex(caps.encryption_algorithms & ~IPSEC_OFFLOAD_V2_ENCRYPTION_ALL));
  }
  if ((caps.udp_esp & ~IPSEC_OFFLOAD_V2_UDP_ESP_ALL) != 0) {
    add(true, "CAP-013", "UdpEsp",
        "UdpEsp has bits outside the v2 UDP-ESP types " +
            hex(caps.udp_esp & ~IPSEC_OFFLOAD_V2_UDP_ESP_ALL) +
            " (a v1 IPSEC_*_UDPESP_ENCAPTYPE_* value?)");
  }
  return out;
}

}  // namespace cts::ndis
