#include "oracle/esp/esn.h"

namespace cts::esp {

EsnInference infer_esn(uint64_t top, uint32_t window, uint32_t seq_low) {
  EsnInference r;
  const uint32_t th = static_cast<uint32_t>(top >> 32);
  const uint32_t tl = static_cast<uint32_t>(top);
  if (window == 0) window = 1;
  // Bl = Tl - W + 1 (mod 2^32): the bottom of the window in the low half (App. A2.1).
  const uint32_t bl = tl - window + 1u;
  uint64_t seqh = th;
  if (tl >= window - 1u) {
    // Case A: the window lies within one subspace.
    r.which = EsnCase::a;
    if (seq_low < bl) {
      if (th == UINT32_MAX) {  // no subspace above 2^32-1: cannot be a legitimate packet
        r.valid = false;
      }
      seqh = uint64_t{th} + 1;
    }
  } else {
    // Case B: the window spans the boundary between subspace Th-1 and Th.
    r.which = EsnCase::b;
    if (seq_low >= bl) {
      if (th == 0) {
        // Start-up corner (RFC 4303 App. A2.1): no subspace below 0; keep Seqh = 0 so no underflow
        // reaches the ICV. The packet reads as "ahead" and the ICV decides.
        r.clamped = true;
        seqh = 0;
      } else {
        seqh = uint64_t{th} - 1;
      }
    }
  }
  r.seq = ((seqh & 0xFFFFFFFFull) << 32) | seq_low;
  return r;
}

}  // namespace cts::esp
