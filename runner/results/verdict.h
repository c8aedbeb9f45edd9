// The verdict of one case, the same closed set for the runner, the journal and every view.
#pragma once

#include <optional>
#include <string_view>

namespace cts::results {

// ACCEPTABLE (as Wycheproof's "acceptable"): every check held, and at a check where an open
// question of the references (docs/decisions.md) leaves the choice to the device, the device took
// an alternative other than the oracle's documented choice. It passes: it is never counted as a
// failure and does not stand in the way of CONFORMANT; the case names the question and the
// alternative (CaseResult::acceptances).
enum class Verdict { pass, fail, not_applicable, error, acceptable };
inline constexpr Verdict kVerdicts[] = {Verdict::pass, Verdict::fail, Verdict::not_applicable, Verdict::error,
                                        Verdict::acceptable};

// "PASS", "FAIL", "NOT_APPLICABLE", "ERROR", "ACCEPTABLE" (results.json)
const char* verdict_name(Verdict v);
// "Pass", "Fail", "Not applicable", "Error", "Acceptable" (people)
const char* verdict_label(Verdict v);
// "pass", "fail", "not_applicable", "error", "acceptable" (CSS, filters)
const char* verdict_key(Verdict v);
// PASS or ACCEPTABLE: the device met the case.
inline bool verdict_passes(Verdict v) { return v == Verdict::pass || v == Verdict::acceptable; }
// From the results.json spelling; nothing for any other text.
std::optional<Verdict> verdict_from_name(std::string_view name);

}  // namespace cts::results
