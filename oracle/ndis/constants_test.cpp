// Names and inverse lookups of the NDIS constants. Expected values typed from the WDK headers.
#include <gtest/gtest.h>

#include "oracle/ndis/constants.h"

namespace cts::ndis {
namespace {

TEST(Constants, ValuesMatchSpecSection2) {
  EXPECT_EQ(OID_TCP_TASK_IPSEC_OFFLOAD_V2_ADD_SA, 0xFC030202u);
  EXPECT_EQ(OID_TCP_TASK_IPSEC_OFFLOAD_V2_ADD_SA_EX, 0xFC030205u);
  EXPECT_EQ(IPSEC_OFFLOAD_V2_IPv6, 0x10u);  // 2.3: 0x10, not 0x2
  EXPECT_EQ(IPSEC_OFFLOAD_V2_ENCRYPTION_AES_CBC_256, 0x100u);
  EXPECT_EQ(NDIS_STATUS_INVALID_LENGTH, 0xC0010014u);  // 2.10: not the 0xC0230014 twin
  EXPECT_EQ(NDIS_STATUS_INVALID_OID, 0xC0010017u);
  EXPECT_EQ(NDIS_STATUS_SEND_ABORTED, 0xC023000Cu);
  EXPECT_TRUE(ndis_failed(NDIS_STATUS_RESOURCES));
  EXPECT_FALSE(ndis_failed(NDIS_STATUS_PENDING));
  EXPECT_FALSE(ndis_failed(NDIS_STATUS_BUFFER_OVERFLOW));  // warning class, not an error
}

TEST(Constants, NamesOfKnownValues) {
  EXPECT_EQ(ndis_status_name(0xC000009Au), "NDIS_STATUS_RESOURCES");
  EXPECT_EQ(ndis_status_name(0xC0010015u), "NDIS_STATUS_INVALID_DATA");
  EXPECT_EQ(ndis_status_name(0xC023002Cu), "NDIS_STATUS_UNSUPPORTED_REVISION");
  EXPECT_EQ(oid_name(0xFC030203u), "OID_TCP_TASK_IPSEC_OFFLOAD_V2_DELETE_SA");
  EXPECT_EQ(oid_name(0xFC010202u), "OID_TCP_TASK_IPSEC_ADD_SA");
  EXPECT_EQ(crypto_status_name(7), "CRYPTO_INVALID_PROTOCOL");
  EXPECT_EQ(operation_name(1), "IPsecOffloadV2Ah");
  EXPECT_EQ(operation_name(2), "IPsecOffloadV2Esp");
  EXPECT_EQ(authentication_algorithm_name(0x20), "IPSEC_OFFLOAD_V2_AUTHENTICATION_AES_GCM_256");
  EXPECT_EQ(encryption_algorithm_name(0x1), "IPSEC_OFFLOAD_V2_ENCRYPTION_NONE");
  EXPECT_EQ(encryption_algorithm_name(0x80), "IPSEC_OFFLOAD_V2_ENCRYPTION_AES_CBC_192");
  EXPECT_EQ(udp_esp_encapsulation_name(0x4),
            "IPSEC_OFFLOAD_V2_TRANSPORT_OVER_UDP_ESP_ENCAPSULATION_TUNNEL");
  EXPECT_EQ(object_type_name(0xA7), "NDIS_OBJECT_TYPE_OFFLOAD");
}

TEST(Constants, UnknownValuesHaveEmptyNames) {
  EXPECT_TRUE(ndis_status_name(0x12345678u).empty());
  EXPECT_TRUE(oid_name(0).empty());
  EXPECT_TRUE(crypto_status_name(8).empty());
  EXPECT_TRUE(operation_name(0).empty());
  EXPECT_TRUE(authentication_algorithm_name(0x3).empty());  // two bits: not one constant
  EXPECT_TRUE(encryption_algorithm_name(0x200).empty());
  EXPECT_TRUE(udp_esp_encapsulation_name(0x10).empty());  // a v1 value
}

TEST(Constants, InverseLookupsAcceptFullAndShortNames) {
  uint32_t v = 0;
  ASSERT_TRUE(oid_from_name("ADD_SA", v));
  EXPECT_EQ(v, 0xFC030202u);
  ASSERT_TRUE(oid_from_name("OID_TCP_TASK_IPSEC_OFFLOAD_V2_ADD_SA_EX", v));
  EXPECT_EQ(v, 0xFC030205u);
  ASSERT_TRUE(oid_from_name("UPDATE_SA", v));
  EXPECT_EQ(v, 0xFC030204u);
  NdisStatus s = 0;
  ASSERT_TRUE(ndis_status_from_name("NDIS_STATUS_NOT_SUPPORTED", s));
  EXPECT_EQ(s, 0xC00000BBu);
  ASSERT_TRUE(ndis_status_from_name("INVALID_PARAMETER", s));
  EXPECT_EQ(s, 0xC000000Du);
  ASSERT_TRUE(authentication_algorithm_from_name("SHA_256", v));
  EXPECT_EQ(v, 0x4u);
  ASSERT_TRUE(encryption_algorithm_from_name("IPSEC_OFFLOAD_V2_ENCRYPTION_3_DES_CBC", v));
  EXPECT_EQ(v, 0x4u);
  ASSERT_TRUE(encryption_algorithm_from_name("AES_GCM_192", v));
  EXPECT_EQ(v, 0x10u);
  ASSERT_TRUE(operation_from_name("ESP", v));
  EXPECT_EQ(v, 2u);
  ASSERT_TRUE(udp_esp_encapsulation_from_name("TUNNEL", v));
  EXPECT_EQ(v, 0x2u);
}

TEST(Constants, InverseLookupsRejectUnknownNames) {
  uint32_t v = 0;
  NdisStatus s = 0;
  EXPECT_FALSE(oid_from_name("", v));
  EXPECT_FALSE(oid_from_name("add_sa", v));  // exact match only
  EXPECT_FALSE(ndis_status_from_name("NDIS_STATUS_NO_SUCH", s));
  EXPECT_FALSE(authentication_algorithm_from_name("SHA_512", v));
  EXPECT_FALSE(encryption_algorithm_from_name("", v));
}

TEST(Constants, EveryNamedValueRoundTrips) {
  for (uint32_t bit = 1; bit <= 0x100; bit <<= 1) {
    uint32_t v = 0;
    const auto name = encryption_algorithm_name(bit);
    ASSERT_FALSE(name.empty()) << bit;
    ASSERT_TRUE(encryption_algorithm_from_name(name, v));
    EXPECT_EQ(v, bit);
  }
  for (uint32_t bit = 1; bit <= 0x20; bit <<= 1) {
    uint32_t v = 0;
    const auto name = authentication_algorithm_name(bit);
    ASSERT_FALSE(name.empty()) << bit;
    ASSERT_TRUE(authentication_algorithm_from_name(name, v));
    EXPECT_EQ(v, bit);
  }
}

}  // namespace
}  // namespace cts::ndis
