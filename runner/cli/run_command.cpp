// `ipsec-cts run --dut softnic|oracle|plugin:PATH|cmd:'...'|tcp:HOST:PORT [--cases DIR|FILE...]
//  [--filter GLOB...] [--seed N] [--out DIR] [--shard i/n] [--timeout-ms N]`: runs the case
// library on a device and on the oracle side by side (runner/core/run_session.h).
//   exit 0: every selected case PASS or NOT_APPLICABLE; 1: any FAIL or ERROR; 2: unusable input.
#include <iostream>
#include <memory>
#include <random>

#include "reports/views.h"
#include "runner/cli/command_registry.h"
#include "runner/core/run_session.h"

namespace cts::cli {
namespace {

struct RunArgs {
  core::RunOptions options;
  std::vector<std::string> cases;
  std::string shard = "1/1";
  std::string ndis = "6.30";
  bool seed_given = false;
};

// The human views (report.html, junit.xml) are rendered from the results.json the run wrote, so
// the runner core never knows HTML. A view that cannot be written is unusable output: exit 2.
int write_report_views(const std::string& out_dir, int verdict) {
  const std::string results = out_dir + "/results.json";
  std::string error;
  const std::string catalogue_path = std::string(CTS_SOURCE_ROOT) + "/cases/requirements.json";
  auto catalogue = reports::RequirementCatalogue::load(catalogue_path, error);
  if (!catalogue) std::cerr << "ipsec-cts run: " << error << " (report without requirement texts)\n";
  error.clear();
  if (!reports::write_views_beside(results, catalogue ? &*catalogue : nullptr, error)) {
    std::cerr << "ipsec-cts run: cannot write the report views: " << error << "\n";
    return 2;
  }
  std::cout << "junit:   " << out_dir << "/junit.xml\n"
            << "report:  " << out_dir << "/report.html\n";
  return verdict;
}

int run(RunArgs& a) {
  auto shard = core::parse_shard(a.shard);
  if (!shard) {
    std::cerr << "ipsec-cts run: --shard \"" << a.shard << "\" is not i/n with 1 <= i <= n\n";
    return 2;
  }
  a.options.shard = *shard;
  a.options.case_paths = a.cases.empty() ? std::vector<std::string>{std::string(CTS_SOURCE_ROOT) + "/cases"} : a.cases;
  if (!a.seed_given) {
    // A fresh seed per run, printed, so any run can be replayed exactly with --seed.
    a.options.seed = std::random_device{}() & 0xFFFFFFFFu;
  }
  // Which add OID the device's NDIS version has (ADD-001 for 6.1/6.20, ADDEX-001 for 6.30+).
  if (a.ndis == "6.1" || a.ndis == "6.20") a.options.add_oids = {true, false};
  else if (a.ndis == "6.30") a.options.add_oids = {true, true};
  else if (a.ndis == "6.30-ex-only") a.options.add_oids = {false, true};
  const int verdict = core::run_suite(a.options, std::cout, std::cerr);
  if (verdict == 2) return verdict;
  return write_report_views(a.options.out_dir, verdict);
}

const RegisterCommand kRegister{Command{
    "run", [](CLI::App& app) -> std::function<int()> {
      auto a = std::make_shared<RunArgs>();
      auto* sub = app.add_subcommand(
          "run",
          "Run the case library on a device under test and on the oracle, diff every observable, "
          "write <out>/results.json. Exit 0 when nothing failed or errored, 1 otherwise, 2 for "
          "unusable input.");
      sub->add_option("--dut", a->options.dut,
                      "Device: softnic | oracle | plugin:PATH | cmd:'COMMAND' | tcp:HOST:PORT")
          ->required();
      sub->add_option("--cases", a->cases, "Case files or folders (default: the repository's cases/)");
      sub->add_option("--filter", a->options.filters, "Glob(s) on case ids; any match selects");
      auto* seed = sub->add_option("--seed", a->options.seed, "Seed of every randomised choice (printed)");
      sub->add_option("--out", a->options.out_dir, "Output folder for results.json (default out)");
      sub->add_option("--shard", a->shard, "Run shard i of n (1-based), e.g. 2/4");
      sub->add_option("--timeout-ms", a->options.timeout_ms, "Per-request device timeout (default 10000)")
          ->check(CLI::Range(1u, 3600000u));
      sub->add_option("--ndis", a->ndis,
                      "NDIS version of the device: 6.1 / 6.20 (ADD_SA only), 6.30 (both add OIDs, "
                      "default), 6.30-ex-only")
          ->check(CLI::IsMember({"6.1", "6.20", "6.30", "6.30-ex-only"}));
      sub->add_option("--oracle-profile", a->options.oracle_device_profile,
                      "With --dut oracle: the device profile it plays (duts/profiles/*.json)");
      sub->add_flag("--isolate", a->options.isolate, "Host a plugin in a child agent process");
      sub->add_option("--device-config", a->options.device_config, "JSON object passed to the device's open()");
      sub->add_flag("-v,--verbose", a->options.verbose, "Print every case's verdict");
      sub->add_flag("--no-dump", a->options.no_dump,
                    "Ignore the device's dump (its debug view of the SA table): every verdict from "
                    "OID answers and traffic alone, as a black-box device behind an agent gets");
      return [a, seed] {
        a->seed_given = seed->count() > 0;
        return run(*a);
      };
    }}};

}  // namespace
}  // namespace cts::cli
