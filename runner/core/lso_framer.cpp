#include "runner/core/lso_framer.h"

#include <algorithm>

#include "oracle/esp/esp_trailer.h"
#include "oracle/esp/ip_packet.h"
#include "oracle/ndis/constants.h"
#include "runner/core/packet_builder.h"

namespace cts::core {

namespace {

constexpr uint8_t kTcp = 6;
constexpr size_t kMaxSegments = 1024;

uint16_t get16(std::span<const uint8_t> v, size_t at) { return static_cast<uint16_t>(v[at] << 8 | v[at + 1]); }
uint32_t get32(std::span<const uint8_t> v, size_t at) {
  return uint32_t{v[at]} << 24 | uint32_t{v[at + 1]} << 16 | uint32_t{v[at + 2]} << 8 | v[at + 3];
}
void put16(std::vector<uint8_t>& v, size_t at, size_t x) {
  v[at] = static_cast<uint8_t>(x >> 8);
  v[at + 1] = static_cast<uint8_t>(x);
}
void put32(std::vector<uint8_t>& v, size_t at, uint32_t x) {
  for (size_t i = 0; i < 4; ++i) v[at + i] = static_cast<uint8_t>(x >> (24 - 8 * i));
}

// Sets the IP length field(s) of a datagram to its size (and the IPv4 header checksum).
void set_lengths(std::vector<uint8_t>& d, size_t ip_header) {
  if ((d[0] >> 4) == 6) {
    put16(d, 4, d.size() - 40);
  } else {
    put16(d, 2, d.size());
    fix_ipv4_checksum(std::span<uint8_t>(d.data(), ip_header));
  }
}

}  // namespace

std::optional<LsoSend> frame_lso_send(const esp::EspSuite& suite, uint32_t spi, uint32_t sequence_low,
                                      std::span<const uint8_t> plain, uint32_t mss, uint32_t discard,
                                      std::string& error) {
  esp::IpLayout layout;
  if (const esp::ParseStatus ps = esp::parse_ip(plain, layout); !ps.ok()) {
    error = "the datagram does not parse: " + std::string(ps.field);
    return std::nullopt;
  }
  const bool v6 = layout.version == 6;
  const size_t hl = v6 ? 40 : layout.header_length;
  const uint8_t protocol = v6 ? plain[6] : plain[9];
  if (protocol != kTcp) {
    error = v6 ? "LSO needs TCP right behind the IPv6 header (no extension headers)" : "LSO needs a TCP packet";
    return std::nullopt;
  }
  if (layout.is_fragment) {
    error = "LSO of a fragment";
    return std::nullopt;
  }
  const std::span<const uint8_t> datagram = plain.first(layout.datagram_length);
  if (datagram.size() < hl + 20) {
    error = "no TCP header";
    return std::nullopt;
  }
  const size_t tcp_hlen = size_t{static_cast<uint8_t>(datagram[hl + 12] >> 4)} * 4;
  if (tcp_hlen < 20 || datagram.size() < hl + tcp_hlen) {
    error = "bad TCP data offset";
    return std::nullopt;
  }
  if (mss == 0 || discard > 255) {
    error = "MSS 0 or more than 255 octets to discard";
    return std::nullopt;
  }
  const std::span<const uint8_t> payload = datagram.subspan(hl + tcp_hlen);
  const size_t count = payload.empty() ? 1 : (payload.size() + mss - 1) / mss;
  if (count > kMaxSegments) {
    error = std::to_string(count) + " segments (at most " + std::to_string(kMaxSegments) + ")";
    return std::nullopt;
  }

  LsoSend out;
  // The large send: the packet framed for ESP as a whole, then cut after the payload (no trailer,
  // no ICV: SEND-011), followed by `discard` octets of default padding (SEND-012).
  out.large = frame_for_send(suite, spi, sequence_low, datagram, false, layout.version, {}, {}, error);
  if (out.large.datagram.empty()) return std::nullopt;
  const size_t body = out.large.esp_offset + esp::kEspHeaderSize + esp::iv_size(suite) + tcp_hlen + payload.size();
  out.large.datagram.resize(body + discard, 0);
  esp::write_default_padding(out.large.datagram.data() + body, discard);
  set_lengths(out.large.datagram, hl);
  out.large.pad_length = static_cast<uint8_t>(discard);
  out.large.next_header = kTcp;
  out.large.header_info = uint32_t{kTcp} | (discard << ndis::NBL_HDR_PAD_LENGTH_SHIFT) |
                          (out.large.esp_offset / 4 << ndis::NBL_HDR_ESP_OFFSET_SHIFT);

  const uint16_t ipv4_id = v6 ? 0 : get16(datagram, 4);
  const uint32_t tcp_seq = get32(datagram, hl + 4);
  const uint8_t flags = datagram[hl + 13];
  std::array<uint8_t, 32> addresses{};
  const size_t alen = v6 ? 32 : 8;
  std::copy_n(datagram.begin() + (v6 ? 8 : 12), alen, addresses.begin());
  for (size_t i = 0; i < count; ++i) {
    const size_t from = std::min(payload.size(), i * mss);
    const size_t chunk = std::min<size_t>(mss, payload.size() - from);
    std::vector<uint8_t> seg(datagram.begin(), datagram.begin() + static_cast<long>(hl + tcp_hlen));
    seg.insert(seg.end(), payload.begin() + static_cast<long>(from), payload.begin() + static_cast<long>(from + chunk));
    if (!v6) put16(seg, 4, static_cast<uint16_t>(ipv4_id + i));
    put32(seg, hl + 4, static_cast<uint32_t>(tcp_seq + i * mss));
    uint8_t f = flags;
    if (i + 1 != count) f = static_cast<uint8_t>(f & ~0x09u);  // FIN, PSH: last segment only
    if (i != 0) f = static_cast<uint8_t>(f & ~0x80u);          // CWR: first segment only
    seg[hl + 13] = f;
    seg[hl + 16] = seg[hl + 17] = 0;
    put16(seg, hl + 16,
          esp::l4_checksum(static_cast<uint8_t>(layout.version), std::span<const uint8_t>(addresses.data(), alen), kTcp,
                           std::span<const uint8_t>(seg).subspan(hl)));
    set_lengths(seg, hl);
    LsoSegment s;
    const uint64_t full = uint64_t{sequence_low} + i;
    s.carry = static_cast<uint32_t>(full >> 32);
    s.framed = frame_for_send(suite, spi, static_cast<uint32_t>(full), seg, false, layout.version, {}, {}, error);
    if (s.framed.datagram.empty()) return std::nullopt;
    out.segments.push_back(std::move(s));
  }
  return out;
}

}  // namespace cts::core
