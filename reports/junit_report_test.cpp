#include "reports/junit_report.h"

#include <gtest/gtest.h>

#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <set>

#include <unistd.h>

#include "reports/test_support/mini_xml.h"
#include "reports/test_support/results_documents.h"
#include "reports/text_escape.h"

namespace cts::reports {
namespace {

using testing::XmlNode;

struct Rendered {
  std::string xml;
  XmlNode root;
};

Rendered render(const nlohmann::json& doc, bool with_catalogue = true) {
  std::string error;
  auto run = results_view_from_json(doc, "out/results.json", error);
  auto cat = RequirementCatalogue::parse(testing::small_catalogue_text(), "req.json", error);
  if (!run || !cat) throw std::runtime_error(error);
  JunitOptions options;
  options.html_report = "report.html";
  Rendered r;
  r.xml = render_junit(*run, with_catalogue ? &*cat : nullptr, options);
  auto root = testing::parse_xml(r.xml, error);
  if (!root) throw std::runtime_error("not well-formed XML: " + error + "\n" + r.xml);
  r.root = *root;
  return r;
}

std::string attr(const XmlNode& n, const char* name) {
  const std::string* v = n.attribute(name);
  return v ? *v : "<missing " + std::string(name) + ">";
}

const XmlNode& testcase(const XmlNode& root, const std::string& classname, const std::string& name) {
  for (const XmlNode* t : root.find_all("testcase"))
    if (attr(*t, "classname") == classname && attr(*t, "name") == name) return *t;
  throw std::runtime_error("no testcase " + classname + " " + name);
}

TEST(Junit, SuitesPerCaseFileWithCounts) {
  const Rendered r = render(testing::small_results());
  EXPECT_EQ(r.root.name, "testsuites");
  EXPECT_EQ(attr(r.root, "tests"), "5");
  EXPECT_EQ(attr(r.root, "failures"), "1");
  EXPECT_EQ(attr(r.root, "errors"), "1");
  EXPECT_EQ(attr(r.root, "time"), "10.020");
  const auto suites = r.root.children_named("testsuite");
  ASSERT_EQ(suites.size(), 2u);
  EXPECT_EQ(attr(*suites[0], "name"), "cases/addsa.json");
  EXPECT_EQ(attr(*suites[0], "tests"), "2");
  EXPECT_EQ(attr(*suites[0], "failures"), "1");
  EXPECT_EQ(attr(*suites[0], "errors"), "0");
  EXPECT_EQ(attr(*suites[0], "skipped"), "0");
  EXPECT_EQ(attr(*suites[0], "time"), "0.014");  // 1.5 + 12.25 ms
  EXPECT_EQ(attr(*suites[0], "timestamp"), "2026-11-22T18:18:49");
  EXPECT_EQ(attr(*suites[1], "name"), "cases/esn.json");
  EXPECT_EQ(attr(*suites[1], "errors"), "1");
  EXPECT_EQ(attr(*suites[1], "skipped"), "1");
  EXPECT_EQ(suites[1]->children_named("testcase").size(), 3u);
  // Properties come first and say what ran.
  ASSERT_FALSE(suites[0]->children.empty());
  EXPECT_EQ(suites[0]->children[0].name, "properties");
  bool seed = false;
  for (const XmlNode* p : suites[0]->find_all("property"))
    seed = seed || (attr(*p, "name") == "seed" && attr(*p, "value") == "42");
  EXPECT_TRUE(seed);
}

TEST(Junit, ClassnameIsAreaDotGroup) {
  const Rendered r = render(testing::small_results());
  const XmlNode& pass = testcase(r.root, "addsa.basic", "one");
  EXPECT_TRUE(pass.children.empty());
  EXPECT_EQ(attr(pass, "time"), "0.002");  // 1.5 ms rounds to 0.002 s
  testcase(r.root, "esn.update", "wrap[dir=in,ip=6]");
}

TEST(Junit, FailureCarriesFindings) {
  const Rendered r = render(testing::small_results());
  const XmlNode& t = testcase(r.root, "addsa.capacity", "overflow");
  ASSERT_EQ(t.children.size(), 1u);
  const XmlNode& f = t.children[0];
  EXPECT_EQ(f.name, "failure");
  EXPECT_EQ(attr(f, "type"), "FAIL");
  EXPECT_EQ(attr(f, "message"),
            "steps[1] handles[0]: expected NULL (the request failed), got 0x00000009 [REQ-002] (and 1 more finding)");
  EXPECT_NE(f.text.find("Case: addsa.capacity.overflow"), std::string::npos);
  EXPECT_NE(f.text.find("steps[1]  field handles[0]"), std::string::npos);
  EXPECT_NE(f.text.find("expected: NULL (the request failed)"), std::string::npos);
  EXPECT_NE(f.text.find("actual:   0x00000009"), std::string::npos);
  EXPECT_NE(f.text.find("requirement REQ-002 (SHOULD): Two <b>&amp;</b>."), std::string::npos) << f.text;
  EXPECT_NE(f.text.find("requirement UNKNOWN-9\n"), std::string::npos);
  EXPECT_NE(f.text.find("Evidence: 1 step record(s) at results.json $.cases[1].evidence"), std::string::npos);
  EXPECT_NE(f.text.find("Report: report.html#case-addsa.capacity.overflow"), std::string::npos);
}

TEST(Junit, ErrorAndSkipped) {
  const Rendered r = render(testing::small_results());
  const XmlNode& e = testcase(r.root, "esn.update", "timeout");
  ASSERT_EQ(e.children.size(), 1u);
  EXPECT_EQ(e.children[0].name, "error");
  EXPECT_EQ(attr(e.children[0], "type"), "ERROR");
  EXPECT_EQ(attr(e.children[0], "message").rfind("device: timeout; it said ", 0), 0u);
  const XmlNode& s = testcase(r.root, "udpesp.basic", "encap");
  ASSERT_EQ(s.children.size(), 1u);
  EXPECT_EQ(s.children[0].name, "skipped");
  EXPECT_EQ(attr(s.children[0], "message"), "missing capability: udp_esp");
}

TEST(Junit, HostileDeviceStringsSurviveAsText) {
  const Rendered r = render(testing::small_results());
  // Markup stays text: the parser sees no element the document did not write.
  std::set<std::string> names;
  r.root.visit([&](const XmlNode& n) { names.insert(n.name); });
  EXPECT_EQ(names, (std::set<std::string>{"testsuites", "testsuite", "properties", "property", "testcase", "failure",
                                          "error", "skipped"}));
  // What a reader gets back is the device's string, made printable: controls shown, the
  // invalid byte replaced.
  const std::string shown = printable_text(testing::kHostile);
  EXPECT_NE(shown.find("\\u0001\\u001B[0m \xEF\xBF\xBD"), std::string::npos);
  const XmlNode& t = testcase(r.root, "addsa.capacity", "overflow");
  EXPECT_NE(t.children[0].text.find("actual:   " + shown), std::string::npos);
  EXPECT_EQ(r.xml.find("<script>"), std::string::npos);
  EXPECT_EQ(r.xml.find('\x01'), std::string::npos);
}

TEST(Junit, LongMessagesAreCutOnACharacterBoundary) {
  nlohmann::json doc = testing::small_results();
  std::string long_text;
  for (int i = 0; i < 600; ++i) long_text += "\xC3\xA9";  // 1200 bytes of "é"
  doc["cases"][2]["error"] = long_text;
  const Rendered r = render(doc);
  const std::string message = attr(testcase(r.root, "esn.update", "timeout").children[0], "message");
  EXPECT_LE(message.size(), 1003u);
  EXPECT_EQ(message.substr(message.size() - 3), "\xE2\x80\xA6");
  EXPECT_EQ(message.substr(0, 2), "\xC3\xA9");
}

TEST(Junit, EmptyRunIsValid) {
  nlohmann::json doc = testing::small_results();
  doc["cases"] = nlohmann::json::array();
  doc["summary"] = {{"total", 0}, {"pass", 0}, {"fail", 0}, {"not_applicable", 0}, {"error", 0}};
  const Rendered r = render(doc);
  EXPECT_EQ(attr(r.root, "tests"), "0");
  EXPECT_TRUE(r.root.children.empty());
}

// The schema the CI systems' format describes (testdata/junit.xsd), checked by libxml2.
TEST(Junit, ValidAgainstTheJunitSchema) {
  const std::string xmllint = CTS_XMLLINT;
  if (xmllint.empty()) GTEST_SKIP() << "xmllint is not installed (scripts/setup.sh installs libxml2-utils)";
  const auto dir = std::filesystem::temp_directory_path() / ("cts_junit_" + std::to_string(::getpid()));
  std::filesystem::create_directories(dir);
  std::string error;
  auto sample = load_results_file(testing::sample_results_path(), error);
  ASSERT_TRUE(sample) << error;
  auto cat = RequirementCatalogue::load(testing::repository_catalogue_path(), error);
  ASSERT_TRUE(cat) << error;
  const std::string documents[] = {render(testing::small_results()).xml, render_junit(*sample, &*cat, {})};
  int n = 0;
  for (const std::string& xml : documents) {
    const auto path = dir / ("junit" + std::to_string(n++) + ".xml");
    std::ofstream(path) << xml;
    const std::string cmd = xmllint + " --noout --schema " + CTS_SOURCE_ROOT "/reports/testdata/junit.xsd " +
                            path.string() + " 2>&1";
    FILE* p = popen(cmd.c_str(), "r");
    ASSERT_NE(p, nullptr);
    std::string out;
    char buf[512];
    while (fgets(buf, sizeof buf, p)) out += buf;
    const int status = pclose(p);
    EXPECT_EQ(status, 0) << out;
    EXPECT_NE(out.find("validates"), std::string::npos) << out;
  }
  // The check can fail: a document the schema does not allow is rejected.
  const auto bad = dir / "bad.xml";
  std::ofstream(bad) << "<testsuites name=\"x\" tests=\"-1\" failures=\"0\" errors=\"0\" time=\"0\"/>";
  const std::string cmd = xmllint + " --noout --schema " + CTS_SOURCE_ROOT "/reports/testdata/junit.xsd " +
                          bad.string() + " >/dev/null 2>&1";
  EXPECT_NE(std::system(cmd.c_str()), 0);
  std::filesystem::remove_all(dir);
}

}  // namespace
}  // namespace cts::reports
