#include "runner/cases/capability_tokens.h"

#include <set>

#include "oracle/ndis/constants.h"

namespace cts::cases {

std::optional<CapabilityToken> parse_capability_token(const std::string& text) {
  static const std::set<std::string> plain = {
      "esp", "ah", "ah_esp_combined", "esn", "ipv6", "ipv4_options", "ipv6_extension_headers",
      "transport", "tunnel", "transport_tunnel_combined", "lso",
      "udp_esp:transport", "udp_esp:tunnel", "udp_esp:transport_over_udp_tunnel",
      "udp_esp:udp_transport_over_tunnel",
      "add_sa", "add_sa_ex", "dump", "request_sa_delete",
      "inbound_pool", "outbound_pool", "dest_address_pool"};
  CapabilityToken token;
  token.negated = !text.empty() && text[0] == '!';
  token.name = token.negated ? text.substr(1) : text;
  if (plain.count(token.name)) return token;
  uint32_t id = 0;
  if (token.name.rfind("enc:", 0) == 0 &&
      ndis::encryption_algorithm_from_name("IPSEC_OFFLOAD_V2_ENCRYPTION_" + token.name.substr(4), id))
    return token;
  if (token.name.rfind("auth:", 0) == 0 &&
      ndis::authentication_algorithm_from_name(
          "IPSEC_OFFLOAD_V2_AUTHENTICATION_" + token.name.substr(5), id))
    return token;
  return std::nullopt;
}

}  // namespace cts::cases
