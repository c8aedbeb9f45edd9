// ESN receive side (RFC 4303 App. A2, A3): inferring the high half of a received sequence number
// from the low half on the wire, and counting consecutive ICV failures for resynchronisation.
// Pure functions and plain state; the caller (EspInbound) decides what to do with the result.
#pragma once

#include <cstdint>

namespace cts::esp {

enum class EsnCase : uint8_t {
  a,  // Tl >= W-1: the window lies inside one 2^32 subspace (App. A2.1 case A)
  b,  // Tl <  W-1: the window straddles a subspace boundary (case B)
};

struct EsnInference {
  uint64_t seq = 0;     // Seqh:Seql, the number to check against the window and feed to the ICV
  EsnCase which = EsnCase::a;
  bool clamped = false;  // start-up corner: case B with Th = 0 would give Seqh = -1; Seqh = 0 used
  bool valid = true;     // false: Seqh would pass 2^32-1 (no subspace above); drop the packet
};

// App. A2.1 with 32-bit modular arithmetic (ESN-005/006). top = T (Th:Tl), window = W (1..2^31),
// seq_low = Seql from the packet. Bl = (Tl - W + 1) mod 2^32.
//   case A: Seql >= Bl -> Seqh = Th; else Seqh = Th + 1
//   case B: Seql >= Bl -> Seqh = Th - 1; else Seqh = Th
// Start-up corner (RFC 4303 App. A2.1; our reading): with Th = 0 the case-B "Th - 1" is clamped to 0 so no
// underflow reaches the ICV; the packet is then "ahead" and the ICV decides.
EsnInference infer_esn(uint64_t top, uint32_t window, uint32_t seq_low);

// App. A3: consecutive ICV failures per SA; past `threshold` (0 = never), the receiver retries a
// failing packet with Seqh+1 .. Seqh+max_advance off the fast path.
class EsnResyncCounter {
 public:
  EsnResyncCounter(uint32_t threshold = 0, uint32_t max_advance = 0)
      : threshold_(threshold), max_advance_(max_advance) {}

  void on_authenticated() { failures_ = 0; }
  void on_icv_failure() {
    if (failures_ != UINT32_MAX) ++failures_;
  }
  // True when the next failing packet should be retried with advanced high halves.
  bool should_retry() const {
    return threshold_ != 0 && max_advance_ != 0 && failures_ >= threshold_;
  }
  uint32_t consecutive_failures() const { return failures_; }
  uint32_t threshold() const { return threshold_; }
  uint32_t max_advance() const { return max_advance_; }

 private:
  uint32_t threshold_;
  uint32_t max_advance_;
  uint32_t failures_ = 0;
};

}  // namespace cts::esp
