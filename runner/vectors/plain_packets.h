// Plain (unprotected) datagrams the generator feeds to the oracle: UDP over IPv4 or IPv6, with
// optional IPv6 extension headers, correct lengths and checksums (RFC 768, RFC 8200 §8.1).
#pragma once

#include <cstdint>
#include <span>
#include <string>
#include <vector>

#include "oracle/esp/esp_host.h"

namespace cts::vectors {

struct PlainUdp {
  esp::IpAddress source;
  esp::IpAddress destination;
  // Echo (RFC 862) on both sides: a port Wireshark dissects plainly, so no heuristic dissector
  // reads the random payload as another protocol when a vector is opened decrypted.
  uint16_t source_port = 7;
  uint16_t destination_port = 7;
  uint8_t ttl = 64;
  bool ipv6_hop_by_hop = false;     // 8-octet Hop-by-Hop header with a PadN option
  bool ipv6_destination_opts = false;  // 8-octet Destination Options header after it
};

std::vector<uint8_t> make_udp_datagram(const PlainUdp& spec, std::span<const uint8_t> payload);

// Rewrites the IP length fields (IPv4 Total Length + header checksum, IPv6 Payload Length) after
// the datagram was cut to `new_length` octets; UDP length too when `udp_offset` != 0.
void fix_lengths_after_cut(std::vector<uint8_t>& datagram, size_t new_length, uint32_t udp_offset);

}  // namespace cts::vectors
