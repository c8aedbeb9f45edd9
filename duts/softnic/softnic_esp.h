/*
 * softnic_esp.h — the ESP cryptography of one SA (RFC 4303, RFC 4106, RFC 3602, RFC 2404,
 * RFC 4868), on OpenSSL EVP.
 *
 * Contexts are created and keyed once per SA, on its first packet (ADD only checks that they
 * can be: the algorithm is available); per packet only the IV is set (EVP_CipherInit_ex with
 * NULL cipher and key) and the HMAC is re-initialised with its stored key, so the hot path
 * allocates nothing after the first packet and never repeats a key schedule.
 *
 * Both directions work on the ESP part of a packet only: `esp` points at the SPI and `esp_len`
 * runs to the end of the ICV (the end of the IP datagram). IP headers are the datapath's job.
 */
#ifndef SOFTNIC_ESP_H
#define SOFTNIC_ESP_H

#include <stddef.h>
#include <stdint.h>

#include <openssl/evp.h>
#include <openssl/provider.h>

#include "softnic_sa.h"

/* The algorithm implementations, fetched once when the device opens from softnic's own OpenSSL
 * library context (default provider, plus the legacy provider for DES when it is installed).
 * cipher[c] is NULL for SOFTNIC_CIPHER_NULL and for an algorithm OpenSSL cannot provide; adding
 * an SA that needs a missing one fails with RESOURCES. */
typedef struct softnic_algorithms {
  OSSL_LIB_CTX *libctx;
  OSSL_PROVIDER *default_provider;
  OSSL_PROVIDER *legacy_provider;
  EVP_CIPHER *cipher[SOFTNIC_CIPHER_COUNT];
  EVP_MAC *hmac;
} softnic_algorithms;

/* 0 on success; on failure *why names the missing algorithm. */
int softnic_algorithms_fetch(softnic_algorithms *algs, const char **why);
void softnic_algorithms_free(softnic_algorithms *algs);

/* Programs `sa` from validated parameters (keys are copied; the caller cleanses its copy). 0 on
 * success, -1 with *why when OpenSSL offers no implementation of the SA's algorithm. */
int softnic_esp_sa_init(softnic_sa *sa, const softnic_sa_params *params, bool inbound,
                        const softnic_algorithms *algs, const char **why);
/* Creates and keys the SA's contexts unless it has them: 0 when they are ready, -1 on an OpenSSL
 * failure. Every packet path calls it before touching cipher_ctx or mac_ctx. */
int softnic_esp_sa_key(softnic_sa *sa);
/* Frees the contexts (OpenSSL cleanses the key schedules it frees) and wipes keys and salt. */
void softnic_esp_sa_release(softnic_sa *sa);

/* Random bytes for CBC IVs, drawn from the DRBG in blocks: one RAND_bytes call per 256 packets
 * instead of one per packet (the per-call cost dominates small packets, as a hardware RNG FIFO
 * would avoid). Each byte is used once and wiped as it is taken, so IVs stay unpredictable and
 * distinct (RFC 3602 §3). */
#define SOFTNIC_IV_POOL_BYTES 4096u
typedef struct softnic_iv_pool {
  uint8_t bytes[SOFTNIC_IV_POOL_BYTES];
  size_t next; /* first unused byte; SOFTNIC_IV_POOL_BYTES = empty */
} softnic_iv_pool;

/* Starts empty; the first CBC packet fills it. */
void softnic_iv_pool_init(softnic_iv_pool *pool);
/* Wipes whatever random bytes are left. */
void softnic_iv_pool_wipe(softnic_iv_pool *pool);

typedef enum softnic_esp_result {
  SOFTNIC_ESP_OK,
  SOFTNIC_ESP_BAD_LENGTH,  /* too short for SPI+Seq+IV+trailer+ICV, or CBC body not whole blocks */
  SOFTNIC_ESP_AUTH_FAILED, /* ICV / tag mismatch (RFC 4303 §3.4.4) */
  SOFTNIC_ESP_BAD_TRAILER, /* authentic, but Pad Length runs past the start of the payload */
  SOFTNIC_ESP_INTERNAL     /* OpenSSL failed (RAND, EVP) */
} softnic_esp_result;

/* Outbound, in place: generates the IV (GCM/GMAC: the 64-bit sequence number; CBC: from `ivs`),
 * encrypts payload..Next Header, and writes the ICV computed with the SA's current ESN high
 * half (SEND-017). The frame was framed by the transport: SPI, low sequence number, IV space,
 * payload, padding, Pad Length, Next Header and ICV space are already in place (OQ-16). */
softnic_esp_result softnic_esp_encrypt(softnic_sa *sa, softnic_iv_pool *ivs, uint8_t *esp,
                                       size_t esp_len);

/* Inbound: verifies the ICV of `in` (constant time) with the SA's current high half (OQ-26)
 * and decrypts into `out` (same length, the indicated copy of the packet; OQ-15 in-place
 * decryption as seen by the stack). On SOFTNIC_ESP_AUTH_FAILED or BAD_LENGTH `out` is left equal
 * to `in`. `next_header` and `pad_length` are the trailer fields: valid on OK and BAD_TRAILER,
 * and on AUTH_FAILED `next_header` is the unauthenticated value (used only to classify the
 * failure, see softnic_rx.c). */
softnic_esp_result softnic_esp_decrypt(softnic_sa *sa, const uint8_t *in, uint8_t *out,
                                       size_t esp_len, uint8_t *next_header,
                                       uint8_t *pad_length);

#endif /* SOFTNIC_ESP_H */
