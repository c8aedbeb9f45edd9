// The vocabulary of the `capabilities` a case needs. A token names one thing a device may or may
// not offer; "!token" needs its absence (cases that check what happens when a feature is NOT
// advertised, e.g. ADD_SA with an algorithm outside the masks must yield a NULL handle).
//
//   esp ah ah_esp_combined esn ipv6 ipv4_options ipv6_extension_headers transport tunnel
//   transport_tunnel_combined lso                      NDIS_IPSEC_OFFLOAD_V2 booleans
//   enc:<NAME> auth:<NAME>                             algorithm bits, NAME as the NDIS identifier after
//                                                      the prefix: enc:AES_GCM_128, auth:SHA_1
//   udp_esp:transport udp_esp:tunnel udp_esp:transport_over_udp_tunnel
//   udp_esp:udp_transport_over_tunnel                  UdpEsp bits
//   add_sa add_sa_ex                                   which add OID the device's NDIS version has
//   dump request_sa_delete                             optional operations of the device ABI
//   inbound_pool outbound_pool dest_address_pool       capacity pools beyond SaOffloadCapacity
// The token names are the table kCapabilityTokenNames (case_names.h).
#pragma once

#include <optional>
#include <string>

#include "runner/cases/case_model.h"

namespace cts::cases {

// Parses and checks a token against the vocabulary; nothing when unknown.
std::optional<CapabilityToken> parse_capability_token(const std::string& text);

}  // namespace cts::cases
