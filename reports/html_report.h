// The HTML compliance report of a run: one self-contained file (inline CSS and a little inline
// JS, nothing loaded from anywhere) that a team can hand to a customer.
//   - masthead: device, date, seed, tool version; verdict totals with NOT_APPLICABLE and ERROR
//     always shown; the device's capabilities;
//   - failures and errors first, each with its findings and evidence (oracle SA-table dumps,
//     device answers) readable without the suite;
//   - requirement coverage: every requirement of the catalogue with its strength, text, the
//     cases citing it and their verdicts; uncited ones shown as "not covered";
//   - every case, filterable by verdict and text;
//   - device and run details (full capabilities, case files with digests, replay command).
// Stable anchors: "#case-<case id>" lands on the most detailed view of a case (its card for a
// FAIL or ERROR, its row otherwise); "#req-<requirement id>" on a coverage row. Links may
// percent-encode the id (url_fragment()). Every string is HTML-escaped (text_escape.h).
// Deterministic: the same results document gives the same bytes.
#pragma once

#include <optional>
#include <string>

#include "runner/results/requirement_catalogue.h"
#include "reports/results_view.h"

namespace cts::reports {

struct HtmlOptions {
  std::string results_link;  // address of results.json relative to the report; empty: not linked
  std::string junit_link;    // address of the JUnit file relative to the report; empty: not linked
};

// Fails only on a defect of the embedded template (an unfilled slot); `error` says which.
std::optional<std::string> render_html(const ResultsView& run, const RequirementCatalogue* catalogue,
                                       const HtmlOptions& options, std::string& error);

}  // namespace cts::reports
