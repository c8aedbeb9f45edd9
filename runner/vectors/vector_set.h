// A vector in memory (sidecar + the frames of its pcap) and the files it lives in:
// DIR/<name>.pcap and DIR/<name>.json, where <name> may contain one folder level
// ("generated/suite-aes-128-gcm", "published/mcgrew-gcm-test-01-gcm128-esn").
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "runner/vectors/sidecar.h"

namespace cts::vectors {

struct VectorData {
  std::string name;  // relative path without extension
  Sidecar sidecar;
  std::vector<std::vector<uint8_t>> frames;  // Ethernet frames, one per packet
};

// Writes DIR/<name>.pcap and DIR/<name>.json (creating the folder). Time stamps are synthetic
// (record i at 1'000'000'000 + i seconds... see the .cpp) so the bytes depend on the data only.
bool write_vector(const std::string& dir, const VectorData& v, std::string& error);

}  // namespace cts::vectors
