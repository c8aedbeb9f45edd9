// One OpenSSL 3 library context for the oracle, with every algorithm fetched exactly once.
//
// Why a private OSSL_LIB_CTX: DES-CBC lives in OpenSSL 3's legacy provider, which must be loaded
// explicitly (OSSL_PROVIDER_load). Loading it into a private context keeps the process default
// context (used by anything else linked in) unchanged. Why fetch once: an implicit fetch
// ("EVP_aes_128_gcm()" or EVP_CIPHER_fetch per packet) costs a provider lookup on every use; the
// adapters take the pre-fetched EVP_CIPHER / EVP_MAC / EVP_MD from here when they are keyed, so
// the per-packet path only sets an IV and runs.
#pragma once

#include <openssl/types.h>

#include <cstdint>
#include <memory>
#include <string_view>

#include "oracle/crypto/crypto_backend.h"
#include "oracle/crypto/crypto_status.h"

namespace cts::crypto {

enum class CipherId : uint8_t {
  aes_128_cbc,
  aes_192_cbc,
  aes_256_cbc,
  aes_128_gcm,
  aes_192_gcm,
  aes_256_gcm,
  des_cbc,       // legacy provider (RFC 2405; NDIS ENCRYPTION_DES_CBC)
  des_ede3_cbc,  // 3DES-CBC (RFC 2451; NDIS ENCRYPTION_3_DES_CBC)
  aes_256_ctr,   // keystream of the seeded random source
};
inline constexpr int kCipherIdCount = 9;

enum class DigestId : uint8_t { md5, sha1, sha256, sha384, sha512 };
inline constexpr int kDigestIdCount = 5;

std::string_view cipher_id_name(CipherId id);  // OpenSSL fetch name, e.g. "AES-128-GCM"
std::string_view digest_id_name(DigestId id);  // "MD5", "SHA1", "SHA2-256", ...

class CryptoLibrary {
 public:
  // Builds a private library context with the default provider and (best effort) the legacy
  // provider, then fetches every CipherId, DigestId and the HMAC EVP_MAC. Fails only if the
  // default provider or a non-legacy algorithm is missing; a missing legacy provider is recorded
  // (legacy_available() == false) and reported when a DES adapter is requested.
  static CryptoStatus create(std::unique_ptr<CryptoLibrary>& out);
  // The same, with the ESP datapath on `backend` (crypto_backend.h). Errors as above, plus
  // algorithm_unavailable when ipsec_mb is asked for and not usable (the context says why).
  static CryptoStatus create(std::unique_ptr<CryptoLibrary>& out, CryptoBackend backend);

  // The process-wide instance (created on first use, thread-safe, never destroyed before exit), on
  // the backend CTS_CRYPTO_BACKEND names, else the fastest one usable. Returns nullptr only when
  // create() failed or the variable names no backend; shared_status() says why.
  static CryptoLibrary* shared();
  static CryptoStatus shared_status();
  // Chooses the backend of the process-wide instance before its first use (a command-line flag
  // outranks CTS_CRYPTO_BACKEND). Fails, saying why, when `backend` is not usable on this build
  // or CPU, or when the instance already exists on another backend.
  static CryptoStatus choose_shared_backend(CryptoBackend backend);

  ~CryptoLibrary();
  CryptoLibrary(const CryptoLibrary&) = delete;
  CryptoLibrary& operator=(const CryptoLibrary&) = delete;

  OSSL_LIB_CTX* context() const { return libctx_; }
  bool legacy_available() const { return legacy_ != nullptr; }
  CryptoBackend backend() const { return backend_; }

  // Pre-fetched algorithms; nullptr when unavailable (des_cbc without the legacy provider).
  const EVP_CIPHER* cipher(CipherId id) const { return ciphers_[static_cast<int>(id)]; }
  const EVP_MD* digest(DigestId id) const { return digests_[static_cast<int>(id)]; }
  EVP_MAC* hmac() const { return hmac_; }

 private:
  CryptoLibrary() = default;

  OSSL_LIB_CTX* libctx_ = nullptr;
  OSSL_PROVIDER* default_ = nullptr;
  OSSL_PROVIDER* legacy_ = nullptr;
  EVP_CIPHER* ciphers_[kCipherIdCount] = {};
  EVP_MD* digests_[kDigestIdCount] = {};
  EVP_MAC* hmac_ = nullptr;
  CryptoBackend backend_ = CryptoBackend::openssl;
};

}  // namespace cts::crypto
