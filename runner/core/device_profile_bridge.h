// From what a device says about itself to what the oracle needs and what cases may ask:
//  - the oracle's DeviceProfile (capabilities + capacity hints of ipsec_cts_capabilities);
//  - the expression variables of case files (capacity, inbound_capacity, ...);
//  - whether a case is applicable (its capability tokens against the device), and if not, the
//    first missing capability for the NOT_APPLICABLE verdict.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "oracle/sa/device_profile.h"
#include "runner/cases/case_model.h"
#include "runner/cases/expression.h"
#include "runner/dut/dut_adapter.h"

namespace cts::core {

// Which add OIDs the device's NDIS version offers (ADD-001 for 6.1/6.20, ADDEX-001 for 6.30+).
// The plugin ABI does not say; the run configures it (--ndis), default: both.
struct AddOidSupport {
  bool add_sa = true;
  bool add_sa_ex = true;
};

sa::DeviceProfile profile_from_capabilities(const dut::Capabilities& caps, const std::string& name);

// capacity, inbound_capacity, outbound_capacity, dest_address_capacity (runner/cases/case_loader.h).
cases::ExprEnv profile_environment(const sa::DeviceProfile& profile);

// Nothing when the device offers everything the case needs; otherwise the first unmet token as
// written in the case ("enc:AES_GCM_192", "!esn").
std::optional<std::string> missing_capability(const std::vector<cases::CapabilityToken>& tokens,
                                              const dut::Capabilities& caps,
                                              const dut::DutFeatures& features, AddOidSupport oids);

}  // namespace cts::core
