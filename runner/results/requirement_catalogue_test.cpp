#include "runner/results/requirement_catalogue.h"

#include <gtest/gtest.h>


namespace cts::results {
namespace {

const std::string kSmallCatalogue = R"({
  "schema_version": 1,
  "provenance": "test",
  "documents": [{"file": "spec/first.md"}, {"file": "spec/second.md"}],
  "requirements": {
    "REQ-001": {"document": "first.md", "source": "[A]", "strength": "MUST", "text": "One."},
    "REQ-002": {"document": "first.md", "source": "[A]", "strength": "SHOULD", "text": "Two <b>&amp;</b>."},
    "REQ-003": {"document": "second.md", "source": "[B]", "strength": "MUST", "text": "Three."},
    "REQ-004": {"document": "second.md", "source": "[B]", "strength": "MAY", "text": "Four."},
    "REQ-005": {"document": "second.md", "source": "[B]", "strength": "MUST", "text": "Five."},
    "REQ-006": {"document": "first.md", "source": "[A]", "strength": "MUST NOT", "text": "Six."}
  }
})";

TEST(RequirementCatalogue, OrdersByDocumentThenId) {
  std::string error;
  auto cat = RequirementCatalogue::parse(kSmallCatalogue, "req.json", error);
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
  EXPECT_EQ(error.rfind("/nonexistent/requirements.json: cannot open requirement catalogue", 0), 0u) << error;
}

// The repository's catalogue is data the coverage table lists in full (three specification
// documents: NDIS IPsecOV2, ESP datapath, AH datapath).
TEST(RequirementCatalogue, LoadsTheRepositoryCatalogue) {
  std::string error;
  auto cat = RequirementCatalogue::load(std::string(CTS_SOURCE_ROOT) + "/cases/requirements.json", error);
  ASSERT_TRUE(cat) << error;
  EXPECT_EQ(cat->documents(), (std::vector<std::string>{"ndis-ipsecov2.md", "esp-datapath.md", "ah-datapath.md"}));
  EXPECT_GT(cat->size(), 200u);
  ASSERT_TRUE(cat->find("ADD-006"));
  EXPECT_EQ(cat->find("ADD-006")->strength, "SHOULD");
  EXPECT_EQ(cat->requirements().front().document, "ndis-ipsecov2.md");
}

}  // namespace
}  // namespace cts::results
