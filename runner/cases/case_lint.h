// `ipsec-cts lint`: checks a case library beyond what loading one file can judge.
//  - every file validates against the JSON Schema (cases/schema/case_file.schema.json);
//  - every file loads (case_loader.h: unknown fields, types, names, expressions);
//  - case ids are unique across the library (a duplicate is a hard error);
//  - every requirement ID (cases and notes) exists in cases/requirements.json;
//  - every flag a case uses is explained in its file's notes (unused notes are warnings);
//  - every referenced vector exists;
//  - every constant label a step refers to was named by an earlier ADD step of the case.
#pragma once

#include <functional>
#include <string>
#include <vector>

#include "runner/cases/case_loader.h"

namespace cts::cases {

struct LintOptions {
  std::string schema_path;        // cases/schema/case_file.schema.json
  std::string requirements_path;  // cases/requirements.json
  // Answers whether a named vector exists (the CLI wires runner/vectors in); unset: any name
  // is reported as unresolvable.
  std::function<bool(const std::string&)> vector_exists;
};

struct LintFinding {
  bool error = true;  // false: warning
  std::string file, case_id, path, message;
  std::string to_string() const;
};

struct LintReport {
  std::vector<LintFinding> findings;
  size_t files = 0;
  size_t cases = 0;
  size_t errors() const;
  size_t warnings() const { return findings.size() - errors(); }
};

LintReport lint_case_paths(const std::vector<std::string>& paths, const LintOptions& options);

}  // namespace cts::cases
