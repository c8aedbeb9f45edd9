#include "runner/vectors/mapped_capture.h"

#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <system_error>

namespace cts::vectors {
namespace {

// How far ahead of the walk pages are mapped, and how often the helper is told where it is.
constexpr size_t kAheadBytes = size_t{8} << 20;
constexpr size_t kTellStep = size_t{2} << 20;
// Pages this far behind the walk are given back, in steps of this size.
constexpr size_t kKeepBehind = size_t{4} << 20;
constexpr size_t kReleaseStep = size_t{8} << 20;
// Files smaller than this are read with faults alone: the helper would not pay for itself.
constexpr size_t kHelperMinimum = size_t{4} << 20;
// A full-size Ethernet record and its header, prefetched ahead of the caller.
constexpr size_t kPrefetchBytes = 2048;

}  // namespace

std::unique_ptr<MappedCapture> MappedCapture::open(int fd, uint32_t snapshot) {
  struct stat st {};
  if (::fstat(fd, &st) != 0 || !S_ISREG(st.st_mode)) return nullptr;
  if (st.st_size < static_cast<off_t>(kPcapFileHeaderSize) ||
      static_cast<uint64_t>(st.st_size) > SIZE_MAX) {
    return nullptr;
  }
  const size_t size = static_cast<size_t>(st.st_size);
  void* m = ::mmap(nullptr, size, PROT_READ, MAP_PRIVATE, fd, 0);
  if (m == MAP_FAILED) return nullptr;
  const auto* map = static_cast<const uint8_t*>(m);
  const std::optional<ClassicPcapLayout> layout = classic_pcap_layout({map, size}, snapshot);
  if (!layout) {
    ::munmap(m, size);
    return nullptr;
  }
  ::madvise(m, size, MADV_SEQUENTIAL);
  return std::unique_ptr<MappedCapture>(new MappedCapture(map, size, *layout));
}

MappedCapture::MappedCapture(const uint8_t* map, size_t size, const ClassicPcapLayout& layout)
    : map_(map),
      size_(size),
      layout_(layout),
      guard_(map, size),
      page_(static_cast<size_t>(::sysconf(_SC_PAGESIZE))),
      keep_behind_(kKeepBehind) {
  if (size_ >= kHelperMinimum) {
    try {
      helper_ = std::thread([this] { helper_loop(); });
      told_ = offset_;
      position_.store(offset_, std::memory_order_relaxed);  // start mapping at once
    } catch (const std::system_error&) {
      // No thread to spare: the walk takes the faults itself.
    }
  }
  stay_ahead(offset_);
}

MappedCapture::~MappedCapture() {
  if (helper_.joinable()) {
    {
      std::lock_guard<std::mutex> lock(mutex_);
      stop_.store(true);
    }
    wake_.notify_one();
    helper_.join();  // before the unmap: the helper reads the mapping
  }
  ::munmap(const_cast<uint8_t*>(map_), size_);
}

void MappedCapture::helper_loop() {
  size_t mapped = 0;
  size_t released = 0;
  size_t seen = 0;
  for (;;) {
    size_t position = 0;
    {
      // The walk only stores its position (no wake-up call on the reading thread's path); the
      // helper looks every millisecond, in which the walk covers a few MiB at most.
      std::unique_lock<std::mutex> lock(mutex_);
      wake_.wait_for(lock, std::chrono::milliseconds(1),
                     [&] { return stop_.load() || position_.load(std::memory_order_relaxed) != seen; });
      if (stop_.load()) return;
      position = seen = position_.load(std::memory_order_relaxed);
    }
    // A read per page maps it (and its fault-around neighbours) for the whole process.
    const size_t ahead = std::min(size_, position + kAheadBytes);
    for (; mapped < ahead && !stop_.load(std::memory_order_relaxed); mapped += page_) {
      (void)*static_cast<const volatile uint8_t*>(map_ + mapped);
    }
    // The walk never goes back, and the caller holds at most the record at `position`.
    const size_t keep = keep_behind_.load(std::memory_order_relaxed);
    if (position >= released + keep + kReleaseStep) {
      const size_t upto = (position - keep) / page_ * page_;
      ::madvise(const_cast<uint8_t*>(map_) + released, upto - released, MADV_DONTNEED);
      released = upto;
    }
  }
}

void MappedCapture::stay_ahead(size_t record_start) {
  if (helper_.joinable() && record_start >= told_ + kTellStep) {
    told_ = record_start;
    position_.store(record_start, std::memory_order_relaxed);
  }
  // Each line of what follows is prefetched once.
  const size_t end = std::min(size_, offset_ + kPrefetchBytes);
  for (size_t at = std::max(prefetched_, offset_) & ~size_t{63}; at < end; at += 64) {
    __builtin_prefetch(map_ + at);
  }
  prefetched_ = std::max(prefetched_, end);
}

bool MappedCapture::next(PcapRecordView& out) {
  const size_t start = offset_;
  if (guard_.truncated()) return false;
  if (!next_ordinary_record({map_, size_}, layout_, offset_, out)) return false;
  if (guard_.truncated()) return false;  // the walk itself met the missing pages
  stay_ahead(start);
  return true;
}

}  // namespace cts::vectors
