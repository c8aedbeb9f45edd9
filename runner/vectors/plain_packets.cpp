#include "runner/vectors/plain_packets.h"

#include "oracle/esp/ip_packet.h"

namespace cts::vectors {

std::vector<uint8_t> make_udp_datagram(const PlainUdp& spec, std::span<const uint8_t> payload) {
  using esp::wire::put16;
  std::vector<uint8_t> udp(8 + payload.size());
  put16(&udp[0], spec.source_port);
  put16(&udp[2], spec.destination_port);
  put16(&udp[4], static_cast<uint16_t>(udp.size()));
  std::copy(payload.begin(), payload.end(), udp.begin() + 8);
  std::vector<uint8_t> addr;
  const size_t alen = spec.source.version == 4 ? 4 : 16;
  addr.insert(addr.end(), spec.source.bytes.begin(), spec.source.bytes.begin() + static_cast<long>(alen));
  addr.insert(addr.end(), spec.destination.bytes.begin(), spec.destination.bytes.begin() + static_cast<long>(alen));
  uint16_t sum = esp::l4_checksum(spec.source.version, addr, esp::kProtoUdp, udp);
  if (sum == 0) sum = 0xFFFF;  // RFC 768: a computed zero is sent as all ones
  put16(&udp[6], sum);

  std::vector<uint8_t> ip;
  if (spec.source.version == 4) {
    ip.assign(20, 0);
    ip[0] = 0x45;
    put16(&ip[2], static_cast<uint16_t>(20 + udp.size()));
    put16(&ip[4], 0x1234);
    ip[8] = spec.ttl;
    ip[9] = esp::kProtoUdp;
    std::copy(addr.begin(), addr.end(), ip.begin() + 12);
    put16(&ip[10], esp::ipv4_header_checksum(ip));
  } else {
    std::vector<uint8_t> ext;
    uint8_t first = esp::kProtoUdp;
    if (spec.ipv6_destination_opts) {
      // Next Header, Hdr Ext Len 0, PadN option of 4 octets (type 1, length 4, zeros).
      ext.insert(ext.begin(), {esp::kProtoUdp, 0, 1, 4, 0, 0, 0, 0});
      first = esp::kProtoDestinationOptions;
    }
    if (spec.ipv6_hop_by_hop) {
      ext.insert(ext.begin(), {first, 0, 1, 4, 0, 0, 0, 0});
      first = esp::kProtoHopByHop;
    }
    ip.assign(40, 0);
    ip[0] = 0x60;
    put16(&ip[4], static_cast<uint16_t>(ext.size() + udp.size()));
    ip[6] = first;
    ip[7] = spec.ttl;
    std::copy(addr.begin(), addr.end(), ip.begin() + 8);
    ip.insert(ip.end(), ext.begin(), ext.end());
  }
  ip.insert(ip.end(), udp.begin(), udp.end());
  return ip;
}

void fix_lengths_after_cut(std::vector<uint8_t>& d, size_t n, uint32_t udp_offset) {
  d.resize(n);
  if ((d[0] >> 4) == 4) {
    esp::wire::put16(&d[2], static_cast<uint16_t>(n));
    esp::wire::put16(&d[10], 0);
    const size_t ihl = static_cast<size_t>(d[0] & 0x0F) * 4;
    esp::wire::put16(&d[10], esp::ipv4_header_checksum(std::span<const uint8_t>(d.data(), ihl)));
  } else {
    esp::wire::put16(&d[4], static_cast<uint16_t>(n - 40));
  }
  if (udp_offset != 0) {
    esp::wire::put16(&d[udp_offset + 4], static_cast<uint16_t>(n - udp_offset));
    esp::wire::put16(&d[udp_offset + 6], 0);  // zero checksum: allowed for IPv4 (UDPENC-002)
  }
}

}  // namespace cts::vectors
