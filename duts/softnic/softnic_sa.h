/*
 * softnic_sa.h — what softnic keeps per security association and per bundle.
 *
 * Two forms of an SA exist on purpose:
 *  - softnic_bundle_params: the validated content of one ADD_SA / ADD_SA_EX element, keys
 *    included, built on the stack by the OID code. Nothing is committed until it is complete.
 *  - softnic_sa / softnic_bundle: the live entry in the table. Keys do not stay here: they are
 *    handed to OpenSSL once, when the per-SA EVP contexts are created (softnic_esp.c), and the
 *    stack copy is cleansed. Only the 4-byte GCM salt is kept, because it is part of every nonce.
 *
 * A bundle holds an ESP SA, an AH SA (builds that advertise AH, softnic_ah.h), or both, applied
 * in SecAssoc order on send: ESP, then AH (ADD-011).
 */
#ifndef SOFTNIC_SA_H
#define SOFTNIC_SA_H

#include <stdbool.h>
#include <stdint.h>

#include <openssl/evp.h>

/* Every ESP transform the NDIS enumerations name. Which of them a build advertises is
 * softnic_profile.c's business; the code here implements them all. */
typedef enum softnic_cipher {
  SOFTNIC_CIPHER_NULL,        /* RFC 2410: no encryption, no IV */
  SOFTNIC_CIPHER_DES_CBC,     /* RFC 2405 */
  SOFTNIC_CIPHER_3DES_CBC,    /* RFC 2451 */
  SOFTNIC_CIPHER_AES_CBC_128, /* RFC 3602, with a separate HMAC */
  SOFTNIC_CIPHER_AES_CBC_192,
  SOFTNIC_CIPHER_AES_CBC_256,
  SOFTNIC_CIPHER_AES_GCM_128, /* RFC 4106, combined mode */
  SOFTNIC_CIPHER_AES_GCM_192,
  SOFTNIC_CIPHER_AES_GCM_256,
  SOFTNIC_CIPHER_AES_GMAC_128, /* RFC 4543 ENCR_NULL_AUTH_AES_GMAC: GCM over plaintext as AAD */
  SOFTNIC_CIPHER_AES_GMAC_192,
  SOFTNIC_CIPHER_AES_GMAC_256,
  SOFTNIC_CIPHER_COUNT
} softnic_cipher;

typedef enum softnic_integrity {
  SOFTNIC_INTEGRITY_GCM_TAG,          /* the GCM / GMAC tag is the ICV */
  SOFTNIC_INTEGRITY_HMAC_MD5_96,      /* RFC 2403 */
  SOFTNIC_INTEGRITY_HMAC_SHA1_96,     /* RFC 2404 */
  SOFTNIC_INTEGRITY_HMAC_SHA256_128   /* RFC 4868 */
} softnic_integrity;

#define SOFTNIC_MAX_KEY 32u
#define SOFTNIC_GCM_SALT_LEN 4u
#define SOFTNIC_GCM_IV_LEN 8u   /* explicit IV on the wire (RFC 4106 §3.1) */
#define SOFTNIC_CBC_IV_LEN 16u  /* RFC 3602 §3 (DES and 3DES: 8, one block) */
#define SOFTNIC_MAX_ICV 16u

/* Validated SA content, keys included. Lives on the stack only; cleansed after use. */
typedef struct softnic_sa_params {
  uint32_t spi;
  bool esn;
  uint32_t seq_high; /* initial high-order 32 bits of the ESN (ADD-023) */
  softnic_cipher cipher;
  softnic_integrity integrity;
  uint8_t icv_len;
  uint8_t enc_key[SOFTNIC_MAX_KEY];
  uint8_t enc_key_len;
  uint8_t salt[SOFTNIC_GCM_SALT_LEN];
  uint8_t auth_key[SOFTNIC_MAX_KEY];
  uint8_t auth_key_len;
} softnic_sa_params;

typedef struct softnic_bundle_params {
  bool inbound;
  uint32_t udp_esp; /* UdpEspEncapsulation: 0 or one advertised type */
  bool ipv6;
  uint8_t src[16]; /* network order; IPv4 uses the first 4 bytes, the rest stay zero */
  uint8_t dst[16];
  bool has_esp;
  bool has_ah;
  softnic_sa_params esp;
  softnic_sa_params ah; /* an AH SA: no cipher and an HMAC, or the AES-GMAC cipher */
} softnic_bundle_params;

struct softnic_algorithms;

/* A live ESP or AH SA: per-packet state, its keys, and the EVP contexts keyed from them on the
 * SA's first packet (a table filled to a million bundles then holds keys, not a million OpenSSL
 * contexts of about a kilobyte each). */
typedef struct softnic_sa {
  uint32_t spi;
  bool esn;
  uint32_t seq_high; /* current high half: from ADD, then from each UPDATE_SA (OQ-26) */
  softnic_cipher cipher;
  softnic_integrity integrity;
  uint8_t iv_len;
  uint8_t block_len; /* cipher block (1 for NULL and the counter modes) */
  uint8_t icv_len;
  uint8_t salt[SOFTNIC_GCM_SALT_LEN];
  uint64_t packets;           /* packets protected (outbound), a statistic */
  bool inbound;
  uint8_t enc_key_len;
  uint8_t auth_key_len;
  uint8_t enc_key[SOFTNIC_MAX_KEY];  /* cleansed when the SA is released */
  uint8_t auth_key[SOFTNIC_MAX_KEY];
  const struct softnic_algorithms *algs;
  EVP_CIPHER_CTX *cipher_ctx; /* encrypt (outbound) or decrypt (inbound), NULL until first use */
  EVP_MAC_CTX *mac_ctx;       /* HMAC with its key, CBC SAs only, NULL until first use */
} softnic_sa;

typedef struct softnic_bundle {
  bool in_use;
  bool inbound;
  bool ipv6;
  bool delete_requested; /* SaDeleteReq on every further packet of this SA (OQ-14) */
  uint32_t handle;       /* OffloadHandle given to the transport; 0 while free */
  uint32_t generation;   /* bumped on every free so a stale handle never matches (OQ-22) */
  int32_t dest_entry;    /* inbound: index in the destination-address table, else -1 */
  int32_t spi_next;      /* inbound: next slot in the same SPI hash chain, -1 ends it */
  uint32_t udp_esp;      /* UdpEspEncapsulation of the bundle (0: plain ESP) */
  uint8_t src[16];
  uint8_t dst[16];
  bool has_esp;
  bool has_ah;
  uint32_t lookup_spi; /* the SPI of the outermost header: AH's when the bundle has AH */
  softnic_sa esp;
  softnic_sa ah;
} softnic_bundle;

#endif /* SOFTNIC_SA_H */
