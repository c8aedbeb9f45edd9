// Baselines for the ESP benchmarks (oracle/esp/esp_bench.cpp), measured in the same run:
//   RawEvp/<alg>/<bytes>  the cipher and MAC of <alg> through plain EVP calls on a pre-keyed
//                         context (per packet: set IV, AAD, data, final, tag) — nothing else
//   BulkEvp/<alg>         the same over one 16 KiB buffer: what the primitives sustain
// <alg>: aes-128-gcm, aes-256-gcm, aes-128-cbc-hmac-sha1, null-hmac-sha256.
#include <benchmark/benchmark.h>

#include <openssl/core_names.h>
#include <openssl/evp.h>
#include <openssl/params.h>

#include <cstdint>
#include <string>
#include <vector>

namespace {

struct RawContext {
  EVP_CIPHER* cipher = nullptr;
  EVP_CIPHER_CTX* ctx = nullptr;
  EVP_MAC* mac = nullptr;
  EVP_MAC_CTX* mctx = nullptr;
  bool gcm = false;

  explicit RawContext(const std::string& alg) {
    static const uint8_t key[32] = {1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16,
                                    17, 18, 19, 20, 21, 22, 23, 24, 25, 26, 27, 28, 29, 30, 31, 32};
    const char* cname = alg == "aes-128-gcm"   ? "AES-128-GCM"
                        : alg == "aes-256-gcm" ? "AES-256-GCM"
                        : alg == "aes-128-cbc-hmac-sha1" ? "AES-128-CBC"
                                                         : nullptr;
    gcm = alg.find("gcm") != std::string::npos;
    if (cname != nullptr) {
      cipher = EVP_CIPHER_fetch(nullptr, cname, nullptr);
      ctx = EVP_CIPHER_CTX_new();
      EVP_EncryptInit_ex2(ctx, cipher, key, nullptr, nullptr);
      if (!gcm) EVP_CIPHER_CTX_set_padding(ctx, 0);
    }
    const char* digest = alg == "aes-128-cbc-hmac-sha1" ? "SHA1"
                         : alg == "null-hmac-sha256"    ? "SHA2-256"
                                                        : nullptr;
    if (digest != nullptr) {
      mac = EVP_MAC_fetch(nullptr, "HMAC", nullptr);
      mctx = EVP_MAC_CTX_new(mac);
      OSSL_PARAM params[] = {
          OSSL_PARAM_construct_utf8_string(OSSL_MAC_PARAM_DIGEST, const_cast<char*>(digest), 0),
          OSSL_PARAM_construct_end()};
      EVP_MAC_init(mctx, key, std::string(digest) == "SHA1" ? 20 : 32, params);
    }
  }
  ~RawContext() {
    EVP_CIPHER_CTX_free(ctx);
    EVP_CIPHER_free(cipher);
    EVP_MAC_CTX_free(mctx);
    EVP_MAC_free(mac);
  }

  // One "packet": exactly the primitive work ESP needs, with no framing.
  bool run(uint8_t* buf, size_t len, uint8_t* iv, uint8_t* icv) {
    int outl = 0;
    if (gcm) {
      static const uint8_t aad[8] = {0, 0, 0x12, 0x34, 0, 0, 0, 1};
      EVP_EncryptInit_ex(ctx, nullptr, nullptr, nullptr, iv);
      EVP_EncryptUpdate(ctx, nullptr, &outl, aad, sizeof(aad));
      EVP_EncryptUpdate(ctx, buf, &outl, buf, static_cast<int>(len));
      EVP_EncryptFinal_ex(ctx, buf + len, &outl);
      return EVP_CIPHER_CTX_ctrl(ctx, EVP_CTRL_AEAD_GET_TAG, 16, icv) == 1;
    }
    if (ctx != nullptr) {
      EVP_EncryptInit_ex(ctx, nullptr, nullptr, nullptr, iv);
      EVP_EncryptUpdate(ctx, buf, &outl, buf, static_cast<int>(len));
    }
    uint8_t full[64];
    size_t macl = 0;
    EVP_MAC_init(mctx, nullptr, 0, nullptr);
    EVP_MAC_update(mctx, buf, len);
    EVP_MAC_final(mctx, full, &macl, sizeof(full));
    icv[0] = full[0];
    return true;
  }
};

void raw_evp(benchmark::State& state, std::string alg, size_t bytes) {
  RawContext raw(alg);
  // CBC works on whole blocks; round the buffer up as ESP padding would.
  const size_t len = alg.find("cbc") != std::string::npos ? (bytes + 15) / 16 * 16 : bytes;
  std::vector<uint8_t> buf(len + 16, 0x5A);
  uint8_t iv[16] = {9, 8, 7, 6, 5, 4, 3, 2, 1, 0, 1, 2, 3, 4, 5, 6};
  uint8_t icv[16];
  for (auto _ : state) {
    ++iv[11];
    benchmark::DoNotOptimize(raw.run(buf.data(), len, iv, icv));
    benchmark::ClobberMemory();
  }
  state.SetBytesProcessed(static_cast<int64_t>(state.iterations() * bytes));
  state.SetItemsProcessed(static_cast<int64_t>(state.iterations()));
}

const char* const kAlgs[] = {"aes-128-gcm", "aes-256-gcm", "aes-128-cbc-hmac-sha1", "null-hmac-sha256"};

int register_all() {
  for (const char* alg : kAlgs) {
    for (size_t bytes : {size_t{64}, size_t{576}, size_t{1400}}) {
      benchmark::RegisterBenchmark(("RawEvp/" + std::string(alg) + "/" + std::to_string(bytes)).c_str(),
                                   [alg, bytes](benchmark::State& s) { raw_evp(s, alg, bytes); });
    }
    benchmark::RegisterBenchmark(("BulkEvp/" + std::string(alg)).c_str(),
                                 [alg](benchmark::State& s) { raw_evp(s, alg, 16384); });
  }
  return 0;
}
const int registered = register_all();

}  // namespace
