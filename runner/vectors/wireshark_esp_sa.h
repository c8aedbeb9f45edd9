// The Wireshark `esp_sa` UAT table for the SAs of a sidecar, so anyone can open a vector (or a
// failing exchange) in Wireshark and see it decrypted and authenticated.
//
// Format of Wireshark/tshark 4.0 (epan/dissectors/packet-ipsec.c, uat "esp_sa"): one line per SA,
// eight quoted CSV columns — protocol ("IPv4"/"IPv6"), source, destination, SPI, encryption
// algorithm label, encryption key ("0x" hex; GCM: AES key ‖ salt), authentication algorithm label,
// authentication key. Wireshark 4.0 has no ESN column: the ESN state of each SA is written as a
// comment line above it ('#' lines are comments in UAT files). Suites Wireshark 4.0 cannot
// decrypt (AES-GMAC) are written as comments with the reason, never as a wrong row.
#pragma once

#include <string>
#include <vector>

#include "runner/vectors/sidecar.h"

namespace cts::vectors {

struct EspSaRow {
  std::string sa_id;
  bool supported = false;     // false: Wireshark 4.0 has no algorithm for this suite
  std::string unsupported_reason;
  std::vector<std::string> columns;  // the eight columns, unquoted
};

// Wireshark's labels for one suite; false when Wireshark 4.0 cannot process it.
bool wireshark_labels(const esp::EspSuite& suite, std::string& encryption, std::string& authentication,
                      std::string& why_not);

std::vector<EspSaRow> esp_sa_rows(const Sidecar& sidecar);

// The whole file as Wireshark writes it (header comment, one line per SA).
std::string esp_sa_table(const Sidecar& sidecar);

// One row in the form tshark takes on the command line: -o "uat:esp_sa:<row>".
std::string esp_sa_uat_option(const EspSaRow& row);

}  // namespace cts::vectors
