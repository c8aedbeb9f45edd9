// Header fix-ups after ESP or AH was inserted into or removed from a datagram: the protocol /
// next-header octet in front of the IPsec header, IPv4 Total Length and header checksum, IPv6
// Payload Length (RFC 4303 §3.1.1, RFC 4302 §3.1, RFC 3948 §3).
//
// The mistake these functions exist to prevent (RFC 8200 §4, RFC 4303 §3.1.1): for IPv6 the
// octet to patch is the Next Header of the LAST extension header in front of ESP/AH, not the
// fixed header's, and for IPv4 the checksum must follow every change.
#pragma once

#include <cstdint>

#include "oracle/esp/ip_packet.h"

namespace cts::esp {

// Largest datagram each version can describe without a jumbogram.
inline constexpr uint32_t kIpv4MaxDatagram = 0xFFFFu;
inline constexpr uint32_t kIpv6MaxDatagram = kIpv6Header + 0xFFFFu;

// Rewrites IPv4 Total Length and recomputes the header checksum. `header` = IHL*4 octets.
void ipv4_set_total_length(MutableBytes header, uint16_t total_length);
// Recomputes the IPv4 header checksum in place.
void ipv4_refresh_checksum(MutableBytes header);
// Rewrites the IPv6 Payload Length of the fixed header.
void ipv6_set_payload_length(MutableBytes header, uint16_t payload_length);

// Writes `protocol` into the octet at `protocol_field_offset` (IPv4 Protocol, IPv6 fixed-header
// or extension-header Next Header), sets the datagram length to `datagram_length` and, for IPv4,
// recomputes the checksum. Returns false, changing nothing, if the length does not fit the
// version's length field or the offsets lie outside `packet`.
bool finalize_ip_header(MutableBytes packet, uint8_t version, uint32_t protocol_field_offset,
                        uint8_t protocol, uint32_t datagram_length);

// Transport-mode insertion point for an IPsec header in an IPv6 datagram (RFC 4303 §3.1.1,
// RFC 4302 §3.1.1): after Hop-by-Hop, Routing and Fragment headers (and any Destination Options
// header that precedes a Routing header); a Destination Options header that is last stays
// behind ESP/AH. Returns the number of leading extension headers of `layout` that stay in front.
// For IPv4 it returns 0 (options are part of the header).
uint32_t transport_unprotected_ext_count(const IpLayout& layout);

// Offset where the IPsec header goes, and the octet announcing what follows, for a transport-mode
// insertion in front of the first `kept` extension headers' successor.
struct InsertionPoint {
  uint32_t offset = 0;                 // IPsec header starts here
  uint32_t protocol_field_offset = 0;  // octet that will announce ESP/AH/UDP
  uint8_t protected_protocol = 0;      // what the IPsec header's Next Header will carry
};
InsertionPoint transport_insertion_point(const IpLayout& layout);

}  // namespace cts::esp
