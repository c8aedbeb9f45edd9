// The kill matrix of a set of devices (typically the mutant zoo): which cases FAILed on which
// device. A device no case FAILs on "survived" the library, the sign of a gap in the cases.
// Built from the results documents of one run per device; rendered as JSON, as a fixed-width
// text table for the terminal and as a self-contained HTML page.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

namespace cts::reports {

struct KillMatrixDevice {
  std::string label;             // as the user named it (the --dut value, or a folder)
  std::string name;              // the device's own name from results.json ($.run.device.name)
  std::vector<std::string> killed_by;  // case ids with verdict FAIL, sorted
  std::vector<std::string> errors;     // case ids with verdict ERROR
  size_t cases = 0;                    // cases in the run
};

struct KillMatrix {
  std::vector<KillMatrixDevice> devices;  // in the order given
  std::vector<std::string> killing_cases; // every case that killed at least one device, sorted
  bool killed(size_t device, const std::string& case_id) const;
  size_t survivors() const;  // devices with no FAIL
};

// One device from the results document its run wrote. Errors name `origin` and the JSON path.
std::optional<KillMatrixDevice> kill_matrix_device(const nlohmann::json& results,
                                                   const std::string& label,
                                                   const std::string& origin, std::string& error);

KillMatrix build_kill_matrix(std::vector<KillMatrixDevice> devices);

nlohmann::json kill_matrix_json(const KillMatrix& m);
// Rows: cases; columns: devices numbered 1..n (the legend below the table names them); "X"
// where the case killed the device. A last line lists the survivors.
std::string kill_matrix_text(const KillMatrix& m);
std::string kill_matrix_html(const KillMatrix& m);

}  // namespace cts::reports
