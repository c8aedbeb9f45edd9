// Endpoint union helpers of the logical model (the 32-byte union of ADD_SA; OQ-13: addresses
// in network order, first octet at the lowest address).
#include "oracle/ndis/model.h"

#include <algorithm>

namespace cts::ndis {

Endpoints Endpoints::ipv4(std::array<uint8_t, 4> src, std::array<uint8_t, 4> dst) {
  Endpoints e;
  std::copy(src.begin(), src.end(), e.raw.begin());
  std::copy(dst.begin(), dst.end(), e.raw.begin() + 4);
  return e;
}

Endpoints Endpoints::ipv6(const std::array<uint8_t, 16>& src, const std::array<uint8_t, 16>& dst) {
  Endpoints e;
  std::copy(src.begin(), src.end(), e.raw.begin());
  std::copy(dst.begin(), dst.end(), e.raw.begin() + 16);
  return e;
}

std::array<uint8_t, 4> Endpoints::ipv4_src() const {
  std::array<uint8_t, 4> a{};
  std::copy_n(raw.begin(), 4, a.begin());
  return a;
}

std::array<uint8_t, 4> Endpoints::ipv4_dst() const {
  std::array<uint8_t, 4> a{};
  std::copy_n(raw.begin() + 4, 4, a.begin());
  return a;
}

std::array<uint8_t, 16> Endpoints::ipv6_src() const {
  std::array<uint8_t, 16> a{};
  std::copy_n(raw.begin(), 16, a.begin());
  return a;
}

std::array<uint8_t, 16> Endpoints::ipv6_dst() const {
  std::array<uint8_t, 16> a{};
  std::copy_n(raw.begin() + 16, 16, a.begin());
  return a;
}

}  // namespace cts::ndis
