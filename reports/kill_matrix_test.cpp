#include "reports/kill_matrix.h"

#include <gtest/gtest.h>

namespace cts::reports {
namespace {

nlohmann::json run_of(const std::string& name, std::vector<std::pair<std::string, std::string>> cases) {
  nlohmann::json j;
  j["run"]["device"]["name"] = name;
  j["cases"] = nlohmann::json::array();
  for (auto& [id, verdict] : cases) j["cases"].push_back({{"id", id}, {"verdict", verdict}});
  return j;
}

TEST(KillMatrix, RowsAreKillingCasesAndSurvivorsAreCounted) {
  std::string error;
  auto a = kill_matrix_device(run_of("m1", {{"c.b", "FAIL"}, {"c.a", "PASS"}, {"c.z", "FAIL"}}), "m1",
                              "a/results.json", error);
  auto b = kill_matrix_device(run_of("m2", {{"c.a", "PASS"}, {"c.b", "ERROR"}}), "m2", "b/results.json",
                              error);
  ASSERT_TRUE(a && b) << error;
  const KillMatrix m = build_kill_matrix({*a, *b});
  EXPECT_EQ(m.killing_cases, (std::vector<std::string>{"c.b", "c.z"}));
  EXPECT_TRUE(m.killed(0, "c.b"));
  EXPECT_FALSE(m.killed(1, "c.b"));  // ERROR is no kill
  EXPECT_EQ(m.survivors(), 1u);
  const auto j = kill_matrix_json(m);
  EXPECT_EQ(j["devices"][1]["errors"], nlohmann::json::array({"c.b"}));
  EXPECT_FALSE(j["devices"][1]["killed"].get<bool>());
  const std::string text = kill_matrix_text(m);
  EXPECT_NE(text.find("c.z  X ."), std::string::npos) << text;
  EXPECT_NE(text.find("survivors: 1 of 2\n  m2"), std::string::npos) << text;
}

TEST(KillMatrix, HtmlEscapesWhatDevicesSay) {
  std::string error;
  auto d = kill_matrix_device(run_of("<b>", {{"x<y", "FAIL"}}), "lab\"el", "r.json", error);
  ASSERT_TRUE(d) << error;
  const std::string html = kill_matrix_html(build_kill_matrix({*d}));
  EXPECT_EQ(html.find("<b>"), std::string::npos);
  EXPECT_NE(html.find("x&lt;y"), std::string::npos);
  EXPECT_NE(html.find("lab&quot;el"), std::string::npos);
}

TEST(KillMatrix, NotAResultsDocumentNamesTheFileAndPath) {
  std::string error;
  EXPECT_FALSE(kill_matrix_device(nlohmann::json::object(), "x", "x/results.json", error));
  EXPECT_NE(error.find("x/results.json: $.cases"), std::string::npos) << error;
  nlohmann::json bad = run_of("m", {{"a", "FAIL"}});
  bad["cases"][0].erase("verdict");
  EXPECT_FALSE(kill_matrix_device(bad, "x", "r.json", error));
  EXPECT_NE(error.find("$.cases[0]"), std::string::npos) << error;
}

}  // namespace
}  // namespace cts::reports
