#include "runner/core/ah_framer.h"

#include "oracle/esp/ip_fixup.h"
#include "oracle/esp/ip_packet.h"
#include "oracle/ndis/constants.h"
#include "runner/core/packet_builder.h"

namespace cts::core {

namespace {

constexpr uint8_t kProtoAh = 51;

void put16(std::vector<uint8_t>& v, size_t at, size_t x) {
  v[at] = static_cast<uint8_t>(x >> 8);
  v[at + 1] = static_cast<uint8_t>(x);
}
void put32(std::vector<uint8_t>& v, size_t at, uint32_t x) {
  for (int i = 0; i < 4; ++i) v[at + static_cast<size_t>(i)] = static_cast<uint8_t>(x >> (24 - 8 * i));
}

// Total Length / Payload Length and the IPv4 checksum after the datagram changed size.
bool fix_lengths(std::vector<uint8_t>& d, std::string& error) {
  if ((d[0] >> 4) == 6) {
    if (d.size() - 40 > 0xFFFF) {
      error = "datagram too long";
      return false;
    }
    put16(d, 4, d.size() - 40);
  } else {
    if (d.size() > 0xFFFF) {
      error = "datagram too long";
      return false;
    }
    put16(d, 2, d.size());
    fix_ipv4_checksum(d);
  }
  return true;
}

}  // namespace

std::vector<uint8_t> datagram_before_ah(std::span<const uint8_t> plain, bool tunnel, int outer_version,
                                        std::span<const uint8_t> outer_src, std::span<const uint8_t> outer_dst) {
  if (!tunnel) return {plain.begin(), plain.end()};
  std::vector<uint8_t> d(outer_version == 6 ? 40 : 20, 0);
  const uint8_t inner = !plain.empty() && (plain[0] >> 4) == 6 ? 41 : 4;  // AH-021
  if (outer_version == 6) {
    d[0] = 0x60;
    d[6] = inner;
    d[7] = 64;
    std::copy(outer_src.begin(), outer_src.begin() + 16, d.begin() + 8);
    std::copy(outer_dst.begin(), outer_dst.begin() + 16, d.begin() + 24);
  } else {
    d[0] = 0x45;
    d[4] = 0x40;  // Identification 0x4000 (fixed: the transport's choice)
    d[8] = 64;
    d[9] = inner;
    std::copy(outer_src.begin(), outer_src.begin() + 4, d.begin() + 12);
    std::copy(outer_dst.begin(), outer_dst.begin() + 4, d.begin() + 16);
  }
  d.insert(d.end(), plain.begin(), plain.end());
  std::string unused;
  fix_lengths(d, unused);
  return d;
}

bool insert_ah(FramedSend& f, esp::AhAlgorithm algorithm, uint32_t spi, uint32_t sequence_low, std::string& error) {
  std::vector<uint8_t>& d = f.datagram;
  if (d.size() < 20 || ((d[0] >> 4) != 4 && (d[0] >> 4) != 6) || ((d[0] >> 4) == 6 && d.size() < 40)) {
    error = "not an IP datagram";
    return false;
  }
  const bool v6 = (d[0] >> 4) == 6;
  // AH follows the IPv4 header with its options, or the IPv6 extension headers a router or the
  // destination must see first (Hop-by-Hop, Routing, Fragment, Destination Options before a
  // Routing header: RFC 4302 3.1.1); a Destination Options header right before the upper layer
  // (or ESP) stays behind AH, where AH covers it.
  esp::IpLayout layout;
  if (const esp::ParseStatus ps = esp::parse_ip(d, layout); !ps.ok()) {
    error = "the datagram does not parse: " + std::string(ps.field);
    return false;
  }
  const esp::InsertionPoint point = esp::transport_insertion_point(layout);
  const size_t at = point.offset;
  const uint8_t next = d[point.protocol_field_offset];
  // Minimal length: 4-octet multiple over IPv4, 8-octet over IPv6 (AH-004, AH-018).
  const size_t length = esp::ah_length(algorithm, v6 ? 6 : 4);
  std::vector<uint8_t> ah(length, 0);  // IV, ICV and explicit padding zero (OQ-AH-2, OQ-AH-3)
  ah[0] = next;
  ah[1] = esp::ah_payload_len_field(length);  // AH-003
  put32(ah, 4, spi);
  put32(ah, 8, sequence_low);
  d.insert(d.begin() + static_cast<long>(at), ah.begin(), ah.end());
  d[point.protocol_field_offset] = kProtoAh;  // AH-001
  if (!fix_lengths(d, error)) return false;
  uint32_t info = f.header_info & ~(ndis::NBL_HDR_AH_OFFSET_MASK | ndis::NBL_HDR_ESP_OFFSET_MASK);
  info |= static_cast<uint32_t>(at / 4) << ndis::NBL_HDR_AH_OFFSET_SHIFT;
  if (f.header_info & ndis::NBL_HDR_ESP_OFFSET_MASK) {
    f.esp_offset += static_cast<uint32_t>(length);
    info |= (f.esp_offset / 4) << ndis::NBL_HDR_ESP_OFFSET_SHIFT;
  }
  f.header_info = info;
  return true;
}

}  // namespace cts::core
