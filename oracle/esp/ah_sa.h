// AH SA parameters (RFC 4302, RFC 4543 §4): integrity algorithm, key, sequence-number and
// anti-replay settings, and the AH layout they imply (RFC 4302 §2).
#pragma once

#include <cstddef>
#include <cstdint>
#include <string_view>

#include "oracle/crypto/secret_bytes.h"
#include "oracle/esp/verdict.h"

namespace cts::esp {

// The NDIS AH authentication algorithms (IPSEC_OFFLOAD_V2_AUTHENTICATION_*), plus SHA-384/512
// which the oracle supports at no cost (RFC 4302 §2.6).
enum class AhAlgorithm : uint8_t {
  hmac_md5_96,      // RFC 2403: key 16, ICV 12
  hmac_sha1_96,     // RFC 2404: key 20, ICV 12
  hmac_sha256_128,  // RFC 4868: key 32, ICV 16 (a 96-bit truncation does not conform, AH-054)
  hmac_sha384_192,  // RFC 4868: key 48, ICV 24
  hmac_sha512_256,  // RFC 4868: key 64, ICV 32
  aes_128_gmac,     // RFC 4543 AUTH_AES_128_GMAC: key block 16 + 4 salt, IV 8, tag 16
  aes_192_gmac,
  aes_256_gmac,
};

constexpr bool is_gmac(AhAlgorithm a) {
  return a == AhAlgorithm::aes_128_gmac || a == AhAlgorithm::aes_192_gmac ||
         a == AhAlgorithm::aes_256_gmac;
}

std::string_view ah_algorithm_name(AhAlgorithm a);  // "hmac-sha256", "aes-128-gmac", ...
bool parse_ah_algorithm(std::string_view name, AhAlgorithm& out);  // also "hmac-sha256-128"...

size_t ah_icv_size(AhAlgorithm a);        // 12, 12, 16, 24, 32, 16
size_t ah_iv_size(AhAlgorithm a);         // 8 for GMAC, else 0
size_t ah_key_block_size(AhAlgorithm a);  // HMAC key; GMAC key ‖ salt (20/28/36, OQ-AH-7)

inline constexpr size_t kAhFixedSize = 12;  // Next Header .. Sequence Number

// Minimal AH length for the algorithm over IPv4 (4-octet multiple) or IPv6 (8-octet multiple)
// (RFC 4302 §2.6, §3.3.3.2.1; RFC 4543 erratum 3643).
size_t ah_length(AhAlgorithm a, uint8_t ip_version);
// Payload Len field for an AH of `length` octets: length/4 - 2 (RFC 4302 §2.2).
inline uint8_t ah_payload_len_field(size_t length) { return static_cast<uint8_t>(length / 4 - 2); }

struct AhSaConfig {
  uint32_t spi = 0;  // never 0 (AH-007)
  AhAlgorithm algorithm = AhAlgorithm::hmac_sha256_128;
  crypto::SecretBytes key;  // exactly ah_key_block_size() octets

  bool esn = false;
  uint64_t initial_sequence = 0;  // outbound: last sent; inbound: T (as EspSaConfig)
  bool anti_replay = true;
  uint32_t replay_window = 64;
  uint32_t esn_resync_threshold = 0;  // RFC 4302 App. B / RFC 4303 App. A3 (0 = off)
  uint32_t esn_resync_max_advance = 0;

  // OQ-AH-4: accept the 8-octet-aligned AH over IPv4 that Linux sends by default (default on;
  // a strict profile turns it off and the packet is MALFORMED_LENGTH). Senders are always minimal.
  bool accept_ipv4_8_octet_aligned = true;
};

// Checks SPI, key block size, window size. detail names the field.
EspStatus validate_ah_config(const AhSaConfig& cfg);

}  // namespace cts::esp
