// CBC block ciphers for ESP: AES-CBC (RFC 3602), 3DES-CBC (RFC 2451), DES-CBC (RFC 2405).
//
// Keyed once: one encrypt and one decrypt EVP_CIPHER_CTX per SA, with padding disabled (ESP does
// its own padding, RFC 4303 §2.4). Per packet only the IV is set
// (EVP_CipherInit_ex(ctx, NULL, NULL, NULL, iv, -1)) and the data is run through once. Input and
// output may be the same buffer; partially overlapping buffers are handled by moving the input to
// the output first (EVP itself refuses partial overlap).
#pragma once

#include <cstddef>
#include <memory>
#include <string_view>

#include "oracle/crypto/bytes.h"
#include "oracle/crypto/crypto_library.h"
#include "oracle/crypto/crypto_status.h"

namespace cts::crypto {

enum class CbcAlgorithm : uint8_t { aes_128, aes_192, aes_256, des, des3 };

std::string_view cbc_algorithm_name(CbcAlgorithm alg);  // "AES-128-CBC", "DES-CBC", "3DES-CBC"
size_t cbc_key_size(CbcAlgorithm alg);                   // 16/24/32, 8, 24
size_t cbc_block_size(CbcAlgorithm alg);                 // 16 for AES, 8 for DES/3DES (= IV size)

class CbcCipher {
 public:
  // Errors: invalid_key_length (key.size() != cbc_key_size), algorithm_unavailable (DES without
  // the legacy provider: the context says so), openssl_failure.
  static CryptoStatus create(const CryptoLibrary& lib, CbcAlgorithm alg, ByteView key,
                             std::unique_ptr<CbcCipher>& out);
  ~CbcCipher();
  CbcCipher(const CbcCipher&) = delete;
  CbcCipher& operator=(const CbcCipher&) = delete;

  CbcAlgorithm algorithm() const { return alg_; }
  size_t block_size() const { return block_; }
  size_t iv_size() const { return block_; }

  // in.size() must be a non-zero multiple of block_size() (invalid_length); out.size() >= in.size()
  // (buffer_too_small); iv.size() == iv_size() (invalid_iv_length). Writes in.size() bytes.
  CryptoStatus encrypt(ByteView iv, ByteView in, MutableBytes out);
  CryptoStatus decrypt(ByteView iv, ByteView in, MutableBytes out);

 private:
  CbcCipher() = default;
  CryptoStatus run(EVP_CIPHER_CTX* ctx, ByteView iv, ByteView in, MutableBytes out,
                   const char* where);

  CbcAlgorithm alg_ = CbcAlgorithm::aes_128;
  size_t block_ = 16;
  EVP_CIPHER_CTX* enc_ = nullptr;
  EVP_CIPHER_CTX* dec_ = nullptr;
};

}  // namespace cts::crypto
