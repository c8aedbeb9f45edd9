// `--crypto-backend openssl|ipsec-mb` of `run` and `vectors verify`: which engine does the ESP
// datapath's symmetric crypto in this process (oracle/crypto/crypto_backend.h). Without the flag
// the environment variable CTS_CRYPTO_BACKEND decides, else the fastest backend usable. OpenSSL
// stays the reference; both give the same bytes.
#pragma once

#include <string>

#include <CLI/CLI.hpp>

namespace cts::cli {

// Adds the option to `cmd`, storing the name given in `backend`.
void add_crypto_backend_option(CLI::App* cmd, std::string& backend);

// Applies the name stored by the option before any crypto is used: an empty name changes nothing.
// Returns an empty string, or why the backend cannot be used ("--crypto-backend: ...").
// Processes started from here (cmd: agents) inherit the choice through CTS_CRYPTO_BACKEND.
std::string apply_crypto_backend(const std::string& backend);

}  // namespace cts::cli
