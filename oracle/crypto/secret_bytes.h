// Owned key material that is wiped (OPENSSL_cleanse) when it is destroyed, reassigned or moved
// from: SA keys must not linger in freed memory after SA delete (brief: secret handling).
#pragma once

#include <cstddef>
#include <cstdint>
#include <vector>

#include "oracle/crypto/bytes.h"

namespace cts::crypto {

class SecretBytes {
 public:
  SecretBytes() = default;
  explicit SecretBytes(ByteView bytes);
  SecretBytes(const SecretBytes& other);
  SecretBytes(SecretBytes&& other) noexcept;
  SecretBytes& operator=(const SecretBytes& other);
  SecretBytes& operator=(SecretBytes&& other) noexcept;
  ~SecretBytes();

  void assign(ByteView bytes);  // wipes the old contents first
  void clear();                 // wipes and empties

  ByteView view() const { return {bytes_.data(), bytes_.size()}; }
  size_t size() const { return bytes_.size(); }
  bool empty() const { return bytes_.empty(); }
  const uint8_t* data() const { return bytes_.data(); }

 private:
  std::vector<uint8_t> bytes_;
};

// Wipe a caller buffer (OPENSSL_cleanse, which the compiler cannot elide).
void cleanse(MutableBytes bytes);

}  // namespace cts::crypto
