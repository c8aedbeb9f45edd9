// `ipsec-cts lint [--cases DIR] [--schema FILE] [--requirements FILE] [--vectors DIR]`: checks the
// case library (runner/cases/case_lint.h). Exit 0 clean (warnings allowed), 1 errors found.
#include <iostream>
#include <memory>

#include "runner/cases/case_lint.h"
#include "runner/cli/command_registry.h"
#include "runner/vectors/vector_catalog.h"

namespace cts::cli {
namespace {

struct LintArgs {
  std::string cases = std::string(CTS_SOURCE_ROOT) + "/cases";
  std::string schema;
  std::string requirements;
  std::string vectors = std::string(CTS_SOURCE_ROOT) + "/vectors";
};

int run(const LintArgs& a) {
  cases::LintOptions o;
  o.schema_path = a.schema.empty() ? a.cases + "/schema/case_file.schema.json" : a.schema;
  o.requirements_path = a.requirements.empty() ? a.cases + "/requirements.json" : a.requirements;
  // A vector is found as the runner finds it (runner/vectors/vector_catalog.h): a pcap with a
  // sidecar that loads, under DIR/generated or DIR/published, by full or unique short name.
  o.vector_exists = [dir = a.vectors](const std::string& name) {
    std::string error;
    return cts::vectors::find_vector(name, error, dir).has_value();
  };
  const auto report = cases::lint_case_paths({a.cases}, o);
  for (const auto& f : report.findings) std::cout << f.to_string() << "\n";
  std::cout << "lint: " << report.files << " file(s), " << report.cases << " case(s), " << report.errors()
            << " error(s), " << report.warnings() << " warning(s)\n";
  return report.errors() == 0 ? 0 : 1;
}

const RegisterCommand kRegister{Command{
    "lint", [](CLI::App& app) -> std::function<int()> {
      auto a = std::make_shared<LintArgs>();
      auto* sub = app.add_subcommand(
          "lint",
          "Check the case library: JSON Schema, strict loading, unique ids, requirement IDs in "
          "cases/requirements.json, flags explained in notes, referenced vectors and labels.");
      sub->add_option("--cases", a->cases, "Case folder (default: the repository's cases/)");
      sub->add_option("--schema", a->schema, "Case schema (default: <cases>/schema/case_file.schema.json)");
      sub->add_option("--requirements", a->requirements, "Requirement catalogue (default: <cases>/requirements.json)");
      sub->add_option("--vectors", a->vectors, "Vector folder (default: the repository's vectors/)");
      return [a] { return run(*a); };
    }}};

}  // namespace
}  // namespace cts::cli
