#include "oracle/sa/device_profile.h"

#include <string>

namespace cts::sa {
namespace {

std::string num(uint64_t v) { return std::to_string(v); }

}  // namespace

std::vector<std::string> check_profile(const DeviceProfile& p) {
  std::vector<std::string> problems;
  const auto& caps = p.capabilities;
  if (p.pools.total_bundles == 0) {
    problems.push_back("pools.total_bundles: 0 (a device that offloads IPsec holds at least one bundle)");
  }
  if (p.pools.total_bundles > kMaxBundleCapacity) {
    problems.push_back("pools.total_bundles: " + num(p.pools.total_bundles) +
                       " exceeds the model's maximum of " + num(kMaxBundleCapacity));
  }
  if (caps.sa_offload_capacity != p.pools.total_bundles) {
    problems.push_back("capabilities.sa_offload_capacity: " + num(caps.sa_offload_capacity) +
                       " differs from pools.total_bundles " + num(p.pools.total_bundles));
  }
  if (p.pools.inbound_bundles && *p.pools.inbound_bundles == 0) {
    problems.push_back("pools.inbound_bundles: 0 (omit the pool instead)");
  }
  if (p.pools.outbound_bundles && *p.pools.outbound_bundles == 0) {
    problems.push_back("pools.outbound_bundles: 0 (omit the pool instead)");
  }
  if (p.pools.inbound_destination_addresses && *p.pools.inbound_destination_addresses == 0) {
    problems.push_back("pools.inbound_destination_addresses: 0 (omit the pool instead)");
  }
  if (p.accepted_spi_range && p.accepted_spi_range->min > p.accepted_spi_range->max) {
    problems.push_back("accepted_spi_range: min " + num(p.accepted_spi_range->min) +
                       " is greater than max " + num(p.accepted_spi_range->max));
  }
  if ((caps.authentication_algorithms & ~ndis::IPSEC_OFFLOAD_V2_AUTHENTICATION_ALL) != 0) {
    problems.push_back("capabilities.authentication_algorithms: undefined bits set");
  }
  if ((caps.encryption_algorithms & ~ndis::IPSEC_OFFLOAD_V2_ENCRYPTION_ALL) != 0) {
    problems.push_back("capabilities.encryption_algorithms: undefined bits set");
  }
  if ((caps.udp_esp & ~ndis::IPSEC_OFFLOAD_V2_UDP_ESP_ALL) != 0) {
    problems.push_back("capabilities.udp_esp: undefined bits set");
  }
  return problems;
}

DeviceProfile softnic_profile() {
  using namespace ndis;
  DeviceProfile p;
  p.name = "softnic";
  auto& c = p.capabilities;
  c.encapsulation = NDIS_ENCAPSULATION_IEEE_802_3;
  c.ipv6_supported = true;
  c.esp = true;
  c.transport = true;
  c.tunnel = true;
  c.extended_sequence_numbers = true;
  c.udp_esp = 0;
  c.authentication_algorithms =
      IPSEC_OFFLOAD_V2_AUTHENTICATION_SHA_1 | IPSEC_OFFLOAD_V2_AUTHENTICATION_SHA_256;
  c.encryption_algorithms = IPSEC_OFFLOAD_V2_ENCRYPTION_AES_GCM_128 |
                            IPSEC_OFFLOAD_V2_ENCRYPTION_AES_GCM_256 |
                            IPSEC_OFFLOAD_V2_ENCRYPTION_AES_CBC_128;
  p.set_total_capacity(2048);
  p.pools.inbound_bundles = 1024;
  p.pools.outbound_bundles = 1024;
  p.pools.inbound_destination_addresses = 128;
  return p;
}

DeviceProfile full_profile() {
  using namespace ndis;
  DeviceProfile p;
  p.name = "full";
  auto& c = p.capabilities;
  c.encapsulation = NDIS_ENCAPSULATION_IEEE_802_3 | NDIS_ENCAPSULATION_IEEE_802_3_P_AND_Q |
                    NDIS_ENCAPSULATION_IEEE_802_3_P_AND_Q_IN_OOB;
  c.ipv6_supported = true;
  c.ipv4_options = true;
  c.ipv6_non_ipsec_extension_headers = true;
  c.ah = true;
  c.esp = true;
  c.ah_esp_combined = true;
  c.transport = true;
  c.tunnel = true;
  c.transport_tunnel_combined = true;
  c.lso_supported = true;
  c.extended_sequence_numbers = true;
  c.udp_esp = IPSEC_OFFLOAD_V2_UDP_ESP_ALL;
  c.authentication_algorithms = IPSEC_OFFLOAD_V2_AUTHENTICATION_ALL;
  c.encryption_algorithms = IPSEC_OFFLOAD_V2_ENCRYPTION_ALL;
  p.set_total_capacity(65536);
  return p;
}

}  // namespace cts::sa
