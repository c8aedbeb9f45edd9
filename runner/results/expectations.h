// Known failures and waivers of a device (--expectations FILE), in the spirit of a must-pass
// list with explicit exceptions: each entry names cases by glob, the verdict expected of them
// and, always, why; only results no entry foresaw count for the exit code.
//
// File (JSON, unknown members are errors):
//   {"schema_version": 1,
//    "expectations": [{"case": "recv.oob.*", "verdict": "FAIL", "reason": "firmware 1.2 ...",
//                      "link": "https://tracker/123"}]}
// The first entry whose glob matches a case id applies (an exact id matches itself).
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "runner/results/results_model.h"

namespace cts::results {

struct ExpectationsFile {
  std::string name;  // file name only: results never carry the machine's paths
  std::vector<ExpectationEntry> entries;
};

// Errors name the file and the JSON path ("waivers.json: $.expectations[2].reason: a reason is
// required").
std::optional<ExpectationsFile> load_expectations(const std::string& path, std::string& error);
std::optional<ExpectationsFile> parse_expectations(const std::string& text, const std::string& origin,
                                                   std::string& error);

// Marks every case an entry matches with its expectation and outcome, and records the entries
// (with their match counts and staleness) in `run`.
void apply_expectations(const ExpectationsFile& file, RunInfo& run, std::vector<CaseResult>& cases);

bool glob_matches(const std::string& glob, const std::string& id);

}  // namespace cts::results
