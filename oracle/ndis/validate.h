// Semantic validation of one ADD_SA / ADD_SA_EX element into a checked bundle specification.
// Everything that can be judged from the request alone is checked here (field ranges, single-bit
// identifiers, key lengths per algorithm, key ranges inside the key block, flags, UDP-ESP types);
// what depends on the device (advertised algorithms, capacity) is judged by the SA model.
#pragma once

#include <array>
#include <atomic>
#include <cstring>
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "oracle/ndis/codec.h"

namespace cts::ndis {

// Key material of one SA, stored inline so a table of a million bundles needs no allocation.
struct SaKeys {
  std::array<uint8_t, 32> encryption_key{};  // AES / DES / 3DES key (salt excluded)
  uint8_t encryption_key_length = 0;
  std::array<uint8_t, 4> salt{};  // GCM / GMAC (RFC 4106 §8.1, RFC 4543 §5.4)
  bool has_salt = false;
  std::array<uint8_t, 32> authentication_key{};  // HMAC key or GMAC key
  uint8_t authentication_key_length = 0;
};

struct SaSpec {
  uint32_t operation = 0;                 // IPsecOffloadV2Ah or IPsecOffloadV2Esp
  uint32_t spi = 0;
  uint32_t authentication_algorithm = 0;  // single identifier of 2.5, or 0 = not used
  uint32_t encryption_algorithm = 0;      // single identifier of 2.5, or 0 = not used
  uint8_t icv_length = 0;                 // bytes: 12 MD5/SHA1, 16 SHA-256/GMAC, 8/12/16 GCM
  bool esn = false;
  uint32_t sequence_number_high_order = 0;
  SaKeys keys;
};

struct BundleSpec {
  bool inbound = false;
  bool ipv6 = false;
  Endpoints endpoints;
  uint32_t udp_esp_encapsulation = 0;
  uint32_t num_ext_hdrs = 1;
  std::array<SaSpec, 2> sas{};  // sas[0..num_ext_hdrs): ESP then AH (ADD-011)
};

struct ValidationOptions {
  // OQ-07: the GCM/GMAC KeyLength includes the 4-byte salt (20/28/36); false: 16/24/32 only,
  // salt taken as zero.
  bool gcm_key_includes_salt = true;
};

// `element_index` is used only to name the element in a DecodeError.
Decoded<BundleSpec> validate_add_element(const AddSaElement& element, uint32_t element_index,
                                         const ValidationOptions& options);

// Request-only checks of an UPDATE_SA (OQ-11, UPD-005, OQ-22): a NULL OffloadHandle, an
// Operation other than AH/ESP or an SPI of 0 can never select an SA, so the request fails with
// NDIS_STATUS_INVALID_PARAMETER whatever the table holds. Everything else (unknown handle, SA
// without ESN, device without ESN) is judged by the SA model.
std::optional<DecodeError> validate_update_request(const UpdateSaRequest& request);

// Checks of a reported NDIS_IPSEC_OFFLOAD_V2 that need no device knowledge (CAP-008, CAP-009,
// CAP-010, CAP-012, CAP-013). `error` findings break a MUST; the others are warnings (CAP-009
// Tunnel is a SHOULD-level check by OQ-19). An empty result means nothing to report.
struct CapabilityFinding {
  bool error = true;
  std::string requirement;  // "CAP-008"
  std::string field;        // "Encapsulation"
  std::string message;
};
std::vector<CapabilityFinding> check_capabilities(const IpsecOffloadV2Capabilities& caps);

// Wiping of key material that the optimizer may not remove (OPENSSL_cleanse-like, no OpenSSL
// dependency in this layer).
// Inline so a fixed-size wipe becomes a few wide stores.
inline void cleanse(void* data, size_t length) {
#if defined(__GNUC__) || defined(__clang__)
  // The empty asm claims to read the memory, so the memset cannot be dropped as dead (the
  // explicit_bzero technique).
  std::memset(data, 0, length);
  __asm__ __volatile__("" : : "r"(data) : "memory");
#else
  volatile uint8_t* p = static_cast<volatile uint8_t*>(data);
  for (size_t i = 0; i < length; ++i) p[i] = 0;
  std::atomic_signal_fence(std::memory_order_seq_cst);
#endif
}
// The whole key block, lengths included, in one fixed-size wipe the compiler lays out as a few
// wide stores (SA delete at a million bundles must not stall on it).
inline void cleanse(SaKeys& keys) { cleanse(&keys, sizeof keys); }

}  // namespace cts::ndis
