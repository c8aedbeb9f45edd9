// What the transport hands the NIC for an AH or ESP+AH send (RFC 4302 §3.1, SEND-003):
// the packet with AH already in place — Next Header, Payload Len, Reserved 0, SPI, the low 32
// bits of the sequence number, room for the GMAC IV and the ICV, and the minimal explicit
// padding (zero) — the preceding header's protocol set to 51 and its lengths final; and the
// header OOB word with AhHeaderOffset (and EspHeaderOffset behind AH in a bundle) in 4-octet
// units from the IP header (SEND-003, AH-069). The NIC computes only the ICV (and the GMAC IV).
#pragma once

#include <cstdint>
#include <span>
#include <string>
#include <vector>

#include "oracle/esp/ah_sa.h"
#include "runner/core/transport_framer.h"

namespace cts::core {

// The datagram as it would leave without AH: transport mode returns `plain`; tunnel mode puts
// `plain` behind a new outer header of `outer_version` (protocol 4 or 41, Identification 0x4000,
// TTL / Hop Limit 64) from `outer_src` to `outer_dst`.
std::vector<uint8_t> datagram_before_ah(std::span<const uint8_t> plain, bool tunnel, int outer_version,
                                        std::span<const uint8_t> outer_src, std::span<const uint8_t> outer_dst);

// Inserts AH right after the first IP header of `f.datagram` (IPv4 without options or the IPv6
// fixed header): AH's Next Header takes the header's protocol (50 in front of ESP), the header
// gets 51 and its new length (and IPv4 checksum). `f.header_info` gains AhHeaderOffset; an
// EspHeaderOffset already there moves behind AH; `f.esp_offset` likewise. False with `error`
// when the datagram is not IP or grows past 65535 octets.
bool insert_ah(FramedSend& f, esp::AhAlgorithm algorithm, uint32_t spi, uint32_t sequence_low, std::string& error);

}  // namespace cts::core
