// The AH ICV input (RFC 4302 §3.3.3): the octet string the integrity
// algorithm runs over, produced as a stream of spans so nothing is copied or allocated:
//
//   IP header'  ||  pre-AH extension headers'  ||  AH with the ICV zeroed  ||  rest as sent
//
// where ' means mutable fields zeroed and mutable-but-predictable fields replaced by the value the
// final receiver will see. The ESN high word (RFC 4302 §3.3.3.2.2) is appended by the caller.
//
// Prediction is applied only while the packet is not yet in its final form, which makes the same
// function right for the sender and for the final receiver (RFC 4302 §3.3.3.1):
//   * IPv4 LSRR/SSRR with pointer <= length (route not finished): destination = last address of
//     the route; the whole option is zeroed in any case (§6.2).
//   * IPv6 Routing header type 0 with Segments Left > 0: destination = last address, address list
//     rotated as the final node will see it, Segments Left 0 (App. A2, §6.4).
// A Fragment header in front of AH is left out and its Next Header value is used in the previous
// header (App. A2, AH-030). Routing types other than 0 and the Home Address option in front of AH
// are kUnsupportedHeader (OQ-AH-8).
#pragma once

#include <cstdint>
#include <vector>

#include "oracle/esp/ip_packet.h"

namespace cts::esp {

// Where AH sits and which of its octets are the ICV.
struct AhIcvRegion {
  uint32_t ah_offset = 0;        // from the start of the IP header
  uint32_t ah_length = 0;        // whole AH, padding included
  uint32_t icv_offset = 0;       // inside AH: 12 + IV size
  uint32_t icv_length = 0;
  uint32_t datagram_length = 0;  // octets of the datagram (link padding excluded)
};

// Receives the ICV input piece by piece. put() returns false to stop (crypto failure).
class IcvSink {
 public:
  virtual bool put(ConstBytes bytes) = 0;

 protected:
  ~IcvSink() = default;
};

enum class AhInputResult : uint8_t { ok, malformed, sink_failed };

// Streams the ICV input of the datagram at the start of `packet`. `layout` is parse_ip() of that
// datagram, whose walk stopped at AH (layout.payload_offset == region.ah_offset). On a malformed
// or unsupported pre-AH header, `status` says which and where.
AhInputResult feed_ah_icv_input(ConstBytes packet, const IpLayout& layout,
                                const AhIcvRegion& region, IcvSink& sink, ParseStatus& status);

// The same octets collected into a vector: for tests and evidence, not for the datapath.
ParseStatus build_ah_icv_input(ConstBytes packet, const IpLayout& layout, const AhIcvRegion& region,
                               std::vector<uint8_t>& out);

}  // namespace cts::esp
