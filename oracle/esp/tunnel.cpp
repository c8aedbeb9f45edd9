#include "oracle/esp/tunnel.h"

#include "oracle/esp/ip_fixup.h"

namespace cts::esp {

bool write_outer_header(MutableBytes out, const TunnelConfig& config, ConstBytes inner,
                        uint8_t inner_version, uint8_t protocol, uint32_t outer_datagram_length,
                        uint16_t ipv4_id) {
  const uint8_t inner_tc = ip_traffic_class(inner, inner_version);
  const uint8_t dscp = config.dscp == DscpPolicy::kCopy ? static_cast<uint8_t>(inner_tc >> 2)
                                                        : static_cast<uint8_t>(config.fixed_dscp & 0x3F);
  const uint8_t ecn = config.ecn == EcnPolicy::kCopy ? static_cast<uint8_t>(inner_tc & 3) : kEcnNotEct;
  const uint8_t tc = static_cast<uint8_t>((dscp << 2) | ecn);
  if (config.outer_version == 4) {
    if (outer_datagram_length > kIpv4MaxDatagram || out.size() < kIpv4MinHeader) return false;
    bool df = false;
    switch (config.df) {
      case DfPolicy::kCopy:
        df = inner_version == 4 ? (ipv4_flags_fragment(inner) & kIpv4FlagDf) != 0 : true;
        break;
      case DfPolicy::kSet: df = true; break;
      case DfPolicy::kClear: df = false; break;
    }
    out[0] = 0x45;
    out[1] = tc;
    wire::put16(&out[2], static_cast<uint16_t>(outer_datagram_length));
    wire::put16(&out[4], ipv4_id);
    wire::put16(&out[6], df ? kIpv4FlagDf : 0);
    out[8] = config.ttl;
    out[9] = protocol;
    for (int i = 0; i < 4; ++i) {
      out[12 + i] = config.source[i];
      out[16 + i] = config.destination[i];
    }
    ipv4_refresh_checksum(out.first(kIpv4MinHeader));
    return true;
  }
  if (outer_datagram_length < kIpv6Header || outer_datagram_length > kIpv6MaxDatagram ||
      out.size() < kIpv6Header)
    return false;
  uint32_t flow = 0;
  if (config.flow_label == FlowLabelPolicy::kCopy && inner_version == 6) flow = ipv6_flow_label(inner);
  if (config.flow_label == FlowLabelPolicy::kFixed) flow = config.fixed_flow_label & 0xFFFFFu;
  out[0] = 0x60;
  out[1] = 0;
  out[2] = 0;
  out[3] = 0;
  ipv6_set_traffic_class(out, tc);
  ipv6_set_flow_label(out, flow);
  wire::put16(&out[4], static_cast<uint16_t>(outer_datagram_length - kIpv6Header));
  out[6] = protocol;
  out[7] = config.ttl;
  for (int i = 0; i < 16; ++i) {
    out[8 + i] = config.source[i];
    out[24 + i] = config.destination[i];
  }
  return true;
}

bool apply_decapsulation_rules(MutableBytes inner, uint8_t inner_version, uint8_t outer_tos,
                               const TunnelConfig& config) {
  const uint8_t old_tc = ip_traffic_class(inner, inner_version);
  uint8_t tc = old_tc;
  const uint8_t inner_ecn = tc & 3;
  // RFC 4301 §5.1.2.1 note 6: outer CE marks an ECN-capable inner packet as CE; a Not-ECT inner
  // packet stays as it is.
  if ((outer_tos & 3) == kEcnCe && (inner_ecn == kEcnEct0 || inner_ecn == kEcnEct1))
    tc = static_cast<uint8_t>(tc | kEcnCe);
  if (config.copy_dscp_inward) tc = static_cast<uint8_t>((outer_tos & 0xFC) | (tc & 3));
  if (tc == old_tc) return false;
  if (inner_version == 4) {
    const uint16_t old_word = wire::get16(&inner[0]);
    inner[1] = tc;
    const uint16_t new_word = wire::get16(&inner[0]);
    wire::put16(&inner[10], checksum_update16(wire::get16(&inner[10]), old_word, new_word));
  } else {
    ipv6_set_traffic_class(inner, tc);
  }
  return true;
}

}  // namespace cts::esp
