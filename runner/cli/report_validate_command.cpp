// `ipsec-cts report validate RESULTS...`: checks results files against the versioned schema
// (reports/schema/results.schema.json) and what a schema cannot say (the summary counts the
// cases, ids are unique, artifact paths stay inside the results folder).
//   exit 0 every file valid; 1 a file violates the schema; 2 a file (or the schema) unreadable.
#include <iostream>

#include "runner/json/json_text.h"
#include "runner/cases/json_schema.h"
#include "runner/cli/report_subcommands.h"
#include "runner/results/results_json.h"

namespace cts::cli {
namespace {

struct ValidateOptions {
  std::vector<std::string> files;
  std::string schema;
};

int run_validate(const ValidateOptions& o) {
  std::string error;
  const std::string schema_path = o.schema.empty() ? results_schema_path() : o.schema;
  auto schema_doc = strict::read_file(schema_path, error);
  if (!schema_doc) {
    std::cerr << "ipsec-cts report validate: " << error << "\n";
    return 2;
  }
  std::optional<cases::JsonSchema> schema;
  try {
    schema.emplace(*schema_doc);
  } catch (const std::exception& e) {
    std::cerr << "ipsec-cts report validate: " << schema_path << ": unusable schema: " << e.what() << "\n";
    return 2;
  }
  int worst = 0;
  for (const auto& file : o.files) {
    auto doc = strict::read_file(file, error);
    if (!doc) {
      std::cerr << "ipsec-cts report validate: " << error << "\n";
      worst = 2;
      continue;
    }
    const auto violations = schema->validate(*doc);
    for (const auto& v : violations) std::cerr << file << ": " << v.path << ": " << v.message << "\n";
    bool ok = violations.empty();
    if (ok && !results::results_from_json(*doc, file, error)) {
      std::cerr << error << "\n";
      ok = false;
    }
    if (!ok) {
      worst = std::max(worst, 1);
      continue;
    }
    std::cout << file << ": valid (results schema_version " << results::kSchemaVersion << ", "
              << (*doc)["cases"].size() << " case(s))\n";
  }
  return worst;
}

const RegisterReportSubcommand kValidate{{"validate", [](CLI::App& report) -> std::function<int()> {
  auto o = std::make_shared<ValidateOptions>();
  auto* sub = report.add_subcommand("validate", "Check results files against reports/schema/results.schema.json");
  sub->add_option("results", o->files, "results.json file(s)")->required();
  sub->add_option("--schema", o->schema, "schema file (default: the suite's reports/schema/results.schema.json)");
  sub->footer("Exit codes: 0 valid, 1 a file violates the schema, 2 a file cannot be read or parsed");
  return [o] { return run_validate(*o); };
}}};

}  // namespace
}  // namespace cts::cli
