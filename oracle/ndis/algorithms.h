// What each algorithm identifier of 2.5 needs in an SA: its key size and whether it is AES-GCM /
// AES-GMAC (whose key block may carry the 4-byte salt, OQ-07). The NDIS pages leave the key sizes
// unstated; they are the RFC sizes: DES 8 (RFC 2405), 3DES 24 (RFC 2451), AES-CBC 16/24/32
// (RFC 3602), AES-GCM 16/24/32 (RFC 4106), HMAC-MD5 16 (RFC 2403), HMAC-SHA-1 20 (RFC 2404),
// HMAC-SHA-256 32 (RFC 4868), AES-GMAC 16/24/32 (RFC 4543); ENCRYPTION_NONE has no key (RFC 2410).
// The validator, the runner's key material and the vectors all read them from here.
#pragma once

#include <cstdint>

namespace cts::ndis {

struct AlgorithmFacts {
  uint32_t identifier;  // one IPSEC_OFFLOAD_V2_AUTHENTICATION_* / _ENCRYPTION_* constant
  const char* name;     // "AES-GCM-128", "HMAC-SHA-1", ...
  uint8_t key_length;   // octets, without the salt
  bool aes_gcm;         // AES-GCM (encryption) or AES-GMAC (authentication): salted, OQ-07
  uint8_t icv_length;   // authentication: truncated ICV (RFC 2403/2404 12, RFC 4868 16, RFC 4543 16); 0 otherwise
};

// Facts of a single identifier; nullptr for 0 (not used) and for anything that is not exactly
// one defined constant.
const AlgorithmFacts* authentication_facts(uint32_t identifier);
const AlgorithmFacts* encryption_facts(uint32_t identifier);

// KeyLength an ADD element states for the algorithm: the key, plus 4 salt octets for AES-GCM /
// AES-GMAC when the device takes the salt in the key block (OQ-07).
constexpr uint32_t key_block_length(const AlgorithmFacts& facts, bool gcm_key_includes_salt) {
  return facts.key_length + (facts.aes_gcm && gcm_key_includes_salt ? 4u : 0u);
}

inline constexpr uint32_t kGcmSaltLength = 4;  // RFC 4106 §8.1, RFC 4543 §5.4

}  // namespace cts::ndis
