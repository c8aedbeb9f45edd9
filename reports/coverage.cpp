#include "reports/coverage.h"

#include <map>

namespace cts::reports {

const char* coverage_status_label(CoverageStatus s) {
  switch (s) {
    case CoverageStatus::violated: return "Violated";
    case CoverageStatus::inconclusive: return "Inconclusive";
    case CoverageStatus::met: return "Met";
    case CoverageStatus::not_tested: return "Not tested";
    case CoverageStatus::not_covered: return "Not covered";
  }
  return "?";
}

const char* coverage_status_key(CoverageStatus s) {
  switch (s) {
    case CoverageStatus::violated: return "violated";
    case CoverageStatus::inconclusive: return "inconclusive";
    case CoverageStatus::met: return "met";
    case CoverageStatus::not_tested: return "not_tested";
    case CoverageStatus::not_covered: return "not_covered";
  }
  return "unknown";
}

CoverageReport compute_coverage(const ResultsView& run, const RequirementCatalogue* catalogue) {
  std::map<std::string, std::vector<const CaseView*>> citing;
  for (const CaseView& c : run.cases)
    for (const std::string& r : c.all_requirements()) citing[r].push_back(&c);

  CoverageReport report;
  auto add_row = [&](const std::string& id, const Requirement* req) {
    RequirementCoverage row;
    row.id = id;
    row.requirement = req;
    if (auto it = citing.find(id); it != citing.end()) row.cases = it->second;
    for (const CaseView* c : row.cases) {
      switch (c->verdict) {
        case Verdict::pass:
        case Verdict::acceptable: ++row.pass; break;
        case Verdict::fail: ++row.fail; break;
        case Verdict::not_applicable: ++row.not_applicable; break;
        case Verdict::error: ++row.error; break;
      }
    }
    if (row.fail) row.status = CoverageStatus::violated;
    else if (row.error) row.status = CoverageStatus::inconclusive;
    else if (row.pass) row.status = CoverageStatus::met;
    else if (row.not_applicable) row.status = CoverageStatus::not_tested;
    else row.status = CoverageStatus::not_covered;
    switch (row.status) {
      case CoverageStatus::violated: ++report.violated; break;
      case CoverageStatus::inconclusive: ++report.inconclusive; break;
      case CoverageStatus::met: ++report.met; break;
      case CoverageStatus::not_tested: ++report.not_tested; break;
      case CoverageStatus::not_covered: ++report.not_covered; break;
    }
    if (req && !row.cases.empty()) ++report.covered;
    if (req && results::device_side(*req)) {
      ++report.device_side;
      if (!row.cases.empty()) ++report.device_side_covered;
    }
    report.rows.push_back(std::move(row));
  };

  if (catalogue) {
    report.catalogue_size = catalogue->size();
    for (const Requirement& r : catalogue->requirements()) add_row(r.id, &r);
    for (const auto& [id, cases] : citing) {
      if (!catalogue->find(id)) {
        report.unknown_ids.push_back(id);
        add_row(id, nullptr);
      }
    }
  } else {
    for (const auto& [id, cases] : citing) add_row(id, nullptr);
  }
  return report;
}

}  // namespace cts::reports
