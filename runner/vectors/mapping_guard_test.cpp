// A capture shortened by another process while it is read through the mapping: a clear error
// naming the packet, never SIGBUS.
#include "runner/vectors/mapping_guard.h"

#include <gtest/gtest.h>
#include <unistd.h>

#include <cstdio>
#include <string>
#include <vector>

#include "runner/vectors/pcap_reader.h"

namespace cts::vectors {
namespace {

void put32(std::vector<uint8_t>& out, uint32_t v) {
  for (int i = 0; i < 4; ++i) out.push_back(static_cast<uint8_t>(v >> (8 * i)));
}

// A classic little-endian pcap of `records` raw-IP records of 1000 octets each.
std::string write_capture(size_t records) {
  std::vector<uint8_t> f;
  put32(f, 0xA1B2C3D4);
  f.push_back(2), f.push_back(0), f.push_back(4), f.push_back(0);  // version 2.4
  put32(f, 0);
  put32(f, 0);
  put32(f, 65535);
  put32(f, 101);  // LINKTYPE_RAW
  for (size_t i = 0; i < records; ++i) {
    put32(f, static_cast<uint32_t>(i));
    put32(f, 0);
    put32(f, 1000);
    put32(f, 1000);
    f.push_back(0x45);
    f.insert(f.end(), 999, static_cast<uint8_t>(i));
  }
  // One file per process: ctest runs this test and its openssl-backend twin at the same time.
  const std::string path = std::string(CTS_BINARY_DIR) + "/shrinking-capture-" + std::to_string(::getpid()) + ".pcap";
  FILE* out = std::fopen(path.c_str(), "wb");
  EXPECT_NE(out, nullptr);
  std::fwrite(f.data(), 1, f.size(), out);
  std::fclose(out);
  return path;
}

TEST(MappingGuard, ACaptureShortenedWhileReadIsAnErrorNamingThePacket) {
  for (size_t records : {size_t{200}, size_t{8000}}) {  // without and with the read-ahead helper
    const std::string path = write_capture(records);
    std::string error;
    auto reader = PcapReader::open(path, error);
    ASSERT_TRUE(reader) << error;
    PcapRecord rec;
    ASSERT_EQ(reader->next(rec), ReadStatus::kRecord);
    ASSERT_EQ(::truncate(path.c_str(), 64 * 1024), 0);
    ReadStatus st;
    uint64_t sum = 0;
    while ((st = reader->next(rec)) == ReadStatus::kRecord) {
      for (uint8_t b : rec.data) sum += b;
      if (!reader->intact()) break;
    }
    EXPECT_FALSE(reader->intact() && st == ReadStatus::kRecord);
    if (st != ReadStatus::kError) st = reader->next(rec);
    EXPECT_EQ(st, ReadStatus::kError) << records;
    EXPECT_NE(reader->error().find("shortened by another process"), std::string::npos) << reader->error();
    EXPECT_NE(reader->error().find(path + ": packet "), std::string::npos) << reader->error();
    EXPECT_LT(reader->records_read(), records);
    std::remove(path.c_str());
  }
}

}  // namespace
}  // namespace cts::vectors
