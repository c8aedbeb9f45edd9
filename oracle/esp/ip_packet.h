// Bounds-checked views of the packets the ESP/AH oracle handles: Ethernet II with at most one
// 802.1Q tag, IPv4 with options, IPv6 with its extension-header chain, and the Internet checksum.
//
// Nothing here allocates or throws. Every parser takes a span, checks each length field against
// the span before it reads behind it, and answers with a ParseStatus naming the field and offset
// that made it stop. A parse never reads a byte outside the span it was given, whatever the bytes.
#pragma once

#include <array>
#include <cstddef>
#include <cstdint>
#include <span>
#include <string_view>

namespace cts::esp {

using ConstBytes = std::span<const uint8_t>;
using MutableBytes = std::span<uint8_t>;

// Network byte order accessors. Callers check bounds first (every use in this folder sits behind
// a length check); these exist so no code does pointer casts on unaligned packet data.
namespace wire {
inline uint16_t get16(const uint8_t* p) {
  return static_cast<uint16_t>((static_cast<unsigned>(p[0]) << 8) | p[1]);
}
inline uint32_t get32(const uint8_t* p) {
  return (static_cast<uint32_t>(p[0]) << 24) | (static_cast<uint32_t>(p[1]) << 16) |
         (static_cast<uint32_t>(p[2]) << 8) | static_cast<uint32_t>(p[3]);
}
inline void put16(uint8_t* p, uint16_t v) {
  p[0] = static_cast<uint8_t>(v >> 8);
  p[1] = static_cast<uint8_t>(v);
}
inline void put32(uint8_t* p, uint32_t v) {
  p[0] = static_cast<uint8_t>(v >> 24);
  p[1] = static_cast<uint8_t>(v >> 16);
  p[2] = static_cast<uint8_t>(v >> 8);
  p[3] = static_cast<uint8_t>(v);
}
}  // namespace wire

// IANA protocol numbers used by the datapath.
inline constexpr uint8_t kProtoHopByHop = 0;
inline constexpr uint8_t kProtoIcmp = 1;
inline constexpr uint8_t kProtoIpv4 = 4;  // IP-in-IP: tunnel-mode Next Header for an IPv4 inner packet
inline constexpr uint8_t kProtoTcp = 6;
inline constexpr uint8_t kProtoUdp = 17;
inline constexpr uint8_t kProtoIpv6 = 41;  // tunnel-mode Next Header for an IPv6 inner packet
inline constexpr uint8_t kProtoRouting = 43;
inline constexpr uint8_t kProtoFragment = 44;
inline constexpr uint8_t kProtoEsp = 50;
inline constexpr uint8_t kProtoAh = 51;
inline constexpr uint8_t kProtoIcmpv6 = 58;
inline constexpr uint8_t kProtoNoNextHeader = 59;  // ESP dummy packet (RFC 4303 §2.6)
inline constexpr uint8_t kProtoDestinationOptions = 60;

inline constexpr uint16_t kEtherTypeIpv4 = 0x0800;
inline constexpr uint16_t kEtherTypeIpv6 = 0x86DD;
inline constexpr uint16_t kEtherTypeVlan = 0x8100;  // IEEE 802.1Q

inline constexpr uint32_t kIpv4MinHeader = 20;
inline constexpr uint32_t kIpv4MaxHeader = 60;
inline constexpr uint32_t kIpv6Header = 40;
inline constexpr uint32_t kEthernetHeader = 14;
inline constexpr uint32_t kVlanTag = 4;

// Why a parse stopped. Each maps onto one receiver error class (verdict.h /
// host_verdict.h; see esp_host.h for the mapping).
enum class PacketError : uint8_t {
  kNone = 0,
  kTruncated,            // a header or length field points past the end of the buffer
  kBadVersion,           // IP version nibble is neither 4 nor 6 (or disagrees with the EtherType)
  kBadHeaderLength,      // IPv4 IHL < 5
  kBadTotalLength,       // IPv4 Total Length < IHL*4, IPv6 Payload Length 0 without jumbogram
  kBadOption,            // IPv4 option or IPv6 TLV with an impossible length (RFC 791 §3.1, RFC 8200 §4.2)
  kBadExtensionHeader,   // IPv6 extension header out of place (Hop-by-Hop not first)
  kTooManyHeaders,       // extension-header chain longer than kMaxExtensionHeaders
  kUnsupportedHeader,    // a well-formed header the oracle does not model (jumbogram, RH type != 0)
  kBadEtherType,         // not IPv4 / IPv6 behind Ethernet
};

std::string_view packet_error_name(PacketError error);

// Result of a parse: kNone, or what went wrong, where (octet offset in the buffer given) and a
// static text naming the field ("ipv4.ihl", "ipv6.ext[2].hdr_ext_len").
struct ParseStatus {
  PacketError error = PacketError::kNone;
  uint32_t offset = 0;
  const char* field = "";

  bool ok() const { return error == PacketError::kNone; }
  static ParseStatus fail(PacketError e, uint32_t at, const char* what) { return {e, at, what}; }
};

// ---------------------------------------------------------------------------------------------
// Ethernet II

struct EthernetInfo {
  uint16_t ether_type = 0;   // after the VLAN tag, if any
  bool has_vlan = false;
  uint16_t vlan_tci = 0;     // PCP/DEI/VID as on the wire
  uint32_t l3_offset = 0;    // 14 or 18
};

// Parses a frame with at most one 802.1Q tag. A second tag (QinQ) is reported as
// kUnsupportedHeader; EtherTypes other than IPv4/IPv6 as kBadEtherType.
ParseStatus parse_ethernet(ConstBytes frame, EthernetInfo& out);

// ---------------------------------------------------------------------------------------------
// IPv4 / IPv6 datagrams

inline constexpr uint32_t kMaxExtensionHeaders = 16;

// One IPv6 extension header of the chain, in wire order.
struct ExtensionHeader {
  uint8_t type = 0;         // the protocol number that announced it (0, 43, 44, 60)
  uint8_t next_header = 0;  // its own Next Header field
  uint32_t offset = 0;      // from the start of the IP header
  uint32_t length = 0;      // in octets
};

// The layout of one IP datagram. For IPv6, the chain walks Hop-by-Hop, Routing, Fragment and
// Destination Options headers and stops at the first other protocol (upper layer, ESP, AH, No
// Next Header, or anything unknown, which RFC 8200 §4 treats as the upper layer).
struct IpLayout {
  uint8_t version = 0;
  uint32_t header_length = 0;    // IPv4: IHL*4 (options included); IPv6: 40
  uint32_t datagram_length = 0;  // IPv4: Total Length; IPv6: 40 + Payload Length
  std::array<ExtensionHeader, kMaxExtensionHeaders> ext{};
  uint32_t ext_count = 0;
  uint32_t payload_offset = 0;         // first octet after the walked headers
  uint8_t payload_protocol = 0;        // protocol found at payload_offset
  uint32_t protocol_field_offset = 0;  // octet holding payload_protocol (IPv4: 9; IPv6: 6 or
                                       // the Next Header octet of the last walked header)
  bool is_fragment = false;  // IPv4 MF or offset != 0; IPv6 Fragment header with M or offset
  bool has_fragment_header = false;
  bool has_routing_header = false;
};

// Parses the datagram at the start of `packet`. Octets after datagram_length (link padding) are
// ignored. Options and TLVs are validated too, so a successful parse means every option walk in
// this folder will succeed.
ParseStatus parse_ip(ConstBytes packet, IpLayout& out);

// IPv4 fields (the caller has a parsed layout, so offsets are in range).
inline uint8_t ipv4_tos(ConstBytes h) { return h[1]; }
inline uint16_t ipv4_id(ConstBytes h) { return wire::get16(&h[4]); }
inline uint16_t ipv4_flags_fragment(ConstBytes h) { return wire::get16(&h[6]); }
inline uint8_t ipv4_ttl(ConstBytes h) { return h[8]; }
inline constexpr uint16_t kIpv4FlagDf = 0x4000;
inline constexpr uint16_t kIpv4FlagMf = 0x2000;
inline constexpr uint16_t kIpv4OffsetMask = 0x1FFF;

// IPv6 traffic class (DSCP+ECN) and flow label.
inline uint8_t ipv6_traffic_class(ConstBytes h) {
  return static_cast<uint8_t>(((h[0] & 0x0F) << 4) | (h[1] >> 4));
}
inline uint32_t ipv6_flow_label(ConstBytes h) {
  return (static_cast<uint32_t>(h[1] & 0x0F) << 16) | (static_cast<uint32_t>(h[2]) << 8) | h[3];
}
void ipv6_set_traffic_class(MutableBytes h, uint8_t tc);
void ipv6_set_flow_label(MutableBytes h, uint32_t label);

// Traffic class / TOS octet of either version.
uint8_t ip_traffic_class(ConstBytes packet, uint8_t version);

// ---------------------------------------------------------------------------------------------
// IPv4 options and IPv6 TLV options

inline constexpr uint8_t kIpv4OptEnd = 0x00;
inline constexpr uint8_t kIpv4OptNop = 0x01;
inline constexpr uint8_t kIpv4OptLsrr = 0x83;
inline constexpr uint8_t kIpv4OptSsrr = 0x89;

struct OptionSpan {
  uint8_t type = 0;
  uint32_t offset = 0;  // of the type octet, from the start of the span walked
  uint32_t length = 0;  // whole option (1 for EOL/NOP/Pad1)
};

// Walks IPv4 options (the octets between offset 20 and IHL*4). EOL ends the list: the remaining
// octets are header padding and are not reported. NOP is one octet. Every other option needs a
// length octet >= 2 that stays inside the options (RFC 791 §3.1, as Linux ah4.c does).
// `fn(const OptionSpan&)` is called for each option including EOL and NOP; offsets are relative
// to `options`.
template <typename Fn>
ParseStatus walk_ipv4_options(ConstBytes options, uint32_t base_offset, Fn&& fn) {
  uint32_t i = 0;
  const uint32_t n = static_cast<uint32_t>(options.size());
  while (i < n) {
    const uint8_t type = options[i];
    if (type == kIpv4OptEnd) {
      fn(OptionSpan{type, i, 1});
      break;
    }
    if (type == kIpv4OptNop) {
      fn(OptionSpan{type, i, 1});
      ++i;
      continue;
    }
    if (i + 1 >= n) return ParseStatus::fail(PacketError::kBadOption, base_offset + i, "ipv4.option.length");
    const uint32_t len = options[i + 1];
    if (len < 2 || len > n - i)
      return ParseStatus::fail(PacketError::kBadOption, base_offset + i + 1, "ipv4.option.length");
    fn(OptionSpan{type, i, len});
    i += len;
  }
  return {};
}

// Walks the TLV options of a Hop-by-Hop or Destination Options header (`header` = the whole
// extension header; options start at octet 2). Pad1 (0) is one octet; every other option is
// type, length, data and must end inside the header (RFC 8200 §4.2).
template <typename Fn>
ParseStatus walk_ipv6_tlv_options(ConstBytes header, uint32_t base_offset, Fn&& fn) {
  uint32_t i = 2;
  const uint32_t n = static_cast<uint32_t>(header.size());
  while (i < n) {
    const uint8_t type = header[i];
    if (type == 0) {
      fn(OptionSpan{type, i, 1});
      ++i;
      continue;
    }
    if (i + 1 >= n) return ParseStatus::fail(PacketError::kBadOption, base_offset + i, "ipv6.option.length");
    const uint32_t len = 2u + header[i + 1];
    if (len > n - i) return ParseStatus::fail(PacketError::kBadOption, base_offset + i + 1, "ipv6.option.length");
    fn(OptionSpan{type, i, len});
    i += len;
  }
  return {};
}

// ---------------------------------------------------------------------------------------------
// Internet checksum (RFC 1071) and incremental update (RFC 1624)

// One's-complement sum of `data` added to `sum` (not folded, not inverted). An odd trailing
// octet is summed as if followed by a zero octet.
uint32_t checksum_add(ConstBytes data, uint32_t sum = 0);
// Folds a 32-bit sum to 16 bits and returns its complement: the value to store in a header.
uint16_t checksum_finish(uint32_t sum);
// IPv4 header checksum over `header` (IHL*4 octets), treating the checksum field as zero.
uint16_t ipv4_header_checksum(ConstBytes header);
bool ipv4_header_checksum_ok(ConstBytes header);
// RFC 1624 eqn. 3: checksum after one 16-bit word changed from old_word to new_word.
uint16_t checksum_update16(uint16_t checksum, uint16_t old_word, uint16_t new_word);
// TCP/UDP checksum with the IPv4 or IPv6 pseudo header (RFC 768, RFC 8200 §8.1). `segment` is
// the whole L4 header and data with its checksum field as it should be summed (normally zero).
// `addresses` is the source address followed by the destination address (8 or 32 octets).
uint16_t l4_checksum(uint8_t version, ConstBytes addresses, uint8_t protocol, ConstBytes segment);

// Source||destination address octets inside an IP header of either version (8 or 32 octets).
ConstBytes ip_addresses(ConstBytes packet, uint8_t version);

}  // namespace cts::esp
