// Semantic validation of one ADD_SA / ADD_SA_EX element (ADD-010..025, OQ-04,
// OQ-07..09, OQ-20) into a BundleSpec with the keys copied inline. Device-dependent judgements
// (advertised algorithms, capacity, SPI range) belong to the SA model, not here.
#include "oracle/ndis/validate.h"

#include <optional>
#include <string>

#include "oracle/ndis/algorithms.h"

namespace cts::ndis {
namespace {

bool single_bit(uint32_t v) { return v != 0 && (v & (v - 1)) == 0; }

std::string hex(uint32_t v) {
  static constexpr char digits[] = "0123456789ABCDEF";
  std::string s = "0x";
  bool started = false;
  for (int shift = 28; shift >= 0; shift -= 4) {
    const uint32_t d = (v >> shift) & 0xF;
    if (d != 0 || started || shift == 0) {
      s.push_back(digits[d]);
      started = true;
    }
  }
  return s;
}

DecodeError reject(NdisStatus status, uint32_t element, std::string field, std::string message) {
  DecodeError e;
  e.status = status;
  e.element = element;
  e.field = std::move(field);
  e.message = std::move(message);
  return e;
}

DecodeError invalid(uint32_t element, std::string field, std::string message) {
  return reject(NDIS_STATUS_INVALID_DATA, element, std::move(field), std::move(message));
}

bool all_zero(const AlgorithmInfo& a) {
  return a.identifier == 0 && a.key_length == 0 && a.key_offset_bytes == 0 &&
         a.additional_info == 0;
}

// Checks one ALGORITHM_INFO in use: key length for the algorithm and key range inside the key
// block (ADD-017, ADDEX-007).
std::optional<DecodeError> check_key(const AlgorithmInfo& a, const AlgorithmFacts& facts,
                                     uint32_t element, const std::string& path,
                                     size_t key_block_length, const ValidationOptions& options) {
  const uint32_t expected = ndis::key_block_length(facts, options.gcm_key_includes_salt);
  if (a.key_length != expected) {
    std::string why = std::string(facts.name) + " needs a " + std::to_string(expected) + "-byte key";
    if (facts.aes_gcm) {
      why += options.gcm_key_includes_salt ? " (AES key followed by the 4-byte salt, OQ-07)"
                                           : " (AES key only, salt not carried, OQ-07)";
    }
    return invalid(element, path + ".KeyLength",
                   path + ".KeyLength is " + std::to_string(a.key_length) + "; " + why);
  }
  if (a.key_length == 0) return std::nullopt;  // ESP-NULL: no key, KeyOffsetBytes unused
  const uint64_t end = static_cast<uint64_t>(a.key_offset_bytes) + a.key_length;
  if (end > key_block_length) {
    return invalid(element, path + ".KeyOffsetBytes",
                   "key bytes [" + std::to_string(a.key_offset_bytes) + ", " +
                       std::to_string(end) + ") lie outside the " +
                       std::to_string(key_block_length) + "-byte key block (ADD-017, ADDEX-007)");
  }
  return std::nullopt;
}

// Copies one key out of the block, splitting the trailing salt off AES-GCM/GMAC keys (OQ-07).
void extract_key(const AlgorithmInfo& a, const AlgorithmFacts& facts, const AddSaElement& element,
                 const ValidationOptions& options, std::array<uint8_t, 32>& key, uint8_t& key_length,
                 SaKeys& keys) {
  const size_t base = a.key_offset_bytes;
  for (size_t i = 0; i < facts.key_length; ++i) key[i] = element.key_data[base + i];
  key_length = facts.key_length;
  if (facts.aes_gcm && options.gcm_key_includes_salt) {
    for (size_t i = 0; i < 4; ++i) keys.salt[i] = element.key_data[base + facts.key_length + i];
    keys.has_salt = true;
  }
}

}  // namespace

Decoded<BundleSpec> validate_add_element(const AddSaElement& element, uint32_t element_index,
                                         const ValidationOptions& options) {
  const uint32_t idx = element_index;
  // ADD-012 / ADD-013: INBOUND (0x1) and IPv6 (0x10) are the only defined bits.
  constexpr uint32_t kDefinedFlags = IPSEC_OFFLOAD_V2_INBOUND | IPSEC_OFFLOAD_V2_IPv6;
  if ((element.flags & ~kDefinedFlags) != 0) {
    return invalid(idx, "Flags",
                   "Flags " + hex(element.flags) + " has undefined bits " +
                       hex(element.flags & ~kDefinedFlags) +
                       "; only IPSEC_OFFLOAD_V2_INBOUND (0x1) and IPSEC_OFFLOAD_V2_IPv6 (0x10) "
                       "exist (ADD-012, ADD-013)");
  }
  // ADD-010: one SA, or two for AH plus ESP.
  if (element.num_ext_hdrs != 1 && element.num_ext_hdrs != 2) {
    return invalid(idx, "NumExtHdrs",
                   "NumExtHdrs is " + std::to_string(element.num_ext_hdrs) +
                       "; a bundle holds 1 or 2 SAs (IPSEC_OFFLOAD_V2_MAX_EXTENSION_HEADERS, "
                       "ADD-010)");
  }
  const uint32_t count = element.num_ext_hdrs;
  // ADD-024: Operation is IPsecOffloadV2Ah (1) or IPsecOffloadV2Esp (2).
  for (uint32_t i = 0; i < count; ++i) {
    const uint32_t op = element.sec_assoc[i].operation;
    if (op != IPsecOffloadV2Ah && op != IPsecOffloadV2Esp) {
      return invalid(idx, "SecAssoc[" + std::to_string(i) + "].Operation",
                     "Operation is " + std::to_string(op) +
                         "; only IPsecOffloadV2Ah (1) and IPsecOffloadV2Esp (2) are defined "
                         "(ADD-024)");
    }
  }
  // ADD-011: the only two-SA combination is ESP followed by AH.
  if (count == 2) {
    if (element.sec_assoc[0].operation != IPsecOffloadV2Esp) {
      return invalid(idx, "SecAssoc[0].Operation",
                     "a two-SA bundle is ESP followed by AH; SecAssoc[0] is AH (ADD-011)");
    }
    if (element.sec_assoc[1].operation != IPsecOffloadV2Ah) {
      return invalid(idx, "SecAssoc[1].Operation",
                     "a two-SA bundle is ESP followed by AH; SecAssoc[1] is ESP (ADD-011)");
    }
  }
  // ADD-016, OQ-20: 0 or exactly one defined v2 UDP-ESP type; UDP-ESP bundles are one ESP SA
  // (ADD-010).
  const uint32_t udp = element.udp_esp_encapsulation;
  if (udp != 0) {
    if (!single_bit(udp) || (udp & ~IPSEC_OFFLOAD_V2_UDP_ESP_ALL) != 0) {
      return invalid(idx, "UdpEspEncapsulation",
                     "UdpEspEncapsulation " + hex(udp) +
                         " is not 0 or exactly one IPSEC_OFFLOAD_V2_UDP_ESP_* type (0x1, 0x2, "
                         "0x4, 0x8) (ADD-016, OQ-20)");
    }
    if (count != 1 || element.sec_assoc[0].operation != IPsecOffloadV2Esp) {
      return invalid(idx, "UdpEspEncapsulation",
                     "a UDP-ESP bundle holds exactly one ESP SA (NumExtHdrs 1, ADD-010)");
    }
  }
  // The key block: KeyData[KeyLength] (ADD_SA) or the block at KeyOffset (ADD_SA_EX).
  const size_t block_length = element.key_length_override.value_or(
      static_cast<uint32_t>(element.key_data.size()));
  if (block_length > element.key_data.size()) {
    return reject(NDIS_STATUS_INVALID_LENGTH, idx, "KeyLength",
                  "KeyLength " + std::to_string(block_length) + " exceeds the " +
                      std::to_string(element.key_data.size()) + " key bytes present (ADD-017)");
  }

  BundleSpec spec;
  spec.inbound = (element.flags & IPSEC_OFFLOAD_V2_INBOUND) != 0;
  spec.ipv6 = (element.flags & IPSEC_OFFLOAD_V2_IPv6) != 0;
  spec.endpoints = element.endpoints;
  spec.udp_esp_encapsulation = udp;
  spec.num_ext_hdrs = count;

  for (uint32_t i = 0; i < count; ++i) {
    const SecurityAssociation& sa = element.sec_assoc[i];
    const std::string p = "SecAssoc[" + std::to_string(i) + "]";
    const std::string auth_path = p + ".AuthenticationAlgorithm";
    const std::string enc_path = p + ".EncryptionAlgorithm";
    const bool is_ah = sa.operation == IPsecOffloadV2Ah;

    // ADD-023: SecAssoc.Flags is 0 or IPSEC_OFFLOAD_V2_ESN_SA.
    if ((sa.flags & ~IPSEC_OFFLOAD_V2_ESN_SA) != 0) {
      return invalid(idx, p + ".Flags",
                     p + ".Flags " + hex(sa.flags) +
                         " has bits other than IPSEC_OFFLOAD_V2_ESN_SA (0x1) (ADD-023)");
    }
    // ESP-002 (RFC 4303 §2.1): SPI 0 is reserved for local use and never sent; the same rule
    // holds for AH (RFC 4302 §2.4).
    if (sa.spi == 0) {
      return invalid(idx, p + ".Spi", "Spi is 0, a reserved value that is never transmitted "
                                      "(RFC 4303 §2.1, ESP-002)");
    }
    // ADD-025 (structural part): an identifier is 0 (not used, OQ-08) or one defined constant.
    const uint32_t auth_id = sa.authentication.identifier;
    const uint32_t enc_id = sa.encryption.identifier;
    const AlgorithmFacts* auth = authentication_facts(auth_id);
    const AlgorithmFacts* enc = encryption_facts(enc_id);
    if (auth_id != 0 && auth == nullptr) {
      return invalid(idx, auth_path + ".Identifier",
                     "Identifier " + hex(auth_id) +
                         " is not a single IPSEC_OFFLOAD_V2_AUTHENTICATION_* constant (ADD-025)");
    }
    if (enc_id != 0 && enc == nullptr) {
      return invalid(idx, enc_path + ".Identifier",
                     "Identifier " + hex(enc_id) +
                         " is not a single IPSEC_OFFLOAD_V2_ENCRYPTION_* constant (ADD-025)");
    }
    const bool gcm = enc != nullptr && enc->aes_gcm;
    const bool gmac = auth != nullptr && auth->aes_gcm;

    if (is_ah) {
      // ADD-019: AH carries its algorithm in AuthenticationAlgorithm; EncryptionAlgorithm is zero.
      if (auth == nullptr) {
        return invalid(idx, auth_path + ".Identifier",
                       "an AH SA needs an authentication algorithm (ADD-019)");
      }
      if (!all_zero(sa.encryption)) {
        return invalid(idx, enc_path,
                       "EncryptionAlgorithm of an AH SA must be all zero (ADD-019)");
      }
    } else {
      // ADD-020: ESP has an authentication algorithm, an encryption algorithm, or both.
      if (auth == nullptr && enc == nullptr) {
        return invalid(idx, p,
                       "an ESP SA needs an authentication algorithm, an encryption algorithm or "
                       "both; both Identifiers are 0 (ADD-020)");
      }
      if (gcm) {
        // ADD-021: combined mode: only EncryptionAlgorithm is filled; a separate integrity
        // algorithm is meaningless (RFC 4106 §8.2). Its other fields are "not used" and ignored.
        if (auth_id != 0) {
          return invalid(idx, auth_path + ".Identifier",
                         std::string(enc->name) + " is combined mode; AuthenticationAlgorithm "
                                                  "must not name an algorithm (ADD-021)");
        }
        // ADD-022, OQ-07: AdditionalInfo is the ICV length in bytes, 8, 12 or 16 (RFC 4106 §6).
        const uint32_t icv = sa.encryption.additional_info;
        if (icv != 8 && icv != 12 && icv != 16) {
          return invalid(idx, enc_path + ".AdditionalInfo",
                         "AdditionalInfo (ICV length) is " + std::to_string(icv) +
                             "; AES-GCM allows 8, 12 or 16 bytes (ADD-022, OQ-07)");
        }
      }
      if (gmac && enc_id != 0 && enc_id != IPSEC_OFFLOAD_V2_ENCRYPTION_NONE) {
        // RFC 4543: AES-GMAC is integrity only (ENCR_NULL_AUTH_AES_GMAC).
        return invalid(idx, enc_path + ".Identifier",
                       std::string(auth->name) +
                           " is integrity only (RFC 4543); EncryptionAlgorithm must be "
                           "IPSEC_OFFLOAD_V2_ENCRYPTION_NONE or 0");
      }
      if (auth == nullptr && enc_id == IPSEC_OFFLOAD_V2_ENCRYPTION_NONE) {
        // OQ-08: ENCRYPTION_NONE is ESP-NULL, which requires authentication (RFC 4303 §3.2,
        // RFC 2410: NULL encryption with no integrity MUST NOT be configured).
        return invalid(idx, auth_path + ".Identifier",
                       "IPSEC_OFFLOAD_V2_ENCRYPTION_NONE (ESP-NULL) needs an authentication "
                       "algorithm (RFC 4303 §3.2, OQ-08)");
      }
      if (auth == nullptr && !gcm && count == 1) {
        // OQ-09: ESP without integrity only for combined-mode algorithms. In an ESP+AH bundle
        // (count 2) the AH SA provides the integrity, so encryption-only ESP is accepted there.
        return reject(NDIS_STATUS_NOT_SUPPORTED, idx, auth_path + ".Identifier",
                      std::string(enc->name) +
                          " without an authentication algorithm leaves packets unauthenticated; "
                          "ESP without integrity is supported only for AES-GCM (OQ-09)");
      }
    }
    if (gmac && sa.authentication.additional_info != 0 && sa.authentication.additional_info != 16) {
      // RFC 4543 §3: the AES-GMAC ICV is 16 bytes; 0 = default.
      return invalid(idx, auth_path + ".AdditionalInfo",
                     "AdditionalInfo (ICV length) is " +
                         std::to_string(sa.authentication.additional_info) +
                         "; AES-GMAC uses a 16-byte ICV (RFC 4543 §3), give 0 or 16");
    }
    // OQ-08: an ALGORITHM_INFO that is not used has no key. (GCM's AuthenticationAlgorithm is
    // "not to be used" at all, ADD-021, and is ignored.)
    if (auth == nullptr && !gcm && sa.authentication.key_length != 0) {
      return invalid(idx, auth_path + ".KeyLength",
                     "KeyLength is " + std::to_string(sa.authentication.key_length) +
                         " but Identifier is 0 (not used, OQ-08)");
    }
    if (enc == nullptr && sa.encryption.key_length != 0) {
      return invalid(idx, enc_path + ".KeyLength",
                     "KeyLength is " + std::to_string(sa.encryption.key_length) +
                         " but Identifier is 0 (not used, OQ-08)");
    }
    // Key lengths per algorithm and key ranges inside the key block (ADD-017, ADDEX-007).
    if (auth != nullptr) {
      if (auto e = check_key(sa.authentication, *auth, idx, auth_path, block_length, options)) {
        return *e;
      }
    }
    if (enc != nullptr) {
      if (auto e = check_key(sa.encryption, *enc, idx, enc_path, block_length, options)) {
        return *e;
      }
    }
    // ADD-018: with both algorithms, the two keys are present one after the other.
    if (auth != nullptr && enc != nullptr && sa.authentication.key_length != 0 &&
        sa.encryption.key_length != 0) {
      const uint64_t a0 = sa.authentication.key_offset_bytes;
      const uint64_t a1 = a0 + sa.authentication.key_length;
      const uint64_t e0 = sa.encryption.key_offset_bytes;
      const uint64_t e1 = e0 + sa.encryption.key_length;
      if (a0 < e1 && e0 < a1) {
        return invalid(idx, auth_path + ".KeyOffsetBytes",
                       "authentication key [" + std::to_string(a0) + ", " + std::to_string(a1) +
                           ") overlaps encryption key [" + std::to_string(e0) + ", " +
                           std::to_string(e1) + "); the two keys follow one another (ADD-018)");
      }
    }

    SaSpec& out = spec.sas[i];
    out.operation = sa.operation;
    out.spi = sa.spi;
    out.authentication_algorithm = auth != nullptr ? auth_id : 0;
    out.encryption_algorithm = enc != nullptr ? enc_id : 0;
    out.esn = (sa.flags & IPSEC_OFFLOAD_V2_ESN_SA) != 0;
    out.sequence_number_high_order = sa.sequence_number_high_order;
    if (gcm) {
      out.icv_length = static_cast<uint8_t>(sa.encryption.additional_info);
    } else if (auth != nullptr) {
      out.icv_length = auth->icv_length;
    }
    if (enc != nullptr && enc->key_length != 0) {
      extract_key(sa.encryption, *enc, element, options, out.keys.encryption_key,
                  out.keys.encryption_key_length, out.keys);
    }
    if (auth != nullptr) {
      extract_key(sa.authentication, *auth, element, options, out.keys.authentication_key,
                  out.keys.authentication_key_length, out.keys);
    }
  }
  return spec;
}

std::optional<DecodeError> validate_update_request(const UpdateSaRequest& request) {
  if (request.offload_handle == 0) {
    return reject(NDIS_STATUS_INVALID_PARAMETER, 0, "OffloadHandle",
                  "OffloadHandle is NULL; an add never returns NULL for a bundle (OQ-22, UPD-006)");
  }
  if (request.operation != IPsecOffloadV2Ah && request.operation != IPsecOffloadV2Esp) {
    return reject(NDIS_STATUS_INVALID_PARAMETER, 0, "Operation",
                  "Operation is " + std::to_string(request.operation) +
                      "; only IPsecOffloadV2Ah (1) or IPsecOffloadV2Esp (2) can select an SA "
                      "(OQ-11, UPD-005)");
  }
  if (request.spi == 0) {
    return reject(NDIS_STATUS_INVALID_PARAMETER, 0, "Spi",
                  "Spi is 0, which no SA can have (RFC 4303 §2.1); no SA matches (OQ-11, UPD-005)");
  }
  return std::nullopt;
}

}  // namespace cts::ndis
