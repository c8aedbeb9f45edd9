// ESP padding and trailer (RFC 4303 §2.4-2.7): minimal pad length, default pad content 1,2,3..,
// and the receiver's parse of Pad Length / Next Header with the pad-content check.
#pragma once

#include <cstddef>
#include <cstdint>

#include "oracle/crypto/bytes.h"
#include "oracle/esp/verdict.h"

namespace cts::esp {

inline constexpr uint8_t kNextHeaderIpv4 = 4;
inline constexpr uint8_t kNextHeaderIpv6 = 41;
inline constexpr uint8_t kNextHeaderNoNext = 59;  // dummy packet (RFC 4303 §2.6)
inline constexpr size_t kEspHeaderSize = 8;       // SPI + Sequence Number
inline constexpr size_t kEspTrailerSize = 2;      // Pad Length + Next Header

// Smallest p >= 0 with (covered + p + 2) % modulus == 0, where covered = payload + TFC octets and
// modulus = pad_modulus(suite) (RFC 4303 §2.4; the IV is never counted).
size_t minimal_pad_length(size_t covered, size_t modulus);

// Writes 1, 2, 3, ..., n (n <= 255) at p: the default content (PAD-003).
void write_default_padding(uint8_t* p, size_t n);
// True if the n octets at p read 1, 2, 3, ..., n.
bool default_padding_valid(const uint8_t* p, size_t n);

struct TrailerInfo {
  uint8_t pad_length = 0;
  uint8_t next_header = 0;
  size_t payload_length = 0;  // payload (+ any TFC padding, which only the inner length reveals)
};

// Parses the decrypted body (payload ‖ TFC ‖ padding ‖ Pad Length ‖ Next Header). Errors:
// truncated (body shorter than 2), bad_padding (Pad Length > available octets, or with
// check_content the pad octets are not 1..p).
EspStatus parse_trailer(crypto::ByteView body, bool check_content, TrailerInfo& out);

}  // namespace cts::esp
