// `ipsec-cts lint [--cases DIR] [--schema FILE] [--requirements FILE] [--vectors DIR] [--root DIR]
// [--decisions FILE]`: checks the case library (runner/cases/case_lint.h) and the references of
// the repository (runner/cases/reference_lint.h: every OQ-.. names a docs/decisions.md entry).
// Exit 0 clean (warnings allowed), 1 errors found, 2 an input that cannot be read (the case
// folder, the schema, the requirement catalogue).
#include <sys/stat.h>

#include <cerrno>
#include <cstring>
#include <iostream>
#include <memory>

#include "runner/cases/case_lint.h"
#include "runner/cases/reference_lint.h"
#include "runner/cases/requirement_catalogue.h"
#include "runner/cases/requirement_coverage.h"
#include "runner/cli/command_registry.h"
#include "runner/json/json_text.h"
#include "runner/vectors/vector_catalog.h"

namespace cts::cli {
namespace {

struct LintArgs {
  std::string cases = std::string(CTS_SOURCE_ROOT) + "/cases";
  std::string schema;
  std::string requirements;
  std::string vectors = std::string(CTS_SOURCE_ROOT) + "/vectors";
  bool coverage = false;
  std::string uncovered;
  std::string root = CTS_SOURCE_ROOT;
  std::string decisions;
};

// The repository's references; returns the number of errors.
size_t lint_references(const LintArgs& a) {
  const std::string decisions = a.decisions.empty() ? a.root + "/docs/decisions.md" : a.decisions;
  const auto r = cases::lint_references(a.root, decisions, cases::default_reference_scope());
  if (!r.error.empty()) {
    std::cout << "error: " << r.error << "\n";
    return 1;
  }
  for (const auto& f : r.findings) std::cout << f.to_string() << "\n";
  std::cout << "lint: references: " << r.files << " file(s) under " << a.root << ", " << r.errors()
            << " unresolved, " << r.findings.size() - r.errors() << " to a reserved entry\n";
  return r.errors();
}

// --coverage: per family, the requirements a case covers; fails unless every device-side
// requirement is covered or waived in uncovered.json with a reason (requirement_coverage.h).
int run_coverage(const LintArgs& a, const std::string& requirements_path) {
  std::string error;
  auto catalogue = cases::RequirementCatalogue::load(requirements_path, error);
  if (!catalogue) {
    std::cerr << "lint --coverage: " << error << "\n";
    return 1;
  }
  const cases::LoadResult loaded = cases::load_case_paths({a.cases});
  for (const auto& e : loaded.errors) std::cerr << "error: " << e.to_string() << "\n";
  cases::WaiverFile waivers;
  std::vector<std::string> errors;
  cases::load_waivers(a.uncovered.empty() ? a.cases + "/uncovered.json" : a.uncovered, waivers, errors);
  const cases::CoverageReport rep = cases::compute_coverage(loaded.files, *catalogue, waivers);
  size_t n = 0;
  for (const auto& f : loaded.files) n += f.cases.size();
  std::cout << "lint --coverage: " << n << " case(s) after parameter expansion\n" << cases::format_coverage(rep);
  for (const auto& w : rep.warnings) std::cout << "warning: " << w << "\n";
  for (const auto& e : errors) std::cout << "error: " << e << "\n";
  for (const auto& e : rep.errors) std::cout << "error: " << e << "\n";
  return loaded.ok() && errors.empty() && rep.errors.empty() ? 0 : 1;
}

int run(const LintArgs& a) {
  cases::LintOptions o;
  o.schema_path = a.schema.empty() ? a.cases + "/schema/case_file.schema.json" : a.schema;
  o.requirements_path = a.requirements.empty() ? a.cases + "/requirements.json" : a.requirements;
  if (a.coverage) return run_coverage(a, o.requirements_path);
  // A vector is found as the runner finds it (runner/vectors/vector_catalog.h): a pcap with a
  // sidecar that loads, under DIR/generated or DIR/published, by full or unique short name.
  o.vector_exists = [dir = a.vectors](const std::string& name) {
    std::string error;
    return cts::vectors::find_vector(name, error, dir).has_value();
  };
  // What lint reads must be readable: a missing folder or an unreadable schema or catalogue is an
  // input error (exit 2), never a finding about the library (exit 1).
  struct stat st {};
  if (::stat(a.cases.c_str(), &st) != 0) {
    std::cerr << "ipsec-cts lint: " << a.cases << ": " << std::strerror(errno) << "\n";
    return 2;
  }
  for (const std::string& file : {o.schema_path, o.requirements_path}) {
    std::string text;
    std::string error;
    if (!strict::read_text_file(file, text, error)) {
      std::cerr << "ipsec-cts lint: " << error << "\n";
      return 2;
    }
  }
  const auto report = cases::lint_case_paths({a.cases}, o);
  for (const auto& f : report.findings) std::cout << f.to_string() << "\n";
  std::cout << "lint: " << report.files << " file(s), " << report.cases << " case(s), " << report.errors()
            << " error(s), " << report.warnings() << " warning(s)\n";
  const size_t reference_errors = lint_references(a);
  return report.errors() == 0 && reference_errors == 0 ? 0 : 1;
}

const RegisterCommand kRegister{Command{
    "lint", [](CLI::App& app) -> std::function<int()> {
      auto a = std::make_shared<LintArgs>();
      auto* sub = app.add_subcommand(
          "lint",
          "Check the case library: JSON Schema, strict loading, unique ids, requirement IDs in "
          "cases/requirements.json, flags explained in notes, referenced vectors and labels; every "
          "open-question reference (OQ-..) in the repository has an entry in docs/decisions.md and "
          "no text cites sections of documents outside the repository.");
      sub->add_option("--cases", a->cases, "Case folder (default: the repository's cases/)");
      sub->add_option("--schema", a->schema, "Case schema (default: <cases>/schema/case_file.schema.json)");
      sub->add_option("--requirements", a->requirements, "Requirement catalogue (default: <cases>/requirements.json)");
      sub->add_option("--vectors", a->vectors, "Vector folder (default: the repository's vectors/)");
      sub->add_flag("--coverage", a->coverage,
                    "Print, per requirement family, the requirements covered by a case; fail unless "
                    "every device-side requirement is covered or listed in <cases>/uncovered.json");
      sub->add_option("--uncovered", a->uncovered, "Waivers (default: <cases>/uncovered.json)");
      sub->add_option("--root", a->root, "Repository whose references are checked (default: this one)");
      sub->add_option("--decisions", a->decisions, "Decisions document (default: <root>/docs/decisions.md)");
      return [a] { return run(*a); };
    }}};

}  // namespace
}  // namespace cts::cli
