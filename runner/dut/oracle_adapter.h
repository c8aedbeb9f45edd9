// The `oracle` device: cts::Oracle (oracle/oracle.h) behind DutAdapter, so the harness can run
// every case against the reference itself (a self-test: every case must PASS).
#pragma once

#include <memory>
#include <string>

#include "runner/dut/dut_adapter.h"

namespace cts::dut {

// `profile_json`: a device profile (runner/dut/profile_json.h); empty: sa::softnic_profile().
// invalid_argument naming the JSON path when the profile is refused.
DutResult<std::unique_ptr<DutAdapter>> open_oracle(const std::string& profile_json,
                                                 const std::string& origin = "oracle profile");

}  // namespace cts::dut
