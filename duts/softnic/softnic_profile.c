/*
 * softnic_profile.c — the advertised set of this build (softnic_profile.h). The one place the
 * SOFTNIC_FULL switch changes behaviour: everything else reads this table.
 */
#include "softnic_profile.h"

#include "softnic_ndis.h"

static const softnic_profile profile = {
#if defined(SOFTNIC_FULL)
    "softnic-full",
    IPSEC_OFFLOAD_V2_AUTHENTICATION_DEFINED,
    IPSEC_OFFLOAD_V2_ENCRYPTION_DEFINED,
    IPSEC_OFFLOAD_V2_UDP_ESP_ENCAPSULATION_TRANSPORT | IPSEC_OFFLOAD_V2_UDP_ESP_ENCAPSULATION_TUNNEL,
    true,
    true,
    true,
#else
    "softnic",
    IPSEC_OFFLOAD_V2_AUTHENTICATION_SHA_1 | IPSEC_OFFLOAD_V2_AUTHENTICATION_SHA_256,
    IPSEC_OFFLOAD_V2_ENCRYPTION_AES_GCM_128 | IPSEC_OFFLOAD_V2_ENCRYPTION_AES_GCM_256 |
        IPSEC_OFFLOAD_V2_ENCRYPTION_AES_CBC_128,
    IPSEC_OFFLOAD_V2_UDP_ESP_ENCAPSULATION_NONE,
    false,
    false,
    false,
#endif
};

const softnic_profile *softnic_profile_get(void) { return &profile; }
