// Device profiles as JSON data (duts/profiles/*.json): the capability structure, the capacity
// pools, the accepted SPI range and the validation knobs of oracle/sa/device_profile.h.
//
// The loader reads through the strict reader (runner/json/strict_reader.h: a key nobody reads is
// an error, so a typo never silently changes a device): every error names the file and the JSON
// path of the field ("duts/profiles/x.json: $.pools.total_bundles").
//
// Shape (every key of "capabilities" optional; defaults: false / 0, encapsulation ["IEEE_802_3"]):
// {
//   "name": "softnic",
//   "capabilities": {
//     "encapsulation": ["IEEE_802_3"],
//     "ipv6_supported": true, "ipv4_options": false, "ipv6_non_ipsec_extension_headers": false,
//     "ah": false, "esp": true, "ah_esp_combined": false,
//     "transport": true, "tunnel": true, "transport_tunnel_combined": false,
//     "lso_supported": false, "extended_sequence_numbers": true,
//     "udp_esp": [],                               // names: "TRANSPORT", "TUNNEL", ...
//     "authentication_algorithms": ["SHA_1", "SHA_256"],
//     "encryption_algorithms": ["AES_GCM_128", "AES_GCM_256", "AES_CBC_128"]
//   },
//   "pools": { "total_bundles": 2048, "inbound_bundles": 1024, "outbound_bundles": 1024,
//              "inbound_destination_addresses": 128 },
//   "accepted_spi_range": { "min": 256, "max": 4294967295 },   // optional
//   "validation": { "gcm_key_includes_salt": true }           // optional (OQ-07)
// }
// Algorithm names are those of oracle/ndis/constants.h name functions (short form "SHA_1" or the
// full IPSEC_OFFLOAD_V2_AUTHENTICATION_SHA_1); numbers are accepted wherever a mask is expected.
#pragma once

#include <string>
#include <string_view>
#include <variant>

#include "oracle/sa/device_profile.h"

namespace cts {

struct ProfileError {
  std::string where;    // "duts/profiles/softnic.json: $.pools.total_bundles"
  std::string message;  // "must be an integer in [1, 16777216]"
  std::string to_string() const { return where + ": " + message; }
};

using ProfileResult = std::variant<sa::DeviceProfile, ProfileError>;

// `origin` names the source in error messages (a file path, "<inline>").
ProfileResult load_profile_json(std::string_view json_text, std::string_view origin);
ProfileResult load_profile_file(const std::string& path);

// The inverse, for evidence and round-trip tests: a JSON document load_profile_json accepts.
std::string profile_to_json(const sa::DeviceProfile& profile);

}  // namespace cts
