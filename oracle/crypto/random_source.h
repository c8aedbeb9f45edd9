// Sources of random octets for IVs (RFC 3602 §3: CBC IVs random and unpredictable), dummy-packet
// payloads (RFC 4303 §2.6) and test data.
//
// Two implementations: OsRandomSource (OpenSSL's DRBG seeded from the OS, for real runs) and
// SeededRandomSource (deterministic: the AES-256-CTR keystream under key = SHA-256(label ‖ seed),
// so the same seed gives the same run byte for byte — DESIGN.md invariant; a CTR DRBG in the
// spirit of NIST SP 800-90A built only from EVP calls). Neither allocates per call.
#pragma once

#include <cstdint>
#include <memory>
#include <string_view>

#include "oracle/crypto/bytes.h"
#include "oracle/crypto/crypto_library.h"
#include "oracle/crypto/crypto_status.h"

namespace cts::crypto {

class RandomSource {
 public:
  virtual ~RandomSource() = default;
  // Fills all of `out`. Errors: openssl_failure.
  virtual CryptoStatus fill(MutableBytes out) = 0;
  virtual std::string_view name() const = 0;  // "os" or "seeded"
};

class OsRandomSource final : public RandomSource {
 public:
  explicit OsRandomSource(const CryptoLibrary& lib) : lib_(&lib) {}
  CryptoStatus fill(MutableBytes out) override;  // RAND_bytes_ex on the library context
  std::string_view name() const override { return "os"; }

 private:
  const CryptoLibrary* lib_;
};

class SeededRandomSource final : public RandomSource {
 public:
  static CryptoStatus create(const CryptoLibrary& lib, uint64_t seed,
                             std::unique_ptr<SeededRandomSource>& out);
  ~SeededRandomSource() override;
  SeededRandomSource(const SeededRandomSource&) = delete;
  SeededRandomSource& operator=(const SeededRandomSource&) = delete;

  CryptoStatus fill(MutableBytes out) override;
  std::string_view name() const override { return "seeded"; }
  uint64_t seed() const { return seed_; }

 private:
  SeededRandomSource() = default;
  uint64_t seed_ = 0;
  EVP_CIPHER_CTX* ctr_ = nullptr;
};

}  // namespace cts::crypto
