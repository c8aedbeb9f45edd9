#include "reports/html_evidence.h"

#include <algorithm>
#include <cctype>
#include <cstdio>
#include <map>
#include <optional>
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

// SA tables of the two sides in one radix: SPIs and handles in hex, every other number in decimal,
// whichever way a side wrote them ("spi": 4097 and "spi": "0x00001001" are the same SPI).
bool is_hex_column(const std::string& key) { return key == "spi" || key == "handle"; }

std::optional<uint64_t> number_of(const json& v) {
  if (v.is_number_unsigned()) return v.get<uint64_t>();
  if (v.is_number_integer() && v.get<int64_t>() >= 0) return static_cast<uint64_t>(v.get<int64_t>());
  if (v.is_string()) {
    const std::string t = v.get<std::string>();
    if (t.size() > 2 && t[0] == '0' && (t[1] == 'x' || t[1] == 'X') && t.size() <= 18 &&
        std::all_of(t.begin() + 2, t.end(), [](char c) { return std::isxdigit(static_cast<unsigned char>(c)) != 0; }))
      return std::stoull(t.substr(2), nullptr, 16);
  }
  return std::nullopt;
}

// The value as both tables show it; comparisons use it too (names compare without case: "esp"
// and "ESP" are one operation).
std::string same_radix(const std::string& key, const json& v) {
  if (auto n = number_of(v)) {
    if (!is_hex_column(key)) return std::to_string(*n);
    char buf[32];
    std::snprintf(buf, sizeof buf, "0x%08llx", static_cast<unsigned long long>(*n));
    return buf;
  }
  if (v.is_string()) return v.get<std::string>();
  if (v.is_null()) return "null";
  return v.dump();
}

std::string comparable(const std::string& key, const json& v) {
  std::string s = same_radix(key, v);
  for (char& c : s) c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
  return s;
}

// A differing value is marked, with the other side's value in its title.
std::string marked(const std::string& html, const std::string& other_text) {
  return "<mark class=\"differs\" title=\"" + h("the other side: " + other_text) + "\">" + html + "</mark>";
}

// One SA of a bundle on one line: "ESP · SPI 0x00001001 · AES_GCM_128 · ...". Fields the other
// side's SA (when given) holds with another value are marked.
std::string sa_line(const json& sa, const json* other) {
  if (!sa.is_object()) return scalar_html(sa);
  std::vector<std::string> keys;
  for (auto it = sa.begin(); it != sa.end(); ++it) keys.push_back(it.key());
  std::string out;
  for (const std::string& k : ordered_keys(keys, kSaOrder)) {
    const json& v = sa[k];
    if (!out.empty()) out += " · ";
    std::string part;
    if (k == "operation" && v.is_string()) {
      part = "<b>" + h(v.get<std::string>()) + "</b>";
    } else if ((k == "encryption" || k == "authentication") && (v.is_string() || v.is_null())) {
      part = v.is_null() ? "<span class=\"null\">no " + h(k) + "</span>" : h(v.get<std::string>());
    } else if (k == "esn" && v.is_boolean()) {
      part = v.get<bool>() ? "ESN" : "no ESN";
    } else {
      part = key_label(k) + " " + (v.is_structured() ? h(v.dump()) : h(same_radix(k, v)));
    }
    if (other && other->is_object() && other->contains(k) && comparable(k, (*other)[k]) != comparable(k, v))
      part = marked(part, key_label(k) + " " + same_radix(k, (*other)[k]));
    out += part;
  }
  return out;
}

// Which bundle of the other table is this one: same direction and the same SPI on its first SA
// (handles are each side's own).
std::string bundle_key(const json& b) {
  std::string key = b.contains("direction") ? comparable("direction", b["direction"]) : "";
  if (auto it = b.find("sas"); it != b.end() && it->is_array() && !it->empty() && (*it)[0].is_object() &&
                               (*it)[0].contains("spi"))
    key += "/" + comparable("spi", (*it)[0]["spi"]);
  return key;
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

std::string null_cell() { return "<span class=\"null\">—</span>"; }

// A finding at "steps[2].repeat[i=5].steps[0]" belongs to the top-level record "steps[2]".
bool finding_in_step(const FindingView& f, const std::string& step) {
  if (step.empty()) return false;
  if (f.step == step) return true;
  return f.step.size() > step.size() && f.step.compare(0, step.size(), step) == 0 && f.step[step.size()] == '.';
}

// Whether a finding of this step names the field: "oob.CryptoStatus" names the decoded
// "CryptoStatus", "completion_status" the row "completion".
bool named_by_finding(const std::vector<const FindingView*>& findings, const std::string& name) {
  for (const FindingView* f : findings) {
    const std::string& field = f->field;
    if (field == name) return true;
    if (field.size() > name.size() && field.compare(field.size() - name.size(), name.size(), name) == 0 &&
        field[field.size() - name.size() - 1] == '.')
      return true;
    if (field.rfind(name + "_", 0) == 0 || field.rfind(name + ".", 0) == 0) return true;
  }
  return false;
}

// One row of a two-sided table: oracle (expected) | device. A row whose two values differ, or that a
// finding names, is marked.
struct Row {
  std::string name;
  std::optional<std::string> oracle, device;  // raw text, escaped on output
  bool hex = false;                           // a byte string: shown as code, first difference named
  bool compare = true;                        // false: the two sides' values are not comparable
};

// Printed, a table of a failing step keeps only its differing rows (the page keeps them all); a
// table with none prints as one line. `differing` (optional) gets how many rows differ.
std::string print_note(size_t differing, size_t total, const std::string& what) {
  if (differing == total) return {};
  return "<p class=\"print-only more print-trim\">" +
         h(differing ? "Printed: the " + std::to_string(differing) + " differing of " + std::to_string(total) + " " +
                           what + "; the HTML report shows them all."
                     : std::to_string(total) + " " + what + ", none differs (listed in the HTML report).") +
         "</p>";
}

std::string two_sided_table(const std::vector<Row>& rows, const std::string& caption, const std::string& left,
                            const std::string& right, const std::vector<const FindingView*>& findings,
                            const char* css_class, size_t* differing_rows = nullptr) {
  if (rows.empty()) return {};
  // One side only (the request both sides were given, the device's capabilities): one value column.
  const bool one = left.empty() || right.empty();
  std::string body;
  size_t differing = 0;
  for (const Row& r : rows) {
    const bool both = r.oracle && r.device;
    const bool differs = (both && r.compare && *r.oracle != *r.device) || named_by_finding(findings, r.name);
    auto cell = [&](const std::optional<std::string>& v) {
      if (!v) return null_cell();
      if (v->empty()) return std::string("<span class=\"null\">(empty)</span>");
      return r.hex ? "<code class=\"hex\">" + h(*v) + "</code>" : h(*v);
    };
    const std::string cells =
        one ? "<td>" + cell(r.oracle ? r.oracle : r.device) + "</td>"
            : "<td>" + cell(r.oracle) + "</td><td>" + cell(r.device) +
                  (differs && both && r.hex ? hex_difference(json(*r.oracle), json(*r.device)) : std::string()) + "</td>";
    differing += differs ? 1 : 0;
    body += std::string("<tr") + (differs ? " class=\"differs\"" : "") + "><th scope=\"row\">" + h(label_of(r.name)) +
            (differs ? "<span class=\"visually-hidden\"> (differs)</span>" : "") + "</th>" + cells + "</tr>";
  }
  if (differing_rows) *differing_rows = differing;
  return std::string("<div class=\"table-wrap") + (differing ? "" : " all-same") + "\"><table class=\"compare " +
         css_class + "\"><caption>" + h(caption) + "</caption><thead><tr><th scope=\"col\">Field</th><th scope=\"col\">" +
         h(one ? left + right : left) + "</th>" + (one ? std::string() : "<th scope=\"col\">" + h(right) + "</th>") +
         "</tr></thead><tbody>" + body + "</tbody></table></div>" +
         print_note(differing, rows.size(), "fields of " + caption);
}

// Decoded fields of both sides lined up by name, in the order the first side gives them.
std::vector<Row> field_rows(const std::vector<results::DecodedField>& a, const std::vector<results::DecodedField>& b,
                            bool have_a, bool have_b) {
  std::vector<Row> rows;
  std::map<std::string, size_t> at;
  for (const auto& f : a) {
    at[f.name] = rows.size();
    rows.push_back({f.name, f.value, have_b ? std::optional<std::string>() : std::nullopt});
  }
  for (const auto& f : b) {
    auto it = at.find(f.name);
    if (it != at.end()) rows[it->second].device = f.value;
    else rows.push_back({f.name, have_a ? std::nullopt : std::optional<std::string>(), f.value});
  }
  return rows;
}

std::string raw_details(const std::string& summary, const std::vector<std::pair<std::string, std::string>>& blobs) {
  std::string out = "<details class=\"raw\"><summary>" + h(summary) + "</summary>";
  for (const auto& [label, hex] : blobs)
    if (!hex.empty()) out += "<p class=\"raw-label\">" + h(label) + "</p><code class=\"hex\">" + h(hex) + "</code>";
  return out + "</details>";
}

std::string opt_text(const std::optional<uint64_t>& v) { return v ? std::to_string(*v) : std::string(); }

std::string hex_word(uint64_t v, int digits) {
  char buf[32];
  std::snprintf(buf, sizeof buf, "0x%0*llx", digits, static_cast<unsigned long long>(v));
  return buf;
}

std::string join_handles(const std::vector<std::string>& hs) {
  std::string out;
  for (const auto& x : hs) out += (out.empty() ? "" : ", ") + x;
  return out;
}

std::string null_pattern_text(const std::vector<std::string>& hs) {
  std::string out;
  for (const auto& x : hs)
    out += std::string(out.empty() ? "" : ", ") +
           (x == "NULL" || x == "0x0" || x == "0x0000000000000000" || x == "0x00000000" ? "NULL" : "set");
  return out;
}

std::string oid_answers_html(const results::StepEvidence& ev, const std::vector<const FindingView*>& findings) {
  if (!ev.oracle && !ev.device) return {};
  const results::OidAnswer empty;
  const results::OidAnswer& o = ev.oracle ? *ev.oracle : empty;
  const results::OidAnswer& d = ev.device ? *ev.device : empty;
  auto side = [](bool have, const std::string& v) { return have ? std::optional<std::string>(v) : std::nullopt; };
  std::vector<Row> rows;
  rows.push_back({"status", side(ev.oracle.has_value(), o.status), side(ev.device.has_value(), d.status)});
  if (!o.handles.empty() || !d.handles.empty()) {
    // Handles are each side's own values: only which of them are NULL can be compared.
    Row r{"handles", side(ev.oracle.has_value(), join_handles(o.handles)), side(ev.device.has_value(), join_handles(d.handles))};
    r.compare = false;
    rows.push_back(r);
    if (ev.oracle && ev.device && null_pattern_text(o.handles) != null_pattern_text(d.handles))
      rows.push_back({"handles (NULL or set)", null_pattern_text(o.handles), null_pattern_text(d.handles)});
  }
  if (o.bytes_needed || d.bytes_needed)
    rows.push_back({"bytes_needed", side(o.bytes_needed.has_value(), opt_text(o.bytes_needed)),
                    side(d.bytes_needed.has_value(), opt_text(d.bytes_needed))});
  if (d.bytes_read) {
    Row r{"bytes_read", std::nullopt, opt_text(d.bytes_read)};
    rows.push_back(r);
  }
  if (!o.message.empty()) rows.push_back({"message", o.message, std::nullopt});
  for (const auto& e : o.elements)
    rows.push_back({"elements[" + std::to_string(e.index) + "]" + (e.field.empty() ? "" : " " + e.field), e.reason,
                    std::nullopt});
  return two_sided_table(rows, "Answers to this step", "Oracle (expected)", "Device", findings, "answers");
}

std::string request_html(const results::StepEvidence& ev, const std::vector<const FindingView*>& findings) {
  if (ev.request.empty()) return {};
  std::string out;
  const bool two = !ev.device_request_fields.empty();
  if (!ev.request_fields.empty()) {
    // The device's request differs from the oracle's only in the handles each side was given.
    out += two_sided_table(field_rows(ev.request_fields, ev.device_request_fields, true, two),
                           "Request " + ev.op.substr(ev.op.rfind(' ') + 1) + " (" + (ev.abi.empty() ? "x64" : ev.abi) +
                               "), decoded",
                           two ? "To the oracle" : "To the oracle and the device", two ? "To the device" : "", findings,
                           "decoded");
  }
  std::vector<std::pair<std::string, std::string>> blobs = {{"Request bytes" + std::string(two ? " (oracle)" : ""), ev.request}};
  if (!ev.device_request.empty()) blobs.push_back({"Request bytes (device)", ev.device_request});
  return out + raw_details("Raw request bytes (hex)", blobs);
}

std::string packet_html(const results::PacketEvidence& p, size_t n, size_t total,
                        const std::vector<const FindingView*>& findings, size_t& differing) {
  std::string out = "<h5 class=\"packet\">Packet " + std::to_string(n) + " of " + std::to_string(total) + "</h5>";
  std::string facts;
  if (p.sequence) facts += "<li class=\"chip\">sequence <b>" + std::to_string(*p.sequence) + "</b></li>";
  if (p.seq_high) facts += "<li class=\"chip\">ESN high <b>" + std::to_string(*p.seq_high) + "</b></li>";
  if (p.pad_length) facts += "<li class=\"chip\">padding <b>" + std::to_string(*p.pad_length) + "</b> octets</li>";
  if (p.vector)
    facts += "<li class=\"chip\">vector <b>" + h(p.vector->name) + "</b> record " + std::to_string(p.vector->record) + "</li>";
  for (const auto& f : p.send_oob) facts += "<li class=\"chip\">" + h(f.name) + " <b>" + h(f.value) + "</b></li>";
  if (!facts.empty()) out += "<ul class=\"chips\">" + facts + "</ul>";
  const results::PacketAnswer none;
  const results::PacketAnswer& o = p.oracle ? *p.oracle : none;
  const results::PacketAnswer& d = p.device ? *p.device : none;
  const bool ho = p.oracle.has_value(), hd = p.device.has_value();
  auto side = [](bool have, const std::string& v) {
    return have && !v.empty() ? std::optional<std::string>(v) : std::nullopt;
  };
  std::vector<Row> rows;
  if (!o.completion.empty() || !d.completion.empty())
    rows.push_back({"completion", side(ho, o.completion), side(hd, d.completion)});
  if (!o.verdict.empty() || !d.verdict.empty()) rows.push_back({"wire verdict", side(ho, o.verdict), side(hd, d.verdict)});
  if (o.seq_high_used || d.seq_high_used) {
    auto high = [](const std::optional<uint64_t>& v) {
      return v ? std::optional<std::string>(std::to_string(*v)) : std::nullopt;
    };
    rows.push_back({"ICV verified with ESN high", high(o.seq_high_used), high(d.seq_high_used)});
  }
  if (!o.detail.empty() || !d.detail.empty()) {
    Row r{"detail", side(ho, o.detail), side(hd, d.detail)};
    r.compare = false;
    rows.push_back(r);
  }
  if (!o.wire.empty() || !d.wire.empty()) {
    Row r{"wire", side(ho, o.wire), side(hd, d.wire)};
    r.hex = true;
    // Each side protects with its own IVs: the bytes differ by design; the verdict above compares.
    r.compare = false;
    rows.push_back(r);
  }
  if (o.indicated || d.indicated)
    rows.push_back({"indicated", o.indicated ? std::optional<std::string>(*o.indicated ? "1" : "0") : std::nullopt,
                    d.indicated ? std::optional<std::string>(*d.indicated ? "1" : "0") : std::nullopt});
  // The OOB words decoded field by field, the raw words one click away below.
  for (Row& r : field_rows(o.oob, d.oob, ho && !o.oob.empty(), hd && !d.oob.empty())) rows.push_back(std::move(r));
  if (!o.note.empty()) {
    Row r{"oracle's note", o.note, std::nullopt};
    r.compare = false;
    rows.push_back(r);
  }
  differing = 0;
  out += two_sided_table(rows, "Packet " + std::to_string(n), "Oracle (expected)", "Device", findings, "packet",
                         &differing);
  std::vector<std::pair<std::string, std::string>> blobs = {{"Frame handed over", p.frame}};
  if (p.header_info) blobs.push_back({"Send OOB header info word", hex_word(*p.header_info, 8)});
  if (o.ipsec_info) blobs.push_back({"Oracle OOB words (slot 1, slot 12)",
                                     hex_word(*o.ipsec_info, 16) + " " + hex_word(o.header_info.value_or(0), 8)});
  if (d.ipsec_info) blobs.push_back({"Device OOB words (slot 1, slot 12)",
                                     hex_word(*d.ipsec_info, 16) + " " + hex_word(d.header_info.value_or(0), 8)});
  return std::string("<div class=\"packet-block") + (differing ? "" : " all-same") + "\">" + out +
         raw_details("Raw frame and OOB words (hex)", blobs) + "</div>";
}

std::string step_html(const results::StepEvidence& ev, const CaseView& c, size_t index, const std::string& origin) {
  const std::string where = "$.cases[" + std::to_string(c.index) + "].evidence[" + std::to_string(index) + "]";
  std::vector<const FindingView*> findings;
  for (const auto& f : c.findings)
    if (finding_in_step(f, ev.step)) findings.push_back(&f);
  const bool failing = !findings.empty();
  const bool last = index + 1 == c.evidence.size();
  // The step a finding names (or, for an ERROR, the last one recorded) opens by default.
  const bool open = failing || (c.verdict == Verdict::error && last);
  const std::string title = ev.step.empty() ? "record " + std::to_string(index) : ev.step;
  std::string out = std::string("<details class=\"step") + (failing ? " failing" : "") + "\"" +
                    (open ? " open=\"open\"" : "") + "><summary><code>" + h(title) + "</code>" +
                    (ev.op.empty() ? "" : " · " + h(ev.op)) +
                    (failing ? "<span class=\"tag\">finding here</span>" : "") + "</summary><div class=\"step-body\">";
  if (!ev.comment.empty()) out += "<p class=\"step-comment\">" + h(ev.comment) + "</p>";

  std::string facts;
  auto fact = [&](const char* name, const std::string& v) {
    if (!v.empty()) facts += "<dt>" + h(label_of(name)) + "</dt><dd>" + h(v) + "</dd>";
  };
  fact("refused", ev.refused);
  fact("label", ev.label);
  fact("expect", ev.expect);
  fact("device_reported", ev.device_reported);
  fact("note", ev.note);
  fact("iterations", opt_text(ev.iterations));
  if (ev.spi) fact("spi", hex_word(*ev.spi, 8));
  fact("bundles_marked", opt_text(ev.bundles_marked));
  if (ev.oracle_table_counts)
    fact("oracle_table", std::to_string(ev.oracle_table_counts->bundles) + " bundles (inbound " +
                             std::to_string(ev.oracle_table_counts->inbound) + ", outbound " +
                             std::to_string(ev.oracle_table_counts->outbound) + ")");
  if (!facts.empty()) out += "<dl class=\"kv\">" + facts + "</dl>";

  out += request_html(ev, findings);
  out += oid_answers_html(ev, findings);
  if (!ev.capabilities.empty() || !ev.capabilities_raw.empty()) {
    out += two_sided_table(field_rows({}, ev.capabilities, false, true), "The device's capabilities now, decoded", "",
                           "Device", findings, "decoded");
    out += raw_details("Raw capabilities (hex)", {{"NDIS_IPSEC_OFFLOAD_V2", ev.capabilities_raw}});
  }
  // Datapath steps: each packet in full width, its two answers side by side.
  size_t shown = 0, differing_packets = 0;
  for (size_t n = 0; n < ev.packets.size(); ++n) {
    if (n == kMaxTableRows) {
      out += "<p class=\"more\">… and " + std::to_string(ev.packets.size() - n) + " more packets in <code>" +
             h(origin + " " + where) + ".packets</code>.</p>";
      break;
    }
    size_t differing = 0;
    out += packet_html(ev.packets[n], n + 1, ev.packets.size(), findings, differing);
    ++shown;
    differing_packets += differing ? 1 : 0;
  }
  if (shown > 1) out += print_note(differing_packets, shown, "packets");
  const json* device_table = ev.device_table.is_null() ? nullptr : &ev.device_table;
  const json* oracle_table = ev.oracle_table.is_null() ? nullptr : &ev.oracle_table;
  std::string tables;
  if (oracle_table)
    tables += render_sa_table_html(*oracle_table, "Oracle SA table after this step", origin + " " + where + ".oracle_table",
                                   device_table);
  if (device_table)
    tables += render_sa_table_html(*device_table, "Device SA table after this step (its dump)",
                                   origin + " " + where + ".device_table", oracle_table);
  // Two tables that agree print as one sentence.
  const std::string agreeing = "<div class=\"sa-block all-same\">";
  if (oracle_table && device_table && tables.rfind(agreeing, 0) == 0 && tables.find(agreeing, 1) != std::string::npos)
    tables += "<p class=\"print-only more print-trim\">The oracle's and the device's SA tables after this step agree "
              "(bundles, directions and SA fields; the HTML report shows both).</p>";
  return out + tables + "</div></details>";
}

}  // namespace

std::string render_json_html(const json& value) { return value_html(value, 0); }

namespace {
std::string sa_table_body(const json& dump_doc, const std::string& caption, const std::string& where,
                          const json* other, bool& agrees) {
  agrees = false;
  const json* bundles = nullptr;
  if (dump_doc.is_object()) {
    auto it = dump_doc.find("bundles");
    if (it != dump_doc.end() && it->is_array() &&
        std::all_of(it->begin(), it->end(), [](const json& b) { return b.is_object(); }))
      bundles = &*it;
  }
  std::string out = "<h4>" + h(caption) + "</h4>";
  if (!bundles) return out + "<p class=\"more\">Not an SA-table dump; as recorded:</p>" + value_html(dump_doc, 1);

  // The other side's bundles by direction and SPI, for marking differing cells.
  std::map<std::string, const json*> others;
  if (other && other->is_object())
    if (auto it = other->find("bundles"); it != other->end() && it->is_array())
      for (const json& b : *it)
        if (b.is_object()) others.emplace(bundle_key(b), &b);

  // Counts and pools first: "3 bundles · inbound 2 · outbound 1 · pool inbound 2/1024". Pools are
  // an array of {name, used, limit} (the oracle) or an object of {used, capacity} (a device).
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
    if (it.key() == "pools" && it->is_object()) {
      for (auto p = it->begin(); p != it->end(); ++p)
        if (p->is_object() && p->contains("used"))
          facts += "<li class=\"chip\">pool <b>" + h(p.key()) + "</b> " + scalar_html((*p)["used"]) +
                   (p->contains("capacity") ? " / " + scalar_html((*p)["capacity"]) : std::string()) + "</li>";
      continue;
    }
    if (!it->is_structured())
      facts += "<li class=\"chip\">" + key_label(it.key()) + " <b>" + scalar_html(*it) + "</b></li>";
  }
  const size_t facts_at = out.size();  // the counts and pools go here once it is known whether a bundle differs
  if (bundles->empty()) return out.insert(facts_at, facts.empty() ? "" : "<ul class=\"chips\">" + facts + "</ul>") +
                               "<p class=\"more\">No bundles.</p>";

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
  std::string head = "<thead><tr>";
  for (const auto& col : columns) head += "<th scope=\"col\">" + key_label(col) + "</th>";
  if (any_sas) head += "<th scope=\"col\">SAs</th>";
  head += "</tr></thead>";
  std::string body;
  size_t n = 0, differing = 0, unmatched = 0;
  for (const json& b : *bundles) {
    if (n++ == kMaxTableRows) break;
    const json* peer = nullptr;
    if (other) {
      auto it = others.find(bundle_key(b));
      if (it != others.end()) peer = it->second;
      else ++unmatched;
    }
    bool row_differs = other && !peer;
    std::string cells;
    for (const auto& col : columns) {
      auto it = b.find(col);
      if (it == b.end()) {
        cells += "<td></td>";
        continue;
      }
      const std::string shown = it->is_structured() ? value_html(*it, 2) : h(same_radix(col, *it));
      // Handles and slots are each side's own numbering.
      const bool comparable_column = col != "handle" && col != "slot";
      const bool differs = peer && comparable_column && peer->contains(col) &&
                           comparable(col, (*peer)[col]) != comparable(col, *it);
      row_differs = row_differs || differs;
      cells += std::string("<td") + (differs ? " class=\"differs\"" : "") + ">" +
               (differs ? marked(shown, same_radix(col, (*peer)[col])) : shown) + "</td>";
    }
    if (any_sas) {
      cells += "<td>";
      if (auto it = b.find("sas"); it != b.end() && it->is_array()) {
        const json* peer_sas = peer && peer->contains("sas") && (*peer)["sas"].is_array() ? &(*peer)["sas"] : nullptr;
        for (size_t i = 0; i < it->size(); ++i) {
          const json* peer_sa = peer_sas && i < peer_sas->size() ? &(*peer_sas)[i] : nullptr;
          const std::string line = sa_line((*it)[i], peer_sa);
          row_differs = row_differs || line.find("<mark class=\"differs\"") != std::string::npos;
          cells += (i ? "<br />" : "") + line;
        }
      }
      cells += "</td>";
    }
    if (row_differs) ++differing;
    body += std::string("<tr") + (row_differs ? " class=\"differs\"" : "") + ">" + cells + "</tr>";
  }
  agrees = other && !differing;
  // Compared with the other side's table, a failing step prints only the differing bundles (and
  // of a table that agrees, only the sentence saying so).
  if (!facts.empty())
    out.insert(facts_at, std::string("<ul class=\"chips") + (other && !differing ? " all-same" : "") + "\">" + facts + "</ul>");
  out += std::string("<div class=\"table-wrap") + (other && !differing ? " all-same" : "") + "\"><table class=\"sa-table" +
         (other ? " compared" : "") + "\">" + head + "<tbody>" + body + "</tbody></table></div>";
  if (other && differing) out += print_note(differing, std::min(bundles->size(), kMaxTableRows), "bundles");
  if (other)
    out += "<p class=\"more\">" +
           (differing ? std::to_string(differing) + " bundle(s) differ from the other side's table" +
                            (unmatched ? " (" + std::to_string(unmatched) + " with no bundle of the same direction and SPI there)"
                                       : std::string()) +
                            "; differing values are marked."
                      : std::string("Same bundles, directions and SA fields as the other side's table (handles and slots "
                                    "are each side's own).")) +
           "</p>";
  if (bundles->size() > kMaxTableRows)
    out += "<p class=\"more\">… and " + std::to_string(bundles->size() - kMaxTableRows) +
           " more bundles, all in <code>" + h(where) + ".bundles</code>.</p>";
  return out;
}
}  // namespace

std::string render_sa_table_html(const json& dump_doc, const std::string& caption, const std::string& where,
                                 const json* other) {
  bool agrees = false;
  const std::string out = sa_table_body(dump_doc, caption, where, other, agrees);
  if (!other) return out;
  return std::string("<div class=\"sa-block") + (agrees ? " all-same" : "") + "\">" + out + "</div>";
}

std::string render_case_evidence(const CaseView& c, const std::string& origin) {
  if (c.evidence.empty()) {
    if (c.verdict == Verdict::fail || c.verdict == Verdict::error)
      return "<h4>Evidence</h4><p class=\"more\">No evidence was recorded for this case.</p>";
    return {};
  }
  std::string out = "<section class=\"evidence\" aria-label=\"Evidence\"><h4>Evidence: " +
                    std::to_string(c.evidence.size()) + " step record" + (c.evidence.size() == 1 ? "" : "s") +
                    "</h4>";
  for (size_t i = 0; i < c.evidence.size(); ++i) out += step_html(c.evidence[i], c, i, origin);
  out += "<p class=\"more screen-only\">Recorded in <code>" + h(origin) + " $.cases[" + std::to_string(c.index) +
         "].evidence</code>.</p>";
  return out + "</section>";
}

}  // namespace cts::reports
