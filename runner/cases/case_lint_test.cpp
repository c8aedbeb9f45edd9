#include "runner/cases/case_lint.h"

#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>

namespace cts::cases {
namespace {

namespace fs = std::filesystem;

LintOptions repo_options() {
  LintOptions o;
  o.schema_path = std::string(CTS_SOURCE_ROOT) + "/cases/schema/case_file.schema.json";
  o.requirements_path = std::string(CTS_SOURCE_ROOT) + "/cases/requirements.json";
  o.vector_exists = [](const std::string& n) { return n == "known/vector"; };
  return o;
}

class LintDir : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = fs::temp_directory_path() / ("cts_lint_" + std::to_string(::getpid()) + "_" +
                                        ::testing::UnitTest::GetInstance()->current_test_info()->name());
    fs::create_directories(dir_);
  }
  void TearDown() override { fs::remove_all(dir_); }
  void write(const std::string& name, const std::string& text) { std::ofstream(dir_ / name) << text; }
  std::string file(const std::string& id, const std::string& extra_case = "", const std::string& req = "ADD-006",
                   const std::string& flag = "F", const std::string& steps = "") {
    return R"({"format": 1, "area": "t", "description": "d",
      "notes": {"F": {"bug_class": "b", "checks": "c", "impact": "i", "requirements": ["ADD-006"]}},
      "cases": [{"id": ")" + id + R"(", "comment": "c", "flags": [")" + flag + R"("], "requirements": [")" + req +
           R"("], "steps": [)" +
           (steps.empty() ? R"({"op": "query"})" : steps) + "]}" + extra_case + "]}";
  }
  LintReport lint() { return lint_case_paths({dir_.string()}, repo_options()); }
  static bool has(const LintReport& r, const std::string& text) {
    for (const auto& f : r.findings)
      if (f.error && f.to_string().find(text) != std::string::npos) return true;
    return false;
  }
  fs::path dir_;
};

TEST_F(LintDir, CleanFilePasses) {
  write("a.json", file("t.g.one"));
  const auto r = lint();
  EXPECT_EQ(r.errors(), 0u);
  EXPECT_EQ(r.cases, 1u);
}

TEST_F(LintDir, DuplicateIdsAcrossFilesAreErrors) {
  write("a.json", file("t.g.one"));
  write("b.json", file("t.g.one"));
  EXPECT_TRUE(has(lint(), "duplicate case id"));
}

TEST_F(LintDir, UnknownRequirement) {
  write("a.json", file("t.g.one", "", "ADD-999"));
  EXPECT_TRUE(has(lint(), "requirement ADD-999 is not in the catalogue"));
}

TEST_F(LintDir, FlagWithoutNote) {
  write("a.json", file("t.g.one", "", "ADD-006", "Unexplained"));
  EXPECT_TRUE(has(lint(), "flag \"Unexplained\" is not explained"));
}

TEST_F(LintDir, MissingVectorAndUndefinedLabel) {
  write("a.json", file("t.g.one", "", "ADD-006", "F",
                       R"({"op": "send", "sa": "out1", "packet": {"vector": "no/such"}})"));
  const auto r = lint();
  EXPECT_TRUE(has(r, "vector \"no/such\" not found"));
  EXPECT_TRUE(has(r, "label \"out1\" is not defined"));
}

TEST_F(LintDir, SchemaAndLoaderBothReportUnknownFields) {
  write("a.json", file("t.g.one", "", "ADD-006", "F", R"({"op": "query", "expectt": {}})"));
  const auto r = lint();
  EXPECT_TRUE(has(r, "schema:"));
  EXPECT_TRUE(has(r, "unknown field \"expectt\""));
}

TEST(Lint, RepositoryLibraryIsClean) {
  const auto r = lint_case_paths({std::string(CTS_SOURCE_ROOT) + "/cases"}, [] {
    LintOptions o = repo_options();
    o.vector_exists = [](const std::string& n) {
      return fs::is_regular_file(std::string(CTS_SOURCE_ROOT) + "/vectors/" + n + ".pcap");
    };
    return o;
  }());
  for (const auto& f : r.findings)
    if (f.error) ADD_FAILURE() << f.to_string();
  EXPECT_GT(r.cases, 0u);
}

}  // namespace
}  // namespace cts::cases
