#include "reports/views.h"

#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <random>
#include <sstream>

#include <unistd.h>

#include "reports/html_report.h"
#include "runner/json/json_text.h"
#include "reports/junit_report.h"
#include "reports/test_support/mini_xml.h"
#include "reports/test_support/results_documents.h"

namespace cts::reports {
namespace {

namespace fs = std::filesystem;

class TempDir {
 public:
  TempDir() : path_(fs::temp_directory_path() / ("cts_views_" + std::to_string(::getpid()) + "_" + std::to_string(next_++))) {
    fs::create_directories(path_);
  }
  ~TempDir() {
    std::error_code ec;
    fs::remove_all(path_, ec);
  }
  const fs::path& path() const { return path_; }

 private:
  static inline int next_ = 0;
  fs::path path_;
};

std::string slurp(const fs::path& p) {
  std::ifstream in(p, std::ios::binary);
  std::ostringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

TEST(WriteViews, WritesBothViewsBesideResults) {
  TempDir dir;
  std::string error;
  auto cat = RequirementCatalogue::parse(testing::small_catalogue_text(), "req.json", error);
  ASSERT_TRUE(cat) << error;
  ASSERT_TRUE(write_views(testing::small_results(), &*cat, dir.path().string(), error)) << error;
  const std::string html = slurp(dir.path() / "report.html");
  const std::string junit = slurp(dir.path() / "junit.xml");
  EXPECT_TRUE(testing::parse_html(html, error)) << error;
  EXPECT_TRUE(testing::parse_xml(junit, error)) << error;
  // The views link to each other and to results.json by relative address.
  EXPECT_NE(html.find("href=\"results.json\""), std::string::npos);
  EXPECT_NE(html.find("href=\"junit.xml\""), std::string::npos);
  EXPECT_NE(junit.find("Report: report.html#case-addsa.capacity.overflow"), std::string::npos);
  EXPECT_FALSE(fs::exists(dir.path() / "report.html.tmp"));
}

TEST(WriteViews, BesideAResultsFile) {
  TempDir dir;
  const fs::path results = dir.path() / "results.json";
  std::ofstream(results) << testing::small_results().dump(2, ' ', false, nlohmann::json::error_handler_t::replace);
  std::string error;
  ASSERT_TRUE(write_views_beside(results.string(), nullptr, error)) << error;
  EXPECT_TRUE(fs::exists(dir.path() / "report.html"));
  EXPECT_TRUE(fs::exists(dir.path() / "junit.xml"));
  std::ofstream(results, std::ios::trunc) << "{\"schema_version\": 1, \"tool\": {";
  EXPECT_FALSE(write_views_beside(results.string(), nullptr, error));
  EXPECT_EQ(error.rfind(results.string() + ": not valid JSON: ", 0), 0u) << error;
  EXPECT_NE(error.find("(at $.tool)"), std::string::npos) << error;
}

TEST(WriteViews, UnusableDocumentWritesNothing) {
  TempDir dir;
  nlohmann::json doc = testing::small_results();
  doc["schema_version"] = 99;
  std::string error;
  EXPECT_FALSE(write_views(doc, nullptr, dir.path().string(), error));
  EXPECT_EQ(error, (dir.path() / "results.json").string() +
                       ": $.schema_version: unsupported schema_version 99 (this version of ipsec-cts reads 1 to 2)");
  EXPECT_FALSE(fs::exists(dir.path() / "report.html"));
  EXPECT_FALSE(fs::exists(dir.path() / "junit.xml"));
}

TEST(WriteViews, UnwritableDirectoryIsAnError) {
  TempDir dir;
  const fs::path file = dir.path() / "a-file";
  std::ofstream(file) << "x";
  std::string error;
  EXPECT_FALSE(write_views(testing::small_results(), nullptr, (file / "sub").string(), error));
  EXPECT_NE(error.find("cannot create the output directory"), std::string::npos) << error;
}

TEST(WriteViews, InvalidUtf8InAnInMemoryDocument) {
  // The run command passes its document before any serialisation: device strings may still
  // hold bytes that are not UTF-8. The views must stay well-formed.
  nlohmann::json doc = testing::small_results();
  doc["cases"][2]["error"] = std::string("bad \xC0\xFF\xFE bytes \x00 end", 20);
  TempDir dir;
  std::string error;
  ASSERT_TRUE(write_views(doc, nullptr, dir.path().string(), error)) << error;
  EXPECT_TRUE(testing::parse_html(slurp(dir.path() / "report.html"), error)) << error;
  EXPECT_TRUE(testing::parse_xml(slurp(dir.path() / "junit.xml"), error)) << error;
}

// Every prefix of a real document is either rejected with the file named, or (the whole file)
// rendered; nothing crashes.
TEST(Robustness, TruncatedDocumentsAreRejectedWithTheirOrigin) {
  const std::string text = slurp(testing::sample_results_path());
  ASSERT_GT(text.size(), 1000u);
  for (size_t cut = 0; cut < text.size() - 2; cut += 37) {
    std::string error;
    auto doc = strict::parse_text(text.substr(0, cut), "cut.json", error);
    ASSERT_FALSE(doc) << "prefix of " << cut << " bytes parsed";
    ASSERT_EQ(error.rfind("cut.json: not valid JSON: ", 0), 0u) << error;
    // An empty prefix has no position; every other one names the JSON path the parser was at.
    if (cut == 0) ASSERT_NE(error.find("the document is empty"), std::string::npos) << error;
    else ASSERT_NE(error.find("(at $"), std::string::npos) << error;
  }
}

// Random damage to a real document: each result is either a clear error naming the origin or
// well-formed views.
TEST(Robustness, DamagedDocumentsNeverBreakTheViews) {
  const std::string text = slurp(testing::sample_results_path());
  std::mt19937 rng(20261122);
  const char junk[] = {'"', '{', '}', '[', ']', ',', ':', '0', '-', 'x', '\\', '<', '&', '\x01', '\xFF'};
  size_t rendered = 0;
  for (int round = 0; round < 300; ++round) {
    std::string damaged = text;
    const int edits = 1 + static_cast<int>(rng() % 3);
    for (int e = 0; e < edits; ++e) {
      const size_t at = rng() % damaged.size();
      switch (rng() % 3) {
        case 0: damaged[at] = junk[rng() % sizeof junk]; break;
        case 1: damaged.erase(at, 1 + rng() % 16); break;
        default: damaged.insert(at, 1, junk[rng() % sizeof junk]); break;
      }
    }
    std::string error;
    auto doc = strict::parse_text(damaged, "damaged.json", error);
    std::optional<ResultsView> run;
    if (doc) run = results_view_from_json(*doc, "damaged.json", error);
    if (!run) {
      ASSERT_EQ(error.rfind("damaged.json: ", 0), 0u) << error;
      continue;
    }
    ++rendered;
    auto html = render_html(*run, nullptr, {}, error);
    ASSERT_TRUE(html) << error;
    ASSERT_TRUE(testing::parse_html(*html, error)) << error;
    ASSERT_TRUE(testing::parse_xml(render_junit(*run, nullptr), error)) << error;
  }
  // Edits inside strings keep the document valid: some damaged documents do render.
  EXPECT_GT(rendered, 0u);
}

}  // namespace
}  // namespace cts::reports
