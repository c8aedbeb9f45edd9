// AES-GCM and AES-GMAC keyed for the ipsec-mb backend: the engine behind AesGcm when its library
// is the ipsec-mb one (aes_gcm.h keeps the contract: nonce forming, tag comparison, wiping).
//
// Keyed once (expanded round keys and GHASH key powers in one 64-octet-aligned block, wiped on
// destruction, so an SA delete leaves no key schedule behind); per packet one direct-API call on
// stack context, no allocation, safe from any thread. AAD must be contiguous for GCM: pieces are
// joined on the stack, up to kMaxJoinedAad octets (ESP's AAD is 8 or 12).
#pragma once

#include <cstddef>
#include <cstdint>
#include <memory>

#include "oracle/crypto/bytes.h"
#include "oracle/crypto/crypto_status.h"

namespace cts::crypto {

class MbGcm {
 public:
  static constexpr size_t kMaxJoinedAad = 256;

  // key: 16, 24 or 32 octets. Errors: invalid_key_length, algorithm_unavailable (not built in,
  // or the CPU cannot run it), openssl_failure (allocation; the name is the adapters' common
  // "library call failed" class).
  static CryptoStatus create(ByteView key, std::unique_ptr<MbGcm>& out);
  ~MbGcm();
  MbGcm(const MbGcm&) = delete;
  MbGcm& operator=(const MbGcm&) = delete;

  // nonce: 12 octets. `out` may equal `in`. The tag is written in full (tag_len octets).
  // Errors: invalid_length (AAD pieces longer than kMaxJoinedAad in total).
  CryptoStatus encrypt(const uint8_t* nonce, std::span<const ByteView> aad, const uint8_t* in,
                       uint8_t* out, size_t len, uint8_t* tag, size_t tag_len) const;
  // Decrypts and writes the tag it computed to `computed_tag`; the caller compares.
  CryptoStatus decrypt(const uint8_t* nonce, std::span<const ByteView> aad, const uint8_t* in,
                       uint8_t* out, size_t len, uint8_t* computed_tag, size_t tag_len) const;

  // ESP's shape (one contiguous AAD, in place), without the span bookkeeping of the calls above:
  // the per-packet path of the ESP datapath. seal_in_place writes tag_len octets to `tag`.
  // open_in_place decrypts, compares the computed tag with `tag` in constant time and returns
  // true on a match; on a mismatch it encrypts the buffer again (the same CTR keystream), so
  // the buffer is byte for byte what it was, and returns false.
  void seal_in_place(const uint8_t* nonce, const uint8_t* aad, size_t aad_len, uint8_t* data,
                     size_t len, uint8_t* tag, size_t tag_len) const;
  bool open_in_place(const uint8_t* nonce, const uint8_t* aad, size_t aad_len, uint8_t* data,
                     size_t len, const uint8_t* tag, size_t tag_len) const;

  // Streaming GMAC over the adapter's own context (one stream at a time per key, as with EVP).
  void gmac_begin(const uint8_t* nonce);
  void gmac_update(ByteView aad);
  void gmac_finish(uint8_t* tag, size_t tag_len);

 private:
  struct Impl;
  explicit MbGcm(Impl* impl) : impl_(impl) {}
  Impl* impl_;
};

}  // namespace cts::crypto
