// Well-formed requests shared by the oracle/ndis tests. The values are chosen by hand; expected
// byte positions in the tests come from the spec tables, not from this file.
#pragma once

#include <numeric>

#include "oracle/ndis/model.h"

namespace cts::ndis::testing {

inline std::vector<uint8_t> key_bytes(size_t n, uint8_t first) {
  std::vector<uint8_t> k(n);
  std::iota(k.begin(), k.end(), first);
  return k;
}

// Outbound IPv4 ESP, AES-CBC-128 key at 0 and HMAC-SHA-1 key at 16 (ADD-018), SPI 0x12345678.
inline AddSaElement esp_cbc_sha1() {
  AddSaElement e;
  e.num_ext_hdrs = 1;
  e.endpoints = Endpoints::ipv4({10, 0, 0, 1}, {10, 0, 0, 2});
  SecurityAssociation& sa = e.sec_assoc[0];
  sa.operation = IPsecOffloadV2Esp;
  sa.spi = 0x12345678;
  sa.encryption = {IPSEC_OFFLOAD_V2_ENCRYPTION_AES_CBC_128, 16, 0, 0};
  sa.authentication = {IPSEC_OFFLOAD_V2_AUTHENTICATION_SHA_1, 20, 16, 0};
  e.key_data = key_bytes(36, 0x00);
  return e;
}

// Inbound IPv6 ESP AES-GCM-128 with 16-byte ICV, key||salt (OQ-07), ESN with high half 5.
inline AddSaElement esp_gcm_esn() {
  AddSaElement e;
  e.num_ext_hdrs = 1;
  e.flags = IPSEC_OFFLOAD_V2_INBOUND | IPSEC_OFFLOAD_V2_IPv6;
  std::array<uint8_t, 16> src{0x20, 0x01, 0x0d, 0xb8};
  std::array<uint8_t, 16> dst = src;
  src[15] = 1;
  dst[15] = 2;
  e.endpoints = Endpoints::ipv6(src, dst);
  SecurityAssociation& sa = e.sec_assoc[0];
  sa.flags = IPSEC_OFFLOAD_V2_ESN_SA;
  sa.operation = IPsecOffloadV2Esp;
  sa.spi = 0x87654321;
  sa.encryption = {IPSEC_OFFLOAD_V2_ENCRYPTION_AES_GCM_128, 20, 0, 16};
  sa.sequence_number_high_order = 5;
  e.key_data = key_bytes(20, 0x40);
  return e;
}

// ESP (AES-CBC-256, encryption only) followed by AH (HMAC-SHA-256): ADD-010/011.
inline AddSaElement esp_then_ah() {
  AddSaElement e;
  e.num_ext_hdrs = 2;
  e.endpoints = Endpoints::ipv4({192, 168, 1, 10}, {192, 168, 1, 20});
  e.sec_assoc[0].operation = IPsecOffloadV2Esp;
  e.sec_assoc[0].spi = 0x101;
  e.sec_assoc[0].encryption = {IPSEC_OFFLOAD_V2_ENCRYPTION_AES_CBC_256, 32, 0, 0};
  e.sec_assoc[1].operation = IPsecOffloadV2Ah;
  e.sec_assoc[1].spi = 0x202;
  e.sec_assoc[1].authentication = {IPSEC_OFFLOAD_V2_AUTHENTICATION_SHA_256, 32, 32, 0};
  e.key_data = key_bytes(64, 0x60);
  return e;
}

}  // namespace cts::ndis::testing
