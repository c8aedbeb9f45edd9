#include "runner/core/evidence_decoding.h"

#include <algorithm>

#include "oracle/ndis/oob.h"
#include "runner/decode/decode_view.h"

namespace cts::core {
namespace {

using nlohmann::json;

std::vector<uint8_t> from_hex(const std::string& hex) {
  std::vector<uint8_t> out;
  auto nibble = [](char c) -> int {
    if (c >= '0' && c <= '9') return c - '0';
    if (c >= 'a' && c <= 'f') return c - 'a' + 10;
    if (c >= 'A' && c <= 'F') return c - 'A' + 10;
    return -1;
  };
  for (size_t i = 0; i + 1 < hex.size(); i += 2) {
    const int hi = nibble(hex[i]), lo = nibble(hex[i + 1]);
    if (hi < 0 || lo < 0) break;  // "…(1500 bytes)": a truncated record ends here
    out.push_back(static_cast<uint8_t>(hi << 4 | lo));
  }
  return out;
}

std::string scalar_text(const json& v) {
  if (v.is_string()) return v.get<std::string>();
  if (v.is_boolean()) return v.get<bool>() ? "TRUE" : "FALSE";
  return v.dump();
}

// What decode adds about the buffer rather than its contents.
bool is_envelope(const std::string& key) { return key == "file" || key == "abi" || key == "length"; }

}  // namespace

void flatten_fields(const json& value, const std::string& prefix, std::vector<results::DecodedField>& out) {
  if (value.is_object()) {
    for (auto it = value.begin(); it != value.end(); ++it) {
      if (prefix.empty() && is_envelope(it.key())) continue;
      const std::string name = prefix.empty() ? it.key() : prefix + "." + it.key();
      if (it.key() == "KeyData" && it->is_string()) {
        out.push_back({name, "(" + std::to_string(it->get<std::string>().size() / 2) + " bytes: see the request bytes)"});
        continue;
      }
      flatten_fields(*it, name, out);
    }
  } else if (value.is_array()) {
    if (std::all_of(value.begin(), value.end(), [](const json& e) { return !e.is_structured(); })) {
      std::string joined;
      for (const auto& e : value) joined += (joined.empty() ? "" : ", ") + scalar_text(e);
      out.push_back({prefix, joined});
      return;
    }
    for (size_t i = 0; i < value.size(); ++i) flatten_fields(value[i], prefix + "[" + std::to_string(i) + "]", out);
  } else {
    out.push_back({prefix, scalar_text(value)});
  }
}

std::vector<results::DecodedField> decoded_request_fields(const std::string& oid, const std::string& abi,
                                                          const std::string& hex, bool gcm_key_includes_salt) {
  decode::DecodeOptions o;
  o.oid = oid;
  o.abi = abi.empty() ? "x64" : abi;
  o.gcm_key_excludes_salt = !gcm_key_includes_salt;
  const std::vector<uint8_t> bytes = from_hex(hex);
  json decoded;
  decode::decode_view(o, bytes, decoded);
  std::vector<results::DecodedField> out;
  flatten_fields(decoded, "", out);
  return out;
}

void decode_step_evidence(results::StepEvidence& ev, bool gcm_key_includes_salt) {
  const std::string oid_prefix = "oid ";
  if (ev.op.rfind(oid_prefix, 0) == 0) {
    const std::string oid = ev.op.substr(oid_prefix.size());
    if (!ev.request.empty()) ev.request_fields = decoded_request_fields(oid, ev.abi, ev.request, gcm_key_includes_salt);
    if (!ev.device_request.empty())
      ev.device_request_fields = decoded_request_fields(oid, ev.abi, ev.device_request, gcm_key_includes_salt);
  }
  if (!ev.capabilities_raw.empty())
    ev.capabilities = decoded_request_fields("CAPABILITIES", "x64", ev.capabilities_raw, gcm_key_includes_salt);
  for (auto& p : ev.packets) {
    if (p.header_info) {
      ndis::SendOob oob;
      oob.header_info = static_cast<uint32_t>(*p.header_info);
      for (auto& f : results::fields_from_description(ndis::describe_send_oob(oob)))
        if (f.name != "OffloadHandle" && f.name != "TunnelHandle") p.send_oob.push_back(std::move(f));
    }
    for (auto* side : {&p.device, &p.oracle}) {
      if (!*side || !(*side)->ipsec_info) continue;
      ndis::ReceiveOob oob;
      oob.ipsec_info = *(*side)->ipsec_info;
      oob.header_info = static_cast<uint32_t>((*side)->header_info.value_or(0));
      (*side)->oob = results::fields_from_description(ndis::describe_receive_oob(oob));
    }
  }
}

}  // namespace cts::core
