// `ipsec-cts decode --oid {ADD_SA|ADD_SA_EX|DELETE_SA|UPDATE_SA|CAPABILITIES} [--abi x64|x86]
// FILE`: reads a raw OID buffer as a vendor dumps it from a driver, decodes it with the oracle's
// codec (Next members hold offsets from the start of the file, 0 ends a list), runs the oracle's
// request checks, and prints JSON with the ndis.h field names.
//   exit 0: decoded and valid;
//   exit 1: the oracle would fail the request: {"status", "status_code", "element", "field",
//           "message"} (plus the decoded structure when the buffer was decodable);
//   exit 2: unusable arguments (missing file, unknown --oid / --abi).
#include <fstream>
#include <iostream>
#include <iterator>
#include <map>
#include <string>
#include <vector>

#include "runner/cli/command_registry.h"
#include "runner/cli/ndis_json.h"

namespace cts::cli {
namespace {

using nlohmann::json;

// OID buffers are ULONG-sized; a file far larger than any request is not a dump of one.
constexpr std::streamoff kMaxFileBytes = 64 << 20;

struct DecodeOptions {
  std::string oid;
  std::string abi = "x64";
  std::string file;
  bool gcm_key_excludes_salt = false;
};

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

int decode_buffer(const DecodeOptions& o, const std::vector<uint8_t>& data) {
  const ndis::Abi abi = o.abi == "x86" ? ndis::Abi::x86 : ndis::Abi::x64;
  const std::span<const uint8_t> buffer(data);
  const ndis::NextLinks file_links{0};  // Next = offset from the start of the file
  ndis::ValidationOptions vopts;
  vopts.gcm_key_includes_salt = !o.gcm_key_excludes_salt;

  json out;
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
    std::cout << j.dump(2) << "\n";
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
  std::cout << out.dump(2) << "\n";
  return code;
}

int run(const DecodeOptions& o) {
  std::ifstream in(o.file, std::ios::binary);
  if (!in) {
    std::cerr << "ipsec-cts decode: cannot open " << o.file << "\n";
    return 2;
  }
  in.seekg(0, std::ios::end);
  const std::streamoff size = in.tellg();
  if (size < 0 || size > kMaxFileBytes) {
    std::cerr << "ipsec-cts decode: " << o.file << " is not a readable file of at most "
              << kMaxFileBytes << " bytes\n";
    return 2;
  }
  in.seekg(0, std::ios::beg);
  std::vector<uint8_t> data(static_cast<size_t>(size));
  if (size > 0 && !in.read(reinterpret_cast<char*>(data.data()), size)) {
    std::cerr << "ipsec-cts decode: error reading " << o.file << "\n";
    return 2;
  }
  return decode_buffer(o, data);
}

const RegisterCommand kRegister{Command{
    "decode", [](CLI::App& app) -> std::function<int()> {
      auto options = std::make_shared<DecodeOptions>();
      auto* sub = app.add_subcommand(
          "decode",
          "Decode a raw NDIS IPsecOV2 OID buffer (as dumped from a driver) into JSON with the "
          "ndis.h field names and report what the oracle would return for it. Next members "
          "hold offsets from the start of the file (0 ends a list). Exit 0 valid, 1 the oracle "
          "rejects it (status, element, field, message printed as JSON), 2 unusable arguments.");
      sub->add_option("--oid", options->oid, "Structure in the file")
          ->required()
          ->check(CLI::IsMember({"ADD_SA", "ADD_SA_EX", "DELETE_SA", "UPDATE_SA", "CAPABILITIES"}));
      sub->add_option("--abi", options->abi, "Windows ABI of the buffer (default x64)")
          ->check(CLI::IsMember({"x64", "x86"}));
      sub->add_flag("--gcm-key-excludes-salt", options->gcm_key_excludes_salt,
                    "AES-GCM/GMAC KeyLength is the AES key only (16/24/32), not key||salt (OQ-07)");
      sub->add_option("FILE", options->file, "Raw buffer file")->required();
      return [options] { return run(*options); };
    }}};

}  // namespace
}  // namespace cts::cli
