// A fixed-size array of value-initialized elements whose memory, when large, is 2 MiB aligned and
// marked for transparent huge pages. The SA table's entries and inbound index are touched in
// random order at a million bundles; with 4 KiB pages nearly every access would also miss the
// TLB. Elements never move (no reallocation), so no key byte is ever left behind in freed memory.
#pragma once

#include <cstddef>
#include <cstdlib>
#include <new>
#include <utility>

#if defined(__linux__)
#include <sys/mman.h>
#endif

namespace cts::sa {

template <typename T>
class LargeArray {
 public:
  LargeArray() = default;
  explicit LargeArray(size_t n) : size_(n) {
    if (n == 0) return;
    const size_t bytes = n * sizeof(T);
    if (bytes >= kHugePage) {
      bytes_ = (bytes + kHugePage - 1) / kHugePage * kHugePage;
      void* p = std::aligned_alloc(kHugePage, bytes_);
      if (!p) throw std::bad_alloc();
#if defined(__linux__) && defined(MADV_HUGEPAGE)
      ::madvise(p, bytes_, MADV_HUGEPAGE);  // advice only; failure is harmless
#endif
      data_ = static_cast<T*>(p);
    } else {
      bytes_ = bytes;
      data_ = static_cast<T*>(::operator new(bytes, std::align_val_t{alignof(T) < 64 ? 64 : alignof(T)}));
    }
    for (size_t i = 0; i < n; ++i) new (data_ + i) T();
  }
  ~LargeArray() { release(); }
  LargeArray(LargeArray&& o) noexcept { swap(o); }
  LargeArray& operator=(LargeArray&& o) noexcept {
    if (this != &o) {
      release();
      swap(o);
    }
    return *this;
  }
  LargeArray(const LargeArray&) = delete;
  LargeArray& operator=(const LargeArray&) = delete;

  size_t size() const { return size_; }
  bool empty() const { return size_ == 0; }
  size_t memory_bytes() const { return bytes_; }
  T& operator[](size_t i) { return data_[i]; }
  const T& operator[](size_t i) const { return data_[i]; }
  T* begin() { return data_; }
  T* end() { return data_ + size_; }
  const T* begin() const { return data_; }
  const T* end() const { return data_ + size_; }

 private:
  static constexpr size_t kHugePage = size_t{2} << 20;

  void swap(LargeArray& o) noexcept {
    std::swap(data_, o.data_);
    std::swap(size_, o.size_);
    std::swap(bytes_, o.bytes_);
  }
  void release() {
    if (!data_) return;
    for (size_t i = 0; i < size_; ++i) data_[i].~T();
    if (size_ * sizeof(T) >= kHugePage) {
      std::free(data_);
    } else {
      ::operator delete(data_, std::align_val_t{alignof(T) < 64 ? 64 : alignof(T)});
    }
    data_ = nullptr;
    size_ = 0;
    bytes_ = 0;
  }

  T* data_ = nullptr;
  size_t size_ = 0;
  size_t bytes_ = 0;
};

}  // namespace cts::sa
