#include "runner/core/table_view.h"

#include <algorithm>
#include <cctype>

#include "oracle/ndis/constants.h"
#include "oracle/sa/sa_table.h"

namespace cts::core {

namespace {

std::optional<uint64_t> number(const nlohmann::json& v) {
  if (v.is_number_unsigned()) return v.get<uint64_t>();
  if (v.is_number_integer() && v.get<int64_t>() >= 0) return static_cast<uint64_t>(v.get<int64_t>());
  if (v.is_string()) {
    const std::string s = v.get<std::string>();
    try {
      size_t used = 0;
      const uint64_t n = std::stoull(s, &used, 0);
      if (used == s.size()) return n;
    } catch (...) {
    }
  }
  return std::nullopt;
}

std::string upper(std::string s) {
  for (auto& c : s) c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
  return s;
}

}  // namespace

TableView oracle_table_view(const sa::SaTable& table) {
  TableView v;
  table.for_each([&](const sa::StoredBundle& b) {
    TableBundle tb;
    tb.handle = b.handle;
    tb.direction = b.inbound() ? "inbound" : "outbound";
    for (uint32_t i = 0; i < b.sa_count() && i < 2; ++i) {
      const auto& s = b.spec.sas[i];
      TableSa sa;
      sa.spi = s.spi;
      sa.operation = s.operation == ndis::IPsecOffloadV2Ah ? "AH" : "ESP";
      sa.esn = s.esn;
      sa.seq_high = s.sequence_number_high_order;
      tb.sas.push_back(sa);
    }
    v.bundles.push_back(std::move(tb));
  });
  for (const auto& p : table.pool_usage()) v.pool_used[sa::pool_name(p.pool)] = p.used;
  return v;
}

std::optional<TableView> parse_table_view(const nlohmann::json& dump, std::string& error) {
  if (!dump.is_object() || !dump.contains("bundles") || !dump["bundles"].is_array()) {
    error = "no \"bundles\" array";
    return std::nullopt;
  }
  TableView view;
  for (const auto& b : dump["bundles"]) {
    if (!b.is_object() || !b.contains("handle")) {
      error = "a bundle without \"handle\"";
      return std::nullopt;
    }
    auto h = number(b["handle"]);
    if (!h) {
      error = "unreadable handle " + b["handle"].dump();
      return std::nullopt;
    }
    TableBundle tb;
    tb.handle = *h;
    if (b.contains("direction") && b["direction"].is_string()) tb.direction = b["direction"].get<std::string>();
    if (b.contains("sas") && b["sas"].is_array()) {
      for (const auto& s : b["sas"]) {
        TableSa sa;
        if (!s.is_object()) continue;
        if (s.contains("spi")) {
          if (auto n = number(s["spi"]); n && *n <= 0xFFFFFFFFu) sa.spi = static_cast<uint32_t>(*n);
        }
        if (s.contains("operation") && s["operation"].is_string()) sa.operation = upper(s["operation"].get<std::string>());
        if (s.contains("esn") && s["esn"].is_boolean()) sa.esn = s["esn"].get<bool>();
        if (s.contains("sequence_number_high_order")) {
          if (auto n = number(s["sequence_number_high_order"]); n && *n <= 0xFFFFFFFFu)
            sa.seq_high = static_cast<uint32_t>(*n);
        }
        tb.sas.push_back(sa);
      }
    }
    view.bundles.push_back(std::move(tb));
  }
  if (dump.contains("pools")) {
    const auto& pools = dump["pools"];
    if (pools.is_array()) {  // oracle: [{"name", "used", "limit"}]
      for (const auto& p : pools)
        if (p.is_object() && p.contains("name") && p["name"].is_string() && p.contains("used"))
          if (auto n = number(p["used"])) view.pool_used[p["name"].get<std::string>()] = *n;
    } else if (pools.is_object()) {  // {"name": {"used", ...}}
      for (auto it = pools.begin(); it != pools.end(); ++it)
        if (it.value().is_object() && it.value().contains("used"))
          if (auto n = number(it.value()["used"])) view.pool_used[it.key()] = *n;
    }
  }
  return view;
}

std::vector<TableDifference> diff_tables(const TableView& oracle, const TableView& device,
                                         const std::map<uint64_t, std::string>& oracle_labels,
                                         const std::map<uint64_t, std::string>& device_labels) {
  std::vector<TableDifference> out;
  auto name_of = [](uint64_t h, const std::map<uint64_t, std::string>& labels) {
    auto it = labels.find(h);
    if (it != labels.end()) return it->second;
    char buf[32];
    std::snprintf(buf, sizeof buf, "handle 0x%llx", static_cast<unsigned long long>(h));
    return std::string(buf);
  };
  std::map<std::string, const TableBundle*> o, d;
  for (const auto& b : oracle.bundles) o[name_of(b.handle, oracle_labels)] = &b;
  for (const auto& b : device.bundles) d[name_of(b.handle, device_labels)] = &b;
  if (oracle.bundles.size() != device.bundles.size())
    out.push_back({"table.bundle_count", std::to_string(oracle.bundles.size()), std::to_string(device.bundles.size())});
  for (const auto& [name, ob] : o) {
    auto it = d.find(name);
    if (it == d.end()) {
      out.push_back({"table." + name, "present", "absent"});
      continue;
    }
    const TableBundle* db = it->second;
    if (ob->direction && db->direction && *ob->direction != *db->direction)
      out.push_back({"table." + name + ".direction", *ob->direction, *db->direction});
    for (size_t i = 0; i < std::min(ob->sas.size(), db->sas.size()); ++i) {
      const std::string p = "table." + name + ".sas[" + std::to_string(i) + "].";
      const TableSa &os = ob->sas[i], &ds = db->sas[i];
      if (os.spi && ds.spi && *os.spi != *ds.spi)
        out.push_back({p + "spi", std::to_string(*os.spi), std::to_string(*ds.spi)});
      if (os.operation && ds.operation && *os.operation != *ds.operation)
        out.push_back({p + "operation", *os.operation, *ds.operation});
      if (os.esn && ds.esn && *os.esn != *ds.esn)
        out.push_back({p + "esn", *os.esn ? "true" : "false", *ds.esn ? "true" : "false"});
      // A 32-bit SA has no high half (ADD-023, OQ-CTS-4): what either side keeps in the field means nothing.
      const bool esn = (os.esn && *os.esn) || (ds.esn && *ds.esn);
      if (esn && os.seq_high && ds.seq_high && *os.seq_high != *ds.seq_high)
        out.push_back({p + "sequence_number_high_order", std::to_string(*os.seq_high), std::to_string(*ds.seq_high)});
    }
  }
  for (const auto& [name, db] : d)
    if (!o.count(name)) out.push_back({"table." + name, "absent", "present"});
  for (const auto& [pool, used] : oracle.pool_used) {
    auto it = device.pool_used.find(pool);
    if (it != device.pool_used.end() && it->second != used)
      out.push_back({"table.pools." + pool + ".used", std::to_string(used), std::to_string(it->second)});
  }
  return out;
}

}  // namespace cts::core
