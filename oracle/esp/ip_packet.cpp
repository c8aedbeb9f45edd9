#include "oracle/esp/ip_packet.h"

namespace cts::esp {

std::string_view packet_error_name(PacketError error) {
  switch (error) {
    case PacketError::kNone: return "none";
    case PacketError::kTruncated: return "truncated";
    case PacketError::kBadVersion: return "bad-ip-version";
    case PacketError::kBadHeaderLength: return "bad-header-length";
    case PacketError::kBadTotalLength: return "bad-total-length";
    case PacketError::kBadOption: return "bad-option";
    case PacketError::kBadExtensionHeader: return "bad-extension-header";
    case PacketError::kTooManyHeaders: return "too-many-extension-headers";
    case PacketError::kUnsupportedHeader: return "unsupported-header";
    case PacketError::kBadEtherType: return "bad-ethertype";
  }
  return "unknown";
}

ParseStatus parse_ethernet(ConstBytes frame, EthernetInfo& out) {
  out = EthernetInfo{};
  if (frame.size() < kEthernetHeader)
    return ParseStatus::fail(PacketError::kTruncated, 0, "ethernet.header");
  uint16_t type = wire::get16(&frame[12]);
  uint32_t l3 = kEthernetHeader;
  if (type == kEtherTypeVlan) {
    if (frame.size() < kEthernetHeader + kVlanTag)
      return ParseStatus::fail(PacketError::kTruncated, 14, "ethernet.vlan_tag");
    out.has_vlan = true;
    out.vlan_tci = wire::get16(&frame[14]);
    type = wire::get16(&frame[16]);
    l3 += kVlanTag;
    if (type == kEtherTypeVlan || type == 0x88A8)
      return ParseStatus::fail(PacketError::kUnsupportedHeader, 16, "ethernet.second_vlan_tag");
  }
  if (type != kEtherTypeIpv4 && type != kEtherTypeIpv6)
    return ParseStatus::fail(PacketError::kBadEtherType, l3 - 2, "ethernet.ethertype");
  out.ether_type = type;
  out.l3_offset = l3;
  return {};
}

namespace {

ParseStatus parse_ipv4(ConstBytes p, IpLayout& out) {
  if (p.size() < kIpv4MinHeader) return ParseStatus::fail(PacketError::kTruncated, 0, "ipv4.header");
  const uint32_t hl = (p[0] & 0x0Fu) * 4u;
  if (hl < kIpv4MinHeader) return ParseStatus::fail(PacketError::kBadHeaderLength, 0, "ipv4.ihl");
  if (hl > p.size()) return ParseStatus::fail(PacketError::kTruncated, 0, "ipv4.ihl");
  const uint32_t total = wire::get16(&p[2]);
  if (total < hl) return ParseStatus::fail(PacketError::kBadTotalLength, 2, "ipv4.total_length");
  if (total > p.size()) return ParseStatus::fail(PacketError::kTruncated, 2, "ipv4.total_length");
  ParseStatus st = walk_ipv4_options(p.subspan(kIpv4MinHeader, hl - kIpv4MinHeader), kIpv4MinHeader,
                                     [](const OptionSpan&) {});
  if (!st.ok()) return st;
  const uint16_t frag = wire::get16(&p[6]);
  out.version = 4;
  out.header_length = hl;
  out.datagram_length = total;
  out.payload_offset = hl;
  out.payload_protocol = p[9];
  out.protocol_field_offset = 9;
  out.is_fragment = (frag & kIpv4FlagMf) != 0 || (frag & kIpv4OffsetMask) != 0;
  return {};
}

bool is_walked_extension(uint8_t nh) {
  return nh == kProtoHopByHop || nh == kProtoRouting || nh == kProtoFragment ||
         nh == kProtoDestinationOptions;
}

ParseStatus parse_ipv6(ConstBytes p, IpLayout& out) {
  if (p.size() < kIpv6Header) return ParseStatus::fail(PacketError::kTruncated, 0, "ipv6.header");
  const uint32_t plen = wire::get16(&p[4]);
  uint8_t nh = p[6];
  // RFC 2675: Payload Length 0 with a Hop-by-Hop header announces a jumbogram, which ESP/AH
  // offload does not cover.
  if (plen == 0 && nh == kProtoHopByHop)
    return ParseStatus::fail(PacketError::kUnsupportedHeader, 4, "ipv6.payload_length(jumbogram)");
  const uint32_t dlen = kIpv6Header + plen;
  if (dlen > p.size()) return ParseStatus::fail(PacketError::kTruncated, 4, "ipv6.payload_length");
  out.version = 6;
  out.header_length = kIpv6Header;
  out.datagram_length = dlen;
  uint32_t field = 6;
  uint32_t off = kIpv6Header;
  while (is_walked_extension(nh)) {
    if (nh == kProtoHopByHop && out.ext_count != 0)
      return ParseStatus::fail(PacketError::kBadExtensionHeader, field, "ipv6.hop_by_hop_not_first");
    if (out.ext_count == kMaxExtensionHeaders)
      return ParseStatus::fail(PacketError::kTooManyHeaders, off, "ipv6.extension_chain");
    if (dlen - off < 8) return ParseStatus::fail(PacketError::kTruncated, off, "ipv6.ext.header");
    const uint32_t len = nh == kProtoFragment ? 8u : (p[off + 1] + 1u) * 8u;
    if (len > dlen - off) return ParseStatus::fail(PacketError::kTruncated, off + 1, "ipv6.ext.hdr_ext_len");
    if (nh == kProtoHopByHop || nh == kProtoDestinationOptions) {
      ParseStatus st = walk_ipv6_tlv_options(p.subspan(off, len), off, [](const OptionSpan&) {});
      if (!st.ok()) return st;
    } else if (nh == kProtoRouting) {
      out.has_routing_header = true;
    } else {  // Fragment (RFC 8200 §4.5): offset in the top 13 bits, M in bit 0
      out.has_fragment_header = true;
      const uint16_t fo = wire::get16(&p[off + 2]);
      if ((fo & 0xFFF8u) != 0 || (fo & 1u) != 0) out.is_fragment = true;
    }
    out.ext[out.ext_count++] = ExtensionHeader{nh, p[off], off, len};
    field = off;
    nh = p[off];
    off += len;
  }
  out.payload_offset = off;
  out.payload_protocol = nh;
  out.protocol_field_offset = field;
  return {};
}

}  // namespace

ParseStatus parse_ip(ConstBytes packet, IpLayout& out) {
  out = IpLayout{};
  if (packet.empty()) return ParseStatus::fail(PacketError::kTruncated, 0, "ip.version");
  const uint8_t v = packet[0] >> 4;
  if (v == 4) return parse_ipv4(packet, out);
  if (v == 6) return parse_ipv6(packet, out);
  return ParseStatus::fail(PacketError::kBadVersion, 0, "ip.version");
}

void ipv6_set_traffic_class(MutableBytes h, uint8_t tc) {
  h[0] = static_cast<uint8_t>((h[0] & 0xF0) | (tc >> 4));
  h[1] = static_cast<uint8_t>((h[1] & 0x0F) | ((tc & 0x0F) << 4));
}

void ipv6_set_flow_label(MutableBytes h, uint32_t label) {
  h[1] = static_cast<uint8_t>((h[1] & 0xF0) | ((label >> 16) & 0x0F));
  h[2] = static_cast<uint8_t>(label >> 8);
  h[3] = static_cast<uint8_t>(label);
}

uint8_t ip_traffic_class(ConstBytes packet, uint8_t version) {
  return version == 4 ? packet[1] : ipv6_traffic_class(packet);
}

uint32_t checksum_add(ConstBytes data, uint32_t sum) {
  uint64_t acc = sum;
  size_t i = 0;
  const size_t n = data.size();
  for (; i + 1 < n; i += 2) acc += static_cast<uint32_t>((data[i] << 8) | data[i + 1]);
  if (i < n) acc += static_cast<uint32_t>(data[i] << 8);
  while (acc >> 32) acc = (acc & 0xFFFFFFFFu) + (acc >> 32);
  return static_cast<uint32_t>(acc);
}

uint16_t checksum_finish(uint32_t sum) {
  while (sum >> 16) sum = (sum & 0xFFFFu) + (sum >> 16);
  return static_cast<uint16_t>(~sum & 0xFFFFu);
}

uint16_t ipv4_header_checksum(ConstBytes header) {
  uint32_t sum = checksum_add(header.first(10));
  sum = checksum_add(header.subspan(12), sum);
  return checksum_finish(sum);
}

bool ipv4_header_checksum_ok(ConstBytes header) { return checksum_finish(checksum_add(header)) == 0; }

uint16_t checksum_update16(uint16_t checksum, uint16_t old_word, uint16_t new_word) {
  // HC' = ~(~HC + ~m + m')  (RFC 1624 eqn. 3)
  uint32_t sum = static_cast<uint16_t>(~checksum);
  sum += static_cast<uint16_t>(~old_word);
  sum += new_word;
  return checksum_finish(sum);
}

uint16_t l4_checksum(uint8_t version, ConstBytes addresses, uint8_t protocol, ConstBytes segment) {
  uint32_t sum = checksum_add(addresses);
  const uint32_t len = static_cast<uint32_t>(segment.size());
  if (version == 4) {
    sum += protocol;
    sum += len & 0xFFFFu;
  } else {
    sum += len >> 16;
    sum += len & 0xFFFFu;
    sum += protocol;
  }
  sum = checksum_add(segment, sum);
  return checksum_finish(sum);
}

ConstBytes ip_addresses(ConstBytes packet, uint8_t version) {
  return version == 4 ? packet.subspan(12, 8) : packet.subspan(8, 32);
}

}  // namespace cts::esp
