// A label's bundle material as a case keeps it between the ADD that made it and the steps that
// use it again. A capacity fill adds a million labels that differ in little more than their SPIs
// and keys, and uses a handful of them again; a whole MaterialBundle (vectors of SAs and keys)
// cost about 300 bytes and five allocations each. So the fields labels share (directions,
// addresses, algorithms, key lengths, key-block layout) are kept once per distinct shape, and a
// label keeps its shape's number, its SPIs and the seed its keys derive from (derived_key):
// 24 bytes, no allocation. Material that does not pack (keys from a vector, more than two SAs)
// is kept whole by the caller.
#pragma once

#include <array>
#include <cstdint>
#include <optional>
#include <string>
#include <unordered_map>
#include <vector>

#include "runner/core/bundle_material.h"

namespace cts::core {

struct PackedMaterial {
  uint32_t shape = 0;
  std::array<uint32_t, 2> spi{};
  uint64_t key_seed = 0;
};

class MaterialShapes {
 public:
  // The packed form of `m`, its shape recorded; nothing when it cannot be packed.
  std::optional<PackedMaterial> pack(const MaterialBundle& m);
  // The material `pack` was given, named `label`.
  MaterialBundle unpack(const PackedMaterial& p, const std::string& label) const;
  size_t size() const { return shapes_.size(); }

 private:
  std::vector<MaterialBundle> shapes_;  // label empty, SPIs 0, keys zero bytes of their lengths
  std::unordered_map<std::string, uint32_t> by_key_;
};

}  // namespace cts::core
