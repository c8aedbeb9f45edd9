/*
 * softnic_profile.h — what this build of softnic advertises. The sources implement every ESP
 * transform the NDIS enumerations name; the build chooses which of them the capability report
 * offers and the OID path accepts:
 *
 *   default ("softnic")        the modest NIC of duts/profiles/softnic.json: AES-GCM-128/256,
 *                              AES-CBC-128 with HMAC-SHA1-96 / HMAC-SHA-256-128
 *   SOFTNIC_FULL ("softnic-full") every algorithm: ESP-NULL, DES, 3DES, AES-CBC-128/192/256,
 *                              AES-GCM-128/192/256, AES-GMAC-128/192/256, HMAC-MD5/SHA1/SHA256;
 *                              UDP-ESP transport and tunnel (RFC 3948, port 4500);
 *                              IPv4 options and IPv6 extension headers on by default;
 *                              AH and [ESP, AH] bundles (softnic_ah.h);
 *                              LSO over ESP transport-mode SAs (softnic_lso.h)
 *
 * An algorithm outside the advertised set is refused with NDIS_STATUS_NOT_SUPPORTED (ADD-025).
 */
#ifndef SOFTNIC_PROFILE_H
#define SOFTNIC_PROFILE_H

#include <stdbool.h>
#include <stdint.h>

typedef struct softnic_profile {
  const char *name;
  uint32_t authentication_algorithms; /* IPSEC_OFFLOAD_V2_AUTHENTICATION_* */
  uint32_t encryption_algorithms;     /* IPSEC_OFFLOAD_V2_ENCRYPTION_* */
  uint32_t udp_esp;                   /* IPSEC_OFFLOAD_V2_UDP_ESP_ENCAPSULATION_* (UDP-001) */
  bool header_shapes_by_default;      /* IPv4Options / IPv6NonIPsecExtensionHeaders default */
  bool ah;                            /* Ah and AhEspCombined: AH SAs and [ESP, AH] bundles */
  bool lso;                           /* LsoSupported: LSO over ESP SAs (softnic_lso.h) */
} softnic_profile;

const softnic_profile *softnic_profile_get(void);

#endif /* SOFTNIC_PROFILE_H */
