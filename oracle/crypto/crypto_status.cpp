#include "oracle/crypto/crypto_status.h"

namespace cts::crypto {

std::string_view crypto_errc_name(CryptoErrc code) {
  switch (code) {
    case CryptoErrc::ok: return "ok";
    case CryptoErrc::invalid_key_length: return "invalid_key_length";
    case CryptoErrc::invalid_iv_length: return "invalid_iv_length";
    case CryptoErrc::invalid_tag_length: return "invalid_tag_length";
    case CryptoErrc::invalid_length: return "invalid_length";
    case CryptoErrc::buffer_too_small: return "buffer_too_small";
    case CryptoErrc::algorithm_unavailable: return "algorithm_unavailable";
    case CryptoErrc::openssl_failure: return "openssl_failure";
    case CryptoErrc::authentication_failed: return "authentication_failed";
  }
  return "unknown";
}

}  // namespace cts::crypto
