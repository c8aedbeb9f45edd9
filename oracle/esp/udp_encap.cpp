#include "oracle/esp/udp_encap.h"

namespace cts::esp {

UdpPayloadKind classify_udp_encap_payload(ConstBytes p) {
  if (p.size() == 1 && p[0] == 0xFF) return UdpPayloadKind::kKeepalive;
  if (p.size() < 4) return UdpPayloadKind::kTruncated;
  if (p[0] == 0 && p[1] == 0 && p[2] == 0 && p[3] == 0) return UdpPayloadKind::kIke;
  return UdpPayloadKind::kEsp;
}

void write_udp_header(MutableBytes out, uint16_t source_port, uint16_t destination_port,
                      uint16_t udp_length) {
  wire::put16(&out[0], source_port);
  wire::put16(&out[2], destination_port);
  wire::put16(&out[4], udp_length);
  wire::put16(&out[6], 0);
}

void finish_udp_checksum(MutableBytes packet, uint8_t version, uint32_t udp_offset,
                         uint32_t udp_length, UdpChecksumMode mode) {
  uint8_t* csum = &packet[udp_offset + 6];
  csum[0] = 0;
  csum[1] = 0;
  if (mode == UdpChecksumMode::kZero) return;
  uint16_t c = l4_checksum(version, ip_addresses(packet, version), kProtoUdp,
                           ConstBytes(packet).subspan(udp_offset, udp_length));
  if (c == 0) c = 0xFFFF;
  wire::put16(csum, c);
}

bool udp_checksum_is_zero(ConstBytes packet, uint32_t udp_offset) {
  return wire::get16(&packet[udp_offset + 6]) == 0;
}

bool udp_checksum_acceptable(ConstBytes packet, uint8_t version, uint32_t udp_offset,
                             uint32_t udp_length) {
  if (udp_checksum_is_zero(packet, udp_offset)) return true;
  // Summing the segment with its checksum in place yields 0 when it is right.
  return l4_checksum(version, ip_addresses(packet, version), kProtoUdp,
                     packet.subspan(udp_offset, udp_length)) == 0;
}

}  // namespace cts::esp
