// What the transport hands the NIC on an IPsecOV2 send (OQ-16, SEND-003/010): a
// packet already framed for ESP — outer headers with protocol 50 and final lengths, the ESP
// header with SPI and the low 32 bits of the sequence number, room for the IV, the payload, the
// default padding, Pad Length and Next Header, and room for the ICV — plus the header OOB word
// (EspHeaderOffset in 4-byte units from the IP header, NextHeader, PadLength). The NIC only
// generates the IV, encrypts and fills the ICV.
//
// Built on the ESP core's padding helpers (oracle/esp/esp_trailer.h) and suite sizes
// (oracle/esp/esp_sa.h), so the trailer is exactly what RFC 4303 §2.4 requires.
#pragma once

#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <vector>

#include "oracle/esp/esp_sa.h"

namespace cts::core {

struct FramedSend {
  std::vector<uint8_t> datagram;  // the framed IP datagram (no Ethernet header)
  uint32_t header_info = 0;       // slot 12 transmit view
  uint32_t esp_offset = 0;        // ESP header offset from the IP header, bytes
  uint32_t udp_offset = 0;        // UDP header offset from the IP header (UDP-ESP), else 0
  uint8_t pad_length = 0;
  uint8_t next_header = 0;
};

// The trailer the transport frames (RFC 4303 2.4, 2.7): minimal padding unless told otherwise.
struct TrailerShape {
  std::optional<size_t> pad_length;  // exact Pad Length: >= the minimum, a multiple of the modulus above it
  bool pad_max = false;              // the largest valid Pad Length <= 255
  size_t tfc = 0;                    // TFC zeros after the payload (the payload must carry its length)
};

// UDP encapsulation the transport frames for a UDP-ESP bundle (RFC 3948 2.1): a UDP header from
// and to port 4500 right before ESP. `checksum`: the transport computes the UDP checksum over the
// framed packet (IV and ICV still placeholders), which the NIC must then refresh or zero
// (UDPENC-006, OQ-ESP-1); otherwise it is zero (UDPENC-002).
struct UdpShape {
  bool encap = false;
  bool checksum = false;
};

// The Pad Length a trailer gets for `covered` octets (payload + TFC) under `suite`, or nothing
// with `error` naming the valid values.
std::optional<size_t> shaped_pad_length(const esp::EspSuite& suite, size_t covered, const TrailerShape& shape,
                                        std::string& error);

// Transport mode: `plain` is the whole datagram (IPv4 without options, or IPv6 without extension
// headers); ESP goes right after the IP header. Tunnel mode: `plain` is the inner datagram and
// an outer header of `outer_version` from `outer_src` to `outer_dst` is built. On failure the
// result is empty and `error` says why.
FramedSend frame_for_send(const esp::EspSuite& suite, uint32_t spi, uint32_t sequence_low,
                          std::span<const uint8_t> plain, bool tunnel, int outer_version,
                          std::span<const uint8_t> outer_src, std::span<const uint8_t> outer_dst,
                          std::string& error, const TrailerShape& shape = {}, const UdpShape& udp = {});

}  // namespace cts::core
