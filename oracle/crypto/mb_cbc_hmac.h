// ESP's separate-algorithm transforms (RFC 4303 §3.3.2.1: encrypt, then MAC) for the ipsec-mb
// backend, as one libipsec-mb job per packet: AES-CBC (RFC 3602) or no cipher, with
// HMAC-MD5-96, HMAC-SHA1-96 or HMAC-SHA-256/384/512 (RFC 2403, 2404, 4868) or no MAC.
//
// It works in place on a framed ESP packet, described by offsets:
//   [0, iv_at)            SPI ‖ Seq_low: authenticated
//   [iv_at, body_at)      IV (16 octets with a cipher, none without)
//   [body_at, icv_at)     body: encrypted with a cipher; authenticated
//   [icv_at, size)        ICV (icv_size octets)
// and, with ESN, Seq_high authenticated after the body although it is never sent (§3.3.2.1
// step 4; ESN-004). The job API hashes one contiguous run, so Seq_high is written over the
// first 4 ICV octets for the duration of the job (they are rewritten, or restored, before
// returning) — the way DPDK's ESP datapath does it.
//
// open() runs hash-then-decrypt as one job and compares the ICV in constant time
// (CRYPTO_memcmp); on a mismatch the body is encrypted again under the same IV, which gives the
// ciphertext back exactly, so the packet leaves byte for byte as it came (same contract as the
// EVP path). Keys are expanded once (AES round keys, HMAC inner/outer pads hashed once) and
// wiped when the object is destroyed. Per packet: no allocation; the job manager is the calling
// thread's own (mb_manager.h).
#pragma once

#include <cstddef>
#include <cstdint>
#include <memory>
#include <optional>

#include "oracle/crypto/bytes.h"
#include "oracle/crypto/cbc_cipher.h"
#include "oracle/crypto/crypto_status.h"
#include "oracle/crypto/hmac.h"

namespace cts::crypto {

class MbCbcHmac {
 public:
  // Whether this combination runs here: AES-CBC or none, any HmacAlgorithm or none (not both
  // none), HMAC keys no longer than the hash block, built in and usable.
  static bool supports(std::optional<CbcAlgorithm> cipher, std::optional<HmacAlgorithm> mac,
                       size_t mac_key_size);
  // Errors: invalid_key_length, invalid_tag_length (icv_size 0 with a MAC, or above the digest
  // size), algorithm_unavailable (a combination supports() refuses), openssl_failure (memory).
  static CryptoStatus create(std::optional<CbcAlgorithm> cipher, ByteView cipher_key,
                             std::optional<HmacAlgorithm> mac, ByteView mac_key, size_t icv_size,
                             std::unique_ptr<MbCbcHmac>& out);
  ~MbCbcHmac();
  MbCbcHmac(const MbCbcHmac&) = delete;
  MbCbcHmac& operator=(const MbCbcHmac&) = delete;

  size_t icv_size() const;

  // seq_high: the 4 octets authenticated after the body, or nullptr (no ESN). The caller has
  // checked the lengths (body a whole number of blocks with a cipher). Errors: invalid_length
  // (offsets out of order), openssl_failure (the job did not complete).
  CryptoStatus seal(MutableBytes packet, size_t iv_at, size_t body_at, const uint8_t* seq_high) const;
  // As seal; authentication_failed on an ICV mismatch (packet unchanged).
  CryptoStatus open(MutableBytes packet, size_t iv_at, size_t body_at, const uint8_t* seq_high) const;

  // seal / open of n packets of the same layout, statuses to status[i]: the same bytes and
  // statuses as n calls one after another, with all n jobs submitted before completion is forced,
  // so the manager's lanes run full. seq_high: n runs of 4 octets, or nullptr. The packets must
  // not overlap. n at most kMaxBurst (the rest are not touched).
  static constexpr size_t kMaxBurst = 64;
  void seal_burst(size_t n, const MutableBytes* packets, size_t iv_at, size_t body_at,
                  const uint8_t* seq_high, CryptoStatus* status) const;
  void open_burst(size_t n, const MutableBytes* packets, size_t iv_at, size_t body_at,
                  const uint8_t* seq_high, CryptoStatus* status) const;

 private:
  struct Keys;
  void burst(size_t n, const MutableBytes* packets, size_t iv_at, size_t body_at, const uint8_t* seq_high,
             CryptoStatus* status, bool open) const;
  explicit MbCbcHmac(Keys* k) : k_(k) {}
  Keys* k_;
};

}  // namespace cts::crypto
