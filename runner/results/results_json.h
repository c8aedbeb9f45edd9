// The one JSON form of the results model: results.json ("schema_version": 2, described by
// reports/schema/results.schema.json) and the per-case lines of the journal
// results.partial.jsonl. Canonical: object keys sorted, cases sorted by id, two-space
// indentation, trailing newline, so equal runs give equal bytes apart from the timing fields.
//
// Reading checks everything the views rely on and names what is wrong with the origin and the
// JSON path ("out/results.json: $.cases[3].verdict: unknown verdict \"MAYBE\""). Members it does
// not know are left to the schema (`ipsec-cts report validate`), so a newer runner's extra
// record does not break an older view.
#pragma once

#include <optional>
#include <string>

#include <nlohmann/json.hpp>

#include "runner/results/results_model.h"

namespace cts::results {

// 2 adds the ACCEPTABLE verdict (its "acceptances" and the summary's "acceptable" count); a
// document of version 1 reads as before (it has no ACCEPTABLE case).
inline constexpr int64_t kSchemaVersion = 2;
inline constexpr int64_t kOldestSchemaVersion = 1;

nlohmann::json finding_to_json(const Finding& f);
nlohmann::json case_to_json(const CaseResult& c);
nlohmann::json run_to_json(const RunInfo& run);
// The whole document; the summary is counted from the cases, which are sorted by id.
nlohmann::json results_to_json(const Results& r);
std::string canonical_dump(const nlohmann::json& doc);  // keys sorted, indent 2, newline
std::string line_dump(const nlohmann::json& doc);       // one line, no newline

// Never throw. `origin` names the document in errors.
std::optional<Results> results_from_json(const nlohmann::json& doc, const std::string& origin, std::string& error);
std::optional<CaseResult> case_from_json(const nlohmann::json& doc, const std::string& origin, std::string& error);
std::optional<RunInfo> run_from_json(const nlohmann::json& doc, const std::string& origin, std::string& error);

}  // namespace cts::results
