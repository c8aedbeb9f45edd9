#include "runner/core/device_profile_bridge.h"

#include <gtest/gtest.h>

#include "runner/cases/capability_tokens.h"

namespace cts::core {
namespace {

dut::Capabilities device(uint32_t total, uint32_t inbound, uint32_t destinations) {
  dut::Capabilities caps;
  caps.ipsec_offload_v2.sa_offload_capacity = total;
  caps.inbound_bundle_capacity = inbound;
  caps.inbound_dest_address_capacity = destinations;
  return caps;
}

std::optional<std::string> missing(const dut::Capabilities& caps) {
  return missing_capability({*cases::parse_capability_token("dest_address_pool")}, caps, dut::DutFeatures{true, true},
                            AddOidSupport{});
}

TEST(DeviceProfileBridge, DestinationTableAppliesOnlyWhenItFillsBeforeTheInboundPool) {
  EXPECT_EQ(missing(device(2048, 1024, 128)), std::nullopt);      // softnic's own profile
  EXPECT_EQ(missing(device(1024, 0, 1023)), std::nullopt);        // no inbound pool: the total bounds it
  EXPECT_EQ(missing(device(1024, 4096, 1000)), std::nullopt);     // an inbound pool above the total
  // softnic given only total_bundles: every pool is the total, no address is ever refused for
  // want of an entry.
  EXPECT_EQ(missing(device(1048576, 1048576, 1048576)), "dest_address_pool");
  EXPECT_EQ(missing(device(1024, 512, 512)), "dest_address_pool");
  EXPECT_EQ(missing(device(1024, 0, 1024)), "dest_address_pool");
  EXPECT_EQ(missing(device(1024, 0, 0)), "dest_address_pool");   // not separately limited
}

TEST(DeviceProfileBridge, EnvironmentBoundsDirectionPoolsByTheTotal) {
  const auto env = profile_environment(profile_from_capabilities(device(1000, 4096, 64), "d"));
  EXPECT_EQ(env.get("capacity"), 1000);
  EXPECT_EQ(env.get("inbound_capacity"), 1000);
  EXPECT_EQ(env.get("dest_address_capacity"), 64);
}

}  // namespace
}  // namespace cts::core
