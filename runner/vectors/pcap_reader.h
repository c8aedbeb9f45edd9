// Streaming pcap reader over libpcap: one record at a time, so a capture of any size (1 GB and
// more) is never held in memory. Accepts the link types a vendor capture comes in: Ethernet
// (DLT_EN10MB), raw IP (DLT_RAW, LINKTYPE_IPV4, LINKTYPE_IPV6) and Linux cooked (DLT_LINUX_SLL).
//
// Errors are values: a truncated or corrupt file stops the stream with a message naming the
// file and the zero-based index of the packet that could not be read; every record delivered
// before that stays valid for the caller, which keeps the results already obtained.
#pragma once

#include <cstdint>
#include <memory>
#include <span>
#include <string>

namespace cts::vectors {

// How the bytes of a record start. Values are our own, not DLT numbers.
enum class LinkType : uint8_t {
  kEthernet,   // DLT_EN10MB: Ethernet II, optional 802.1Q tag
  kRawIp,      // DLT_RAW / LINKTYPE_RAW: IPv4 or IPv6, version nibble decides
  kIpv4,       // LINKTYPE_IPV4 (228)
  kIpv6,       // LINKTYPE_IPV6 (229)
  kLinuxSll,   // DLT_LINUX_SLL: 16-octet cooked header, protocol at octet 14
};

const char* link_type_name(LinkType type);  // "ethernet", "raw", "ipv4", "ipv6", "linux-sll"

// One captured record. `data` points into the reader's buffer and is valid until the next call
// to PcapReader::next().
struct PcapRecord {
  uint64_t index = 0;            // zero-based position in the file
  int64_t ts_sec = 0;            // capture time stamp
  int64_t ts_usec = 0;
  uint32_t original_length = 0;  // length on the wire
  std::span<const uint8_t> data; // captured octets (may be shorter than original_length)
  // `data` lies in the reader's mapping of the file and stays valid until the reader is
  // destroyed (not only until the next call), so it can be handed to other threads uncopied.
  bool stable = false;

  bool capture_truncated() const { return data.size() < original_length; }
};

enum class ReadStatus : uint8_t { kRecord, kEnd, kError };

class PcapReader {
 public:
  // Opens `path` (pcap or pcapng, as libpcap reads them). On failure returns null and sets
  // `error` to "FILE: reason" (missing file, truncated global header, bad magic, link type not
  // accepted).
  static std::unique_ptr<PcapReader> open(const std::string& path, std::string& error);

  ~PcapReader();
  PcapReader(const PcapReader&) = delete;
  PcapReader& operator=(const PcapReader&) = delete;

  // kRecord: `out` holds the next record. kEnd: clean end of file. kError: the record at
  // `out.index` could not be read; error() says why ("FILE: packet 17: truncated dump file...").
  // After kEnd or kError every later call repeats the same answer.
  ReadStatus next(PcapRecord& out);

  const std::string& error() const { return error_; }
  // False when the file was shortened under the mapping since the last record was handed out
  // (its octets may be zeros): the caller must not judge it, and next() reports kError.
  bool intact() const;
  const std::string& path() const { return path_; }
  LinkType link_type() const { return link_type_; }
  int dlt() const { return dlt_; }
  uint64_t records_read() const { return next_index_; }
  // How much of the mapping behind the record handed out last stays mapped (default 4 MiB):
  // a caller that keeps stable records of several MiB in flight raises it to their span, so
  // their pages are not given back and faulted in again while they are still being read.
  void keep_behind(size_t bytes);
  // "FILE: packet N: the capture was shortened by another process while it was being read"
  std::string shrunk_error() const;

 private:
  PcapReader() = default;
  struct Handle;
  Handle* handle_ = nullptr;
  std::string path_;
  std::string error_;
  LinkType link_type_ = LinkType::kEthernet;
  int dlt_ = 0;
  uint64_t next_index_ = 0;
  ReadStatus final_ = ReadStatus::kRecord;
};

}  // namespace cts::vectors
