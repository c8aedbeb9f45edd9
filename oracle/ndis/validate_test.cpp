// One test per validation rule of validate_add_element / validate_update_request /
// check_capabilities, named or commented with the requirement id it covers. Statuses per OQ-04.
#include "oracle/ndis/validate.h"

#include <gtest/gtest.h>

#include "oracle/ndis/test_requests.h"

namespace cts::ndis {
namespace {

using testing::esp_cbc_sha1;
using testing::esp_gcm_esn;
using testing::esp_then_ah;
using testing::key_bytes;

const ValidationOptions kWithSalt{};

DecodeError rejection(const AddSaElement& e, const ValidationOptions& o = kWithSalt,
                      uint32_t index = 3) {
  auto r = validate_add_element(e, index, o);
  const auto* err = std::get_if<DecodeError>(&r);
  return err ? *err : DecodeError{0, 0, "<accepted>", "", 0};
}

BundleSpec accepted(const AddSaElement& e, const ValidationOptions& o = kWithSalt) {
  auto r = validate_add_element(e, 0, o);
  if (const auto* err = std::get_if<DecodeError>(&r)) {
    ADD_FAILURE() << "rejected: " << err->field << ": " << err->message;
    return {};
  }
  return std::get<BundleSpec>(r);
}

void expect_invalid(const AddSaElement& e, const std::string& field,
                    NdisStatus status = NDIS_STATUS_INVALID_DATA) {
  const DecodeError err = rejection(e);
  EXPECT_EQ(err.status, status) << err.field << ": " << err.message;
  EXPECT_EQ(err.field, field) << err.message;
  EXPECT_EQ(err.element, 3u);  // the element index is carried through
  EXPECT_FALSE(err.message.empty());
}

// ------------------------------------------------------------------ accepted bundles

TEST(Validate, EspCbcSha1BundleIsAcceptedWithKeysCopied) {  // ADD-017, ADD-018, ADD-020
  const BundleSpec b = accepted(esp_cbc_sha1());
  EXPECT_FALSE(b.inbound);
  EXPECT_FALSE(b.ipv6);
  ASSERT_EQ(b.num_ext_hdrs, 1u);
  const SaSpec& sa = b.sas[0];
  EXPECT_EQ(sa.spi, 0x12345678u);
  EXPECT_EQ(sa.encryption_algorithm, IPSEC_OFFLOAD_V2_ENCRYPTION_AES_CBC_128);
  EXPECT_EQ(sa.authentication_algorithm, IPSEC_OFFLOAD_V2_AUTHENTICATION_SHA_1);
  EXPECT_EQ(sa.icv_length, 12);  // HMAC-SHA-1-96 (RFC 2404)
  EXPECT_EQ(sa.keys.encryption_key_length, 16);
  EXPECT_EQ(sa.keys.encryption_key[15], 15);
  EXPECT_EQ(sa.keys.authentication_key_length, 20);
  EXPECT_EQ(sa.keys.authentication_key[0], 16);  // KeyOffsetBytes 16
  EXPECT_FALSE(sa.keys.has_salt);
}

TEST(Validate, GcmKeyAndSaltAreSplitOq07) {  // ADD-021, ADD-022, OQ-07
  const BundleSpec b = accepted(esp_gcm_esn());
  EXPECT_TRUE(b.inbound);
  EXPECT_TRUE(b.ipv6);
  const SaSpec& sa = b.sas[0];
  EXPECT_TRUE(sa.esn);
  EXPECT_EQ(sa.sequence_number_high_order, 5u);
  EXPECT_EQ(sa.icv_length, 16);
  EXPECT_EQ(sa.keys.encryption_key_length, 16);
  EXPECT_EQ(sa.keys.encryption_key[0], 0x40);
  ASSERT_TRUE(sa.keys.has_salt);
  EXPECT_EQ(sa.keys.salt[0], 0x50);  // bytes 16..19 of the key block
  EXPECT_EQ(sa.keys.salt[3], 0x53);
}

TEST(Validate, GcmKeyWithoutSaltConventionOq07) {
  AddSaElement e = esp_gcm_esn();
  ValidationOptions no_salt;
  no_salt.gcm_key_includes_salt = false;
  EXPECT_EQ(rejection(e, no_salt).field, "SecAssoc[0].EncryptionAlgorithm.KeyLength");
  e.sec_assoc[0].encryption.key_length = 16;
  e.key_data.resize(16);
  auto r = validate_add_element(e, 0, no_salt);
  ASSERT_TRUE(std::holds_alternative<BundleSpec>(r));
  EXPECT_FALSE(std::get<BundleSpec>(r).sas[0].keys.has_salt);
}

TEST(Validate, EspThenAhBundleAcceptsEncryptionOnlyEsp) {  // ADD-010, ADD-011, OQ-09
  const BundleSpec b = accepted(esp_then_ah());
  ASSERT_EQ(b.num_ext_hdrs, 2u);
  EXPECT_EQ(b.sas[0].operation, IPsecOffloadV2Esp);
  EXPECT_EQ(b.sas[0].icv_length, 0);
  EXPECT_EQ(b.sas[1].operation, IPsecOffloadV2Ah);
  EXPECT_EQ(b.sas[1].icv_length, 16);  // HMAC-SHA-256-128 (RFC 4868)
  EXPECT_EQ(b.sas[1].keys.authentication_key[0], 0x80);
}

TEST(Validate, EspNullWithAuthenticationIsAccepted) {  // OQ-08: ENCRYPTION_NONE = ESP-NULL
  AddSaElement e = esp_cbc_sha1();
  e.sec_assoc[0].encryption = {IPSEC_OFFLOAD_V2_ENCRYPTION_NONE, 0, 0, 0};
  e.sec_assoc[0].authentication = {IPSEC_OFFLOAD_V2_AUTHENTICATION_MD5, 16, 0, 0};
  e.key_data = key_bytes(16, 1);
  const BundleSpec b = accepted(e);
  EXPECT_EQ(b.sas[0].encryption_algorithm, IPSEC_OFFLOAD_V2_ENCRYPTION_NONE);
  EXPECT_EQ(b.sas[0].keys.encryption_key_length, 0);
}

TEST(Validate, GmacWithNullEncryptionIsAccepted) {  // RFC 4543 ENCR_NULL_AUTH_AES_GMAC
  AddSaElement e = esp_cbc_sha1();
  e.sec_assoc[0].encryption = {};
  e.sec_assoc[0].authentication = {IPSEC_OFFLOAD_V2_AUTHENTICATION_AES_GCM_256, 36, 0, 16};
  e.key_data = key_bytes(36, 0);
  const BundleSpec b = accepted(e);
  EXPECT_EQ(b.sas[0].icv_length, 16);
  EXPECT_EQ(b.sas[0].keys.authentication_key_length, 32);
  EXPECT_TRUE(b.sas[0].keys.has_salt);
  EXPECT_EQ(b.sas[0].keys.salt[0], 32);
}

TEST(Validate, UdpEspTransportBundleIsAccepted) {  // ADD-016, OQ-20
  AddSaElement e = esp_cbc_sha1();
  e.udp_esp_encapsulation = IPSEC_OFFLOAD_V2_UDP_ESP_ENCAPSULATION_TRANSPORT;
  EXPECT_EQ(accepted(e).udp_esp_encapsulation, 1u);
}

// ------------------------------------------------------------------ one rejection per rule

TEST(Validate, Add012_013_UndefinedFlagBitsRejected) {
  AddSaElement e = esp_cbc_sha1();
  e.flags = 0x2;  // the IPv6 bit is 0x10, not 0x2 (IPSEC_OFFLOAD_V2 flags)
  expect_invalid(e, "Flags");
}

TEST(Validate, Add010_NumExtHdrsOutsideOneOrTwoRejected) {
  for (uint32_t n : {0u, 3u, 0xFFFFFFFFu}) {
    AddSaElement e = esp_cbc_sha1();
    e.num_ext_hdrs = n;
    expect_invalid(e, "NumExtHdrs");
  }
}

TEST(Validate, Add024_OperationOutsideAhEspRejected) {
  for (uint32_t op : {0u, IPsecOffloadV2Max, 7u}) {
    AddSaElement e = esp_cbc_sha1();
    e.sec_assoc[0].operation = op;
    expect_invalid(e, "SecAssoc[0].Operation");
  }
}

TEST(Validate, Add011_TwoSasMustBeEspThenAh) {
  AddSaElement e = esp_then_ah();
  std::swap(e.sec_assoc[0], e.sec_assoc[1]);  // AH then ESP
  expect_invalid(e, "SecAssoc[0].Operation");
  AddSaElement two_esp = esp_then_ah();
  two_esp.sec_assoc[1] = esp_cbc_sha1().sec_assoc[0];
  two_esp.sec_assoc[1].authentication.key_offset_bytes = 0;
  expect_invalid(two_esp, "SecAssoc[1].Operation");
}

TEST(Validate, Add023_SecAssocFlagsOnlyEsn) {
  AddSaElement e = esp_cbc_sha1();
  e.sec_assoc[0].flags = 0x2;
  expect_invalid(e, "SecAssoc[0].Flags");
}

TEST(Validate, Esp002_SpiZeroRejected) {
  AddSaElement e = esp_cbc_sha1();
  e.sec_assoc[0].spi = 0;
  expect_invalid(e, "SecAssoc[0].Spi");
  AddSaElement ah = esp_then_ah();
  ah.sec_assoc[1].spi = 0;
  expect_invalid(ah, "SecAssoc[1].Spi");
}

TEST(Validate, Add025_IdentifiersMustBeSingleDefinedConstants) {
  AddSaElement e = esp_cbc_sha1();
  e.sec_assoc[0].authentication.identifier = 0x3;  // two bits
  expect_invalid(e, "SecAssoc[0].AuthenticationAlgorithm.Identifier");
  e = esp_cbc_sha1();
  e.sec_assoc[0].authentication.identifier = 0x40;  // undefined bit
  expect_invalid(e, "SecAssoc[0].AuthenticationAlgorithm.Identifier");
  e = esp_cbc_sha1();
  e.sec_assoc[0].encryption.identifier = 0x200;
  expect_invalid(e, "SecAssoc[0].EncryptionAlgorithm.Identifier");
  e = esp_cbc_sha1();
  e.sec_assoc[0].encryption.identifier = 0x41;
  expect_invalid(e, "SecAssoc[0].EncryptionAlgorithm.Identifier");
}

TEST(Validate, Add019_AhNeedsAuthenticationAlgorithm) {
  AddSaElement e = esp_then_ah();
  e.sec_assoc[1].authentication = {};
  expect_invalid(e, "SecAssoc[1].AuthenticationAlgorithm.Identifier");
}

TEST(Validate, Add019_AhEncryptionAlgorithmAllZero) {
  AddSaElement e = esp_then_ah();
  e.sec_assoc[1].encryption.additional_info = 1;  // any non-zero field
  expect_invalid(e, "SecAssoc[1].EncryptionAlgorithm");
}

TEST(Validate, Add020_EspNeedsAnAlgorithm) {
  AddSaElement e = esp_cbc_sha1();
  e.sec_assoc[0].authentication = {};
  e.sec_assoc[0].encryption = {};
  expect_invalid(e, "SecAssoc[0]");
}

TEST(Validate, Add021_GcmWithSeparateAuthenticationRejected) {
  AddSaElement e = esp_gcm_esn();
  e.sec_assoc[0].authentication = {IPSEC_OFFLOAD_V2_AUTHENTICATION_SHA_1, 0, 0, 0};
  expect_invalid(e, "SecAssoc[0].AuthenticationAlgorithm.Identifier");
}

TEST(Validate, Add021_GcmIgnoresUnusedAuthenticationKeyFields) {
  AddSaElement e = esp_gcm_esn();
  e.sec_assoc[0].authentication = {0, 99, 1234, 5};  // "not to be used": ignored
  EXPECT_EQ(accepted(e).sas[0].authentication_algorithm, 0u);
}

TEST(Validate, Add022_GcmIcvLengthMustBe8_12Or16) {
  for (uint32_t icv : {0u, 4u, 10u, 32u}) {
    AddSaElement e = esp_gcm_esn();
    e.sec_assoc[0].encryption.additional_info = icv;
    expect_invalid(e, "SecAssoc[0].EncryptionAlgorithm.AdditionalInfo");
  }
  for (uint32_t icv : {8u, 12u}) {
    AddSaElement e = esp_gcm_esn();
    e.sec_assoc[0].encryption.additional_info = icv;
    EXPECT_EQ(accepted(e).sas[0].icv_length, icv);
  }
}

TEST(Validate, GmacRequiresNullEncryption) {  // RFC 4543
  AddSaElement e = esp_cbc_sha1();
  e.sec_assoc[0].authentication = {IPSEC_OFFLOAD_V2_AUTHENTICATION_AES_GCM_128, 20, 16, 0};
  expect_invalid(e, "SecAssoc[0].EncryptionAlgorithm.Identifier");
}

TEST(Validate, GmacIcvLengthMustBe0Or16) {  // RFC 4543 §3
  AddSaElement e = esp_cbc_sha1();
  e.sec_assoc[0].encryption = {};
  e.sec_assoc[0].authentication = {IPSEC_OFFLOAD_V2_AUTHENTICATION_AES_GCM_128, 20, 0, 12};
  e.key_data = key_bytes(20, 0);
  expect_invalid(e, "SecAssoc[0].AuthenticationAlgorithm.AdditionalInfo");
}

TEST(Validate, Oq08_EspNullWithoutAuthenticationRejected) {
  AddSaElement e = esp_cbc_sha1();
  e.sec_assoc[0].authentication = {};
  e.sec_assoc[0].encryption = {IPSEC_OFFLOAD_V2_ENCRYPTION_NONE, 0, 0, 0};
  expect_invalid(e, "SecAssoc[0].AuthenticationAlgorithm.Identifier");
}

TEST(Validate, Oq09_EspEncryptionWithoutIntegrityIsNotSupported) {
  AddSaElement e = esp_cbc_sha1();
  e.sec_assoc[0].authentication = {};
  expect_invalid(e, "SecAssoc[0].AuthenticationAlgorithm.Identifier", NDIS_STATUS_NOT_SUPPORTED);
}

TEST(Validate, Oq08_UnusedAlgorithmWithKeyRejected) {
  AddSaElement e = esp_gcm_esn();
  e.sec_assoc[0].encryption.identifier = 0;  // ESP with nothing but a dangling key length
  e.sec_assoc[0].authentication = {IPSEC_OFFLOAD_V2_AUTHENTICATION_SHA_1, 20, 0, 0};
  expect_invalid(e, "SecAssoc[0].EncryptionAlgorithm.KeyLength");
}

TEST(Validate, KeyLengthPerAlgorithm) {  // RFC key sizes
  struct Case {
    uint32_t enc;
    uint32_t good;
  };
  for (const Case& c : {Case{IPSEC_OFFLOAD_V2_ENCRYPTION_DES_CBC, 8},
                        Case{IPSEC_OFFLOAD_V2_ENCRYPTION_3_DES_CBC, 24},
                        Case{IPSEC_OFFLOAD_V2_ENCRYPTION_AES_CBC_128, 16},
                        Case{IPSEC_OFFLOAD_V2_ENCRYPTION_AES_CBC_192, 24},
                        Case{IPSEC_OFFLOAD_V2_ENCRYPTION_AES_CBC_256, 32}}) {
    AddSaElement e = esp_cbc_sha1();
    e.sec_assoc[0].encryption = {c.enc, c.good, 0, 0};
    e.sec_assoc[0].authentication.key_offset_bytes = c.good;
    e.key_data = key_bytes(c.good + 20, 0);
    EXPECT_EQ(accepted(e).sas[0].keys.encryption_key_length, c.good) << c.enc;
    e.sec_assoc[0].encryption.key_length = c.good + 1;
    e.key_data.push_back(0);
    e.sec_assoc[0].authentication.key_offset_bytes = c.good + 1;
    expect_invalid(e, "SecAssoc[0].EncryptionAlgorithm.KeyLength");
  }
  for (const Case& c : {Case{IPSEC_OFFLOAD_V2_AUTHENTICATION_MD5, 16},
                        Case{IPSEC_OFFLOAD_V2_AUTHENTICATION_SHA_1, 20},
                        Case{IPSEC_OFFLOAD_V2_AUTHENTICATION_SHA_256, 32}}) {
    AddSaElement e = esp_cbc_sha1();
    e.sec_assoc[0].authentication = {c.enc, c.good, 16, 0};
    e.key_data = key_bytes(16 + c.good, 0);
    EXPECT_EQ(accepted(e).sas[0].keys.authentication_key_length, c.good) << c.enc;
    e.sec_assoc[0].authentication.key_length = c.good - 1;
    expect_invalid(e, "SecAssoc[0].AuthenticationAlgorithm.KeyLength");
  }
  for (uint32_t id : {IPSEC_OFFLOAD_V2_ENCRYPTION_AES_GCM_192, IPSEC_OFFLOAD_V2_ENCRYPTION_AES_GCM_256}) {
    const uint32_t key = id == IPSEC_OFFLOAD_V2_ENCRYPTION_AES_GCM_192 ? 28 : 36;
    AddSaElement e = esp_gcm_esn();
    e.sec_assoc[0].encryption = {id, key, 0, 16};
    e.key_data = key_bytes(key, 0);
    EXPECT_EQ(accepted(e).sas[0].keys.encryption_key_length, key - 4);
    e.sec_assoc[0].encryption.key_length = key - 4;  // salt missing under the default convention
    expect_invalid(e, "SecAssoc[0].EncryptionAlgorithm.KeyLength");
  }
}

TEST(Validate, Add017_KeyRangeOutsideKeyBlockRejected) {
  AddSaElement e = esp_cbc_sha1();
  e.sec_assoc[0].authentication.key_offset_bytes = 17;  // 17 + 20 > 36
  expect_invalid(e, "SecAssoc[0].AuthenticationAlgorithm.KeyOffsetBytes");
  e = esp_cbc_sha1();
  e.sec_assoc[0].encryption.key_offset_bytes = 0xFFFFFFF8u;  // no wrap-around
  expect_invalid(e, "SecAssoc[0].EncryptionAlgorithm.KeyOffsetBytes");
}

TEST(Validate, Add017_KeyLengthBeyondKeyBytesIsInvalidLength) {
  AddSaElement e = esp_cbc_sha1();
  e.key_length_override = 40;  // 36 bytes present
  expect_invalid(e, "KeyLength", NDIS_STATUS_INVALID_LENGTH);
}

TEST(Validate, Add018_OverlappingKeysRejected) {
  AddSaElement e = esp_cbc_sha1();
  e.sec_assoc[0].authentication.key_offset_bytes = 8;  // overlaps the AES key [0,16)
  expect_invalid(e, "SecAssoc[0].AuthenticationAlgorithm.KeyOffsetBytes");
}

TEST(Validate, Add016_Oq20_UdpEspZeroOrOneDefinedBit) {
  AddSaElement e = esp_cbc_sha1();
  e.udp_esp_encapsulation = 0x3;  // two types
  expect_invalid(e, "UdpEspEncapsulation");
  e.udp_esp_encapsulation = 0x10;  // v1 IPSEC_TPT_UDPESP_ENCAPTYPE_OTHER, not a v2 type
  expect_invalid(e, "UdpEspEncapsulation");
}

TEST(Validate, Add010_UdpEspBundleIsOneEspSa) {
  AddSaElement e = esp_then_ah();
  e.udp_esp_encapsulation = IPSEC_OFFLOAD_V2_UDP_ESP_ENCAPSULATION_TUNNEL;
  expect_invalid(e, "UdpEspEncapsulation");
}

TEST(Validate, SecondSaIgnoredWhenNumExtHdrsIsOne) {  // ADD-011: SecAssoc holds NumExtHdrs SAs
  AddSaElement e = esp_cbc_sha1();
  e.sec_assoc[1].operation = 99;
  EXPECT_EQ(accepted(e).num_ext_hdrs, 1u);
}

// ------------------------------------------------------------------ UPDATE_SA, capabilities

TEST(Validate, Upd005_UpdateThatCannotSelectAnSaIsInvalidParameter) {
  UpdateSaRequest u;
  u.offload_handle = 0x10;
  u.operation = IPsecOffloadV2Esp;
  u.spi = 0x1234;
  EXPECT_FALSE(validate_update_request(u).has_value());
  UpdateSaRequest null_handle = u;
  null_handle.offload_handle = 0;
  EXPECT_EQ(validate_update_request(null_handle)->field, "OffloadHandle");
  UpdateSaRequest bad_op = u;
  bad_op.operation = 3;
  EXPECT_EQ(validate_update_request(bad_op)->status, NDIS_STATUS_INVALID_PARAMETER);
  EXPECT_EQ(validate_update_request(bad_op)->field, "Operation");
  UpdateSaRequest spi0 = u;
  spi0.spi = 0;
  EXPECT_EQ(validate_update_request(spi0)->field, "Spi");
}

TEST(Validate, CapabilityFindings) {  // CAP-008, CAP-009, CAP-010, CAP-012, CAP-013
  IpsecOffloadV2Capabilities c;
  c.esp = true;
  c.tunnel = true;
  c.sa_offload_capacity = 16;
  c.authentication_algorithms = 0x7;
  c.encryption_algorithms = 0x41;
  EXPECT_TRUE(check_capabilities(c).empty());
  auto has = [](const std::vector<CapabilityFinding>& f, const char* req, bool error) {
    for (const auto& x : f) {
      if (x.requirement == req && x.error == error) return true;
    }
    return false;
  };
  IpsecOffloadV2Capabilities bad = c;
  bad.encapsulation = NDIS_ENCAPSULATION_NULL;
  EXPECT_TRUE(has(check_capabilities(bad), "CAP-008", true));
  bad = c;
  bad.tunnel = false;
  EXPECT_TRUE(has(check_capabilities(bad), "CAP-009", false));  // OQ-19: warning only
  bad = c;
  bad.sa_offload_capacity = 0;
  EXPECT_TRUE(has(check_capabilities(bad), "CAP-010", false));
  bad = c;
  bad.authentication_algorithms = 0x40;
  EXPECT_TRUE(has(check_capabilities(bad), "CAP-012", true));
  bad = c;
  bad.encryption_algorithms = 0x200;
  EXPECT_TRUE(has(check_capabilities(bad), "CAP-012", true));
  bad = c;
  bad.udp_esp = 0x10;
  EXPECT_TRUE(has(check_capabilities(bad), "CAP-013", true));
}

// ------------------------------------------------------------------ key hygiene

TEST(Validate, CleanseZeroesKeys) {
  BundleSpec b = accepted(esp_gcm_esn());
  SaKeys& k = b.sas[0].keys;
  ASSERT_NE(k.encryption_key[0], 0);
  cleanse(k);
  EXPECT_EQ(k.encryption_key, (std::array<uint8_t, 32>{}));
  EXPECT_EQ(k.authentication_key, (std::array<uint8_t, 32>{}));
  EXPECT_EQ(k.salt, (std::array<uint8_t, 4>{}));
  EXPECT_EQ(k.encryption_key_length, 0);
  EXPECT_FALSE(k.has_salt);
  uint8_t raw[5] = {1, 2, 3, 4, 5};
  cleanse(raw, sizeof raw);
  for (uint8_t v : raw) EXPECT_EQ(v, 0);
}

}  // namespace
}  // namespace cts::ndis
