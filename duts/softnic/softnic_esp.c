/*
 * softnic_esp.c — ESP encryption, decryption and ICV for one SA on OpenSSL EVP.
 *
 * ESP layout (RFC 4303 §2), offsets from the SPI:
 *   0 SPI | 4 Seq (low 32 bits) | 8 IV (iv_len: 0 NULL, 8 DES/3DES/GCM/GMAC, 16 AES-CBC)
 *   | 8+iv body (payload, padding, Pad Length, Next Header) | ICV (icv_len bytes, last)
 *
 * Three shapes of transform:
 *  - AES-GCM (RFC 4106): the body is encrypted, AAD = SPI || Seq, the tag is the ICV;
 *  - AES-GMAC (RFC 4543): nothing is encrypted, AAD = SPI || Seq || IV || body, the tag is the ICV;
 *  - a block cipher or NULL with a separate HMAC (RFC 3602, 2405, 2451, 2410 with 2403/2404/4868):
 *    encrypt-then-MAC, the HMAC covering SPI .. end of the body (and the ESN high half, §2.2.1).
 *
 * The SOFTNIC_FAULT_* blocks are the mutant zoo's faults (duts/mutants/mutants.json); none is
 * compiled into softnic itself.
 */
#include "softnic_esp.h"

#include <limits.h>
#include <string.h>

#include <openssl/core_names.h>
#include <openssl/crypto.h>
#include <openssl/params.h>
#include <openssl/rand.h>

#define ESP_HEADER_LEN 8u    /* SPI + sequence number */
#define ESP_TRAILER_MIN 2u   /* Pad Length + Next Header */
#define MAX_BLOCK 16u
#define HMAC_MAX_OUTPUT 32u  /* SHA-256 */

static void store_be32(uint8_t *p, uint32_t v) {
  p[0] = (uint8_t)(v >> 24);
  p[1] = (uint8_t)(v >> 16);
  p[2] = (uint8_t)(v >> 8);
  p[3] = (uint8_t)v;
}

/* OpenSSL names of each cipher; GMAC runs on the GCM implementation. */
static const char *const cipher_names[SOFTNIC_CIPHER_COUNT] = {
    NULL,          "DES-CBC",     "DES-EDE3-CBC", "AES-128-CBC", "AES-192-CBC", "AES-256-CBC",
    "AES-128-GCM", "AES-192-GCM", "AES-256-GCM",  "AES-128-GCM", "AES-192-GCM", "AES-256-GCM"};

int softnic_algorithms_fetch(softnic_algorithms *algs, const char **why) {
  memset(algs, 0, sizeof(*algs));
  algs->libctx = OSSL_LIB_CTX_new();
  if (algs->libctx != NULL) {
    algs->default_provider = OSSL_PROVIDER_load(algs->libctx, "default");
    /* DES-CBC lives only in the legacy provider (OpenSSL 3). Best effort: without it every
     * other algorithm still works and a DES SA is refused. */
    algs->legacy_provider = OSSL_PROVIDER_load(algs->libctx, "legacy");
  }
  if (algs->libctx == NULL || algs->default_provider == NULL) {
    *why = "cannot create an OpenSSL library context with the default provider";
    softnic_algorithms_free(algs);
    return -1;
  }
  for (int c = 0; c < SOFTNIC_CIPHER_COUNT; ++c) {
    if (cipher_names[c] != NULL) algs->cipher[c] = EVP_CIPHER_fetch(algs->libctx, cipher_names[c], NULL);
  }
  algs->hmac = EVP_MAC_fetch(algs->libctx, "HMAC", NULL);
  if (algs->cipher[SOFTNIC_CIPHER_AES_GCM_128] == NULL ||
      algs->cipher[SOFTNIC_CIPHER_AES_GCM_256] == NULL ||
      algs->cipher[SOFTNIC_CIPHER_AES_CBC_128] == NULL || algs->hmac == NULL) {
    *why = "OpenSSL provides no AES-128-GCM, AES-256-GCM, AES-128-CBC or HMAC implementation";
    softnic_algorithms_free(algs);
    return -1;
  }
  return 0;
}

void softnic_algorithms_free(softnic_algorithms *algs) {
  for (int c = 0; c < SOFTNIC_CIPHER_COUNT; ++c) {
    /* GMAC entries share nothing: each fetch holds its own reference. */
    EVP_CIPHER_free(algs->cipher[c]);
  }
  EVP_MAC_free(algs->hmac);
  if (algs->legacy_provider != NULL) OSSL_PROVIDER_unload(algs->legacy_provider);
  if (algs->default_provider != NULL) OSSL_PROVIDER_unload(algs->default_provider);
  OSSL_LIB_CTX_free(algs->libctx);
  memset(algs, 0, sizeof(*algs));
}

static bool is_aead(const softnic_sa *sa) { return sa->integrity == SOFTNIC_INTEGRITY_GCM_TAG; }
static bool is_gmac(const softnic_sa *sa) {
  return sa->cipher == SOFTNIC_CIPHER_AES_GMAC_128 || sa->cipher == SOFTNIC_CIPHER_AES_GMAC_192 ||
         sa->cipher == SOFTNIC_CIPHER_AES_GMAC_256;
}

static const char *hmac_digest(softnic_integrity integrity) {
  switch (integrity) {
    case SOFTNIC_INTEGRITY_HMAC_MD5_96: return "MD5";
    case SOFTNIC_INTEGRITY_HMAC_SHA1_96: return "SHA1";
    case SOFTNIC_INTEGRITY_HMAC_SHA256_128: return "SHA256";
    case SOFTNIC_INTEGRITY_GCM_TAG: break;
  }
  return NULL;
}

static void shape_of(softnic_sa *sa) {
  switch (sa->cipher) {
    case SOFTNIC_CIPHER_NULL: sa->iv_len = 0; sa->block_len = 1; break;
    case SOFTNIC_CIPHER_DES_CBC:
    case SOFTNIC_CIPHER_3DES_CBC: sa->iv_len = 8; sa->block_len = 8; break;
    case SOFTNIC_CIPHER_AES_CBC_128:
    case SOFTNIC_CIPHER_AES_CBC_192:
    case SOFTNIC_CIPHER_AES_CBC_256: sa->iv_len = SOFTNIC_CBC_IV_LEN; sa->block_len = 16; break;
    default: sa->iv_len = SOFTNIC_GCM_IV_LEN; sa->block_len = 1; break; /* GCM, GMAC */
  }
}

int softnic_esp_sa_init(softnic_sa *sa, const softnic_sa_params *params, bool inbound,
                        const softnic_algorithms *algs, const char **why) {
  memset(sa, 0, sizeof(*sa));
  sa->spi = params->spi;
  sa->esn = params->esn;
  sa->seq_high = params->esn ? params->seq_high : 0;
  sa->cipher = params->cipher;
  sa->integrity = params->integrity;
  sa->icv_len = params->icv_len;
  sa->inbound = inbound;
  sa->algs = algs;
  shape_of(sa);
  if (sa->cipher != SOFTNIC_CIPHER_NULL && algs->cipher[sa->cipher] == NULL) {
    *why = "OpenSSL offers no implementation of the SA's cipher (DES needs the legacy provider)";
    return -1;
  }
  if (params->enc_key_len > sizeof(sa->enc_key) || params->auth_key_len > sizeof(sa->auth_key)) {
    *why = "key longer than the engine holds";
    return -1;
  }
  memcpy(sa->enc_key, params->enc_key, params->enc_key_len);
  sa->enc_key_len = params->enc_key_len;
  memcpy(sa->auth_key, params->auth_key, params->auth_key_len);
  sa->auth_key_len = params->auth_key_len;
  if (is_aead(sa)) memcpy(sa->salt, params->salt, sizeof(sa->salt));
  return 0;
}

static void free_contexts(softnic_sa *sa) {
  /* EVP_CIPHER_CTX_free and EVP_MAC_CTX_free cleanse the key schedules and HMAC pads. */
  EVP_CIPHER_CTX_free(sa->cipher_ctx);
  EVP_MAC_CTX_free(sa->mac_ctx);
  sa->cipher_ctx = NULL;
  sa->mac_ctx = NULL;
}

int softnic_esp_sa_key(softnic_sa *sa) {
  if (sa->cipher_ctx != NULL || sa->mac_ctx != NULL) return 0;
  if (sa->algs == NULL) return -1;
  /* GMAC authenticates without encrypting: its context always runs GCM's encrypt direction,
   * whose tag both sides compute. */
  const int enc = sa->inbound && !is_gmac(sa) ? 0 : 1;
  if (sa->cipher != SOFTNIC_CIPHER_NULL) {
    const EVP_CIPHER *cipher = sa->algs->cipher[sa->cipher];
    sa->cipher_ctx = cipher != NULL ? EVP_CIPHER_CTX_new() : NULL;
    /* Select the cipher first so the GCM nonce length can be fixed before the key goes in
     * (RFC 4106 §4, RFC 4543 §3.1: nonce = salt(4) || IV(8) = 12 bytes). The transport already
     * padded the payload (RFC 4303 §2.4): a block cipher must not add a PKCS#7 block of its
     * own; set once, it survives the per-packet IV re-initialisation. */
    if (sa->cipher_ctx == NULL || EVP_CipherInit_ex(sa->cipher_ctx, cipher, NULL, NULL, NULL, enc) != 1 ||
        (is_aead(sa) && EVP_CIPHER_CTX_ctrl(sa->cipher_ctx, EVP_CTRL_AEAD_SET_IVLEN, 12, NULL) != 1) ||
        EVP_CipherInit_ex(sa->cipher_ctx, NULL, NULL, sa->enc_key, NULL, enc) != 1 ||
        (!is_aead(sa) && EVP_CIPHER_CTX_set_padding(sa->cipher_ctx, 0) != 1)) {
      free_contexts(sa);
      return -1;
    }
  }
  if (!is_aead(sa)) {
    sa->mac_ctx = EVP_MAC_CTX_new(sa->algs->hmac);
    char digest[8];
    strcpy(digest, hmac_digest(sa->integrity));
    OSSL_PARAM mac_params[] = {OSSL_PARAM_construct_utf8_string(OSSL_MAC_PARAM_DIGEST, digest, 0),
                               OSSL_PARAM_construct_end()};
    if (sa->mac_ctx == NULL || EVP_MAC_init(sa->mac_ctx, sa->auth_key, sa->auth_key_len, mac_params) != 1) {
      free_contexts(sa);
      return -1;
    }
  }
  return 0;
}

void softnic_esp_sa_release(softnic_sa *sa) {
  free_contexts(sa);
  OPENSSL_cleanse(sa->enc_key, sizeof(sa->enc_key));
  OPENSSL_cleanse(sa->auth_key, sizeof(sa->auth_key));
  OPENSSL_cleanse(sa->salt, sizeof(sa->salt));
  sa->enc_key_len = 0;
  sa->auth_key_len = 0;
}

void softnic_iv_pool_init(softnic_iv_pool *pool) { pool->next = SOFTNIC_IV_POOL_BYTES; }

void softnic_iv_pool_wipe(softnic_iv_pool *pool) {
  OPENSSL_cleanse(pool->bytes, sizeof(pool->bytes));
  pool->next = SOFTNIC_IV_POOL_BYTES;
}

static int take_random_iv(softnic_iv_pool *pool, uint8_t *iv, size_t len) {
  if (SOFTNIC_IV_POOL_BYTES - pool->next < len) {
    if (RAND_bytes(pool->bytes, (int)SOFTNIC_IV_POOL_BYTES) != 1) return -1;
    pool->next = 0;
  }
  memcpy(iv, pool->bytes + pool->next, len);
#if !defined(SOFTNIC_FAULT_CBC_IV_REUSED)
  /* (fault: the pool position never moves, so every packet gets the same IV) */
  OPENSSL_cleanse(pool->bytes + pool->next, len);
  pool->next += len;
#endif
  return 0;
}

/* RFC 4106 §5, RFC 4543 §3.2: SPI || Seq (8 bytes), or SPI || Seq_high || Seq_low with ESN. */
static size_t aead_aad(const softnic_sa *sa, const uint8_t *esp, uint8_t aad[12]) {
  memcpy(aad, esp, 4);
#if defined(SOFTNIC_FAULT_ESN_HIGH_NOT_IN_ICV)
  if (1) { /* Fault: the 32-bit form is used for ESN SAs too. */
#else
  if (!sa->esn) {
#endif
    memcpy(aad + 4, esp + 4, 4);
    return 8;
  }
  store_be32(aad + 4, sa->seq_high);
  memcpy(aad + 8, esp + 4, 4);
  return 12;
}

static void aead_nonce(const softnic_sa *sa, const uint8_t *iv, uint8_t nonce[12]) {
#if defined(SOFTNIC_FAULT_GCM_SALT_IGNORED)
  (void)sa;
  memset(nonce, 0, SOFTNIC_GCM_SALT_LEN); /* Fault: the salt never reaches the engine. */
#else
  memcpy(nonce, sa->salt, SOFTNIC_GCM_SALT_LEN);
#endif
  memcpy(nonce + SOFTNIC_GCM_SALT_LEN, iv, SOFTNIC_GCM_IV_LEN);
}

/* How many bytes of the ICV are compared on receive. */
static size_t compared_icv_len(const softnic_sa *sa) {
#if defined(SOFTNIC_FAULT_ICV_COMPARED_SHORT)
  return sa->icv_len > 8u ? 8u : sa->icv_len; /* Fault: 8 bytes, whatever the ICV length. */
#else
  return sa->icv_len;
#endif
}

/* How many bytes of an HMAC ICV this SA writes and checks. */
static size_t hmac_icv_len(const softnic_sa *sa) {
#if defined(SOFTNIC_FAULT_HMAC_TRUNCATED_96)
  (void)sa;
  return 12u; /* Fault: every HMAC is treated as an -96 truncation, SHA-256 included. */
#else
  return sa->icv_len;
#endif
}

/* RFC 4303 §2.2.1 / §3.3.2.1 step 4: HMAC over SPI..end of ciphertext, then (ESN only) the high
 * 32 bits appended after the Next Header, never transmitted. Leftmost bytes kept. */
static int hmac_icv(softnic_sa *sa, const uint8_t *esp, size_t covered, uint8_t *icv) {
  uint8_t md[HMAC_MAX_OUTPUT];
  size_t md_len = 0;
  int ok = EVP_MAC_init(sa->mac_ctx, NULL, 0, NULL) == 1 &&  /* same key, fresh state */
           EVP_MAC_update(sa->mac_ctx, esp, covered) == 1;
#if !defined(SOFTNIC_FAULT_ESN_HIGH_NOT_IN_ICV)
  if (ok && sa->esn) {
    uint8_t high[4];
    store_be32(high, sa->seq_high);
    ok = EVP_MAC_update(sa->mac_ctx, high, sizeof(high)) == 1;
  }
#endif
  ok = ok && EVP_MAC_final(sa->mac_ctx, md, &md_len, sizeof(md)) == 1 && md_len >= sa->icv_len;
  if (ok) memcpy(icv, md, hmac_icv_len(sa));
  OPENSSL_cleanse(md, sizeof(md));
  return ok ? 0 : -1;
}

/* Offsets of the parts of one ESP packet, after the length checks every path shares. */
typedef struct esp_parts {
  size_t body_off;
  size_t body_len;
  size_t icv_off;
} esp_parts;

static softnic_esp_result split(const softnic_sa *sa, size_t esp_len, esp_parts *p) {
  const size_t overhead = ESP_HEADER_LEN + sa->iv_len + sa->icv_len;
  if (esp_len > (size_t)INT_MAX || esp_len < overhead + ESP_TRAILER_MIN) {
    return SOFTNIC_ESP_BAD_LENGTH;
  }
  p->body_off = ESP_HEADER_LEN + sa->iv_len;
  p->body_len = esp_len - overhead;
  p->icv_off = p->body_off + p->body_len;
  /* RFC 4303 §2.4: a block cipher encrypts whole blocks. */
  if (p->body_len % sa->block_len != 0) return SOFTNIC_ESP_BAD_LENGTH;
  return SOFTNIC_ESP_OK;
}

/* GCM and GMAC, both directions: the tag over the AAD (GMAC: + IV + body) and, for GCM, the
 * body encrypted or decrypted into `out_body`. On decrypt the received tag is set first and
 * `*tag_ok` reports the verification (OpenSSL compares in constant time). */
static softnic_esp_result aead_run(softnic_sa *sa, const uint8_t *esp, const esp_parts *p,
                                   const uint8_t *in_body, uint8_t *out_body, bool decrypt,
                                   uint8_t *tag, bool *tag_ok) {
  uint8_t nonce[SOFTNIC_GCM_SALT_LEN + SOFTNIC_GCM_IV_LEN];
  aead_nonce(sa, esp + ESP_HEADER_LEN, nonce);
  uint8_t aad[12];
  const size_t aad_len = aead_aad(sa, esp, aad);
  uint8_t final_scratch[MAX_BLOCK];
  int outl = 0;
  int final_len = 0;
  /* GMAC never decrypts: its context computes the tag in the encrypt direction. */
  const bool gcm_decrypt = decrypt && !is_gmac(sa);
  if (EVP_CipherInit_ex(sa->cipher_ctx, NULL, NULL, NULL, nonce, gcm_decrypt ? 0 : 1) != 1 ||
      EVP_CipherUpdate(sa->cipher_ctx, NULL, &outl, aad, (int)aad_len) != 1) {
    return SOFTNIC_ESP_INTERNAL;
  }
  if (is_gmac(sa)) {
    /* RFC 4543 §3.2: IV and the whole plaintext body are authenticated, nothing encrypted. */
    if (EVP_CipherUpdate(sa->cipher_ctx, NULL, &outl, esp + ESP_HEADER_LEN, SOFTNIC_GCM_IV_LEN) !=
            1 ||
        EVP_CipherUpdate(sa->cipher_ctx, NULL, &outl, in_body, (int)p->body_len) != 1 ||
        EVP_CipherFinal_ex(sa->cipher_ctx, final_scratch, &final_len) != 1) {
      return SOFTNIC_ESP_INTERNAL;
    }
    uint8_t computed[SOFTNIC_MAX_ICV];
    if (EVP_CIPHER_CTX_ctrl(sa->cipher_ctx, EVP_CTRL_AEAD_GET_TAG, sa->icv_len, computed) != 1) {
      return SOFTNIC_ESP_INTERNAL;
    }
    if (decrypt) {
      *tag_ok = CRYPTO_memcmp(computed, tag, compared_icv_len(sa)) == 0;
    } else {
      memcpy(tag, computed, sa->icv_len);
    }
    OPENSSL_cleanse(computed, sizeof(computed));
    return SOFTNIC_ESP_OK;
  }
  if (EVP_CipherUpdate(sa->cipher_ctx, out_body, &outl, in_body, (int)p->body_len) != 1 ||
      (size_t)outl != p->body_len) {
    return SOFTNIC_ESP_INTERNAL;
  }
  if (decrypt) {
    if (EVP_CIPHER_CTX_ctrl(sa->cipher_ctx, EVP_CTRL_AEAD_SET_TAG, (int)compared_icv_len(sa),
                            tag) != 1) {
      return SOFTNIC_ESP_INTERNAL;
    }
    *tag_ok = EVP_CipherFinal_ex(sa->cipher_ctx, final_scratch, &final_len) == 1;
    return SOFTNIC_ESP_OK;
  }
  if (EVP_CipherFinal_ex(sa->cipher_ctx, final_scratch, &final_len) != 1 || final_len != 0 ||
      EVP_CIPHER_CTX_ctrl(sa->cipher_ctx, EVP_CTRL_AEAD_GET_TAG, sa->icv_len, tag) != 1) {
    return SOFTNIC_ESP_INTERNAL;
  }
  return SOFTNIC_ESP_OK;
}

softnic_esp_result softnic_esp_encrypt(softnic_sa *sa, softnic_iv_pool *ivs, uint8_t *esp,
                                       size_t esp_len) {
  esp_parts p;
  const softnic_esp_result r = split(sa, esp_len, &p);
  if (r != SOFTNIC_ESP_OK) return r;
  if (softnic_esp_sa_key(sa) != 0) return SOFTNIC_ESP_INTERNAL;
  uint8_t *iv = esp + ESP_HEADER_LEN;
  uint8_t *body = esp + p.body_off;
  int outl = 0;
  sa->packets++;

#if defined(SOFTNIC_FAULT_PADDING_ZEROED)
  /* Fault: the engine clears what it takes for its own padding area before encrypting. */
  {
    const size_t pad = body[p.body_len - 2];
    if (pad + ESP_TRAILER_MIN <= p.body_len) memset(body + p.body_len - 2 - pad, 0, pad);
  }
#endif

  if (is_aead(sa)) {
    /* OQ-16 / RFC 4106 §3.1: the IV must never repeat under one key. The 64-bit sequence number
     * (current high half || the low half the transport wrote) is unique for the SA's life, and
     * cannot repeat across an SA re-install either, because the sequence counter restarts only
     * with new keys. */
#if defined(SOFTNIC_FAULT_GCM_IV_REUSED)
    /* Fault: the IV is fixed when the SA is programmed and never advanced. */
    store_be32(iv, 0);
    store_be32(iv + 4, sa->spi);
#else
    store_be32(iv, sa->seq_high);
    memcpy(iv + 4, esp + 4, 4);
#endif
    return aead_run(sa, esp, &p, body, body, false, esp + p.icv_off, NULL);
  }

  if (sa->cipher != SOFTNIC_CIPHER_NULL) {
#if defined(SOFTNIC_FAULT_CBC_IV_CHAINED)
    /* Fault: the engine's CBC register is not reloaded between packets, so each packet's IV is
     * the previous packet's last ciphertext block (the SSL 3.0 / TLS 1.0 chained-IV flaw). */
    static uint8_t chain[SOFTNIC_CBC_IV_LEN];
    (void)ivs;
    (void)take_random_iv;
    memcpy(iv, chain, sa->iv_len);
#elif defined(SOFTNIC_FAULT_CBC_IV_COUNTER)
    /* Fault: the IV is the SA's packet counter, big-endian in the IV's last eight octets. */
    (void)ivs;
    (void)take_random_iv;
    memset(iv, 0, sa->iv_len);
    for (size_t k = 0; k < 8u; ++k) iv[sa->iv_len - 1u - k] = (uint8_t)(sa->packets >> (8u * k));
#else
    /* RFC 3602 §3, RFC 2405 §5: a fresh, unpredictable IV for every packet. */
    if (take_random_iv(ivs, iv, sa->iv_len) != 0) return SOFTNIC_ESP_INTERNAL;
#endif
    if (EVP_EncryptInit_ex(sa->cipher_ctx, NULL, NULL, NULL, iv) != 1 ||
        EVP_EncryptUpdate(sa->cipher_ctx, body, &outl, body, (int)p.body_len) != 1 ||
        (size_t)outl != p.body_len) {
      return SOFTNIC_ESP_INTERNAL;
    }
#if defined(SOFTNIC_FAULT_CBC_IV_CHAINED)
    memcpy(chain, body + p.body_len - sa->iv_len, sa->iv_len);
#endif
  }
  /* Encrypt-then-MAC: the ICV covers SPI, sequence number, IV and ciphertext. */
  return hmac_icv(sa, esp, p.icv_off, esp + p.icv_off) == 0 ? SOFTNIC_ESP_OK
                                                             : SOFTNIC_ESP_INTERNAL;
}

static softnic_esp_result read_trailer(const uint8_t *body, size_t body_len,
                                       uint8_t *next_header, uint8_t *pad_length) {
  *pad_length = body[body_len - 2];
  *next_header = body[body_len - 1];
#if defined(SOFTNIC_FAULT_PAD_LENGTH_LIMITED)
  /* Fault: the trailer parser assumes minimal padding (less than one cipher block) and calls
   * anything longer malformed, although RFC 4303 §2.4 allows up to 255 octets. */
  if (*pad_length >= 16) return SOFTNIC_ESP_BAD_TRAILER;
#endif
  /* RFC 4303 §3.4.4.1 step 3: the padding must fit in front of the trailer. */
  return (size_t)*pad_length + ESP_TRAILER_MIN <= body_len ? SOFTNIC_ESP_OK
                                                           : SOFTNIC_ESP_BAD_TRAILER;
}

static softnic_esp_result aead_decrypt(softnic_sa *sa, const uint8_t *in, uint8_t *out,
                                       const esp_parts *p, uint8_t *next_header,
                                       uint8_t *pad_length) {
  uint8_t tag[SOFTNIC_MAX_ICV];
  memcpy(tag, in + p->icv_off, sa->icv_len);
  bool tag_ok = false;
  if (aead_run(sa, in, p, in + p->body_off, out + p->body_off, true, tag, &tag_ok) !=
      SOFTNIC_ESP_OK) {
    memcpy(out + p->body_off, in + p->body_off, p->body_len);
    return SOFTNIC_ESP_INTERNAL;
  }
  if (!tag_ok) {
    /* Read the unauthenticated Next Header for the failure classification only, then put the
     * received ciphertext back: a failed packet is indicated as it arrived (RECV-013). */
    *next_header = out[p->icv_off - 1];
#if !defined(SOFTNIC_FAULT_FAILED_FRAME_NOT_RESTORED)
    memcpy(out + p->body_off, in + p->body_off, p->body_len);
#endif
    return SOFTNIC_ESP_AUTH_FAILED;
  }
  return read_trailer(out + p->body_off, p->body_len, next_header, pad_length);
}

static softnic_esp_result hmac_decrypt(softnic_sa *sa, const uint8_t *in, uint8_t *out,
                                       const esp_parts *p, uint8_t *next_header,
                                       uint8_t *pad_length) {
  uint8_t icv[SOFTNIC_MAX_ICV];
  memset(icv, 0, sizeof(icv));
  if (hmac_icv(sa, in, p->icv_off, icv) != 0) return SOFTNIC_ESP_INTERNAL;
  const int icv_ok = CRYPTO_memcmp(icv, in + p->icv_off, compared_icv_len(sa)) == 0;
  int outl = 0;

  if (!icv_ok) {
    /* RFC 4303 §3.4.4: nothing is decrypted for delivery. Only the last block is deciphered,
     * into a scratch buffer, to read the Next Header that classifies the failure. */
    if (sa->cipher == SOFTNIC_CIPHER_NULL) {
      *next_header = in[p->icv_off - 1];
      return SOFTNIC_ESP_AUTH_FAILED;
    }
    const size_t bl = sa->block_len;
    const uint8_t *last = in + p->icv_off - bl;
    const uint8_t *chain = p->body_len == bl ? in + ESP_HEADER_LEN : last - bl;
    uint8_t block[MAX_BLOCK];
    if (EVP_DecryptInit_ex(sa->cipher_ctx, NULL, NULL, NULL, chain) == 1 &&
        EVP_DecryptUpdate(sa->cipher_ctx, block, &outl, last, (int)bl) == 1 && outl == (int)bl) {
      *next_header = block[bl - 1];
    }
    OPENSSL_cleanse(block, sizeof(block));
    return SOFTNIC_ESP_AUTH_FAILED;
  }
  if (sa->cipher != SOFTNIC_CIPHER_NULL &&
      (EVP_DecryptInit_ex(sa->cipher_ctx, NULL, NULL, NULL, in + ESP_HEADER_LEN) != 1 ||
       EVP_DecryptUpdate(sa->cipher_ctx, out + p->body_off, &outl, in + p->body_off,
                         (int)p->body_len) != 1 ||
       (size_t)outl != p->body_len)) {
    memcpy(out + p->body_off, in + p->body_off, p->body_len);
    return SOFTNIC_ESP_INTERNAL;
  }
  return read_trailer(out + p->body_off, p->body_len, next_header, pad_length);
}

softnic_esp_result softnic_esp_decrypt(softnic_sa *sa, const uint8_t *in, uint8_t *out,
                                       size_t esp_len, uint8_t *next_header,
                                       uint8_t *pad_length) {
  *next_header = 0;
  *pad_length = 0;
  esp_parts p;
  const softnic_esp_result r = split(sa, esp_len, &p);
  if (r != SOFTNIC_ESP_OK) return r;
  if (softnic_esp_sa_key(sa) != 0) return SOFTNIC_ESP_INTERNAL;
  return is_aead(sa) ? aead_decrypt(sa, in, out, &p, next_header, pad_length)
                     : hmac_decrypt(sa, in, out, &p, next_header, pad_length);
}
