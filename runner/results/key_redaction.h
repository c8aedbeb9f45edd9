// Keys out of everything a run keeps: results.json, the journal, JUnit, the HTML report and the
// console all come from the redacted CaseResult, unless the user asked for keys (--show-keys).
//
// The runner knows the keys it drew for a case (the material of each bundle it added); a key can
// still reach a result through any text: the request hex of an ADD step's evidence, a frame of a
// device that leaks a key onto the wire, a device's own error message quoting the buffer it got.
// So every string of the result is searched for every key, as hex in either case:
//   - inside a hex string (evidence buffers, frames, a decoded KeyData) the key's digits become
//     zeros, so the buffer still decodes, and the step's note says so;
//   - inside any other text the key becomes "[key redacted]".
// Keys shorter than kMinRedactedKeyBytes (malformed-length cases only) are not searched for alone:
// two or three bytes occur by chance in any buffer. The runner hands them over in context instead
// (add_in_context: the request bytes around the key block it wrote them in), so they are zeroed
// where it put them, in the request of either side, and nowhere else.
#pragma once

#include <cstddef>
#include <cstdint>
#include <span>
#include <string>
#include <unordered_map>
#include <vector>

#include <nlohmann/json.hpp>

#include "runner/results/results_model.h"

namespace cts::results {

inline constexpr size_t kMinRedactedKeyBytes = 4;

class KeyRedactor {
 public:
  // Remembers a key (a repeat of one already known is ignored). Storage is flat: a capacity fill
  // of a million bundles costs tens of MB here, not a million allocations.
  void add(std::span<const uint8_t> key);
  // Remembers `context` (at least kMinRedactedKeyBytes long) and redacts only its bytes
  // [key_at, key_at + key_length) where it occurs: a short key with the bytes around it.
  void add_in_context(std::span<const uint8_t> context, size_t key_at, size_t key_length);
  size_t size() const { return offsets_.size(); }

  // Redacts every key in the case's error, findings and evidence; returns how many occurrences.
  size_t redact(CaseResult& result) const;
  // One text.
  size_t redact(std::string& text) const;

 private:
  size_t redact_json(nlohmann::json& value) const;
  std::span<const uint8_t> key(size_t i) const;

  std::vector<uint8_t> bytes_;
  std::vector<std::pair<uint32_t, uint32_t>> offsets_;  // {offset, length} into bytes_
  std::vector<std::pair<uint32_t, uint32_t>> secret_;   // per entry: {from, length} of it to redact
  // First four key bytes (big-endian) -> keys that start with them.
  std::unordered_multimap<uint32_t, uint32_t> by_prefix_;
};

}  // namespace cts::results
