// Lookup of committed vectors by name, for datapath cases that refer to a vector
// ("generated/esn-wrap-gcm", or just "esn-wrap-gcm" when the name is unique).
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "runner/vectors/sidecar.h"

namespace cts::vectors {

struct VectorRef {
  std::string name;          // relative name, e.g. "generated/esn-wrap-gcm"
  std::string pcap_path;     // absolute path of the capture
  std::string sidecar_path;  // absolute path of the JSON sidecar
  Sidecar sidecar;           // loaded and checked
};

// The vectors folder of this source tree (CTS_SOURCE_ROOT/vectors), or $CTS_VECTORS_DIR.
std::string default_vectors_dir();

// Every "<name>.json" with a "<name>.pcap" beside it under `dir` (generated/ and published/).
std::vector<std::string> list_vectors(const std::string& dir);

// Finds and loads a vector. Errors (not found, ambiguous short name, sidecar refused) in `error`.
std::optional<VectorRef> find_vector(const std::string& name, std::string& error,
                                     const std::string& dir = default_vectors_dir());

}  // namespace cts::vectors
