#include "oracle/esp/cbc_iv_check.h"

#include <algorithm>
#include <bit>

namespace cts::esp {

namespace {

// Whether b - a, both read as integers of `n` octets in the given byte order, lies in [1, 65536].
bool small_step(const uint8_t* a, const uint8_t* b, size_t n, bool big_endian) {
  // Subtract octet by octet from the least significant end; the difference is small when every
  // octet above the lowest three is zero after borrowing and the value is not zero.
  uint8_t diff[16] = {};
  int borrow = 0;
  for (size_t k = 0; k < n; ++k) {
    const size_t i = big_endian ? n - 1 - k : k;  // k-th least significant octet
    const int d = int{b[i]} - int{a[i]} - borrow;
    borrow = d < 0 ? 1 : 0;
    diff[k] = static_cast<uint8_t>(d + (borrow ? 256 : 0));
  }
  if (borrow) return false;  // b < a
  for (size_t k = 3; k < n; ++k)
    if (diff[k] != 0) return false;
  const uint32_t v = uint32_t{diff[0]} | uint32_t{diff[1]} << 8 | uint32_t{diff[2]} << 16;
  return v >= 1 && v <= 65536;
}

}  // namespace

const char* cbc_iv_flaw_text(CbcIvFlaw flaw) {
  switch (flaw) {
    case CbcIvFlaw::none: return "unpredictable";
    case CbcIvFlaw::chained: return "the previous packet's last ciphertext block (a chained IV)";
    case CbcIvFlaw::counter: return "the previous packet's IV plus a small step (a counter)";
    case CbcIvFlaw::low_hamming_distance: return "within a few bits of the previous packet's IV (low Hamming distance)";
  }
  return "?";
}

CbcIvFlaw CbcIvTracker::next(crypto::ByteView iv, crypto::ByteView last_block) {
  const size_t n = std::min(iv.size(), prev_iv_.size());
  CbcIvFlaw flaw = CbcIvFlaw::none;
  if (have_ && n == length_ && !std::equal(iv.begin(), iv.begin() + static_cast<long>(n), prev_iv_.begin())) {
    size_t distance = 0;
    for (size_t i = 0; i < n; ++i) distance += static_cast<size_t>(std::popcount(static_cast<uint8_t>(iv[i] ^ prev_iv_[i])));
    if (std::equal(iv.begin(), iv.begin() + static_cast<long>(n), prev_last_.begin())) {
      flaw = CbcIvFlaw::chained;
    } else if (small_step(prev_iv_.data(), iv.data(), n, true) || small_step(prev_iv_.data(), iv.data(), n, false)) {
      flaw = CbcIvFlaw::counter;
    } else if (distance < n) {  // fewer than 1 bit in 8
      flaw = CbcIvFlaw::low_hamming_distance;
    }
  }
  std::copy_n(iv.begin(), n, prev_iv_.begin());
  prev_last_.fill(0);
  std::copy_n(last_block.begin(), std::min(last_block.size(), prev_last_.size()), prev_last_.begin());
  length_ = n;
  have_ = true;
  return flaw;
}

}  // namespace cts::esp
