// Known answers in oracle terms: the suite a published vector names, and the conversion of its
// packets into pcap + sidecar vectors (vectors/published/), provenance recorded per vector.
#pragma once

#include <string>
#include <vector>

#include "oracle/esp/esp_sa.h"
#include "runner/vectors/known_answer_file.h"
#include "runner/vectors/vector_set.h"

namespace cts::vectors {

// "AES-GCM" + 128 bits + ICV 16 -> aes-128-gcm; "NULL" + "HMAC-SHA-256-128" -> null-hmac-sha256.
bool kat_suite(const KnownAnswer& v, esp::EspSuite& out, std::string& why);

// The ESP bytes (SPI..ICV) of a packet vector, and its full IP datagram when the vector has one.
// Vectors that publish only SPI..ICV get a synthetic outer IPv4 header (192.0.2.1 -> 192.0.2.2),
// which their sidecar says.
bool kat_datagram(const KnownAnswer& v, std::vector<uint8_t>& datagram, bool& synthetic_header, std::string& why);

// One vector per packet vector of the file (+ one per replay scenario), name "published/<name>".
bool published_vectors(const std::string& kat_path, const std::string& tool_version, std::vector<VectorData>& out,
                       std::string& error);

}  // namespace cts::vectors
