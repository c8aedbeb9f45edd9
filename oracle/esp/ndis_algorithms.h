// The NDIS algorithm identifiers (ndis.h 2.5) as the transforms of the ESP and AH cores, both
// ways, from one table: the NIC model, the send judge, the runner's host side and the vector
// material all map through here. AES-GMAC travels in AuthenticationAlgorithm but is a combined
// ESP transform (RFC 4543 ENCR_NULL_AUTH_AES_GMAC), so it maps to an EspEncryption.
#pragma once

#include <cstdint>
#include <optional>

#include "oracle/esp/ah_sa.h"
#include "oracle/esp/esp_sa.h"

namespace cts::esp {

// IPSEC_OFFLOAD_V2_ENCRYPTION_* -> cipher (ENCRYPTION_NONE -> null). Nothing for 0 or any other value.
std::optional<EspEncryption> esp_encryption_of_ndis(uint32_t encryption_identifier);
// IPSEC_OFFLOAD_V2_AUTHENTICATION_* HMAC identifiers -> ESP integrity. Nothing for AES-GMAC, 0 or
// any other value.
std::optional<EspIntegrity> esp_integrity_of_ndis(uint32_t authentication_identifier);
// IPSEC_OFFLOAD_V2_AUTHENTICATION_AES_GCM_* -> the AES-GMAC transform; nothing for the others.
std::optional<EspEncryption> esp_gmac_of_ndis(uint32_t authentication_identifier);
// Any IPSEC_OFFLOAD_V2_AUTHENTICATION_* -> the AH algorithm (ADD-019).
std::optional<AhAlgorithm> ah_algorithm_of_ndis(uint32_t authentication_identifier);

// The identifiers an ADD element states for an ESP suite: GCM in EncryptionAlgorithm with no
// authentication; AES-GMAC in AuthenticationAlgorithm with ENCRYPTION_NONE; a cipher with its HMAC
// (0: none). Nothing when a transform has no NDIS identifier (HMAC-SHA-384 / SHA-512).
struct NdisIdentifiers {
  uint32_t encryption = 0;
  uint32_t authentication = 0;
};
std::optional<NdisIdentifiers> ndis_identifiers_of(const EspSuite& suite);

}  // namespace cts::esp
