#include "runner/core/transport_framer.h"

#include "oracle/esp/esp_trailer.h"
#include "oracle/esp/udp_encap.h"
#include "oracle/esp/ip_fixup.h"
#include "oracle/esp/ip_packet.h"
#include "oracle/ndis/constants.h"
#include "runner/core/packet_builder.h"

namespace cts::core {

namespace {
void put16(std::vector<uint8_t>& v, size_t at, size_t x) {
  v[at] = static_cast<uint8_t>(x >> 8);
  v[at + 1] = static_cast<uint8_t>(x);
}
void put32(std::vector<uint8_t>& v, size_t at, uint32_t x) {
  for (int i = 0; i < 4; ++i) v[at + static_cast<size_t>(i)] = static_cast<uint8_t>(x >> (24 - 8 * i));
}
}  // namespace

std::optional<size_t> shaped_pad_length(const esp::EspSuite& suite, size_t covered, const TrailerShape& shape,
                                        std::string& error) {
  const size_t modulus = esp::pad_modulus(suite);
  const size_t minimum = esp::minimal_pad_length(covered, modulus);
  const size_t largest = minimum + (255 - minimum) / modulus * modulus;
  if (shape.pad_max) return largest;
  if (!shape.pad_length) return minimum;
  const size_t want = *shape.pad_length;
  if (want < minimum || want > 255 || (want - minimum) % modulus != 0) {
    error = "pad_length " + std::to_string(want) + " is not a valid Pad Length for " + std::to_string(covered) +
            " covered octets: " + std::to_string(minimum) + ", " + std::to_string(minimum + modulus) + ", ... " +
            std::to_string(largest) + " (RFC 4303 2.4: payload, padding and the 2 trailer octets align to " +
            std::to_string(modulus) + ")";
    return std::nullopt;
  }
  return want;
}

FramedSend frame_for_send(const esp::EspSuite& suite, uint32_t spi, uint32_t sequence_low,
                          std::span<const uint8_t> plain, bool tunnel, int outer_version,
                          std::span<const uint8_t> outer_src, std::span<const uint8_t> outer_dst,
                          std::string& error, const TrailerShape& shape, const UdpShape& udp) {
  FramedSend f;
  if (plain.empty()) {
    error = "empty datagram";
    return f;
  }
  const int plain_version = plain[0] >> 4;
  std::vector<uint8_t> header;       // IP header (and options / extension headers) in front of ESP
  size_t protocol_field = 0;         // the octet that announces ESP (0: the IP header's own)
  std::span<const uint8_t> payload;  // what ESP protects
  uint8_t next_header = 0;
  if (tunnel) {
    header.assign(outer_version == 6 ? 40 : 20, 0);
    payload = plain;
    next_header = plain_version == 6 ? esp::kNextHeaderIpv6 : esp::kNextHeaderIpv4;  // MODE-003
    if (outer_version == 6) {
      header[0] = 0x60;
      header[7] = 64;
      std::copy(outer_src.begin(), outer_src.begin() + 16, header.begin() + 8);
      std::copy(outer_dst.begin(), outer_dst.begin() + 16, header.begin() + 24);
    } else {
      header[0] = 0x45;
      header[4] = 0x40;  // Identification 0x4000 (fixed: the transport's choice)
      header[8] = 64;
      std::copy(outer_src.begin(), outer_src.begin() + 4, header.begin() + 12);
      std::copy(outer_dst.begin(), outer_dst.begin() + 4, header.begin() + 16);
    }
  } else {
    // ESP goes after the IPv4 header with its options, or after the IPv6 extension headers a
    // router or the destination must see (hop-by-hop, routing, fragment, destination options
    // before a routing header); a destination options header right before the upper layer is
    // protected (RFC 4303 3.1.1, MODE-001/002).
    esp::IpLayout layout;
    if (const esp::ParseStatus ps = esp::parse_ip(plain, layout); !ps.ok()) {
      error = "the datagram does not parse: " + std::string(ps.field);
      return f;
    }
    const esp::InsertionPoint at = esp::transport_insertion_point(layout);
    header.assign(plain.begin(), plain.begin() + static_cast<long>(at.offset));
    protocol_field = at.protocol_field_offset;
    next_header = at.protected_protocol;
    payload = plain.subspan(at.offset, layout.datagram_length - at.offset);
  }
  const size_t iv = esp::iv_size(suite), icv = esp::icv_size(suite);
  const std::optional<size_t> shaped = shaped_pad_length(suite, payload.size() + shape.tfc, shape, error);
  if (!shaped) return f;
  const size_t pad = *shaped;
  const size_t esp_len = esp::kEspHeaderSize + iv + payload.size() + shape.tfc + pad + esp::kEspTrailerSize + icv;
  f.datagram = header;
  const size_t udp_at = f.datagram.size();
  if (udp.encap) f.datagram.resize(udp_at + esp::kUdpHeader, 0);  // RFC 3948 2.1 (UDPENC-001)
  const size_t esp_at = f.datagram.size();
  f.datagram.resize(esp_at + esp_len, 0);
  put32(f.datagram, esp_at, spi);
  put32(f.datagram, esp_at + 4, sequence_low);
  // IV placeholder stays zero: the NIC generates it (OQ-16).
  size_t at = esp_at + esp::kEspHeaderSize + iv;
  std::copy(payload.begin(), payload.end(), f.datagram.begin() + static_cast<long>(at));
  at += payload.size() + shape.tfc;  // TFC padding stays zero (RFC 4303 2.7)
  esp::write_default_padding(f.datagram.data() + at, pad);  // PAD-003
  at += pad;
  f.datagram[at] = static_cast<uint8_t>(pad);
  f.datagram[at + 1] = next_header;
  // ICV placeholder stays zero.
  const bool v6 = (f.datagram[0] >> 4) == 6;
  const uint8_t protocol = udp.encap ? 17 : 50;
  if (udp.encap) {
    if (udp_at + esp::kUdpHeader + esp_len > 0xFFFF) {
      error = "datagram too long";
      return {};
    }
    esp::write_udp_header(esp::MutableBytes(f.datagram).subspan(udp_at, esp::kUdpHeader), esp::kNatTPort,
                          esp::kNatTPort, static_cast<uint16_t>(esp::kUdpHeader + esp_len));
  }
  if (protocol_field != 0 && protocol_field != 6 && protocol_field != 9) f.datagram[protocol_field] = protocol;
  if (v6) {
    if (protocol_field == 0 || protocol_field == 6) f.datagram[6] = protocol;
    if (f.datagram.size() - 40 > 0xFFFF) {
      error = "datagram too long";
      return {};
    }
    put16(f.datagram, 4, f.datagram.size() - 40);
  } else {
    f.datagram[9] = protocol;
    if (f.datagram.size() > 0xFFFF) {
      error = "datagram too long";
      return {};
    }
    put16(f.datagram, 2, f.datagram.size());
    fix_ipv4_checksum(f.datagram);
  }
  if (udp.encap) {
    esp::finish_udp_checksum(esp::MutableBytes(f.datagram), v6 ? 6 : 4, static_cast<uint32_t>(udp_at),
                             static_cast<uint32_t>(esp::kUdpHeader + esp_len),
                             udp.checksum ? esp::UdpChecksumMode::kCompute : esp::UdpChecksumMode::kZero);
    f.udp_offset = static_cast<uint32_t>(udp_at);
  }
  f.esp_offset = static_cast<uint32_t>(esp_at);
  f.pad_length = static_cast<uint8_t>(pad);
  f.next_header = next_header;
  // Slot 12 transmit view: NextHeader, PadLength, EspHeaderOffset in 4-byte units (SEND-003).
  f.header_info = static_cast<uint32_t>(next_header) | (static_cast<uint32_t>(pad) << ndis::NBL_HDR_PAD_LENGTH_SHIFT) |
                  (static_cast<uint32_t>(esp_at / 4) << ndis::NBL_HDR_ESP_OFFSET_SHIFT);
  return f;
}

}  // namespace cts::core
