#include "oracle/esp/sequence.h"

namespace cts::esp {

EspVerdict SequenceCounter::next(uint64_t& seq) { return reserve(1, seq); }

EspVerdict SequenceCounter::reserve(uint32_t count, uint64_t& first) {
  if (count == 0) return EspVerdict::invalid_argument;
  const uint64_t max = max_value(esn_);
  if (anti_replay_) {
    // RFC 4303 §3.3.3: never send a packet that would make the counter cycle (SEQ-003). The
    // numbers last_+1 .. last_+count must all be <= max.
    if (last_ > max || max - last_ < count) return EspVerdict::seq_overflow;
    first = last_ + 1;
    last_ += count;
    return EspVerdict::ok;
  }
  // Anti-replay disabled by the receiver: keep incrementing and roll over to 0 (SEQ-005).
  first = (last_ + 1) & max;
  last_ = (last_ + count) & max;
  return EspVerdict::ok;
}

}  // namespace cts::esp
