// Keeps a capture that another process shortens while it is being read through a mapping from
// killing the reader with SIGBUS. While a MappingGuard is alive, a SIGBUS whose address lies in
// its range (a page the file no longer has) gets a page of zeros mapped in its place, and the
// guard remembers it; the reader asks truncated() before trusting what it read and stops with a
// clear error instead. Any other SIGBUS goes to the handler installed before.
#pragma once

#include <cstddef>
#include <cstdint>

namespace cts::vectors {

class MappingGuard {
 public:
  MappingGuard(const void* begin, size_t size);
  ~MappingGuard();
  MappingGuard(const MappingGuard&) = delete;
  MappingGuard& operator=(const MappingGuard&) = delete;

  // A page of the range was found missing since the guard was made.
  bool truncated() const;
  // False when every slot was taken (more than kSlots mappings at once): then nothing is guarded.
  bool active() const { return slot_ >= 0; }

  static constexpr int kSlots = 64;

 private:
  int slot_ = -1;
};

}  // namespace cts::vectors
