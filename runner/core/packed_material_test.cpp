#include "runner/core/packed_material.h"

#include <gtest/gtest.h>

namespace cts::core {
namespace {

MaterialBundle bundle(uint32_t spi, uint64_t seed, bool with_ah) {
  MaterialBundle m;
  m.label = "in" + std::to_string(spi);
  m.inbound = true;
  m.ip_version = 6;
  m.src[0] = 0x20;
  m.dst[15] = 9;
  m.udp_esp = 1;
  m.keys.key_offset = 200;
  m.keys.gap = 3;
  m.key_seed = seed;
  MaterialSa esp;
  esp.spi = spi;
  esp.encryption = 0x40;
  esp.encryption_key = derived_key(seed, 0, 20);
  esp.authentication_key = derived_key(seed, 1, 0);
  esp.icv_length = 12;
  esp.esn = true;
  esp.seq_high = 7;
  m.sas.push_back(esp);
  if (with_ah) {
    MaterialSa ah;
    ah.operation = 1;
    ah.spi = spi + 1;
    ah.authentication = 4;
    ah.authentication_key = derived_key(seed, 3, 32);
    m.sas.push_back(ah);
  }
  return m;
}

void expect_same(const MaterialBundle& a, const MaterialBundle& b) {
  EXPECT_EQ(a.label, b.label);
  EXPECT_EQ(a.inbound, b.inbound);
  EXPECT_EQ(a.ip_version, b.ip_version);
  EXPECT_EQ(a.src, b.src);
  EXPECT_EQ(a.dst, b.dst);
  EXPECT_EQ(a.udp_esp, b.udp_esp);
  EXPECT_EQ(a.keys.key_offset, b.keys.key_offset);
  EXPECT_EQ(a.keys.gap, b.keys.gap);
  EXPECT_EQ(a.key_seed, b.key_seed);
  ASSERT_EQ(a.sas.size(), b.sas.size());
  for (size_t i = 0; i < a.sas.size(); ++i) {
    EXPECT_EQ(a.sas[i].operation, b.sas[i].operation);
    EXPECT_EQ(a.sas[i].spi, b.sas[i].spi);
    EXPECT_EQ(a.sas[i].encryption, b.sas[i].encryption);
    EXPECT_EQ(a.sas[i].authentication, b.sas[i].authentication);
    EXPECT_EQ(a.sas[i].encryption_key, b.sas[i].encryption_key);
    EXPECT_EQ(a.sas[i].authentication_key, b.sas[i].authentication_key);
    EXPECT_EQ(a.sas[i].icv_length, b.sas[i].icv_length);
    EXPECT_EQ(a.sas[i].esn, b.sas[i].esn);
    EXPECT_EQ(a.sas[i].seq_high, b.sas[i].seq_high);
  }
}

TEST(PackedMaterial, UnpacksToWhatWasPackedAndSharesShapes) {
  MaterialShapes shapes;
  std::vector<std::pair<PackedMaterial, MaterialBundle>> kept;
  for (uint32_t i = 0; i < 100; ++i) {
    MaterialBundle m = bundle(0x1000 + 2 * i, 0x1234567 + 2 * i + 1, i % 2 == 1);
    auto p = shapes.pack(m);
    ASSERT_TRUE(p);
    kept.emplace_back(*p, m);
  }
  EXPECT_EQ(shapes.size(), 2u);  // ESP-only and ESP + AH
  for (const auto& [p, m] : kept) expect_same(shapes.unpack(p, m.label), m);
}

TEST(PackedMaterial, KeysFromElsewhereOrTooManySasStayWhole) {
  MaterialShapes shapes;
  MaterialBundle from_vector = bundle(1, 0, false);
  from_vector.sas[0].encryption_key.assign(20, 0x11);
  EXPECT_FALSE(shapes.pack(from_vector));
  MaterialBundle three = bundle(1, 5, true);
  three.sas.push_back(three.sas[0]);
  EXPECT_FALSE(shapes.pack(three));
}

TEST(PackedMaterial, DerivedKeysDependOnSeedAndIndex) {
  EXPECT_EQ(derived_key(9, 0, 36), derived_key(9, 0, 36));
  EXPECT_NE(derived_key(9, 0, 16), derived_key(9, 1, 16));
  EXPECT_NE(derived_key(9, 0, 16), derived_key(11, 0, 16));
  EXPECT_EQ(derived_key(9, 2, 5).size(), 5u);
}

}  // namespace
}  // namespace cts::core
