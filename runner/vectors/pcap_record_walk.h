// Zero-copy walk over the records of a classic pcap file held in memory (a read-only mapping).
//
// libpcap copies every record into its own buffer; at 1400-octet packets that copy and the page
// faults behind it cost about a quarter of `vectors verify`. The walk hands out records in place
// and handles only the ordinary case: the four standard magics of version 2.4, a complete
// 16-octet record header and a captured length within the file, the snapshot length and
// libpcap's per-record maximum. For anything else it declines, and the reader gives the file
// back to libpcap at that record, so libpcap stays the one judge of unusual and damaged files.
#pragma once

#include <cstddef>
#include <cstdint>
#include <optional>
#include <span>

namespace cts::vectors {

struct ClassicPcapLayout {
  bool swapped = false;     // written on a host of the other byte order
  bool nanosecond = false;  // magic 0xa1b23c4d: fractions are nanoseconds
  uint32_t snapshot = 0;    // the snapshot length libpcap enforces for this file
};

inline constexpr size_t kPcapFileHeaderSize = 24;
inline constexpr size_t kPcapRecordHeaderSize = 16;
// libpcap refuses a record longer than this (its MAXIMUM_SNAPLEN) for the link types read here.
inline constexpr uint32_t kPcapMaxRecordLength = 262144;

// The layout of a classic pcap file of version 2.4, or nothing (pcapng, other versions, modified
// formats, a header too short). `snapshot` is the value libpcap reports (pcap_snapshot()).
std::optional<ClassicPcapLayout> classic_pcap_layout(std::span<const uint8_t> file, uint32_t snapshot);

struct PcapRecordView {
  int64_t ts_sec = 0;
  int64_t ts_usec = 0;  // microseconds, as libpcap reports them by default
  uint32_t original_length = 0;
  std::span<const uint8_t> data;
};

// Decodes the ordinary record at `offset` and advances `offset` past it. Returns false, leaving
// `offset` alone, at the end of the file and for any record that is not ordinary.
bool next_ordinary_record(std::span<const uint8_t> file, const ClassicPcapLayout& layout,
                          size_t& offset, PcapRecordView& out);

}  // namespace cts::vectors
