// A classic pcap file mapped read-only and walked in place (pcap_record_walk.h), for the
// throughput of `vectors verify` on captures of any size.
//
// Page tables for a file mapping are filled by faults, one per 64 KiB, and emptied again by
// munmap; on a virtual machine each costs about as much as copying the data. A helper thread
// does both beside the walk: it touches the pages a few MiB ahead, so the reading thread meets
// mapped pages, and gives back the pages well behind, so a capture of many gigabytes never stays
// resident. The next record is prefetched while the caller works on the current one.
#pragma once

#include <atomic>
#include <condition_variable>
#include <cstddef>
#include <cstdint>
#include <memory>
#include <mutex>
#include <thread>

#include "runner/vectors/mapping_guard.h"
#include "runner/vectors/pcap_record_walk.h"

namespace cts::vectors {

class MappedCapture {
 public:
  // Maps the regular file open on `fd` when it is a classic pcap file the walk handles; null
  // otherwise (a pipe, pcapng, a file that cannot be mapped): the caller reads it another way.
  // `snapshot` is the snapshot length libpcap reports for the file.
  static std::unique_ptr<MappedCapture> open(int fd, uint32_t snapshot);
  ~MappedCapture();
  MappedCapture(const MappedCapture&) = delete;
  MappedCapture& operator=(const MappedCapture&) = delete;

  // The next ordinary record, valid until the next call or destruction; false at the end of the
  // file or at a record the walk declines (offset() then names it).
  bool next(PcapRecordView& out);
  size_t offset() const { return offset_; }
  // Pages closer than `bytes` behind the walk stay mapped (pcap_reader.h).
  void keep_behind(size_t bytes) { keep_behind_.store(bytes, std::memory_order_relaxed); }
  // The file was shortened under the mapping (mapping_guard.h): what was read since may be
  // zeros, and next() hands out nothing more.
  bool shrunk() const { return guard_.truncated(); }

 private:
  MappedCapture(const uint8_t* map, size_t size, const ClassicPcapLayout& layout);
  void helper_loop();
  void stay_ahead(size_t record_start);

  const uint8_t* map_;
  size_t size_;
  ClassicPcapLayout layout_;
  MappingGuard guard_;  // before the helper thread, which touches the mapping too
  size_t page_;
  size_t offset_ = kPcapFileHeaderSize;  // of the next record
  size_t prefetched_ = 0;                // lines before this were prefetched
  size_t told_ = 0;                      // walk position last told to the helper

  // Helper thread: maps pages up to `position_ + kAheadBytes`, gives back pages before
  // `position_ - kKeepBehind`. `position_` is the start of the record handed out last.
  std::thread helper_;
  std::mutex mutex_;
  std::condition_variable wake_;
  std::atomic<size_t> position_{0};
  std::atomic<bool> stop_{false};
  std::atomic<size_t> keep_behind_;
};

}  // namespace cts::vectors
