#include "reports/html_evidence.h"

#include <algorithm>
#include <cctype>
#include <set>
#include <vector>

#include "reports/text_escape.h"

namespace cts::reports {
namespace {

using nlohmann::json;

// Beyond these, the rest is a pointer into the results file (which holds it all).
constexpr size_t kMaxTableRows = 200;
constexpr size_t kMaxInlineDepth = 4;

std::string h(std::string_view s) { return html_escape(s); }

// Known members first, in the order a reader wants them; anything else after, as recorded.
const std::vector<std::string> kBundleOrder = {"handle", "slot", "direction", "ip_version", "source", "destination",
                                               "udp_esp_encapsulation", "delete_requested"};
const std::vector<std::string> kSaOrder = {"operation", "spi", "encryption", "authentication", "icv_length", "esn",
                                           "sequence_number_high_order", "seq_high"};
const std::vector<std::string> kAnswerOrder = {"status", "handles", "completion", "wire", "oob", "message",
                                               "elements", "bytes_needed", "bytes_read"};

std::vector<std::string> ordered_keys(const std::vector<std::string>& keys, const std::vector<std::string>& preferred) {
  std::vector<std::string> out;
  for (const auto& k : preferred)
    if (std::find(keys.begin(), keys.end(), k) != keys.end()) out.push_back(k);
  for (const auto& k : keys)
    if (std::find(preferred.begin(), preferred.end(), k) == preferred.end()) out.push_back(k);
  return out;
}

// Column and field labels for the members the runner records.
std::string label_of(const std::string& key) {
  static const std::vector<std::pair<std::string, std::string>> labels = {
      {"ip_version", "IP"}, {"udp_esp_encapsulation", "UDP-ESP"}, {"delete_requested", "delete requested"},
      {"icv_length", "ICV"}, {"sequence_number_high_order", "ESN high"}, {"seq_high", "ESN high"},
      {"esn", "ESN"}, {"spi", "SPI"}, {"oob", "OOB"}};
  for (const auto& [k, l] : labels)
    if (k == key) return l;
  std::string s = key;
  std::replace(s.begin(), s.end(), '_', ' ');
  return s;
}

std::string dump(const json& v) { return v.dump(2, ' ', false, json::error_handler_t::replace); }

bool is_hex_blob(const std::string& s) {
  if (s.size() < 24) return false;
  size_t hex = 0;
  for (char c : s) hex += std::isxdigit(static_cast<unsigned char>(c)) ? 1 : 0;
  return hex * 10 >= s.size() * 9;  // "…(1500 bytes)" suffixes are allowed
}

std::string scalar_html(const json& v) {
  if (v.is_null()) return "<span class=\"null\">null</span>";
  if (v.is_boolean()) return v.get<bool>() ? "true" : "false";
  if (v.is_string()) {
    const std::string s = v.get<std::string>();
    if (is_hex_blob(s)) return "<code class=\"hex\">" + h(s) + "</code>";
    if (s.empty()) return "<span class=\"null\">(empty)</span>";
    return h(s);
  }
  if (v.is_binary()) return "<span class=\"null\">(binary)</span>";
  return h(v.dump());
}

std::string value_html(const json& v, size_t depth);

bool all_scalars(const json& a) {
  return std::all_of(a.begin(), a.end(), [](const json& e) { return !e.is_structured(); });
}

bool all_objects(const json& a) {
  return !a.empty() && std::all_of(a.begin(), a.end(), [](const json& e) { return e.is_object(); });
}

std::string key_label(const std::string& key) { return h(label_of(key)); }

std::string compare_html(const json& oracle, const json& device, const char* caption);

std::string object_html(const json& o, size_t depth) {
  if (o.empty()) return "<span class=\"null\">{}</span>";
  const bool both_sides = o.contains("oracle") && o.contains("device");
  std::string out = "<dl class=\"kv\">";
  for (auto it = o.begin(); it != o.end(); ++it) {
    if (both_sides && (it.key() == "oracle" || it.key() == "device")) continue;
    out += "<dt>" + key_label(it.key()) + "</dt><dd>" + value_html(*it, depth + 1) + "</dd>";
  }
  out += "</dl>";
  if (both_sides) out += compare_html(o["oracle"], o["device"], "Answers");
  return out;
}

// Arrays of objects: one row each, the columns the union of their members in first-seen order.
std::string rows_html(const json& a, size_t depth, const std::string& caption) {
  std::vector<std::string> columns;
  std::set<std::string> seen;
  for (const json& e : a)
    for (auto it = e.begin(); it != e.end(); ++it)
      if (seen.insert(it.key()).second) columns.push_back(it.key());
  std::string out = "<div class=\"table-wrap\"><table class=\"sa-table\">";
  if (!caption.empty()) out += "<caption>" + caption + "</caption>";
  out += "<thead><tr>";
  for (const auto& c : columns) out += "<th scope=\"col\">" + key_label(c) + "</th>";
  out += "</tr></thead><tbody>";
  size_t n = 0;
  for (const json& e : a) {
    if (n++ == kMaxTableRows) break;
    out += "<tr>";
    for (const auto& c : columns) {
      auto it = e.find(c);
      out += "<td>" + (it == e.end() ? std::string() : value_html(*it, depth + 1)) + "</td>";
    }
    out += "</tr>";
  }
  out += "</tbody></table></div>";
  return out;
}

std::string value_html(const json& v, size_t depth) {
  if (!v.is_structured()) return scalar_html(v);
  if (depth >= kMaxInlineDepth) return "<pre class=\"json\">" + h(dump(v)) + "</pre>";
  if (v.is_object()) return object_html(v, depth);
  if (v.empty()) return "<span class=\"null\">[]</span>";
  if (all_scalars(v)) {
    std::string out;
    for (size_t i = 0; i < v.size(); ++i) out += (i ? ", " : "") + scalar_html(v[i]);
    return out;
  }
  if (all_objects(v) && v.size() <= kMaxTableRows) {
    bool flat = true;
    for (const json& e : v)
      for (const json& m : e) flat = flat && (!m.is_structured() || (m.is_array() && all_scalars(m)));
    if (flat) return rows_html(v, depth, "");
  }
  std::string out = "<ol class=\"json-list\">";
  size_t n = 0;
  for (const json& e : v) {
    if (n++ == kMaxTableRows) {
      out += "<li class=\"more\">… and " + std::to_string(v.size() - kMaxTableRows) + " more</li>";
      break;
    }
    out += "<li>" + value_html(e, depth + 1) + "</li>";
  }
  return out + "</ol>";
}

// One SA of a bundle on one line: "ESP · spi 0x00001001 · encryption AES_GCM_128 · ...".
std::string sa_line(const json& sa) {
  if (!sa.is_object()) return scalar_html(sa);
  std::vector<std::string> keys;
  for (auto it = sa.begin(); it != sa.end(); ++it) keys.push_back(it.key());
  std::string out;
  for (const std::string& k : ordered_keys(keys, kSaOrder)) {
    const json& v = sa[k];
    if (!out.empty()) out += " · ";
    if (k == "operation" && v.is_string()) {
      out += "<b>" + h(v.get<std::string>()) + "</b>";
    } else if ((k == "encryption" || k == "authentication") && (v.is_string() || v.is_null())) {
      out += v.is_null() ? "<span class=\"null\">no " + h(k) + "</span>" : h(v.get<std::string>());
    } else if (k == "esn" && v.is_boolean()) {
      out += v.get<bool>() ? "ESN" : "no ESN";
    } else {
      out += key_label(k) + " " + (v.is_structured() ? h(v.dump()) : scalar_html(v));
    }
  }
  return out;
}

// Handles are each side's own values: only which of them are NULL can be compared.
json null_pattern(const json& handles) {
  if (!handles.is_array()) return handles;
  json out = json::array();
  for (const json& h : handles)
    out.push_back(h.is_string() && (h == "NULL" || h == "0x0000000000000000" || h == "0x00000000") ? "NULL" : "set");
  return out;
}

bool answers_differ(const std::string& key, const json& a, const json& b) {
  if (key == "handles") return null_pattern(a) != null_pattern(b);
  if (key == "bytes_read" || key == "message") return false;  // recorded by one side only
  return a != b;
}

// "first difference at byte 28: oracle ab, device cd" for two hex strings.
std::string hex_difference(const json& a, const json& b) {
  if (!a.is_string() || !b.is_string()) return {};
  const std::string x = a.get<std::string>(), y = b.get<std::string>();
  if (!is_hex_blob(x) || !is_hex_blob(y) || x == y) return {};
  size_t i = 0;
  while (i < x.size() && i < y.size() && x[i] == y[i]) ++i;
  const size_t byte = i / 2;
  std::string out = "first difference at byte " + std::to_string(byte);
  if (2 * byte + 2 <= x.size() && 2 * byte + 2 <= y.size())
    out += ": oracle " + x.substr(2 * byte, 2) + ", device " + y.substr(2 * byte, 2);
  else
    out += " (lengths " + std::to_string(x.size() / 2) + " and " + std::to_string(y.size() / 2) + " bytes)";
  return "<span class=\"sub\">" + h(out) + "</span>";
}

// Both sides of a step's answer, row by row; rows where the values differ are marked.
std::string compare_html(const json& oracle, const json& device, const char* caption) {
  std::vector<std::string> unordered;
  std::set<std::string> seen;
  for (const json* side : {&oracle, &device})
    if (side->is_object())
      for (auto it = side->begin(); it != side->end(); ++it)
        if (seen.insert(it.key()).second) unordered.push_back(it.key());
  const std::vector<std::string> keys = ordered_keys(unordered, kAnswerOrder);
  std::string out =
      std::string("<div class=\"table-wrap\"><table class=\"compare\"><caption>") + caption + "</caption>"
      "<thead><tr><th scope=\"col\">Field</th><th scope=\"col\">Oracle (expected)</th>"
      "<th scope=\"col\">Device</th></tr></thead><tbody>";
  for (const std::string& k : keys) {
    const bool in_o = oracle.is_object() && oracle.contains(k);
    const bool in_d = device.is_object() && device.contains(k);
    const bool differs = in_o && in_d && answers_differ(k, oracle[k], device[k]);
    out += std::string("<tr") + (differs ? " class=\"differs\"" : "") + "><th scope=\"row\">" + key_label(k) +
           (differs ? "<span class=\"visually-hidden\"> (differs)</span>" : "") + "</th><td>" +
           (in_o ? value_html(oracle[k], 1) : "<span class=\"null\">—</span>") + "</td><td>" +
           (in_d ? value_html(device[k], 1) : "<span class=\"null\">—</span>") +
           (differs && in_o && in_d ? hex_difference(oracle[k], device[k]) : std::string()) + "</td></tr>";
  }
  return out + "</tbody></table></div>";
}

bool is_table_key(const std::string& k) { return k == "oracle_table" || k == "device_table"; }

std::string step_of(const json& ev) {
  auto it = ev.find("step");
  return it != ev.end() && it->is_string() ? it->get<std::string>() : std::string();
}

// A finding at "steps[2].repeat[i=5].steps[0]" belongs to the top-level record "steps[2]".
bool finding_in_step(const FindingView& f, const std::string& step) {
  if (step.empty()) return false;
  if (f.step == step) return true;
  return f.step.size() > step.size() && f.step.compare(0, step.size(), step) == 0 && f.step[step.size()] == '.';
}

std::string step_html(const json& ev, const CaseView& c, size_t index, const std::string& origin) {
  const std::string where = "$.cases[" + std::to_string(c.index) + "].evidence[" + std::to_string(index) + "]";
  if (!ev.is_object()) return "<div class=\"step-body\">" + value_html(ev, 0) + "</div>";
  const std::string step = step_of(ev);
  bool failing = false;
  for (const auto& f : c.findings) failing = failing || finding_in_step(f, step);
  const bool last = index + 1 == c.evidence.size();
  // The step a finding names (or, for an ERROR, the last one recorded) opens by default.
  const bool open = failing || (c.verdict == Verdict::error && last);
  std::string title = step.empty() ? "record " + std::to_string(index) : step;
  std::string op;
  if (auto it = ev.find("op"); it != ev.end() && it->is_string()) op = it->get<std::string>();
  std::string out = std::string("<details class=\"step") + (failing ? " failing" : "") + "\"" + (open ? " open=\"open\"" : "") +
                    "><summary><code>" + h(title) + "</code>" + (op.empty() ? "" : " · " + h(op)) +
                    (failing ? "<span class=\"tag\">finding here</span>" : "") + "</summary><div class=\"step-body\">";
  if (auto it = ev.find("comment"); it != ev.end() && it->is_string())
    out += "<p class=\"step-comment\">" + h(it->get<std::string>()) + "</p>";

  json rest = json::object();
  for (auto it = ev.begin(); it != ev.end(); ++it) {
    const std::string& k = it.key();
    if (k == "step" || k == "op" || k == "comment" || k == "oracle" || k == "device" || is_table_key(k)) continue;
    if (k == "packets" && it->is_array() && all_objects(*it)) continue;
    rest[k] = *it;
  }
  if (!rest.empty()) out += object_html(rest, 0);
  const bool has_o = ev.contains("oracle"), has_d = ev.contains("device");
  if (has_o || has_d)
    out += compare_html(has_o ? ev["oracle"] : json(), has_d ? ev["device"] : json(), "Answers to this step");
  // Datapath steps: each packet in full width, its two answers side by side.
  if (auto it = ev.find("packets"); it != ev.end() && it->is_array() && all_objects(*it)) {
    size_t n = 0;
    for (const json& packet : *it) {
      if (n == kMaxTableRows) {
        out += "<p class=\"more\">… and " + std::to_string(it->size() - n) + " more packets in <code>" +
               h(origin + " " + where) + ".packets</code>.</p>";
        break;
      }
      out += "<h5 class=\"packet\">Packet " + std::to_string(++n) + " of " + std::to_string(it->size()) + "</h5>" +
             object_html(packet, 1);
    }
  }
  if (auto it = ev.find("oracle_table"); it != ev.end())
    out += render_sa_table_html(*it, "Oracle SA table after this step", origin + " " + where + ".oracle_table");
  if (auto it = ev.find("device_table"); it != ev.end())
    out += render_sa_table_html(*it, "Device SA table after this step (its dump)", origin + " " + where + ".device_table");
  return out + "</div></details>";
}

}  // namespace

std::string render_json_html(const json& value) { return value_html(value, 0); }

std::string render_sa_table_html(const json& dump_doc, const std::string& caption, const std::string& where) {
  const json* bundles = nullptr;
  if (dump_doc.is_object()) {
    auto it = dump_doc.find("bundles");
    if (it != dump_doc.end() && it->is_array() &&
        std::all_of(it->begin(), it->end(), [](const json& b) { return b.is_object(); }))
      bundles = &*it;
  }
  std::string out = "<h4>" + h(caption) + "</h4>";
  if (!bundles) return out + "<p class=\"more\">Not an SA-table dump; as recorded:</p>" + value_html(dump_doc, 1);

  // Counts and pools first: "3 bundles · inbound 2 · outbound 1 · pool inbound 2/1024".
  std::string facts;
  for (auto it = dump_doc.begin(); it != dump_doc.end(); ++it) {
    if (it.key() == "bundles") continue;
    if (it.key() == "pools" && it->is_array()) {
      for (const json& p : *it) {
        if (p.is_object() && p.contains("name") && p.contains("used")) {
          facts += "<li class=\"chip\">pool <b>" + scalar_html(p["name"]) + "</b> " + scalar_html(p["used"]) +
                   (p.contains("limit") ? " / " + scalar_html(p["limit"]) : std::string()) + "</li>";
        }
      }
      continue;
    }
    if (!it->is_structured())
      facts += "<li class=\"chip\">" + key_label(it.key()) + " <b>" + scalar_html(*it) + "</b></li>";
  }
  if (!facts.empty()) out += "<ul class=\"chips\">" + facts + "</ul>";
  if (bundles->empty()) return out + "<p class=\"more\">No bundles.</p>";

  std::vector<std::string> columns;
  std::set<std::string> seen;
  bool any_sas = false;
  for (const json& b : *bundles)
    for (auto it = b.begin(); it != b.end(); ++it) {
      if (it.key() == "sas" && it->is_array()) {
        any_sas = true;
        continue;
      }
      if (seen.insert(it.key()).second) columns.push_back(it.key());
    }
  columns = ordered_keys(columns, kBundleOrder);
  out += "<div class=\"table-wrap\"><table class=\"sa-table\"><thead><tr>";
  for (const auto& col : columns) out += "<th scope=\"col\">" + key_label(col) + "</th>";
  if (any_sas) out += "<th scope=\"col\">SAs</th>";
  out += "</tr></thead><tbody>";
  size_t n = 0;
  for (const json& b : *bundles) {
    if (n++ == kMaxTableRows) break;
    out += "<tr>";
    for (const auto& col : columns) {
      auto it = b.find(col);
      out += "<td>" + (it == b.end() ? std::string() : value_html(*it, 2)) + "</td>";
    }
    if (any_sas) {
      out += "<td>";
      if (auto it = b.find("sas"); it != b.end() && it->is_array()) {
        size_t i = 0;
        for (const json& sa : *it) out += (i++ ? "<br />" : "") + sa_line(sa);
      }
      out += "</td>";
    }
    out += "</tr>";
  }
  out += "</tbody></table></div>";
  if (bundles->size() > kMaxTableRows)
    out += "<p class=\"more\">… and " + std::to_string(bundles->size() - kMaxTableRows) +
           " more bundles, all in <code>" + h(where) + ".bundles</code>.</p>";
  return out;
}

std::string render_case_evidence(const CaseView& c, const std::string& origin) {
  if (!c.evidence.is_array() || c.evidence.empty()) {
    if (c.verdict == Verdict::fail || c.verdict == Verdict::error)
      return "<h4>Evidence</h4><p class=\"more\">No evidence was recorded for this case.</p>";
    return {};
  }
  std::string out = "<section class=\"evidence\" aria-label=\"Evidence\"><h4>Evidence: " +
                    std::to_string(c.evidence.size()) + " step record" + (c.evidence.size() == 1 ? "" : "s") +
                    "</h4>";
  for (size_t i = 0; i < c.evidence.size(); ++i) out += step_html(c.evidence[i], c, i, origin);
  out += "<p class=\"more\">Recorded in <code>" + h(origin) + " $.cases[" + std::to_string(c.index) +
         "].evidence</code>.</p>";
  return out + "</section>";
}

}  // namespace cts::reports
