// Requirement coverage of a run: for each requirement of the catalogue, the cases that cite it
// (in their own list or in a finding) and what they concluded. A requirement no case cites is
// "not covered"; one cited only by NOT_APPLICABLE cases is "not tested" on this device — neither
// is ever shown as met.
#pragma once

#include <string>
#include <vector>

#include "runner/results/requirement_catalogue.h"
#include "reports/results_view.h"

namespace cts::reports {

enum class CoverageStatus {
  violated,     // at least one citing case FAILed
  inconclusive, // no FAIL, at least one ERROR
  met,          // every citing case that ran PASSed (and at least one did)
  not_tested,   // cited only by NOT_APPLICABLE cases
  not_covered,  // no case cites it
};
const char* coverage_status_label(CoverageStatus s);  // "Violated", "Inconclusive", "Met", ...
const char* coverage_status_key(CoverageStatus s);    // "violated", "inconclusive", ...

struct RequirementCoverage {
  std::string id;
  const Requirement* requirement = nullptr;  // null: cited by cases but not in the catalogue
  std::vector<const CaseView*> cases;        // citing cases, in document order
  size_t pass = 0, fail = 0, not_applicable = 0, error = 0;
  CoverageStatus status = CoverageStatus::not_covered;
};

struct CoverageReport {
  // Catalogue order; then requirement ids the cases cite that the catalogue lacks (or, without a
  // catalogue, every cited id, sorted).
  std::vector<RequirementCoverage> rows;
  std::vector<std::string> unknown_ids;  // cited, not in the catalogue (empty without one)
  size_t catalogue_size = 0;
  size_t covered = 0;  // catalogue requirements cited by at least one case
  size_t device_side = 0, device_side_covered = 0;  // the same for requirements on the device
  size_t violated = 0, inconclusive = 0, met = 0, not_tested = 0, not_covered = 0;
};

// `catalogue` may be null: then only cited requirements are listed and nothing is "not covered".
// The report points into `run` and `catalogue`; keep both alive while using it.
CoverageReport compute_coverage(const ResultsView& run, const RequirementCatalogue* catalogue);

}  // namespace cts::reports
