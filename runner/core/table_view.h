// A common view of SA-table dumps: the oracle's (oracle/sa/sa_dump.h) and a device's optional
// `dump` (docs/dut-abi.md) differ in shape, so both are reduced to what they must agree on —
// which bundles exist (by handle), their direction and, per SA, SPI, operation, ESN flag and
// current high half; pool usage by pool name — and diffed with handles mapped to case labels.
#pragma once

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

namespace cts::core {

struct TableSa {
  std::optional<uint32_t> spi;
  std::optional<std::string> operation;  // "ESP" / "AH" (upper-cased)
  std::optional<bool> esn;
  std::optional<uint32_t> seq_high;
};

struct TableBundle {
  uint64_t handle = 0;
  std::optional<std::string> direction;
  std::vector<TableSa> sas;
};

struct TableView {
  std::vector<TableBundle> bundles;
  std::map<std::string, uint64_t> pool_used;  // pool name -> used
};

}  // namespace cts::core
namespace cts::sa {
class SaTable;
}  // namespace cts::sa
namespace cts::core {

// The oracle's table directly (no JSON round trip: this runs after every step).
TableView oracle_table_view(const sa::SaTable& table);

// Accepts both shapes; nothing (and `error`) when the document has no "bundles" array of objects
// with a "handle".
std::optional<TableView> parse_table_view(const nlohmann::json& dump, std::string& error);

struct TableDifference {
  std::string field;  // "table.in1.sas[0].sequence_number_high_order", "table.bundle_count", ...
  std::string expected;  // oracle
  std::string actual;    // device
};

// `oracle_labels` / `device_labels` map each side's handles to case labels; bundles without a
// label are named by handle.
std::vector<TableDifference> diff_tables(const TableView& oracle, const TableView& device,
                                         const std::map<uint64_t, std::string>& oracle_labels,
                                         const std::map<uint64_t, std::string>& device_labels);

}  // namespace cts::core
