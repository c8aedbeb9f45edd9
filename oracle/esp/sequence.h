// Sender sequence numbers (RFC 4303 §2.2, §3.3.3): a 64-bit counter that starts at 0 so the first
// packet carries 1, only the low 32 bits on the wire, and no cycling while anti-replay is assumed.
#pragma once

#include <cstdint>

#include "oracle/esp/verdict.h"

namespace cts::esp {

class SequenceCounter {
 public:
  // last_sent: the number of the last packet already sent (0 = none). With esn == false only the
  // low 32 bits are meaningful.
  SequenceCounter(bool esn, bool anti_replay, uint64_t last_sent = 0)
      : esn_(esn), anti_replay_(anti_replay), last_(last_sent) {}

  // Largest number that may be sent: 2^32-1 (32-bit SA: 0xFFFFFFFF is still sent, the wrap to 0
  // is not — RFC 4303 §3.3.3, SEQ-003) or 2^64-1 (ESN).
  static constexpr uint64_t max_value(bool esn) { return esn ? ~uint64_t{0} : 0xFFFFFFFFull; }

  // Takes the next number into `seq`. With anti-replay, a packet that would cycle the counter is
  // refused with seq_overflow and the counter is left unchanged (SEQ-003/004: the SA must be
  // replaced). Without anti-replay the counter wraps to 0 (SEQ-005).
  EspVerdict next(uint64_t& seq);
  // Reserves `count` (>= 1) consecutive numbers at once (LSO segments, OQ-17); the first is
  // returned. All-or-nothing: seq_overflow leaves the counter unchanged.
  EspVerdict reserve(uint32_t count, uint64_t& first);

  uint64_t last_sent() const { return last_; }
  void set_last_sent(uint64_t v) { last_ = esn_ ? v : (v & 0xFFFFFFFFull); }
  // ESN high half of the last number sent (what SequenceNumberHighOrder / UPDATE_SA carries).
  uint32_t high() const { return static_cast<uint32_t>(last_ >> 32); }
  bool esn() const { return esn_; }
  bool anti_replay() const { return anti_replay_; }

 private:
  bool esn_;
  bool anti_replay_;
  uint64_t last_;
};

}  // namespace cts::esp
