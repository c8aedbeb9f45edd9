#include "reports/html_evidence.h"

#include <gtest/gtest.h>

#include "reports/test_support/mini_xml.h"

namespace cts::reports {
namespace {

using nlohmann::json;

json dump_with(size_t bundles) {
  json d = {{"bundle_count", bundles}, {"bundles", json::array()}};
  for (size_t i = 0; i < bundles; ++i)
    d["bundles"].push_back({{"slot", i}, {"handle", "0x" + std::to_string(1000 + i)}, {"direction", "inbound"},
                            {"sas", {{{"spi", "0x1000"}, {"operation", "ESP"}, {"esn", true}}}}});
  return d;
}

TEST(HtmlEvidence, SaTableColumnsInReadingOrder) {
  const std::string html = render_sa_table_html(dump_with(2), "Oracle", "r.json $.x");
  std::string error;
  ASSERT_TRUE(testing::parse_html("<div>" + html + "</div>", error)) << error;
  EXPECT_LT(html.find(">handle<"), html.find(">slot<"));
  EXPECT_LT(html.find(">slot<"), html.find(">direction<"));
  EXPECT_NE(html.find("<b>ESP</b> · SPI 0x1000 · ESN"), std::string::npos);
}

TEST(HtmlEvidence, LargeTablesPointIntoTheResultsFile) {
  const std::string html = render_sa_table_html(dump_with(250), "Oracle", "r.json $.cases[1].evidence[0].oracle_table");
  EXPECT_NE(html.find("… and 50 more bundles, all in <code>r.json $.cases[1].evidence[0].oracle_table.bundles</code>"),
            std::string::npos);
}

TEST(HtmlEvidence, NonDumpIsShownAsText) {
  const std::string html = render_sa_table_html("<b>not a dump</b>", "Device", "w");
  EXPECT_NE(html.find("Not an SA-table dump"), std::string::npos);
  EXPECT_NE(html.find("&lt;b&gt;not a dump&lt;/b&gt;"), std::string::npos);
}

TEST(HtmlEvidence, AnswersComparedByWhatMatters) {
  CaseView c;
  c.id = "x.y.z";
  c.verdict = Verdict::fail;
  c.findings = {{"steps[0]", "wire", "a", "b", {}, ""}};
  c.evidence = json::array(
      {{{"step", "steps[0]"},
        {"op", "send"},
        {"oracle", {{"handles", {"0x00010001"}}, {"wire", "450000880001000040320000200000000001abababab"}}},
        {"device", {{"handles", {"0x00000007"}}, {"wire", "450000880001000040320000200000000001abababcd"}}}}});
  const std::string html = render_case_evidence(c, "r.json");
  std::string error;
  ASSERT_TRUE(testing::parse_html("<div>" + html + "</div>", error)) << error;
  // Two non-NULL handles from two namespaces are not a difference; the wire bytes are.
  EXPECT_EQ(html.find("<tr class=\"differs\"><th scope=\"row\">handles"), std::string::npos);
  EXPECT_NE(html.find("<tr class=\"differs\"><th scope=\"row\">wire"), std::string::npos);
  EXPECT_NE(html.find("first difference at byte 21: oracle ab, device cd"), std::string::npos);
  EXPECT_NE(html.find("open=\"open\""), std::string::npos);  // the step of the finding
}

TEST(HtmlEvidence, NullHandleAgainstHandleIsADifference) {
  CaseView c;
  c.id = "x";
  c.verdict = Verdict::fail;
  c.evidence = json::array({{{"step", "steps[0]"},
                             {"oracle", {{"handles", {"NULL"}}}},
                             {"device", {{"handles", {"0x00000007"}}}}}});
  EXPECT_NE(render_case_evidence(c, "r.json").find("<tr class=\"differs\"><th scope=\"row\">handles"), std::string::npos);
}

TEST(HtmlEvidence, FailWithoutEvidenceSaysSo) {
  CaseView c;
  c.verdict = Verdict::error;
  EXPECT_NE(render_case_evidence(c, "r.json").find("No evidence was recorded"), std::string::npos);
  c.verdict = Verdict::pass;
  EXPECT_EQ(render_case_evidence(c, "r.json"), "");
}

}  // namespace
}  // namespace cts::reports
