// Helpers shared by the oracle/esp tests (header only, never part of the library): the crypto
// library, deterministic SA configurations for any suite, hex conversion.
#pragma once

#include <gtest/gtest.h>

#include <cstdint>
#include <cstdlib>
#include <memory>
#include <string>
#include <vector>

#include "oracle/crypto/bytes.h"
#include "oracle/crypto/crypto_library.h"
#include "oracle/crypto/random_source.h"
#include "oracle/esp/esp_sa.h"

namespace cts::esp::testing {

inline const crypto::CryptoLibrary& library() {
  const crypto::CryptoLibrary* lib = crypto::CryptoLibrary::shared();
  if (lib == nullptr) {
    ADD_FAILURE() << "OpenSSL library context unavailable: "
                  << crypto::CryptoLibrary::shared_status().context;
    std::abort();
  }
  return *lib;
}

inline std::vector<uint8_t> hex(const std::string& s) {
  std::vector<uint8_t> out;
  EXPECT_TRUE(crypto::from_hex(s, out)) << "bad hex: " << s;
  return out;
}

inline std::unique_ptr<crypto::SeededRandomSource> seeded(uint64_t seed) {
  std::unique_ptr<crypto::SeededRandomSource> r;
  EXPECT_TRUE(crypto::SeededRandomSource::create(library(), seed, r).ok());
  return r;
}

// A valid configuration for `suite` with key octets derived from `key_seed` (distinct seeds give
// distinct keys). 3DES keys keep their three parts distinct.
inline EspSaConfig make_config(const EspSuite& suite, uint32_t spi = 0x12345678, bool esn = false,
                               uint8_t key_seed = 1) {
  EspSaConfig c;
  c.spi = spi;
  c.suite = suite;
  c.esn = esn;
  size_t enc = cipher_key_size(suite.encryption) + (is_combined(suite.encryption) ? 4 : 0);
  std::vector<uint8_t> k(enc), a(integrity_key_size(suite.integrity));
  for (size_t i = 0; i < k.size(); ++i) k[i] = static_cast<uint8_t>(key_seed * 31 + i * 7 + 3);
  for (size_t i = 0; i < a.size(); ++i) a[i] = static_cast<uint8_t>(key_seed * 17 + i * 5 + 11);
  c.encryption_key.assign(k);
  c.integrity_key.assign(a);
  c.anti_replay = has_integrity(suite);
  return c;
}

}  // namespace cts::esp::testing
