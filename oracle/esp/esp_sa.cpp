#include "oracle/esp/esp_sa.h"

#include <vector>

#include "oracle/esp/replay_window.h"

namespace cts::esp {

std::string_view encryption_name(EspEncryption e) {
  switch (e) {
    case EspEncryption::null: return "null";
    case EspEncryption::aes_128_cbc: return "aes-128-cbc";
    case EspEncryption::aes_192_cbc: return "aes-192-cbc";
    case EspEncryption::aes_256_cbc: return "aes-256-cbc";
    case EspEncryption::aes_128_gcm: return "aes-128-gcm";
    case EspEncryption::aes_192_gcm: return "aes-192-gcm";
    case EspEncryption::aes_256_gcm: return "aes-256-gcm";
    case EspEncryption::aes_128_gmac: return "aes-128-gmac";
    case EspEncryption::aes_192_gmac: return "aes-192-gmac";
    case EspEncryption::aes_256_gmac: return "aes-256-gmac";
    case EspEncryption::des_cbc: return "des-cbc";
    case EspEncryption::des3_cbc: return "3des-cbc";
  }
  return "";
}

std::string_view integrity_name(EspIntegrity i) {
  switch (i) {
    case EspIntegrity::none: return "none";
    case EspIntegrity::hmac_md5_96: return "hmac-md5";
    case EspIntegrity::hmac_sha1_96: return "hmac-sha1";
    case EspIntegrity::hmac_sha256_128: return "hmac-sha256";
    case EspIntegrity::hmac_sha384_192: return "hmac-sha384";
    case EspIntegrity::hmac_sha512_256: return "hmac-sha512";
  }
  return "";
}

namespace {
constexpr EspEncryption kEncryptions[] = {
    EspEncryption::null,         EspEncryption::aes_128_cbc,  EspEncryption::aes_192_cbc,
    EspEncryption::aes_256_cbc,  EspEncryption::aes_128_gcm,  EspEncryption::aes_192_gcm,
    EspEncryption::aes_256_gcm,  EspEncryption::aes_128_gmac, EspEncryption::aes_192_gmac,
    EspEncryption::aes_256_gmac, EspEncryption::des_cbc,      EspEncryption::des3_cbc};
constexpr EspIntegrity kIntegrities[] = {
    EspIntegrity::none,            EspIntegrity::hmac_md5_96,     EspIntegrity::hmac_sha1_96,
    EspIntegrity::hmac_sha256_128, EspIntegrity::hmac_sha384_192, EspIntegrity::hmac_sha512_256};
constexpr std::string_view kLongIntegrityNames[] = {"none", "hmac-md5-96", "hmac-sha1-96",
                                                     "hmac-sha256-128", "hmac-sha384-192",
                                                     "hmac-sha512-256"};

bool parse_integrity(std::string_view s, EspIntegrity& out) {
  for (size_t i = 1; i < std::size(kIntegrities); ++i) {
    if (s == integrity_name(kIntegrities[i]) || s == kLongIntegrityNames[i]) {
      out = kIntegrities[i];
      return true;
    }
  }
  return false;
}

// Parses the encryption part (with the GCM "-icv8"/"-icv12" suffix) at the start of `s`;
// returns how many characters it used, 0 if none matched. Longest match wins.
size_t parse_encryption(std::string_view s, EspSuite& out) {
  size_t best = 0;
  for (EspEncryption e : kEncryptions) {
    const std::string_view n = encryption_name(e);
    if (s.substr(0, n.size()) != n || n.size() <= best) continue;
    if (s.size() > n.size() && s[n.size()] != '-') continue;
    best = n.size();
    out.encryption = e;
    out.gcm_icv_size = 16;
  }
  if (best != 0 && is_gcm(out.encryption)) {
    const std::string_view rest = s.substr(best);
    for (auto [suffix, icv] : {std::pair<std::string_view, uint8_t>{"-icv8", 8}, {"-icv12", 12}, {"-icv16", 16}}) {
      if (rest.substr(0, suffix.size()) == suffix &&
          (rest.size() == suffix.size() || rest[suffix.size()] == '-')) {
        out.gcm_icv_size = icv;
        return best + suffix.size();
      }
    }
  }
  return best;
}
}  // namespace

std::string format_suite(const EspSuite& s) {
  std::string name(encryption_name(s.encryption));
  if (is_gcm(s.encryption) && s.gcm_icv_size != 16) {
    name += "-icv" + std::to_string(s.gcm_icv_size);
  }
  if (s.integrity != EspIntegrity::none) {
    name += '-';
    name += integrity_name(s.integrity);
  }
  return name;
}

bool parse_suite(std::string_view name, EspSuite& out) {
  EspSuite s;
  const size_t used = parse_encryption(name, s);
  if (used == 0) return false;
  std::string_view rest = name.substr(used);
  s.integrity = EspIntegrity::none;
  if (!rest.empty()) {
    if (rest[0] != '-' || !parse_integrity(rest.substr(1), s.integrity)) return false;
  }
  if (!validate_suite(s).ok()) return false;
  out = s;
  return true;
}

std::span<const EspSuite> all_suites() {
  static const std::vector<EspSuite> suites = [] {
    std::vector<EspSuite> v;
    for (EspEncryption e : kEncryptions) {
      if (is_gcm(e)) {
        for (uint8_t icv : {uint8_t{16}, uint8_t{12}, uint8_t{8}}) v.push_back({e, EspIntegrity::none, icv});
      } else if (is_gmac(e)) {
        v.push_back({e, EspIntegrity::none, 16});
      } else {
        for (EspIntegrity i : kIntegrities) {
          if (e == EspEncryption::null && i == EspIntegrity::none) continue;  // ESP-004
          v.push_back({e, i, 16});
        }
      }
    }
    return v;
  }();
  return suites;
}

EspStatus validate_suite(const EspSuite& s) {
  if (s.encryption == EspEncryption::null && s.integrity == EspIntegrity::none) {
    return EspStatus::fail(EspVerdict::invalid_argument,
                           "suite: encryption and integrity are both NULL (RFC 4303 §3.2, ESP-004)");
  }
  if (is_combined(s.encryption) && s.integrity != EspIntegrity::none) {
    return EspStatus::fail(EspVerdict::invalid_argument,
                           "suite: a combined-mode transform (GCM/GMAC) takes no separate integrity algorithm");
  }
  if (is_gcm(s.encryption) && s.gcm_icv_size != 8 && s.gcm_icv_size != 12 && s.gcm_icv_size != 16) {
    return EspStatus::fail(EspVerdict::invalid_argument,
                           "suite: AES-GCM ICV must be 8, 12 or 16 octets (RFC 4106 §6, GCM-006)");
  }
  return EspStatus::success();
}

size_t cipher_key_size(EspEncryption e) {
  switch (e) {
    case EspEncryption::null: return 0;
    case EspEncryption::aes_128_cbc:
    case EspEncryption::aes_128_gcm:
    case EspEncryption::aes_128_gmac: return 16;
    case EspEncryption::aes_192_cbc:
    case EspEncryption::aes_192_gcm:
    case EspEncryption::aes_192_gmac: return 24;
    case EspEncryption::aes_256_cbc:
    case EspEncryption::aes_256_gcm:
    case EspEncryption::aes_256_gmac: return 32;
    case EspEncryption::des_cbc: return 8;
    case EspEncryption::des3_cbc: return 24;
  }
  return 0;
}

size_t integrity_key_size(EspIntegrity i) {
  switch (i) {
    case EspIntegrity::none: return 0;
    case EspIntegrity::hmac_md5_96: return 16;
    case EspIntegrity::hmac_sha1_96: return 20;
    case EspIntegrity::hmac_sha256_128: return 32;
    case EspIntegrity::hmac_sha384_192: return 48;
    case EspIntegrity::hmac_sha512_256: return 64;
  }
  return 0;
}

size_t iv_size(const EspSuite& s) {
  if (s.encryption == EspEncryption::null) return 0;
  if (s.encryption == EspEncryption::des_cbc || s.encryption == EspEncryption::des3_cbc) return 8;
  if (is_combined(s.encryption)) return 8;
  return 16;
}

size_t icv_size(const EspSuite& s) {
  if (is_gcm(s.encryption)) return s.gcm_icv_size;
  if (is_gmac(s.encryption)) return 16;
  switch (s.integrity) {
    case EspIntegrity::none: return 0;
    case EspIntegrity::hmac_md5_96:
    case EspIntegrity::hmac_sha1_96: return 12;
    case EspIntegrity::hmac_sha256_128: return 16;
    case EspIntegrity::hmac_sha384_192: return 24;
    case EspIntegrity::hmac_sha512_256: return 32;
  }
  return 0;
}

size_t pad_modulus(const EspSuite& s) {
  if (s.encryption == EspEncryption::des_cbc || s.encryption == EspEncryption::des3_cbc) return 8;
  if (is_cbc(s.encryption)) return 16;
  return 4;
}

EspStatus validate_sa_config(const EspSaConfig& c) {
  if (auto s = validate_suite(c.suite); !s.ok()) return s;
  if (c.spi == 0 && !c.allow_spi_zero) {
    return EspStatus::fail(EspVerdict::invalid_argument, "spi: 0 is never used (RFC 4303 §2.1, ESP-002)");
  }
  const size_t key = cipher_key_size(c.suite.encryption);
  if (is_combined(c.suite.encryption)) {
    const size_t want = c.salt_convention == SaltConvention::appended_to_key ? key + 4 : key;
    if (c.encryption_key.size() != want) {
      return EspStatus::fail(EspVerdict::invalid_argument,
                             c.salt_convention == SaltConvention::appended_to_key
                                 ? "encryption_key: GCM/GMAC key block must be AES key + 4-octet salt (20/28/36; OQ-07)"
                                 : "encryption_key: GCM/GMAC key must be the AES key only (16/24/32) with SaltConvention::separate");
    }
  } else if (c.encryption_key.size() != key) {
    return EspStatus::fail(EspVerdict::invalid_argument,
                           "encryption_key: length does not match the encryption algorithm");
  }
  if (c.integrity_key.size() != integrity_key_size(c.suite.integrity)) {
    return EspStatus::fail(EspVerdict::invalid_argument,
                           "integrity_key: length must equal the HMAC transform's key size (RFC 2403/2404, RFC 4868 §2.1.1)");
  }
  if (!c.esn && c.initial_sequence > 0xFFFFFFFFull) {
    return EspStatus::fail(EspVerdict::invalid_argument,
                           "initial_sequence: above 2^32-1 on a 32-bit (non-ESN) SA");
  }
  return EspStatus::success();
}

}  // namespace cts::esp
