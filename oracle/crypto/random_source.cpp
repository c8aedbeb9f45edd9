#include "oracle/crypto/random_source.h"

#include <openssl/crypto.h>
#include <openssl/evp.h>
#include <openssl/rand.h>

#include <cstring>
#include <algorithm>

namespace cts::crypto {

CryptoStatus OsRandomSource::fill(MutableBytes out) {
  if (out.empty()) return CryptoStatus::success();
  if (RAND_bytes_ex(lib_->context(), out.data(), out.size(), 0) != 1) {
    return CryptoStatus::fail(CryptoErrc::openssl_failure, "OS random: RAND_bytes_ex failed");
  }
  return CryptoStatus::success();
}

CryptoStatus SeededRandomSource::create(const CryptoLibrary& lib, uint64_t seed,
                                        std::unique_ptr<SeededRandomSource>& out) {
  // key = SHA-256("ipsec-cts seeded random v1" ‖ seed as 8 big-endian octets); counter block 0.
  static constexpr char kLabel[] = "ipsec-cts seeded random v1";
  uint8_t seed_be[8];
  store_be64(seed_be, seed);
  uint8_t key[32];
  unsigned int keylen = 0;
  EVP_MD_CTX* md = EVP_MD_CTX_new();
  const bool hashed = md != nullptr &&
                      EVP_DigestInit_ex2(md, lib.digest(DigestId::sha256), nullptr) == 1 &&
                      EVP_DigestUpdate(md, kLabel, sizeof(kLabel) - 1) == 1 &&
                      EVP_DigestUpdate(md, seed_be, sizeof(seed_be)) == 1 &&
                      EVP_DigestFinal_ex(md, key, &keylen) == 1 && keylen == sizeof(key);
  EVP_MD_CTX_free(md);
  if (!hashed) {
    return CryptoStatus::fail(CryptoErrc::openssl_failure, "seeded random: SHA-256 of the seed failed");
  }
  std::unique_ptr<SeededRandomSource> r(new SeededRandomSource());
  r->seed_ = seed;
  r->ctr_ = EVP_CIPHER_CTX_new();
  static const uint8_t kZeroCounter[16] = {};
  const bool keyed = r->ctr_ != nullptr &&
                     EVP_EncryptInit_ex2(r->ctr_, lib.cipher(CipherId::aes_256_ctr), key,
                                         kZeroCounter, nullptr) == 1;
  OPENSSL_cleanse(key, sizeof(key));
  if (!keyed) return CryptoStatus::fail(CryptoErrc::openssl_failure, "seeded random: keying AES-256-CTR failed");
  out = std::move(r);
  return CryptoStatus::success();
}

SeededRandomSource::~SeededRandomSource() { EVP_CIPHER_CTX_free(ctr_); }

CryptoStatus SeededRandomSource::fill(MutableBytes out) {
  // The keystream is AES-256-CTR over zeros: zero the output and encrypt it in place. The
  // context keeps its counter between calls, so the stream continues across fills.
  size_t done = 0;
  while (done < out.size()) {
    const size_t n = std::min(out.size() - done, size_t{1} << 30);
    std::memset(out.data() + done, 0, n);
    int outl = 0;
    if (EVP_EncryptUpdate(ctr_, out.data() + done, &outl, out.data() + done,
                          static_cast<int>(n)) != 1 ||
        static_cast<size_t>(outl) != n) {
      return CryptoStatus::fail(CryptoErrc::openssl_failure, "seeded random: AES-256-CTR failed");
    }
    done += n;
  }
  return CryptoStatus::success();
}

}  // namespace cts::crypto
