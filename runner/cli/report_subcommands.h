// The subcommands of `ipsec-cts report` (validate, merge, diff, package, verify) register here,
// one file each, so report_command.cpp never lists them.
#pragma once

#include <functional>
#include <string>
#include <vector>

#include <CLI/CLI.hpp>

namespace cts::cli {

struct ReportSubcommand {
  std::string name;
  // Adds the subcommand to `report` and returns the callable that runs it after parsing.
  std::function<std::function<int()>(CLI::App& report)> install;
};

std::vector<ReportSubcommand>& report_subcommands();

struct RegisterReportSubcommand {
  explicit RegisterReportSubcommand(ReportSubcommand c) { report_subcommands().push_back(std::move(c)); }
};

// Helpers the subcommands share.
std::string default_catalogue_path();
std::string results_schema_path();  // reports/schema/results.schema.json of this suite

}  // namespace cts::cli
