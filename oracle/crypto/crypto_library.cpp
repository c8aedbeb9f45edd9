#include "oracle/crypto/crypto_library.h"

#include <openssl/evp.h>
#include <openssl/provider.h>

#include <atomic>
#include <cstdlib>
#include <string>

namespace cts::crypto {

std::string_view cipher_id_name(CipherId id) {
  switch (id) {
    case CipherId::aes_128_cbc: return "AES-128-CBC";
    case CipherId::aes_192_cbc: return "AES-192-CBC";
    case CipherId::aes_256_cbc: return "AES-256-CBC";
    case CipherId::aes_128_gcm: return "AES-128-GCM";
    case CipherId::aes_192_gcm: return "AES-192-GCM";
    case CipherId::aes_256_gcm: return "AES-256-GCM";
    case CipherId::des_cbc: return "DES-CBC";
    case CipherId::des_ede3_cbc: return "DES-EDE3-CBC";
    case CipherId::aes_256_ctr: return "AES-256-CTR";
  }
  return "";
}

std::string_view digest_id_name(DigestId id) {
  switch (id) {
    case DigestId::md5: return "MD5";
    case DigestId::sha1: return "SHA1";
    case DigestId::sha256: return "SHA2-256";
    case DigestId::sha384: return "SHA2-384";
    case DigestId::sha512: return "SHA2-512";
  }
  return "";
}

CryptoStatus CryptoLibrary::create(std::unique_ptr<CryptoLibrary>& out) {
  return create(out, CryptoBackend::openssl);
}

CryptoStatus CryptoLibrary::create(std::unique_ptr<CryptoLibrary>& out, CryptoBackend backend) {
  if (backend == CryptoBackend::ipsec_mb && !ipsec_mb_usable()) {
    return CryptoStatus::fail(CryptoErrc::algorithm_unavailable,
                              ipsec_mb_built_in()
                                  ? "ipsec-mb backend: this CPU lacks AES-NI or PCLMULQDQ"
                                  : "ipsec-mb backend: not built in (libipsec-mb-dev was absent at build time)");
  }
  std::unique_ptr<CryptoLibrary> lib(new CryptoLibrary());
  lib->backend_ = backend;
  lib->libctx_ = OSSL_LIB_CTX_new();
  if (lib->libctx_ == nullptr) {
    return CryptoStatus::fail(CryptoErrc::openssl_failure, "OSSL_LIB_CTX_new failed");
  }
  lib->default_ = OSSL_PROVIDER_load(lib->libctx_, "default");
  if (lib->default_ == nullptr) {
    return CryptoStatus::fail(CryptoErrc::algorithm_unavailable,
                              "OpenSSL default provider could not be loaded");
  }
  // DES-CBC is only in the legacy provider (OpenSSL 3). Best effort: without it every other
  // algorithm still works and a DES SA fails with a clear message.
  lib->legacy_ = OSSL_PROVIDER_load(lib->libctx_, "legacy");

  for (int i = 0; i < kCipherIdCount; ++i) {
    const auto id = static_cast<CipherId>(i);
    const std::string name(cipher_id_name(id));
    lib->ciphers_[i] = EVP_CIPHER_fetch(lib->libctx_, name.c_str(), nullptr);
    if (lib->ciphers_[i] == nullptr && id != CipherId::des_cbc) {
      return CryptoStatus::fail(CryptoErrc::algorithm_unavailable,
                                "EVP_CIPHER_fetch failed for a default-provider cipher");
    }
  }
  for (int i = 0; i < kDigestIdCount; ++i) {
    const std::string name(digest_id_name(static_cast<DigestId>(i)));
    lib->digests_[i] = EVP_MD_fetch(lib->libctx_, name.c_str(), nullptr);
    if (lib->digests_[i] == nullptr) {
      return CryptoStatus::fail(CryptoErrc::algorithm_unavailable, "EVP_MD_fetch failed");
    }
  }
  lib->hmac_ = EVP_MAC_fetch(lib->libctx_, "HMAC", nullptr);
  if (lib->hmac_ == nullptr) {
    return CryptoStatus::fail(CryptoErrc::algorithm_unavailable, "EVP_MAC_fetch(HMAC) failed");
  }
  out = std::move(lib);
  return CryptoStatus::success();
}

CryptoLibrary::~CryptoLibrary() {
  EVP_MAC_free(hmac_);
  for (auto* md : digests_) EVP_MD_free(md);
  for (auto* c : ciphers_) EVP_CIPHER_free(c);
  if (legacy_ != nullptr) OSSL_PROVIDER_unload(legacy_);
  if (default_ != nullptr) OSSL_PROVIDER_unload(default_);
  OSSL_LIB_CTX_free(libctx_);
}

namespace {
struct SharedLibrary {
  std::unique_ptr<CryptoLibrary> lib;
  CryptoStatus status;
};
// The backend choose_shared_backend() named, if any: read once, when the instance is created.
std::atomic<int> g_chosen_backend{-1};
std::atomic<bool> g_shared_created{false};

SharedLibrary& shared_library() {
  // Intentionally leaked: adapters may be destroyed during static destruction.
  static SharedLibrary* s = [] {
    auto* p = new SharedLibrary();
    g_shared_created = true;
    CryptoBackend backend = fastest_crypto_backend();
    if (const int chosen = g_chosen_backend.load(); chosen >= 0) {
      backend = static_cast<CryptoBackend>(chosen);
    } else if (const char* env = std::getenv(kCryptoBackendEnv); env != nullptr && *env != '\0') {
      const auto named = parse_crypto_backend(env);
      if (!named) {
        p->status = CryptoStatus::fail(CryptoErrc::algorithm_unavailable,
                                       "CTS_CRYPTO_BACKEND names no backend (openssl, ipsec-mb)");
        return p;
      }
      backend = *named;
    }
    p->status = CryptoLibrary::create(p->lib, backend);
    return p;
  }();
  return *s;
}
}  // namespace

CryptoLibrary* CryptoLibrary::shared() { return shared_library().lib.get(); }

CryptoStatus CryptoLibrary::choose_shared_backend(CryptoBackend backend) {
  if (backend == CryptoBackend::ipsec_mb && !ipsec_mb_usable())
    return CryptoStatus::fail(CryptoErrc::algorithm_unavailable,
                              ipsec_mb_built_in() ? "ipsec-mb: this CPU cannot run libipsec-mb (AES-NI and PCLMULQDQ needed)"
                                                  : "ipsec-mb: this build has no libipsec-mb (libipsec-mb-dev was absent)");
  if (g_shared_created.load()) {
    const CryptoLibrary* lib = shared();
    if (lib == nullptr || lib->backend() != backend)
      return CryptoStatus::fail(CryptoErrc::algorithm_unavailable,
                                "the crypto library is already in use on another backend");
    return CryptoStatus::success();
  }
  g_chosen_backend = static_cast<int>(backend);
  return CryptoStatus::success();
}
CryptoStatus CryptoLibrary::shared_status() { return shared_library().status; }

}  // namespace cts::crypto
