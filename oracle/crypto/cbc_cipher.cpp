#include "oracle/crypto/cbc_cipher.h"

#include <openssl/evp.h>

#include <cstring>
#include <limits>

namespace cts::crypto {

std::string_view cbc_algorithm_name(CbcAlgorithm alg) {
  switch (alg) {
    case CbcAlgorithm::aes_128: return "AES-128-CBC";
    case CbcAlgorithm::aes_192: return "AES-192-CBC";
    case CbcAlgorithm::aes_256: return "AES-256-CBC";
    case CbcAlgorithm::des: return "DES-CBC";
    case CbcAlgorithm::des3: return "3DES-CBC";
  }
  return "";
}

size_t cbc_key_size(CbcAlgorithm alg) {
  switch (alg) {
    case CbcAlgorithm::aes_128: return 16;
    case CbcAlgorithm::aes_192: return 24;
    case CbcAlgorithm::aes_256: return 32;
    case CbcAlgorithm::des: return 8;
    case CbcAlgorithm::des3: return 24;
  }
  return 0;
}

size_t cbc_block_size(CbcAlgorithm alg) {
  return (alg == CbcAlgorithm::des || alg == CbcAlgorithm::des3) ? 8 : 16;
}

namespace {
CipherId cipher_id(CbcAlgorithm alg) {
  switch (alg) {
    case CbcAlgorithm::aes_128: return CipherId::aes_128_cbc;
    case CbcAlgorithm::aes_192: return CipherId::aes_192_cbc;
    case CbcAlgorithm::aes_256: return CipherId::aes_256_cbc;
    case CbcAlgorithm::des: return CipherId::des_cbc;
    case CbcAlgorithm::des3: return CipherId::des_ede3_cbc;
  }
  return CipherId::aes_128_cbc;
}

// Keys a context once: cipher and key, padding off (ESP pads itself, RFC 4303 §2.4). A zero IV
// is set so the context is complete; every packet replaces it.
bool key_context(EVP_CIPHER_CTX* ctx, const EVP_CIPHER* cipher, ByteView key, int enc) {
  static const uint8_t kZeroIv[16] = {};
  if (EVP_CipherInit_ex2(ctx, cipher, key.data(), kZeroIv, enc, nullptr) != 1) return false;
  return EVP_CIPHER_CTX_set_padding(ctx, 0) == 1;
}
}  // namespace

CryptoStatus CbcCipher::create(const CryptoLibrary& lib, CbcAlgorithm alg, ByteView key,
                               std::unique_ptr<CbcCipher>& out) {
  if (key.size() != cbc_key_size(alg)) {
    return CryptoStatus::fail(CryptoErrc::invalid_key_length, "CBC: key length does not match the algorithm");
  }
  const EVP_CIPHER* cipher = lib.cipher(cipher_id(alg));
  if (cipher == nullptr) {
    return CryptoStatus::fail(CryptoErrc::algorithm_unavailable,
                              "DES-CBC: the OpenSSL legacy provider (legacy.so) could not be loaded");
  }
  std::unique_ptr<CbcCipher> c(new CbcCipher());
  c->alg_ = alg;
  c->block_ = cbc_block_size(alg);
  c->enc_ = EVP_CIPHER_CTX_new();
  c->dec_ = EVP_CIPHER_CTX_new();
  if (c->enc_ == nullptr || c->dec_ == nullptr) {
    return CryptoStatus::fail(CryptoErrc::openssl_failure, "CBC: EVP_CIPHER_CTX_new failed");
  }
  if (!key_context(c->enc_, cipher, key, 1) || !key_context(c->dec_, cipher, key, 0)) {
    // 3DES refuses keys whose three parts are not distinct in some builds; report as key error.
    return CryptoStatus::fail(CryptoErrc::openssl_failure, "CBC: keying the EVP context failed");
  }
  out = std::move(c);
  return CryptoStatus::success();
}

CbcCipher::~CbcCipher() {
  EVP_CIPHER_CTX_free(enc_);  // EVP_CIPHER_CTX_free cleanses the key schedule
  EVP_CIPHER_CTX_free(dec_);
}

CryptoStatus CbcCipher::run(EVP_CIPHER_CTX* ctx, ByteView iv, ByteView in, MutableBytes out,
                            const char* where) {
  if (iv.size() != block_) return CryptoStatus::fail(CryptoErrc::invalid_iv_length, where);
  if (in.empty() || in.size() % block_ != 0 ||
      in.size() > static_cast<size_t>(std::numeric_limits<int>::max())) {
    return CryptoStatus::fail(CryptoErrc::invalid_length, where);
  }
  if (out.size() < in.size()) return CryptoStatus::fail(CryptoErrc::buffer_too_small, where);
  const uint8_t* src = in.data();
  if (src != out.data() && ranges_overlap(src, in.size(), out.data(), in.size())) {
    // EVP refuses partial overlap; move the input onto the output and work in place.
    std::memmove(out.data(), src, in.size());
    src = out.data();
  }
  // Per packet: only the IV changes; cipher, key and direction stay as keyed.
  if (EVP_CipherInit_ex(ctx, nullptr, nullptr, nullptr, iv.data(), -1) != 1) {
    return CryptoStatus::fail(CryptoErrc::openssl_failure, where);
  }
  int outl = 0;
  if (EVP_CipherUpdate(ctx, out.data(), &outl, src, static_cast<int>(in.size())) != 1 ||
      static_cast<size_t>(outl) != in.size()) {
    return CryptoStatus::fail(CryptoErrc::openssl_failure, where);
  }
  return CryptoStatus::success();
}

CryptoStatus CbcCipher::encrypt(ByteView iv, ByteView in, MutableBytes out) {
  return run(enc_, iv, in, out, "CBC encrypt");
}

CryptoStatus CbcCipher::decrypt(ByteView iv, ByteView in, MutableBytes out) {
  return run(dec_, iv, in, out, "CBC decrypt");
}

}  // namespace cts::crypto
