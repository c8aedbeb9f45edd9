#include "oracle/ndis/algorithms.h"

#include "oracle/ndis/constants.h"

namespace cts::ndis {
namespace {

constexpr AlgorithmFacts kAuthentication[] = {
    {IPSEC_OFFLOAD_V2_AUTHENTICATION_MD5, "HMAC-MD5", 16, false, 12},
    {IPSEC_OFFLOAD_V2_AUTHENTICATION_SHA_1, "HMAC-SHA-1", 20, false, 12},
    {IPSEC_OFFLOAD_V2_AUTHENTICATION_SHA_256, "HMAC-SHA-256", 32, false, 16},
    {IPSEC_OFFLOAD_V2_AUTHENTICATION_AES_GCM_128, "AES-GMAC-128", 16, true, 16},
    {IPSEC_OFFLOAD_V2_AUTHENTICATION_AES_GCM_192, "AES-GMAC-192", 24, true, 16},
    {IPSEC_OFFLOAD_V2_AUTHENTICATION_AES_GCM_256, "AES-GMAC-256", 32, true, 16},
};

constexpr AlgorithmFacts kEncryption[] = {
    {IPSEC_OFFLOAD_V2_ENCRYPTION_NONE, "ESP-NULL", 0, false, 0},
    {IPSEC_OFFLOAD_V2_ENCRYPTION_DES_CBC, "DES-CBC", 8, false, 0},
    {IPSEC_OFFLOAD_V2_ENCRYPTION_3_DES_CBC, "3DES-CBC", 24, false, 0},
    {IPSEC_OFFLOAD_V2_ENCRYPTION_AES_GCM_128, "AES-GCM-128", 16, true, 0},
    {IPSEC_OFFLOAD_V2_ENCRYPTION_AES_GCM_192, "AES-GCM-192", 24, true, 0},
    {IPSEC_OFFLOAD_V2_ENCRYPTION_AES_GCM_256, "AES-GCM-256", 32, true, 0},
    {IPSEC_OFFLOAD_V2_ENCRYPTION_AES_CBC_128, "AES-CBC-128", 16, false, 0},
    {IPSEC_OFFLOAD_V2_ENCRYPTION_AES_CBC_192, "AES-CBC-192", 24, false, 0},
    {IPSEC_OFFLOAD_V2_ENCRYPTION_AES_CBC_256, "AES-CBC-256", 32, false, 0},
};

template <size_t N>
const AlgorithmFacts* find(const AlgorithmFacts (&table)[N], uint32_t identifier) {
  for (const auto& f : table)
    if (f.identifier == identifier) return &f;
  return nullptr;
}

}  // namespace

const AlgorithmFacts* authentication_facts(uint32_t identifier) { return find(kAuthentication, identifier); }
const AlgorithmFacts* encryption_facts(uint32_t identifier) { return find(kEncryption, identifier); }

}  // namespace cts::ndis
