// Test helpers for oracle/crypto (header only, tests only).
#pragma once

#include <gtest/gtest.h>

#include <cstdlib>
#include <string>
#include <vector>

#include "oracle/crypto/bytes.h"
#include "oracle/crypto/crypto_library.h"

namespace cts::crypto::testing {

inline const CryptoLibrary& lib() {
  const CryptoLibrary* l = CryptoLibrary::shared();
  if (l == nullptr) {
    ADD_FAILURE() << "OpenSSL library context unavailable: " << CryptoLibrary::shared_status().context;
    std::abort();
  }
  return *l;
}

inline std::vector<uint8_t> hex(const std::string& s) {
  std::vector<uint8_t> out;
  EXPECT_TRUE(from_hex(s, out)) << s;
  return out;
}

}  // namespace cts::crypto::testing
