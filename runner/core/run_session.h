// `ipsec-cts run`: one whole run. Loads and selects the cases, opens the device, builds the
// oracle from the device's own capabilities, runs every applicable case on both from a reset
// state, restarts the device after it errs (nothing already learned is lost: every result is
// appended to <out>/results.partial.jsonl as soon as it is known), writes <out>/results.json and
// prints a summary. Exit code: 0 all PASS / NOT_APPLICABLE, 1 any FAIL or ERROR, 2 unusable input
// (cases that do not load, a device that cannot be opened, an unwritable --out).
#pragma once

#include <cstdint>
#include <iosfwd>
#include <string>
#include <vector>

#include "runner/core/case_selection.h"
#include "runner/core/device_profile_bridge.h"

namespace cts::core {

struct RunOptions {
  std::string dut = "softnic";
  std::vector<std::string> case_paths;  // files or folders
  std::vector<std::string> filters;     // globs on case ids
  uint64_t seed = 1;
  std::string out_dir = "out";
  Shard shard;
  uint32_t timeout_ms = 10000;
  AddOidSupport add_oids;
  bool isolate = false;                 // host plugins in a child agent
  std::string device_config;            // JSON given to the device's open()
  std::string oracle_device_profile;    // --dut oracle: device-profile JSON file (duts/profiles/)
  bool verbose = false;                 // one line per case
  bool no_dump = false;                 // ignore the device's dump (black-box verdicts only)
};

int run_suite(const RunOptions& options, std::ostream& out, std::ostream& err);

}  // namespace cts::core
