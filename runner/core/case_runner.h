// Runs one case on the device under test and on the oracle, step by step, from a reset state, and
// judges every observable: each step's outcome is checked against the case's expectations (taken
// from the specification) and, where the case leaves room, diffed against the oracle. The first
// step with a discrepancy ends the case with FAIL and findings naming the step, the field, the
// expected and actual values and the requirement IDs. A device that errs (crash, hang, garbage,
// an unsupported mandatory operation) ends it with ERROR; a case the oracle itself contradicts
// ends with ERROR too (a harness problem, never blamed on the device).
//
// Evidence: for every top-level step, what was sent, what each side answered and the oracle's
// SA-table dump after the step; inside `repeat` loops only the failing iteration is recorded (a
// fill to capacity would otherwise record a table of N bundles N times). When the device offers
// `dump`, its table is diffed against the oracle's after every top-level step, handles mapped to
// labels.
#pragma once

#include <cstdint>
#include <string>

#include "oracle/oracle.h"
#include "runner/cases/case_model.h"
#include "runner/core/device_profile_bridge.h"
#include "runner/core/results.h"
#include "runner/core/step_capture.h"
#include "runner/dut/dut_adapter.h"
#include "runner/results/key_redaction.h"

namespace cts::core {

struct CaseRunnerConfig {
  uint64_t seed = 1;
  AddOidSupport add_oids;
  // false: the device's dump is never read (`run --no-dump`), so every verdict is what a
  // black-box device behind an agent gets; cases must reach each judgement through OID answers
  // and traffic alone.
  bool use_dump = true;
};

class CaseRunner {
 public:
  CaseRunner(dut::DutAdapter& device, Oracle& oracle, const dut::Capabilities& device_caps,
             CaseRunnerConfig config);

  // The device and the oracle must already be reset. Never throws.
  CaseResult run(const cases::Case& c);

  // True when the last run ended because the device misbehaved (it should be restarted).
  bool device_failed() const { return device_failed_; }
  // The exchanges of the last run's failing datapath steps (none when it passed).
  const std::vector<StepCapture>& captures() const { return captures_; }
  // The keys the last run drew (for results::KeyRedactor::redact).
  const results::KeyRedactor& keys() const { return keys_; }

 private:
  dut::DutAdapter& device_;
  Oracle& oracle_;
  dut::Capabilities caps_;
  CaseRunnerConfig config_;
  bool device_failed_ = false;
  std::vector<StepCapture> captures_;
  results::KeyRedactor keys_;
};

}  // namespace cts::core
