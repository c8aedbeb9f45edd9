// Committed vectors (runner/vectors) as case material: an inbound bundle whose ESP SA is one SA
// of a vector's sidecar, and the IP datagram of one record of the vector's capture. This lets a
// datapath case feed a device the exact bytes of a published or generated vector.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "runner/cases/case_model.h"
#include "runner/core/bundle_material.h"

namespace cts::core {

// The bundle of `def` (which names a vector SA: def.vector / def.vector_sa_id): SPI, NDIS
// identifiers, keys, endpoints, ESN flag and high half (the high half of the sidecar's
// initial_sequence) from the sidecar. Throws std::runtime_error naming def.path when the vector or
// its SA is missing, or the SA cannot be stated in an ADD element (UDP encapsulation, HMAC-SHA384/
// SHA512, a GCM salt the device profile has no place for: OQ-07).
MaterialBundle material_from_vector(const cases::BundleDef& def, const std::string& label,
                                    bool gcm_key_includes_salt);

// The IP datagram of record `index` of vector `name`, cut to the IP header's length (an Ethernet
// trailer is not part of it). False with `error` set when the vector, the record or its IP packet
// cannot be found.
bool vector_datagram(const std::string& name, uint64_t index, std::vector<uint8_t>& datagram,
                     std::string& error);

}  // namespace cts::core
