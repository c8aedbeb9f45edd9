// Which engine does the symmetric crypto of the ESP datapath.
//
// openssl  : OpenSSL 3 EVP, the reference. Always built; every algorithm the oracle knows.
// ipsec_mb : Intel's multi-buffer crypto for IPsec (libipsec-mb, the library DPDK's IPsec
//            datapath uses), built in when CMake finds it (CTS_HAVE_IPSEC_MB). It carries AES-GCM
//            and AES-GMAC (direct API) and AES-CBC with HMAC-MD5/SHA1/SHA2 (job API); every other
//            algorithm (DES, 3DES) and every primitive outside the ESP datapath stays on OpenSSL.
//
// The backend is a property of the CryptoLibrary an adapter is keyed with, so a test or a caller
// picks it by creating a library for it; the process-wide library takes the fastest one built
// in unless the environment variable CTS_CRYPTO_BACKEND names another ("openssl", "ipsec-mb").
// Both backends produce identical bytes for identical inputs (tested against each other and
// against the published vectors).
#pragma once

#include <cstdint>
#include <optional>
#include <string_view>

namespace cts::crypto {

enum class CryptoBackend : uint8_t { openssl, ipsec_mb };

std::string_view crypto_backend_name(CryptoBackend b);  // "openssl", "ipsec-mb"
std::optional<CryptoBackend> parse_crypto_backend(std::string_view name);

// True when this build links libipsec-mb.
bool ipsec_mb_built_in();
// True when it is built in and this CPU runs it (AES-NI and PCLMULQDQ present).
bool ipsec_mb_usable();

// ipsec_mb when usable, else openssl.
CryptoBackend fastest_crypto_backend();

inline constexpr const char* kCryptoBackendEnv = "CTS_CRYPTO_BACKEND";

}  // namespace cts::crypto
