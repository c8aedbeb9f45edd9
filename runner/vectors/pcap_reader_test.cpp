// Pcap reader: round trip with the writer, every accepted link type, and a capture truncated at
// every length never crashes, keeps the records read before the cut and names the packet index.
#include "runner/vectors/pcap_reader.h"

#include <gtest/gtest.h>
#include <pcap/pcap.h>

#include <cstdio>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <vector>

#include <unistd.h>

#include "runner/vectors/pcap_writer.h"

namespace cts::vectors {
namespace {

std::string temp_path(const std::string& name) {
  return (std::filesystem::temp_directory_path() / ("cts_vectors_" + std::to_string(::getpid()) + "_" + name)).string();
}

std::vector<uint8_t> read_all(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  return {std::istreambuf_iterator<char>(in), {}};
}

void write_all(const std::string& path, const std::vector<uint8_t>& bytes, size_t n) {
  std::ofstream out(path, std::ios::binary | std::ios::trunc);
  out.write(reinterpret_cast<const char*>(bytes.data()), static_cast<std::streamsize>(n));
}

std::vector<std::vector<uint8_t>> sample_frames() {
  std::vector<std::vector<uint8_t>> frames;
  for (int i = 0; i < 4; ++i) {
    std::vector<uint8_t> f(static_cast<size_t>(40 + 13 * i));
    for (size_t k = 0; k < f.size(); ++k) f[k] = static_cast<uint8_t>(k * 7 + static_cast<size_t>(i));
    frames.push_back(f);
  }
  return frames;
}

std::string write_sample(const std::string& name, LinkType link) {
  const std::string path = temp_path(name);
  std::string error;
  auto w = PcapWriter::create(path, link, error);
  EXPECT_NE(w, nullptr) << error;
  int64_t t = 0;
  for (const auto& f : sample_frames()) {
    EXPECT_TRUE(w->write(f, 1000 + t, 10 * t, error)) << error;
    ++t;
  }
  EXPECT_TRUE(w->close(error)) << error;
  return path;
}

TEST(PcapReader, RoundTripKeepsEveryRecordAndTimestamp) {
  const std::string path = write_sample("roundtrip.pcap", LinkType::kEthernet);
  std::string error;
  auto r = PcapReader::open(path, error);
  ASSERT_NE(r, nullptr) << error;
  EXPECT_EQ(r->link_type(), LinkType::kEthernet);
  EXPECT_EQ(r->dlt(), DLT_EN10MB);
  const auto frames = sample_frames();
  PcapRecord rec;
  for (size_t i = 0; i < frames.size(); ++i) {
    ASSERT_EQ(r->next(rec), ReadStatus::kRecord) << r->error();
    EXPECT_EQ(rec.index, i);
    EXPECT_EQ(rec.ts_sec, static_cast<int64_t>(1000 + i));
    EXPECT_EQ(rec.ts_usec, static_cast<int64_t>(10 * i));
    EXPECT_EQ(rec.original_length, frames[i].size());
    EXPECT_FALSE(rec.capture_truncated());
    EXPECT_EQ(std::vector<uint8_t>(rec.data.begin(), rec.data.end()), frames[i]);
  }
  EXPECT_EQ(r->next(rec), ReadStatus::kEnd);
  EXPECT_EQ(r->next(rec), ReadStatus::kEnd);  // sticky
  std::remove(path.c_str());
}

TEST(PcapReader, WriterOutputIsAPureFunctionOfTheRecords) {
  const std::string a = write_sample("det_a.pcap", LinkType::kEthernet);
  const std::string b = write_sample("det_b.pcap", LinkType::kEthernet);
  EXPECT_EQ(read_all(a), read_all(b));
  // Classic pcap header: magic a1b2c3d4 (host order), version 2.4, link type 1.
  const auto bytes = read_all(a);
  ASSERT_GE(bytes.size(), 24u);
  EXPECT_EQ(bytes[20] | (bytes[21] << 8), 1);
  std::remove(a.c_str());
  std::remove(b.c_str());
}

TEST(PcapReader, AcceptsRawIpLinkTypes) {
  for (LinkType t : {LinkType::kRawIp, LinkType::kIpv4, LinkType::kIpv6}) {
    const std::string path = write_sample(std::string("raw_") + link_type_name(t) + ".pcap", t);
    std::string error;
    auto r = PcapReader::open(path, error);
    ASSERT_NE(r, nullptr) << error;
    EXPECT_EQ(r->link_type(), t);
    std::remove(path.c_str());
  }
}

TEST(PcapReader, RejectsOtherLinkTypesNamingTheFile) {
  const std::string path = temp_path("ppp.pcap");
  pcap_t* p = pcap_open_dead(DLT_PPP, 65535);
  pcap_dumper_t* d = pcap_dump_open(p, path.c_str());
  pcap_dump_close(d);
  pcap_close(p);
  std::string error;
  EXPECT_EQ(PcapReader::open(path, error), nullptr);
  EXPECT_NE(error.find(path), std::string::npos) << error;
  EXPECT_NE(error.find("link type 9"), std::string::npos) << error;
  std::remove(path.c_str());
}

TEST(PcapReader, MissingFileIsAnErrorNamingIt) {
  std::string error;
  EXPECT_EQ(PcapReader::open("/nonexistent/capture.pcap", error), nullptr);
  EXPECT_NE(error.find("/nonexistent/capture.pcap"), std::string::npos);
}

// Cut the capture at every length: no crash, records before the cut are delivered intact, and a
// cut inside record k reports "packet k" with the file name.
TEST(PcapReader, TruncatedAtEveryLengthReportsIndexAndKeepsEarlierRecords) {
  const std::string path = write_sample("full.pcap", LinkType::kEthernet);
  const auto bytes = read_all(path);
  const auto frames = sample_frames();
  // Record k ends at 24 + sum_{i<=k} (16 + len_i).
  std::vector<size_t> record_end;
  size_t end = 24;
  for (const auto& f : frames) {
    end += 16 + f.size();
    record_end.push_back(end);
  }
  ASSERT_EQ(end, bytes.size());
  const std::string cut = temp_path("cut.pcap");
  for (size_t n = 0; n < bytes.size(); ++n) {
    write_all(cut, bytes, n);
    std::string error;
    auto r = PcapReader::open(cut, error);
    if (n < 24) {
      EXPECT_EQ(r, nullptr) << "length " << n;
      EXPECT_NE(error.find(cut), std::string::npos) << error;
      continue;
    }
    ASSERT_NE(r, nullptr) << "length " << n << ": " << error;
    size_t complete = 0;
    while (complete < record_end.size() && record_end[complete] <= n) ++complete;
    PcapRecord rec;
    for (size_t i = 0; i < complete; ++i) {
      ASSERT_EQ(r->next(rec), ReadStatus::kRecord) << "length " << n << " record " << i;
      EXPECT_EQ(std::vector<uint8_t>(rec.data.begin(), rec.data.end()), frames[i]);
    }
    const ReadStatus last = r->next(rec);
    const size_t previous_end = complete == 0 ? 24 : record_end[complete - 1];
    if (n == previous_end) {
      EXPECT_EQ(last, ReadStatus::kEnd) << "length " << n;
    } else {
      ASSERT_EQ(last, ReadStatus::kError) << "length " << n;
      EXPECT_EQ(rec.index, complete);
      EXPECT_NE(r->error().find(cut), std::string::npos) << r->error();
      EXPECT_NE(r->error().find("packet " + std::to_string(complete)), std::string::npos) << r->error();
    }
  }
  std::remove(cut.c_str());
  std::remove(path.c_str());
}

TEST(PcapReader, CorruptRecordLengthIsAnErrorWithIndex) {
  const std::string path = write_sample("corrupt.pcap", LinkType::kEthernet);
  auto bytes = read_all(path);
  // Second record header starts at 24 + 16 + 40; set its caplen to 0x7fffffff.
  const size_t h = 24 + 16 + 40;
  bytes[h + 8] = 0xff;
  bytes[h + 9] = 0xff;
  bytes[h + 10] = 0xff;
  bytes[h + 11] = 0x7f;
  write_all(path, bytes, bytes.size());
  std::string error;
  auto r = PcapReader::open(path, error);
  ASSERT_NE(r, nullptr) << error;
  PcapRecord rec;
  EXPECT_EQ(r->next(rec), ReadStatus::kRecord);
  EXPECT_EQ(r->next(rec), ReadStatus::kError);
  EXPECT_NE(r->error().find("packet 1"), std::string::npos) << r->error();
  std::remove(path.c_str());
}

// The reader against libpcap read plainly (pcap_next_ex, nothing of ours): every committed
// vector and captures large enough for the read-ahead helper, in the micro- and nanosecond
// layouts, give the same records, lengths and time stamps.
void expect_same_as_libpcap(const std::string& path) {
  SCOPED_TRACE(path);
  char errbuf[PCAP_ERRBUF_SIZE] = {0};
  pcap_t* plain = pcap_open_offline(path.c_str(), errbuf);
  ASSERT_NE(plain, nullptr) << errbuf;
  std::string error;
  auto r = PcapReader::open(path, error);
  ASSERT_NE(r, nullptr) << error;
  EXPECT_EQ(r->dlt(), pcap_datalink(plain));
  PcapRecord rec;
  size_t n = 0;
  for (;; ++n) {
    struct pcap_pkthdr* h = nullptr;
    const u_char* data = nullptr;
    const int rc = pcap_next_ex(plain, &h, &data);
    const ReadStatus st = r->next(rec);
    if (rc != 1) {
      EXPECT_EQ(st, rc == PCAP_ERROR_BREAK ? ReadStatus::kEnd : ReadStatus::kError) << "record " << n;
      break;
    }
    ASSERT_EQ(st, ReadStatus::kRecord) << "record " << n << ": " << r->error();
    ASSERT_EQ(rec.index, n);
    ASSERT_EQ(rec.ts_sec, static_cast<int64_t>(h->ts.tv_sec)) << "record " << n;
    ASSERT_EQ(rec.ts_usec, static_cast<int64_t>(h->ts.tv_usec)) << "record " << n;
    ASSERT_EQ(rec.original_length, h->len) << "record " << n;
    ASSERT_EQ(rec.data.size(), h->caplen) << "record " << n;
    ASSERT_EQ(0, std::memcmp(rec.data.data(), data, h->caplen)) << "record " << n;
  }
  pcap_close(plain);
}

TEST(PcapReader, AgreesWithLibpcapOnEveryCommittedVector) {
  size_t files = 0;
  for (const auto& entry : std::filesystem::recursive_directory_iterator(std::string(CTS_SOURCE_ROOT) + "/vectors")) {
    if (entry.path().extension() != ".pcap") continue;
    expect_same_as_libpcap(entry.path().string());
    ++files;
  }
  EXPECT_GT(files, 50u);
}

TEST(PcapReader, AgreesWithLibpcapOnLargeCapturesInBothTimeStampLayouts) {
  // About 15 MiB: the read-ahead helper maps pages ahead of the walk and gives back those
  // behind it (mapped_capture.h).
  for (int precision : {PCAP_TSTAMP_PRECISION_MICRO, PCAP_TSTAMP_PRECISION_NANO}) {
    const std::string path = temp_path(precision == PCAP_TSTAMP_PRECISION_NANO ? "big-nano.pcap" : "big-micro.pcap");
    pcap_t* dead = pcap_open_dead_with_tstamp_precision(DLT_EN10MB, 65535, static_cast<u_int>(precision));
    ASSERT_NE(dead, nullptr);
    pcap_dumper_t* d = pcap_dump_open(dead, path.c_str());
    ASSERT_NE(d, nullptr) << pcap_geterr(dead);
    std::vector<uint8_t> frame(1514);
    for (uint32_t i = 0; i < 12288; ++i) {
      for (size_t k = 0; k < frame.size(); ++k) frame[k] = static_cast<uint8_t>(k + i);
      struct pcap_pkthdr h {};
      h.ts.tv_sec = static_cast<time_t>(1700000000 + i);
      h.ts.tv_usec = static_cast<suseconds_t>((i * 7919u) % (precision == PCAP_TSTAMP_PRECISION_NANO ? 1000000000u : 1000000u));
      h.caplen = static_cast<bpf_u_int32>(1000 + (i * 37) % 515);
      h.len = h.caplen + (i % 3);
      pcap_dump(reinterpret_cast<u_char*>(d), &h, frame.data());
    }
    pcap_dump_close(d);
    pcap_close(dead);
    expect_same_as_libpcap(path);
    std::remove(path.c_str());
  }
}

}  // namespace
}  // namespace cts::vectors
