// HMAC integrity for ESP and AH: HMAC-MD5-96 (RFC 2403), HMAC-SHA1-96 (RFC 2404),
// HMAC-SHA-256-128 / -384-192 / -512-256 (RFC 4868).
//
// Keyed once: an EVP_MAC_CTX ("HMAC", digest fetched once) is keyed when the SA is installed; per
// packet EVP_MAC_init(ctx, NULL, 0, NULL) restarts it from the stored key pads without any
// parameter lookup. The input is any sequence of spans (ESP: SPI..end of trailer, then the ESN
// high word; AH: IP header with zeroed mutable fields, AH header with zeroed ICV, payload), fed
// through update(). The ICV is the leftmost octets of the full HMAC (RFC 2104 §5) and is compared
// in constant time (CRYPTO_memcmp).
#pragma once

#include <cstddef>
#include <memory>
#include <span>
#include <string_view>

#include "oracle/crypto/bytes.h"
#include "oracle/crypto/crypto_library.h"
#include "oracle/crypto/crypto_status.h"

namespace cts::crypto {

enum class HmacAlgorithm : uint8_t { md5, sha1, sha256, sha384, sha512 };

std::string_view hmac_algorithm_name(HmacAlgorithm alg);  // "HMAC-MD5-96", "HMAC-SHA-256-128"...
size_t hmac_full_size(HmacAlgorithm alg);                 // digest size: 16, 20, 32, 48, 64
size_t hmac_ipsec_icv_size(HmacAlgorithm alg);            // IPsec truncation: 12, 12, 16, 24, 32
size_t hmac_ipsec_key_size(HmacAlgorithm alg);            // IPsec key size: 16, 20, 32, 48, 64

class Hmac {
 public:
  // Any non-empty key length is accepted here (RFC 2202/4231 vectors use other lengths); the
  // ESP/AH SA layer enforces the exact IPsec key sizes (RFC 4868 §2.1.1). icv_size: 1..full size.
  // Errors: invalid_key_length (empty key), invalid_tag_length, openssl_failure.
  static CryptoStatus create(const CryptoLibrary& lib, HmacAlgorithm alg, ByteView key,
                             size_t icv_size, std::unique_ptr<Hmac>& out);
  ~Hmac();
  Hmac(const Hmac&) = delete;
  Hmac& operator=(const Hmac&) = delete;

  HmacAlgorithm algorithm() const { return alg_; }
  size_t icv_size() const { return icv_size_; }
  size_t full_size() const { return full_size_; }

  // Streaming: begin(), update() any number of times, then finish() or finish_verify().
  CryptoStatus begin();
  CryptoStatus update(ByteView data);
  // Writes out.size() leading octets of the HMAC; 1 <= out.size() <= full_size().
  CryptoStatus finish(MutableBytes out);
  // Compares the leading icv.size() octets (1..full_size()) in constant time;
  // authentication_failed on mismatch.
  CryptoStatus finish_verify(ByteView icv);

  // One-shot helpers over a sequence of spans; icv/out size as for finish/finish_verify.
  CryptoStatus compute(std::span<const ByteView> parts, MutableBytes out);
  CryptoStatus verify(std::span<const ByteView> parts, ByteView icv);

 private:
  Hmac() = default;
  CryptoStatus finish_full(uint8_t* full, const char* where);

  HmacAlgorithm alg_ = HmacAlgorithm::sha256;
  size_t icv_size_ = 16;
  size_t full_size_ = 32;
  EVP_MAC_CTX* ctx_ = nullptr;
};

}  // namespace cts::crypto
