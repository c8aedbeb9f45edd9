// libFuzzer target: arbitrary text as a vector sidecar (vectors/**/*.json beside each capture).
// The loader must refuse with a message naming the origin, or accept a sidecar that survives
// sidecar_to_json -> parse_sidecar unchanged in its SA count.
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <string>

#include "runner/vectors/sidecar.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  const std::string text(reinterpret_cast<const char*>(data), size);
  cts::vectors::Sidecar sidecar;
  std::string error;
  if (!cts::vectors::parse_sidecar(text, "fuzz.json", sidecar, error)) {
    if (error.rfind("fuzz.json", 0) != 0) std::abort();
    return 0;
  }
  cts::vectors::Sidecar again;
  std::string again_error;
  if (!cts::vectors::parse_sidecar(cts::vectors::sidecar_to_json(sidecar), "again.json", again,
                                   again_error)) {
    std::abort();
  }
  if (again.sas.size() != sidecar.sas.size()) std::abort();
  return 0;
}
