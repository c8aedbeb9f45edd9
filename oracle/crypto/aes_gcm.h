// AES-GCM (RFC 4106) and AES-GMAC (RFC 4543) for ESP and AH.
//
// Keyed once with the AES key and the 4-octet salt (RFC 4106 §4, §8.1; RFC 4543 §3.2, §5.4): one
// encrypt and one decrypt EVP_CIPHER_CTX per SA, the 12-octet IV length fixed at keying time. Per
// packet the caller gives only the 8-octet explicit IV; the adapter forms nonce = salt ‖ IV on the
// stack and sets it with EVP_CipherInit_ex(ctx, NULL, NULL, NULL, nonce, -1).
//
// AAD is a sequence of spans (ESP: SPI ‖ [Seq_high ‖] Seq_low; GMAC: the whole packet up to the
// ICV; AH: the IP header with zeroed mutable fields, the AH header, ...), so callers never copy.
//
// Backend (crypto_backend.h): keyed from an ipsec-mb library the work goes to MbGcm (libipsec-mb's
// direct API) and no EVP context exists; the contract below is the same for both, byte for byte.
//
// Tag check: decrypt/verify compare in constant time (OpenSSL's GCM final uses CRYPTO_memcmp;
// GMAC verification here uses CRYPTO_memcmp). On a tag mismatch no unauthenticated plaintext is
// left behind: an in-place decrypt restores the ciphertext, an out-of-place decrypt wipes `out`.
#pragma once

#include <array>
#include <cstddef>
#include <initializer_list>
#include <memory>
#include <span>

#include "oracle/crypto/bytes.h"
#include "oracle/crypto/crypto_library.h"
#include "oracle/crypto/crypto_status.h"
#include "oracle/crypto/mb_gcm.h"

namespace cts::crypto {

inline constexpr size_t kGcmSaltSize = 4;
inline constexpr size_t kGcmExplicitIvSize = 8;
inline constexpr size_t kGcmNonceSize = 12;
inline constexpr size_t kGcmMaxTagSize = 16;

using AadParts = std::span<const ByteView>;

class AesGcm {
 public:
  // aes_key: 16, 24 or 32 octets; salt: 4 octets; tag_size: 8, 12 or 16 (RFC 4106 §6; GMAC
  // requires 16, RFC 4543 §3.4, enforced by the ESP layer). Errors: invalid_key_length,
  // invalid_tag_length, openssl_failure.
  static CryptoStatus create(const CryptoLibrary& lib, ByteView aes_key, ByteView salt,
                             size_t tag_size, std::unique_ptr<AesGcm>& out);
  ~AesGcm();
  AesGcm(const AesGcm&) = delete;
  AesGcm& operator=(const AesGcm&) = delete;

  size_t tag_size() const { return tag_size_; }
  size_t key_size() const { return key_size_; }

  // GCM seal: ciphertext (same length as `in`) to `out`, tag (tag_size() octets) to `tag`.
  // `in` and `out` may be the same buffer or overlap. Errors: invalid_iv_length,
  // buffer_too_small, openssl_failure.
  CryptoStatus encrypt(ByteView iv, AadParts aad, ByteView in, MutableBytes out,
                       MutableBytes tag);
  // GCM open: plaintext to `out` only if the tag verifies; else authentication_failed and `out`
  // holds the ciphertext again (in place) or zeros (out of place).
  CryptoStatus decrypt(ByteView iv, AadParts aad, ByteView in, MutableBytes out, ByteView tag);

  // ESP's shape, the datapath's per-packet calls: `iv` is the 8-octet explicit IV, the AAD one
  // contiguous run, the body encrypted or decrypted in place, the tag tag_size() octets. Same
  // bytes and the same contract as encrypt/decrypt above (on a tag mismatch the body is left as
  // it came); on the ipsec-mb backend one library call each, nothing joined or copied.
  CryptoStatus seal_in_place(const uint8_t* iv, const uint8_t* aad, size_t aad_len, uint8_t* body,
                             size_t len, uint8_t* tag);
  CryptoStatus open_in_place(const uint8_t* iv, const uint8_t* aad, size_t aad_len, uint8_t* body,
                             size_t len, const uint8_t* tag);

  // GMAC (GCM with empty plaintext, everything is AAD): tag of tag_size() octets.
  CryptoStatus gmac(ByteView iv, AadParts aad, MutableBytes tag);
  // GMAC check: authentication_failed on mismatch (CRYPTO_memcmp over tag.size() octets, which
  // must equal tag_size()).
  CryptoStatus gmac_verify(ByteView iv, AadParts aad, ByteView tag);

  // Streaming GMAC for callers that produce the AAD piece by piece (AH over an IP header with
  // zeroed mutable fields): begin, any number of updates, then finish or finish_verify.
  CryptoStatus gmac_begin(ByteView iv);
  CryptoStatus gmac_update(ByteView aad);
  CryptoStatus gmac_finish(MutableBytes tag);
  CryptoStatus gmac_finish_verify(ByteView tag);

 private:
  AesGcm() = default;
  CryptoStatus start(EVP_CIPHER_CTX* ctx, ByteView iv, const char* where);
  CryptoStatus feed_aad(EVP_CIPHER_CTX* ctx, AadParts aad, const char* where);
  void nonce_of(ByteView iv, uint8_t (&nonce)[kGcmNonceSize]) const;
  CryptoStatus mb_decrypt(ByteView iv, AadParts aad, const uint8_t* src, MutableBytes out,
                          size_t len, ByteView tag, bool in_place);

  size_t tag_size_ = 16;
  size_t key_size_ = 16;
  std::array<uint8_t, kGcmSaltSize> salt_{};
  EVP_CIPHER_CTX* enc_ = nullptr;
  EVP_CIPHER_CTX* dec_ = nullptr;
  std::unique_ptr<MbGcm> mb_;  // set instead of the EVP contexts on the ipsec-mb backend
};

}  // namespace cts::crypto
