// ESP SA parameters: the algorithm suite (with canonical names), keys, sequence-number and
// anti-replay settings. Plain values; the keyed per-SA state lives in EspTransform / EspOutbound /
// EspInbound, created from an EspSaConfig.
#pragma once

#include <array>
#include <cstddef>
#include <cstdint>
#include <span>
#include <string>
#include <string_view>

#include "oracle/crypto/secret_bytes.h"
#include "oracle/esp/verdict.h"

namespace cts::esp {

// Encryption transforms named by the NDIS enums (plus GMAC, RFC 4543).
enum class EspEncryption : uint8_t {
  null,  // RFC 2410 (NDIS ENCRYPTION_NONE); needs an integrity algorithm (ESP-004)
  aes_128_cbc,
  aes_192_cbc,
  aes_256_cbc,  // RFC 3602
  aes_128_gcm,
  aes_192_gcm,
  aes_256_gcm,  // RFC 4106 (combined mode)
  aes_128_gmac,
  aes_192_gmac,
  aes_256_gmac,  // RFC 4543 ENCR_NULL_AUTH_AES_GMAC (integrity only, combined transform)
  des_cbc,       // RFC 2405 (OpenSSL legacy provider)
  des3_cbc,      // RFC 2451
};

enum class EspIntegrity : uint8_t {
  none,             // only with a combined transform, or encryption-only ESP (no anti-replay)
  hmac_md5_96,      // RFC 2403: key 16, ICV 12
  hmac_sha1_96,     // RFC 2404: key 20, ICV 12
  hmac_sha256_128,  // RFC 4868: key 32, ICV 16
  hmac_sha384_192,  // RFC 4868: key 48, ICV 24
  hmac_sha512_256,  // RFC 4868: key 64, ICV 32
};

struct EspSuite {
  EspEncryption encryption = EspEncryption::aes_128_gcm;
  EspIntegrity integrity = EspIntegrity::none;
  uint8_t gcm_icv_size = 16;  // AES-GCM only: 8, 12 or 16 (RFC 4106 §6); ignored otherwise

  friend bool operator==(const EspSuite&, const EspSuite&) = default;
};

// Canonical names: "<encryption>[-<integrity>]" with
//   encryption: null, aes-128-cbc, aes-192-cbc, aes-256-cbc, aes-128-gcm (ICV 16),
//               aes-128-gcm-icv12, aes-128-gcm-icv8 (likewise 192/256), aes-128-gmac,
//               aes-192-gmac, aes-256-gmac, des-cbc, 3des-cbc
//   integrity:  hmac-md5, hmac-sha1, hmac-sha256, hmac-sha384, hmac-sha512 (the IPsec
//               truncations 96/96/128/192/256; parse also accepts "hmac-md5-96",
//               "hmac-sha1-96", "hmac-sha256-128", "hmac-sha384-192", "hmac-sha512-256").
// Examples: "aes-128-gcm", "aes-128-cbc-hmac-sha1", "null-hmac-sha256", "aes-128-gmac",
// "3des-cbc-hmac-md5", "aes-256-cbc" (encryption only).
std::string format_suite(const EspSuite& suite);
// False (out untouched) for unknown names or combinations validate_suite would refuse.
bool parse_suite(std::string_view name, EspSuite& out);
std::string_view encryption_name(EspEncryption e);  // "aes-128-gcm", "null", "3des-cbc", ...
std::string_view integrity_name(EspIntegrity i);    // "hmac-sha1", "none", ...

// Every suite the oracle supports, one per row (all encryptions x applicable integrity, GCM with
// each ICV size): the single list the property tests and the round-trip tests iterate over.
std::span<const EspSuite> all_suites();

// ESP-004: not both NULL; combined transforms take no separate integrity; GCM ICV 8/12/16.
EspStatus validate_suite(const EspSuite& suite);

constexpr bool is_gcm(EspEncryption e) {
  return e == EspEncryption::aes_128_gcm || e == EspEncryption::aes_192_gcm ||
         e == EspEncryption::aes_256_gcm;
}
constexpr bool is_gmac(EspEncryption e) {
  return e == EspEncryption::aes_128_gmac || e == EspEncryption::aes_192_gmac ||
         e == EspEncryption::aes_256_gmac;
}
constexpr bool is_combined(EspEncryption e) { return is_gcm(e) || is_gmac(e); }
constexpr bool is_cbc(EspEncryption e) {
  return e == EspEncryption::aes_128_cbc || e == EspEncryption::aes_192_cbc ||
         e == EspEncryption::aes_256_cbc || e == EspEncryption::des_cbc ||
         e == EspEncryption::des3_cbc;
}
// True when packets are integrity protected (combined transform or an HMAC).
constexpr bool has_integrity(const EspSuite& s) {
  return is_combined(s.encryption) || s.integrity != EspIntegrity::none;
}

size_t cipher_key_size(EspEncryption e);   // AES/DES key octets, salt excluded (0 for null)
size_t integrity_key_size(EspIntegrity i);  // 0, 16, 20, 32, 48, 64
size_t iv_size(const EspSuite& s);          // 0 null, 16 AES-CBC, 8 DES/3DES/GCM/GMAC
size_t icv_size(const EspSuite& s);         // GCM 8/12/16, GMAC 16, HMAC truncation, else 0
// Padding modulus M (RFC 4303 §2.4): block size for CBC (16 AES, 8 DES), 4 otherwise.
size_t pad_modulus(const EspSuite& s);

// OQ-07: how the GCM/GMAC key block carries the 4-octet salt.
enum class SaltConvention : uint8_t {
  appended_to_key,  // key block = AES key ‖ salt (20/28/36 octets) — the OQ-07 choice
  separate,         // key block = AES key only (16/24/32); salt taken from EspSaConfig::salt
};

struct EspSaConfig {
  uint32_t spi = 0;  // never 0 (ESP-002) unless allow_spi_zero
  // Accept SPI 0 for known-answer reproduction only (draft-mcgrew-gcm-test-01 case 4 uses it);
  // a real SA never does (RFC 4303 §2.1).
  bool allow_spi_zero = false;
  EspSuite suite;
  // Encryption key block: AES/DES key; for GCM/GMAC per salt_convention.
  crypto::SecretBytes encryption_key;
  crypto::SecretBytes integrity_key;  // HMAC key of exactly integrity_key_size() octets
  SaltConvention salt_convention = SaltConvention::appended_to_key;
  std::array<uint8_t, 4> salt{};  // SaltConvention::separate only

  bool esn = false;  // 64-bit extended sequence numbers (RFC 4303 §2.2.1)
  // Outbound: the last number sent (0: none yet, the first packet carries 1; SEQ-001).
  // Inbound: T, the highest authenticated number (0 at SA creation; REPLAY-003). With ESN the high
  // half is what IPsecOV2 carries in SequenceNumberHighOrder (shifted left 32).
  uint64_t initial_sequence = 0;
  // Outbound: true = the counter never cycles (SEQ-003); false = wraps to 0 (SEQ-005).
  // Inbound: true = anti-replay checks on (REPLAY-001); refused without integrity (REPLAY-002).
  bool anti_replay = true;
  uint32_t replay_window = 64;  // inbound W: ReplayWindow::kMinSize..kMaxSize (REPLAY-007/008)

  // Inbound, RFC 4303 App. A3: after `esn_resync_threshold` consecutive ICV failures (0 = off), a
  // failing packet is retried with Seqh+1 .. Seqh+esn_resync_max_advance.
  uint32_t esn_resync_threshold = 0;
  uint32_t esn_resync_max_advance = 0;

  // Inbound: refuse a packet whose pre-ICV part is not 4-octet aligned (RFC 4303 §2.4, §3.4: the RFC
  // only obliges the sender, so this is switchable).
  bool require_aligned_trailer = true;
  // Inbound: check that default padding reads 1,2,3.. (PAD-004, SHOULD).
  bool check_pad_content = true;
};

// Checks suite, SPI, key sizes (RFC 4868 §2.1.1 exact HMAC sizes; GCM key block per
// salt_convention), window size, anti-replay vs integrity. detail names the field.
EspStatus validate_sa_config(const EspSaConfig& cfg);

}  // namespace cts::esp
