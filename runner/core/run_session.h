// `ipsec-cts run`: one whole run. Loads and selects the cases, opens the device, builds the
// oracle from the device's own capabilities, runs every applicable case on both from a reset
// state, restarts the device after it errs, and records every result in the journal
// (<out>/results.partial.jsonl) as soon as it is known, so nothing already learned is lost and an
// interrupted run continues with --resume. Writes <out>/results.json atomically at the end.
//
// Exit code: 0 nothing unexpected (every case PASS, NOT_APPLICABLE, or a failure an expectation
// foresaw), 1 an unexpected FAIL or ERROR, 2 unusable input (cases that do not load, a case citing
// a requirement id the catalogue lacks, a selection that matches no case, a device that cannot be
// opened, an unwritable --out, a journal that does not match on --resume).
#pragma once

#include <cstdint>
#include <functional>
#include <iosfwd>
#include <memory>
#include <string>
#include <vector>

#include "runner/core/case_selection.h"
#include "runner/core/device_profile_bridge.h"
#include "runner/dut/dut_adapter.h"

namespace cts::core {

struct RunOptions {
  std::string dut = "softnic";
  std::vector<std::string> case_paths;  // files or folders
  std::string library_root;             // the suite's own cases/ folder (a run of it is "the library")
  std::string requirements_path;        // the requirement catalogue every cited id must be in
  std::vector<std::string> filters;     // globs on case ids
  std::vector<std::string> exact_ids;   // --rerun-failed: exactly these cases
  std::string rerun_of;                 // the results file they came from (its name is recorded)
  uint64_t seed = 1;
  std::string out_dir = "out";
  bool resume = false;                  // continue the journal in out_dir
  Shard shard;
  uint32_t timeout_ms = 10000;
  uint32_t max_consecutive_errors = 0;  // 0: never stop early
  AddOidSupport add_oids;
  bool isolate = false;                 // host plugins in a child agent
  bool allow_remote_device = false;     // tcp: may name a non-loopback address
  std::string device_config;            // JSON given to the device's open()
  std::string oracle_device_profile;    // --dut oracle: device-profile JSON file (duts/profiles/)
  std::string expectations_path;        // --expectations FILE
  bool verbose = false;                 // one line per case
  bool no_dump = false;                 // ignore the device's dump (black-box verdicts only)
  bool quiet = false;                   // only the summary and unexpected results
  bool progress = false;                // a live progress line on stderr (a terminal, not CI)
  bool show_keys = false;               // keys stay in results, logs and evidence (esp_sa tables)
  // Opens the device in place of `dut` when set (the engine's tests hand it a scripted fake).
  std::function<dut::DutResult<std::unique_ptr<dut::DutAdapter>>()> open_device;
};

int run_suite(const RunOptions& options, std::ostream& out, std::ostream& err);

}  // namespace cts::core
