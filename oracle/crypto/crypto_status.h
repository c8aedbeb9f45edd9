// Errors as values for the crypto adapters. A status carries a class and a static context string
// naming the step that failed ("AES-GCM decrypt: tag mismatch"), so no allocation is needed on the
// hot path and every failure can still be reported in words.
#pragma once

#include <cstdint>
#include <string_view>

namespace cts::crypto {

enum class CryptoErrc : uint8_t {
  ok = 0,
  invalid_key_length,     // key size not allowed for the algorithm (e.g. HMAC-SHA-256 in ESP != 32)
  invalid_iv_length,      // IV / nonce of the wrong size
  invalid_tag_length,     // ICV / tag size not allowed (GCM: 8, 12, 16; GMAC: 16)
  invalid_length,         // data length not allowed (CBC: not a whole number of blocks)
  buffer_too_small,       // output span shorter than the result
  algorithm_unavailable,  // the provider does not offer it (DES without the legacy provider)
  openssl_failure,        // an EVP call failed unexpectedly (context names the call)
  authentication_failed,  // tag / ICV mismatch (compared in constant time)
};

// Printable name of the class: "ok", "invalid_key_length", ... (never empty).
std::string_view crypto_errc_name(CryptoErrc code);

struct CryptoStatus {
  CryptoErrc code = CryptoErrc::ok;
  const char* context = "";  // static string: which adapter and step; never freed

  constexpr bool ok() const { return code == CryptoErrc::ok; }
  constexpr explicit operator bool() const { return ok(); }

  static constexpr CryptoStatus success() { return {}; }
  static constexpr CryptoStatus fail(CryptoErrc c, const char* where) { return {c, where}; }
};

}  // namespace cts::crypto
