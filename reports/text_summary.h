// Plain-text renderings shared by the views: one line per finding, the full findings block a
// CI system shows for a failed case, and short helpers.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "runner/results/requirement_catalogue.h"
#include "reports/results_view.h"

namespace cts::reports {

// "steps[3] status: expected NDIS_STATUS_SUCCESS (0x00000000), got ... [ADD-005 ADD-006]"
std::string finding_line(const FindingView& f);

// The case's one-line reason: the first finding (+ "(and N more findings)"), the error, or the
// missing capability. Empty for PASS.
std::string case_reason(const CaseView& c);

// The multi-line account of a non-PASS case for a CI log: findings with requirement titles from
// the catalogue (when given), the error, and where the evidence is. `report_link` (may be
// empty) is the HTML report's address of this case, "report.html#case-...".
std::string case_account(const CaseView& c, const RequirementCatalogue* catalogue, const std::string& origin,
                         const std::string& report_link);

// At most `max_bytes` bytes of `s`, cut on a UTF-8 character boundary, with "…" when cut.
std::string truncate_utf8(std::string_view s, size_t max_bytes);

// "ADD-005 ADD-006"
std::string join(const std::vector<std::string>& items, const char* separator);

// "0.012" (seconds, three decimals, from milliseconds)
std::string seconds_text(double ms);

// The anchor of a case in the HTML report ("case-" + id, whitespace and controls replaced),
// and of a requirement ("req-" + id). Links use url_fragment() of these.
std::string case_anchor(const std::string& id);
std::string requirement_anchor(const std::string& id);

}  // namespace cts::reports
