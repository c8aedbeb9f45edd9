#include "runner/core/device_profile_bridge.h"

#include "oracle/ndis/constants.h"
#include "runner/cases/capability_tokens.h"

namespace cts::core {

sa::DeviceProfile profile_from_capabilities(const dut::Capabilities& caps, const std::string& name) {
  sa::DeviceProfile p;
  p.name = name;
  p.capabilities = caps.ipsec_offload_v2;
  p.set_total_capacity(caps.ipsec_offload_v2.sa_offload_capacity);
  if (caps.inbound_bundle_capacity) p.pools.inbound_bundles = caps.inbound_bundle_capacity;
  if (caps.outbound_bundle_capacity) p.pools.outbound_bundles = caps.outbound_bundle_capacity;
  if (caps.inbound_dest_address_capacity)
    p.pools.inbound_destination_addresses = caps.inbound_dest_address_capacity;
  if (caps.spi_min != 0 || caps.spi_max != 0) p.accepted_spi_range = sa::SpiRange{caps.spi_min, caps.spi_max};
  p.validation.gcm_key_includes_salt = caps.gcm_key_includes_salt;
  return p;
}

cases::ExprEnv profile_environment(const sa::DeviceProfile& profile) {
  cases::ExprEnv env;
  const int64_t total = profile.pools.total_bundles;
  env.set("capacity", total);
  env.set("inbound_capacity", profile.pools.inbound_bundles ? std::min<int64_t>(*profile.pools.inbound_bundles, total) : total);
  env.set("outbound_capacity", profile.pools.outbound_bundles ? std::min<int64_t>(*profile.pools.outbound_bundles, total) : total);
  env.set("dest_address_capacity", profile.pools.inbound_destination_addresses.value_or(0));
  return env;
}

namespace {

bool offers(const cases::CapabilityToken& t, const dut::Capabilities& caps,
            const dut::DutFeatures& features, AddOidSupport oids) {
  const auto& c = caps.ipsec_offload_v2;
  const std::string& n = t.name;
  if (n == "esp") return c.esp;
  if (n == "ah") return c.ah;
  if (n == "ah_esp_combined") return c.ah_esp_combined;
  if (n == "esn") return c.extended_sequence_numbers;
  if (n == "ipv6") return c.ipv6_supported;
  if (n == "ipv4_options") return c.ipv4_options;
  if (n == "ipv6_extension_headers") return c.ipv6_non_ipsec_extension_headers;
  if (n == "transport") return c.transport;
  if (n == "tunnel") return c.tunnel;
  if (n == "transport_tunnel_combined") return c.transport_tunnel_combined;
  if (n == "lso") return c.lso_supported;
  if (n == "udp_esp:transport") return c.udp_esp & ndis::IPSEC_OFFLOAD_V2_UDP_ESP_ENCAPSULATION_TRANSPORT;
  if (n == "udp_esp:tunnel") return c.udp_esp & ndis::IPSEC_OFFLOAD_V2_UDP_ESP_ENCAPSULATION_TUNNEL;
  if (n == "udp_esp:transport_over_udp_tunnel")
    return c.udp_esp & ndis::IPSEC_OFFLOAD_V2_TRANSPORT_OVER_UDP_ESP_ENCAPSULATION_TUNNEL;
  if (n == "udp_esp:udp_transport_over_tunnel")
    return c.udp_esp & ndis::IPSEC_OFFLOAD_V2_UDP_ESP_ENCAPSULATION_TRANSPORT_OVER_TUNNEL;
  if (n == "add_sa") return oids.add_sa;
  if (n == "add_sa_ex") return oids.add_sa_ex;
  if (n == "dump") return features.dump;
  if (n == "request_sa_delete") return features.request_sa_delete;
  if (n == "inbound_pool") return caps.inbound_bundle_capacity != 0;
  if (n == "outbound_pool") return caps.outbound_bundle_capacity != 0;
  if (n == "dest_address_pool") return caps.inbound_dest_address_capacity != 0;
  uint32_t id = 0;
  if (n.rfind("enc:", 0) == 0 &&
      ndis::encryption_algorithm_from_name("IPSEC_OFFLOAD_V2_ENCRYPTION_" + n.substr(4), id))
    return (c.encryption_algorithms & id) != 0;
  if (n.rfind("auth:", 0) == 0 &&
      ndis::authentication_algorithm_from_name("IPSEC_OFFLOAD_V2_AUTHENTICATION_" + n.substr(5), id))
    return (c.authentication_algorithms & id) != 0;
  return false;  // the loader rejects unknown tokens; treat a stray one as unmet
}

}  // namespace

std::optional<std::string> missing_capability(const std::vector<std::string>& tokens,
                                              const dut::Capabilities& caps,
                                              const dut::DutFeatures& features, AddOidSupport oids) {
  for (const auto& text : tokens) {
    auto token = cases::parse_capability_token(text);
    if (!token) return text;
    if (offers(*token, caps, features, oids) == token->negated) return text;
  }
  return std::nullopt;
}

}  // namespace cts::core
