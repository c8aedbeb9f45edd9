// The in-place record walk: the four standard layouts decode as libpcap reads them, and every
// record that is not ordinary is declined (left to libpcap) without reading past the buffer.
#include "runner/vectors/pcap_record_walk.h"

#include <gtest/gtest.h>

#include <cstring>
#include <vector>

namespace cts::vectors {
namespace {

void put32(std::vector<uint8_t>& b, uint32_t v, bool swapped) {
  if (swapped) v = __builtin_bswap32(v);
  uint8_t raw[4];
  std::memcpy(raw, &v, 4);
  b.insert(b.end(), raw, raw + 4);
}

void put16(std::vector<uint8_t>& b, uint16_t v, bool swapped) {
  if (swapped) v = __builtin_bswap16(v);
  uint8_t raw[2];
  std::memcpy(raw, &v, 2);
  b.insert(b.end(), raw, raw + 2);
}

// A file header as the pcap format defines it (magic, 2.4, thiszone, sigfigs, snaplen, linktype).
std::vector<uint8_t> file_header(uint32_t magic, bool swapped, uint16_t major = 2, uint16_t minor = 4) {
  std::vector<uint8_t> b;
  put32(b, magic, swapped);
  put16(b, major, swapped);
  put16(b, minor, swapped);
  put32(b, 0, swapped);
  put32(b, 0, swapped);
  put32(b, 65535, swapped);
  put32(b, 1, swapped);
  return b;
}

void add_record(std::vector<uint8_t>& b, bool swapped, uint32_t sec, uint32_t frac, uint32_t caplen,
                uint32_t len, uint8_t fill) {
  put32(b, sec, swapped);
  put32(b, frac, swapped);
  put32(b, caplen, swapped);
  put32(b, len, swapped);
  b.insert(b.end(), caplen, fill);
}

TEST(PcapRecordWalk, RecognisesTheFourStandardMagicsOnly) {
  for (bool swapped : {false, true}) {
    auto micro = classic_pcap_layout(file_header(0xa1b2c3d4u, swapped), 65535);
    ASSERT_TRUE(micro);
    EXPECT_EQ(micro->swapped, swapped);
    EXPECT_FALSE(micro->nanosecond);
    auto nano = classic_pcap_layout(file_header(0xa1b23c4du, swapped), 65535);
    ASSERT_TRUE(nano);
    EXPECT_TRUE(nano->nanosecond);
  }
  EXPECT_FALSE(classic_pcap_layout(file_header(0x0a0d0d0au, false), 65535)) << "pcapng";
  EXPECT_FALSE(classic_pcap_layout(file_header(0xa1b2cd34u, false), 65535)) << "modified pcap";
  EXPECT_FALSE(classic_pcap_layout(file_header(0xa1b2c3d4u, false, 2, 3), 65535)) << "version 2.3";
  auto h = file_header(0xa1b2c3d4u, false);
  EXPECT_FALSE(classic_pcap_layout(std::span<const uint8_t>(h).first(23), 65535));
  EXPECT_FALSE(classic_pcap_layout(h, 0));
}

TEST(PcapRecordWalk, DecodesRecordsInEveryLayout) {
  for (uint32_t magic : {0xa1b2c3d4u, 0xa1b23c4du}) {
    for (bool swapped : {false, true}) {
      auto f = file_header(magic, swapped);
      const bool nano = magic == 0xa1b23c4du;
      add_record(f, swapped, 1700000000u, nano ? 123456789u : 123456u, 60, 60, 0xAB);
      add_record(f, swapped, 0xFFFFFFF0u, 0, 10, 1500, 0xCD);  // seconds are signed 32-bit
      const auto layout = classic_pcap_layout(f, 65535);
      ASSERT_TRUE(layout);
      size_t offset = kPcapFileHeaderSize;
      PcapRecordView v;
      ASSERT_TRUE(next_ordinary_record(f, *layout, offset, v));
      EXPECT_EQ(v.ts_sec, 1700000000);
      EXPECT_EQ(v.ts_usec, 123456) << "nanoseconds are reported as microseconds";
      EXPECT_EQ(v.original_length, 60u);
      ASSERT_EQ(v.data.size(), 60u);
      EXPECT_EQ(v.data[0], 0xAB);
      EXPECT_EQ(v.data.data(), f.data() + 24 + 16) << "in place, no copy";
      ASSERT_TRUE(next_ordinary_record(f, *layout, offset, v));
      EXPECT_EQ(v.ts_sec, -16);
      EXPECT_EQ(v.original_length, 1500u);
      EXPECT_EQ(v.data.size(), 10u);
      EXPECT_EQ(offset, f.size());
      EXPECT_FALSE(next_ordinary_record(f, *layout, offset, v)) << "end of file";
      EXPECT_EQ(offset, f.size());
    }
  }
}

TEST(PcapRecordWalk, DeclinesEveryRecordThatIsNotOrdinary) {
  const auto base = file_header(0xa1b2c3d4u, false);
  const auto layout = *classic_pcap_layout(base, 1000);
  struct Case {
    const char* what;
    uint32_t frac;
    uint32_t caplen;
    size_t cut;  // octets removed from the end
  };
  const Case cases[] = {
      {"caplen above the snapshot length", 0, 1001, 0},
      {"caplen above libpcap's maximum", 0, kPcapMaxRecordLength + 1, 0},
      {"microseconds out of range", 1000000, 10, 0},
      {"data cut short", 0, 10, 1},
      {"header cut short", 0, 0, 1},
  };
  for (const Case& c : cases) {
    auto f = base;
    if (c.caplen <= 2000) {
      add_record(f, false, 1, c.frac, c.caplen, c.caplen, 0);
    } else {
      put32(f, 1, false);
      put32(f, 0, false);
      put32(f, c.caplen, false);
      put32(f, c.caplen, false);
    }
    f.resize(f.size() - c.cut);
    size_t offset = kPcapFileHeaderSize;
    PcapRecordView v;
    EXPECT_FALSE(next_ordinary_record(f, layout, offset, v)) << c.what;
    EXPECT_EQ(offset, kPcapFileHeaderSize) << c.what << ": the offset names the declined record";
  }
  size_t past = base.size() + 5;
  PcapRecordView v;
  EXPECT_FALSE(next_ordinary_record(base, layout, past, v)) << "an offset past the end";
}

}  // namespace
}  // namespace cts::vectors
