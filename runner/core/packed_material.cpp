#include "runner/core/packed_material.h"

#include <cstring>

namespace cts::core {

namespace {

// Packing names every field of MaterialSa and MaterialBundle: one added there must be added to
// shape_key and unpack too, else a label would lose it between its ADD and its traffic.
static_assert(sizeof(MaterialSa) == 80 && sizeof(MaterialBundle) == 136,
              "MaterialSa or MaterialBundle changed: update MaterialShapes (packed_material.cpp)");

template <typename T>
void put(std::string& out, const T& v) {
  char b[sizeof(T)];
  std::memcpy(b, &v, sizeof(T));
  out.append(b, sizeof(T));
}

// Every field of the bundle except its label, SPIs, key bytes and key seed.
std::string shape_key(const MaterialBundle& m) {
  std::string k;
  k.reserve(96);
  put(k, m.inbound);
  put(k, m.ip_version);
  put(k, m.src);
  put(k, m.dst);
  put(k, m.udp_esp);
  put(k, m.keys.key_offset.has_value());
  put(k, m.keys.key_offset.value_or(0));
  put(k, m.keys.authentication_first);
  put(k, m.keys.lead);
  put(k, m.keys.gap);
  put(k, m.keys.tail);
  put(k, m.sas.size());
  for (const MaterialSa& sa : m.sas) {
    put(k, sa.operation);
    put(k, sa.encryption);
    put(k, sa.authentication);
    put(k, sa.encryption_key.size());
    put(k, sa.authentication_key.size());
    put(k, sa.icv_length);
    put(k, sa.esn);
    put(k, sa.seq_high);
  }
  return k;
}

}  // namespace

std::optional<PackedMaterial> MaterialShapes::pack(const MaterialBundle& m) {
  if (m.key_seed == 0 || m.sas.empty() || m.sas.size() > 2) return std::nullopt;
  PackedMaterial p;
  p.key_seed = m.key_seed;
  for (size_t i = 0; i < m.sas.size(); ++i) p.spi[i] = m.sas[i].spi;
  auto [it, fresh] = by_key_.try_emplace(shape_key(m), static_cast<uint32_t>(shapes_.size()));
  if (fresh) {
    MaterialBundle shape = m;
    shape.label.clear();
    shape.key_seed = 0;
    for (MaterialSa& sa : shape.sas) {
      sa.spi = 0;
      std::fill(sa.encryption_key.begin(), sa.encryption_key.end(), uint8_t{0});
      std::fill(sa.authentication_key.begin(), sa.authentication_key.end(), uint8_t{0});
    }
    shapes_.push_back(std::move(shape));
  }
  p.shape = it->second;
  return p;
}

MaterialBundle MaterialShapes::unpack(const PackedMaterial& p, const std::string& label) const {
  MaterialBundle m = shapes_.at(p.shape);
  m.label = label;
  m.key_seed = p.key_seed;
  for (size_t i = 0; i < m.sas.size(); ++i) {
    MaterialSa& sa = m.sas[i];
    sa.spi = p.spi[i];
    sa.encryption_key = derived_key(p.key_seed, static_cast<unsigned>(2 * i), sa.encryption_key.size());
    sa.authentication_key = derived_key(p.key_seed, static_cast<unsigned>(2 * i + 1), sa.authentication_key.size());
  }
  return m;
}

}  // namespace cts::core
