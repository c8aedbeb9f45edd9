#include "oracle/crypto/aes_gcm.h"

#include <openssl/core_names.h>
#include <openssl/crypto.h>
#include <openssl/evp.h>
#include <openssl/params.h>

#include <cstring>
#include <limits>

namespace cts::crypto {

namespace {
constexpr size_t kMaxUpdate = static_cast<size_t>(std::numeric_limits<int>::max());

CipherId gcm_cipher(size_t key_size) {
  if (key_size == 24) return CipherId::aes_192_gcm;
  if (key_size == 32) return CipherId::aes_256_gcm;
  return CipherId::aes_128_gcm;
}

// Keys a context once: cipher, key, 12-octet nonce length (RFC 4106 §4). The nonce itself is set
// per packet.
bool key_context(EVP_CIPHER_CTX* ctx, const EVP_CIPHER* cipher, ByteView key, int enc) {
  if (EVP_CipherInit_ex2(ctx, cipher, nullptr, nullptr, enc, nullptr) != 1) return false;
  size_t ivlen = kGcmNonceSize;
  OSSL_PARAM params[] = {OSSL_PARAM_construct_size_t(OSSL_CIPHER_PARAM_AEAD_IVLEN, &ivlen),
                         OSSL_PARAM_construct_end()};
  if (EVP_CIPHER_CTX_set_params(ctx, params) != 1) return false;
  return EVP_CipherInit_ex2(ctx, nullptr, key.data(), nullptr, enc, nullptr) == 1;
}

// Reads the tag after Final without going through the ctrl() compatibility switch.
bool get_tag(EVP_CIPHER_CTX* ctx, uint8_t* tag, size_t n) {
  OSSL_PARAM params[] = {OSSL_PARAM_construct_octet_string(OSSL_CIPHER_PARAM_AEAD_TAG, tag, n),
                         OSSL_PARAM_construct_end()};
  return EVP_CIPHER_CTX_get_params(ctx, params) == 1;
}

bool set_tag(EVP_CIPHER_CTX* ctx, const uint8_t* tag, size_t n) {
  OSSL_PARAM params[] = {
      OSSL_PARAM_construct_octet_string(OSSL_CIPHER_PARAM_AEAD_TAG, const_cast<uint8_t*>(tag), n),
      OSSL_PARAM_construct_end()};
  return EVP_CIPHER_CTX_set_params(ctx, params) == 1;
}
}  // namespace

CryptoStatus AesGcm::create(const CryptoLibrary& lib, ByteView aes_key, ByteView salt,
                            size_t tag_size, std::unique_ptr<AesGcm>& out) {
  if (aes_key.size() != 16 && aes_key.size() != 24 && aes_key.size() != 32) {
    return CryptoStatus::fail(CryptoErrc::invalid_key_length, "AES-GCM: key must be 16, 24 or 32 octets");
  }
  if (salt.size() != kGcmSaltSize) {
    return CryptoStatus::fail(CryptoErrc::invalid_key_length, "AES-GCM: salt must be 4 octets");
  }
  if (tag_size != 8 && tag_size != 12 && tag_size != 16) {
    return CryptoStatus::fail(CryptoErrc::invalid_tag_length, "AES-GCM: ICV must be 8, 12 or 16 octets (RFC 4106 §6)");
  }
  std::unique_ptr<AesGcm> g(new AesGcm());
  g->tag_size_ = tag_size;
  g->key_size_ = aes_key.size();
  std::memcpy(g->salt_.data(), salt.data(), kGcmSaltSize);
  if (lib.backend() == CryptoBackend::ipsec_mb) {
    if (auto s = MbGcm::create(aes_key, g->mb_); !s) return s;
    out = std::move(g);
    return CryptoStatus::success();
  }
  const EVP_CIPHER* cipher = lib.cipher(gcm_cipher(aes_key.size()));
  g->enc_ = EVP_CIPHER_CTX_new();
  g->dec_ = EVP_CIPHER_CTX_new();
  if (g->enc_ == nullptr || g->dec_ == nullptr || cipher == nullptr) {
    return CryptoStatus::fail(CryptoErrc::openssl_failure, "AES-GCM: EVP_CIPHER_CTX_new failed");
  }
  if (!key_context(g->enc_, cipher, aes_key, 1) || !key_context(g->dec_, cipher, aes_key, 0)) {
    return CryptoStatus::fail(CryptoErrc::openssl_failure, "AES-GCM: keying the EVP context failed");
  }
  out = std::move(g);
  return CryptoStatus::success();
}

AesGcm::~AesGcm() {
  EVP_CIPHER_CTX_free(enc_);
  EVP_CIPHER_CTX_free(dec_);
  OPENSSL_cleanse(salt_.data(), salt_.size());
}

void AesGcm::nonce_of(ByteView iv, uint8_t (&nonce)[kGcmNonceSize]) const {
  std::memcpy(nonce, salt_.data(), kGcmSaltSize);  // salt ‖ IV (RFC 4106 §4, RFC 4543 §3.2)
  std::memcpy(nonce + kGcmSaltSize, iv.data(), kGcmExplicitIvSize);
}

CryptoStatus AesGcm::start(EVP_CIPHER_CTX* ctx, ByteView iv, const char* where) {
  if (iv.size() != kGcmExplicitIvSize) return CryptoStatus::fail(CryptoErrc::invalid_iv_length, where);
  uint8_t nonce[kGcmNonceSize];  // salt ‖ IV (RFC 4106 §4, RFC 4543 §3.2)
  std::memcpy(nonce, salt_.data(), kGcmSaltSize);
  std::memcpy(nonce + kGcmSaltSize, iv.data(), kGcmExplicitIvSize);
  if (EVP_CipherInit_ex(ctx, nullptr, nullptr, nullptr, nonce, -1) != 1) {
    return CryptoStatus::fail(CryptoErrc::openssl_failure, where);
  }
  return CryptoStatus::success();
}

CryptoStatus AesGcm::feed_aad(EVP_CIPHER_CTX* ctx, AadParts aad, const char* where) {
  for (const ByteView& part : aad) {
    if (part.empty()) continue;
    if (part.size() > kMaxUpdate) return CryptoStatus::fail(CryptoErrc::invalid_length, where);
    int outl = 0;
    if (EVP_CipherUpdate(ctx, nullptr, &outl, part.data(), static_cast<int>(part.size())) != 1) {
      return CryptoStatus::fail(CryptoErrc::openssl_failure, where);
    }
  }
  return CryptoStatus::success();
}

CryptoStatus AesGcm::encrypt(ByteView iv, AadParts aad, ByteView in, MutableBytes out,
                             MutableBytes tag) {
  constexpr const char* kWhere = "AES-GCM encrypt";
  if (out.size() < in.size() || tag.size() < tag_size_) {
    return CryptoStatus::fail(CryptoErrc::buffer_too_small, kWhere);
  }
  if (in.size() > kMaxUpdate) return CryptoStatus::fail(CryptoErrc::invalid_length, kWhere);
  const uint8_t* src = in.data();
  if (src != out.data() && ranges_overlap(src, in.size(), out.data(), in.size())) {
    std::memmove(out.data(), src, in.size());
    src = out.data();
  }
  if (mb_) {
    if (iv.size() != kGcmExplicitIvSize) return CryptoStatus::fail(CryptoErrc::invalid_iv_length, kWhere);
    uint8_t nonce[kGcmNonceSize];
    nonce_of(iv, nonce);
    return mb_->encrypt(nonce, aad, src, out.data(), in.size(), tag.data(), tag_size_);
  }
  if (auto s = start(enc_, iv, kWhere); !s) return s;
  if (auto s = feed_aad(enc_, aad, kWhere); !s) return s;
  int outl = 0;
  if (!in.empty() &&
      (EVP_CipherUpdate(enc_, out.data(), &outl, src, static_cast<int>(in.size())) != 1 ||
       static_cast<size_t>(outl) != in.size())) {
    return CryptoStatus::fail(CryptoErrc::openssl_failure, kWhere);
  }
  int finl = 0;
  if (EVP_CipherFinal_ex(enc_, out.data() + in.size(), &finl) != 1 || finl != 0 ||
      !get_tag(enc_, tag.data(), tag_size_)) {
    return CryptoStatus::fail(CryptoErrc::openssl_failure, kWhere);
  }
  return CryptoStatus::success();
}

CryptoStatus AesGcm::decrypt(ByteView iv, AadParts aad, ByteView in, MutableBytes out,
                             ByteView tag) {
  constexpr const char* kWhere = "AES-GCM decrypt";
  if (out.size() < in.size()) return CryptoStatus::fail(CryptoErrc::buffer_too_small, kWhere);
  if (tag.size() != tag_size_) return CryptoStatus::fail(CryptoErrc::invalid_tag_length, kWhere);
  if (in.size() > kMaxUpdate) return CryptoStatus::fail(CryptoErrc::invalid_length, kWhere);
  const uint8_t* src = in.data();
  if (src != out.data() && ranges_overlap(src, in.size(), out.data(), in.size())) {
    std::memmove(out.data(), src, in.size());
    src = out.data();
  }
  const bool in_place = src == out.data();
  if (mb_) return mb_decrypt(iv, aad, src, out, in.size(), tag, in_place);
  if (auto s = start(dec_, iv, kWhere); !s) return s;
  if (!set_tag(dec_, tag.data(), tag.size())) {
    return CryptoStatus::fail(CryptoErrc::openssl_failure, kWhere);
  }
  if (auto s = feed_aad(dec_, aad, kWhere); !s) return s;
  int outl = 0;
  if (!in.empty() &&
      (EVP_CipherUpdate(dec_, out.data(), &outl, src, static_cast<int>(in.size())) != 1 ||
       static_cast<size_t>(outl) != in.size())) {
    return CryptoStatus::fail(CryptoErrc::openssl_failure, kWhere);
  }
  int finl = 0;
  // The tag comparison inside EVP_DecryptFinal_ex is constant time (CRYPTO_memcmp).
  if (EVP_CipherFinal_ex(dec_, out.data() + in.size(), &finl) == 1) return CryptoStatus::success();

  // Tag mismatch: no unauthenticated plaintext may remain (RFC 4303 §3.4.4.1, ICV-004).
  if (in_place && !in.empty()) {
    // GCM decryption is the CTR keystream XOR, so running the encryptor with the same nonce
    // over the output restores the original ciphertext exactly.
    if (start(enc_, iv, kWhere).ok() &&
        EVP_CipherUpdate(enc_, out.data(), &outl, out.data(), static_cast<int>(in.size())) == 1) {
      return CryptoStatus::fail(CryptoErrc::authentication_failed, "AES-GCM decrypt: tag mismatch");
    }
    OPENSSL_cleanse(out.data(), in.size());
    return CryptoStatus::fail(CryptoErrc::openssl_failure, "AES-GCM decrypt: restoring the ciphertext failed");
  }
  if (!in.empty()) OPENSSL_cleanse(out.data(), in.size());
  return CryptoStatus::fail(CryptoErrc::authentication_failed, "AES-GCM decrypt: tag mismatch");
}

CryptoStatus AesGcm::mb_decrypt(ByteView iv, AadParts aad, const uint8_t* src, MutableBytes out,
                                size_t len, ByteView tag, bool in_place) {
  constexpr const char* kWhere = "AES-GCM decrypt";
  if (iv.size() != kGcmExplicitIvSize) return CryptoStatus::fail(CryptoErrc::invalid_iv_length, kWhere);
  uint8_t nonce[kGcmNonceSize];
  nonce_of(iv, nonce);
  uint8_t computed[kGcmMaxTagSize];
  if (auto s = mb_->decrypt(nonce, aad, src, out.data(), len, computed, tag_size_); !s) return s;
  if (CRYPTO_memcmp(computed, tag.data(), tag_size_) == 0) return CryptoStatus::success();
  // Tag mismatch: no unauthenticated plaintext may remain (RFC 4303 §3.4.4.1, ICV-004). In place,
  // encrypting again under the same nonce is the same CTR XOR and gives the ciphertext back.
  if (len != 0) {
    if (in_place) {
      if (!mb_->encrypt(nonce, aad, out.data(), out.data(), len, computed, tag_size_).ok()) {
        OPENSSL_cleanse(out.data(), len);
        return CryptoStatus::fail(CryptoErrc::openssl_failure, "AES-GCM decrypt: restoring the ciphertext failed");
      }
    } else {
      OPENSSL_cleanse(out.data(), len);
    }
  }
  return CryptoStatus::fail(CryptoErrc::authentication_failed, "AES-GCM decrypt: tag mismatch");
}

CryptoStatus AesGcm::seal_in_place(const uint8_t* iv, const uint8_t* aad, size_t aad_len, uint8_t* body,
                                   size_t len, uint8_t* tag) {
  if (mb_) {
    uint8_t nonce[kGcmNonceSize];
    std::memcpy(nonce, salt_.data(), kGcmSaltSize);
    std::memcpy(nonce + kGcmSaltSize, iv, kGcmExplicitIvSize);
    mb_->seal_in_place(nonce, aad, aad_len, body, len, tag, tag_size_);
    return CryptoStatus::success();
  }
  const ByteView aad_parts[] = {ByteView(aad, aad_len)};
  return encrypt(ByteView(iv, kGcmExplicitIvSize), aad_parts, ByteView(body, len), MutableBytes(body, len),
                 MutableBytes(tag, tag_size_));
}

CryptoStatus AesGcm::open_in_place(const uint8_t* iv, const uint8_t* aad, size_t aad_len, uint8_t* body,
                                   size_t len, const uint8_t* tag) {
  if (mb_) {
    uint8_t nonce[kGcmNonceSize];
    std::memcpy(nonce, salt_.data(), kGcmSaltSize);
    std::memcpy(nonce + kGcmSaltSize, iv, kGcmExplicitIvSize);
    if (mb_->open_in_place(nonce, aad, aad_len, body, len, tag, tag_size_)) return CryptoStatus::success();
    return CryptoStatus::fail(CryptoErrc::authentication_failed, "AES-GCM decrypt: tag mismatch");
  }
  const ByteView aad_parts[] = {ByteView(aad, aad_len)};
  return decrypt(ByteView(iv, kGcmExplicitIvSize), aad_parts, ByteView(body, len), MutableBytes(body, len),
                 ByteView(tag, tag_size_));
}

CryptoStatus AesGcm::gmac(ByteView iv, AadParts aad, MutableBytes tag) {
  if (auto s = gmac_begin(iv); !s) return s;
  for (const ByteView& part : aad) {
    if (auto s = gmac_update(part); !s) return s;
  }
  return gmac_finish(tag);
}

CryptoStatus AesGcm::gmac_verify(ByteView iv, AadParts aad, ByteView tag) {
  if (auto s = gmac_begin(iv); !s) return s;
  for (const ByteView& part : aad) {
    if (auto s = gmac_update(part); !s) return s;
  }
  return gmac_finish_verify(tag);
}

CryptoStatus AesGcm::gmac_begin(ByteView iv) {
  if (mb_) {
    if (iv.size() != kGcmExplicitIvSize) return CryptoStatus::fail(CryptoErrc::invalid_iv_length, "AES-GMAC begin");
    uint8_t nonce[kGcmNonceSize];
    nonce_of(iv, nonce);
    mb_->gmac_begin(nonce);
    return CryptoStatus::success();
  }
  return start(enc_, iv, "AES-GMAC begin");
}

CryptoStatus AesGcm::gmac_update(ByteView aad) {
  if (mb_) {
    mb_->gmac_update(aad);
    return CryptoStatus::success();
  }
  const ByteView parts[] = {aad};
  return feed_aad(enc_, parts, "AES-GMAC update");
}

CryptoStatus AesGcm::gmac_finish(MutableBytes tag) {
  constexpr const char* kWhere = "AES-GMAC finish";
  if (tag.size() < tag_size_) return CryptoStatus::fail(CryptoErrc::buffer_too_small, kWhere);
  if (mb_) {
    mb_->gmac_finish(tag.data(), tag_size_);
    return CryptoStatus::success();
  }
  uint8_t none[16];
  int finl = 0;
  if (EVP_CipherFinal_ex(enc_, none, &finl) != 1 || !get_tag(enc_, tag.data(), tag_size_)) {
    return CryptoStatus::fail(CryptoErrc::openssl_failure, kWhere);
  }
  return CryptoStatus::success();
}

CryptoStatus AesGcm::gmac_finish_verify(ByteView tag) {
  if (tag.size() != tag_size_) {
    return CryptoStatus::fail(CryptoErrc::invalid_tag_length, "AES-GMAC verify");
  }
  uint8_t computed[kGcmMaxTagSize];
  if (auto s = gmac_finish({computed, tag_size_}); !s) return s;
  const bool match = CRYPTO_memcmp(computed, tag.data(), tag_size_) == 0;
  OPENSSL_cleanse(computed, sizeof(computed));
  return match ? CryptoStatus::success()
               : CryptoStatus::fail(CryptoErrc::authentication_failed, "AES-GMAC verify: tag mismatch");
}

}  // namespace cts::crypto
