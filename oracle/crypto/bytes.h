// Byte-span vocabulary shared by the crypto adapters and the ESP datapath: every adapter works on
// caller-owned buffers (in place where possible), so the hot path never allocates.
#pragma once

#include <cstddef>
#include <cstdint>
#include <span>
#include <string>
#include <string_view>
#include <vector>

namespace cts::crypto {

using ByteView = std::span<const uint8_t>;  // read-only bytes owned by the caller
using MutableBytes = std::span<uint8_t>;    // writable bytes owned by the caller

// True when [a, a+na) and [b, b+nb) share at least one byte (pointer arithmetic on uintptr_t, so
// unrelated buffers compare safely).
bool ranges_overlap(const uint8_t* a, size_t na, const uint8_t* b, size_t nb);

// Hex helpers for tests, data files and evidence. `from_hex` accepts upper or lower case and no
// separators; it returns false (and leaves `out` empty) on an odd length or a non-hex digit.
bool from_hex(std::string_view hex, std::vector<uint8_t>& out);
std::string to_hex(ByteView bytes);
int hex_digit_value(char c);  // 0..15, or -1 for anything but a hex digit

// Big-endian (network order) loads and stores: every field on the ESP wire and every value fed
// to a MAC is big-endian (RFC 4303 conventions).
inline uint32_t load_be32(const uint8_t* p) {
  return (uint32_t{p[0]} << 24) | (uint32_t{p[1]} << 16) | (uint32_t{p[2]} << 8) | uint32_t{p[3]};
}
inline void store_be32(uint8_t* p, uint32_t v) {
  p[0] = static_cast<uint8_t>(v >> 24);
  p[1] = static_cast<uint8_t>(v >> 16);
  p[2] = static_cast<uint8_t>(v >> 8);
  p[3] = static_cast<uint8_t>(v);
}
inline void store_be64(uint8_t* p, uint64_t v) {
  store_be32(p, static_cast<uint32_t>(v >> 32));
  store_be32(p + 4, static_cast<uint32_t>(v));
}
inline uint64_t load_be64(const uint8_t* p) {
  return (uint64_t{load_be32(p)} << 32) | load_be32(p + 4);
}

}  // namespace cts::crypto
