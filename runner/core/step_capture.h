// The exchange of a failing datapath step, kept so the failure opens decrypted in Wireshark: the
// frames each side handled (the host's frame, the device's and the oracle's wire output or
// indication) and the ESP SA that protected them. The runner writes it next to the results as
// evidence/<case>/<step>.pcap and the matching Wireshark esp_sa table
// evidence/<case>/<step>.esp_sa, both referenced from results.json and the HTML report.
//
// The esp_sa table carries the SA's keys: it is the one secret-bearing evidence file, written only
// with `run --show-keys` (results, logs and JUnit never hold keys unless that flag is given), and
// the report says so where it links it, or how to get it where it is left out.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "oracle/esp/esp_sa.h"
#include "runner/core/bundle_material.h"
#include "runner/results/results_model.h"
#include "runner/vectors/sidecar.h"

namespace cts::core {

struct CapturedFrame {
  std::string origin;  // "host -> device", "device wire", "oracle wire", "peer -> device", ...
  std::vector<uint8_t> frame;  // Ethernet
};

struct StepCapture {
  std::string step;  // "steps[3]", "steps[2].repeat[i=5].steps[0]"
  std::vector<CapturedFrame> frames;
  std::optional<vectors::SidecarSa> sa;  // the ESP SA of the exchange (keys included)
};

// The esp_sa row's SA: the bundle's addresses, the host configuration's SPI, suite and keys (GCM:
// key and salt together, as Wireshark takes them).
vectors::SidecarSa capture_sa(const MaterialBundle& bundle, const esp::EspSaConfig& config);

// A step keeps at most this many frames (the last ones: the failing packet ends the step).
inline constexpr size_t kMaxCapturedFrames = 64;

// "a.case[x=1]" -> "a.case_x_1_": a file name from a case id or step name, same input same name.
std::string evidence_file_stem(const std::string& text);

// Writes each capture of `case_id` under <out_dir>/evidence/<case>/ and returns what was written,
// paths relative to out_dir. The esp_sa table is written only `with_keys` (run --show-keys) and
// for a capture with an SA; else the pcap alone. On a write error returns what was written
// before and sets `error` ("FILE: reason").
std::vector<results::Artifact> write_step_captures(const std::string& out_dir, const std::string& case_id,
                                                   const std::vector<StepCapture>& captures, bool with_keys,
                                                   std::string& error);

// The legend of a capture's frames and the esp_sa table (comment lines, then one row when
// Wireshark can decrypt the suite): the text of the .esp_sa file.
std::string capture_esp_sa_text(const std::string& case_id, const StepCapture& capture);

}  // namespace cts::core
