#include "oracle/esp/nic_packet.h"

namespace cts::esp {

LocateResult locate_ipsec_level(ConstBytes datagram, IpsecLevel& level) {
  level = IpsecLevel{};
  if (!parse_ip(datagram, level.ip).ok()) return LocateResult::bad_ip;
  const uint32_t end = level.ip.datagram_length;
  uint32_t off = level.ip.payload_offset;
  uint8_t proto = level.ip.payload_protocol;
  if (proto == kProtoAh) {
    if (end < off || end - off < 12) return LocateResult::truncated;
    level.has_ah = true;
    level.ah_offset = off;
    level.ah_next_header = datagram[off];
    level.ah_length = (uint32_t{datagram[off + 1]} + 2u) * 4u;  // RFC 4302 §2.2
    level.spi = wire::get32(&datagram[off + 4]);
    if (level.ah_length < 12 || level.ah_length > end - off) return LocateResult::truncated;
    off += level.ah_length;
    proto = level.ah_next_header;
    if (proto != kProtoEsp) return LocateResult::ok;  // AH alone (transport or tunnel payload)
  }
  if (proto == kProtoUdp && !level.has_ah) {
    if (end < off || end - off < kUdpHeader) return LocateResult::truncated;
    if (wire::get16(&datagram[off + 2]) != kNatTPort) return LocateResult::not_ipsec;
    level.has_udp = true;
    level.udp_offset = off;
    level.udp_kind = classify_udp_encap_payload(datagram.subspan(off + kUdpHeader, end - off - kUdpHeader));
    if (level.udp_kind == UdpPayloadKind::kIke) return LocateResult::ike;            // UDP-002
    if (level.udp_kind == UdpPayloadKind::kKeepalive) return LocateResult::keepalive;
    if (level.udp_kind != UdpPayloadKind::kEsp) return LocateResult::truncated;
    off += kUdpHeader;
    proto = kProtoEsp;
  }
  if (proto != kProtoEsp) return LocateResult::not_ipsec;
  if (end < off || end - off < 8) return LocateResult::truncated;
  level.has_esp = true;
  level.esp_offset = off;
  level.esp_length = end - off;
  level.esp_spi = wire::get32(&datagram[off]);
  if (!level.has_ah) level.spi = level.esp_spi;
  return LocateResult::ok;
}

}  // namespace cts::esp
