// Locating the IPsec headers of one level of a datagram for the NIC model: AH, ESP, or
// UDP-encapsulated ESP (RFC 3948, port 4500) right behind the IP header and its extension headers,
// and ESP behind AH in an [ESP, AH] bundle (RFC 4302 §3.4). Bounds-checked; never reads outside
// the datagram.
#pragma once

#include <cstdint>

#include "oracle/esp/ip_packet.h"
#include "oracle/esp/udp_encap.h"

namespace cts::esp {

struct IpsecLevel {
  IpLayout ip;                  // parse of the datagram (walk stops at AH / ESP / UDP)
  bool has_ah = false;
  uint32_t ah_offset = 0;       // from the start of the datagram
  uint32_t ah_length = 0;       // (Payload Len + 2) * 4
  uint8_t ah_next_header = 0;
  bool has_udp = false;         // UDP to port 4500 in front of ESP
  uint32_t udp_offset = 0;
  UdpPayloadKind udp_kind = UdpPayloadKind::kTruncated;
  bool has_esp = false;
  uint32_t esp_offset = 0;
  uint32_t esp_length = 0;      // ESP header .. end of the datagram
  uint32_t spi = 0;             // of the outermost IPsec header (AH if present, else ESP)
  uint32_t esp_spi = 0;
};

enum class LocateResult : uint8_t {
  ok,          // `level` describes AH and/or ESP
  not_ipsec,   // no AH, no ESP, no UDP to 4500
  ike,         // UDP 4500 with the non-ESP marker (UDP-002)
  keepalive,   // UDP 4500 NAT keepalive
  bad_ip,      // the IP datagram does not parse
  truncated,   // an IPsec header does not fit the datagram
};

// `datagram` starts at the IP header; bytes after the datagram's own length are ignored.
LocateResult locate_ipsec_level(ConstBytes datagram, IpsecLevel& level);

}  // namespace cts::esp
