#include "runner/core/device_profile_bridge.h"

#include <algorithm>

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
  using K = cases::CapabilityKind;
  switch (t.kind) {
    case K::esp: return c.esp;
    case K::ah: return c.ah;
    case K::ah_esp_combined: return c.ah_esp_combined;
    case K::esn: return c.extended_sequence_numbers;
    case K::ipv6: return c.ipv6_supported;
    case K::ipv4_options: return c.ipv4_options;
    case K::ipv6_extension_headers: return c.ipv6_non_ipsec_extension_headers;
    case K::transport: return c.transport;
    case K::tunnel: return c.tunnel;
    case K::transport_tunnel_combined: return c.transport_tunnel_combined;
    case K::lso: return c.lso_supported;
    case K::udp_esp_transport: return c.udp_esp & ndis::IPSEC_OFFLOAD_V2_UDP_ESP_ENCAPSULATION_TRANSPORT;
    case K::udp_esp_tunnel: return c.udp_esp & ndis::IPSEC_OFFLOAD_V2_UDP_ESP_ENCAPSULATION_TUNNEL;
    case K::udp_esp_transport_over_udp_tunnel:
      return c.udp_esp & ndis::IPSEC_OFFLOAD_V2_TRANSPORT_OVER_UDP_ESP_ENCAPSULATION_TUNNEL;
    case K::udp_esp_udp_transport_over_tunnel:
      return c.udp_esp & ndis::IPSEC_OFFLOAD_V2_UDP_ESP_ENCAPSULATION_TRANSPORT_OVER_TUNNEL;
    case K::add_sa: return oids.add_sa;
    case K::add_sa_ex: return oids.add_sa_ex;
    case K::dump: return features.dump;
    case K::request_sa_delete: return features.request_sa_delete;
    case K::inbound_pool: return caps.inbound_bundle_capacity != 0;
    case K::outbound_pool: return caps.outbound_bundle_capacity != 0;
    case K::dest_address_pool: {
      // A table of its own only when it can fill before the inbound SAs do: a device whose
      // destination table is as large as its inbound pool (softnic given only total_bundles)
      // refuses no address for want of an entry, so the DestinationTable cases do not apply.
      const uint64_t total = c.sa_offload_capacity;
      const uint64_t inbound = caps.inbound_bundle_capacity ? std::min<uint64_t>(caps.inbound_bundle_capacity, total) : total;
      return caps.inbound_dest_address_capacity != 0 && caps.inbound_dest_address_capacity < inbound;
    }
    case K::encryption: return (c.encryption_algorithms & t.algorithm) != 0;
    case K::authentication: return (c.authentication_algorithms & t.algorithm) != 0;
  }
  return false;
}

}  // namespace

std::optional<std::string> missing_capability(const std::vector<cases::CapabilityToken>& tokens,
                                              const dut::Capabilities& caps,
                                              const dut::DutFeatures& features, AddOidSupport oids) {
  for (const auto& token : tokens)
    if (offers(token, caps, features, oids) == token.negated) return token.text;
  return std::nullopt;
}

}  // namespace cts::core
