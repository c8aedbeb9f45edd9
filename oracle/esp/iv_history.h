// The IVs sent under one key, for the uniqueness rules of RFC 4106 §3.1 / RFC 4543 §3.1 (a GCM
// or GMAC nonce never repeats under a key) and RFC 3602 §3 (CBC IVs are unpredictable, so do not
// repeat either). Both send judges (the oracle's SendJudge and the runner's wire judge) keep one
// per key they see.
#pragma once

#include <array>
#include <compare>
#include <cstdint>
#include <map>
#include <optional>

#include "oracle/crypto/bytes.h"

namespace cts::esp {

class IvHistory {
 public:
  // Records `iv` (at most 16 octets) as sent with `sequence`. Nothing when it is new; when it
  // was sent before, the sequence number that first carried it.
  std::optional<uint64_t> record(crypto::ByteView iv, uint64_t sequence);
  size_t size() const { return first_.size(); }

 private:
  struct Iv {
    std::array<uint8_t, 16> bytes{};
    uint8_t length = 0;
    auto operator<=>(const Iv&) const = default;
  };
  std::map<Iv, uint64_t> first_;
};

}  // namespace cts::esp
