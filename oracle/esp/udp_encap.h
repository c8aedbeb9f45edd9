// UDP encapsulation of ESP (RFC 3948): the UDP header in front of ESP, demultiplexing of what
// arrives on the NAT-T port, and the checksum rules (RFC 3948, UDPENC-001..006).
#pragma once

#include <cstdint>

#include "oracle/esp/ip_packet.h"

namespace cts::esp {

inline constexpr uint16_t kNatTPort = 4500;  // RFC 3948 §2.1: the port IKE floated to
inline constexpr uint32_t kUdpHeader = 8;

// What to put in the UDP checksum on send.
enum class UdpChecksumMode : uint8_t {
  kZero,     // RFC 3948 §2.1 SHOULD for IPv4 (UDPENC-002)
  kCompute,  // full checksum with the pseudo header
};

// What a receiver does with a UDP-ESP datagram over IPv6 whose UDP checksum is zero. RFC 8200
// §8.1 makes the checksum mandatory for IPv6 in general; RFC 6935/6936 let a tunnel protocol
// accept zero on its own port, and ESP's ICV already covers everything the checksum would.
// The oracle accepts (docs/decisions.md, OQ-ESP-1); a strict receiver may discard.
enum class Ipv6ZeroChecksumRx : uint8_t {
  kAccept,   // OQ-ESP-1 choice; what ODP, DPDK and the Linux NAT-T path do
  kDiscard,  // RFC 8200 §8.1 read strictly: the IP layer drops it before ESP sees it
};

struct UdpEncapConfig {
  uint16_t source_port = kNatTPort;
  uint16_t destination_port = kNatTPort;
  UdpChecksumMode ipv4_checksum = UdpChecksumMode::kZero;
  // RFC 3948 states its checksum rules for IPv4 only; IPv6 forbids a zero UDP checksum outside
  // the RFC 6935/6936 relaxation, so the default computes it. The choice is a team knob
  // (RFC 3948 §3.1.2).
  UdpChecksumMode ipv6_checksum = UdpChecksumMode::kCompute;
  // On receive any checksum is accepted (UDPENC-003); set this to also verify non-zero ones.
  bool verify_received_checksum = false;
  Ipv6ZeroChecksumRx ipv6_zero_checksum = Ipv6ZeroChecksumRx::kAccept;
};

// What a datagram that arrived on the encapsulation port carries (RFC 3948 §2.2-2.3).
enum class UdpPayloadKind : uint8_t {
  kEsp,        // ESP header; SPI = first 4 octets, never 0
  kIke,        // Non-ESP Marker (four zero octets): IKE, passed to the host (UDP-002)
  kKeepalive,  // one octet 0xFF: NAT-keepalive, dropped silently (UDPENC-005)
  kTruncated,  // 1..3 octets that are not a keepalive, or nothing at all
};

UdpPayloadKind classify_udp_encap_payload(ConstBytes udp_payload);

// Writes an 8-octet UDP header at `out` for a datagram of `udp_length` octets (header included),
// checksum zero. The checksum, if wanted, is filled in by finish_udp_checksum once the payload
// and the IP header are final.
void write_udp_header(MutableBytes out, uint16_t source_port, uint16_t destination_port,
                      uint16_t udp_length);

// Computes and stores the UDP checksum of the datagram starting at `udp_offset` in `packet`
// (whose IP header is complete) according to `mode`. A computed value of 0 is sent as 0xFFFF
// (RFC 768).
void finish_udp_checksum(MutableBytes packet, uint8_t version, uint32_t udp_offset,
                         uint32_t udp_length, UdpChecksumMode mode);

// True if the UDP checksum of the datagram at `udp_offset` is zero.
bool udp_checksum_is_zero(ConstBytes packet, uint32_t udp_offset);

// True if the UDP checksum of the datagram at `udp_offset` is zero or correct.
bool udp_checksum_acceptable(ConstBytes packet, uint8_t version, uint32_t udp_offset,
                             uint32_t udp_length);

}  // namespace cts::esp
