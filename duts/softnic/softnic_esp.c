/*
 * softnic_esp.c — ESP encryption, decryption and ICV for one SA on OpenSSL EVP.
 *
 * ESP layout (RFC 4303 §2), offsets from the SPI:
 *   0 SPI | 4 Seq (low 32 bits) | 8 IV | 8+iv body (payload, padding, Pad Length, Next Header)
 *   | ICV (icv_len bytes, last in the datagram)
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
#define AES_BLOCK 16u
#define HMAC_MAX_OUTPUT 32u  /* SHA-256 */

static void store_be32(uint8_t *p, uint32_t v) {
  p[0] = (uint8_t)(v >> 24);
  p[1] = (uint8_t)(v >> 16);
  p[2] = (uint8_t)(v >> 8);
  p[3] = (uint8_t)v;
}

int softnic_algorithms_fetch(softnic_algorithms *algs, const char **why) {
  memset(algs, 0, sizeof(*algs));
  algs->aes_128_gcm = EVP_CIPHER_fetch(NULL, "AES-128-GCM", NULL);
  algs->aes_256_gcm = EVP_CIPHER_fetch(NULL, "AES-256-GCM", NULL);
  algs->aes_128_cbc = EVP_CIPHER_fetch(NULL, "AES-128-CBC", NULL);
  algs->hmac = EVP_MAC_fetch(NULL, "HMAC", NULL);
  if (algs->aes_128_gcm == NULL || algs->aes_256_gcm == NULL || algs->aes_128_cbc == NULL ||
      algs->hmac == NULL) {
    *why = "OpenSSL provides no AES-128-GCM, AES-256-GCM, AES-128-CBC or HMAC implementation";
    softnic_algorithms_free(algs);
    return -1;
  }
  return 0;
}

void softnic_algorithms_free(softnic_algorithms *algs) {
  EVP_CIPHER_free(algs->aes_128_gcm);
  EVP_CIPHER_free(algs->aes_256_gcm);
  EVP_CIPHER_free(algs->aes_128_cbc);
  EVP_MAC_free(algs->hmac);
  memset(algs, 0, sizeof(*algs));
}

static const EVP_CIPHER *cipher_of(const softnic_algorithms *algs, softnic_cipher c) {
  switch (c) {
    case SOFTNIC_CIPHER_AES_GCM_128: return algs->aes_128_gcm;
    case SOFTNIC_CIPHER_AES_GCM_256: return algs->aes_256_gcm;
    case SOFTNIC_CIPHER_AES_CBC_128: return algs->aes_128_cbc;
  }
  return NULL;
}

static bool is_gcm(const softnic_sa *sa) { return sa->integrity == SOFTNIC_INTEGRITY_GCM_TAG; }

int softnic_esp_sa_init(softnic_sa *sa, const softnic_sa_params *params, bool inbound,
                        const softnic_algorithms *algs, const char **why) {
  memset(sa, 0, sizeof(*sa));
  sa->spi = params->spi;
  sa->esn = params->esn;
  sa->seq_high = params->esn ? params->seq_high : 0;
  sa->cipher = params->cipher;
  sa->integrity = params->integrity;
  sa->icv_len = params->icv_len;
  const int enc = inbound ? 0 : 1;

  sa->cipher_ctx = EVP_CIPHER_CTX_new();
  if (sa->cipher_ctx == NULL) {
    *why = "EVP_CIPHER_CTX_new failed";
    goto fail;
  }
  /* Select the cipher first so the GCM nonce length can be fixed before the key goes in. */
  if (EVP_CipherInit_ex(sa->cipher_ctx, cipher_of(algs, params->cipher), NULL, NULL, NULL, enc) !=
      1) {
    *why = "EVP_CipherInit_ex (cipher selection) failed";
    goto fail;
  }
  if (is_gcm(sa)) {
    sa->iv_len = SOFTNIC_GCM_IV_LEN;
    memcpy(sa->salt, params->salt, sizeof(sa->salt));
    /* RFC 4106 §4: nonce = salt(4) || IV(8) = 12 bytes. */
    if (EVP_CIPHER_CTX_ctrl(sa->cipher_ctx, EVP_CTRL_AEAD_SET_IVLEN, 12, NULL) != 1) {
      *why = "EVP_CTRL_AEAD_SET_IVLEN 12 failed";
      goto fail;
    }
  } else {
    sa->iv_len = SOFTNIC_CBC_IV_LEN;
  }
  if (EVP_CipherInit_ex(sa->cipher_ctx, NULL, NULL, params->enc_key, NULL, enc) != 1) {
    *why = "EVP_CipherInit_ex (key) failed";
    goto fail;
  }
  if (!is_gcm(sa)) {
    /* The transport already padded the payload (RFC 4303 §2.4); the cipher must not add a
     * PKCS#7 block of its own. Set once; it survives the per-packet IV re-initialisation. */
    if (EVP_CIPHER_CTX_set_padding(sa->cipher_ctx, 0) != 1) {
      *why = "EVP_CIPHER_CTX_set_padding 0 failed";
      goto fail;
    }
    sa->mac_ctx = EVP_MAC_CTX_new(algs->hmac);
    if (sa->mac_ctx == NULL) {
      *why = "EVP_MAC_CTX_new failed";
      goto fail;
    }
    char digest[8];
    strcpy(digest, params->integrity == SOFTNIC_INTEGRITY_HMAC_SHA1_96 ? "SHA1" : "SHA256");
    OSSL_PARAM mac_params[] = {OSSL_PARAM_construct_utf8_string(OSSL_MAC_PARAM_DIGEST, digest, 0),
                               OSSL_PARAM_construct_end()};
    if (EVP_MAC_init(sa->mac_ctx, params->auth_key, params->auth_key_len, mac_params) != 1) {
      *why = "EVP_MAC_init (HMAC key) failed";
      goto fail;
    }
  }
  return 0;

fail:
  softnic_esp_sa_release(sa);
  return -1;
}

void softnic_esp_sa_release(softnic_sa *sa) {
  /* EVP_CIPHER_CTX_free and EVP_MAC_CTX_free cleanse the key schedules and HMAC pads. */
  EVP_CIPHER_CTX_free(sa->cipher_ctx);
  EVP_MAC_CTX_free(sa->mac_ctx);
  sa->cipher_ctx = NULL;
  sa->mac_ctx = NULL;
  OPENSSL_cleanse(sa->salt, sizeof(sa->salt));
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
  OPENSSL_cleanse(pool->bytes + pool->next, len);
  pool->next += len;
  return 0;
}

/* RFC 4106 §5: AAD = SPI || Seq (8 bytes), or SPI || Seq_high || Seq_low with ESN (12 bytes). */
static size_t gcm_aad(const softnic_sa *sa, const uint8_t *esp, uint8_t aad[12]) {
  memcpy(aad, esp, 4);
  if (!sa->esn) {
    memcpy(aad + 4, esp + 4, 4);
    return 8;
  }
  store_be32(aad + 4, sa->seq_high);
  memcpy(aad + 8, esp + 4, 4);
  return 12;
}

/* RFC 4303 §2.2.1 / §3.3.2.1 step 4: HMAC over SPI..end of ciphertext, then (ESN only) the high
 * 32 bits appended after the Next Header, never transmitted. Leftmost icv_len bytes kept. */
static int hmac_icv(softnic_sa *sa, const uint8_t *esp, size_t covered, uint8_t *icv) {
  uint8_t md[HMAC_MAX_OUTPUT];
  size_t md_len = 0;
  int ok = EVP_MAC_init(sa->mac_ctx, NULL, 0, NULL) == 1 &&  /* same key, fresh state */
           EVP_MAC_update(sa->mac_ctx, esp, covered) == 1;
  if (ok && sa->esn) {
    uint8_t high[4];
    store_be32(high, sa->seq_high);
    ok = EVP_MAC_update(sa->mac_ctx, high, sizeof(high)) == 1;
  }
  ok = ok && EVP_MAC_final(sa->mac_ctx, md, &md_len, sizeof(md)) == 1 && md_len >= sa->icv_len;
  if (ok) memcpy(icv, md, sa->icv_len);
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
  if (!is_gcm(sa) && p->body_len % AES_BLOCK != 0) return SOFTNIC_ESP_BAD_LENGTH;
  return SOFTNIC_ESP_OK;
}

softnic_esp_result softnic_esp_encrypt(softnic_sa *sa, softnic_iv_pool *ivs, uint8_t *esp,
                                       size_t esp_len) {
  esp_parts p;
  const softnic_esp_result r = split(sa, esp_len, &p);
  if (r != SOFTNIC_ESP_OK) return r;
  uint8_t *iv = esp + ESP_HEADER_LEN;
  uint8_t *body = esp + p.body_off;
  int outl = 0;

  if (is_gcm(sa)) {
    /* OQ-16 / RFC 4106 §3.1: the IV must never repeat under one key. The 64-bit sequence number
     * (current high half || the low half the transport wrote) is unique for the SA's life, and
     * cannot repeat across an SA re-install either, because the sequence counter restarts only
     * with new keys. */
    store_be32(iv, sa->seq_high);
    memcpy(iv + 4, esp + 4, 4);
    uint8_t nonce[SOFTNIC_GCM_SALT_LEN + SOFTNIC_GCM_IV_LEN];
    memcpy(nonce, sa->salt, SOFTNIC_GCM_SALT_LEN);
    memcpy(nonce + SOFTNIC_GCM_SALT_LEN, iv, SOFTNIC_GCM_IV_LEN);
    uint8_t aad[12];
    const size_t aad_len = gcm_aad(sa, esp, aad);
    uint8_t final_scratch[AES_BLOCK];
    int final_len = 0;
    if (EVP_EncryptInit_ex(sa->cipher_ctx, NULL, NULL, NULL, nonce) != 1 ||
        EVP_EncryptUpdate(sa->cipher_ctx, NULL, &outl, aad, (int)aad_len) != 1 ||
        EVP_EncryptUpdate(sa->cipher_ctx, body, &outl, body, (int)p.body_len) != 1 ||
        (size_t)outl != p.body_len ||
        EVP_EncryptFinal_ex(sa->cipher_ctx, final_scratch, &final_len) != 1 || final_len != 0 ||
        EVP_CIPHER_CTX_ctrl(sa->cipher_ctx, EVP_CTRL_AEAD_GET_TAG, sa->icv_len,
                            esp + p.icv_off) != 1) {
      return SOFTNIC_ESP_INTERNAL;
    }
    return SOFTNIC_ESP_OK;
  }

  /* RFC 3602 §3: a fresh, unpredictable IV for every packet. */
  if (take_random_iv(ivs, iv, SOFTNIC_CBC_IV_LEN) != 0) return SOFTNIC_ESP_INTERNAL;
  if (EVP_EncryptInit_ex(sa->cipher_ctx, NULL, NULL, NULL, iv) != 1 ||
      EVP_EncryptUpdate(sa->cipher_ctx, body, &outl, body, (int)p.body_len) != 1 ||
      (size_t)outl != p.body_len) {
    return SOFTNIC_ESP_INTERNAL;
  }
  /* Encrypt-then-MAC: the ICV covers SPI, sequence number, IV and ciphertext. */
  return hmac_icv(sa, esp, p.icv_off, esp + p.icv_off) == 0 ? SOFTNIC_ESP_OK
                                                             : SOFTNIC_ESP_INTERNAL;
}

static softnic_esp_result read_trailer(const uint8_t *body, size_t body_len,
                                       uint8_t *next_header, uint8_t *pad_length) {
  *pad_length = body[body_len - 2];
  *next_header = body[body_len - 1];
  /* RFC 4303 §3.4.4.1 step 3: the padding must fit in front of the trailer. */
  return (size_t)*pad_length + ESP_TRAILER_MIN <= body_len ? SOFTNIC_ESP_OK
                                                           : SOFTNIC_ESP_BAD_TRAILER;
}

static softnic_esp_result gcm_decrypt(softnic_sa *sa, const uint8_t *in, uint8_t *out,
                                      const esp_parts *p, uint8_t *next_header,
                                      uint8_t *pad_length) {
  uint8_t nonce[SOFTNIC_GCM_SALT_LEN + SOFTNIC_GCM_IV_LEN];
  memcpy(nonce, sa->salt, SOFTNIC_GCM_SALT_LEN);
  memcpy(nonce + SOFTNIC_GCM_SALT_LEN, in + ESP_HEADER_LEN, SOFTNIC_GCM_IV_LEN);
  uint8_t aad[12];
  const size_t aad_len = gcm_aad(sa, in, aad);
  uint8_t tag[SOFTNIC_MAX_ICV];
  memcpy(tag, in + p->icv_off, sa->icv_len);
  uint8_t final_scratch[AES_BLOCK];
  int outl = 0;
  int final_len = 0;
  if (EVP_DecryptInit_ex(sa->cipher_ctx, NULL, NULL, NULL, nonce) != 1 ||
      EVP_DecryptUpdate(sa->cipher_ctx, NULL, &outl, aad, (int)aad_len) != 1 ||
      EVP_DecryptUpdate(sa->cipher_ctx, out + p->body_off, &outl, in + p->body_off,
                        (int)p->body_len) != 1 ||
      (size_t)outl != p->body_len ||
      EVP_CIPHER_CTX_ctrl(sa->cipher_ctx, EVP_CTRL_AEAD_SET_TAG, sa->icv_len, tag) != 1) {
    memcpy(out + p->body_off, in + p->body_off, p->body_len);
    return SOFTNIC_ESP_INTERNAL;
  }
  /* GCM decrypts and authenticates in one pass; OpenSSL compares the tag in constant time
   * (CRYPTO_memcmp) inside EVP_DecryptFinal_ex. */
  if (EVP_DecryptFinal_ex(sa->cipher_ctx, final_scratch, &final_len) != 1) {
    /* Read the unauthenticated Next Header for the failure classification only, then put the
     * received ciphertext back: a failed packet is indicated as it arrived (RECV-013). */
    *next_header = out[p->icv_off - 1];
    memcpy(out + p->body_off, in + p->body_off, p->body_len);
    return SOFTNIC_ESP_AUTH_FAILED;
  }
  return read_trailer(out + p->body_off, p->body_len, next_header, pad_length);
}

static softnic_esp_result cbc_decrypt(softnic_sa *sa, const uint8_t *in, uint8_t *out,
                                      const esp_parts *p, uint8_t *next_header,
                                      uint8_t *pad_length) {
  uint8_t icv[SOFTNIC_MAX_ICV];
  if (hmac_icv(sa, in, p->icv_off, icv) != 0) return SOFTNIC_ESP_INTERNAL;
  const int icv_ok = CRYPTO_memcmp(icv, in + p->icv_off, sa->icv_len) == 0;
  int outl = 0;

  if (!icv_ok) {
    /* RFC 4303 §3.4.4: nothing is decrypted for delivery. Only the last block is deciphered,
     * into a scratch buffer, to read the Next Header that classifies the failure. */
    const uint8_t *last = in + p->icv_off - AES_BLOCK;
    const uint8_t *chain = p->body_len == AES_BLOCK ? in + ESP_HEADER_LEN : last - AES_BLOCK;
    uint8_t block[AES_BLOCK];
    if (EVP_DecryptInit_ex(sa->cipher_ctx, NULL, NULL, NULL, chain) == 1 &&
        EVP_DecryptUpdate(sa->cipher_ctx, block, &outl, last, (int)AES_BLOCK) == 1 &&
        outl == (int)AES_BLOCK) {
      *next_header = block[AES_BLOCK - 1];
    }
    OPENSSL_cleanse(block, sizeof(block));
    return SOFTNIC_ESP_AUTH_FAILED;
  }
  if (EVP_DecryptInit_ex(sa->cipher_ctx, NULL, NULL, NULL, in + ESP_HEADER_LEN) != 1 ||
      EVP_DecryptUpdate(sa->cipher_ctx, out + p->body_off, &outl, in + p->body_off,
                        (int)p->body_len) != 1 ||
      (size_t)outl != p->body_len) {
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
  return is_gcm(sa) ? gcm_decrypt(sa, in, out, &p, next_header, pad_length)
                    : cbc_decrypt(sa, in, out, &p, next_header, pad_length);
}
