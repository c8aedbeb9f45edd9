#include "runner/results/expectations.h"

#include <gtest/gtest.h>

namespace cts::results {
namespace {

std::string parse_error(const std::string& text) {
  std::string error;
  EXPECT_FALSE(parse_expectations(text, "/some/where/waivers.json", error));
  return error;
}

TEST(Expectations, ReasonIsMandatoryAndTyposAreErrors) {
  EXPECT_EQ(parse_error(R"({"schema_version": 1, "expectations": [{"case": "a.*", "verdict": "FAIL"}]})"),
            "/some/where/waivers.json: $.expectations[0].reason: a reason is required: say why this result is accepted");
  EXPECT_EQ(parse_error(R"({"schema_version": 1, "expectations": [{"case": "a.*", "verdict": "FAIL", "reason": " "}]})"),
            "/some/where/waivers.json: $.expectations[0].reason: a reason is required: say why this result is accepted");
  EXPECT_EQ(parse_error(R"({"schema_version": 1, "expectations": [{"case": "a", "verdict": "FAIL", "reason": "r", "lnk": ""}]})"),
            "/some/where/waivers.json: $.expectations[0].lnk: unknown member (a typo would silently waive nothing)");
  EXPECT_EQ(parse_error(R"({"schema_version": 1, "expectations": [{"case": "a", "verdict": "PASS", "reason": "r"}]})"),
            "/some/where/waivers.json: $.expectations[0].verdict: \"PASS\" is not an expectable verdict (FAIL, ERROR or NOT_APPLICABLE)");
  EXPECT_NE(parse_error("{").find("not valid JSON"), std::string::npos);
}

TEST(Expectations, ExpectedUnexpectedAndStale) {
  std::string error;
  auto f = parse_expectations(R"({"schema_version": 1, "expectations": [
      {"case": "recv.oob.*", "verdict": "FAIL", "reason": "firmware 1.2", "link": "https://tracker/1"},
      {"case": "send.fixed", "verdict": "FAIL", "reason": "fixed in 1.3"},
      {"case": "upd.*", "verdict": "ERROR", "reason": "hangs"},
      {"case": "gone.*", "verdict": "FAIL", "reason": "no such case"}]})",
                              "dir/waivers.json", error);
  ASSERT_TRUE(f) << error;
  EXPECT_EQ(f->name, "waivers.json");
  std::vector<CaseResult> cases(4);
  cases[0].id = "recv.oob.icv";
  cases[0].verdict = Verdict::fail;
  cases[1].id = "send.fixed";
  cases[1].verdict = Verdict::pass;
  cases[2].id = "upd.chain";
  cases[2].verdict = Verdict::fail;
  cases[3].id = "other";
  cases[3].verdict = Verdict::fail;
  RunInfo run;
  apply_expectations(*f, run, cases);
  EXPECT_FALSE(cases[0].unexpected());
  EXPECT_EQ(cases[1].expectation->outcome, ExpectationOutcome::stale);
  EXPECT_TRUE(cases[2].unexpected());  // expected ERROR, got FAIL
  EXPECT_TRUE(cases[3].unexpected());  // no expectation
  ASSERT_EQ(run.expectations.size(), 4u);
  EXPECT_FALSE(run.expectations[0].stale);
  EXPECT_TRUE(run.expectations[1].stale);
  EXPECT_FALSE(run.expectations[2].stale);
  EXPECT_TRUE(run.expectations[3].stale);
  EXPECT_EQ(run.expectations[3].matched, 0u);
  EXPECT_EQ(run.expectations_file, "waivers.json");
}

}  // namespace
}  // namespace cts::results
