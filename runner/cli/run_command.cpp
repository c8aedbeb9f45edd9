// `ipsec-cts run --dut softnic|oracle|plugin:PATH|cmd:'...'|tcp:HOST:PORT ...`: runs the case
// library on a device and on the oracle side by side (runner/core/run_session.h), then renders
// report.html and junit.xml from the results.json it wrote.
#include <unistd.h>

#include <cstdlib>
#include <filesystem>
#include <iostream>
#include <memory>
#include <random>

#include "reports/views.h"
#include "runner/cli/command_registry.h"
#include "runner/cli/crypto_backend_option.h"
#include "runner/core/run_session.h"

namespace cts::cli {
namespace {

constexpr const char* kExitCodes =
    "Exit codes:\n"
    "  0  nothing unexpected: every case PASS or NOT_APPLICABLE, or a failure --expectations foresaw\n"
    "  1  an unexpected FAIL or ERROR (or the run stopped at --max-consecutive-errors)\n"
    "  2  unusable input: case files that do not load or cite an unknown requirement id, a selection\n"
    "     that matches no case, a device that cannot be opened, an unreadable --expectations,\n"
    "     --resume of a folder without a matching journal, an unwritable --out\n";

struct RunArgs {
  core::RunOptions options;
  std::vector<std::string> cases;
  std::string shard;
  std::string ndis = "6.30";
  std::string junit;
  std::string rerun_failed;
  std::string resume;
  bool seed_given = false;
  std::string crypto_backend;
};

std::string catalogue_path() { return std::string(CTS_SOURCE_ROOT) + "/cases/requirements.json"; }

// The human views (report.html, junit.xml) are rendered from the results.json the run wrote, so
// the runner core never knows HTML. A view that cannot be written is unusable output: exit 2.
int write_report_views(const std::string& out_dir, const std::string& junit, bool quiet, int verdict) {
  const std::string results = out_dir + "/results.json";
  std::string error;
  auto catalogue = reports::RequirementCatalogue::load(catalogue_path(), error);
  if (!catalogue) std::cerr << "ipsec-cts run: " << error << " (report without requirement texts)\n";
  error.clear();
  if (!reports::write_views_beside(results, catalogue ? &*catalogue : nullptr, error)) {
    std::cerr << "ipsec-cts run: cannot write the report views: " << error << "\n";
    return 2;
  }
  if (!junit.empty()) {
    auto view = reports::load_results_file(results, error);
    if (!view || !reports::write_view_files(*view, catalogue ? &*catalogue : nullptr, {"", junit}, error)) {
      std::cerr << "ipsec-cts run: cannot write " << junit << ": " << error << "\n";
      return 2;
    }
  }
  if (!quiet)
    std::cout << "junit:   " << (junit.empty() ? out_dir + "/junit.xml" : junit) << "\n"
              << "report:  " << out_dir << "/report.html\n";
  return verdict;
}

// --shard, else the GoogleTest sharding variables a CI system may already set.
std::string shard_from_environment() {
  const char* total = std::getenv("GTEST_TOTAL_SHARDS");
  const char* index = std::getenv("GTEST_SHARD_INDEX");
  if (!total || !index) return "1/1";
  try {
    return std::to_string(std::stoul(index) + 1) + "/" + std::to_string(std::stoul(total));
  } catch (...) {
    return std::string(index) + "+1/" + total;  // rejected by parse_shard with the text shown
  }
}

int run(RunArgs& a) {
  const std::string shard_text = a.shard.empty() ? shard_from_environment() : a.shard;
  auto shard = core::parse_shard(shard_text);
  if (!shard) {
    std::cerr << "ipsec-cts run: shard \"" << shard_text << "\" (from "
              << (a.shard.empty() ? "GTEST_SHARD_INDEX/GTEST_TOTAL_SHARDS" : "--shard")
              << ") is not i/n with 1 <= i <= n\n";
    return 2;
  }
  a.options.shard = *shard;
  a.options.library_root = std::string(CTS_SOURCE_ROOT) + "/cases";
  a.options.case_paths = a.cases.empty() ? std::vector<std::string>{a.options.library_root} : a.cases;
  if (a.options.requirements_path.empty()) a.options.requirements_path = catalogue_path();
  if (!a.resume.empty()) {
    if (!a.options.filters.empty() || !a.shard.empty() || a.seed_given) {
      std::cerr << "ipsec-cts run: --resume continues the interrupted run with its own seed, filters and shard; "
                   "do not give --seed, --filter or --shard with it\n";
      return 2;
    }
    a.options.resume = true;
    a.options.out_dir = a.resume;
  }
  if (!a.rerun_failed.empty()) {
    std::string error;
    auto earlier = reports::load_results_file(a.rerun_failed, error);
    if (!earlier) {
      std::cerr << "ipsec-cts run: --rerun-failed: " << error << "\n";
      return 2;
    }
    for (const auto& c : earlier->cases)
      if (c.verdict == reports::Verdict::fail || c.verdict == reports::Verdict::error) a.options.exact_ids.push_back(c.id);
    if (a.options.exact_ids.empty()) {
      std::cout << "ipsec-cts run: " << a.rerun_failed << " has no FAIL or ERROR: nothing to re-run\n";
      return 0;
    }
    if (!a.seed_given && earlier->seed) {
      a.options.seed = *earlier->seed;
      a.seed_given = true;
    }
    a.options.rerun_of = std::filesystem::path(a.rerun_failed).filename().string();
  }
  if (const std::string why = apply_crypto_backend(a.crypto_backend); !why.empty()) {
    std::cerr << "ipsec-cts run: " << why << "\n";
    return 2;
  }
  if (!a.crypto_backend.empty() && !a.options.quiet)
    std::cout << "ipsec-cts run: ESP crypto on " << a.crypto_backend << " (--crypto-backend)\n";
  if (!a.seed_given) {
    // A fresh seed per run, printed, so any run can be replayed exactly with --seed.
    a.options.seed = std::random_device{}() & 0xFFFFFFFFu;
  }
  // Which add OID the device's NDIS version has (ADD-001 for 6.1/6.20, ADDEX-001 for 6.30+).
  if (a.ndis == "6.1" || a.ndis == "6.20") a.options.add_oids = {true, false};
  else if (a.ndis == "6.30") a.options.add_oids = {true, true};
  else if (a.ndis == "6.30-ex-only") a.options.add_oids = {false, true};
  // A live progress line only for a person at a terminal: never in a log or under CI.
  const char* ci = std::getenv("CI");
  a.options.progress = !a.options.quiet && !a.options.verbose && isatty(STDERR_FILENO) &&
                       !(ci && std::string(ci) == "true");
  const int verdict = core::run_suite(a.options, std::cout, std::cerr);
  if (verdict == 2) return verdict;
  return write_report_views(a.options.out_dir, a.junit, a.options.quiet, verdict);
}

const RegisterCommand kRegister{Command{
    "run", [](CLI::App& app) -> std::function<int()> {
      auto a = std::make_shared<RunArgs>();
      auto* sub = app.add_subcommand(
          "run",
          "Run the case library on a device under test and on the oracle, diff every observable, "
          "write <out>/results.json, report.html and junit.xml.");
      sub->footer(kExitCodes);
      sub->add_option("--dut", a->options.dut,
                      "Device: softnic | softnic-full | oracle | plugin:PATH | cmd:'COMMAND' | tcp:HOST:PORT; "
                      "before any of them no-dump: ignores this device's dump (as --no-dump)")
          ->required();
      sub->add_option("--cases", a->cases, "Case files or folders (default: the repository's cases/)");
      sub->add_option("--filter", a->options.filters, "Glob(s) on case ids; any match selects (an exact id selects itself)");
      auto* seed = sub->add_option("--seed", a->options.seed, "Seed of every randomised choice (printed)");
      sub->add_option("--out", a->options.out_dir, "Output folder (default out)");
      sub->add_option("--shard", a->shard,
                      "Run shard i of n (1-based), e.g. 2/4; default from GTEST_SHARD_INDEX (0-based) and "
                      "GTEST_TOTAL_SHARDS, else 1/1. Join shards with `ipsec-cts report merge`");
      sub->add_option("--timeout-ms", a->options.timeout_ms, "Per-request device timeout (default 10000)")
          ->check(CLI::Range(1u, 3600000u));
      sub->add_option("--ndis", a->ndis,
                      "NDIS version of the device: 6.1 / 6.20 (ADD_SA only), 6.30 (both add OIDs, "
                      "default), 6.30-ex-only")
          ->check(CLI::IsMember({"6.1", "6.20", "6.30", "6.30-ex-only"}));
      sub->add_option("--oracle-profile", a->options.oracle_device_profile,
                      "With --dut oracle: the device profile it plays (duts/profiles/*.json)");
      sub->add_flag("--isolate", a->options.isolate,
                    "Host a plugin in a child agent process (a crash or hang becomes an ERROR of its case; "
                    "about 2.5 times the run time of an in-process plugin)");
      sub->add_flag("--allow-remote-device", a->options.allow_remote_device,
                    "Let --dut tcp:HOST:PORT reach a non-loopback address (the protocol is "
                    "unauthenticated and carries SA keys in clear; use a private link)");
      sub->add_option("--device-config", a->options.device_config, "JSON object passed to the device's open()");
      sub->add_option("--expectations", a->options.expectations_path,
                      "Known failures and waivers (JSON: case glob, expected verdict, reason, link); only "
                      "unexpected results count for the exit code, stale entries are reported");
      sub->add_option("--resume", a->resume,
                      "Continue the interrupted run whose --out was DIR from its journal "
                      "(results.partial.jsonl), skipping finished cases")
          ->type_name("DIR");
      sub->add_option("--rerun-failed", a->rerun_failed,
                      "Run exactly the FAIL and ERROR cases of an earlier results.json (with its seed)")
          ->type_name("RESULTS");
      sub->add_option("--max-consecutive-errors", a->options.max_consecutive_errors,
                      "Stop after N ERRORs in a row (a device that is gone), instead of paying the timeout on "
                      "every case; 0 (default) never stops")
          ->type_name("N");
      sub->add_option("--junit", a->junit, "Also write the JUnit XML here");
      sub->add_option("--requirements", a->options.requirements_path,
                      "Requirement catalogue every cited id must be in (default: cases/requirements.json)");
      sub->add_flag("-q,--quiet", a->options.quiet, "Print only the summary line (and errors)");
      sub->add_flag("-v,--verbose", a->options.verbose, "Print every case's verdict");
      sub->add_flag("--no-dump", a->options.no_dump,
                    "Ignore the device's dump (its debug view of the SA table): every verdict from "
                    "OID answers and traffic alone, as a black-box device behind an agent gets");
      sub->add_flag("--show-keys", a->options.show_keys,
                    "Keep the SA keys in results, logs and evidence, and write the Wireshark esp_sa "
                    "table next to each failing step's pcap (without it keys are zeroed or marked "
                    "wherever they would appear)");
      add_crypto_backend_option(sub, a->crypto_backend);
      return [a, seed] {
        a->seed_given = seed->count() > 0;
        return run(*a);
      };
    }}};

}  // namespace
}  // namespace cts::cli
