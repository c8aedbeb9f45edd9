// The results model of a run and its one canonical serialization, results.json
// ("schema_version": 1). Every view (summary, JUnit, HTML) renders from it. Canonical: object keys
// sorted, cases sorted by id, two-space indentation, trailing newline — equal runs give equal
// bytes apart from the timing fields.
//
// Shape:
// { "schema_version": 1,
//   "tool": {"name": "ipsec-cts", "version": "0.1.0"},
//   "run": {"seed": N, "device": {"spec", "name", "description", "features", "capabilities"},
//           "oracle_profile": {...}, "case_files": [{"path", "sha256", "cases"}],
//           "filters": [...], "shard": "i/n", "started_at": "...", "duration_ms": N},
//   "summary": {"total", "pass", "fail", "not_applicable", "error"},
//   "cases": [ {"id", "file", "verdict", "requirements", "flags", "duration_ms",
//               "missing_capability"?, "error"?, "findings"?: [...], "evidence"?: [...]} ] }
// A finding: {"step", "field", "expected", "actual", "requirements", "detail"?}.
#pragma once

#include <cstdint>
#include <fstream>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

namespace cts::core {

enum class Verdict { pass, fail, not_applicable, error };
const char* verdict_name(Verdict v);  // "PASS", "FAIL", "NOT_APPLICABLE", "ERROR"

struct Finding {
  std::string step;   // "steps[3]" / "steps[2].repeat[i=1024].steps[0]"
  std::string field;  // "status", "handles[1]", "oob.CryptoStatus", "wire", "table.in1.sas[0]..."
  std::string expected;
  std::string actual;
  std::vector<std::string> requirements;
  std::string detail;
};

struct CaseResult {
  std::string id;
  std::string file;
  Verdict verdict = Verdict::pass;
  std::vector<std::string> requirements;
  std::vector<std::string> flags;
  std::string missing_capability;  // NOT_APPLICABLE
  std::string error;               // ERROR: what the device (or the harness) said
  std::vector<Finding> findings;   // FAIL
  nlohmann::json evidence = nlohmann::json::array();  // per step, for every non-PASS
  double duration_ms = 0;
};

struct RunSummary {
  size_t total = 0, pass = 0, fail = 0, not_applicable = 0, error = 0;
  void add(Verdict v);
};

nlohmann::json finding_to_json(const Finding& f);
nlohmann::json case_result_to_json(const CaseResult& r);

// The whole document from metadata (the "run" object) and the results.
nlohmann::json results_document(const nlohmann::json& run, const std::vector<CaseResult>& results);
std::string canonical_dump(const nlohmann::json& doc);

// Appends one case result per line to <out>/results.partial.jsonl as soon as it is known, so a
// run that is killed keeps everything it learned; results.json is written at the end.
class IncrementalResults {
 public:
  bool open(const std::string& out_dir, const nlohmann::json& run, std::string& error);
  void append(const CaseResult& r);
  // Writes results.json (canonical) and removes the partial file.
  bool finish(const nlohmann::json& run, const std::vector<CaseResult>& results, std::string& error);

 private:
  std::string dir_;
  std::ofstream partial_;
};

}  // namespace cts::core
