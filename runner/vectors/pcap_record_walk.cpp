#include "runner/vectors/pcap_record_walk.h"

#include <cstring>

namespace cts::vectors {
namespace {

constexpr uint32_t kMagicMicro = 0xa1b2c3d4u;
constexpr uint32_t kMagicNano = 0xa1b23c4du;

uint32_t load32(const uint8_t* p, bool swapped) {
  uint32_t v = 0;
  std::memcpy(&v, p, 4);
  return swapped ? __builtin_bswap32(v) : v;
}

uint16_t load16(const uint8_t* p, bool swapped) {
  uint16_t v = 0;
  std::memcpy(&v, p, 2);
  return swapped ? __builtin_bswap16(v) : v;
}

}  // namespace

std::optional<ClassicPcapLayout> classic_pcap_layout(std::span<const uint8_t> file, uint32_t snapshot) {
  if (file.size() < kPcapFileHeaderSize || snapshot == 0) return std::nullopt;
  uint32_t magic = 0;
  std::memcpy(&magic, file.data(), 4);
  ClassicPcapLayout layout;
  if (magic == kMagicMicro || magic == kMagicNano) {
    layout.swapped = false;
  } else if (__builtin_bswap32(magic) == kMagicMicro || __builtin_bswap32(magic) == kMagicNano) {
    layout.swapped = true;
    magic = __builtin_bswap32(magic);
  } else {
    return std::nullopt;
  }
  layout.nanosecond = magic == kMagicNano;
  // Older versions swap caplen and len in some writers; libpcap has rules for them.
  if (load16(file.data() + 4, layout.swapped) != 2 || load16(file.data() + 6, layout.swapped) != 4) {
    return std::nullopt;
  }
  layout.snapshot = snapshot;
  return layout;
}

bool next_ordinary_record(std::span<const uint8_t> file, const ClassicPcapLayout& layout,
                          size_t& offset, PcapRecordView& out) {
  if (offset > file.size() || file.size() - offset < kPcapRecordHeaderSize) return false;
  const uint8_t* h = file.data() + offset;
  const uint32_t caplen = load32(h + 8, layout.swapped);
  if (caplen > layout.snapshot || caplen > kPcapMaxRecordLength) return false;
  if (file.size() - offset - kPcapRecordHeaderSize < caplen) return false;
  const uint32_t frac = load32(h + 4, layout.swapped);
  // A fraction of a second out of range is left to libpcap's own arithmetic.
  if (frac >= (layout.nanosecond ? 1000000000u : 1000000u)) return false;
  // The file's seconds are a signed 32-bit field (struct pcap_timeval), as libpcap reads them.
  out.ts_sec = static_cast<int64_t>(static_cast<int32_t>(load32(h, layout.swapped)));
  out.ts_usec = static_cast<int64_t>(layout.nanosecond ? frac / 1000 : frac);
  out.original_length = load32(h + 12, layout.swapped);
  out.data = file.subspan(offset + kPcapRecordHeaderSize, caplen);
  offset += kPcapRecordHeaderSize + caplen;
  return true;
}

}  // namespace cts::vectors
