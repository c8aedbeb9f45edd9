// `ipsec-cts report RESULTS.json [--html FILE] [--junit FILE] [--requirements FILE]`: renders the
// views of a finished run from its results.json. Without --html or --junit, writes report.html
// and junit.xml beside RESULTS.json. The requirement catalogue defaults to
// cases/requirements.json (from the working directory, else from the source tree).
//   exit 0: the views were written (whatever the verdicts in them);
//   exit 2: unusable input — a missing or malformed results file, an unknown schema_version, an
//           unreadable catalogue, an unwritable output — with the file and JSON path.
// `ipsec-cts report validate|merge|diff|package|verify ...` are its subcommands (report_*.cpp).
#include <filesystem>
#include <iostream>
#include <map>
#include <string>

#include "reports/results_view.h"
#include "reports/views.h"
#include "runner/cli/command_registry.h"
#include "runner/cli/report_subcommands.h"

namespace cts::cli {

namespace fs = std::filesystem;

std::vector<ReportSubcommand>& report_subcommands() {
  static std::vector<ReportSubcommand> registry;
  return registry;
}

std::string default_catalogue_path() {
  std::error_code ec;
  const std::string candidates[] = {"cases/requirements.json",
                                    std::string(CTS_SOURCE_ROOT) + "/cases/requirements.json"};
  for (const std::string& candidate : candidates)
    if (fs::is_regular_file(candidate, ec)) return candidate;
  return {};
}

std::string results_schema_path() { return std::string(CTS_SOURCE_ROOT) + "/reports/schema/results.schema.json"; }

namespace {

struct ReportOptions {
  std::string results;
  std::string html;
  std::string junit;
  std::string requirements;
};

int run_report(const ReportOptions& o) {
  if (o.results.empty()) {
    std::cerr << "ipsec-cts report: give a results.json to render, or a subcommand (see --help)\n";
    return 2;
  }
  std::string error;
  auto run = reports::load_results_file(o.results, error);
  if (!run) {
    std::cerr << "ipsec-cts report: " << error << "\n";
    return 2;
  }
  std::optional<reports::RequirementCatalogue> catalogue;
  const std::string catalogue_path = o.requirements.empty() ? default_catalogue_path() : o.requirements;
  if (!catalogue_path.empty()) {
    catalogue = reports::RequirementCatalogue::load(catalogue_path, error);
    if (!catalogue) {
      std::cerr << "ipsec-cts report: " << error << "\n";
      return 2;
    }
  } else {
    std::cerr << "ipsec-cts report: note: no requirement catalogue found (give --requirements); coverage lists "
                 "only the requirement ids the cases cite\n";
  }
  reports::ViewFiles files{o.html, o.junit};
  if (files.html.empty() && files.junit.empty()) {
    const fs::path dir = fs::path(o.results).parent_path();
    files.html = (dir / "report.html").string();
    files.junit = (dir / "junit.xml").string();
  }
  if (!reports::write_view_files(*run, catalogue ? &*catalogue : nullptr, files, error)) {
    std::cerr << "ipsec-cts report: " << error << "\n";
    return 2;
  }
  std::cout << "report: " << run->summary.total << " case(s): " << run->summary.pass << " PASS, " << run->summary.acceptable << " ACCEPTABLE, " << run->summary.fail
            << " FAIL, " << run->summary.not_applicable << " NOT_APPLICABLE, " << run->summary.error << " ERROR\n";
  if (!files.html.empty()) std::cout << "html: " << files.html << "\n";
  if (!files.junit.empty()) std::cout << "junit: " << files.junit << "\n";
  return 0;
}

const RegisterCommand kReport{{"report", [](CLI::App& app) -> std::function<int()> {
  auto options = std::make_shared<ReportOptions>();
  CLI::App* sub = app.add_subcommand(
      "report", "Render the HTML report and JUnit XML of a run from its results.json; validate, merge, diff, "
                "package and verify results (subcommands)");
  sub->add_option("results", options->results, "results.json written by `ipsec-cts run`");
  sub->add_option("--html", options->html, "write the HTML compliance report here");
  sub->add_option("--junit", options->junit, "write the JUnit XML here");
  sub->add_option("--requirements", options->requirements,
                  "requirement catalogue (default: cases/requirements.json)");
  auto runners = std::make_shared<std::map<std::string, std::function<int()>>>();
  for (auto& s : report_subcommands()) (*runners)[s.name] = s.install(*sub);
  return [options, runners, sub] {
    for (auto* chosen : sub->get_subcommands())
      if (auto it = runners->find(chosen->get_name()); it != runners->end()) return it->second();
    return run_report(*options);
  };
}}};

}  // namespace
}  // namespace cts::cli
