// Loads case files (cases/**/*.json) into the case model, rejecting anything it does not
// understand: unknown fields, wrong types, unknown names (statuses, algorithms, capability
// tokens, ndis.h field paths), expressions that do not parse or read variables out of scope.
// Every error names the file, the case id (when inside a case) and the JSON path.
//
// What the loader does not judge (needs the whole library or external data): duplicate ids
// across files, requirement IDs, vector names, flags missing from notes — see case_lint.h.
#pragma once

#include <string>
#include <vector>

#include "runner/cases/case_model.h"

namespace cts::cases {

struct LoadError {
  std::string file;
  std::string case_id;  // empty outside a case
  std::string path;     // JSON path ("$.cases[2].steps[0].sas[0].esp.spi")
  std::string message;
  std::string to_string() const;
};

struct LoadResult {
  std::vector<CaseFile> files;  // files that loaded; a case with an error is left out of its file
  std::vector<LoadError> errors;
  bool ok() const { return errors.empty(); }
};

// Variables an expression may read outside any repeat loop: the device's capacities.
//   capacity               SaOffloadCapacity
//   inbound_capacity       inbound pool limit (SaOffloadCapacity when not separately limited)
//   outbound_capacity      outbound pool limit (likewise)
//   dest_address_capacity  distinct inbound destination addresses (0 when not limited)
const std::vector<std::string>& profile_variables();

// Parses one file's text. `origin` is the file name used in errors.
LoadResult load_case_text(const std::string& text, const std::string& origin);
LoadResult load_case_file(const std::string& path);
// Each argument is a file or a directory (searched recursively for *.json, skipping
// requirements.json, uncovered.json and anything under a folder named "schema"). Files are loaded in sorted
// path order so ids and hashes come out the same on every machine.
LoadResult load_case_paths(const std::vector<std::string>& paths);
std::vector<std::string> find_case_files(const std::vector<std::string>& paths,
                                         std::vector<LoadError>& errors);

}  // namespace cts::cases
