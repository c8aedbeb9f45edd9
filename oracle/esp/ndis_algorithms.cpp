#include "oracle/esp/ndis_algorithms.h"

#include "oracle/ndis/constants.h"

namespace cts::esp {
namespace {

using namespace cts::ndis;

struct EncryptionRow {
  uint32_t identifier;
  EspEncryption cipher;
};
constexpr EncryptionRow kEncryption[] = {
    {IPSEC_OFFLOAD_V2_ENCRYPTION_NONE, EspEncryption::null},
    {IPSEC_OFFLOAD_V2_ENCRYPTION_DES_CBC, EspEncryption::des_cbc},
    {IPSEC_OFFLOAD_V2_ENCRYPTION_3_DES_CBC, EspEncryption::des3_cbc},
    {IPSEC_OFFLOAD_V2_ENCRYPTION_AES_GCM_128, EspEncryption::aes_128_gcm},
    {IPSEC_OFFLOAD_V2_ENCRYPTION_AES_GCM_192, EspEncryption::aes_192_gcm},
    {IPSEC_OFFLOAD_V2_ENCRYPTION_AES_GCM_256, EspEncryption::aes_256_gcm},
    {IPSEC_OFFLOAD_V2_ENCRYPTION_AES_CBC_128, EspEncryption::aes_128_cbc},
    {IPSEC_OFFLOAD_V2_ENCRYPTION_AES_CBC_192, EspEncryption::aes_192_cbc},
    {IPSEC_OFFLOAD_V2_ENCRYPTION_AES_CBC_256, EspEncryption::aes_256_cbc},
};

// An authentication identifier is an HMAC integrity or an AES-GMAC transform of ESP, and an
// algorithm of AH either way.
struct AuthenticationRow {
  uint32_t identifier;
  std::optional<EspIntegrity> hmac;
  std::optional<EspEncryption> gmac;
  AhAlgorithm ah;
};
const AuthenticationRow kAuthentication[] = {
    {IPSEC_OFFLOAD_V2_AUTHENTICATION_MD5, EspIntegrity::hmac_md5_96, std::nullopt, AhAlgorithm::hmac_md5_96},
    {IPSEC_OFFLOAD_V2_AUTHENTICATION_SHA_1, EspIntegrity::hmac_sha1_96, std::nullopt, AhAlgorithm::hmac_sha1_96},
    {IPSEC_OFFLOAD_V2_AUTHENTICATION_SHA_256, EspIntegrity::hmac_sha256_128, std::nullopt,
     AhAlgorithm::hmac_sha256_128},
    {IPSEC_OFFLOAD_V2_AUTHENTICATION_AES_GCM_128, std::nullopt, EspEncryption::aes_128_gmac, AhAlgorithm::aes_128_gmac},
    {IPSEC_OFFLOAD_V2_AUTHENTICATION_AES_GCM_192, std::nullopt, EspEncryption::aes_192_gmac, AhAlgorithm::aes_192_gmac},
    {IPSEC_OFFLOAD_V2_AUTHENTICATION_AES_GCM_256, std::nullopt, EspEncryption::aes_256_gmac, AhAlgorithm::aes_256_gmac},
};

const AuthenticationRow* authentication_row(uint32_t identifier) {
  for (const auto& r : kAuthentication)
    if (r.identifier == identifier) return &r;
  return nullptr;
}

}  // namespace

std::optional<EspEncryption> esp_encryption_of_ndis(uint32_t encryption_identifier) {
  for (const auto& r : kEncryption)
    if (r.identifier == encryption_identifier) return r.cipher;
  return std::nullopt;
}

std::optional<EspIntegrity> esp_integrity_of_ndis(uint32_t authentication_identifier) {
  const AuthenticationRow* r = authentication_row(authentication_identifier);
  return r ? r->hmac : std::nullopt;
}

std::optional<EspEncryption> esp_gmac_of_ndis(uint32_t authentication_identifier) {
  const AuthenticationRow* r = authentication_row(authentication_identifier);
  return r ? r->gmac : std::nullopt;
}

std::optional<AhAlgorithm> ah_algorithm_of_ndis(uint32_t authentication_identifier) {
  const AuthenticationRow* r = authentication_row(authentication_identifier);
  return r ? std::optional<AhAlgorithm>(r->ah) : std::nullopt;
}

std::optional<NdisIdentifiers> ndis_identifiers_of(const EspSuite& suite) {
  NdisIdentifiers out;
  if (is_gmac(suite.encryption)) {
    out.encryption = IPSEC_OFFLOAD_V2_ENCRYPTION_NONE;
    for (const auto& r : kAuthentication)
      if (r.gmac == suite.encryption) out.authentication = r.identifier;
    return out;
  }
  for (const auto& r : kEncryption)
    if (r.cipher == suite.encryption) out.encryption = r.identifier;
  if (out.encryption == 0) return std::nullopt;
  if (is_gcm(suite.encryption) || suite.integrity == EspIntegrity::none) return out;
  for (const auto& r : kAuthentication)
    if (r.hmac == suite.integrity) out.authentication = r.identifier;
  if (out.authentication == 0) return std::nullopt;
  return out;
}

}  // namespace cts::esp
