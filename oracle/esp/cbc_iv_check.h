// CBC IV predictability (RFC 3602 §3, RFC 2405 §5; CBC-002): an IV must be unpredictable to anyone
// who saw the earlier packets, not merely new. Repeats are the IV history's business
// (iv_history.h); this tracker looks at each packet against the one sent before it under the
// same key and names the predictable sources real engines have used:
//   * chained: the IV is the previous packet's last ciphertext block (the CBC register left
//     loaded between packets, the flaw behind chosen-plaintext attacks on SSL 3.0 / TLS 1.0);
//   * counter: the IV, read as a big- or little-endian integer, is the previous one plus 1 to
//     65536 (a packet or sequence counter used as IV);
//   * low Hamming distance: fewer than one bit in eight differs from the previous IV (RFC 3602
//     §3 names "low Hamming distance" sources). For a random 128-bit IV the chance is below
//     2^-60 per packet, for a 64-bit one below 2^-30.
#pragma once

#include <array>
#include <cstdint>

#include "oracle/crypto/bytes.h"

namespace cts::esp {

enum class CbcIvFlaw { none, chained, counter, low_hamming_distance };

// A short phrase for a finding ("the previous packet's last ciphertext block").
const char* cbc_iv_flaw_text(CbcIvFlaw flaw);

class CbcIvTracker {
 public:
  // Judges `iv` (8 or 16 octets) against the previous packet, then remembers `iv` and
  // `last_block` (this packet's last ciphertext block, as long as the IV) for the next one.
  // The first packet and an IV equal to the previous one (a repeat, judged elsewhere) give none.
  CbcIvFlaw next(crypto::ByteView iv, crypto::ByteView last_block);

 private:
  std::array<uint8_t, 16> prev_iv_{};
  std::array<uint8_t, 16> prev_last_{};
  size_t length_ = 0;
  bool have_ = false;
};

}  // namespace cts::esp
