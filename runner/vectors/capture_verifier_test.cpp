// Verifier: a wrong expectation fails and names the field; no expectations means every packet
// must be ok; a cut capture keeps the packets judged before the cut and reports the index.
#include "runner/vectors/capture_verifier.h"

#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <iterator>
#include <string>

#include <unistd.h>

#include "runner/vectors/vector_generator.h"

namespace cts::vectors {
namespace {

VectorData replay_vector() {
  GenerateOptions opt;
  opt.tool_version = "test";
  std::vector<VectorData> all;
  std::string error;
  EXPECT_TRUE(generate_vectors(opt, all, error)) << error;
  for (auto& v : all)
    if (v.name == "generated/replay-window") return v;
  ADD_FAILURE() << "no replay-window vector";
  return {};
}

struct VerifyRun {
  VerifySummary summary;
  std::vector<PacketReport> reports;
};

VerifyRun verify(const std::string& pcap, const Sidecar& s) {
  VerifyRun run;
  std::string error;
  EXPECT_TRUE(verify_capture(pcap, s, VerifyOptions{}, [&](const PacketReport& r) { run.reports.push_back(r); },
                             run.summary, error))
      << error;
  return run;
}

class CaptureVerifierTest : public ::testing::Test {
 protected:
  void SetUp() override {
    v_ = replay_vector();
    // One folder per test and process: CTest runs the tests of this fixture in parallel.
    dir_ = ::testing::TempDir() + "cts_verifier_" + ::testing::UnitTest::GetInstance()->current_test_info()->name() +
           "_" + std::to_string(::getpid());
    std::string error;
    ASSERT_TRUE(write_vector(dir_, v_, error)) << error;
    pcap_ = dir_ + "/" + v_.name + ".pcap";
  }
  void TearDown() override { std::filesystem::remove_all(dir_); }
  VectorData v_;
  std::string dir_, pcap_;
};

TEST_F(CaptureVerifierTest, ExpectationsFromTheSpecAreMet) {
  const VerifyRun run = verify(pcap_, v_.sidecar);
  EXPECT_TRUE(run.summary.ok());
  ASSERT_EQ(run.reports.size(), v_.sidecar.packets.size());
  // Independent of the generator: RFC 4303 §3.4.3 with W = 64 after T = 100: 20 is left of the
  // window, 40 and 37 are inside, 36 = T - 64 is the first number outside.
  for (const auto& r : run.reports) {
    if (r.seq == 20 || r.seq == 36) {
      EXPECT_EQ(r.verdict, PacketVerdict::outside_window) << r.index;
    }
    if (r.seq == 40 || r.seq == 37) {
      EXPECT_EQ(r.verdict, PacketVerdict::ok) << r.index;
    }
    if (r.has_esp && r.seq_low == 0) {
      EXPECT_EQ(r.verdict, PacketVerdict::outside_window);  // SEQ-007
    }
  }
}

TEST_F(CaptureVerifierTest, AWrongExpectationFailsAndNamesTheField) {
  Sidecar s = v_.sidecar;
  s.packets[2].expect = PacketVerdict::bad_icv;
  const VerifyRun run = verify(pcap_, s);
  EXPECT_FALSE(run.summary.ok());
  EXPECT_EQ(run.summary.failed, 1u);
  EXPECT_EQ(run.reports[2].mismatch, kMismatchVerdict);
  EXPECT_EQ(mismatch_text(run.reports[2].mismatch), "verdict");
}

TEST_F(CaptureVerifierTest, WithoutExpectationsEveryPacketMustBeOk) {
  Sidecar s = v_.sidecar;
  s.packets.clear();
  const VerifyRun run = verify(pcap_, s);
  EXPECT_FALSE(run.summary.ok());  // the capture holds replays and out-of-window packets
  EXPECT_GT(run.summary.passed, 0u);
  EXPECT_GT(run.summary.by_verdict[static_cast<size_t>(PacketVerdict::replay)], 0u);
}

TEST_F(CaptureVerifierTest, ACutCaptureKeepsEarlierResultsAndNamesTheIndex) {
  std::ifstream in(pcap_, std::ios::binary);
  std::vector<char> bytes{std::istreambuf_iterator<char>(in), {}};
  const std::string cut = dir_ + "/cut.pcap";
  std::ofstream out(cut, std::ios::binary);
  out.write(bytes.data(), static_cast<std::streamsize>(bytes.size() - 10));
  out.close();
  const VerifyRun run = verify(cut, v_.sidecar);
  EXPECT_FALSE(run.summary.ok());
  EXPECT_EQ(run.reports.size(), v_.sidecar.packets.size() - 1);
  EXPECT_EQ(run.summary.failed, 0u);
  EXPECT_NE(run.summary.read_error.find("packet " + std::to_string(v_.sidecar.packets.size() - 1)), std::string::npos)
      << run.summary.read_error;
  EXPECT_NE(run.summary.read_error.find(cut), std::string::npos);
}

TEST_F(CaptureVerifierTest, ExtraRecordsAndShortCapturesFail) {
  Sidecar fewer = v_.sidecar;
  fewer.packets.pop_back();
  const VerifyRun extra = verify(pcap_, fewer);
  EXPECT_FALSE(extra.summary.ok());
  EXPECT_EQ(extra.reports.back().mismatch, kMismatchUnexpected);
  Sidecar more = v_.sidecar;
  more.packets.push_back(more.packets.back());
  more.packets.back().index = more.packets.size() - 1;
  const VerifyRun shorter = verify(pcap_, more);
  EXPECT_TRUE(shorter.summary.capture_short);
  EXPECT_FALSE(shorter.summary.ok());
}

}  // namespace
}  // namespace cts::vectors
