// The JUnit XML view of a run, in the common format Jenkins (junit, xunit) and GitLab read:
//   <testsuites name tests failures errors skipped time>
//     <testsuite name=<case file> tests failures errors skipped time timestamp>   one per case file
//       <properties> device, seed, tool, results file </properties>
//       <testcase name=<case> classname=<area.group> time>
//         <failure message type="FAIL">findings: step, field, expected, actual, requirements</failure>
//         <error message type="ERROR">what the device or harness said</error>
//         <skipped message="missing capability: ..."/>
// Every value is escaped (text_escape.h): device answers can hold anything. The output is
// well-formed XML 1.0 in UTF-8 whatever the input.
#pragma once

#include <string>

#include "runner/results/requirement_catalogue.h"
#include "reports/results_view.h"

namespace cts::reports {

struct JunitOptions {
  // Address of the HTML report relative to the JUnit file ("report.html"); when set, each
  // non-PASS case links to its anchor there. Empty: no link.
  std::string html_report;
};

std::string render_junit(const ResultsView& run, const RequirementCatalogue* catalogue,
                         const JunitOptions& options = {});

}  // namespace cts::reports
