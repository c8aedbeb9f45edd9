#include "runner/results/results_json.h"

#include <gtest/gtest.h>

namespace cts::results {
namespace {

Results sample() {
  Results r;
  r.tool_version = "0.1.0";
  r.run.seed = 7;
  r.run.device = {"plugin:libsoftnic.so", "softnic", "sample", {{"dump", true}}, {{"esp", true}}, nullptr};
  r.run.case_files = {{"addsa.json", std::string(64, 'a'), 2, ""}};
  r.run.case_set_sha256 = std::string(64, 'b');
  r.run.case_set_cases = 2;
  r.run.library = true;
  r.run.started_at = "2026-12-07T10:00:00Z";
  CaseResult pass;
  pass.id = "b.case";
  pass.file = "addsa.json";
  pass.requirements = {"ADD-001"};
  CaseResult fail;
  fail.id = "a.case[x=1]";
  fail.file = "addsa.json";
  fail.verdict = Verdict::fail;
  fail.requirements = {"ADD-002"};
  fail.findings = {{"steps[0]", "status", "SUCCESS", "FAILURE", {"ADD-003"}, "why"}};
  StepEvidence ev;
  ev.step = "steps[0]";
  ev.op = "oid ADD_SA";
  ev.abi = "x64";
  ev.request = "0100";
  ev.request_fields = {{"elements[0].SecAssoc[0].Spi", "4097"}};
  ev.oracle = OidAnswer{"NDIS_STATUS_SUCCESS (0x00000000)", 0, std::nullopt, {"0x1"}, "why", {{0, "Spi", "taken"}}};
  ev.device = OidAnswer{"NDIS_STATUS_FAILURE (0xc0000001)", 0, 96, {"NULL"}, "", {}};
  PacketEvidence p;
  p.frame = "aabb";
  p.sequence = 1;
  p.seq_high = 0;
  p.device = PacketAnswer{};
  p.device->indicated = true;
  p.device->ipsec_info = 65538;
  p.device->header_info = 0;
  p.device->oob = {{"CryptoDone", "1"}, {"CryptoStatus", "CRYPTO_GENERIC_ERROR(1)"}};
  p.oracle = PacketAnswer{};
  p.oracle->note = "ESP ICV mismatch";
  p.vector = VectorRecord{"gcm-1", 3};
  ev.packets = {p};
  ev.oracle_table = {{"bundles", nlohmann::json::array()}};
  ev.oracle_table_counts = TableCounts{1, 1, 0};
  ev.capabilities = {{"structure.Esp", "TRUE"}};
  ev.iterations = 4;
  fail.evidence = {ev};
  fail.artifacts = {{"pcap", "steps[0]", "evidence/a.case/steps0.pcap"}};
  fail.expectation = CaseExpectation{Verdict::fail, "known", "https://x/1", "a.*", ExpectationOutcome::expected};
  r.cases = {pass, fail};
  r.summary = summarize(r.cases);
  return r;
}

TEST(ResultsJson, EvidenceIsReadTypedWithPaths) {
  nlohmann::json doc = results_to_json(sample());
  doc["cases"][0]["evidence"][0]["packets"][0]["device"]["ipsec_info"] = "65538";
  std::string error;
  EXPECT_FALSE(results_from_json(doc, "r.json", error));
  EXPECT_EQ(error, "r.json: $.cases[0].evidence[0].packets[0].device.ipsec_info: expected a non-negative integer, found a string");
  doc = results_to_json(sample());
  doc["cases"][0]["evidence"][0]["request_fields"][0] = {{"name", "Spi"}};
  EXPECT_FALSE(results_from_json(doc, "r.json", error));
  EXPECT_EQ(error, "r.json: $.cases[0].evidence[0].request_fields[0].value: missing required field") << error;
}

// Free text in the evidence (a device's note, the oracle's message, a wire detail) names no path
// of the machine that ran the suite.
TEST(ResultsJson, EvidenceTextCarriesNoMachinePath) {
  StepEvidence ev;
  ev.step = "steps[1]";
  ev.note = "cannot open /home/ci/work/build/lib/libvendor.so: no such file";
  ev.device_reported = "dump failed (/opt/vendor/agent --port=1)";
  ev.oracle = OidAnswer{"NDIS_STATUS_SUCCESS (0x00000000)", std::nullopt, std::nullopt, {}, "key file /srv/keys/k.bin",
                        {{0, "Spi", "taken by /tmp/x/y"}}};
  PacketEvidence p;
  p.frame = "00";
  p.device = PacketAnswer{};
  p.device->detail = "ICV checked against /work/a/b.pcap";
  ev.packets = {p};
  const nlohmann::json j = step_evidence_to_json(ev);
  const std::string text = j.dump();
  for (const char* dir : {"/home/ci", "/opt/vendor", "/srv/keys", "/tmp/x", "/work/a"})
    EXPECT_EQ(text.find(dir), std::string::npos) << dir << " in " << text;
  EXPECT_EQ(j["note"], "cannot open libvendor.so: no such file");
  EXPECT_EQ(j["packets"][0]["device"]["detail"], "ICV checked against b.pcap");
  EXPECT_EQ(j["oracle"]["elements"][0]["reason"], "taken by y");
}

TEST(ResultsJson, RoundTripsEveryField) {
  const Results r = sample();
  const nlohmann::json doc = results_to_json(r);
  EXPECT_EQ(doc["cases"][0]["id"], "a.case[x=1]");  // sorted by id
  std::string error;
  auto back = results_from_json(doc, "r.json", error);
  ASSERT_TRUE(back) << error;
  EXPECT_EQ(canonical_dump(results_to_json(*back)), canonical_dump(doc));
  EXPECT_EQ(back->cases[0].artifacts, r.cases[1].artifacts);
  EXPECT_EQ(back->cases[0].evidence, r.cases[1].evidence);  // typed evidence, every member
  ASSERT_TRUE(back->cases[0].expectation);
  EXPECT_EQ(back->cases[0].expectation->reason, "known");
  EXPECT_FALSE(back->cases[0].unexpected());
  EXPECT_EQ(back->summary, r.summary);
}

TEST(ResultsJson, ErrorsNameTheOriginAndPath) {
  nlohmann::json doc = results_to_json(sample());
  std::string error;
  doc["cases"][1]["verdict"] = "MAYBE";
  EXPECT_FALSE(results_from_json(doc, "out/results.json", error));
  EXPECT_EQ(error, "out/results.json: $.cases[1].verdict: unknown verdict \"MAYBE\" (expected PASS, ACCEPTABLE, FAIL, NOT_APPLICABLE or ERROR)");
  doc = results_to_json(sample());
  doc["summary"]["fail"] = 0;
  EXPECT_FALSE(results_from_json(doc, "r.json", error));
  EXPECT_EQ(error, "r.json: $.summary.fail: says 0 but $.cases holds 1");
  doc = results_to_json(sample());
  doc["cases"][0]["artifacts"][0]["path"] = "/etc/passwd";
  EXPECT_FALSE(results_from_json(doc, "r.json", error));
  EXPECT_NE(error.find("$.cases[0].artifacts[0].path"), std::string::npos) << error;
  doc = results_to_json(sample());
  doc["schema_version"] = 3;
  EXPECT_FALSE(results_from_json(doc, "r.json", error));
  EXPECT_NE(error.find("unsupported schema_version 3"), std::string::npos);
}

TEST(Completeness, OnlyTheWholeLibraryWithoutErrorIsComplete) {
  Results r = sample();
  EXPECT_TRUE(assess_completeness(r).complete);
  r.run.filters = {"a.*"};
  auto c = assess_completeness(r);
  EXPECT_FALSE(c.complete);
  ASSERT_EQ(c.left_out.size(), 1u);
  EXPECT_EQ(c.left_out[0], "only cases matching --filter a.*");
  r = sample();
  r.run.case_set_cases = 3;
  EXPECT_EQ(assess_completeness(r).left_out, (std::vector<std::string>{"1 of the 3 cases of the case set did not run"}));
  r = sample();
  r.cases[0].verdict = Verdict::error;
  r.summary = summarize(r.cases);
  EXPECT_FALSE(assess_completeness(r).complete);
  r = sample();
  r.run.stopped = "5 consecutive ERRORs";
  EXPECT_FALSE(assess_completeness(r).complete);
}

TEST(ReproduceCommand, NamesTheDeviceSeedAndExactId) {
  const Results r = sample();
  EXPECT_EQ(reproduce_command(r.run, r.cases[1]), "ipsec-cts run --dut plugin:libsoftnic.so --seed 7 --filter 'a.case[x=1]'");
  RunInfo custom = r.run;
  custom.library = false;
  // An absolute --cases folder is not recorded: the line says what the file is relative to.
  EXPECT_EQ(reproduce_command(custom, r.cases[0]),
            "ipsec-cts run --dut plugin:libsoftnic.so --cases addsa.json --seed 7 --filter b.case"
            "  # --cases relative to the case folder the run was given");
  // A file of the suite's library, from the repository root.
  custom.case_files[0].root = "cases";
  EXPECT_EQ(reproduce_command(custom, r.cases[0]),
            "ipsec-cts run --dut plugin:libsoftnic.so --cases cases/addsa.json --seed 7 --filter b.case");
  EXPECT_EQ(replay_command(custom), "ipsec-cts run --dut plugin:libsoftnic.so --cases cases/addsa.json --seed 7");
  // A relative --cases folder, from where the run started.
  custom.case_files[0].root = "my cases";
  EXPECT_EQ(reproduce_command(custom, r.cases[0]),
            "ipsec-cts run --dut plugin:libsoftnic.so --cases 'my cases/addsa.json' --seed 7 --filter b.case"
            "  # --cases relative to the folder the run was started in");
  // The root survives the JSON form.
  Results round = sample();
  round.run.case_files[0].root = "cases";
  std::string error;
  auto back = results_from_json(results_to_json(round), "results.json", error);
  ASSERT_TRUE(back) << error;
  EXPECT_EQ(back->run.case_files[0].root, "cases");
}

TEST(WithoutMachinePaths, ReducesAbsolutePathsToFileNames) {
  EXPECT_EQ(without_machine_paths("plugin:/work/x/build/lib/libsoftnic.so"), "plugin:libsoftnic.so");
  EXPECT_EQ(without_machine_paths("cannot open /home/ci/a b/c.json: no such file"), "cannot open a b/c.json: no such file");
  EXPECT_EQ(without_machine_paths("agent (/opt/x/agent --port=1) died"), "agent (agent --port=1) died");
  EXPECT_EQ(without_machine_paths("ratio 1/2 and /x"), "ratio 1/2 and /x");
  EXPECT_EQ(without_machine_paths("at /a/b/c."), "at c.");
}

}  // namespace
}  // namespace cts::results
