// `ipsec-cts vectors generate`: the deterministic vector set. Every byte comes from the oracle
// (esp::EspHost, esp::EspTransform) and from seeded generators (crypto::SeededRandomSource) for
// keys, payloads and IVs, so the same seed and version regenerate vectors/ bit for bit.
//
// The set (see vectors/README.md for the table):
//   generated/suite-<suite>   every suite of esp::all_suites(): transport/tunnel x IPv4/IPv6,
//                             32-bit and ESN SAs, a corrupted-ICV twin where there is an ICV
//   generated/esn-wrap-*      ESN across the 2^32 boundary (GCM and HMAC), old packet read as the
//                             next subspace (BAD_ICV, RFC 4303 App. A2.1)
//   generated/replay-window   duplicate, inside, outside, far ahead, sequence 0, forged-then-genuine
//   generated/negative-twins  corrupted ICV, corrupted padding, truncated, wrong SPI, derived by flag
//   generated/udp-encap       RFC 3948 transport and tunnel, IPv4 and IPv6
//   generated/ipv6-ext        IPv6 transport with Hop-by-Hop and Destination Options headers
//   generated/dummy-tfc       dummy packet (Next Header 59) and TFC padding
//   published/<kat name>      every packet vector of the committed known-answer file
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "runner/vectors/vector_set.h"

namespace cts::vectors {

inline constexpr uint64_t kDefaultSeed = 20240101;

struct GenerateOptions {
  uint64_t seed = kDefaultSeed;
  std::string known_answers;  // path of the known-answer file to convert (published/)
  std::string tool_version;   // recorded in provenance
};

bool generate_vectors(const GenerateOptions& options, std::vector<VectorData>& out, std::string& error);

}  // namespace cts::vectors
