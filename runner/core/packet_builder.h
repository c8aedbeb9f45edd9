// Plain IP datagrams and Ethernet frames for send and receive steps: the inner packet a case
// describes (IP version, addresses, upper-layer protocol, payload size and pattern), built with
// valid lengths and checksums so any difference a device introduces is its own.
#pragma once

#include <array>
#include <cstdint>
#include <span>
#include <vector>

namespace cts::core {

struct DatagramSpec {
  int ip_version = 4;
  std::array<uint8_t, 16> src{};
  std::array<uint8_t, 16> dst{};
  uint8_t protocol = 17;              // UDP, TCP, ICMP / ICMPv6 get a real header; others raw
  std::vector<uint8_t> payload;       // application bytes after the upper-layer header
  uint16_t ipv4_id = 0x4000;
  // IPv4 options: this many octets (a multiple of 4, at most 40): `ipv4_option`, then No
  // Operation octets. Router Alert (RFC 2113) is an option every node knows; the RFC 4727
  // experimental option (type 158: copied, class 0, number 30) with non-zero data is one no NIC
  // knows, which AH must zero whole using its length octet (RFC 4302 3.3.3.1, AH-026).
  uint32_t ipv4_options = 0;
  enum class Ipv4Option { router_alert, experimental } ipv4_option = Ipv4Option::router_alert;
  // IPv6 extension headers in wire order, each 8 octets: 0 Hop-by-Hop and 60 Destination Options
  // (a PadN option each), 43 Routing (type 253, RFC 4727 experimental, Segments Left 0 so every
  // node ignores it, RFC 8200 4.4), 44 Fragment (see `fragment`).
  std::vector<uint8_t> ipv6_ext;
  // A fragment of a larger datagram (RFC 791 / RFC 8200 4.5): the first (More Fragments, offset
  // 0) or the last (offset 1480, no More Fragments). IPv6 gets a Fragment header if `ipv6_ext`
  // has none.
  enum class Fragment { none, first, last } fragment = Fragment::none;
};

// The whole datagram (IP header first). UDP 5000 -> 6000, TCP 5000 -> 6000 ACK|PSH, ICMP /
// ICMPv6 echo request; checksums per RFC 768 / 793 / 792 / 4443.
std::vector<uint8_t> build_datagram(const DatagramSpec& spec);

// Ethernet II: fixed locally administered MACs (the runner is one host talking to its peer).
inline constexpr size_t kEthernetHeaderLength = 14;
std::vector<uint8_t> ethernet_wrap(std::span<const uint8_t> datagram, bool to_peer);
// The IP datagram of a frame (Ethernet header removed); empty when the frame is too short.
std::span<const uint8_t> ethernet_payload(std::span<const uint8_t> frame);

// Rewrites the IPv4 header checksum of a datagram in place (after a deliberate edit).
void fix_ipv4_checksum(std::span<uint8_t> datagram);

}  // namespace cts::core
