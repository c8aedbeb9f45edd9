#include "runner/results/step_evidence.h"

#include <sstream>

#include "runner/json/strict_reader.h"
#include "runner/results/results_model.h"

namespace cts::results {
namespace {

using nlohmann::json;

// Dumps are recorded as the device answered; a view recurses over them, so their depth is bounded
// when read back.
constexpr size_t kMaxTableDepth = 32;

json bounded(const json& v, size_t depth) {
  if (!v.is_structured()) return v;
  if (depth >= kMaxTableDepth)
    return "(nested deeper than " + std::to_string(kMaxTableDepth) + " levels: see the results file)";
  json out = v.is_object() ? json::object() : json::array();
  if (v.is_object()) {
    for (auto it = v.begin(); it != v.end(); ++it) out[it.key()] = bounded(*it, depth + 1);
  } else {
    for (const auto& e : v) out.push_back(bounded(e, depth + 1));
  }
  return out;
}

void put(json& j, const char* key, const std::string& v) {
  if (!v.empty()) j[key] = v;
}
// Free text a device, the oracle or a case wrote (notes, messages, details): a path of the machine
// that ran the suite in it (a plugin's dlopen error, a key file) is cut to its last component, as in
// the case's error and findings, so no view shows it.
void put_text(json& j, const char* key, const std::string& v) {
  if (!v.empty()) j[key] = without_machine_paths(v);
}
template <typename T>
void put(json& j, const char* key, const std::optional<T>& v) {
  if (v) j[key] = *v;
}

json fields_json(const std::vector<DecodedField>& fields) {
  json a = json::array();
  for (const auto& f : fields) a.push_back({{"name", f.name}, {"value", f.value}});
  return a;
}

void put_fields(json& j, const char* key, const std::vector<DecodedField>& fields) {
  if (!fields.empty()) j[key] = fields_json(fields);
}

json answer_json(const OidAnswer& a) {
  json j = {{"status", a.status}};
  put(j, "bytes_needed", a.bytes_needed);
  put(j, "bytes_read", a.bytes_read);
  if (!a.handles.empty()) j["handles"] = a.handles;
  put_text(j, "message", a.message);
  if (!a.elements.empty()) {
    j["elements"] = json::array();
    for (const auto& e : a.elements)
      j["elements"].push_back({{"index", e.index}, {"field", e.field}, {"reason", without_machine_paths(e.reason)}});
  }
  return j;
}

json packet_answer_json(const PacketAnswer& a) {
  json j = json::object();
  put(j, "completion", a.completion);
  put(j, "verdict", a.verdict);
  put_text(j, "detail", a.detail);
  put(j, "wire", a.wire);
  put_text(j, "note", a.note);
  put(j, "seq_high_used", a.seq_high_used);
  put(j, "indicated", a.indicated);
  put(j, "ipsec_info", a.ipsec_info);
  put(j, "header_info", a.header_info);
  put_fields(j, "oob", a.oob);
  return j;
}

json packet_json(const PacketEvidence& p) {
  json j = {{"frame", p.frame}};
  put(j, "sequence", p.sequence);
  put(j, "seq_high", p.seq_high);
  put(j, "header_info", p.header_info);
  put(j, "pad_length", p.pad_length);
  put_fields(j, "send_oob", p.send_oob);
  if (p.vector) j["vector"] = {{"name", p.vector->name}, {"record", p.vector->record}};
  if (p.device) j["device"] = packet_answer_json(*p.device);
  if (p.oracle) j["oracle"] = packet_answer_json(*p.oracle);
  return j;
}

// Reading: the strict reader's typed values with their paths; members not known here are left to
// the schema (a newer runner's record does not break an older view).
std::string opt_string(strict::Object& o, const char* key) {
  auto v = o.optional(key);
  return v ? v->as_string() : std::string();
}

std::optional<uint64_t> opt_uint(strict::Object& o, const char* key) {
  auto v = o.optional(key);
  if (!v) return std::nullopt;
  return v->as_uint(UINT64_MAX);
}

std::vector<DecodedField> read_fields(strict::Object& o, const char* key) {
  std::vector<DecodedField> out;
  auto v = o.optional(key);
  if (!v) return out;
  for (const auto& e : v->as_array()) {
    strict::Object f(e);
    out.push_back({f.required("name").as_string(), f.required("value").as_string()});
  }
  return out;
}

OidAnswer read_answer(const strict::Value& v) {
  strict::Object o(v);
  OidAnswer a;
  a.status = opt_string(o, "status");
  a.bytes_needed = opt_uint(o, "bytes_needed");
  a.bytes_read = opt_uint(o, "bytes_read");
  if (auto h = o.optional("handles"))
    for (const auto& e : h->as_array()) a.handles.push_back(e.as_string());
  a.message = opt_string(o, "message");
  if (auto els = o.optional("elements")) {
    for (const auto& e : els->as_array()) {
      strict::Object n(e);
      a.elements.push_back({n.required("index").as_uint(UINT64_MAX), opt_string(n, "field"), opt_string(n, "reason")});
    }
  }
  return a;
}

PacketAnswer read_packet_answer(const strict::Value& v) {
  strict::Object o(v);
  PacketAnswer a;
  a.completion = opt_string(o, "completion");
  a.verdict = opt_string(o, "verdict");
  a.detail = opt_string(o, "detail");
  a.wire = opt_string(o, "wire");
  a.note = opt_string(o, "note");
  a.seq_high_used = opt_uint(o, "seq_high_used");
  if (auto i = o.optional("indicated")) a.indicated = i->as_bool();
  a.ipsec_info = opt_uint(o, "ipsec_info");
  a.header_info = opt_uint(o, "header_info");
  a.oob = read_fields(o, "oob");
  return a;
}

PacketEvidence read_packet(const strict::Value& v) {
  strict::Object o(v);
  PacketEvidence p;
  p.frame = opt_string(o, "frame");
  p.sequence = opt_uint(o, "sequence");
  p.seq_high = opt_uint(o, "seq_high");
  p.header_info = opt_uint(o, "header_info");
  p.pad_length = opt_uint(o, "pad_length");
  p.send_oob = read_fields(o, "send_oob");
  if (auto vr = o.optional("vector")) {
    strict::Object r(*vr);
    p.vector = VectorRecord{r.required("name").as_string(), r.required("record").as_uint(UINT64_MAX)};
  }
  if (auto d = o.optional("device")) p.device = read_packet_answer(*d);
  if (auto d = o.optional("oracle")) p.oracle = read_packet_answer(*d);
  return p;
}

}  // namespace

json step_evidence_to_json(const StepEvidence& e) {
  json j = {{"step", e.step}};
  put(j, "op", e.op);
  put_text(j, "comment", e.comment);
  put(j, "abi", e.abi);
  put(j, "request", e.request);
  put(j, "device_request", e.device_request);
  put_fields(j, "request_fields", e.request_fields);
  put_fields(j, "device_request_fields", e.device_request_fields);
  if (e.oracle) j["oracle"] = answer_json(*e.oracle);
  if (e.device) j["device"] = answer_json(*e.device);
  put_text(j, "refused", e.refused);
  if (!e.packets.empty()) {
    j["packets"] = json::array();
    for (const auto& p : e.packets) j["packets"].push_back(packet_json(p));
  }
  put(j, "label", e.label);
  put(j, "expect", e.expect);
  put_text(j, "device_reported", e.device_reported);
  put_text(j, "note", e.note);
  put(j, "capabilities_raw", e.capabilities_raw);
  put_fields(j, "capabilities", e.capabilities);
  put(j, "spi", e.spi);
  put(j, "bundles_marked", e.bundles_marked);
  put(j, "iterations", e.iterations);
  if (!e.oracle_table.is_null()) j["oracle_table"] = e.oracle_table;
  if (!e.device_table.is_null()) j["device_table"] = e.device_table;
  if (e.oracle_table_counts)
    j["oracle_table_counts"] = {{"bundles", e.oracle_table_counts->bundles},
                                {"inbound", e.oracle_table_counts->inbound},
                                {"outbound", e.oracle_table_counts->outbound}};
  return j;
}

StepEvidence step_evidence_from_json(const json& doc, const std::string& path) {
  strict::Object o(doc, path);
  StepEvidence e;
  e.step = o.required("step").as_string();
  e.op = opt_string(o, "op");
  e.comment = opt_string(o, "comment");
  e.abi = opt_string(o, "abi");
  e.request = opt_string(o, "request");
  e.device_request = opt_string(o, "device_request");
  e.request_fields = read_fields(o, "request_fields");
  e.device_request_fields = read_fields(o, "device_request_fields");
  if (auto a = o.optional("oracle")) e.oracle = read_answer(*a);
  if (auto a = o.optional("device")) e.device = read_answer(*a);
  e.refused = opt_string(o, "refused");
  if (auto ps = o.optional("packets"))
    for (const auto& p : ps->as_array()) e.packets.push_back(read_packet(p));
  e.label = opt_string(o, "label");
  e.expect = opt_string(o, "expect");
  e.device_reported = opt_string(o, "device_reported");
  e.note = opt_string(o, "note");
  e.capabilities_raw = opt_string(o, "capabilities_raw");
  e.capabilities = read_fields(o, "capabilities");
  e.spi = opt_uint(o, "spi");
  e.bundles_marked = opt_uint(o, "bundles_marked");
  e.iterations = opt_uint(o, "iterations");
  if (auto t = o.optional("oracle_table")) e.oracle_table = bounded(t->raw(), 0);
  if (auto t = o.optional("device_table")) e.device_table = bounded(t->raw(), 0);
  if (auto c = o.optional("oracle_table_counts")) {
    strict::Object n(*c);
    e.oracle_table_counts = TableCounts{n.required("bundles").as_uint(UINT64_MAX),
                                        n.required("inbound").as_uint(UINT64_MAX),
                                        n.required("outbound").as_uint(UINT64_MAX)};
  }
  return e;
}

std::vector<DecodedField> fields_from_description(const std::string& description) {
  std::vector<DecodedField> out;
  std::istringstream words(description);
  std::string w;
  while (words >> w) {
    const auto eq = w.find('=');
    if (eq == std::string::npos || eq == 0) continue;
    out.push_back({w.substr(0, eq), w.substr(eq + 1)});
  }
  return out;
}

}  // namespace cts::results
