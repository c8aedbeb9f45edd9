// DeviceProfile: the ready-made profiles are usable and check_profile names every problem.
#include "oracle/sa/device_profile.h"

#include <gtest/gtest.h>

namespace cts::sa {
namespace {

bool mentions(const std::vector<std::string>& problems, const std::string& field) {
  for (const auto& p : problems) {
    if (p.find(field) != std::string::npos) return true;
  }
  return false;
}

TEST(DeviceProfile, ReadyMadeProfilesAreUsable) {
  EXPECT_TRUE(check_profile(softnic_profile()).empty());
  EXPECT_TRUE(check_profile(full_profile()).empty());
}

TEST(DeviceProfile, SoftnicShape) {
  const DeviceProfile p = softnic_profile();
  EXPECT_EQ(p.pools.inbound_bundles.value_or(0), 1024u);
  EXPECT_EQ(p.pools.outbound_bundles.value_or(0), 1024u);
  EXPECT_EQ(p.pools.inbound_destination_addresses.value_or(0), 128u);
  EXPECT_FALSE(p.capabilities.ah);
  EXPECT_EQ(p.capabilities.udp_esp, 0u);
  EXPECT_TRUE(p.capabilities.tunnel) << "CAP-009";
}

TEST(DeviceProfile, FullAdvertisesEveryEnumValue) {
  const DeviceProfile p = full_profile();
  EXPECT_EQ(p.capabilities.authentication_algorithms, 0x3Fu);  // six authentication identifiers
  EXPECT_EQ(p.capabilities.encryption_algorithms, 0x1FFu);     // nine encryption identifiers
  EXPECT_EQ(p.capabilities.udp_esp, 0xFu);                     // four UDP-ESP types
}

TEST(DeviceProfile, CheckNamesEachProblem) {
  DeviceProfile p = softnic_profile();
  p.pools.total_bundles = 0;
  EXPECT_TRUE(mentions(check_profile(p), "pools.total_bundles"));
  p = softnic_profile();
  p.set_total_capacity(kMaxBundleCapacity + 1);
  EXPECT_TRUE(mentions(check_profile(p), "pools.total_bundles"));
  p = softnic_profile();
  p.capabilities.sa_offload_capacity = 7;
  EXPECT_TRUE(mentions(check_profile(p), "capabilities.sa_offload_capacity"));
  p = softnic_profile();
  p.accepted_spi_range = SpiRange{10, 5};
  EXPECT_TRUE(mentions(check_profile(p), "accepted_spi_range"));
  p = softnic_profile();
  p.capabilities.encryption_algorithms |= 0x200;  // CAP-012: only the constants of 2.5
  EXPECT_TRUE(mentions(check_profile(p), "capabilities.encryption_algorithms"));
  p = softnic_profile();
  p.capabilities.udp_esp = 0x10;  // CAP-013: v2 flags only (0x10 is a v1 value)
  EXPECT_TRUE(mentions(check_profile(p), "capabilities.udp_esp"));
  p = softnic_profile();
  p.pools.inbound_destination_addresses = 0;
  EXPECT_TRUE(mentions(check_profile(p), "pools.inbound_destination_addresses"));
}

TEST(DeviceProfile, SpiRangeIsInclusive) {
  SpiRange r{0x100, 0x1FF};
  EXPECT_TRUE(r.contains(0x100));
  EXPECT_TRUE(r.contains(0x1FF));
  EXPECT_FALSE(r.contains(0xFF));
  EXPECT_FALSE(r.contains(0x200));
}

}  // namespace
}  // namespace cts::sa
