// Anti-replay sliding window (RFC 4303 §3.4.3, App. A) over 64-bit sequence numbers, stored as an
// RFC 6479 ring of 64-bit words: advancing the right edge clears whole words instead of shifting
// the bitmap, so check and update cost O(1) for any window size.
//
// Split into the two steps the RFC orders: check() before the ICV (no state change; REPLAY-004)
// and update() only after the ICV verified (REPLAY-005). update() re-checks, because two packets
// with the same number may both pass the pre-check while in flight (RFC 4303 §3.4.3): the second
// is then REPLAY even though its ICV was good.
#pragma once

#include <cstdint>
#include <vector>

namespace cts::esp {

enum class ReplayCheck : uint8_t {
  ok,              // new right edge, or inside the window and not yet seen
  replay,          // inside the window and already seen
  outside_window,  // left of the window (T - s >= W), or s == 0 (never sent; SEQ-007)
};

class ReplayWindow {
 public:
  static constexpr uint32_t kMinSize = 32;        // REPLAY-007
  static constexpr uint32_t kDefaultSize = 64;    // REPLAY-008
  static constexpr uint32_t kMaxSize = 1u << 20;  // far above the 4096 asked; << 2^31 (REPLAY-009)
  static constexpr bool valid_size(uint32_t w) { return w >= kMinSize && w <= kMaxSize; }

  // size must satisfy valid_size (callers validate first; out-of-range sizes are clamped).
  // top: the initial T; when non-zero T itself counts as already received.
  explicit ReplayWindow(uint32_t size = kDefaultSize, uint64_t top = 0);

  ReplayCheck check(uint64_t seq) const;
  // Records `seq` if check(seq) is ok and returns the re-check result (ok, replay or
  // outside_window); the window is unchanged unless ok.
  ReplayCheck update(uint64_t seq);
  // App. A3 resynchronisation: restart the window at `top`, marking only `top` as received.
  void reset(uint64_t top);

  uint64_t top() const { return top_; }
  uint32_t size() const { return size_; }
  // True if `seq` lies inside the window and has been recorded.
  bool seen(uint64_t seq) const;

 private:
  uint64_t word_index(uint64_t seq) const { return (seq >> 6) & word_mask_; }
  // Moves the right edge to `seq` (> top), clearing the words that leave the window.
  void advance(uint64_t seq);

  uint32_t size_;
  uint64_t top_ = 0;
  uint64_t word_mask_ = 0;      // words.size() - 1 (a power of two)
  std::vector<uint64_t> words_;  // ring of (size/64 rounded up to a power of two) + 1 words
};

// Inline: both run once per received packet.
inline ReplayCheck ReplayWindow::check(uint64_t seq) const {
  if (seq == 0) return ReplayCheck::outside_window;  // never sent (SEQ-001, SEQ-007)
  if (seq > top_) return ReplayCheck::ok;            // new right edge
  if (top_ - seq >= size_) return ReplayCheck::outside_window;
  const uint64_t bit = uint64_t{1} << (seq & 63);
  return (words_[word_index(seq)] & bit) != 0 ? ReplayCheck::replay : ReplayCheck::ok;
}

inline ReplayCheck ReplayWindow::update(uint64_t seq) {
  // Re-check: another packet with this number may have been accepted since the pre-check.
  const ReplayCheck c = check(seq);
  if (c != ReplayCheck::ok) return c;
  if (seq > top_) {
    if ((seq >> 6) == (top_ >> 6)) top_ = seq;  // same word: nothing leaves the window
    else advance(seq);
  }
  words_[word_index(seq)] |= uint64_t{1} << (seq & 63);
  return ReplayCheck::ok;
}

}  // namespace cts::esp
