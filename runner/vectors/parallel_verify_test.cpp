// verify --jobs: for every committed capture, N workers give exactly the reports (in capture
// order) and the summary of one verifier, also when chunks are tiny so records cross chunk
// boundaries; a cut capture keeps its read error.
#include "runner/vectors/parallel_verify.h"

#include <gtest/gtest.h>

#include <filesystem>
#include <string>
#include <vector>

#include "runner/vectors/sidecar.h"

namespace cts::vectors {
namespace {

namespace fs = std::filesystem;

struct VerifyRun {
  VerifySummary summary;
  std::vector<PacketReport> reports;
};

VerifyRun run(const std::string& pcap, const Sidecar& s, unsigned jobs, size_t chunk) {
  VerifyRun r;
  std::string error;
  EXPECT_TRUE(verify_capture_jobs(pcap, s, VerifyOptions{}, jobs,
                                  [&](const PacketReport& p) { r.reports.push_back(p); }, r.summary, error, chunk))
      << pcap << ": " << error;
  return r;
}

void expect_same(const VerifyRun& a, const VerifyRun& b, const std::string& what) {
  ASSERT_EQ(a.reports.size(), b.reports.size()) << what;
  for (size_t i = 0; i < a.reports.size(); ++i) {
    const PacketReport& x = a.reports[i];
    const PacketReport& y = b.reports[i];
    SCOPED_TRACE(what + " record " + std::to_string(i));
    EXPECT_EQ(x.index, y.index);
    EXPECT_EQ(x.verdict, y.verdict);
    EXPECT_STREQ(x.detail, y.detail);
    EXPECT_EQ(x.spi, y.spi);
    EXPECT_EQ(x.seq, y.seq);
    EXPECT_EQ(x.window_top, y.window_top);
    EXPECT_EQ(x.inner_protocol, y.inner_protocol);
    EXPECT_EQ(x.mismatch, y.mismatch);
    EXPECT_EQ(x.expected, y.expected);
  }
  EXPECT_EQ(a.summary.packets, b.summary.packets) << what;
  EXPECT_EQ(a.summary.passed, b.summary.passed) << what;
  EXPECT_EQ(a.summary.failed, b.summary.failed) << what;
  EXPECT_EQ(a.summary.by_verdict, b.summary.by_verdict) << what;
  EXPECT_EQ(a.summary.capture_short, b.summary.capture_short) << what;
  EXPECT_EQ(a.summary.read_error, b.summary.read_error) << what;
}

TEST(ParallelVerify, EveryCommittedCaptureGivesTheSingleVerifierOutput) {
  size_t captures = 0;
  for (const char* folder : {"generated", "published"}) {
    const fs::path dir = fs::path(CTS_SOURCE_ROOT) / "vectors" / folder;
    for (const auto& f : fs::directory_iterator(dir)) {
      if (f.path().extension() != ".pcap") continue;
      fs::path side = f.path();
      side.replace_extension(".json");
      Sidecar s;
      std::string error;
      ASSERT_TRUE(load_sidecar(side.string(), s, error)) << error;
      const VerifyRun one = run(f.path().string(), s, 1, kChunkRecords);
      ASSERT_FALSE(one.reports.empty()) << f.path();
      for (unsigned jobs : {2u, 3u}) {
        for (size_t chunk : {size_t{1}, size_t{5}, kChunkRecords}) {
          expect_same(one, run(f.path().string(), s, jobs, chunk),
                      f.path().filename().string() + " jobs=" + std::to_string(jobs) + " chunk=" + std::to_string(chunk));
        }
      }
      ++captures;
    }
  }
  EXPECT_GT(captures, 20u);
}

TEST(ParallelVerify, WorkerOfKeepsAnSpiOnOneWorkerAndSpreadsSpis) {
  // IPv4 + ESP header with a given SPI.
  auto packet = [](uint32_t spi) {
    std::vector<uint8_t> p(20 + 8 + 16, 0);
    p[0] = 0x45;
    p[2] = 0;
    p[3] = static_cast<uint8_t>(p.size());
    p[8] = 64;
    p[9] = 50;
    p[20] = static_cast<uint8_t>(spi >> 24);
    p[21] = static_cast<uint8_t>(spi >> 16);
    p[22] = static_cast<uint8_t>(spi >> 8);
    p[23] = static_cast<uint8_t>(spi);
    return p;
  };
  std::vector<unsigned> count(4);
  for (uint32_t spi = 0x100; spi < 0x100 + 400; ++spi) {
    const auto p = packet(spi);
    const unsigned w = worker_of(p, 4);
    ASSERT_LT(w, 4u);
    EXPECT_EQ(w, worker_of(p, 4));
    ++count[w];
  }
  for (unsigned c : count) EXPECT_GT(c, 50u);
  const std::vector<uint8_t> arp(20, 0);
  EXPECT_EQ(worker_of(arp, 4), 0u);
}

}  // namespace
}  // namespace cts::vectors
