#include "oracle/esp/iv_history.h"

#include <algorithm>

namespace cts::esp {

std::optional<uint64_t> IvHistory::record(crypto::ByteView iv, uint64_t sequence) {
  Iv key;
  key.length = static_cast<uint8_t>(std::min(iv.size(), key.bytes.size()));
  std::copy_n(iv.begin(), key.length, key.bytes.begin());
  const auto [it, fresh] = first_.emplace(key, sequence);
  if (fresh) return std::nullopt;
  return it->second;
}

}  // namespace cts::esp
