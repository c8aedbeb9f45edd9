#include "oracle/esp/esp_transform.h"

#include <algorithm>
#include <cstring>
#include <optional>

#include "oracle/esp/esp_trailer.h"

namespace cts::esp {

using crypto::ByteView;
using crypto::CryptoErrc;
using crypto::CryptoStatus;
using crypto::MutableBytes;

IvPolicy default_iv_policy(const EspSuite& suite) {
  return is_combined(suite.encryption) ? IvPolicy::sequence_number : IvPolicy::random;
}

namespace {
crypto::CbcAlgorithm cbc_of(EspEncryption e) {
  switch (e) {
    case EspEncryption::aes_192_cbc: return crypto::CbcAlgorithm::aes_192;
    case EspEncryption::aes_256_cbc: return crypto::CbcAlgorithm::aes_256;
    case EspEncryption::des_cbc: return crypto::CbcAlgorithm::des;
    case EspEncryption::des3_cbc: return crypto::CbcAlgorithm::des3;
    default: return crypto::CbcAlgorithm::aes_128;
  }
}

EspStatus from_crypto(const CryptoStatus& s) {
  switch (s.code) {
    case CryptoErrc::ok: return EspStatus::success();
    case CryptoErrc::authentication_failed: return EspStatus::fail(EspVerdict::bad_icv, s.context);
    case CryptoErrc::invalid_length: return EspStatus::fail(EspVerdict::truncated, s.context);
    case CryptoErrc::buffer_too_small: return EspStatus::fail(EspVerdict::buffer_too_small, s.context);
    case CryptoErrc::invalid_key_length:
    case CryptoErrc::invalid_iv_length:
    case CryptoErrc::invalid_tag_length: return EspStatus::fail(EspVerdict::invalid_argument, s.context);
    default: return EspStatus::fail(EspVerdict::crypto_error, s.context);
  }
}
}  // namespace

crypto::HmacAlgorithm hmac_algorithm_of(EspIntegrity i) {
  switch (i) {
    case EspIntegrity::hmac_md5_96: return crypto::HmacAlgorithm::md5;
    case EspIntegrity::hmac_sha1_96: return crypto::HmacAlgorithm::sha1;
    case EspIntegrity::hmac_sha384_192: return crypto::HmacAlgorithm::sha384;
    case EspIntegrity::hmac_sha512_256: return crypto::HmacAlgorithm::sha512;
    default: return crypto::HmacAlgorithm::sha256;
  }
}

EspStatus EspTransform::create(const EspSaConfig& cfg, const crypto::CryptoLibrary& lib,
                               std::unique_ptr<EspTransform>& out) {
  if (auto s = validate_sa_config(cfg); !s.ok()) return s;
  std::unique_ptr<EspTransform> t(new EspTransform());
  t->spi_ = cfg.spi;
  t->suite_ = cfg.suite;
  t->esn_ = cfg.esn;
  t->iv_size_ = esp::iv_size(cfg.suite);
  t->icv_size_ = esp::icv_size(cfg.suite);
  t->pad_modulus_ = esp::pad_modulus(cfg.suite);
  const EspEncryption e = cfg.suite.encryption;
  if (is_combined(e)) {
    // OQ-07: key block = AES key ‖ salt by default; the other convention carries the salt apart.
    const size_t key_len = cipher_key_size(e);
    const ByteView key = cfg.encryption_key.view().first(key_len);
    const ByteView salt = cfg.salt_convention == SaltConvention::appended_to_key
                              ? cfg.encryption_key.view().subspan(key_len, 4)
                              : ByteView(cfg.salt.data(), cfg.salt.size());
    if (auto s = crypto::AesGcm::create(lib, key, salt, t->icv_size_, t->gcm_); !s) {
      return from_crypto(s);
    }
  } else if (lib.backend() == crypto::CryptoBackend::ipsec_mb &&
             crypto::MbCbcHmac::supports(
                 is_cbc(e) ? std::optional(cbc_of(e)) : std::nullopt,
                 cfg.suite.integrity != EspIntegrity::none ? std::optional(hmac_algorithm_of(cfg.suite.integrity))
                                                           : std::nullopt,
                 cfg.integrity_key.size())) {
    const auto s = crypto::MbCbcHmac::create(
        is_cbc(e) ? std::optional(cbc_of(e)) : std::nullopt, cfg.encryption_key.view(),
        cfg.suite.integrity != EspIntegrity::none ? std::optional(hmac_algorithm_of(cfg.suite.integrity))
                                                  : std::nullopt,
        cfg.integrity_key.view(), t->icv_size_, t->mb_);
    if (!s) return from_crypto(s);
    if (is_cbc(e)) t->cbc_block_ = crypto::cbc_block_size(cbc_of(e));
    out = std::move(t);
    return EspStatus::success();
  } else if (is_cbc(e)) {
    if (auto s = crypto::CbcCipher::create(lib, cbc_of(e), cfg.encryption_key.view(), t->cbc_); !s) {
      return s.code == CryptoErrc::algorithm_unavailable
                 ? EspStatus::fail(EspVerdict::crypto_error, s.context)
                 : from_crypto(s);
    }
  }
  if (t->cbc_) t->cbc_block_ = t->cbc_->block_size();
  if (cfg.suite.integrity != EspIntegrity::none) {
    if (auto s = crypto::Hmac::create(lib, hmac_algorithm_of(cfg.suite.integrity), cfg.integrity_key.view(),
                                      t->icv_size_, t->hmac_);
        !s) {
      return from_crypto(s);
    }
  }
  out = std::move(t);
  return EspStatus::success();
}

EspTransform::~EspTransform() = default;

size_t EspTransform::min_packet_size() const {
  // Shortest body: the 2 trailer octets padded up to the modulus (CBC: one block).
  const size_t body = 2 + minimal_pad_length(0, pad_modulus_);
  return kHeader + iv_size_ + body + icv_size_;
}

EspStatus EspTransform::check_length(size_t esp_len, bool require_aligned) const {
  if (esp_len < kHeader + iv_size_ + 2 + icv_size_) {
    return EspStatus::fail(EspVerdict::truncated,
                           "ESP length: shorter than SPI + Seq + IV + Pad Length + Next Header + ICV");
  }
  const size_t body = esp_len - kHeader - iv_size_ - icv_size_;
  if (cbc_block_ != 0 && body % cbc_block_ != 0) {
    return EspStatus::fail(EspVerdict::truncated,
                           "ESP length: CBC ciphertext is not a whole number of blocks (RFC 3602 §2.4)");
  }
  if (require_aligned && (esp_len - icv_size_) % 4 != 0) {
    return EspStatus::fail(EspVerdict::truncated,
                           "ESP length: Pad Length/Next Header do not end on a 4-octet boundary (RFC 4303 §2.4)");
  }
  return EspStatus::success();
}

EspStatus EspTransform::fill_iv(MutableBytes esp, uint64_t seq64, IvPolicy policy,
                                crypto::RandomSource* rng, const uint8_t* explicit_iv) const {
  if (iv_size_ == 0) return EspStatus::success();
  if (esp.size() < kHeader + iv_size_) {
    return EspStatus::fail(EspVerdict::truncated, "IV: packet shorter than header + IV");
  }
  uint8_t* iv = esp.data() + kHeader;
  if (explicit_iv != nullptr) {
    std::memmove(iv, explicit_iv, iv_size_);
    return EspStatus::success();
  }
  if (policy == IvPolicy::sequence_number) {
    if (!is_combined(suite_.encryption)) {
      return EspStatus::fail(EspVerdict::invalid_argument,
                             "IV policy: a counter IV is forbidden for CBC (RFC 3602 §3, CBC-002)");
    }
    crypto::store_be64(iv, seq64);  // unique per key while the counter never cycles (§6)
    return EspStatus::success();
  }
  if (rng == nullptr) {
    return EspStatus::fail(EspVerdict::invalid_argument, "IV policy random: no random source");
  }
  if (auto s = rng->fill({iv, iv_size_}); !s) return from_crypto(s);
  return EspStatus::success();
}

EspStatus EspTransform::seal(MutableBytes esp, uint32_t seq_high) {
  if (auto s = check_length(esp.size(), false); !s.ok()) return s;
  if (gcm_) {
    return is_gmac(suite_.encryption) ? seal_gmac(esp, seq_high) : seal_gcm(esp, seq_high);
  }
  return seal_hmac(esp, seq_high);
}

EspStatus EspTransform::open(MutableBytes esp, uint32_t seq_high) {
  if (auto s = check_length(esp.size(), false); !s.ok()) return s;
  return open_length_checked(esp, seq_high);
}

EspStatus EspTransform::open_length_checked(MutableBytes esp, uint32_t seq_high) {
  if (gcm_) {
    return is_gmac(suite_.encryption) ? open_gmac(esp, seq_high) : open_gcm(esp, seq_high);
  }
  return open_hmac(esp, seq_high);
}

void EspTransform::seal_burst(size_t n, const MutableBytes* packets, const uint32_t* seq_high, EspStatus* status) {
  n = std::min(n, kMaxBurst);
  if (!mb_) {
    for (size_t i = 0; i < n; ++i) {
      status[i] = gcm_ ? (is_gmac(suite_.encryption) ? seal_gmac(packets[i], seq_high[i]) : seal_gcm(packets[i], seq_high[i]))
                       : seal_hmac(packets[i], seq_high[i]);
    }
    return;
  }
  uint8_t highs[4 * kMaxBurst];
  for (size_t i = 0; i < n; ++i) crypto::store_be32(highs + 4 * i, seq_high[i]);
  CryptoStatus s[kMaxBurst];
  mb_->seal_burst(n, packets, kHeader, body_offset(), esn_ ? highs : nullptr, s);
  for (size_t i = 0; i < n; ++i) status[i] = from_crypto(s[i]);
}

void EspTransform::open_burst(size_t n, const MutableBytes* packets, const uint32_t* seq_high, EspStatus* status) {
  n = std::min(n, kMaxBurst);
  if (!mb_) {
    for (size_t i = 0; i < n; ++i) status[i] = open_length_checked(packets[i], seq_high[i]);
    return;
  }
  uint8_t highs[4 * kMaxBurst];
  for (size_t i = 0; i < n; ++i) crypto::store_be32(highs + 4 * i, seq_high[i]);
  CryptoStatus s[kMaxBurst];
  mb_->open_burst(n, packets, kHeader, body_offset(), esn_ ? highs : nullptr, s);
  for (size_t i = 0; i < n; ++i) {
    status[i] = s[i].code == CryptoErrc::authentication_failed
                    ? EspStatus::fail(EspVerdict::bad_icv, "ESP inbound: HMAC ICV mismatch")
                    : from_crypto(s[i]);
  }
}

// Separate algorithms: encrypt, then MAC SPI ‖ Seq ‖ IV ‖ ciphertext [‖ Seq_high]
// (RFC 4303 §3.3.2.1 steps 3-4; ICV-002, ESN-004).
EspStatus EspTransform::seal_hmac(MutableBytes esp, uint32_t seq_high) {
  if (mb_) {
    uint8_t high[4];
    crypto::store_be32(high, seq_high);
    return from_crypto(mb_->seal(esp, kHeader, body_offset(), esn_ ? high : nullptr));
  }
  const size_t icv_at = esp.size() - icv_size_;
  const MutableBytes body = esp.subspan(body_offset(), icv_at - body_offset());
  if (cbc_) {
    if (auto s = cbc_->encrypt(esp.subspan(kHeader, iv_size_), body, body); !s) return from_crypto(s);
  }
  if (hmac_) {
    uint8_t high[4];
    crypto::store_be32(high, seq_high);
    const ByteView parts[] = {esp.first(icv_at), ByteView(high, esn_ ? 4 : 0)};
    if (auto s = hmac_->compute(parts, esp.subspan(icv_at, icv_size_)); !s) return from_crypto(s);
  }
  return EspStatus::success();
}

EspStatus EspTransform::open_hmac(MutableBytes esp, uint32_t seq_high) {
  if (mb_) {
    uint8_t high[4];
    crypto::store_be32(high, seq_high);
    const crypto::CryptoStatus s = mb_->open(esp, kHeader, body_offset(), esn_ ? high : nullptr);
    return s.code == CryptoErrc::authentication_failed
               ? EspStatus::fail(EspVerdict::bad_icv, "ESP inbound: HMAC ICV mismatch")
               : from_crypto(s);
  }
  const size_t icv_at = esp.size() - icv_size_;
  if (hmac_) {
    // Integrity first: nothing of the packet is trusted before the ICV verifies (§3.4.4.1).
    uint8_t high[4];
    crypto::store_be32(high, seq_high);
    const ByteView parts[] = {esp.first(icv_at), ByteView(high, esn_ ? 4 : 0)};
    if (auto s = hmac_->verify(parts, esp.subspan(icv_at, icv_size_)); !s) {
      return s.code == CryptoErrc::authentication_failed
                 ? EspStatus::fail(EspVerdict::bad_icv, "ESP inbound: HMAC ICV mismatch")
                 : from_crypto(s);
    }
  }
  if (cbc_) {
    const MutableBytes body = esp.subspan(body_offset(), icv_at - body_offset());
    if (auto s = cbc_->decrypt(esp.subspan(kHeader, iv_size_), body, body); !s) return from_crypto(s);
  }
  return EspStatus::success();
}

// GCM: AAD = SPI ‖ [Seq_high ‖] Seq_low (RFC 4106 §5, GCM-004); nonce = salt ‖ IV.
ByteView EspTransform::gcm_aad(ByteView esp, uint32_t seq_high, uint8_t (&aad)[12]) const {
  std::memcpy(aad, esp.data(), 4);
  if (!esn_) {
    std::memcpy(aad + 4, esp.data() + 4, 4);
    return ByteView(aad, 8);
  }
  crypto::store_be32(aad + 4, seq_high);
  std::memcpy(aad + 8, esp.data() + 4, 4);
  return ByteView(aad, 12);
}

EspStatus EspTransform::seal_gcm(MutableBytes esp, uint32_t seq_high) {
  const size_t icv_at = esp.size() - icv_size_;
  uint8_t aad[12];
  const ByteView a = gcm_aad(esp, seq_high, aad);
  uint8_t* p = esp.data();
  return from_crypto(gcm_->seal_in_place(p + kHeader, a.data(), a.size(), p + body_offset(),
                                         icv_at - body_offset(), p + icv_at));
}

EspStatus EspTransform::open_gcm(MutableBytes esp, uint32_t seq_high) {
  const size_t icv_at = esp.size() - icv_size_;
  uint8_t aad[12];
  const ByteView a = gcm_aad(esp, seq_high, aad);
  uint8_t* p = esp.data();
  const CryptoStatus s = gcm_->open_in_place(p + kHeader, a.data(), a.size(), p + body_offset(),
                                             icv_at - body_offset(), p + icv_at);
  if (s.code == CryptoErrc::authentication_failed) {
    return EspStatus::fail(EspVerdict::bad_icv, "ESP inbound: AES-GCM tag mismatch");
  }
  return from_crypto(s);
}

// GMAC: AAD = SPI ‖ [Seq_high ‖] Seq_low ‖ IV ‖ body, plaintext empty (RFC 4543 §3.3 Figures
// 2-3, §3.5). The high word goes right after the SPI — not after the trailer (DPDK 22.11 does
// the latter; it does not conform).
EspStatus EspTransform::seal_gmac(MutableBytes esp, uint32_t seq_high) {
  const size_t icv_at = esp.size() - icv_size_;
  uint8_t high[4];
  crypto::store_be32(high, seq_high);
  const ByteView parts[] = {esp.first(4), ByteView(high, esn_ ? 4 : 0),
                            esp.subspan(4, icv_at - 4)};
  return from_crypto(gcm_->gmac(esp.subspan(kHeader, iv_size_), parts, esp.subspan(icv_at, icv_size_)));
}

EspStatus EspTransform::open_gmac(MutableBytes esp, uint32_t seq_high) {
  const size_t icv_at = esp.size() - icv_size_;
  uint8_t high[4];
  crypto::store_be32(high, seq_high);
  const ByteView parts[] = {esp.first(4), ByteView(high, esn_ ? 4 : 0),
                            esp.subspan(4, icv_at - 4)};
  const CryptoStatus s = gcm_->gmac_verify(esp.subspan(kHeader, iv_size_), parts,
                                           esp.subspan(icv_at, icv_size_));
  if (s.code == CryptoErrc::authentication_failed) {
    return EspStatus::fail(EspVerdict::bad_icv, "ESP inbound: AES-GMAC tag mismatch");
  }
  return from_crypto(s);
}

}  // namespace cts::esp
