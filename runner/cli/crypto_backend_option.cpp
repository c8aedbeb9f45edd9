#include "runner/cli/crypto_backend_option.h"

#include <cstdlib>

#include "oracle/crypto/crypto_backend.h"
#include "oracle/crypto/crypto_library.h"

namespace cts::cli {

void add_crypto_backend_option(CLI::App* cmd, std::string& backend) {
  cmd->add_option("--crypto-backend", backend,
                  "ESP datapath crypto: openssl (the reference) or ipsec-mb (Intel's multi-buffer "
                  "library, where built in); default: CTS_CRYPTO_BACKEND, else the fastest usable")
      ->check(CLI::IsMember({"openssl", "ipsec-mb"}));
}

std::string apply_crypto_backend(const std::string& backend) {
  if (backend.empty()) return "";
  const auto named = crypto::parse_crypto_backend(backend);
  if (!named) return "--crypto-backend: \"" + backend + "\" names no backend (openssl, ipsec-mb)";
  const crypto::CryptoStatus st = crypto::CryptoLibrary::choose_shared_backend(*named);
  if (!st.ok()) return std::string("--crypto-backend: ") + st.context;
  ::setenv(crypto::kCryptoBackendEnv, std::string(crypto::crypto_backend_name(*named)).c_str(), 1);
  return "";
}

}  // namespace cts::cli
