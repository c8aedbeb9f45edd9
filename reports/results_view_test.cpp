#include "reports/results_view.h"

#include <gtest/gtest.h>

#include "reports/test_support/results_documents.h"

namespace cts::reports {
namespace {

using nlohmann::json;
using testing::small_results;

std::string load_error(const json& doc) {
  std::string error;
  EXPECT_FALSE(results_view_from_json(doc, "out/results.json", error));
  return error;
}

TEST(ResultsView, ReadsEveryField) {
  std::string error;
  auto v = results_view_from_json(small_results(), "out/results.json", error);
  ASSERT_TRUE(v) << error;
  EXPECT_EQ(v->origin, "out/results.json");
  EXPECT_EQ(v->tool_version, "0.1.0");
  EXPECT_EQ(v->seed, 42u);
  EXPECT_EQ(v->device_name, "softnic <b>bold</b>");
  EXPECT_EQ(v->case_files.size(), 2u);
  EXPECT_EQ(v->summary.total, 5u);
  ASSERT_EQ(v->cases.size(), 5u);
  const CaseView& fail = v->cases[1];
  EXPECT_EQ(fail.verdict, Verdict::fail);
  EXPECT_EQ(fail.index, 1u);
  ASSERT_EQ(fail.findings.size(), 2u);
  EXPECT_EQ(fail.findings[0].field, "handles[0]");
  EXPECT_EQ(fail.all_requirements(), (std::vector<std::string>{"REQ-001", "REQ-002", "REQ-003", "UNKNOWN-9"}));
  EXPECT_EQ(fail.evidence.size(), 1u);
  EXPECT_EQ(v->cases[4].missing_capability, "udp_esp");
  EXPECT_TRUE(v->partial_run());  // one case ended in ERROR
  EXPECT_FALSE(v->conformant());
}

TEST(ResultsView, GroupAndLeafOfCaseIds) {
  CaseView c;
  c.id = "addsa.capacity.fill_then_overflow";
  EXPECT_EQ(c.group(), "addsa.capacity");
  EXPECT_EQ(c.leaf(), "fill_then_overflow");
  c.id = "esp.roundtrip[alg=aes.128,mode=tunnel]";  // dots inside parameters stay with the case
  EXPECT_EQ(c.group(), "esp");
  EXPECT_EQ(c.leaf(), "roundtrip[alg=aes.128,mode=tunnel]");
  c.id = "single";
  EXPECT_EQ(c.group(), "");
  EXPECT_EQ(c.leaf(), "single");
}

TEST(ResultsView, RejectsOtherSchemaVersions) {
  json doc = small_results();
  doc["schema_version"] = 3;
  EXPECT_EQ(load_error(doc),
            "out/results.json: $.schema_version: unsupported schema_version 3 (this version of ipsec-cts reads 1 to 2)");
  doc["schema_version"] = "1";
  EXPECT_EQ(load_error(doc), "out/results.json: $.schema_version: expected an integer, found a string");
  doc.erase("schema_version");
  EXPECT_EQ(load_error(doc), "out/results.json: $: missing member \"schema_version\"");
  EXPECT_EQ(load_error(json::array()), "out/results.json: $: expected an object (a results document), found an array");
}

TEST(ResultsView, NamesThePathOfAWrongMember) {
  json doc = small_results();
  doc["cases"][3]["verdict"] = "MAYBE";
  EXPECT_EQ(load_error(doc), "out/results.json: $.cases[3].verdict: unknown verdict \"MAYBE\" (expected PASS, ACCEPTABLE, FAIL, "
                             "NOT_APPLICABLE or ERROR)");
  doc = small_results();
  doc["cases"][1]["findings"][1]["actual"] = 7;
  EXPECT_EQ(load_error(doc), "out/results.json: $.cases[1].findings[1].actual: expected a string, found an integer");
  doc = small_results();
  doc["cases"][1]["findings"][0].erase("step");
  EXPECT_EQ(load_error(doc), "out/results.json: $.cases[1].findings[0]: missing member \"step\"");
  doc = small_results();
  doc["run"]["device"]["name"] = nullptr;
  EXPECT_EQ(load_error(doc), "out/results.json: $.run.device.name: expected a string, found null");
  doc = small_results();
  doc["run"]["seed"] = -1;
  EXPECT_EQ(load_error(doc), "out/results.json: $.run.seed: expected a non-negative integer, found an integer");
  doc = small_results();
  doc["cases"][0]["requirements"][0] = json::object();
  EXPECT_EQ(load_error(doc), "out/results.json: $.cases[0].requirements[0]: expected a string, found an object");
  doc = small_results();
  doc["cases"][0]["evidence"] = "none";
  EXPECT_EQ(load_error(doc), "out/results.json: $.cases[0].evidence: expected an array, found a string");
}

TEST(ResultsView, RejectsASummaryTheCasesContradict) {
  json doc = small_results();
  doc["summary"]["fail"] = 0;
  EXPECT_EQ(load_error(doc), "out/results.json: $.summary.fail: says 0 but $.cases holds 1");
  doc = small_results();
  doc["cases"].push_back(doc["cases"][0]);  // a duplicate id
  doc["summary"]["total"] = 6;
  doc["summary"]["pass"] = 3;
  EXPECT_EQ(load_error(doc), "out/results.json: $.cases[5].id: duplicate case id \"addsa.basic.one\"");
}

TEST(ResultsView, DeepEvidenceIsCutNotRecursedInto) {
  json deep = "leaf";
  for (int i = 0; i < 1000; ++i) {
    json wrapper = json::array();
    wrapper.push_back(std::move(deep));
    deep = std::move(wrapper);
  }
  json doc = small_results();
  doc["cases"][1]["evidence"][0]["device_table"] = deep;
  std::string error;
  auto v = results_view_from_json(doc, "r.json", error);
  ASSERT_TRUE(v) << error;
  const json* p = &v->cases[1].evidence[0].device_table;
  size_t depth = 0;
  while (p->is_array()) {
    p = &(*p)[0];
    ++depth;
  }
  EXPECT_LT(depth, 40u);
  EXPECT_NE(p->get<std::string>().find("nested deeper than"), std::string::npos);
}

TEST(ResultsView, LoadsTheSampleFile) {
  std::string error;
  auto v = load_results_file(testing::sample_results_path(), error);
  ASSERT_TRUE(v) << error;
  EXPECT_EQ(v->summary.total, 18u);
  EXPECT_EQ(v->summary.fail, 3u);
  EXPECT_EQ(v->summary.error, 1u);
  EXPECT_EQ(v->summary.not_applicable, 3u);
}

TEST(ResultsView, TruncatedFileIsAnErrorNamingFileAndPath) {
  std::string error;
  auto v = load_results_file("/nonexistent.json", error);
  EXPECT_FALSE(v);
  EXPECT_EQ(error.rfind("/nonexistent.json: cannot open results file", 0), 0u) << error;
}

}  // namespace
}  // namespace cts::reports
