// Hand-built OID buffers for the DUT-layer tests, laid out from the ADD_SA / DELETE_SA x64 layouts directly,
// so the tests do not depend on the codec they are checking against.
#pragma once

#include <cstdint>
#include <vector>

namespace cts::dut::testing {

inline constexpr uint32_t kOidAddSa = 0xFC030202u;
inline constexpr uint32_t kOidDeleteSa = 0xFC030203u;
inline constexpr uint32_t kOidUpdateSa = 0xFC030204u;
inline constexpr uint32_t kOidAddSaEx = 0xFC030205u;
inline constexpr size_t kAddSaStride = 200;   // elements placed 200 bytes apart (168 + key + gap)
inline constexpr size_t kAddSaHandle = 56;    // x64 offsetof(IPSEC_OFFLOAD_V2_ADD_SA, OffloadHandle)
inline constexpr size_t kNext = 8;            // x64 offsetof(..., Next)

inline void put64(std::vector<uint8_t>& b, size_t at, uint64_t v) {
  for (size_t i = 0; i < 8; ++i) b[at + i] = static_cast<uint8_t>(v >> (8 * i));
}
inline void put32(std::vector<uint8_t>& b, size_t at, uint32_t v) {
  for (size_t i = 0; i < 4; ++i) b[at + i] = static_cast<uint8_t>(v >> (8 * i));
}
inline uint64_t get64(const std::vector<uint8_t>& b, size_t at) {
  uint64_t v = 0;
  for (size_t i = 0; i < 8; ++i) v |= static_cast<uint64_t>(b[at + i]) << (8 * i);
  return v;
}

// `count` ADD_SA elements at 0, 200, 400, ... chained in order, Next as offsets, element i with
// SPI 0x1000 + i, outbound; the last element's Next is NULL.
inline std::vector<uint8_t> add_sa_list(size_t count) {
  std::vector<uint8_t> b(count * kAddSaStride, 0);
  for (size_t i = 0; i < count; ++i) {
    const size_t at = i * kAddSaStride;
    b[at + 0] = 0x80;  // Header.Type
    b[at + 1] = 1;     // Header.Revision
    b[at + 2] = 169;   // Header.Size = NDIS_SIZEOF_IPSEC_OFFLOAD_V2_ADD_SA_REVISION_1 (x64)
    put64(b, at + kNext, i + 1 < count ? (i + 1) * kAddSaStride : 0);
    put32(b, at + 16, 1);                                 // NumExtHdrs
    put32(b, at + 68 + 8, 0x1000u + static_cast<uint32_t>(i));  // SecAssoc[0].Spi
  }
  return b;
}

}  // namespace cts::dut::testing
