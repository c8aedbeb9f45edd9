#include "oracle/esp/ip_fixup.h"

namespace cts::esp {

void ipv4_refresh_checksum(MutableBytes header) {
  header[10] = 0;
  header[11] = 0;
  wire::put16(&header[10], ipv4_header_checksum(header));
}

void ipv4_set_total_length(MutableBytes header, uint16_t total_length) {
  wire::put16(&header[2], total_length);
  ipv4_refresh_checksum(header);
}

void ipv6_set_payload_length(MutableBytes header, uint16_t payload_length) {
  wire::put16(&header[4], payload_length);
}

bool finalize_ip_header(MutableBytes packet, uint8_t version, uint32_t protocol_field_offset,
                        uint8_t protocol, uint32_t datagram_length) {
  if (protocol_field_offset >= packet.size()) return false;
  if (version == 4) {
    if (packet.size() < kIpv4MinHeader || datagram_length > kIpv4MaxDatagram) return false;
    const uint32_t hl = (packet[0] & 0x0Fu) * 4u;
    if (hl < kIpv4MinHeader || hl > packet.size() || datagram_length < hl) return false;
    packet[protocol_field_offset] = protocol;
    ipv4_set_total_length(packet.first(hl), static_cast<uint16_t>(datagram_length));
    return true;
  }
  if (version == 6) {
    if (packet.size() < kIpv6Header || datagram_length < kIpv6Header ||
        datagram_length > kIpv6MaxDatagram)
      return false;
    packet[protocol_field_offset] = protocol;
    ipv6_set_payload_length(packet, static_cast<uint16_t>(datagram_length - kIpv6Header));
    return true;
  }
  return false;
}

uint32_t transport_unprotected_ext_count(const IpLayout& layout) {
  if (layout.version != 6) return 0;
  uint32_t kept = 0;
  for (uint32_t i = 0; i < layout.ext_count; ++i) {
    const uint8_t t = layout.ext[i].type;
    if (t == kProtoHopByHop || t == kProtoRouting || t == kProtoFragment) kept = i + 1;
  }
  return kept;
}

InsertionPoint transport_insertion_point(const IpLayout& layout) {
  InsertionPoint ip;
  if (layout.version == 4) {
    ip.offset = layout.header_length;
    ip.protocol_field_offset = 9;
    ip.protected_protocol = layout.payload_protocol;
    return ip;
  }
  const uint32_t kept = transport_unprotected_ext_count(layout);
  if (kept == 0) {
    ip.offset = kIpv6Header;
    ip.protocol_field_offset = 6;
    ip.protected_protocol = layout.ext_count ? layout.ext[0].type : layout.payload_protocol;
  } else {
    const ExtensionHeader& last = layout.ext[kept - 1];
    ip.offset = last.offset + last.length;
    ip.protocol_field_offset = last.offset;
    ip.protected_protocol = last.next_header;
  }
  return ip;
}

}  // namespace cts::esp
