#include "oracle/esp/nic_sa_config.h"

#include <array>
#include <vector>

#include "oracle/crypto/secret_bytes.h"
#include "oracle/esp/ndis_algorithms.h"
#include "oracle/ndis/constants.h"

namespace cts::esp {
namespace {

using namespace cts::ndis;

bool gmac_of(uint32_t auth_id, EspEncryption& out) {
  const auto g = esp_gmac_of_ndis(auth_id);
  if (g) out = *g;
  return g.has_value();
}

bool hmac_of(uint32_t auth_id, EspIntegrity& out) {
  const auto h = auth_id == 0 ? std::optional<EspIntegrity>(EspIntegrity::none) : esp_integrity_of_ndis(auth_id);
  if (h) out = *h;
  return h.has_value();
}

bool cipher_of(uint32_t enc_id, EspEncryption& out) {
  const auto c = esp_encryption_of_ndis(enc_id);
  if (c) out = *c;
  return c.has_value();
}

// key ‖ salt (OQ-07); the salt is zero when the profile's convention carries none.
void key_and_salt(const std::array<uint8_t, 32>& key, uint8_t key_length, const SaKeys& keys,
                  crypto::SecretBytes& out) {
  std::array<uint8_t, 36> block{};
  size_t n = 0;
  for (size_t i = 0; i < key_length && i < key.size(); ++i) block[n++] = key[i];
  for (size_t i = 0; i < 4; ++i) block[n++] = keys.has_salt ? keys.salt[i] : 0;
  out.assign(crypto::ByteView(block.data(), n));
  crypto::cleanse(crypto::MutableBytes(block.data(), block.size()));
}

}  // namespace

EspStatus esp_config_from_sa(const SaSpec& sa, EspSaConfig& out) {
  if (sa.operation != IPsecOffloadV2Esp) {
    return EspStatus::fail(EspVerdict::invalid_argument, "NIC SA: Operation is not ESP");
  }
  EspSaConfig c;
  c.spi = sa.spi;
  c.allow_spi_zero = true;
  c.esn = sa.esn;
  c.anti_replay = false;  // RECV-015: replay is the transport's business
  // ADD-023: SequenceNumberHighOrder means something only with ESN; a 32-bit SA ignores it (OQ-CTS-4).
  c.initial_sequence = sa.esn ? static_cast<uint64_t>(sa.sequence_number_high_order) << 32 : 0u;
  c.salt_convention = SaltConvention::appended_to_key;
  EspEncryption gmac{};
  if (gmac_of(sa.authentication_algorithm, gmac)) {
    // RFC 4543 ENCR_NULL_AUTH_AES_GMAC: the key travels in AuthenticationAlgorithm.
    if (sa.encryption_algorithm != 0 && sa.encryption_algorithm != IPSEC_OFFLOAD_V2_ENCRYPTION_NONE) {
      return EspStatus::fail(EspVerdict::invalid_argument, "NIC SA: AES-GMAC with an encryption algorithm");
    }
    c.suite.encryption = gmac;
    c.suite.integrity = EspIntegrity::none;
    key_and_salt(sa.keys.authentication_key, sa.keys.authentication_key_length, sa.keys,
                 c.encryption_key);
  } else {
    EspEncryption enc{};
    if (sa.encryption_algorithm == 0) {
      enc = EspEncryption::null;  // OQ-08: Identifier 0 = not used; ESP-NULL with integrity
    } else if (!cipher_of(sa.encryption_algorithm, enc)) {
      return EspStatus::fail(EspVerdict::invalid_argument, "NIC SA: unknown encryption identifier");
    }
    EspIntegrity integ{};
    if (!hmac_of(is_gcm(enc) ? 0u : sa.authentication_algorithm, integ)) {
      return EspStatus::fail(EspVerdict::invalid_argument, "NIC SA: unknown authentication identifier");
    }
    c.suite.encryption = enc;
    c.suite.integrity = integ;
    if (is_gcm(enc)) {
      c.suite.gcm_icv_size = sa.icv_length == 0 ? 16 : sa.icv_length;  // ADD-022
      key_and_salt(sa.keys.encryption_key, sa.keys.encryption_key_length, sa.keys, c.encryption_key);
    } else if (enc != EspEncryption::null) {
      c.encryption_key.assign(
          crypto::ByteView(sa.keys.encryption_key.data(), sa.keys.encryption_key_length));
    }
    if (integ != EspIntegrity::none) {
      c.integrity_key.assign(crypto::ByteView(sa.keys.authentication_key.data(),
                                              sa.keys.authentication_key_length));
    }
  }
  out = std::move(c);
  return EspStatus::success();
}

EspStatus ah_config_from_sa(const SaSpec& sa, AhSaConfig& out) {
  if (sa.operation != IPsecOffloadV2Ah) {
    return EspStatus::fail(EspVerdict::invalid_argument, "NIC SA: Operation is not AH");
  }
  AhSaConfig c;
  c.spi = sa.spi;
  c.esn = sa.esn;
  c.anti_replay = false;
  c.initial_sequence = sa.esn ? static_cast<uint64_t>(sa.sequence_number_high_order) << 32 : 0u;  // OQ-CTS-4
  const auto algorithm = ah_algorithm_of_ndis(sa.authentication_algorithm);
  if (!algorithm) return EspStatus::fail(EspVerdict::invalid_argument, "NIC SA: AH needs an authentication algorithm");
  c.algorithm = *algorithm;
  if (is_gmac(c.algorithm)) {
    key_and_salt(sa.keys.authentication_key, sa.keys.authentication_key_length, sa.keys, c.key);
  } else {
    c.key.assign(crypto::ByteView(sa.keys.authentication_key.data(), sa.keys.authentication_key_length));
  }
  out = std::move(c);
  return EspStatus::success();
}

}  // namespace cts::esp
