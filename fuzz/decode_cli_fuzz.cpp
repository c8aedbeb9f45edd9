// libFuzzer target: the input of `ipsec-cts decode`. The first octet picks the structure, the ABI
// and the GCM key convention; the rest is the buffer file, exactly sized. The JSON the command
// would print must serialise, and a failure (exit 1) must name a status.
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <memory>
#include <span>

#include "runner/decode/decode_view.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  if (size == 0) return 0;
  static const char* const kOids[] = {"ADD_SA", "ADD_SA_EX", "DELETE_SA", "UPDATE_SA", "CAPABILITIES"};
  cts::decode::DecodeOptions o;
  o.oid = kOids[(data[0] & 0x7) % 5];
  o.abi = (data[0] & 0x8) ? "x86" : "x64";
  o.gcm_key_excludes_salt = (data[0] & 0x10) != 0;
  o.file = "fuzz.bin";
  const size_t n = size - 1;
  std::unique_ptr<uint8_t[]> buffer(new uint8_t[n ? n : 1]);
  for (size_t i = 0; i < n; ++i) buffer[i] = data[1 + i];
  nlohmann::json out;
  const int code = cts::decode::decode_view(o, std::span<const uint8_t>(buffer.get(), n), out);
  (void)out.dump(2, ' ', false, nlohmann::json::error_handler_t::replace);
  if (code != 0 && code != 1) std::abort();
  if (code == 1 && !out.contains("status")) std::abort();
  return 0;
}
