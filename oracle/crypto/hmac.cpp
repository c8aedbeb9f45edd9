#include "oracle/crypto/hmac.h"

#include <openssl/core_names.h>
#include <openssl/crypto.h>
#include <openssl/evp.h>
#include <openssl/params.h>

#include <string>

namespace cts::crypto {

std::string_view hmac_algorithm_name(HmacAlgorithm alg) {
  switch (alg) {
    case HmacAlgorithm::md5: return "HMAC-MD5-96";
    case HmacAlgorithm::sha1: return "HMAC-SHA1-96";
    case HmacAlgorithm::sha256: return "HMAC-SHA-256-128";
    case HmacAlgorithm::sha384: return "HMAC-SHA-384-192";
    case HmacAlgorithm::sha512: return "HMAC-SHA-512-256";
  }
  return "";
}

size_t hmac_full_size(HmacAlgorithm alg) {
  switch (alg) {
    case HmacAlgorithm::md5: return 16;
    case HmacAlgorithm::sha1: return 20;
    case HmacAlgorithm::sha256: return 32;
    case HmacAlgorithm::sha384: return 48;
    case HmacAlgorithm::sha512: return 64;
  }
  return 0;
}

// RFC 2403 §2, RFC 2404 §2: 96 bits; RFC 4868 §2.3: half the digest.
size_t hmac_ipsec_icv_size(HmacAlgorithm alg) {
  switch (alg) {
    case HmacAlgorithm::md5:
    case HmacAlgorithm::sha1: return 12;
    default: return hmac_full_size(alg) / 2;
  }
}

// RFC 2403 §3 (128 bits), RFC 2404 §3 (160 bits), RFC 4868 §2.1.1 (= digest size).
size_t hmac_ipsec_key_size(HmacAlgorithm alg) { return hmac_full_size(alg); }

namespace {
DigestId digest_of(HmacAlgorithm alg) {
  switch (alg) {
    case HmacAlgorithm::md5: return DigestId::md5;
    case HmacAlgorithm::sha1: return DigestId::sha1;
    case HmacAlgorithm::sha256: return DigestId::sha256;
    case HmacAlgorithm::sha384: return DigestId::sha384;
    case HmacAlgorithm::sha512: return DigestId::sha512;
  }
  return DigestId::sha256;
}
constexpr size_t kMaxDigest = 64;
}  // namespace

CryptoStatus Hmac::create(const CryptoLibrary& lib, HmacAlgorithm alg, ByteView key,
                          size_t icv_size, std::unique_ptr<Hmac>& out) {
  if (key.empty()) return CryptoStatus::fail(CryptoErrc::invalid_key_length, "HMAC: empty key");
  const size_t full = hmac_full_size(alg);
  if (icv_size == 0 || icv_size > full) {
    return CryptoStatus::fail(CryptoErrc::invalid_tag_length, "HMAC: ICV size outside 1..digest size");
  }
  std::unique_ptr<Hmac> h(new Hmac());
  h->alg_ = alg;
  h->icv_size_ = icv_size;
  h->full_size_ = full;
  h->ctx_ = EVP_MAC_CTX_new(lib.hmac());
  if (h->ctx_ == nullptr) return CryptoStatus::fail(CryptoErrc::openssl_failure, "HMAC: EVP_MAC_CTX_new failed");
  // The digest is named once here; afterwards EVP_MAC_init(ctx, NULL, 0, NULL) reuses the keyed
  // state (the precomputed inner/outer pads), so no per-packet parameter or digest lookup.
  const std::string digest(digest_id_name(digest_of(alg)));
  OSSL_PARAM params[] = {
      OSSL_PARAM_construct_utf8_string(OSSL_MAC_PARAM_DIGEST, const_cast<char*>(digest.c_str()), 0),
      OSSL_PARAM_construct_end()};
  if (EVP_MAC_init(h->ctx_, key.data(), key.size(), params) != 1) {
    return CryptoStatus::fail(CryptoErrc::openssl_failure, "HMAC: keying EVP_MAC failed");
  }
  out = std::move(h);
  return CryptoStatus::success();
}

Hmac::~Hmac() { EVP_MAC_CTX_free(ctx_); }

CryptoStatus Hmac::begin() {
  if (EVP_MAC_init(ctx_, nullptr, 0, nullptr) != 1) {
    return CryptoStatus::fail(CryptoErrc::openssl_failure, "HMAC begin");
  }
  return CryptoStatus::success();
}

CryptoStatus Hmac::update(ByteView data) {
  if (data.empty()) return CryptoStatus::success();
  if (EVP_MAC_update(ctx_, data.data(), data.size()) != 1) {
    return CryptoStatus::fail(CryptoErrc::openssl_failure, "HMAC update");
  }
  return CryptoStatus::success();
}

CryptoStatus Hmac::finish_full(uint8_t* full, const char* where) {
  size_t outl = 0;
  if (EVP_MAC_final(ctx_, full, &outl, kMaxDigest) != 1 || outl != full_size_) {
    return CryptoStatus::fail(CryptoErrc::openssl_failure, where);
  }
  return CryptoStatus::success();
}

CryptoStatus Hmac::finish(MutableBytes out) {
  if (out.empty() || out.size() > full_size_) {
    return CryptoStatus::fail(CryptoErrc::invalid_tag_length, "HMAC finish: output size outside 1..digest size");
  }
  uint8_t full[kMaxDigest];
  if (auto s = finish_full(full, "HMAC finish"); !s) return s;
  for (size_t i = 0; i < out.size(); ++i) out[i] = full[i];  // trunc_N: leftmost octets
  OPENSSL_cleanse(full, sizeof(full));
  return CryptoStatus::success();
}

CryptoStatus Hmac::finish_verify(ByteView icv) {
  if (icv.empty() || icv.size() > full_size_) {
    return CryptoStatus::fail(CryptoErrc::invalid_tag_length, "HMAC verify: ICV size outside 1..digest size");
  }
  uint8_t full[kMaxDigest];
  if (auto s = finish_full(full, "HMAC verify"); !s) return s;
  // Constant time over the truncated value (HMAC-004).
  const bool match = CRYPTO_memcmp(full, icv.data(), icv.size()) == 0;
  OPENSSL_cleanse(full, sizeof(full));
  return match ? CryptoStatus::success()
               : CryptoStatus::fail(CryptoErrc::authentication_failed, "HMAC verify: ICV mismatch");
}

CryptoStatus Hmac::compute(std::span<const ByteView> parts, MutableBytes out) {
  if (auto s = begin(); !s) return s;
  for (const ByteView& p : parts) {
    if (auto s = update(p); !s) return s;
  }
  return finish(out);
}

CryptoStatus Hmac::verify(std::span<const ByteView> parts, ByteView icv) {
  if (auto s = begin(); !s) return s;
  for (const ByteView& p : parts) {
    if (auto s = update(p); !s) return s;
  }
  return finish_verify(icv);
}

}  // namespace cts::crypto
