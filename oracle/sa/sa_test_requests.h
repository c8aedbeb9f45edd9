// Request builders shared by the SA model tests and benchmarks: well-formed ADD elements for the
// usual bundle shapes, with deterministic, non-trivial key bytes. Tests derive bad variants from
// these by changing one field.
#pragma once

#include <cstdint>
#include <vector>

#include "oracle/ndis/codec.h"
#include "oracle/ndis/model.h"

namespace cts::sa::testing {

inline std::vector<uint8_t> key_bytes(size_t n, uint8_t seed) {
  std::vector<uint8_t> k(n);
  for (size_t i = 0; i < n; ++i) k[i] = static_cast<uint8_t>(seed + 7 * i + 1);
  return k;
}

inline ndis::Endpoints v4(uint8_t src_last, uint8_t dst_last) {
  return ndis::Endpoints::ipv4({10, 0, 0, src_last}, {10, 0, 1, dst_last});
}

// ESP AES-GCM-128 (RFC 4106): key block = 16-byte key || 4-byte salt (OQ-07), ICV 16 (ADD-022),
// AuthenticationAlgorithm all zero (ADD-021).
inline ndis::AddSaElement esp_gcm128(uint32_t spi, bool inbound, uint8_t dst_last = 2) {
  ndis::AddSaElement e;
  e.num_ext_hdrs = 1;
  e.flags = inbound ? ndis::IPSEC_OFFLOAD_V2_INBOUND : 0;
  e.endpoints = v4(1, dst_last);
  auto& sa = e.sec_assoc[0];
  sa.operation = ndis::IPsecOffloadV2Esp;
  sa.spi = spi;
  sa.encryption = {ndis::IPSEC_OFFLOAD_V2_ENCRYPTION_AES_GCM_128, 20, 0, 16};
  e.key_data = key_bytes(20, static_cast<uint8_t>(spi));
  return e;
}

// ESP AES-CBC-128 + HMAC-SHA1-96: two keys one after the other (ADD-017, ADD-018).
inline ndis::AddSaElement esp_cbc_sha1(uint32_t spi, bool inbound, uint8_t dst_last = 2) {
  ndis::AddSaElement e;
  e.num_ext_hdrs = 1;
  e.flags = inbound ? ndis::IPSEC_OFFLOAD_V2_INBOUND : 0;
  e.endpoints = v4(1, dst_last);
  auto& sa = e.sec_assoc[0];
  sa.operation = ndis::IPsecOffloadV2Esp;
  sa.spi = spi;
  sa.encryption = {ndis::IPSEC_OFFLOAD_V2_ENCRYPTION_AES_CBC_128, 16, 0, 0};
  sa.authentication = {ndis::IPSEC_OFFLOAD_V2_AUTHENTICATION_SHA_1, 20, 16, 0};
  e.key_data = key_bytes(36, static_cast<uint8_t>(spi));
  return e;
}

// AH HMAC-SHA-256-128 alone (ADD-019).
inline ndis::AddSaElement ah_sha256(uint32_t spi, bool inbound) {
  ndis::AddSaElement e;
  e.num_ext_hdrs = 1;
  e.flags = inbound ? ndis::IPSEC_OFFLOAD_V2_INBOUND : 0;
  e.endpoints = v4(1, 2);
  auto& sa = e.sec_assoc[0];
  sa.operation = ndis::IPsecOffloadV2Ah;
  sa.spi = spi;
  sa.authentication = {ndis::IPSEC_OFFLOAD_V2_AUTHENTICATION_SHA_256, 32, 0, 0};
  e.key_data = key_bytes(32, static_cast<uint8_t>(spi));
  return e;
}

// ESP (AES-CBC-128 + HMAC-SHA1) followed by AH (HMAC-SHA1): NumExtHdrs 2 (ADD-010, ADD-011).
inline ndis::AddSaElement esp_then_ah(uint32_t esp_spi, uint32_t ah_spi, bool inbound) {
  ndis::AddSaElement e = esp_cbc_sha1(esp_spi, inbound);
  e.num_ext_hdrs = 2;
  auto& ah = e.sec_assoc[1];
  ah.operation = ndis::IPsecOffloadV2Ah;
  ah.spi = ah_spi;
  ah.authentication = {ndis::IPSEC_OFFLOAD_V2_AUTHENTICATION_SHA_1, 20, 36, 0};
  e.key_data = key_bytes(56, static_cast<uint8_t>(esp_spi));
  return e;
}

inline ndis::AddSaElement with_esn(ndis::AddSaElement e, uint32_t high) {
  for (uint32_t i = 0; i < e.num_ext_hdrs && i < 2; ++i) {
    e.sec_assoc[i].flags = ndis::IPSEC_OFFLOAD_V2_ESN_SA;
    e.sec_assoc[i].sequence_number_high_order = high;
  }
  return e;
}

}  // namespace cts::sa::testing
