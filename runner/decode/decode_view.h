// The body of `ipsec-cts decode`: a raw OID buffer decoded with the oracle's codec, checked with
// its request validation, as the JSON the command prints. Kept apart from the command so the
// fuzz target (fuzz/decode_cli_fuzz.cpp) drives exactly what the command runs.
#pragma once

#include <cstdint>
#include <span>
#include <string>

#include <nlohmann/json.hpp>

namespace cts::decode {

struct DecodeOptions {
  // oid: ADD_SA, ADD_SA_EX, DELETE_SA, UPDATE_SA or CAPABILITIES; abi: x64 or x86 (checked by
  // the command line).
  std::string oid;
  std::string abi = "x64";
  std::string file;
  bool gcm_key_excludes_salt = false;
};

// Fills `out` with the decoded structure and the oracle's verdict; returns the exit code:
// 0 decoded and valid, 1 the oracle would fail the request (`out` names status, element, field).
int decode_view(const DecodeOptions& options, std::span<const uint8_t> data, nlohmann::json& out);

}  // namespace cts::decode
