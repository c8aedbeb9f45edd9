// Little-endian field access at byte offsets of a buffer, by memcpy-style byte copies: never a
// cast of a possibly unaligned buffer to a structure pointer (the NDIS type model: all multi-byte
// integers are little-endian in memory). Callers check the extent of a structure before
// reading its fields; these helpers check again and read nothing (yield 0) outside the span, so
// a missed check can never become an out-of-bounds access.
#pragma once

#include <cstddef>
#include <cstdint>
#include <span>

namespace cts::ndis::bytes {

inline bool in_bounds(size_t size, size_t offset, size_t width) {
  return offset <= size && width <= size - offset;
}

inline uint64_t load_le(std::span<const uint8_t> b, size_t offset, size_t width) {
  if (width > 8 || !in_bounds(b.size(), offset, width)) return 0;
  uint64_t v = 0;
  for (size_t i = 0; i < width; ++i) v |= static_cast<uint64_t>(b[offset + i]) << (8 * i);
  return v;
}

inline uint8_t load_u8(std::span<const uint8_t> b, size_t offset) {
  return static_cast<uint8_t>(load_le(b, offset, 1));
}
inline uint16_t load_u16(std::span<const uint8_t> b, size_t offset) {
  return static_cast<uint16_t>(load_le(b, offset, 2));
}
inline uint32_t load_u32(std::span<const uint8_t> b, size_t offset) {
  return static_cast<uint32_t>(load_le(b, offset, 4));
}

inline void store_le(std::span<uint8_t> b, size_t offset, size_t width, uint64_t value) {
  if (width > 8 || !in_bounds(b.size(), offset, width)) return;
  for (size_t i = 0; i < width; ++i) b[offset + i] = static_cast<uint8_t>(value >> (8 * i));
}

inline void store_u8(std::span<uint8_t> b, size_t offset, uint8_t v) { store_le(b, offset, 1, v); }
inline void store_u16(std::span<uint8_t> b, size_t offset, uint16_t v) {
  store_le(b, offset, 2, v);
}
inline void store_u32(std::span<uint8_t> b, size_t offset, uint32_t v) {
  store_le(b, offset, 4, v);
}

}  // namespace cts::ndis::bytes
