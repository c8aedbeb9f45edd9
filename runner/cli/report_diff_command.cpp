// `ipsec-cts report diff OLD.json NEW.json [--json FILE]`: regressions, fixes, new and removed
// cases between two runs (runner/results/results_diff.h), as text and JSON.
//   exit 0 no regression; 1 a regression; 2 an unreadable input.
#include <iostream>

#include "reports/results_view.h"
#include "runner/cli/report_subcommands.h"
#include "runner/results/atomic_file.h"
#include "runner/results/results_diff.h"
#include "runner/results/results_json.h"

namespace cts::cli {
namespace {

struct DiffOptions {
  std::string before, after, json;
};

int run_diff(const DiffOptions& o) {
  std::string error;
  auto before = reports::load_results_file(o.before, error);
  if (!before) {
    std::cerr << "ipsec-cts report diff: " << error << "\n";
    return 2;
  }
  auto after = reports::load_results_file(o.after, error);
  if (!after) {
    std::cerr << "ipsec-cts report diff: " << error << "\n";
    return 2;
  }
  const auto d = results::diff_results(before->model(), after->model());
  std::cout << results::diff_text(d, o.before, o.after);
  if (!o.json.empty()) {
    const std::string text = results::canonical_dump(results::diff_json(d, o.before, o.after));
    if (o.json == "-") std::cout << text;
    else if (!results::write_file_atomically(o.json, text, error)) {
      std::cerr << "ipsec-cts report diff: " << error << "\n";
      return 2;
    }
  }
  return d.regressed() ? 1 : 0;
}

const RegisterReportSubcommand kDiff{{"diff", [](CLI::App& report) -> std::function<int()> {
  auto o = std::make_shared<DiffOptions>();
  auto* sub = report.add_subcommand("diff", "Regressions, fixes, new and removed cases between two runs");
  sub->add_option("old", o->before, "results.json of the earlier run")->required();
  sub->add_option("new", o->after, "results.json of the later run")->required();
  sub->add_option("--json", o->json, "also write the diff as JSON here (- for standard output)");
  sub->footer("Exit codes: 0 no regression, 1 a case that did not fail before FAILs or ERRORs now, 2 unreadable input");
  return [o] { return run_diff(*o); };
}}};

}  // namespace
}  // namespace cts::cli
