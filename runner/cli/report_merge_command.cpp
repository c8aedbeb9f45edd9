// `ipsec-cts report merge A.json B.json ... -o ALL.json`: joins the shards of one run
// (runner/results/merge.h) and renders the views of the whole beside it.
//   exit 0 merged; 2 an unreadable input, or inputs that are not shards of one run.
#include <filesystem>
#include <iostream>

#include "reports/results_view.h"
#include "reports/views.h"
#include "runner/cli/report_subcommands.h"
#include "runner/results/atomic_file.h"
#include "runner/results/merge.h"
#include "runner/results/results_json.h"

namespace cts::cli {
namespace {

struct MergeOptions {
  std::vector<std::string> inputs;
  std::string output;
  bool no_views = false;
};

int run_merge(const MergeOptions& o) {
  std::vector<results::NamedResults> shards;
  std::string error;
  for (const auto& path : o.inputs) {
    auto view = reports::load_results_file(path, error);
    if (!view) {
      std::cerr << "ipsec-cts report merge: " << error << "\n";
      return 2;
    }
    shards.push_back({path, view->model()});
  }
  auto merged = results::merge_shards(shards, error);
  if (!merged) {
    std::cerr << "ipsec-cts report merge: " << error << "\n";
    return 2;
  }
  std::error_code ec;
  const auto dir = std::filesystem::path(o.output).parent_path();
  if (!dir.empty()) std::filesystem::create_directories(dir, ec);
  if (!results::write_file_atomically(o.output, results::canonical_dump(results::results_to_json(*merged)), error)) {
    std::cerr << "ipsec-cts report merge: " << error << "\n";
    return 2;
  }
  const auto completeness = results::assess_completeness(*merged);
  std::cout << "merged " << shards.size() << " result file(s): " << merged->summary.total << " case(s), "
            << merged->summary.fail << " FAIL, " << merged->summary.error << " ERROR; "
            << (completeness.complete ? "a complete run" : "a partial run") << "\nresults: " << o.output << "\n";
  if (o.no_views) return 0;
  const std::string catalogue_path = default_catalogue_path();
  std::optional<results::RequirementCatalogue> catalogue;
  if (!catalogue_path.empty()) catalogue = results::RequirementCatalogue::load(catalogue_path, error);
  if (!reports::write_views_beside(o.output, catalogue ? &*catalogue : nullptr, error)) {
    std::cerr << "ipsec-cts report merge: " << error << "\n";
    return 2;
  }
  return 0;
}

const RegisterReportSubcommand kMerge{{"merge", [](CLI::App& report) -> std::function<int()> {
  auto o = std::make_shared<MergeOptions>();
  auto* sub = report.add_subcommand(
      "merge", "Join the shards of one run (--shard i/n) into one results.json; refuses results of different "
               "case sets, devices, seeds or filters");
  sub->add_option("results", o->inputs, "results.json of each shard")->required();
  sub->add_option("-o,--output", o->output, "merged results file (report.html and junit.xml are written beside it)")
      ->required();
  sub->add_flag("--no-views", o->no_views, "write only the merged results.json");
  return [o] { return run_merge(*o); };
}}};

}  // namespace
}  // namespace cts::cli
