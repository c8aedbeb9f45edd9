// The verdict of one case, the same closed set for the runner, the journal and every view.
#pragma once

#include <optional>
#include <string_view>

namespace cts::results {

enum class Verdict { pass, fail, not_applicable, error };
inline constexpr Verdict kVerdicts[] = {Verdict::pass, Verdict::fail, Verdict::not_applicable, Verdict::error};

const char* verdict_name(Verdict v);   // "PASS", "FAIL", "NOT_APPLICABLE", "ERROR" (results.json)
const char* verdict_label(Verdict v);  // "Pass", "Fail", "Not applicable", "Error" (people)
const char* verdict_key(Verdict v);    // "pass", "fail", "not_applicable", "error" (CSS, filters)
// From the results.json spelling; nothing for any other text.
std::optional<Verdict> verdict_from_name(std::string_view name);

}  // namespace cts::results
