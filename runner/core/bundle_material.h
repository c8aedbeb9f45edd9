// A case's bundle description made concrete for one run: SPIs and lengths evaluated, addresses
// parsed, keys drawn from the case's seeded random stream. From it the runner builds the ADD
// element both the device and the oracle receive, and the host-side ESP configuration that
// protects receive traffic and judges send output with the same keys.
#pragma once

#include <array>
#include <cstdint>
#include <optional>
#include <random>
#include <string>
#include <vector>

#include "oracle/esp/esp_sa.h"
#include "oracle/ndis/model.h"
#include "runner/cases/case_model.h"
#include "runner/cases/expression.h"

namespace cts::core {

// The case's random stream: seeded from the run seed and the case id, so every case draws the
// same keys and payloads whatever ran before it, and a run is replayable (--seed).
class CaseRandom {
 public:
  CaseRandom(uint64_t run_seed, const std::string& case_id);
  std::vector<uint8_t> bytes(size_t n);
  uint64_t next() { return gen_(); }

 private:
  std::mt19937_64 gen_;
};

struct MaterialSa {
  uint32_t operation = 2;
  uint32_t spi = 0;
  uint32_t encryption = 0;      // NDIS identifier (0 = not used)
  uint32_t authentication = 0;
  std::vector<uint8_t> encryption_key;      // as placed in the key block (salt appended per OQ-07)
  std::vector<uint8_t> authentication_key;
  uint32_t icv_length = 16;     // GCM AdditionalInfo
  bool esn = false;
  uint32_t seq_high = 0;        // initial SequenceNumberHighOrder
};

// The key block's layout (cases::KeyBlockDef, evaluated).
struct KeyLayout {
  std::optional<uint32_t> key_offset;  // ADD_SA_EX KeyOffset; unset: right after the structure
  bool authentication_first = false;
  uint32_t lead = 0, gap = 0, tail = 0;
};

struct MaterialBundle {
  std::string label;
  bool inbound = false;
  int ip_version = 4;
  std::array<uint8_t, 16> src{};
  std::array<uint8_t, 16> dst{};
  uint32_t udp_esp = 0;
  std::vector<MaterialSa> sas;
  KeyLayout keys;
  // Set when every key of the bundle is derived_key(key_seed, ...) (make_material's random keys):
  // a label then keeps the seed, not the bytes (packed_material.h). 0: keys from elsewhere.
  uint64_t key_seed = 0;
};

// Default endpoints: this host is 192.0.2.1 / 2001:db8::1, its peer 198.51.100.2 / 2001:db8:1::2
// (documentation ranges). Outbound bundles go local -> peer, inbound peer -> local (ADD-014).
std::array<uint8_t, 16> default_local(int ip_version);
std::array<uint8_t, 16> default_peer(int ip_version);
// Parses "192.0.2.1" / "2001:db8::1"; nothing when malformed or of the other version.
std::optional<std::array<uint8_t, 16>> parse_address(const std::string& text, int ip_version);

// The bytes of key `which` of a bundle drawn from a seed of the case's stream (SA i's encryption
// key is 2i, its authentication key 2i + 1): the same seed gives the same bytes.
std::vector<uint8_t> derived_key(uint64_t seed, unsigned which, size_t length);

// Throws std::runtime_error naming the bundle's JSON path when an expression or address is bad.
MaterialBundle make_material(const cases::BundleDef& def, const cases::ExprEnv& env, CaseRandom& rng,
                             bool gcm_key_includes_salt);

// The logical ADD element: keys in SecAssoc order, each SA's encryption key first (ADD-017/018),
// unless the bundle's KeyLayout moves or reorders them (filler octets 0xC3 around them).
ndis::AddSaElement to_add_element(const MaterialBundle& bundle);

// Host-side ESP configuration for the bundle's ESP SA (nothing if it has none or its algorithms
// have no host transform). `seq_high` is the current high half, `initial_sequence_low` the low
// half the host counter starts from.
std::optional<esp::EspSaConfig> host_esp_config(const MaterialBundle& bundle, uint64_t initial_sequence,
                                                bool gcm_key_includes_salt, std::string& why_not);

// Index of the ESP SA in the bundle (SecAssoc order), if any.
std::optional<size_t> esp_index(const MaterialBundle& bundle);

}  // namespace cts::core
