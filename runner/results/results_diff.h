// `ipsec-cts report diff OLD NEW`: what changed between two runs, case by case. A regression is
// a case that did not fail before (PASS, NOT_APPLICABLE, or absent from a run of the same case)
// and FAILs or ERRORs now; a fix the other way round.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "runner/results/results_model.h"

namespace cts::results {

struct VerdictChange {
  std::string id;
  std::optional<Verdict> before, after;  // nothing: not in that run
};

struct ResultsDiff {
  std::vector<VerdictChange> regressions;  // not failing -> FAIL/ERROR
  std::vector<VerdictChange> fixes;        // FAIL/ERROR -> PASS/NOT_APPLICABLE
  std::vector<VerdictChange> changed;      // any other change of verdict (FAIL <-> ERROR, PASS <-> N/A)
  std::vector<VerdictChange> added;        // new case ids (failing ones are regressions too)
  std::vector<VerdictChange> removed;      // ids no longer in the run
  size_t unchanged = 0;
  bool regressed() const { return !regressions.empty(); }
};

ResultsDiff diff_results(const Results& before, const Results& after);
std::string diff_text(const ResultsDiff& d, const std::string& before_name, const std::string& after_name);
nlohmann::json diff_json(const ResultsDiff& d, const std::string& before_name, const std::string& after_name);

}  // namespace cts::results
