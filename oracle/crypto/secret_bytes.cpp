#include "oracle/crypto/secret_bytes.h"

#include <openssl/crypto.h>

namespace cts::crypto {

void cleanse(MutableBytes bytes) {
  if (!bytes.empty()) OPENSSL_cleanse(bytes.data(), bytes.size());
}

SecretBytes::SecretBytes(ByteView bytes) : bytes_(bytes.begin(), bytes.end()) {}
SecretBytes::SecretBytes(const SecretBytes& other) : bytes_(other.bytes_) {}
SecretBytes::SecretBytes(SecretBytes&& other) noexcept : bytes_(std::move(other.bytes_)) {
  other.bytes_.clear();  // the buffer moved with us; nothing left to wipe in `other`
}
SecretBytes& SecretBytes::operator=(const SecretBytes& other) {
  if (this != &other) assign(other.view());
  return *this;
}
SecretBytes& SecretBytes::operator=(SecretBytes&& other) noexcept {
  if (this != &other) {
    clear();
    bytes_ = std::move(other.bytes_);
    other.bytes_.clear();
  }
  return *this;
}
SecretBytes::~SecretBytes() { clear(); }

void SecretBytes::assign(ByteView bytes) {
  clear();
  bytes_.assign(bytes.begin(), bytes.end());
}

void SecretBytes::clear() {
  // Wipe the whole capacity: an earlier, longer key may still sit past size().
  if (bytes_.capacity() != 0) {
    bytes_.resize(bytes_.capacity());
    OPENSSL_cleanse(bytes_.data(), bytes_.size());
  }
  bytes_.clear();
}

}  // namespace cts::crypto
