// Tunnel-mode outer header construction and decapsulation rules (RFC 4301 §5.1.2; esp-datapath.md
// MODE-003/004/008; RFC 4302 §3.1.2). Shared by ESP and AH tunnel mode.
//
// Encapsulation: a new outer IPv4 (IHL 5, no options) or IPv6 header (no extension headers) with
// the SA's tunnel endpoints; DSCP copied or mapped per SA, ECN copied (RFC 4301 §5.1.2.1 and
// RFC 6040 normal mode), DF copied / set / cleared per SA, TTL/Hop Limit chosen by the
// encapsulator, a fresh Identification, length and checksum computed. The inner packet is carried
// unchanged (this is a host, not a forwarding gateway, so no inner TTL decrement).
//
// Decapsulation: outer CE is propagated into an ECT(0)/ECT(1) inner header, any other inner ECN
// is left alone (RFC 4301 §5.1.2.1 note 6, MODE-008); the outer DS field is discarded unless the
// SA asks to copy it inward; an inner IPv4 checksum is updated when the header changed.
#pragma once

#include <array>
#include <cstdint>

#include "oracle/esp/ip_packet.h"

namespace cts::esp {

enum class DfPolicy : uint8_t {
  kCopy,   // IPv4 inner: copy DF. IPv6 inner (no DF bit): set DF, since an IPv6 packet may not be
           // fragmented in flight (our choice, in line with RFC 4213 §3.2)
  kSet,
  kClear,
};
enum class DscpPolicy : uint8_t { kCopy, kFixed };
enum class EcnPolicy : uint8_t {
  kCopy,   // RFC 4301 §5.1.2.1 / RFC 6040 normal mode
  kClear,  // RFC 6040 compatibility mode: outer Not-ECT
};
enum class FlowLabelPolicy : uint8_t {
  kZero,
  kCopy,   // end systems only (RFC 4301 §5.1.2.2 note 8); an IPv4 inner packet yields 0
  kFixed,
};

struct TunnelConfig {
  uint8_t outer_version = 4;
  std::array<uint8_t, 16> source{};       // IPv4 uses the first 4 octets
  std::array<uint8_t, 16> destination{};
  uint8_t ttl = 64;                       // outer TTL / Hop Limit
  DscpPolicy dscp = DscpPolicy::kCopy;
  uint8_t fixed_dscp = 0;                 // 6-bit value, for DscpPolicy::kFixed
  EcnPolicy ecn = EcnPolicy::kCopy;
  DfPolicy df = DfPolicy::kCopy;
  FlowLabelPolicy flow_label = FlowLabelPolicy::kZero;
  uint32_t fixed_flow_label = 0;
  bool copy_dscp_inward = false;          // decapsulation: copy the outer DSCP into the inner header
};

inline uint32_t outer_header_length(uint8_t outer_version) {
  return outer_version == 4 ? kIpv4MinHeader : kIpv6Header;
}

// Writes the outer header at the start of `out` (outer_header_length octets) for `inner` (a
// parsed inner datagram of version `inner_version`), announcing `protocol` (50 ESP, 51 AH, 17
// UDP-encapsulated ESP) and covering `outer_datagram_length` octets in total. `ipv4_id` is used
// for an IPv4 outer header. Returns false if the length does not fit the outer version.
bool write_outer_header(MutableBytes out, const TunnelConfig& config, ConstBytes inner,
                        uint8_t inner_version, uint8_t protocol, uint32_t outer_datagram_length,
                        uint16_t ipv4_id);

// Applies the decapsulation rules to the inner datagram in place, given the outer traffic class /
// TOS octet. Returns true if the inner header was changed.
bool apply_decapsulation_rules(MutableBytes inner, uint8_t inner_version, uint8_t outer_tos,
                               const TunnelConfig& config);

// ECN codepoints (RFC 3168).
inline constexpr uint8_t kEcnNotEct = 0;
inline constexpr uint8_t kEcnEct1 = 1;
inline constexpr uint8_t kEcnEct0 = 2;
inline constexpr uint8_t kEcnCe = 3;

}  // namespace cts::esp
