#include "oracle/crypto/crypto_backend.h"

#include "oracle/crypto/mb_manager.h"

namespace cts::crypto {

std::string_view crypto_backend_name(CryptoBackend b) {
  return b == CryptoBackend::ipsec_mb ? "ipsec-mb" : "openssl";
}

std::optional<CryptoBackend> parse_crypto_backend(std::string_view name) {
  if (name == "openssl") return CryptoBackend::openssl;
  if (name == "ipsec-mb" || name == "ipsec_mb") return CryptoBackend::ipsec_mb;
  return std::nullopt;
}

bool ipsec_mb_built_in() {
#ifdef CTS_HAVE_IPSEC_MB
  return true;
#else
  return false;
#endif
}

bool ipsec_mb_usable() { return mb_direct_manager() != nullptr; }

CryptoBackend fastest_crypto_backend() {
  return ipsec_mb_usable() ? CryptoBackend::ipsec_mb : CryptoBackend::openssl;
}

}  // namespace cts::crypto
