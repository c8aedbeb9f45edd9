#include "reports/kill_matrix.h"

#include <algorithm>
#include <set>
#include <sstream>

#include "runner/json/json_text.h"
#include "reports/text_escape.h"

namespace cts::reports {

bool KillMatrix::killed(size_t device, const std::string& case_id) const {
  const auto& k = devices.at(device).killed_by;
  return std::binary_search(k.begin(), k.end(), case_id);
}

size_t KillMatrix::survivors() const {
  return static_cast<size_t>(std::count_if(devices.begin(), devices.end(),
                                           [](const KillMatrixDevice& d) { return d.killed_by.empty(); }));
}

std::optional<KillMatrixDevice> kill_matrix_device(const nlohmann::json& results,
                                                   const std::string& label,
                                                   const std::string& origin, std::string& error) {
  KillMatrixDevice d;
  d.label = label;
  if (!results.is_object() || !results.contains("cases") || !results["cases"].is_array()) {
    error = origin + ": $.cases: missing or not an array (not a results document)";
    return std::nullopt;
  }
  const auto* run = results.contains("run") ? &results["run"] : nullptr;
  if (run != nullptr && run->is_object() && run->contains("device") && (*run)["device"].is_object() &&
      (*run)["device"].contains("name") && (*run)["device"]["name"].is_string()) {
    d.name = (*run)["device"]["name"].get<std::string>();
  }
  const auto& cases = results["cases"];
  for (size_t i = 0; i < cases.size(); ++i) {
    const auto& c = cases[i];
    const std::string path = strict::path_index("$.cases", i);
    if (!c.is_object() || !c.contains("id") || !c["id"].is_string() || !c.contains("verdict") ||
        !c["verdict"].is_string()) {
      error = origin + ": " + path + ": a case needs string members id and verdict";
      return std::nullopt;
    }
    const std::string verdict = c["verdict"].get<std::string>();
    if (verdict == "FAIL") d.killed_by.push_back(c["id"].get<std::string>());
    if (verdict == "ERROR") d.errors.push_back(c["id"].get<std::string>());
  }
  d.cases = cases.size();
  std::sort(d.killed_by.begin(), d.killed_by.end());
  std::sort(d.errors.begin(), d.errors.end());
  return d;
}

KillMatrix build_kill_matrix(std::vector<KillMatrixDevice> devices) {
  KillMatrix m;
  m.devices = std::move(devices);
  std::set<std::string> all;
  for (const auto& d : m.devices) all.insert(d.killed_by.begin(), d.killed_by.end());
  m.killing_cases.assign(all.begin(), all.end());
  return m;
}

nlohmann::json kill_matrix_json(const KillMatrix& m) {
  nlohmann::json j;
  j["devices"] = nlohmann::json::array();
  for (const auto& d : m.devices) {
    j["devices"].push_back({{"label", d.label},
                            {"name", d.name},
                            {"cases", d.cases},
                            {"killed", !d.killed_by.empty()},
                            {"killed_by", d.killed_by},
                            {"errors", d.errors}});
  }
  j["killing_cases"] = m.killing_cases;
  j["survivors"] = m.survivors();
  return j;
}

std::string kill_matrix_text(const KillMatrix& m) {
  std::ostringstream out;
  size_t width = 4;
  for (const auto& c : m.killing_cases) width = std::max(width, c.size());
  const size_t n = m.devices.size();
  out << std::string(width, ' ');
  for (size_t i = 0; i < n; ++i) out << ' ' << (i + 1) % 10;
  out << "\n";
  for (const auto& c : m.killing_cases) {
    out << printable_text(c) << std::string(width - c.size(), ' ');
    for (size_t i = 0; i < n; ++i) out << ' ' << (m.killed(i, c) ? 'X' : '.');
    out << "\n";
  }
  out << "devices:\n";
  for (size_t i = 0; i < n; ++i) {
    const auto& d = m.devices[i];
    out << "  " << (i + 1) << ". " << printable_text(d.label) << ": killed by " << d.killed_by.size()
        << " of " << d.cases << " cases";
    if (!d.errors.empty()) out << ", " << d.errors.size() << " ERROR";
    out << "\n";
  }
  out << "survivors: " << m.survivors() << " of " << n;
  for (const auto& d : m.devices) {
    if (d.killed_by.empty()) out << "\n  " << printable_text(d.label);
  }
  out << "\n";
  return out.str();
}

std::string kill_matrix_html(const KillMatrix& m) {
  std::ostringstream h;
  h << "<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">"
       "<title>ipsec-cts kill matrix</title><style>"
       "body{font-family:sans-serif;margin:1em}table{border-collapse:collapse;font-size:12px}"
       "td,th{border:1px solid #ccc;padding:2px 4px}th.v{writing-mode:vertical-rl;"
       "transform:rotate(180deg);white-space:nowrap}td.k{background:#c33;color:#fff;"
       "text-align:center}tr.survivor th{background:#fc6}</style></head><body>\n"
       "<h1>Kill matrix</h1>\n<p>"
    << m.devices.size() << " devices, " << m.survivors()
    << " survived (no case failed on them), " << m.killing_cases.size()
    << " cases killed at least one.</p>\n<table><thead><tr><th>case</th>";
  for (const auto& d : m.devices) {
    h << "<th class=\"v\" title=\"" << html_escape(d.name) << "\">" << html_escape(d.label) << "</th>";
  }
  h << "</tr></thead><tbody>\n";
  for (const auto& c : m.killing_cases) {
    h << "<tr><td>" << html_escape(c) << "</td>";
    for (size_t i = 0; i < m.devices.size(); ++i) {
      h << (m.killed(i, c) ? "<td class=\"k\">X</td>" : "<td></td>");
    }
    h << "</tr>\n";
  }
  h << "</tbody></table>\n<h2>Per device</h2>\n<table><thead><tr><th>device</th><th>killed by</th>"
       "<th>cases</th><th>ERROR</th></tr></thead><tbody>\n";
  for (const auto& d : m.devices) {
    h << "<tr" << (d.killed_by.empty() ? " class=\"survivor\"" : "") << "><th>" << html_escape(d.label)
      << "</th><td>" << d.killed_by.size() << "</td><td>" << d.cases << "</td><td>" << d.errors.size()
      << "</td></tr>\n";
  }
  h << "</tbody></table>\n</body></html>\n";
  return h.str();
}

}  // namespace cts::reports
