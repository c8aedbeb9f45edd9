#include "reports/html_report.h"

#include <gtest/gtest.h>

#include <map>
#include <set>

#include "reports/html_template.h"
#include "reports/test_support/mini_xml.h"
#include "reports/test_support/results_documents.h"
#include "reports/text_escape.h"

namespace cts::reports {
namespace {

using testing::XmlNode;

struct Page {
  std::string html;
  XmlNode root;
};

Page render(const nlohmann::json& doc, bool with_catalogue = true, HtmlOptions options = {}) {
  std::string error;
  auto run = results_view_from_json(doc, "out/results.json", error);
  auto cat = RequirementCatalogue::parse(testing::small_catalogue_text(), "req.json", error);
  if (!run || !cat) throw std::runtime_error(error);
  auto html = render_html(*run, with_catalogue ? &*cat : nullptr, options, error);
  if (!html) throw std::runtime_error(error);
  auto root = testing::parse_html(*html, error);
  if (!root) throw std::runtime_error("not well-formed: " + error);
  return {*html, *root};
}

std::string attr(const XmlNode& n, const char* name) {
  const std::string* v = n.attribute(name);
  return v ? *v : std::string();
}

const XmlNode* by_id(const XmlNode& root, const std::string& id) {
  const XmlNode* found = nullptr;
  root.visit([&](const XmlNode& n) {
    if (!found && attr(n, "id") == id) found = &n;
  });
  return found;
}

// All text below a node, as a reader sees it.
std::string text_of(const XmlNode& n) {
  std::string s = n.text;
  for (const auto& c : n.children) s += " " + text_of(c);
  return s;
}

TEST(HtmlReport, IsWellFormedAndSelfContained) {
  const Page p = render(testing::small_results());
  EXPECT_EQ(p.root.name, "html");
  EXPECT_EQ(attr(p.root, "lang"), "en");
  EXPECT_EQ(p.root.find_all("script").size(), 1u);
  EXPECT_EQ(p.root.find_all("style").size(), 1u);
  EXPECT_TRUE(p.root.find_all("link").empty());
  EXPECT_TRUE(p.root.find_all("img").empty());
  EXPECT_TRUE(p.root.find_all("iframe").empty());
  p.root.visit([&](const XmlNode& n) {
    EXPECT_EQ(n.attribute("src"), nullptr) << n.name;
    const std::string href = attr(n, "href");
    EXPECT_TRUE(href.empty() || href[0] == '#') << "link out of the page: " << href;
    for (const auto& [k, v] : n.attributes) EXPECT_NE(k.rfind("on", 0), 0u) << "event handler " << k << " on " << n.name;
  });
  // Nothing is fetched by the stylesheet or the script either.
  EXPECT_EQ(p.html.find("url("), std::string::npos);
  EXPECT_EQ(p.html.find("@import"), std::string::npos);
  EXPECT_EQ(p.html.find("fetch("), std::string::npos);
  EXPECT_EQ(p.html.find("XMLHttpRequest"), std::string::npos);
  EXPECT_EQ(p.html.find("http://"), std::string::npos);
  EXPECT_EQ(p.html.find("https://"), std::string::npos);
}

TEST(HtmlReport, HostileStringsStayText) {
  const Page p = render(testing::small_results());
  // Markup a device answered never becomes an element: only the page's own script exists and
  // no element carries an event handler (checked above); the string is shown as text.
  std::set<std::string> names;
  p.root.visit([&](const XmlNode& n) { names.insert(n.name); });
  EXPECT_FALSE(names.count("img"));
  EXPECT_EQ(p.html.find("<script>alert"), std::string::npos);
  EXPECT_EQ(p.html.find("onerror=\""), std::string::npos);
  EXPECT_NE(p.html.find("&lt;script&gt;alert(&#39;x&#39;)&lt;/script&gt;&lt;img src=x onerror=&quot;alert(1)&quot;&gt; "
                        "&amp; \\u0001\\u001B[0m \xEF\xBF\xBD"),
            std::string::npos);
  // The device name in the masthead, and a template slot name in a device string, stay text.
  EXPECT_NE(p.html.find("<h1>softnic &lt;b&gt;bold&lt;/b&gt;</h1>"), std::string::npos);
  EXPECT_EQ(p.html.find('\x01'), std::string::npos);
  EXPECT_EQ(p.html.find('\x1b'), std::string::npos);
}

TEST(HtmlReport, TemplateSlotNamesInDeviceStringsAreNotExpanded) {
  nlohmann::json doc = testing::small_results();
  doc["run"]["device"]["name"] = "{{css}}{{js}}";
  const Page p = render(doc);
  EXPECT_NE(p.html.find("<h1>{{css}}{{js}}</h1>"), std::string::npos);
  EXPECT_EQ(p.root.find_all("script").size(), 1u);
}

TEST(HtmlReport, HeaderShowsRunFactsAndEveryVerdictCount) {
  const Page p = render(testing::small_results());
  const XmlNode* summary = by_id(p.root, "summary");
  ASSERT_TRUE(summary);
  const std::string text = text_of(*summary);
  // One case ended in ERROR: no conformance claim either way.
  EXPECT_NE(text.find("PARTIAL RUN"), std::string::npos);
  EXPECT_NE(text.find("1 case(s) ended in ERROR"), std::string::npos);
  std::map<std::string, std::string> tiles;
  summary->visit([&](const XmlNode& n) {
    if (attr(n, "class").rfind("tile ", 0) == 0 && n.children.size() >= 2)
      tiles[n.children[1].text] = n.children[0].text;
  });
  EXPECT_EQ(tiles["Cases"], "5");
  EXPECT_EQ(tiles["Pass"], "2");
  EXPECT_EQ(tiles["Fail"], "1");
  EXPECT_EQ(tiles["Error"], "1");
  EXPECT_EQ(tiles["Not applicable"], "1");
  EXPECT_NE(text.find("1 case was"), std::string::npos);  // the not-applicable notice
  const std::string masthead = text_of(*p.root.find_all("header").front());
  EXPECT_NE(masthead.find("2026-11-22 18:18:49 UTC"), std::string::npos);
  EXPECT_NE(masthead.find("42"), std::string::npos);
  EXPECT_NE(masthead.find("ipsec-cts 0.1.0"), std::string::npos);
  // Capabilities: offered and not offered.
  EXPECT_NE(text.find("esp"), std::string::npos);
  EXPECT_NE(text.find("inbound bundle capacity"), std::string::npos);
}

// A plugin describes itself by its spec: the masthead and the run details name it once each.
TEST(HtmlReport, PluginSpecShownOnceInTheMasthead) {
  nlohmann::json doc = testing::small_results();
  doc["run"]["device"]["spec"] = "plugin:libipsec_cts_softnic.so";
  doc["run"]["device"]["description"] = "plugin:libipsec_cts_softnic.so";
  const Page p = render(doc);
  auto count = [](const std::string& text, const std::string& what) {
    size_t n = 0;
    for (size_t at = text.find(what); at != std::string::npos; at = text.find(what, at + 1)) ++n;
    return n;
  };
  const std::string masthead = text_of(*p.root.find_all("header").front());
  EXPECT_EQ(count(masthead, "plugin:libipsec_cts_softnic.so"), 1u) << masthead;
  const XmlNode* details = by_id(p.root, "run-details");
  ASSERT_TRUE(details);
  EXPECT_EQ(text_of(*details).find("Description"), std::string::npos);
  // A description of its own stays beside the spec.
  doc["run"]["device"]["description"] = "vendor NIC, firmware 1.2";
  const std::string other = text_of(*render(doc).root.find_all("header").front());
  EXPECT_NE(other.find("vendor NIC, firmware 1.2"), std::string::npos);
  EXPECT_EQ(count(other, "plugin:libipsec_cts_softnic.so"), 1u) << other;
}

TEST(HtmlReport, StableAnchorForEveryCase) {
  const Page p = render(testing::small_results());
  std::map<std::string, int> ids;
  p.root.visit([&](const XmlNode& n) {
    if (n.attribute("id")) ++ids[attr(n, "id")];
  });
  for (const auto& [id, count] : ids) EXPECT_EQ(count, 1) << "duplicate id " << id;
  for (const char* c : {"addsa.basic.one", "addsa.capacity.overflow", "esn.update.timeout",
                        "esn.update.wrap[dir=in,ip=6]", "udpesp.basic.encap"})
    EXPECT_EQ(ids.count(std::string("case-") + c), 1u) << c;
  // A failing case's anchor is its card, with findings and evidence.
  const XmlNode* card = by_id(p.root, "case-addsa.capacity.overflow");
  ASSERT_TRUE(card);
  EXPECT_EQ(card->name, "article");
  EXPECT_EQ(card->find_all("table").front()->find_all("tr").size(), 4u);  // header, two findings, one detail
  // Links to a case use the percent-encoded fragment.
  bool linked = false;
  p.root.visit([&](const XmlNode& n) {
    linked = linked || attr(n, "href") == "#case-esn.update.wrap%5Bdir%3Din%2Cip%3D6%5D";
  });
  EXPECT_TRUE(linked);
  // A case without a card (PASS, NOT_APPLICABLE) is anchored on its row.
  EXPECT_EQ(by_id(p.root, "case-esn.update.wrap[dir=in,ip=6]")->name, "tr");
}

TEST(HtmlReport, FailuresComeFirstWithEvidence) {
  const Page p = render(testing::small_results());
  const size_t failures = p.html.find("id=\"failures\"");
  const size_t coverage = p.html.find("id=\"coverage\"");
  const size_t cases = p.html.find("id=\"cases\"");
  ASSERT_NE(failures, std::string::npos);
  EXPECT_LT(failures, coverage);
  EXPECT_LT(coverage, cases);
  const XmlNode* card = by_id(p.root, "case-addsa.capacity.overflow");
  ASSERT_TRUE(card);
  const std::string text = text_of(*card);
  EXPECT_NE(text.find("Oracle SA table after this step"), std::string::npos);
  EXPECT_NE(text.find("0x00010001"), std::string::npos);  // the oracle's bundle
  EXPECT_NE(text.find("0100000000000000aabbccddeeff0011"), std::string::npos);  // the request bytes
  EXPECT_NE(text.find("Not an SA-table dump"), std::string::npos);  // the device's garbage dump, as text
  // The step a finding names is open.
  const auto details = card->find_all("details");
  ASSERT_FALSE(details.empty());
  EXPECT_NE(details.front()->attribute("open"), nullptr);
  // The oracle and device answers differ on status: the row is marked.
  bool marked = false;
  card->visit([&](const XmlNode& n) { marked = marked || attr(n, "class") == "differs"; });
  EXPECT_TRUE(marked);
  const XmlNode* error_card = by_id(p.root, "case-esn.update.timeout");
  ASSERT_TRUE(error_card);
  EXPECT_NE(text_of(*error_card).find("device: timeout"), std::string::npos);
}

TEST(HtmlReport, CoverageListsEveryRequirementOfTheCatalogue) {
  const Page p = render(testing::small_results());
  for (const char* r : {"REQ-001", "REQ-002", "REQ-003", "REQ-004", "REQ-005", "REQ-006", "UNKNOWN-9"})
    ASSERT_TRUE(by_id(p.root, std::string("req-") + r)) << r;
  const XmlNode* uncovered = by_id(p.root, "req-REQ-006");
  EXPECT_EQ(attr(*uncovered, "data-status"), "not_covered");
  EXPECT_NE(text_of(*uncovered).find("Not covered"), std::string::npos);
  EXPECT_NE(text_of(*uncovered).find("MUST NOT"), std::string::npos);
  EXPECT_NE(text_of(*uncovered).find("Six."), std::string::npos);
  EXPECT_EQ(attr(*by_id(p.root, "req-REQ-004"), "data-status"), "inconclusive");
  EXPECT_EQ(attr(*by_id(p.root, "req-REQ-005"), "data-status"), "not_tested");
  EXPECT_EQ(attr(*by_id(p.root, "req-REQ-001"), "data-status"), "violated");
  // Requirement text from the catalogue is escaped too.
  EXPECT_NE(p.html.find("Two &lt;b&gt;&amp;amp;&lt;/b&gt;."), std::string::npos);
  EXPECT_NE(text_of(*by_id(p.root, "coverage")).find("UNKNOWN-9"), std::string::npos);
}

TEST(HtmlReport, WithoutCatalogueSaysSo) {
  const Page p = render(testing::small_results(), false);
  EXPECT_NE(p.html.find("No requirement catalogue was given"), std::string::npos);
  EXPECT_FALSE(by_id(p.root, "req-REQ-006"));
  EXPECT_TRUE(by_id(p.root, "req-REQ-001"));
}

TEST(HtmlReport, CaseRowsCarryFilterData) {
  const Page p = render(testing::small_results());
  const XmlNode* table = by_id(p.root, "case-table");
  ASSERT_TRUE(table);
  std::map<std::string, int> statuses;
  table->visit([&](const XmlNode& n) {
    if (n.attribute("data-status")) {
      ++statuses[attr(n, "data-status")];
      EXPECT_FALSE(attr(n, "data-text").empty());
    }
  });
  EXPECT_EQ(statuses, (std::map<std::string, int>{{"pass", 2}, {"fail", 1}, {"error", 1}, {"not_applicable", 1}}));
  const XmlNode* na = by_id(p.root, "case-udpesp.basic.encap");
  ASSERT_TRUE(na);
  EXPECT_NE(text_of(*na).find("missing capability: udp_esp"), std::string::npos);
  // Passing and not-applicable rows open collapsed (the script unticks them); nothing else does.
  std::string collapsed = "(no case filter bar)";
  p.root.visit([&](const XmlNode& n) {
    if (attr(n, "data-target") == "case-table") collapsed = attr(n, "data-collapsed");
    if (attr(n, "data-target") == "coverage-table") {
      EXPECT_EQ(n.attribute("data-collapsed"), nullptr);
    }
  });
  EXPECT_EQ(collapsed, "pass not_applicable");
}

// The banner claims conformance only for a complete run: the whole library, no filter, every
// shard, every case of the case set, no ERROR.
TEST(HtmlReport, BannerIsConformantOnlyForACompleteRun) {
  nlohmann::json doc = testing::small_results();
  doc["cases"] = nlohmann::json::array({doc["cases"][0]});
  doc["summary"] = {{"total", 1}, {"pass", 1}, {"fail", 0}, {"not_applicable", 0}, {"error", 0}};
  doc["run"]["case_set_cases"] = 1;
  EXPECT_NE(render(doc).html.find(">CONFORMANT<"), std::string::npos);
  EXPECT_EQ(render(doc).html.find("PARTIAL RUN"), std::string::npos);

  nlohmann::json filtered = doc;
  filtered["run"]["filters"] = {"addsa.*"};
  std::string html = render(filtered).html;
  EXPECT_EQ(html.find(">CONFORMANT<"), std::string::npos);
  EXPECT_NE(html.find("PARTIAL RUN"), std::string::npos);
  EXPECT_NE(html.find("only cases matching --filter addsa.*"), std::string::npos);

  nlohmann::json shard = doc;
  shard["run"]["shard"] = "2/3";
  EXPECT_NE(render(shard).html.find("only shard 2/3"), std::string::npos);

  nlohmann::json missing = doc;
  missing["run"]["case_set_cases"] = 7;
  EXPECT_NE(render(missing).html.find("6 of the 7 cases of the case set did not run"), std::string::npos);

  nlohmann::json custom = doc;
  custom["run"]["library"] = false;
  EXPECT_NE(render(custom).html.find("PARTIAL RUN"), std::string::npos);

  nlohmann::json empty = doc;
  empty["cases"] = nlohmann::json::array();
  empty["summary"] = {{"total", 0}, {"pass", 0}, {"fail", 0}, {"not_applicable", 0}, {"error", 0}};
  EXPECT_NE(render(empty).html.find("no case ran"), std::string::npos);

  nlohmann::json failing = testing::small_results();
  failing["cases"].erase(2);  // the ERROR case
  failing["summary"] = {{"total", 4}, {"pass", 2}, {"fail", 1}, {"not_applicable", 1}, {"error", 0}};
  failing["run"]["case_set_cases"] = 4;
  EXPECT_NE(render(failing).html.find("NOT CONFORMANT"), std::string::npos);
}

TEST(HtmlReport, Deterministic) {
  EXPECT_EQ(render(testing::small_results()).html, render(testing::small_results()).html);
}

TEST(HtmlReport, RendersTheRealisticSample) {
  std::string error;
  auto run = load_results_file(testing::sample_results_path(), error);
  ASSERT_TRUE(run) << error;
  auto cat = RequirementCatalogue::load(testing::repository_catalogue_path(), error);
  ASSERT_TRUE(cat) << error;
  auto html = render_html(*run, &*cat, {}, error);
  ASSERT_TRUE(html) << error;
  auto root = testing::parse_html(*html, error);
  ASSERT_TRUE(root) << error;
  size_t requirement_rows = 0;
  root->visit([&](const XmlNode& n) { requirement_rows += attr(n, "id").rfind("req-", 0) == 0 ? 1 : 0; });
  EXPECT_EQ(requirement_rows, cat->size());
  EXPECT_EQ(html->find("<img"), std::string::npos);
}

TEST(HtmlTemplate, FillsSlotsAndRejectsMistakes) {
  std::string error;
  auto out = fill_template("a {{x}} b {{y}}", {{"x", "1"}, {"y", "{{x}}"}}, error);
  ASSERT_TRUE(out) << error;
  EXPECT_EQ(*out, "a 1 b {{x}}");
  EXPECT_FALSE(fill_template("{{x}} {{z}}", {{"x", ""}}, error));
  EXPECT_EQ(error, "template: no fragment for slot {{z}}");
  EXPECT_FALSE(fill_template("{{x}}", {{"x", ""}, {"w", ""}}, error));
  EXPECT_EQ(error, "template: fragment \"w\" has no slot");
  EXPECT_FALSE(fill_template("{{x", {}, error));
}

TEST(HtmlTemplate, EmbeddedAssetsAreWhole) {
  EXPECT_NE(report_page_template().find("{{css}}"), std::string::npos);
  EXPECT_NE(report_stylesheet().find("@media print"), std::string::npos);
  EXPECT_NE(report_script().find("data-collapsed"), std::string::npos);
  EXPECT_EQ(report_script().find("beforeprint"), std::string::npos);  // nothing opened for print
  // Inline assets must not close their own element early.
  EXPECT_EQ(report_stylesheet().find("</"), std::string::npos);
  EXPECT_EQ(report_script().find("</"), std::string::npos);
}

}  // namespace
}  // namespace cts::reports
