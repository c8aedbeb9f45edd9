#include "runner/vectors/host_setup.h"

#include <arpa/inet.h>

namespace cts::vectors {

bool parse_ip_address(const std::string& text, uint8_t version, esp::IpAddress& out) {
  out = esp::IpAddress{};
  out.version = version;
  if (version == 4) return inet_pton(AF_INET, text.c_str(), out.bytes.data()) == 1;
  if (version == 6) return inet_pton(AF_INET6, text.c_str(), out.bytes.data()) == 1;
  return false;
}

bool host_params(const SidecarSa& sa, esp::HostSaParams& p, std::string& error) {
  p = esp::HostSaParams{};
  p.mode = sa.mode == SaMode::tunnel ? esp::IpsecMode::tunnel : esp::IpsecMode::transport;
  p.esp = to_esp_config(sa);
  esp::IpAddress src, dst;
  if (!parse_ip_address(sa.source, sa.ip_version, src) || !parse_ip_address(sa.destination, sa.ip_version, dst)) {
    error = "SA " + sa.id + ": endpoint addresses do not parse as IPv" + std::to_string(sa.ip_version);
    return false;
  }
  if (sa.udp_encap) {
    p.udp_encap = true;
    p.udp.source_port = sa.udp_encap->source_port;
    p.udp.destination_port = sa.udp_encap->destination_port;
    p.udp.ipv6_zero_checksum = sa.udp_encap->discard_ipv6_zero_checksum ? esp::Ipv6ZeroChecksumRx::kDiscard
                                                                        : esp::Ipv6ZeroChecksumRx::kAccept;
  }
  p.tunnel.outer_version = sa.ip_version;
  p.tunnel.source = src.bytes;
  p.tunnel.destination = dst.bytes;
  p.destination = dst;
  return true;
}

bool make_inbound_host(const Sidecar& sidecar, std::unique_ptr<esp::EspHost>& out, std::string& error,
                       crypto::RandomSource* rng) {
  std::unique_ptr<esp::EspHost> host;
  const esp::HostStatus st = esp::EspHost::create(host, rng);
  if (!st.ok()) {
    error = std::string("cannot create the oracle host: ") + st.detail;
    return false;
  }
  for (const auto& sa : sidecar.sas) {
    esp::HostSaParams p;
    if (!host_params(sa, p, error)) return false;
    const esp::HostStatus added = host->add_inbound(p);
    if (!added.ok()) {
      error = "SA " + sa.id + ": the oracle refuses it: " + std::string(esp::host_verdict_name(added.verdict)) +
              " (" + added.detail + ")";
      return false;
    }
  }
  out = std::move(host);
  return true;
}

PacketVerdict from_host_verdict(esp::HostVerdict v) {
  using H = esp::HostVerdict;
  switch (v) {
    case H::ok: return PacketVerdict::ok;
    case H::unknown_spi: return PacketVerdict::unknown_spi;
    case H::fragment: return PacketVerdict::fragment;
    case H::truncated:
    case H::malformed_length: return PacketVerdict::truncated;
    case H::replay: return PacketVerdict::replay;
    case H::outside_window: return PacketVerdict::outside_window;
    case H::bad_icv: return PacketVerdict::bad_icv;
    case H::bad_padding: return PacketVerdict::bad_padding;
    case H::dummy: return PacketVerdict::dummy;
    case H::policy_mismatch: return PacketVerdict::policy_mismatch;
    case H::udp_keepalive: return PacketVerdict::udp_keepalive;
    case H::ike: return PacketVerdict::ike;
    case H::malformed_header:
    case H::bad_option:
    case H::unsupported_header: return PacketVerdict::malformed;
    case H::not_ipsec: return PacketVerdict::not_esp;
    default: return PacketVerdict::not_esp;
  }
}

}  // namespace cts::vectors
