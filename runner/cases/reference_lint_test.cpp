#include "runner/cases/reference_lint.h"

#include <gtest/gtest.h>

#include <unistd.h>

#include <filesystem>
#include <fstream>

namespace cts::cases {
namespace {

namespace fs = std::filesystem;

// The references this test needs to be unresolvable are spelled in two pieces so that the
// repository-wide check (RepositoryReferences below) does not see them in this file.
#define OQ "OQ" "-"
#define SPEC "sp" "ec"

const std::set<std::string> kIds = {"OQ-07", "OQ-AH-4", "OQ-CTS-1"};

TEST(DecisionIds, HeadingsOfAnyLevelDefineIdentifiers) {
  const auto ids = decision_ids(
      "# Decisions\n\nSee " OQ "99 in the text.\n## " OQ "01 Header\n### " OQ "AH-9 CryptoDone\n"
      "#### " OQ "CTS-2 x\n  ### " OQ "03 indented is no heading\n");
  EXPECT_EQ(ids, (std::set<std::string>{OQ "01", OQ "AH-9", OQ "CTS-2"}));
}

TEST(CheckReferences, KnownIdentifiersPassUnknownOnesAreNamedWithTheirLine) {
  const auto found = check_references(
      "// key || salt (OQ-07), AH form OQ-AH-4, status OQ-CTS-1\n"
      "// no entry: " OQ "08\n"
      "x = 1; /* " OQ "AH-10 */\n",
      "a.cpp", kIds);
  ASSERT_EQ(found.size(), 2u);
  EXPECT_EQ(found[0].reference, OQ "08");
  EXPECT_EQ(found[0].line, 2u);
  EXPECT_EQ(found[1].reference, OQ "AH-10");
  EXPECT_EQ(found[1].line, 3u);
  EXPECT_NE(found[0].to_string().find("a.cpp:2: " OQ "08"), std::string::npos);
}

TEST(CheckReferences, AReservedIdentifierIsAWarningUntilItsEntryExists) {
  const auto reserved = reserved_ids("## " OQ "07 keys\n<!-- reserved: " OQ "ESP-1 (to be written) -->\n");
  EXPECT_EQ(reserved, (std::set<std::string>{OQ "ESP-1"}));
  const auto found = check_references("see " OQ "ESP-1 and " OQ "ESP-2\n", "b.h", kIds, true, reserved);
  ASSERT_EQ(found.size(), 2u);
  EXPECT_FALSE(found[0].error);
  EXPECT_EQ(found[0].reference, OQ "ESP-1");
  EXPECT_NE(found[0].to_string().find("warning: b.h:1"), std::string::npos);
  EXPECT_TRUE(found[1].error);
}

TEST(CheckReferences, SectionsOfOutsideDocumentsAreFindings) {
  const char* cited[] = {"NDIS_IPSEC_OFFLOAD_V2 (" SPEC " 3.2)", "see " SPEC " §10.3",
                         "S" "pec section 4.6", "esp-datapath" ".md §12",
                         "ndis-ipsecov2" ".md section 3", "ah-datapath" ".md 9"};
  for (const char* text : cited) {
    EXPECT_EQ(check_references(text, "f.md", kIds).size(), 1u) << text;
    EXPECT_TRUE(check_references(text, "f.md", kIds, false).empty()) << text;
  }
  for (const char* text : {"RFC 4303 §3.4.3", "the specification says", "special 3.2",
                           "NDIS_IPSEC_OFFLOAD_V2 structure page"}) {
    EXPECT_TRUE(check_references(text, "f.md", kIds).empty()) << text;
  }
}

class Tree : public ::testing::Test {
 protected:
  void SetUp() override {
    root_ = fs::temp_directory_path() / ("cts_refs_" + std::to_string(::getpid()));
    fs::create_directories(root_ / "docs");
    fs::create_directories(root_ / "runner" / "build-x");
    fs::create_directories(root_ / "cases");
    write("docs/decisions.md", "## OQ-07 keys\n");
  }
  void TearDown() override { fs::remove_all(root_); }
  void write(const std::string& rel, const std::string& text) { std::ofstream(root_ / rel) << text; }
  ReferenceLintResult lint() {
    return lint_references(root_.string(), (root_ / "docs/decisions.md").string(),
                           {"docs", "runner", "cases", "README.md"});
  }
  fs::path root_;
};

TEST_F(Tree, WalksTextFilesSkipsBuildOutputAndBinaryData) {
  write("runner/a.cpp", "// OQ-07\n// " OQ "12\n");
  write("runner/build-x/gen.cpp", "// " OQ "99\n");
  write("runner/v.pcap", OQ "98");
  write("README.md", SPEC " 3.2\n");
  const auto r = lint();
  ASSERT_TRUE(r.error.empty()) << r.error;
  ASSERT_EQ(r.findings.size(), 2u);
  EXPECT_EQ(r.findings[0].file, "runner/a.cpp");
  EXPECT_EQ(r.findings[0].reference, OQ "12");
  EXPECT_EQ(r.findings[1].file, "README.md");
}

TEST_F(Tree, TheCatalogueIsCheckedForIdentifiersOnly) {
  write("cases/requirements.json", "{\"text\": \"see section 12.4, " SPEC " 3.2, OQ-07, " OQ "31\"}\n");
  const auto r = lint();
  ASSERT_EQ(r.findings.size(), 1u);
  EXPECT_EQ(r.findings[0].reference, OQ "31");
}

TEST_F(Tree, AMissingDecisionsDocumentIsAnErrorNotAPass) {
  fs::remove(root_ / "docs/decisions.md");
  const auto r = lint();
  EXPECT_NE(r.error.find("cannot read"), std::string::npos);
}

TEST(RepositoryReferences, EveryReferenceResolves) {
  const std::string root = CTS_SOURCE_ROOT;
  const auto r = lint_references(root, root + "/docs/decisions.md", default_reference_scope());
  ASSERT_TRUE(r.error.empty()) << r.error;
  EXPECT_GT(r.files, 100u);
  for (const auto& f : r.findings) {
    if (f.error) ADD_FAILURE() << f.to_string();
  }
}

}  // namespace
}  // namespace cts::cases
