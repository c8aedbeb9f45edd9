#include "reports/coverage.h"

#include <gtest/gtest.h>

#include "reports/test_support/results_documents.h"

namespace cts::reports {
namespace {

struct Fixture {
  ResultsView run;
  RequirementCatalogue catalogue;
};

Fixture load() {
  std::string error;
  auto run = results_view_from_json(testing::small_results(), "r.json", error);
  auto cat = RequirementCatalogue::parse(testing::small_catalogue_text(), "req.json", error);
  if (!run || !cat) throw std::runtime_error(error);
  return {std::move(*run), std::move(*cat)};
}

const RequirementCoverage& row(const CoverageReport& c, const std::string& id) {
  for (const auto& r : c.rows)
    if (r.id == id) return r;
  throw std::runtime_error("no row " + id);
}

std::vector<std::string> ids_of(const RequirementCoverage& r) {
  std::vector<std::string> out;
  for (const auto* c : r.cases) out.push_back(c->id);
  return out;
}

TEST(Coverage, StatusPerRequirement) {
  const Fixture f = load();
  const CoverageReport c = compute_coverage(f.run, &f.catalogue);
  // REQ-001: cited by a PASS and a FAIL -> violated.
  EXPECT_EQ(row(c, "REQ-001").status, CoverageStatus::violated);
  EXPECT_EQ(ids_of(row(c, "REQ-001")), (std::vector<std::string>{"addsa.basic.one", "addsa.capacity.overflow"}));
  EXPECT_EQ(row(c, "REQ-001").pass, 1u);
  EXPECT_EQ(row(c, "REQ-001").fail, 1u);
  // REQ-003: cited only by a finding of the failing case (not by its requirement list).
  EXPECT_EQ(row(c, "REQ-003").status, CoverageStatus::violated);
  // REQ-004: an ERROR and a PASS -> inconclusive, never "met".
  EXPECT_EQ(row(c, "REQ-004").status, CoverageStatus::inconclusive);
  // REQ-005: only a NOT_APPLICABLE case -> not tested.
  EXPECT_EQ(row(c, "REQ-005").status, CoverageStatus::not_tested);
  // REQ-006: no case -> not covered.
  EXPECT_EQ(row(c, "REQ-006").status, CoverageStatus::not_covered);
  EXPECT_TRUE(row(c, "REQ-006").cases.empty());
}

TEST(Coverage, TotalsAndUnknownIds) {
  const Fixture f = load();
  const CoverageReport c = compute_coverage(f.run, &f.catalogue);
  EXPECT_EQ(c.catalogue_size, 6u);
  EXPECT_EQ(c.covered, 5u);  // REQ-001..005
  EXPECT_EQ(c.violated, 4u);  // REQ-001, REQ-002, REQ-003 and UNKNOWN-9
  EXPECT_EQ(c.unknown_ids, (std::vector<std::string>{"UNKNOWN-9"}));
  EXPECT_EQ(c.rows.size(), 7u);  // six of the catalogue, then the unknown one
  EXPECT_EQ(c.rows.back().id, "UNKNOWN-9");
  EXPECT_EQ(c.rows.back().requirement, nullptr);
  EXPECT_EQ(c.inconclusive, 1u);
  EXPECT_EQ(c.not_tested, 1u);
  EXPECT_EQ(c.not_covered, 1u);
  EXPECT_EQ(c.met, 0u);
  // Catalogue order: document "first.md" (REQ-001, 002, 006) before "second.md".
  EXPECT_EQ(c.rows[2].id, "REQ-006");
}

TEST(Coverage, UnknownIdCountsAsViolatedSeparately) {
  const Fixture f = load();
  const CoverageReport c = compute_coverage(f.run, &f.catalogue);
  EXPECT_EQ(row(c, "UNKNOWN-9").status, CoverageStatus::violated);
}

TEST(Coverage, WithoutCatalogueListsCitedIdsOnly) {
  const Fixture f = load();
  const CoverageReport c = compute_coverage(f.run, nullptr);
  EXPECT_EQ(c.catalogue_size, 0u);
  EXPECT_TRUE(c.unknown_ids.empty());
  EXPECT_EQ(c.not_covered, 0u);
  std::vector<std::string> ids;
  for (const auto& r : c.rows) ids.push_back(r.id);
  EXPECT_EQ(ids, (std::vector<std::string>{"REQ-001", "REQ-002", "REQ-003", "REQ-004", "REQ-005", "UNKNOWN-9"}));
}

TEST(Coverage, AllPassIsMet) {
  nlohmann::json doc = testing::small_results();
  doc["cases"] = nlohmann::json::array({doc["cases"][0]});
  doc["summary"] = {{"total", 1}, {"pass", 1}, {"fail", 0}, {"not_applicable", 0}, {"error", 0}};
  std::string error;
  auto run = results_view_from_json(doc, "r.json", error);
  ASSERT_TRUE(run) << error;
  const Fixture f = load();
  const CoverageReport c = compute_coverage(*run, &f.catalogue);
  EXPECT_EQ(row(c, "REQ-001").status, CoverageStatus::met);
  EXPECT_EQ(c.met, 1u);
  EXPECT_EQ(c.covered, 1u);
  EXPECT_EQ(c.not_covered, 5u);
}

}  // namespace
}  // namespace cts::reports
