// What the transport hands the NIC on an LSO send over an IPsecOV2 SA (SEND-007, SEND-011..013),
// and what a conforming NIC must put on the wire for it.
//
// The large send: the transport frames one TCP packet behind an ESP header (SPI, low sequence
// number of the first segment, IV room) with no trailer and no ICV (SEND-011), optionally ending
// with `discard` octets of padding that the header OOB's PadLength announces and the NIC drops
// (SEND-012); the LSO MSS goes in OOB slot 2.
//
// The segments: segment i is exactly the packet the transport would have framed had it sent
// that part of the TCP stream alone, so the one send judge (oracle/esp/send_judge.h) can open
// and compare each: the IPv4 Identification + i and the IP lengths of the segment, the TCP
// sequence number + i * MSS, FIN and PSH on the last segment only and CWR on the first only (the
// NDIS LSO rules), a fresh TCP checksum, the ESP sequence number + i (OQ-17), and a fresh
// minimal trailer with default padding and Next Header TCP (SEND-013). On an ESN SA the 64-bit
// number counts on, so a segment past 2^32 goes out with the next high half (OQ-CTS-3).
#pragma once

#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <vector>

#include "runner/core/transport_framer.h"

namespace cts::core {

struct LsoSegment {
  FramedSend framed;   // the segment as a non-LSO send would frame it (IV and ICV placeholders)
  uint32_t carry = 0;  // 1 when its 64-bit sequence number passed 2^32 within this send
};

struct LsoSend {
  FramedSend large;                  // the NET_BUFFER handed to the NIC and its header OOB word
  std::vector<LsoSegment> segments;  // what a conforming NIC sends, in order
};

// `plain` is a transport-mode TCP datagram: IPv4 (options allowed) or IPv6 without extension
// headers (the shapes NDIS LSO offloads). `mss` >= 1; `discard` 0..255. Nothing, with `error`
// saying why, for any other shape, a payload that needs more than 1024 segments, or a datagram
// that does not fit 16-bit lengths.
std::optional<LsoSend> frame_lso_send(const esp::EspSuite& suite, uint32_t spi, uint32_t sequence_low,
                                      std::span<const uint8_t> plain, uint32_t mss, uint32_t discard,
                                      std::string& error);

}  // namespace cts::core
