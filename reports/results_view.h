// The view model of one run, read from a results document (runner/core/results.h,
// "schema_version": 1). The loader checks everything the views rely on and rejects the rest
// with the origin and the JSON path ("out/results.json: $.cases[3].verdict: unknown verdict
// \"MAYBE\""): a view never renders a document it does not understand. Members the views do not
// use are allowed, so the runner can record more without breaking the views.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

namespace cts::reports {

inline constexpr int64_t kResultsSchemaVersion = 1;

enum class Verdict { pass, fail, not_applicable, error };
const char* verdict_name(Verdict v);   // "PASS", "FAIL", "NOT_APPLICABLE", "ERROR"
const char* verdict_label(Verdict v);  // "Pass", "Fail", "Not applicable", "Error"
const char* verdict_key(Verdict v);    // "pass", "fail", "not_applicable", "error" (CSS, filters)

struct FindingView {
  std::string step;   // "steps[3]"
  std::string field;  // "status", "handles[1]", ...
  std::string expected;
  std::string actual;
  std::vector<std::string> requirements;
  std::string detail;
};

struct CaseView {
  size_t index = 0;  // position in $.cases, for JSON paths into the evidence
  std::string id;    // "addsa.capacity.fill_then_overflow"
  std::string file;
  Verdict verdict = Verdict::pass;
  std::vector<std::string> requirements;
  std::vector<std::string> flags;
  std::string missing_capability;  // NOT_APPLICABLE
  std::string error;               // ERROR
  std::vector<FindingView> findings;
  nlohmann::json evidence = nlohmann::json::array();  // per step, as recorded (depth-limited)
  double duration_ms = 0;

  // "addsa.capacity" / "fill_then_overflow" (the id split before its last component; parameters
  // in brackets stay with the case name). An id of one component has an empty group.
  std::string group() const;
  std::string leaf() const;
  // Every requirement the case cites, its own and its findings', without duplicates.
  std::vector<std::string> all_requirements() const;
};

struct CaseFileView {
  std::string path;
  std::string sha256;
  uint64_t cases = 0;
};

struct SummaryView {
  uint64_t total = 0, pass = 0, fail = 0, not_applicable = 0, error = 0;
};

struct ResultsView {
  std::string origin;  // the file it came from, for messages and JSON-path references
  std::string tool_name;
  std::string tool_version;
  // run
  std::optional<uint64_t> seed;
  std::string device_spec, device_name, device_description;
  nlohmann::json device_capabilities;  // object or null
  nlohmann::json device_features;      // object or null
  std::vector<CaseFileView> case_files;
  std::vector<std::string> filters;
  std::string shard;       // "1/1"
  std::string started_at;  // "2026-11-22T18:18:49Z"
  std::optional<double> duration_ms;
  SummaryView summary;
  std::vector<CaseView> cases;  // document order (sorted by id in a canonical document)

  // True when the run selected a subset: filters, or a shard other than 1/1.
  bool partial_run() const;
  // No FAIL and no ERROR, and at least one case ran.
  bool conformant() const;
};

// From a parsed document. `origin` names it in errors. Never throws.
std::optional<ResultsView> results_view_from_json(const nlohmann::json& doc, const std::string& origin,
                                                  std::string& error);
// Reads, parses and checks a results file.
std::optional<ResultsView> load_results_file(const std::string& path, std::string& error);

}  // namespace cts::reports
