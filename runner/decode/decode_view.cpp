#include "runner/decode/decode_view.h"

#include "runner/decode/ndis_json.h"

namespace cts::decode {
namespace {

using nlohmann::json;

// Fills `out` with the verdict fields of the first failure, if any; returns the exit code.
int finish(json& out, const std::optional<ndis::DecodeError>& failure) {
  if (failure) {
    json e = error_json(*failure);
    for (auto it = e.begin(); it != e.end(); ++it) out[it.key()] = it.value();
    return 1;
  }
  json s = status_json(ndis::NDIS_STATUS_SUCCESS);
  for (auto it = s.begin(); it != s.end(); ++it) out[it.key()] = it.value();
  return 0;
}

}  // namespace

int decode_view(const DecodeOptions& o, std::span<const uint8_t> data, nlohmann::json& out) {
  const ndis::Abi abi = o.abi == "x86" ? ndis::Abi::x86 : ndis::Abi::x64;
  const std::span<const uint8_t> buffer = data;
  const ndis::NextLinks file_links{0};  // Next = offset from the start of the file
  ndis::ValidationOptions vopts;
  vopts.gcm_key_includes_salt = !o.gcm_key_excludes_salt;

  out = json::object();
  uint32_t oid_value = 0;
  if (o.oid != "CAPABILITIES" && ndis::oid_from_name(o.oid, oid_value)) {
    out["oid"] = std::string(ndis::oid_name(oid_value));
    out["oid_value"] = hex32(oid_value);
  } else {
    out["structure_type"] = "NDIS_IPSEC_OFFLOAD_V2";
  }
  out["abi"] = o.abi;
  out["file"] = o.file;
  out["length"] = data.size();

  auto fail_undecodable = [&](const ndis::DecodeError& e) {
    json j = error_json(e);
    for (auto it = out.begin(); it != out.end(); ++it) j[it.key()] = it.value();
    out = std::move(j);
    return 1;
  };

  std::optional<ndis::DecodeError> failure;
  int code = 0;
  if (o.oid == "ADD_SA") {
    auto decoded = ndis::decode_add_sa(buffer, abi, file_links);
    if (auto* e = std::get_if<ndis::DecodeError>(&decoded)) return fail_undecodable(*e);
    const auto& request = std::get<ndis::AddSaRequest>(decoded);
    const auto offsets = ndis::list_element_offsets(buffer, oid_value, abi, file_links);
    json elements = json::array();
    for (size_t i = 0; i < request.elements.size(); ++i) {
      const uint64_t next = i + 1 < offsets.size() ? offsets[i + 1] : 0;
      json el = add_element_json(request.elements[i], false, next);
      el["offset"] = i < offsets.size() ? offsets[i] : 0;
      // Each element is judged on its own, as the oracle does for a list (ADD-004..006).
      auto checked =
          ndis::validate_add_element(request.elements[i], static_cast<uint32_t>(i), vopts);
      if (auto* e = std::get_if<ndis::DecodeError>(&checked)) {
        el["validation"] = error_json(*e);
        if (!failure) failure = *e;
      } else {
        el["validation"] = status_json(ndis::NDIS_STATUS_SUCCESS);
        auto spec = std::get<ndis::BundleSpec>(std::move(checked));
        for (auto& sa : spec.sas) ndis::cleanse(sa.keys);
      }
      elements.push_back(std::move(el));
    }
    out["elements"] = std::move(elements);
    code = finish(out, failure);
  } else if (o.oid == "ADD_SA_EX") {
    auto decoded = ndis::decode_add_sa_ex(buffer, abi);
    if (auto* e = std::get_if<ndis::DecodeError>(&decoded)) return fail_undecodable(*e);
    const auto& element = std::get<ndis::AddSaExRequest>(decoded).element;
    out["structure"] = add_element_json(element, true, 0);
    auto checked = ndis::validate_add_element(element, 0, vopts);
    if (auto* e = std::get_if<ndis::DecodeError>(&checked)) {
      failure = *e;
    } else {
      auto spec = std::get<ndis::BundleSpec>(std::move(checked));
      for (auto& sa : spec.sas) ndis::cleanse(sa.keys);
    }
    code = finish(out, failure);
  } else if (o.oid == "DELETE_SA") {
    auto decoded = ndis::decode_delete_sa(buffer, abi, file_links);
    if (auto* e = std::get_if<ndis::DecodeError>(&decoded)) return fail_undecodable(*e);
    const auto& request = std::get<ndis::DeleteSaRequest>(decoded);
    const auto offsets = ndis::list_element_offsets(buffer, oid_value, abi, file_links);
    json elements = json::array();
    for (size_t i = 0; i < request.elements.size(); ++i) {
      const uint64_t next = i + 1 < offsets.size() ? offsets[i + 1] : 0;
      json el = delete_element_json(request.elements[i], next);
      el["offset"] = i < offsets.size() ? offsets[i] : 0;
      // DELETE_SA never fails for content: a NULL or unknown handle is a no-op (OQ-12, DEL-004).
      if (request.elements[i].offload_handle == 0) el["note"] = "NULL OffloadHandle: no-op (OQ-12)";
      elements.push_back(std::move(el));
    }
    out["elements"] = std::move(elements);
    code = finish(out, failure);
  } else if (o.oid == "UPDATE_SA") {
    auto decoded = ndis::decode_update_sa(buffer, abi);
    if (auto* e = std::get_if<ndis::DecodeError>(&decoded)) return fail_undecodable(*e);
    const auto& request = std::get<ndis::UpdateSaRequest>(decoded);
    out["structure"] = update_json(request);
    code = finish(out, ndis::validate_update_request(request));
  } else {  // CAPABILITIES
    auto decoded = ndis::decode_capabilities(buffer);
    if (auto* e = std::get_if<ndis::DecodeError>(&decoded)) return fail_undecodable(*e);
    const auto& caps = std::get<ndis::IpsecOffloadV2Capabilities>(decoded);
    out["structure"] = capabilities_json(caps);
    json findings = json::array();
    for (const auto& f : ndis::check_capabilities(caps)) {
      findings.push_back({{"severity", f.error ? "error" : "warning"},
                          {"requirement", f.requirement},
                          {"field", f.field},
                          {"message", f.message}});
      if (f.error && !failure) {
        ndis::DecodeError e;
        e.status = ndis::NDIS_STATUS_INVALID_DATA;
        e.field = f.field;
        e.message = f.requirement + ": " + f.message;
        failure = e;
      }
    }
    out["findings"] = std::move(findings);
    code = finish(out, failure);
  }
  return code;
}

}  // namespace cts::decode
