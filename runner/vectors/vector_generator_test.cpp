// Generator: deterministic for a seed, different for another seed, covers what the issue lists,
// and every generated vector verifies against its own sidecar through the oracle.
#include "runner/vectors/vector_generator.h"

#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <iterator>
#include <set>

#include <unistd.h>

#include "runner/vectors/capture_verifier.h"

namespace cts::vectors {
namespace {

const std::string kKnownAnswers = std::string(CTS_SOURCE_ROOT) + "/vectors/known-answers/esp-known-answers.json";

std::vector<VectorData> generate(uint64_t seed) {
  GenerateOptions opt;
  opt.seed = seed;
  opt.known_answers = kKnownAnswers;
  opt.tool_version = "test";
  std::vector<VectorData> out;
  std::string error;
  EXPECT_TRUE(generate_vectors(opt, out, error)) << error;
  return out;
}

TEST(VectorGenerator, SameSeedSameBytesOtherSeedOtherBytes) {
  const auto a = generate(5), b = generate(5), c = generate(6);
  ASSERT_EQ(a.size(), b.size());
  for (size_t i = 0; i < a.size(); ++i) {
    EXPECT_EQ(a[i].frames, b[i].frames) << a[i].name;
    EXPECT_EQ(sidecar_to_json(a[i].sidecar), sidecar_to_json(b[i].sidecar)) << a[i].name;
  }
  bool differs = false;
  for (size_t i = 0; i < a.size(); ++i)
    if (a[i].name.rfind("generated/", 0) == 0 && a[i].frames != c[i].frames) differs = true;
  EXPECT_TRUE(differs);
}

TEST(VectorGenerator, CoversTheListedScenarios) {
  const auto all = generate(kDefaultSeed);
  std::set<std::string> names, flags, suites;
  std::set<std::string> verdicts;
  bool esn_wrap = false, udp = false, v6_ext = false, tunnel = false, transport = false, v6 = false;
  for (const auto& v : all) {
    names.insert(v.name);
    for (const auto& sa : v.sidecar.sas) {
      suites.insert(esp::format_suite(sa.suite));
      udp |= sa.udp_encap.has_value();
      tunnel |= sa.mode == SaMode::tunnel;
      transport |= sa.mode == SaMode::transport;
      v6 |= sa.ip_version == 6;
    }
    for (const auto& p : v.sidecar.packets) {
      for (const auto& f : p.flags) flags.insert(f);
      verdicts.insert(verdict_label(p.expect));
      if (p.esn_high && *p.esn_high == 1 && v.sidecar.name.rfind("esn-wrap", 0) == 0) esn_wrap = true;
      v6_ext |= std::find(p.flags.begin(), p.flags.end(), "ipv6-ext-headers") != p.flags.end();
    }
  }
  for (const auto& s : esp::all_suites()) EXPECT_TRUE(suites.count(esp::format_suite(s))) << esp::format_suite(s);
  for (const char* f : {"corrupt-icv", "corrupt-padding", "truncated", "wrong-spi", "duplicate", "inside-window",
                        "outside-window", "far-ahead", "esn-wrap", "esn-old-as-next", "dummy", "published"})
    EXPECT_TRUE(flags.count(f)) << f;
  for (const char* v : {"ok", "bad-icv", "replay", "outside-window", "bad-padding", "unknown-spi", "truncated", "dummy"})
    EXPECT_TRUE(verdicts.count(v)) << v;
  EXPECT_TRUE(esn_wrap && udp && v6_ext && tunnel && transport && v6);
  EXPECT_TRUE(names.count("published/mcgrew-gcm-test-01-gcm128-esn"));
  EXPECT_TRUE(names.count("published/odp-replay-window32-scenario"));
}

TEST(VectorGenerator, EveryVectorVerifiesAgainstItsSidecar) {
  const auto all = generate(kDefaultSeed);
  const std::string dir = ::testing::TempDir() + "cts_gen_verify_" + std::to_string(::getpid());
  for (const auto& v : all) {
    std::string error;
    ASSERT_TRUE(write_vector(dir, v, error)) << error;
    Sidecar reloaded;
    ASSERT_TRUE(load_sidecar(dir + "/" + v.name + ".json", reloaded, error)) << error;
    VerifySummary summary;
    std::vector<std::string> failures;
    ASSERT_TRUE(verify_capture(dir + "/" + v.name + ".pcap", reloaded, VerifyOptions{},
                               [&](const PacketReport& r) {
                                 if (!r.passed())
                                   failures.push_back(v.name + " #" + std::to_string(r.index) + " " +
                                                      verdict_label(r.verdict) + ": " + mismatch_text(r.mismatch) +
                                                      " (" + r.detail + ")");
                               },
                               summary, error))
        << error;
    EXPECT_TRUE(summary.ok()) << v.name;
    for (const auto& f : failures) ADD_FAILURE() << f;
  }
  std::filesystem::remove_all(dir);
}

}  // namespace
}  // namespace cts::vectors
