#include "runner/core/packet_builder.h"

#include <algorithm>

#include "oracle/esp/ip_packet.h"

namespace cts::core {

namespace {
void put16(std::vector<uint8_t>& v, size_t at, uint16_t x) {
  v[at] = static_cast<uint8_t>(x >> 8);
  v[at + 1] = static_cast<uint8_t>(x);
}
}  // namespace

std::vector<uint8_t> build_datagram(const DatagramSpec& spec) {
  // Upper-layer segment first, so its length is known.
  std::vector<uint8_t> l4;
  size_t checksum_at = SIZE_MAX;
  if (spec.protocol == 17) {
    l4.assign(8, 0);
    put16(l4, 0, 5000);
    put16(l4, 2, 6000);
    put16(l4, 4, static_cast<uint16_t>(8 + spec.payload.size()));
    checksum_at = 6;
  } else if (spec.protocol == 6) {
    l4.assign(20, 0);
    put16(l4, 0, 5000);
    put16(l4, 2, 6000);
    l4[7] = 1;        // sequence number 1
    l4[11] = 1;       // acknowledgment number 1
    l4[12] = 5 << 4;  // data offset 5 words
    l4[13] = 0x18;    // ACK | PSH
    put16(l4, 14, 65535);
    checksum_at = 16;
  } else if (spec.protocol == 1 || spec.protocol == 58) {
    l4.assign(8, 0);
    l4[0] = spec.protocol == 1 ? 8 : 128;  // echo request
    put16(l4, 4, 0x1234);
    put16(l4, 6, 1);
    checksum_at = 2;
  }
  l4.insert(l4.end(), spec.payload.begin(), spec.payload.end());

  std::vector<uint8_t> out;
  const size_t addr_len = spec.ip_version == 6 ? 16 : 4;
  std::vector<uint8_t> addresses(spec.src.begin(), spec.src.begin() + static_cast<long>(addr_len));
  addresses.insert(addresses.end(), spec.dst.begin(), spec.dst.begin() + static_cast<long>(addr_len));
  if (checksum_at != SIZE_MAX) {
    uint16_t sum = 0;
    if (spec.protocol == 1) {
      sum = esp::checksum_finish(esp::checksum_add(l4));  // ICMPv4: no pseudo header
    } else {
      sum = esp::l4_checksum(static_cast<uint8_t>(spec.ip_version), addresses, spec.protocol, l4);
      if (spec.protocol == 17 && sum == 0) sum = 0xFFFF;  // RFC 768: 0 means "no checksum"
    }
    put16(l4, checksum_at, sum);
  }
  constexpr uint16_t kLastFragmentOffset = 1480 / 8;  // in 8-octet units
  if (spec.ip_version == 6) {
    std::vector<uint8_t> chain = spec.ipv6_ext;
    const bool has_fragment_header = std::find(chain.begin(), chain.end(), 44) != chain.end();
    if (spec.fragment != DatagramSpec::Fragment::none && !has_fragment_header) chain.push_back(44);
    out.assign(40 + 8 * chain.size(), 0);
    out[0] = 0x60;
    put16(out, 4, static_cast<uint16_t>(out.size() - 40 + l4.size()));
    out[6] = chain.empty() ? spec.protocol : chain[0];
    out[7] = 64;
    std::copy(spec.src.begin(), spec.src.end(), out.begin() + 8);
    std::copy(spec.dst.begin(), spec.dst.end(), out.begin() + 24);
    for (size_t i = 0; i < chain.size(); ++i) {
      const size_t at = 40 + 8 * i;
      out[at] = i + 1 < chain.size() ? chain[i + 1] : spec.protocol;  // Next Header; Hdr Ext Len 0
      if (chain[i] == 0 || chain[i] == 60) {
        out[at + 2] = 1;  // PadN over the 4 octets left (RFC 8200 4.2)
        out[at + 3] = 4;
      } else if (chain[i] == 43) {
        out[at + 2] = 253;  // Routing Type: experimental; Segments Left 0
      } else if (chain[i] == 44) {
        const uint16_t fo = spec.fragment == DatagramSpec::Fragment::last ? kLastFragmentOffset << 3
                            : spec.fragment == DatagramSpec::Fragment::first ? 1 : 0;
        put16(out, at + 2, fo);
        out[at + 7] = 0x2A;  // Identification
      }
    }
  } else {
    const size_t hl = 20 + spec.ipv4_options;
    out.assign(hl, 0);
    out[0] = static_cast<uint8_t>(0x40 | (hl / 4));
    put16(out, 2, static_cast<uint16_t>(hl + l4.size()));
    put16(out, 4, spec.ipv4_id);
    if (spec.fragment == DatagramSpec::Fragment::first) put16(out, 6, 0x2000);  // More Fragments
    if (spec.fragment == DatagramSpec::Fragment::last) put16(out, 6, kLastFragmentOffset);
    out[8] = 64;
    out[9] = spec.protocol;
    std::copy(spec.src.begin(), spec.src.begin() + 4, out.begin() + 12);
    std::copy(spec.dst.begin(), spec.dst.begin() + 4, out.begin() + 16);
    if (spec.ipv4_options >= 4) {
      const uint8_t router_alert[4] = {0x94, 0x04, 0x00, 0x00};  // RFC 2113
      const uint8_t experimental[4] = {0x9E, 0x04, 0xA5, 0x5A};  // RFC 4727 2.5, data of our own
      const uint8_t* first = spec.ipv4_option == DatagramSpec::Ipv4Option::experimental ? experimental : router_alert;
      std::copy(first, first + 4, out.begin() + 20);
      std::fill(out.begin() + 24, out.end(), 0x01);  // No Operation
    }
    put16(out, 10, esp::ipv4_header_checksum(std::span<const uint8_t>(out.data(), hl)));
  }
  out.insert(out.end(), l4.begin(), l4.end());
  return out;
}

std::vector<uint8_t> ethernet_wrap(std::span<const uint8_t> datagram, bool to_peer) {
  static const uint8_t host[6] = {0x02, 0x00, 0x00, 0x00, 0x00, 0x01};
  static const uint8_t peer[6] = {0x02, 0x00, 0x00, 0x00, 0x00, 0x02};
  const uint8_t* dst = to_peer ? peer : host;
  const uint8_t* src = to_peer ? host : peer;
  std::vector<uint8_t> f;
  f.reserve(kEthernetHeaderLength + datagram.size());
  for (int i = 0; i < 6; ++i) f.push_back(dst[i]);
  for (int i = 0; i < 6; ++i) f.push_back(src[i]);
  const bool v6 = !datagram.empty() && (datagram[0] >> 4) == 6;
  f.push_back(v6 ? 0x86 : 0x08);
  f.push_back(v6 ? 0xDD : 0x00);
  for (uint8_t b : datagram) f.push_back(b);
  return f;
}

std::span<const uint8_t> ethernet_payload(std::span<const uint8_t> frame) {
  if (frame.size() < kEthernetHeaderLength) return {};
  return frame.subspan(kEthernetHeaderLength);
}

void fix_ipv4_checksum(std::span<uint8_t> d) {
  if (d.size() < 20 || (d[0] >> 4) != 4) return;
  const size_t ihl = static_cast<size_t>(d[0] & 0x0F) * 4;
  if (ihl < 20 || ihl > d.size()) return;
  d[10] = d[11] = 0;
  const uint16_t sum = esp::ipv4_header_checksum(std::span<const uint8_t>(d.data(), ihl));
  d[10] = static_cast<uint8_t>(sum >> 8);
  d[11] = static_cast<uint8_t>(sum);
}

}  // namespace cts::core
