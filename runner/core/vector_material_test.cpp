#include "runner/core/vector_material.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <stdexcept>

#include "oracle/ndis/constants.h"

namespace cts::core {
namespace {

cases::BundleDef vector_bundle(const std::string& vector, const std::string& sa) {
  cases::BundleDef def;
  def.path = "steps[0].sas[0]";
  def.inbound = true;
  def.vector = vector;
  def.vector_sa_id = sa;
  return def;
}

// Expected values: draft-mcgrew-gcm-test-01 test case 2 as transcribed in the committed sidecar.
TEST(VectorMaterial, PublishedGcmSaBecomesAnAddElement) {
  const MaterialBundle b =
      material_from_vector(vector_bundle("published/mcgrew-gcm-test-02-gcm128", "sa"), "in", true);
  EXPECT_EQ(b.label, "in");
  EXPECT_TRUE(b.inbound);
  EXPECT_EQ(b.ip_version, 4);
  EXPECT_EQ(b.dst[0], 192);
  EXPECT_EQ(b.dst[3], 2);
  ASSERT_EQ(b.sas.size(), 1u);
  const MaterialSa& m = b.sas[0];
  EXPECT_EQ(m.spi, 0xa5f8u);
  EXPECT_EQ(m.encryption, ndis::IPSEC_OFFLOAD_V2_ENCRYPTION_AES_GCM_128);
  EXPECT_EQ(m.authentication, 0u);
  EXPECT_EQ(m.icv_length, 16u);
  const std::vector<uint8_t> key = {0xfe, 0xff, 0xe9, 0x92, 0x86, 0x65, 0x73, 0x1c, 0x6d, 0x6a,
                                    0x8f, 0x94, 0x67, 0x30, 0x83, 0x08, 0xca, 0xfe, 0xba, 0xbe};
  EXPECT_EQ(m.encryption_key, key);  // AES key then salt (OQ-07)
  EXPECT_FALSE(m.esn);
}

TEST(VectorMaterial, EsnHighHalfIsTheSidecarsInitialOne) {
  const MaterialBundle b = material_from_vector(vector_bundle("generated/esn-wrap-gcm", "esn"), "in", true);
  ASSERT_EQ(b.sas.size(), 1u);
  EXPECT_TRUE(b.sas[0].esn);
  EXPECT_EQ(b.sas[0].seq_high, 0u);  // initial_sequence 0x00000000fffffff0
  EXPECT_EQ(b.sas[0].spi, 0x1000u);
}

TEST(VectorMaterial, RefusalsNameTheBundle) {
  EXPECT_THROW(material_from_vector(vector_bundle("generated/esn-wrap-gcm", "nope"), "in", true),
               std::runtime_error);
  EXPECT_THROW(material_from_vector(vector_bundle("no/such/vector", "sa"), "in", true), std::runtime_error);
  try {
    // Without a salt in the key block (OQ-07) the vector's salt cannot reach the device.
    material_from_vector(vector_bundle("published/mcgrew-gcm-test-02-gcm128", "sa"), "in", false);
    FAIL() << "accepted";
  } catch (const std::runtime_error& e) {
    EXPECT_NE(std::string(e.what()).find("steps[0].sas[0].vector_sa"), std::string::npos) << e.what();
  }
}

TEST(VectorMaterial, RecordDatagram) {
  std::vector<uint8_t> d;
  std::string error;
  ASSERT_TRUE(vector_datagram("published/mcgrew-gcm-test-02-gcm128", 0, d, error)) << error;
  ASSERT_GE(d.size(), 28u);
  EXPECT_EQ(d[0], 0x45);  // IPv4, no options
  EXPECT_EQ(d[9], 50);    // ESP
  EXPECT_EQ(static_cast<size_t>(d[2] << 8 | d[3]), d.size());
  const std::vector<uint8_t> spi_seq = {0x00, 0x00, 0xa5, 0xf8, 0x00, 0x00, 0x00, 0x0a};
  EXPECT_TRUE(std::equal(spi_seq.begin(), spi_seq.end(), d.begin() + 20));
  EXPECT_FALSE(vector_datagram("published/mcgrew-gcm-test-02-gcm128", 1, d, error));
  EXPECT_NE(error.find("no record 1"), std::string::npos) << error;
}

}  // namespace
}  // namespace cts::core
