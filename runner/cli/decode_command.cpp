// `ipsec-cts decode --oid {ADD_SA|ADD_SA_EX|DELETE_SA|UPDATE_SA|CAPABILITIES} [--abi x64|x86]
// FILE`: reads a raw OID buffer as a vendor dumps it from a driver, decodes it with the oracle's
// codec (Next members hold offsets from the start of the file, 0 ends a list), runs the oracle's
// request checks, and prints JSON with the ndis.h field names.
//   exit 0: decoded and valid;
//   exit 1: the oracle would fail the request: {"status", "status_code", "element", "field",
//           "message"} (plus the decoded structure when the buffer was decodable);
//   exit 2: unusable arguments (missing file, unknown --oid / --abi).
#include <sys/stat.h>

#include <cerrno>
#include <cstring>
#include <fstream>
#include <iostream>
#include <iterator>
#include <map>
#include <string>
#include <vector>

#include "runner/cli/command_registry.h"
#include "runner/decode/decode_view.h"
#include "runner/decode/ndis_json.h"

namespace cts::cli {
namespace {

using nlohmann::json;
using decode::decode_view;
using decode::DecodeOptions;

// OID buffers are ULONG-sized; a file far larger than any request is not a dump of one.
constexpr std::streamoff kMaxFileBytes = 64 << 20;

int run(const DecodeOptions& o) {
  struct stat st {};
  if (::stat(o.file.c_str(), &st) != 0) {
    std::cerr << "ipsec-cts decode: " << o.file << ": " << std::strerror(errno) << "\n";
    return 2;
  }
  if (S_ISDIR(st.st_mode)) {
    std::cerr << "ipsec-cts decode: " << o.file << ": is a directory, not a buffer file\n";
    return 2;
  }
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
  json out;
  const int code = decode_view(o, data, out);
  std::cout << out.dump(2) << "\n";
  return code;
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
