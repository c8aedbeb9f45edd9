// What a device says about itself: the NDIS_IPSEC_OFFLOAD_V2 capability structure, plus the
// capacity facts that structure has no room for. Real NICs run out of more than one resource: a
// table of SA bundles (SaOffloadCapacity), sometimes split by direction, and often a much smaller
// table of inbound destination addresses that fills first (e.g. 1024 SAs but 128 addresses).
// The SA model (sa_table.h, sa_device.h) enforces every pool declared here.
//
// Profiles are plain data; runner/dut/profile_json.h loads them from JSON files (duts/profiles/).
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "oracle/ndis/model.h"
#include "oracle/ndis/validate.h"

namespace cts::sa {

// The largest table the model holds. Handles are 32-bit values (they must fit the 4-byte
// OffloadHandle of the x86 ABI) made of a tag bit, a slot index and a generation counter; 2^24
// slots leave 7 bits of generation so a freed handle value is not seen again soon (OQ-22).
inline constexpr uint32_t kMaxBundleCapacity = 1u << 24;

// Capacity as named pools. Every pool that is set must have room for an add to succeed
// (NDIS_STATUS_RESOURCES otherwise, OQ-04). `total_bundles` is the one the NDIS structure
// reports; it always applies.
struct CapacityPools {
  uint32_t total_bundles = 0;                         // SaOffloadCapacity (CAP-010, OQ-18)
  std::optional<uint32_t> inbound_bundles;            // separate inbound pool, if any
  std::optional<uint32_t> outbound_bundles;           // separate outbound pool, if any
  std::optional<uint32_t> inbound_destination_addresses;  // distinct inbound DestAddr values
};

// Inclusive range of SPI values the device accepts in ADD_SA(_EX). Unset: any SPI.
struct SpiRange {
  uint32_t min = 0;
  uint32_t max = 0xFFFFFFFFu;
  bool contains(uint32_t spi) const { return spi >= min && spi <= max; }
};

struct DeviceProfile {
  std::string name;
  // Reported as is in NDIS_OFFLOAD.IPsecV2. `capabilities.sa_offload_capacity` mirrors
  // `pools.total_bundles`; use set_total_capacity() to keep the two equal.
  ndis::IpsecOffloadV2Capabilities capabilities;
  CapacityPools pools;
  std::optional<SpiRange> accepted_spi_range;
  ndis::ValidationOptions validation;  // OQ-07 knob (GCM/GMAC key with or without salt)

  void set_total_capacity(uint32_t bundles) {
    pools.total_bundles = bundles;
    capabilities.sa_offload_capacity = bundles;
  }
};

// Problems that make a profile unusable (empty = usable). Each message names the field:
// "pools.total_bundles: 0 (a device that offloads IPsec holds at least one bundle)".
std::vector<std::string> check_profile(const DeviceProfile& profile);

// Ready-made profiles for tests: a modest NIC (the shape of duts/profiles/softnic.json) and a
// device that advertises every feature and algorithm of the NDIS enums (full.json).
DeviceProfile softnic_profile();
DeviceProfile full_profile();

}  // namespace cts::sa
