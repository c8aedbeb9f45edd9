#include "reports/requirement_catalogue.h"

#include <gtest/gtest.h>

#include "reports/test_support/results_documents.h"

namespace cts::reports {
namespace {

TEST(RequirementCatalogue, OrdersByDocumentThenId) {
  std::string error;
  auto cat = RequirementCatalogue::parse(testing::small_catalogue_text(), "req.json", error);
  ASSERT_TRUE(cat) << error;
  EXPECT_EQ(cat->documents(), (std::vector<std::string>{"first.md", "second.md"}));
  std::vector<std::string> ids;
  for (const auto& r : cat->requirements()) ids.push_back(r.id);
  EXPECT_EQ(ids, (std::vector<std::string>{"REQ-001", "REQ-002", "REQ-006", "REQ-003", "REQ-004", "REQ-005"}));
  ASSERT_TRUE(cat->find("REQ-002"));
  EXPECT_EQ(cat->find("REQ-002")->strength, "SHOULD");
  EXPECT_FALSE(cat->find("REQ-999"));
}

TEST(RequirementCatalogue, ErrorsNameTheFileAndPath) {
  std::string error;
  EXPECT_FALSE(RequirementCatalogue::parse(R"({"schema_version": 2, "documents": [], "requirements": {}})", "r.json", error));
  EXPECT_EQ(error, "r.json: $.schema_version: unsupported 2 (this version reads 1)");
  EXPECT_FALSE(RequirementCatalogue::parse(
      R"({"schema_version": 1, "documents": [], "requirements": {"X-1": {"document": "d", "strength": 1, "text": ""}}})",
      "r.json", error));
  EXPECT_EQ(error, "r.json: $.requirements[\"X-1\"].strength: expected a string");
  EXPECT_FALSE(RequirementCatalogue::parse("{\"schema_version\": 1,", "r.json", error));
  EXPECT_EQ(error.rfind("r.json: not valid JSON", 0), 0u) << error;
  EXPECT_FALSE(RequirementCatalogue::load("/nonexistent/requirements.json", error));
  EXPECT_EQ(error, "/nonexistent/requirements.json: cannot open");
}

// The repository's catalogue is data the coverage table lists in full (three specification
// documents: NDIS IPsecOV2, ESP datapath, AH datapath).
TEST(RequirementCatalogue, LoadsTheRepositoryCatalogue) {
  std::string error;
  auto cat = RequirementCatalogue::load(testing::repository_catalogue_path(), error);
  ASSERT_TRUE(cat) << error;
  EXPECT_EQ(cat->documents(), (std::vector<std::string>{"ndis-ipsecov2.md", "esp-datapath.md", "ah-datapath.md"}));
  EXPECT_GT(cat->size(), 200u);
  ASSERT_TRUE(cat->find("ADD-006"));
  EXPECT_EQ(cat->find("ADD-006")->strength, "SHOULD");
  EXPECT_EQ(cat->requirements().front().document, "ndis-ipsecov2.md");
}

}  // namespace
}  // namespace cts::reports
