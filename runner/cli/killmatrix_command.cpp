// `ipsec-cts killmatrix --dut DEVICE... | --from RESULTS_DIR... [--cases ...] [--filter ...]
//  [--seed N] [--out DIR] [--expect-killed]`: runs the case library on each device (as `run`
// would, one results folder per device under --out) or reads earlier runs' results.json, and
// prints which cases killed (FAILed on) which device; writes <out>/kill_matrix.{json,txt,html}.
//   exit 0: matrix written (with --expect-killed: and every device killed); 1: with
//   --expect-killed, a device survived; 2: unusable input.
#include <filesystem>
#include <iostream>
#include <memory>
#include <sstream>

#include "runner/json/json_text.h"
#include "reports/kill_matrix.h"
#include "reports/views.h"
#include "runner/cli/command_registry.h"
#include "runner/core/run_session.h"

namespace cts::cli {
namespace {

struct KillMatrixArgs {
  std::vector<std::string> duts;
  std::vector<std::string> from;
  std::vector<std::string> cases;
  std::vector<std::string> filters;
  uint64_t seed = 11;
  uint32_t timeout_ms = 10000;
  std::string out = "out/kill-matrix";
  bool expect_killed = false;
};

// A folder name for device i: its position and the spec's letters, nothing a shell minds.
std::string folder_for(size_t i, const std::string& spec) {
  std::string name = std::to_string(i + 1) + "-";
  const size_t slash = spec.find_last_of('/');
  for (char c : spec.substr(slash == std::string::npos ? 0 : slash + 1)) {
    const bool plain = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
                       c == '-' || c == '_' || c == '.';
    name.push_back(plain ? c : '_');
    if (name.size() > 64) break;
  }
  return name;
}

int run(const KillMatrixArgs& a) {
  if (a.duts.empty() == a.from.empty()) {
    std::cerr << "ipsec-cts killmatrix: give either --dut (run each device) or --from (earlier "
                 "runs), not both, not neither\n";
    return 2;
  }
  std::vector<std::pair<std::string, std::string>> runs;  // label, results.json
  for (size_t i = 0; i < a.duts.size(); ++i) {
    core::RunOptions o;
    o.dut = a.duts[i];
    o.case_paths = a.cases.empty() ? std::vector<std::string>{std::string(CTS_SOURCE_ROOT) + "/cases"} : a.cases;
    o.filters = a.filters;
    o.seed = a.seed;
    o.timeout_ms = a.timeout_ms;
    o.out_dir = a.out + "/" + folder_for(i, a.duts[i]);
    std::ostringstream quiet;
    const int verdict = core::run_suite(o, quiet, std::cerr);
    if (verdict == 2) {
      std::cerr << "ipsec-cts killmatrix: --dut " << a.duts[i] << ": the run could not start\n";
      return 2;
    }
    std::cout << a.duts[i] << ": " << (verdict == 1 ? "FAIL" : "PASS") << " (" << o.out_dir << ")\n";
    runs.emplace_back(a.duts[i], o.out_dir + "/results.json");
  }
  for (const auto& dir : a.from) runs.emplace_back(dir, dir + "/results.json");

  std::vector<reports::KillMatrixDevice> devices;
  for (const auto& [label, path] : runs) {
    std::string error;
    auto doc = strict::read_file(path, error);
    if (!doc) {
      std::cerr << "ipsec-cts killmatrix: " << error << "\n";
      return 2;
    }
    auto d = reports::kill_matrix_device(*doc, label, path, error);
    if (!d) {
      std::cerr << "ipsec-cts killmatrix: " << error << "\n";
      return 2;
    }
    devices.push_back(std::move(*d));
  }
  const reports::KillMatrix m = reports::build_kill_matrix(std::move(devices));
  const std::string text = reports::kill_matrix_text(m);
  std::cout << text;
  std::string error;
  std::error_code ec;
  std::filesystem::create_directories(a.out, ec);
  if (!reports::write_file_atomically(a.out + "/kill_matrix.json", reports::kill_matrix_json(m).dump(2) + "\n", error) ||
      !reports::write_file_atomically(a.out + "/kill_matrix.txt", text, error) ||
      !reports::write_file_atomically(a.out + "/kill_matrix.html", reports::kill_matrix_html(m), error)) {
    std::cerr << "ipsec-cts killmatrix: " << error << "\n";
    return 2;
  }
  std::cout << "matrix:  " << a.out << "/kill_matrix.html\n";
  return a.expect_killed && m.survivors() > 0 ? 1 : 0;
}

const RegisterCommand kRegister{Command{
    "killmatrix", [](CLI::App& app) -> std::function<int()> {
      auto a = std::make_shared<KillMatrixArgs>();
      auto* sub = app.add_subcommand(
          "killmatrix",
          "Run the case library on several devices (e.g. the mutants of duts/mutants) or read "
          "earlier runs, and show which cases killed (FAILed on) which device. Writes "
          "<out>/kill_matrix.{json,txt,html}.");
      sub->add_option("--dut", a->duts, "Devices, as for run --dut (one run each)");
      sub->add_option("--from", a->from, "Folders of earlier runs (each holding results.json)");
      sub->add_option("--cases", a->cases, "Case files or folders (default: the repository's cases/)");
      sub->add_option("--filter", a->filters, "Glob(s) on case ids; any match selects");
      sub->add_option("--seed", a->seed, "Seed of every randomised choice (default 11)");
      sub->add_option("--timeout-ms", a->timeout_ms, "Per-request device timeout (default 10000)")
          ->check(CLI::Range(1u, 3600000u));
      sub->add_option("--out", a->out, "Output folder (default out/kill-matrix)");
      sub->add_flag("--expect-killed", a->expect_killed, "Exit 1 when a device survives");
      return [a] { return run(*a); };
    }}};

}  // namespace
}  // namespace cts::cli
