// The JSON sidecar of a vector: which SAs protect the packets of the pcap beside it, what the
// receiver must conclude for each packet and which requirement each packet exercises, and where
// the vector comes from. Schema: vectors/schema/sidecar.schema.json (schema_version 1).
//
// The loader is strict in the Wycheproof / BoringSSL sense: a field nobody reads is an error, so
// a typo can never turn a check into a no-op. Every error names the file and the JSON path.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "oracle/esp/esp_sa.h"
#include "oracle/esp/verdict.h"

namespace cts::vectors {

inline constexpr int kSidecarSchemaVersion = 1;

// What the receiver concludes for one packet of a capture. The names are the sidecar's
// vocabulary ("ok", "bad-icv", ...); each maps onto one oracle class (esp::EspVerdict).
enum class PacketVerdict : uint8_t {
  ok,              // authenticated, decrypted, trailer valid, delivered
  bad_icv,         // BAD_ICV (also a wrong ESN high half)
  replay,          // REPLAY: duplicate inside the window
  outside_window,  // OUT_OF_WINDOW: left of the window, or sequence 0 on a 32-bit SA
  bad_padding,     // MALFORMED_PADDING
  unknown_spi,     // UNKNOWN_SPI
  truncated,       // TRUNCATED / MALFORMED_LENGTH, or a record cut by the capture's snap length
  dummy,           // Next Header 59 after a good ICV: dropped silently, not an error
  fragment,        // FRAGMENT: offered to ESP while still a fragment
  policy_mismatch, // inner packet outside the SA's selectors
  udp_keepalive,   // NAT-keepalive on port 4500 (not an error)
  ike,             // non-ESP marker on port 4500 (not an error)
  malformed,       // IP header syntax the oracle refuses (bad IHL, option, extension chain...)
  not_esp,         // the record holds no ESP packet at all (ARP, plain IP, ...)
};

const char* verdict_label(PacketVerdict v);  // "ok", "bad-icv", "outside-window", ...
bool verdict_from_label(const std::string& label, PacketVerdict& out);
PacketVerdict from_esp_verdict(esp::EspVerdict v);

enum class SaDirection : uint8_t { inbound, outbound };
enum class SaMode : uint8_t { transport, tunnel };

struct UdpEncap {
  uint16_t source_port = 4500;
  uint16_t destination_port = 4500;
  // The receiver's handling of a zero UDP checksum over IPv6 (docs/decisions.md, OQ-ESP-1):
  // accepted unless the sidecar says "discard".
  bool discard_ipv6_zero_checksum = false;
};

// One SA as the capture's receiver holds it. Keys are hex in the file and live here as octets.
struct SidecarSa {
  std::string id;
  uint32_t spi = 0;
  SaDirection direction = SaDirection::inbound;  // seen from the host that captured
  SaMode mode = SaMode::transport;
  uint8_t ip_version = 4;    // outer header family
  std::string source;        // outer source address (tunnel endpoint or transport host)
  std::string destination;   // outer destination address
  std::optional<UdpEncap> udp_encap;  // RFC 3948
  esp::EspSuite suite;       // oracle canonical name in the file ("aes-128-gcm", ...)
  std::vector<uint8_t> encryption_key;  // AES/DES key, salt excluded
  std::vector<uint8_t> salt;            // GCM/GMAC: 4 octets (RFC 4106 §8.1)
  std::vector<uint8_t> integrity_key;   // HMAC key
  bool esn = false;
  uint64_t initial_sequence = 0;  // receiver's T before the first packet (ESN: high half in force)
  bool anti_replay = true;
  uint32_t replay_window = 64;
};

// One record of the pcap and what must come of it.
struct SidecarPacket {
  uint64_t index = 0;
  std::string sa;                 // id of the SA the packet was built for
  uint64_t sequence = 0;          // full sequence number the sender used (64-bit when ESN)
  std::optional<uint32_t> esn_high;  // ESN SAs: the high half the receiver must infer and use
  PacketVerdict expect = PacketVerdict::ok;
  std::optional<uint8_t> inner_protocol;  // ESP Next Header of an accepted packet (4, 41, 6, 17...)
  std::vector<std::string> requirements;  // catalogue ids: GCM-004, ESN-005, REPLAY-006...
  std::vector<std::string> flags;         // how it was derived: corrupt-icv, duplicate, ...
  std::optional<uint64_t> twin_of;        // index of the packet a negative twin was derived from
  std::string comment;
};

struct ProvenanceSource {
  std::string vector;            // name in the known-answer file
  std::string document;
  std::string section;
  std::string transcribed_from;
  std::string file;              // repo-relative copy of the known-answer file
};

struct Provenance {
  std::string kind;              // "generated" or "published"
  std::string tool;              // "ipsec-cts vectors generate"
  std::string tool_version;
  std::optional<uint64_t> seed;  // generated vectors
  std::vector<ProvenanceSource> sources;  // published vectors
};

struct Sidecar {
  int schema_version = kSidecarSchemaVersion;
  std::string name;
  std::string description;
  Provenance provenance;
  std::string link_type = "ethernet";  // of the pcap: "ethernet" or "raw"
  std::vector<SidecarSa> sas;
  std::vector<SidecarPacket> packets;  // empty: no expectation, every packet must be ok

  const SidecarSa* find_sa(const std::string& id) const;
};

// Strict loader. On failure returns false and sets `error` to "FILE: $.sas[0].suite: reason".
// Checks beyond the schema: unique SA ids and SPIs per destination, packet indexes 0..n-1 in
// order, references to SA ids and twins that resolve, key sizes that fit the suite, esn_high
// only on ESN SAs, requirement ids well formed.
bool load_sidecar(const std::string& path, Sidecar& out, std::string& error);
bool parse_sidecar(const std::string& text, const std::string& origin, Sidecar& out, std::string& error);

// Canonical text (two-space indent, fixed field order, trailing newline): what `generate` writes.
std::string sidecar_to_json(const Sidecar& sidecar);

// Builds the oracle's SA configuration (keys copied into SecretBytes).
esp::EspSaConfig to_esp_config(const SidecarSa& sa);

}  // namespace cts::vectors
