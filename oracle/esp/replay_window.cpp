#include "oracle/esp/replay_window.h"

#include <algorithm>

namespace cts::esp {

namespace {
uint64_t next_pow2(uint64_t v) {
  uint64_t p = 1;
  while (p < v) p <<= 1;
  return p;
}
}  // namespace

ReplayWindow::ReplayWindow(uint32_t size, uint64_t top)
    : size_(std::clamp(size, kMinSize, kMaxSize)) {
  // RFC 6479 §2: a ring of 2^k words with at least one word more than the window needs, so the
  // word being cleared on advance never holds bits still inside the window.
  const uint64_t needed = (uint64_t{size_} + 63) / 64 + 1;
  words_.assign(next_pow2(needed), 0);
  word_mask_ = words_.size() - 1;
  reset(top);  // T = 0: nothing received yet (REPLAY-003); T > 0: T itself counts as received
}

void ReplayWindow::advance(uint64_t seq) {
  // Clear the words between the old and the new top word.
  const uint64_t old_word = top_ >> 6;
  const uint64_t new_word = seq >> 6;
  const uint64_t diff = new_word - old_word;
  if (diff > word_mask_) {
    std::fill(words_.begin(), words_.end(), 0);
  } else {
    for (uint64_t i = 1; i <= diff; ++i) words_[(old_word + i) & word_mask_] = 0;
  }
  top_ = seq;
}

void ReplayWindow::reset(uint64_t top) {
  std::fill(words_.begin(), words_.end(), 0);
  top_ = top;
  if (top != 0) words_[word_index(top)] |= uint64_t{1} << (top & 63);
}

bool ReplayWindow::seen(uint64_t seq) const {
  if (seq == 0 || seq > top_ || top_ - seq >= size_) return false;
  return (words_[word_index(seq)] & (uint64_t{1} << (seq & 63))) != 0;
}

}  // namespace cts::esp
