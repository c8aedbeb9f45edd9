#include "runner/vectors/verify_results.h"

#include <gtest/gtest.h>

#include "runner/results/results_json.h"

namespace cts::vectors {
namespace {

Sidecar two_sa_sidecar() {
  Sidecar s;
  s.name = "gcm-pair";
  SidecarSa a;
  a.id = "sa1";
  a.spi = 0x1001;
  SidecarSa b;
  b.id = "sa2";
  b.spi = 0x2002;
  s.sas = {a, b};
  for (uint64_t i = 0; i < 3; ++i) {
    SidecarPacket p;
    p.index = i;
    p.sa = i == 2 ? "sa2" : "sa1";
    p.expect = PacketVerdict::ok;
    p.requirements = {i == 2 ? "ICV-001" : "GCM-004"};
    s.packets.push_back(p);
  }
  return s;
}

PacketReport report(const Sidecar& s, uint64_t i, PacketVerdict v, uint32_t mismatch) {
  PacketReport r;
  r.index = i;
  r.verdict = v;
  r.has_esp = true;
  r.spi = s.find_sa(s.packets[i].sa)->spi;
  r.seq = i + 1;
  r.expected = &s.packets[i];
  r.mismatch = mismatch;
  return r;
}

TEST(VerifyResults, OneCasePerSaEachFailingPacketAFinding) {
  const Sidecar s = two_sa_sidecar();
  VerifyResults v(s, "/captures/vendor.pcap", "/vectors/gcm-pair.json");
  v.add(report(s, 0, PacketVerdict::ok, kMismatchNone));
  v.add(report(s, 1, PacketVerdict::ok, kMismatchNone));
  v.add(report(s, 2, PacketVerdict::bad_icv, kMismatchVerdict));
  VerifySummary sum;
  sum.packets = 3;
  sum.expected_packets = 3;
  const results::Results r = v.finish(sum, "2026-12-07T18:00:00Z", 12.5, "0.1.0");
  ASSERT_EQ(r.cases.size(), 3u);
  EXPECT_EQ(r.cases[0].id, "capture.gcm-pair.length");
  EXPECT_EQ(r.cases[0].verdict, results::Verdict::pass);
  EXPECT_EQ(r.cases[1].id, "capture.gcm-pair.sa1");
  EXPECT_EQ(r.cases[1].verdict, results::Verdict::pass);
  EXPECT_EQ(r.cases[1].requirements, (std::vector<std::string>{"GCM-004"}));
  const results::CaseResult& bad = r.cases[2];
  EXPECT_EQ(bad.id, "capture.gcm-pair.sa2");
  EXPECT_EQ(bad.verdict, results::Verdict::fail);
  ASSERT_EQ(bad.findings.size(), 1u);
  EXPECT_EQ(bad.findings[0].step, "packet[2]");
  EXPECT_EQ(bad.findings[0].field, "verdict");
  EXPECT_EQ(bad.findings[0].expected, "ok");
  EXPECT_EQ(bad.findings[0].actual, "bad-icv");
  EXPECT_EQ(bad.findings[0].requirements, (std::vector<std::string>{"ICV-001"}));
  EXPECT_EQ(bad.file, "gcm-pair.json");  // no path of this machine
  EXPECT_EQ(r.run.device.spec, "capture:vendor.pcap");
  EXPECT_EQ(r.summary.fail, 1u);
  EXPECT_EQ(results::reproduce_command(r.run, bad), "ipsec-cts vectors verify vendor.pcap --sa gcm-pair.json");
  // The results model's own JSON form takes it back whole.
  std::string error;
  auto back = results::results_from_json(results::results_to_json(r), "r.json", error);
  ASSERT_TRUE(back) << error;
  EXPECT_EQ(back->cases.size(), 3u);
}

TEST(VerifyResults, ShortCaptureAndUnexplainedRecords) {
  const Sidecar s = two_sa_sidecar();
  VerifyResults v(s, "c.pcap", "gcm-pair.json");
  PacketReport stray;
  stray.index = 0;
  stray.verdict = PacketVerdict::not_esp;
  stray.mismatch = kMismatchUnexpected;
  v.add(stray);
  VerifySummary sum;
  sum.packets = 1;
  sum.expected_packets = 3;
  sum.capture_short = true;
  const results::Results r = v.finish(sum, "", 1, "0.1.0");
  std::map<std::string, results::Verdict> verdicts;
  for (const auto& c : r.cases) verdicts[c.id] = c.verdict;
  EXPECT_EQ(verdicts.at("capture.gcm-pair.length"), results::Verdict::fail);
  EXPECT_EQ(verdicts.at("capture.gcm-pair.unmatched"), results::Verdict::fail);
}

}  // namespace
}  // namespace cts::vectors
