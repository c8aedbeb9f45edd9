#include "oracle/esp/esp_trailer.h"

namespace cts::esp {

size_t minimal_pad_length(size_t covered, size_t modulus) {
  if (modulus <= 1) return 0;
  const size_t r = (covered + kEspTrailerSize) % modulus;
  return r == 0 ? 0 : modulus - r;
}

void write_default_padding(uint8_t* p, size_t n) {
  for (size_t i = 0; i < n; ++i) p[i] = static_cast<uint8_t>(i + 1);
}

bool default_padding_valid(const uint8_t* p, size_t n) {
  uint8_t diff = 0;
  for (size_t i = 0; i < n; ++i) diff |= static_cast<uint8_t>(p[i] ^ static_cast<uint8_t>(i + 1));
  return diff == 0;
}

EspStatus parse_trailer(crypto::ByteView body, bool check_content, TrailerInfo& out) {
  if (body.size() < kEspTrailerSize) {
    return EspStatus::fail(EspVerdict::truncated, "ESP trailer: body shorter than Pad Length + Next Header");
  }
  const uint8_t pad = body[body.size() - 2];
  const uint8_t nh = body[body.size() - 1];
  const size_t avail = body.size() - kEspTrailerSize;
  if (pad > avail) {
    return EspStatus::fail(EspVerdict::bad_padding,
                           "ESP trailer: Pad Length exceeds the octets before it (RFC 4303 §2.5)");
  }
  if (check_content && !default_padding_valid(body.data() + (avail - pad), pad)) {
    return EspStatus::fail(EspVerdict::bad_padding,
                           "ESP trailer: padding octets are not 1,2,3,... (RFC 4303 §2.4, PAD-004)");
  }
  out.pad_length = pad;
  out.next_header = nh;
  out.payload_length = avail - pad;
  return EspStatus::success();
}

}  // namespace cts::esp
