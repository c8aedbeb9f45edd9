// A map from non-NULL handles (64-bit OffloadHandle values) to a small value, in two flat arrays
// with open addressing. A capacity case keeps one entry per bundle of a device of a million: a
// node-based hash set spent about 40 bytes and one allocation per handle, this about 9 to 24
// bytes (key, value, free slots) and none.
//
// Entries are never erased (a case only ever learns handles); callers clear a value instead.
#pragma once

#include <cstddef>
#include <cstdint>
#include <vector>

namespace cts::core {

template <typename V>
class FlatHandleMap {
 public:
  // The value of `handle`, or nullptr when it was never inserted (or is 0, the NULL handle).
  const V* find(uint64_t handle) const {
    if (handle == 0 || keys_.empty()) return nullptr;
    for (size_t i = home(handle);; i = (i + 1) & mask_) {
      if (keys_[i] == handle) return &values_[i];
      if (keys_[i] == 0) return nullptr;
    }
  }
  V* find(uint64_t handle) {
    return const_cast<V*>(static_cast<const FlatHandleMap*>(this)->find(handle));
  }
  // The value of `handle`, value-initialized when new. `handle` must not be 0.
  V& operator[](uint64_t handle) {
    if ((used_ + 1) * 10 > keys_.size() * 7) grow();
    size_t i = home(handle);
    for (; keys_[i] != 0; i = (i + 1) & mask_)
      if (keys_[i] == handle) return values_[i];
    keys_[i] = handle;
    values_[i] = V{};
    ++used_;
    return values_[i];
  }
  size_t size() const { return used_; }

 private:
  size_t home(uint64_t handle) const {
    // Fibonacci hashing: device handles are often a slot number in low bits and a generation
    // in high bits; the multiply spreads both over the index bits.
    return static_cast<size_t>((handle * 0x9E3779B97F4A7C15ull) >> shift_) & mask_;
  }
  void grow() {
    std::vector<uint64_t> old_keys = std::move(keys_);
    std::vector<V> old_values = std::move(values_);
    const size_t capacity = old_keys.empty() ? 64 : old_keys.size() * 2;
    keys_.assign(capacity, 0);
    values_.assign(capacity, V{});
    mask_ = capacity - 1;
    shift_ = 64;
    for (size_t c = capacity; c > 1; c >>= 1) --shift_;
    used_ = 0;
    for (size_t k = 0; k < old_keys.size(); ++k)
      if (old_keys[k] != 0) {
        size_t i = home(old_keys[k]);
        while (keys_[i] != 0) i = (i + 1) & mask_;
        keys_[i] = old_keys[k];
        values_[i] = std::move(old_values[k]);
        ++used_;
      }
  }

  std::vector<uint64_t> keys_;  // 0 = free slot
  std::vector<V> values_;
  size_t mask_ = 0;
  unsigned shift_ = 64;
  size_t used_ = 0;
};

}  // namespace cts::core
