/*
 * softnic_oid.c — the four IPsecOV2 OIDs over the binary InformationBuffer (x64 layout, live
 * Next pointers): ADD_SA (list), ADD_SA_EX (one bundle), DELETE_SA (list), UPDATE_SA (one).
 *
 * NDIS does not validate OID content (GEN-004), so this file trusts nothing:
 *  - every read is bounds-checked against [buffer, buffer + length) before it happens, and the
 *    checked bytes are copied into a local structure (softnic_ndis.h) before they are used;
 *  - a Next pointer is converted to an offset and must land inside the buffer with room for a
 *    whole element; a list that loops is detected (Brent's algorithm, no allocation);
 *  - an element is validated completely into softnic_bundle_params, and only then committed:
 *    a rejected element leaves no trace in the table (DESIGN invariant, netdevsim model).
 *
 * Status choices for failures the documentation leaves open (OQ-04): capacity → RESOURCES,
 * algorithm or feature not advertised → NOT_SUPPORTED, malformed values → INVALID_DATA, buffer
 * too short → INVALID_LENGTH with BytesNeeded, bad object header → INVALID_PARAMETER (OQ-01).
 */
#include <stdbool.h>
#include <stdio.h>
#include <string.h>

#include <openssl/crypto.h>

#include "softnic_device.h"
#include "softnic_ndis.h"
#include "softnic_profile.h"

/* The fixed part of an ADD_SA element: everything before KeyData. */
#define ADD_SA_FIXED ((uint32_t)offsetof(IPSEC_OFFLOAD_V2_ADD_SA, KeyData))
#define ADD_SA_EX_FIXED ((uint32_t)NDIS_SIZEOF_IPSEC_OFFLOAD_V2_ADD_SA_EX_REVISION_1)
#define DELETE_SA_FIXED ((uint32_t)NDIS_SIZEOF_IPSEC_OFFLOAD_V2_DELETE_SA_REVISION_1)
#define UPDATE_SA_FIXED ((uint32_t)NDIS_SIZEOF_IPSEC_OFFLOAD_V2_UPDATE_SA_REVISION_1)

/* Per-identifier facts. Key lengths are the RFC sizes the NDIS pages leave unstated: DES 8
 * (RFC 2405), 3DES 24 (RFC 2451), AES-CBC 16/24/32 (RFC 3602), HMAC-MD5 16 (RFC 2403), HMAC-SHA-1
 * 20 (RFC 2404), HMAC-SHA-256 32 (RFC 4868); AES-GCM and AES-GMAC keys are followed by the RFC
 * 4106 §8.1 / RFC 4543 §5.4 salt (OQ-07, advertised through gcm_key_includes_salt = 1). */
typedef struct algorithm_facts {
  uint32_t identifier;
  const char *name;
  uint8_t key_length; /* without the salt */
  bool aes_gcm;       /* AES-GCM or AES-GMAC: key || 4-byte salt */
  uint8_t icv_length; /* HMAC truncation; GMAC 16 (RFC 4543 §3); 0 for ciphers */
  softnic_cipher cipher;
  softnic_integrity integrity;
} algorithm_facts;

static const algorithm_facts authentication_facts[] = {
    {IPSEC_OFFLOAD_V2_AUTHENTICATION_MD5, "HMAC-MD5-96", 16, false, 12, SOFTNIC_CIPHER_NULL,
     SOFTNIC_INTEGRITY_HMAC_MD5_96},
    {IPSEC_OFFLOAD_V2_AUTHENTICATION_SHA_1, "HMAC-SHA1-96", 20, false, 12, SOFTNIC_CIPHER_NULL,
     SOFTNIC_INTEGRITY_HMAC_SHA1_96},
    {IPSEC_OFFLOAD_V2_AUTHENTICATION_SHA_256, "HMAC-SHA-256-128", 32, false, 16,
     SOFTNIC_CIPHER_NULL, SOFTNIC_INTEGRITY_HMAC_SHA256_128},
    {IPSEC_OFFLOAD_V2_AUTHENTICATION_AES_GCM_128, "AES-GMAC-128", 16, true, 16,
     SOFTNIC_CIPHER_AES_GMAC_128, SOFTNIC_INTEGRITY_GCM_TAG},
    {IPSEC_OFFLOAD_V2_AUTHENTICATION_AES_GCM_192, "AES-GMAC-192", 24, true, 16,
     SOFTNIC_CIPHER_AES_GMAC_192, SOFTNIC_INTEGRITY_GCM_TAG},
    {IPSEC_OFFLOAD_V2_AUTHENTICATION_AES_GCM_256, "AES-GMAC-256", 32, true, 16,
     SOFTNIC_CIPHER_AES_GMAC_256, SOFTNIC_INTEGRITY_GCM_TAG},
};

static const algorithm_facts encryption_facts[] = {
    {IPSEC_OFFLOAD_V2_ENCRYPTION_NONE, "ESP-NULL", 0, false, 0, SOFTNIC_CIPHER_NULL,
     SOFTNIC_INTEGRITY_GCM_TAG},
    {IPSEC_OFFLOAD_V2_ENCRYPTION_DES_CBC, "DES-CBC", 8, false, 0, SOFTNIC_CIPHER_DES_CBC,
     SOFTNIC_INTEGRITY_GCM_TAG},
    {IPSEC_OFFLOAD_V2_ENCRYPTION_3_DES_CBC, "3DES-CBC", 24, false, 0, SOFTNIC_CIPHER_3DES_CBC,
     SOFTNIC_INTEGRITY_GCM_TAG},
    {IPSEC_OFFLOAD_V2_ENCRYPTION_AES_GCM_128, "AES-GCM-128", 16, true, 0,
     SOFTNIC_CIPHER_AES_GCM_128, SOFTNIC_INTEGRITY_GCM_TAG},
    {IPSEC_OFFLOAD_V2_ENCRYPTION_AES_GCM_192, "AES-GCM-192", 24, true, 0,
     SOFTNIC_CIPHER_AES_GCM_192, SOFTNIC_INTEGRITY_GCM_TAG},
    {IPSEC_OFFLOAD_V2_ENCRYPTION_AES_GCM_256, "AES-GCM-256", 32, true, 0,
     SOFTNIC_CIPHER_AES_GCM_256, SOFTNIC_INTEGRITY_GCM_TAG},
    {IPSEC_OFFLOAD_V2_ENCRYPTION_AES_CBC_128, "AES-CBC-128", 16, false, 0,
     SOFTNIC_CIPHER_AES_CBC_128, SOFTNIC_INTEGRITY_GCM_TAG},
    {IPSEC_OFFLOAD_V2_ENCRYPTION_AES_CBC_192, "AES-CBC-192", 24, false, 0,
     SOFTNIC_CIPHER_AES_CBC_192, SOFTNIC_INTEGRITY_GCM_TAG},
    {IPSEC_OFFLOAD_V2_ENCRYPTION_AES_CBC_256, "AES-CBC-256", 32, false, 0,
     SOFTNIC_CIPHER_AES_CBC_256, SOFTNIC_INTEGRITY_GCM_TAG},
};

#define COUNT_OF(a) (sizeof(a) / sizeof((a)[0]))

static const algorithm_facts *find_facts(const algorithm_facts *table, size_t n, uint32_t id) {
  for (size_t i = 0; i < n; ++i) {
    if (table[i].identifier == id) return &table[i];
  }
  return NULL;
}

static uint32_t saturate_u32(uint64_t v) { return v > UINT32_MAX ? UINT32_MAX : (uint32_t)v; }

static void write_handle(uint8_t *buffer, uint32_t length, uint64_t at, uint64_t handle) {
  if (at <= length && length - at >= sizeof(handle)) memcpy(buffer + at, &handle, sizeof(handle));
}

/* ---- Linked lists (ADD_SA, DELETE_SA) ------------------------------------------------------- */

typedef enum list_status {
  LIST_OK,
  LIST_OUTSIDE,   /* Next points before the buffer or at/after its end */
  LIST_TRUNCATED, /* Next points inside the buffer but the element runs past its end */
  LIST_LOOP       /* following Next comes back to an element already visited */
} list_status;

typedef struct list_walk {
  list_status status;
  uint32_t count;      /* LIST_OK: elements in the list; otherwise elements safely reachable */
  uint32_t bad_index;  /* the element whose Next is bad */
  uint64_t needed;     /* LIST_TRUNCATED: bytes the buffer would need */
} list_walk;

/* Reads the Next member (offset 8 in both list structures) of the element at `off` (whose
 * `fixed` bytes are known to be inside the buffer) and turns it into a buffer offset. */
static list_status list_next(const uint8_t *buffer, uint32_t length, uint32_t fixed, uint32_t off,
                             bool *end, uint32_t *next_off, uint64_t *needed) {
  uint64_t next = 0;
  memcpy(&next, buffer + off + 8, sizeof(next));
  *end = next == 0;
  if (*end) return LIST_OK;
  /* Unsigned arithmetic: a pointer below the buffer wraps to a huge offset. */
  const uint64_t rel = next - (uint64_t)(uintptr_t)buffer;
  if (rel >= length) return LIST_OUTSIDE;
  if (length - rel < fixed) {
    *needed = rel + fixed;
    return LIST_TRUNCATED;
  }
  *next_off = (uint32_t)rel;
  return LIST_OK;
}

/* Measures a list whose first element (offset 0) has its `fixed` bytes inside the buffer.
 * Brent's cycle detection: constant memory, linear time, any list shape. */
static list_walk list_measure(const uint8_t *buffer, uint32_t length, uint32_t fixed) {
  list_walk w = {LIST_OK, 1, 0, 0};
  uint32_t tortoise = 0;
  uint32_t hare = 0;
  uint64_t power = 1;
  uint64_t lambda = 1;
  for (;;) {
    bool end = false;
    uint32_t next = 0;
    w.status = list_next(buffer, length, fixed, hare, &end, &next, &w.needed);
    if (w.status != LIST_OK) {
      w.bad_index = w.count - 1;
      return w;
    }
    if (end) return w;
    hare = next;
    if (hare == tortoise) {
      w.status = LIST_LOOP;
      w.bad_index = w.count - 1;
      return w;
    }
    w.count++;
    if (power == lambda) {
      tortoise = hare;
      power *= 2;
      lambda = 0;
    }
    lambda++;
  }
}

/* Moves `*off` to the next element of a measured list. The Next member is read and checked
 * again: in a list whose elements overlap, writing one element's OffloadHandle can change the
 * Next of another after list_measure() saw it. False when the list ends or stops being safe. */
static bool list_advance(const uint8_t *buffer, uint32_t length, uint32_t fixed, uint32_t *off) {
  bool end = false;
  uint32_t next = 0;
  uint64_t needed = 0;
  if (list_next(buffer, length, fixed, *off, &end, &next, &needed) != LIST_OK || end) return false;
  *off = next;
  return true;
}

/* ---- ADD validation ------------------------------------------------------------------------ */

/* The fields ADD_SA and ADD_SA_EX share, whichever structure they came from. */
typedef struct add_request {
  const char *structure;     /* "ADD_SA" or "ADD_SA_EX" */
  uint32_t element;          /* index in the list, for messages */
  NDIS_OBJECT_HEADER header;
  uint16_t min_size;         /* the NDIS_SIZEOF_..._REVISION_1 of the structure */
  uint32_t num_ext_hdrs;
  uint32_t flags;
  IPSEC_OFFLOAD_V2_ENDPOINTS endpoints;
  uint32_t udp_esp;
  IPSEC_OFFLOAD_V2_SECURITY_ASSOCIATION sa[IPSEC_OFFLOAD_V2_MAX_EXTENSION_HEADERS];
  const uint8_t *key_block;
  uint32_t key_block_len;
  uint64_t buffer_rest; /* bytes of the InformationBuffer from key_block to its end */
} add_request;

#define REJECT(status, ...)                  \
  do {                                       \
    softnic_set_error(dut, __VA_ARGS__);     \
    return (status);                         \
  } while (0)

static bool single_bit_in(uint32_t value, uint32_t defined) {
  return value != 0 && (value & (value - 1u)) == 0 && (value & ~defined) == 0;
}

/* OQ-01: Type 0x80, Revision >= 1, Size >= the documented NDIS_SIZEOF value. */
static uint32_t check_header(ipsec_cts_dut *dut, const char *what, uint32_t element,
                             const NDIS_OBJECT_HEADER *h, uint16_t min_size) {
#if defined(SOFTNIC_FAULT_HEADER_TYPE_UNCHECKED)
  if (0) { /* Fault: Header.Type is never looked at. */
#else
  if (h->Type != NDIS_OBJECT_TYPE_DEFAULT) {
#endif
    REJECT(NDIS_STATUS_INVALID_PARAMETER,
           "%s element %u: Header.Type 0x%02x, expected 0x80 (NDIS_OBJECT_TYPE_DEFAULT)", what,
           element, h->Type);
  }
#if defined(SOFTNIC_FAULT_HEADER_REVISION_UNCHECKED)
  if (0) { /* Fault: Header.Revision is never looked at. */
#else
  if (h->Revision < NDIS_IPSEC_OFFLOAD_V2_REVISION_1) {
#endif
    REJECT(NDIS_STATUS_INVALID_PARAMETER, "%s element %u: Header.Revision 0, expected >= 1",
           what, element);
  }
#if defined(SOFTNIC_FAULT_HEADER_SIZE_UNCHECKED)
  if (0) { /* Fault: Header.Size is never looked at. */
#else
  if (h->Size < min_size) {
#endif
    REJECT(NDIS_STATUS_INVALID_PARAMETER,
           "%s element %u: Header.Size %u is below NDIS_SIZEOF_..._REVISION_1 (%u)", what,
           element, h->Size, min_size);
  }
  return NDIS_STATUS_SUCCESS;
}

/* Malformed-value checks of one ALGORITHM_INFO: a single defined identifier bit (or 0 = not
 * used, OQ-08) whose key lies inside the key block. */
static uint32_t check_algorithm_form(ipsec_cts_dut *dut, const add_request *r, uint32_t i,
                                     const char *name, const IPSEC_OFFLOAD_V2_ALGORITHM_INFO *a,
                                     uint32_t defined) {
  if (a->Identifier == 0) return NDIS_STATUS_SUCCESS;
  if (!single_bit_in(a->Identifier, defined)) {
    REJECT(NDIS_STATUS_INVALID_DATA,
           "%s element %u: SecAssoc[%u].%s.Identifier 0x%x is not one defined algorithm",
           r->structure, r->element, i, name, a->Identifier);
  }
#if defined(SOFTNIC_FAULT_KEY_OFFSET_UNCHECKED)
  /* Fault: the key is checked against the rest of the InformationBuffer, not against the key
   * block the element declares, so a key that runs past KeyLength is accepted. */
  if ((uint64_t)a->KeyOffsetBytes + a->KeyLength > r->buffer_rest) {
#else
  if ((uint64_t)a->KeyOffsetBytes + a->KeyLength > r->key_block_len) {
#endif
    REJECT(NDIS_STATUS_INVALID_DATA,
           "%s element %u: SecAssoc[%u].%s key (offset %u, length %u) runs past the %u-byte key "
           "block",
           r->structure, r->element, i, name, a->KeyOffsetBytes, a->KeyLength,
           r->key_block_len);
  }
  return NDIS_STATUS_SUCCESS;
}

static uint32_t check_sa_form(ipsec_cts_dut *dut, const add_request *r, uint32_t i) {
  const IPSEC_OFFLOAD_V2_SECURITY_ASSOCIATION *sa = &r->sa[i];
  uint32_t st;
  if (sa->Flags & ~IPSEC_OFFLOAD_V2_ESN_SA) {
    REJECT(NDIS_STATUS_INVALID_DATA, "%s element %u: SecAssoc[%u].Flags 0x%x has undefined bits",
           r->structure, r->element, i, sa->Flags);
  }
  if (sa->Operation != IPsecOffloadV2Ah && sa->Operation != IPsecOffloadV2Esp) {
    REJECT(NDIS_STATUS_INVALID_DATA,
           "%s element %u: SecAssoc[%u].Operation %u is neither AH (1) nor ESP (2) (ADD-024)",
           r->structure, r->element, i, sa->Operation);
  }
#if defined(SOFTNIC_FAULT_SPI_ZERO_ACCEPTED)
  if (0) { /* Fault: SPI 0 is programmed like any other. */
#else
  if (sa->Spi == 0) {
#endif
    REJECT(NDIS_STATUS_INVALID_DATA, "%s element %u: SecAssoc[%u].Spi is 0 (RFC 4303 §2.1)",
           r->structure, r->element, i);
  }
  if ((st = check_algorithm_form(dut, r, i, "AuthenticationAlgorithm", &sa->AuthenticationAlgorithm,
                                 IPSEC_OFFLOAD_V2_AUTHENTICATION_DEFINED)) != 0 ||
      (st = check_algorithm_form(dut, r, i, "EncryptionAlgorithm", &sa->EncryptionAlgorithm,
                                 IPSEC_OFFLOAD_V2_ENCRYPTION_DEFINED)) != 0) {
    return st;
  }
  const uint32_t auth = sa->AuthenticationAlgorithm.Identifier;
  const uint32_t enc = sa->EncryptionAlgorithm.Identifier;
  if (sa->Operation == IPsecOffloadV2Ah && (auth == 0 || enc != 0)) {
    REJECT(NDIS_STATUS_INVALID_DATA,
           "%s element %u: SecAssoc[%u] is AH but does not carry exactly an authentication "
           "algorithm (ADD-019)",
           r->structure, r->element, i);
  }
  if (sa->Operation == IPsecOffloadV2Esp && auth == 0 && enc == 0) {
    REJECT(NDIS_STATUS_INVALID_DATA,
           "%s element %u: SecAssoc[%u] is ESP with neither an authentication nor an encryption "
           "algorithm (ADD-020)",
           r->structure, r->element, i);
  }
  return NDIS_STATUS_SUCCESS;
}

static void copy_key(uint8_t *dst, const add_request *r, const IPSEC_OFFLOAD_V2_ALGORITHM_INFO *a,
                     uint32_t len) {
#if defined(SOFTNIC_FAULT_KEY_OFFSET_BYTES_IGNORED)
  (void)a; /* Fault: every key is read from the start of KeyData. */
  memcpy(dst, r->key_block, len);
#else
  memcpy(dst, r->key_block + a->KeyOffsetBytes, len);
#endif
}

static uint32_t expected_key_length(const algorithm_facts *f) {
  return f->key_length + (f->aes_gcm ? SOFTNIC_GCM_SALT_LEN : 0u);
}

/* Form checks of the algorithm pair (ADD-018..022, OQ-08, OQ-09), the advertised set
 * (ADD-025), and key extraction for SecAssoc[i]: ESP, or AH (an authentication algorithm only,
 * ADD-019: an HMAC, or AES-GMAC keyed like ESP's). */
static uint32_t select_sa(ipsec_cts_dut *dut, const add_request *r, uint32_t i, softnic_sa_params *out) {
  const IPSEC_OFFLOAD_V2_SECURITY_ASSOCIATION *sa = &r->sa[i];
  const IPSEC_OFFLOAD_V2_ALGORITHM_INFO *ai = &sa->AuthenticationAlgorithm;
  const IPSEC_OFFLOAD_V2_ALGORITHM_INFO *ei = &sa->EncryptionAlgorithm;
  /* check_sa_form() made both identifiers 0 or one defined constant. */
  const algorithm_facts *auth =
      find_facts(authentication_facts, COUNT_OF(authentication_facts), ai->Identifier);
  const algorithm_facts *enc =
      find_facts(encryption_facts, COUNT_OF(encryption_facts), ei->Identifier);
  const bool gcm = enc != NULL && enc->aes_gcm;
  const bool gmac = auth != NULL && auth->aes_gcm;

  out->spi = sa->Spi;
#if defined(SOFTNIC_FAULT_ESN_FLAG_IGNORED)
  out->esn = false; /* Fault: SecAssoc.Flags is not read; every SA runs with 32-bit numbers. */
#elif defined(SOFTNIC_FAULT_ESN_FROM_HIGH_HALF)
  /* Fault: a non-zero SequenceNumberHighOrder is taken to mean ESN as well as the flag. */
  out->esn = (sa->Flags & IPSEC_OFFLOAD_V2_ESN_SA) != 0 || sa->SequenceNumberHighOrder != 0;
#else
  out->esn = (sa->Flags & IPSEC_OFFLOAD_V2_ESN_SA) != 0;
#endif
#if defined(SOFTNIC_FAULT_INITIAL_HIGH_HALF_IGNORED)
  out->seq_high = 0; /* Fault: the SequenceNumberHighOrder given at ADD is dropped. */
#else
  out->seq_high = out->esn ? sa->SequenceNumberHighOrder : 0;
#endif

  if (gcm && ai->Identifier != 0) {
    REJECT(NDIS_STATUS_INVALID_DATA,
           "%s element %u: %s is combined mode; AuthenticationAlgorithm.Identifier must be 0, "
           "found 0x%x (ADD-021)",
           r->structure, r->element, enc->name, ai->Identifier);
  }
  if (gcm && ei->AdditionalInfo != 8 && ei->AdditionalInfo != 12 && ei->AdditionalInfo != 16) {
    REJECT(NDIS_STATUS_INVALID_DATA,
           "%s element %u: AES-GCM ICV length (AdditionalInfo) %u is not 8, 12 or 16 "
           "(RFC 4106 §3.4, ADD-022)",
           r->structure, r->element, ei->AdditionalInfo);
  }
  if (gmac && ei->Identifier != 0 && ei->Identifier != IPSEC_OFFLOAD_V2_ENCRYPTION_NONE) {
    REJECT(NDIS_STATUS_INVALID_DATA,
           "%s element %u: %s is integrity only (RFC 4543); EncryptionAlgorithm must be NONE or 0",
           r->structure, r->element, auth->name);
  }
  if (auth == NULL && ei->Identifier == IPSEC_OFFLOAD_V2_ENCRYPTION_NONE) {
    REJECT(NDIS_STATUS_INVALID_DATA,
           "%s element %u: ESP-NULL needs an authentication algorithm (RFC 4303 §3.2, OQ-08)",
           r->structure, r->element);
  }
  if (auth == NULL && !gcm) {
    REJECT(NDIS_STATUS_NOT_SUPPORTED,
           "%s element %u: %s without an integrity algorithm is not supported (OQ-09: every "
           "offloaded ESP packet carries an ICV)",
           r->structure, r->element, enc->name);
  }
  if (gmac && ai->AdditionalInfo != 0 && ai->AdditionalInfo != 16) {
    REJECT(NDIS_STATUS_INVALID_DATA,
           "%s element %u: AES-GMAC ICV length (AdditionalInfo) %u; RFC 4543 §3 fixes 16 (or 0)",
           r->structure, r->element, ai->AdditionalInfo);
  }
  if (enc == NULL && ei->KeyLength != 0) {
    REJECT(NDIS_STATUS_INVALID_DATA,
           "%s element %u: EncryptionAlgorithm.KeyLength %u but Identifier 0 (not used, OQ-08)",
           r->structure, r->element, ei->KeyLength);
  }
  if (auth != NULL && ai->KeyLength != expected_key_length(auth)) {
    REJECT(NDIS_STATUS_INVALID_DATA, "%s element %u: %s key length %u, expected %u%s",
           r->structure, r->element, auth->name, ai->KeyLength, expected_key_length(auth),
           auth->aes_gcm ? " (key || 4-byte salt, OQ-07)" : "");
  }
  if (enc != NULL && ei->KeyLength != expected_key_length(enc)) {
    REJECT(NDIS_STATUS_INVALID_DATA, "%s element %u: %s key length %u, expected %u%s",
           r->structure, r->element, enc->name, ei->KeyLength, expected_key_length(enc),
           enc->aes_gcm ? " (key || 4-byte salt, OQ-07)" : "");
  }
  if (auth != NULL && enc != NULL && ai->KeyLength != 0 && ei->KeyLength != 0 &&
      ai->KeyOffsetBytes < (uint64_t)ei->KeyOffsetBytes + ei->KeyLength &&
      ei->KeyOffsetBytes < (uint64_t)ai->KeyOffsetBytes + ai->KeyLength) {
    REJECT(NDIS_STATUS_INVALID_DATA,
           "%s element %u: the authentication and encryption keys overlap in the key block "
           "(ADD-018)",
           r->structure, r->element);
  }

  /* Well formed; now what this build advertises (softnic_profile.c). */
  const softnic_profile *profile = softnic_profile_get();
#if defined(SOFTNIC_FAULT_UNADVERTISED_ALGORITHM_ACCEPTED)
  (void)profile; /* Fault: whatever the engine can run is accepted, advertised or not. */
#else
  if (auth != NULL && (profile->authentication_algorithms & auth->identifier) == 0) {
    REJECT(NDIS_STATUS_NOT_SUPPORTED,
           "%s element %u: authentication algorithm %s (0x%x) is not advertised (0x%x)",
           r->structure, r->element, auth->name, auth->identifier,
           profile->authentication_algorithms);
  }
  if (enc != NULL && (profile->encryption_algorithms & enc->identifier) == 0) {
    REJECT(NDIS_STATUS_NOT_SUPPORTED,
           "%s element %u: encryption algorithm %s (0x%x) is not advertised (0x%x)",
           r->structure, r->element, enc->name, enc->identifier, profile->encryption_algorithms);
  }
#endif

  if (gmac) {
    out->cipher = auth->cipher;
    out->integrity = SOFTNIC_INTEGRITY_GCM_TAG;
    out->icv_len = 16u;
    out->enc_key_len = auth->key_length;
    copy_key(out->enc_key, r, ai, out->enc_key_len);
    memcpy(out->salt, r->key_block + ai->KeyOffsetBytes + out->enc_key_len, SOFTNIC_GCM_SALT_LEN);
    return NDIS_STATUS_SUCCESS;
  }
  out->cipher = enc != NULL ? enc->cipher : SOFTNIC_CIPHER_NULL; /* OQ-08: 0 = ESP-NULL */
  if (gcm) {
    out->integrity = SOFTNIC_INTEGRITY_GCM_TAG;
#if defined(SOFTNIC_FAULT_GCM_ICV_LENGTH_IGNORED)
    out->icv_len = 16u; /* Fault: AdditionalInfo accepted, then the hardware's 16 used. */
#else
    out->icv_len = (uint8_t)ei->AdditionalInfo;
#endif
    out->enc_key_len = enc->key_length;
    copy_key(out->enc_key, r, ei, out->enc_key_len);
    memcpy(out->salt, r->key_block + ei->KeyOffsetBytes + out->enc_key_len, SOFTNIC_GCM_SALT_LEN);
    return NDIS_STATUS_SUCCESS;
  }
  out->integrity = auth->integrity;
  out->icv_len = auth->icv_length;
  out->auth_key_len = auth->key_length;
  copy_key(out->auth_key, r, ai, auth->key_length);
  if (enc != NULL && enc->key_length != 0) {
    out->enc_key_len = enc->key_length;
    copy_key(out->enc_key, r, ei, enc->key_length);
  }
  return NDIS_STATUS_SUCCESS;
}

/* Validates one element (header already known to be readable) into `out`. */
static uint32_t validate_add(ipsec_cts_dut *dut, const add_request *r, softnic_bundle_params *out) {
  uint32_t st = check_header(dut, r->structure, r->element, &r->header, r->min_size);
  if (st != NDIS_STATUS_SUCCESS) return st;
  if (r->num_ext_hdrs < 1 || r->num_ext_hdrs > IPSEC_OFFLOAD_V2_MAX_EXTENSION_HEADERS) {
    REJECT(NDIS_STATUS_INVALID_DATA, "%s element %u: NumExtHdrs %u is not 1 or 2 (ADD-010)",
           r->structure, r->element, r->num_ext_hdrs);
  }
  if (r->flags & ~IPSEC_OFFLOAD_V2_ADD_SA_KNOWN_FLAGS) {
    REJECT(NDIS_STATUS_INVALID_DATA,
           "%s element %u: Flags 0x%x has bits other than INBOUND 0x1 and IPv6 0x10",
           r->structure, r->element, r->flags);
  }
  if (r->udp_esp != 0 && !single_bit_in(r->udp_esp, IPSEC_OFFLOAD_V2_UDP_ESP_ENCAPSULATION_DEFINED)) {
    REJECT(NDIS_STATUS_INVALID_DATA,
           "%s element %u: UdpEspEncapsulation 0x%x is not one defined type (OQ-20)",
           r->structure, r->element, r->udp_esp);
  }
  for (uint32_t i = 0; i < r->num_ext_hdrs; ++i) {
    if ((st = check_sa_form(dut, r, i)) != NDIS_STATUS_SUCCESS) return st;
  }
  if (r->num_ext_hdrs == 2 &&
      (r->sa[0].Operation != IPsecOffloadV2Esp || r->sa[1].Operation != IPsecOffloadV2Ah)) {
    REJECT(NDIS_STATUS_INVALID_DATA,
           "%s element %u: a two-SA bundle must be ESP then AH (ADD-011)", r->structure,
           r->element);
  }

  /* Well formed; now what this device can do. */
  if ((r->udp_esp & ~softnic_profile_get()->udp_esp) != 0) {
    REJECT(NDIS_STATUS_NOT_SUPPORTED,
           "%s element %u: UDP-ESP encapsulation 0x%x is not advertised (UdpEsp = 0x%x, UDP-001)",
           r->structure, r->element, r->udp_esp, softnic_profile_get()->udp_esp);
  }
  if (r->num_ext_hdrs == 2 && !softnic_profile_get()->ah) {
    REJECT(NDIS_STATUS_NOT_SUPPORTED,
           "%s element %u: AH+ESP bundles are not advertised (AhEspCombined = FALSE)",
           r->structure, r->element);
  }
  if (r->sa[0].Operation == IPsecOffloadV2Ah && !softnic_profile_get()->ah) {
    REJECT(NDIS_STATUS_NOT_SUPPORTED, "%s element %u: AH is not advertised (Ah = FALSE)",
           r->structure, r->element);
  }

  memset(out, 0, sizeof(*out));
  out->inbound = (r->flags & IPSEC_OFFLOAD_V2_INBOUND) != 0;
  out->udp_esp = r->udp_esp;
  out->ipv6 = (r->flags & IPSEC_OFFLOAD_V2_IPv6) != 0;
  if (out->ipv6) {
    memcpy(out->src, r->endpoints.IPv6Endpoints.SrcAddr, 16);
    memcpy(out->dst, r->endpoints.IPv6Endpoints.DestAddr, 16);
  } else {
    memcpy(out->src, r->endpoints.IPv4Endpoints.SrcAddr, 4);
    memcpy(out->dst, r->endpoints.IPv4Endpoints.DestAddr, 4);
  }
  /* SecAssoc order: [ESP], [AH] or [ESP, AH] (ADD-011). */
  out->has_esp = r->sa[0].Operation == IPsecOffloadV2Esp;
  out->has_ah = !out->has_esp || r->num_ext_hdrs == 2;
  if (out->has_esp && (st = select_sa(dut, r, 0, &out->esp)) != NDIS_STATUS_SUCCESS) return st;
  if (out->has_ah) return select_sa(dut, r, out->has_esp ? 1u : 0u, &out->ah);
  return NDIS_STATUS_SUCCESS;
}

/* Commits a validated bundle. Returns the NDIS status and the handle. */
static uint32_t commit_add(ipsec_cts_dut *dut, const add_request *r,
                           const softnic_bundle_params *params, uint32_t *handle) {
  switch (softnic_table_check_room(&dut->table, params)) {
    case SOFTNIC_ROOM_OK:
      break;
    case SOFTNIC_ROOM_NO_INBOUND_SLOT:
      REJECT(NDIS_STATUS_RESOURCES,
             "%s element %u: no inbound bundle slot (%u inbound of %u, %u of %u in total)",
             r->structure, r->element, dut->table.inbound_used, dut->table.inbound_capacity,
             dut->table.total_capacity - dut->table.free_count, dut->table.total_capacity);
    case SOFTNIC_ROOM_NO_OUTBOUND_SLOT:
      REJECT(NDIS_STATUS_RESOURCES,
             "%s element %u: no outbound bundle slot (%u outbound of %u, %u of %u in total)",
             r->structure, r->element, dut->table.outbound_used, dut->table.outbound_capacity,
             dut->table.total_capacity - dut->table.free_count, dut->table.total_capacity);
    case SOFTNIC_ROOM_NO_DEST_ADDRESS:
      REJECT(NDIS_STATUS_RESOURCES,
             "%s element %u: a new inbound destination address needs an entry and all %u are in "
             "use",
             r->structure, r->element, dut->table.dest_capacity);
  }
  softnic_bundle *b = softnic_table_reserve(&dut->table, params);
  const char *why = "no free slot";
  if (b == NULL ||
      (params->has_esp && softnic_esp_sa_init(&b->esp, &params->esp, params->inbound, &dut->algs, &why) != 0) ||
      (params->has_ah && softnic_esp_sa_init(&b->ah, &params->ah, params->inbound, &dut->algs, &why) != 0)) {
    if (b != NULL) {
      softnic_esp_sa_release(&b->esp);
      softnic_esp_sa_release(&b->ah);
      softnic_table_release(&dut->table, b);
    }
    REJECT(NDIS_STATUS_RESOURCES, "%s element %u: cannot program the SA: %s", r->structure,
           r->element, why);
  }
  *handle = softnic_table_publish(&dut->table, b);
  return NDIS_STATUS_SUCCESS;
}

static uint32_t add_one(ipsec_cts_dut *dut, const add_request *r, uint32_t *handle) {
  softnic_bundle_params params;
  memset(&params, 0, sizeof(params));
  uint32_t st = validate_add(dut, r, &params);
  if (st == NDIS_STATUS_SUCCESS) st = commit_add(dut, r, &params, handle);
  OPENSSL_cleanse(&params, sizeof(params)); /* the only copy of the keys outside OpenSSL */
  return st;
}

static void request_from_add_sa(const IPSEC_OFFLOAD_V2_ADD_SA *s, const uint8_t *keys,
                                uint64_t buffer_rest, uint32_t element, add_request *r) {
  r->structure = "ADD_SA";
  r->element = element;
  r->header = s->Header;
  r->min_size = NDIS_SIZEOF_IPSEC_OFFLOAD_V2_ADD_SA_REVISION_1;
  r->num_ext_hdrs = s->NumExtHdrs;
  r->flags = s->Flags;
  r->endpoints = s->Endpoints;
  r->udp_esp = s->UdpEspEncapsulation;
  memcpy(r->sa, s->SecAssoc, sizeof(r->sa));
  r->key_block = keys;
  r->key_block_len = s->KeyLength;
  r->buffer_rest = buffer_rest;
}

/* ---- OID_TCP_TASK_IPSEC_OFFLOAD_V2_ADD_SA -------------------------------------------------- */

static uint32_t oid_add_sa(ipsec_cts_dut *dut, uint8_t *buffer, uint32_t length,
                           uint32_t *bytes_read, uint32_t *bytes_needed) {
  const uint64_t handle_at = offsetof(IPSEC_OFFLOAD_V2_ADD_SA, OffloadHandle);
  if (length < NDIS_SIZEOF_IPSEC_OFFLOAD_V2_ADD_SA_REVISION_1) {
    write_handle(buffer, length, handle_at, 0);
    *bytes_needed = NDIS_SIZEOF_IPSEC_OFFLOAD_V2_ADD_SA_REVISION_1;
    REJECT(NDIS_STATUS_INVALID_LENGTH, "ADD_SA: InformationBufferLength %u is below %u", length,
           NDIS_SIZEOF_IPSEC_OFFLOAD_V2_ADD_SA_REVISION_1);
  }

  /* Pass 1: the list structure. A broken list fails the whole request (ADD-005). */
  const list_walk w = list_measure(buffer, length, ADD_SA_FIXED);
  uint32_t status = NDIS_STATUS_SUCCESS;
  switch (w.status) {
    case LIST_OK:
      break;
    case LIST_OUTSIDE:
      status = NDIS_STATUS_INVALID_DATA;
      softnic_set_error(dut, "ADD_SA element %u: Next points outside the %u-byte buffer",
                        w.bad_index, length);
      break;
    case LIST_TRUNCATED:
      status = NDIS_STATUS_INVALID_LENGTH;
      *bytes_needed = saturate_u32(w.needed);
      softnic_set_error(dut,
                        "ADD_SA element %u: Next points at an element that runs past the %u-byte "
                        "buffer (%u bytes needed)",
                        w.bad_index, length, *bytes_needed);
      break;
    case LIST_LOOP:
      status = NDIS_STATUS_INVALID_DATA;
      softnic_set_error(dut, "ADD_SA element %u: the Next pointers loop", w.bad_index);
      break;
  }

  /* Pass 2: every key block inside the buffer; every handle set to NULL first (ADD-006). */
  uint32_t off = 0;
  uint64_t end = 0;
  for (uint32_t i = 0; i < w.count; ++i) {
    if (i > 0 && !list_advance(buffer, length, ADD_SA_FIXED, &off)) break;
    write_handle(buffer, length, (uint64_t)off + handle_at, 0);
    uint32_t key_length = 0;
    memcpy(&key_length, buffer + off + offsetof(IPSEC_OFFLOAD_V2_ADD_SA, KeyLength),
           sizeof(key_length));
    const uint64_t element_end = (uint64_t)off + ADD_SA_FIXED + key_length;
    if (element_end > length && status == NDIS_STATUS_SUCCESS) {
      status = NDIS_STATUS_INVALID_LENGTH;
      *bytes_needed = saturate_u32(element_end);
      softnic_set_error(dut,
                        "ADD_SA element %u: KeyLength %u runs past the %u-byte buffer (%u bytes "
                        "needed)",
                        i, key_length, length, *bytes_needed);
    }
    if (element_end > end) end = element_end;
  }
  if (status != NDIS_STATUS_SUCCESS) return status;

  /* Pass 3: each element on its own (4.3: per-element success, NULL handle on failure). */
  uint32_t offloaded = 0;
#if defined(SOFTNIC_FAULT_LIST_STATUS_FROM_LAST)
  uint32_t last_status = NDIS_STATUS_SUCCESS;
#endif
  uint32_t first_failure = NDIS_STATUS_SUCCESS;
  char first_reason[SOFTNIC_ERROR_CAPACITY] = "";
  off = 0;
  for (uint32_t i = 0; i < w.count; ++i) {
    if (i > 0 && !list_advance(buffer, length, ADD_SA_FIXED, &off)) break;
    IPSEC_OFFLOAD_V2_ADD_SA s;
    memset(&s, 0, sizeof(s));
    memcpy(&s, buffer + off, ADD_SA_FIXED);
    uint32_t st;
    uint32_t handle = 0;
    /* Re-check the key block on the copy actually used: in a list whose elements overlap, the
     * handle written for an earlier element may have changed this one's KeyLength. */
    if ((uint64_t)off + ADD_SA_FIXED + s.KeyLength > length) {
      softnic_set_error(dut, "ADD_SA element %u: KeyLength %u runs past the buffer", i,
                        s.KeyLength);
      st = NDIS_STATUS_INVALID_LENGTH;
    } else {
      add_request r;
      request_from_add_sa(&s, buffer + off + ADD_SA_FIXED, (uint64_t)length - off - ADD_SA_FIXED, i,
                          &r);
      st = add_one(dut, &r, &handle);
    }
    OPENSSL_cleanse(&s, sizeof(s));
    if (st == NDIS_STATUS_SUCCESS) {
      write_handle(buffer, length, (uint64_t)off + handle_at, handle);
      ++offloaded;
    } else {
#if defined(SOFTNIC_FAULT_NON_NULL_HANDLE_ON_FAILED_ADD)
      /* Fault: the slot index the element would have taken is written before the element is
       * validated and never cleared. */
      write_handle(buffer, length, (uint64_t)off + handle_at, 0x80000000u | (dut->table.free_head));
#endif
      if (first_failure == NDIS_STATUS_SUCCESS) {
        first_failure = st;
        memcpy(first_reason, dut->last_error, sizeof(first_reason));
      }
#if defined(SOFTNIC_FAULT_LIST_FAILURE_KEEPS_EARLIER)
      /* Fault: the first failing element aborts the request with its status; the elements
       * before it stay offloaded and the ones after it are never looked at. */
      softnic_set_error(dut, "%s", first_reason);
      return first_failure;
#endif
    }
#if defined(SOFTNIC_FAULT_LIST_STATUS_FROM_LAST)
    last_status = st; /* Fault: the request's status is the last element's. */
#endif
#if defined(SOFTNIC_FAULT_LIST_NEXT_NOT_FOLLOWED)
    break; /* Fault: only the first element of the list is processed. */
#endif
  }
#if defined(SOFTNIC_FAULT_LIST_STATUS_FROM_LAST)
  if (last_status != NDIS_STATUS_SUCCESS) {
    softnic_set_error(dut, "%s", first_reason);
    return last_status;
  }
#endif
  if (offloaded == 0) {
    /* ADD-005: the request fails and nothing was offloaded (every element was rejected before
     * it was committed). Report the first element's reason. */
    softnic_set_error(dut, "%s", first_reason);
    return first_failure;
  }
  *bytes_read = saturate_u32(end);
  return NDIS_STATUS_SUCCESS;
}

/* ---- OID_TCP_TASK_IPSEC_OFFLOAD_V2_ADD_SA_EX ----------------------------------------------- */

static uint32_t oid_add_sa_ex(ipsec_cts_dut *dut, uint8_t *buffer, uint32_t length,
                              uint32_t *bytes_read, uint32_t *bytes_needed) {
  const uint64_t handle_at = offsetof(IPSEC_OFFLOAD_V2_ADD_SA_EX, OffloadHandle);
  write_handle(buffer, length, handle_at, 0); /* ADDEX-004: NULL unless offloaded */
  if (length < ADD_SA_EX_FIXED) {
    *bytes_needed = ADD_SA_EX_FIXED;
    REJECT(NDIS_STATUS_INVALID_LENGTH, "ADD_SA_EX: InformationBufferLength %u is below %u", length,
           ADD_SA_EX_FIXED);
  }
  IPSEC_OFFLOAD_V2_ADD_SA_EX s;
  memset(&s, 0, sizeof(s));
  memcpy(&s, buffer, ADD_SA_EX_FIXED);

  uint32_t st = check_header(dut, "ADD_SA_EX", 0, &s.Header,
                             NDIS_SIZEOF_IPSEC_OFFLOAD_V2_ADD_SA_EX_REVISION_1);
  if (st != NDIS_STATUS_SUCCESS) return st;
  /* OQ-05: the key block follows the structure and lies inside the buffer. */
  if (s.KeyOffset < ADD_SA_EX_FIXED) {
    REJECT(NDIS_STATUS_INVALID_DATA,
           "ADD_SA_EX: KeyOffset %u points into the structure (must be >= %u, OQ-05)", s.KeyOffset,
           ADD_SA_EX_FIXED);
  }
  const uint64_t key_end = (uint64_t)s.KeyOffset + s.KeyLength;
  if (key_end > length) {
    *bytes_needed = saturate_u32(key_end);
    REJECT(NDIS_STATUS_INVALID_LENGTH,
           "ADD_SA_EX: key block at KeyOffset %u, KeyLength %u runs past the %u-byte buffer",
           s.KeyOffset, s.KeyLength, length);
  }

  add_request r;
  r.structure = "ADD_SA_EX";
  r.element = 0;
  r.header = s.Header;
  r.min_size = NDIS_SIZEOF_IPSEC_OFFLOAD_V2_ADD_SA_EX_REVISION_1;
  r.num_ext_hdrs = s.NumExtHdrs;
  r.flags = s.Flags;
  r.endpoints = s.Endpoints;
  r.udp_esp = s.UdpEspEncapsulation;
  memcpy(r.sa, s.SecAssoc, sizeof(r.sa));
  /* OQ-05: KeyOffsetBytes are relative to the key block, not to the structure. */
  r.key_block = buffer + s.KeyOffset;
  r.key_block_len = s.KeyLength;
  r.buffer_rest = (uint64_t)length - s.KeyOffset;

  uint32_t handle = 0;
  st = add_one(dut, &r, &handle);
  OPENSSL_cleanse(&s, sizeof(s));
#if defined(SOFTNIC_FAULT_NON_NULL_HANDLE_ON_FAILED_ADD)
  if (st != NDIS_STATUS_SUCCESS) {
    write_handle(buffer, length, handle_at, 0x80000000u | dut->table.free_head);
  }
#endif
  if (st != NDIS_STATUS_SUCCESS) return st;
  write_handle(buffer, length, handle_at, handle);
  *bytes_read = saturate_u32(key_end > ADD_SA_EX_FIXED ? key_end : ADD_SA_EX_FIXED);
  return NDIS_STATUS_SUCCESS;
}

/* ---- OID_TCP_TASK_IPSEC_OFFLOAD_V2_DELETE_SA ----------------------------------------------- */

/* DEL-004: DELETE_SA completes with SUCCESS whatever it names. Unknown, stale or NULL handles
 * are no-ops (OQ-12); an element with a bad header is skipped rather than trusted; a list that
 * leaves the buffer or loops is processed up to the point where it stops being trustworthy
 * (deleting twice is harmless). The last reason for skipping is kept in last_error(). */
static uint32_t oid_delete_sa(ipsec_cts_dut *dut, uint8_t *buffer, uint32_t length,
                              uint32_t *bytes_read) {
  if (length < DELETE_SA_FIXED) {
    softnic_set_error(dut, "DELETE_SA: InformationBufferLength %u holds no element (needs %u); "
                      "nothing deleted", length, DELETE_SA_FIXED);
    return NDIS_STATUS_SUCCESS;
  }
  const list_walk w = list_measure(buffer, length, DELETE_SA_FIXED);
  if (w.status != LIST_OK) {
    softnic_set_error(dut, "DELETE_SA element %u: Next %s; the elements before it were processed",
                      w.bad_index,
                      w.status == LIST_LOOP ? "pointers loop" : "points outside the buffer");
  }
  uint32_t off = 0;
  uint64_t end = 0;
  for (uint32_t i = 0; i < w.count; ++i) {
    if (i > 0 && !list_advance(buffer, length, DELETE_SA_FIXED, &off)) break;
    IPSEC_OFFLOAD_V2_DELETE_SA d;
    memcpy(&d, buffer + off, DELETE_SA_FIXED);
    if ((uint64_t)off + DELETE_SA_FIXED > end) end = (uint64_t)off + DELETE_SA_FIXED;
    if (check_header(dut, "DELETE_SA", i, &d.Header,
                     NDIS_SIZEOF_IPSEC_OFFLOAD_V2_DELETE_SA_REVISION_1) != NDIS_STATUS_SUCCESS) {
      continue;
    }
#if defined(SOFTNIC_FAULT_DELETE_SA_IGNORED)
    /* Fault: OffloadHandle read as its upper ULONG (a 32-bit port of the structure), which
     * names no bundle; the request still succeeds. */
    softnic_bundle *b = softnic_table_find_handle(&dut->table, d.OffloadHandle >> 32);
#else
    softnic_bundle *b = softnic_table_find_handle(&dut->table, d.OffloadHandle);
#endif
#if defined(SOFTNIC_FAULT_DELETE_UNKNOWN_HANDLE_FAILS)
    if (b == NULL) {
      /* Fault: an unknown handle fails the request (DEL-004 allows SUCCESS only). */
      softnic_set_error(dut, "DELETE_SA element %u: OffloadHandle 0x%llx names no bundle", i,
                        (unsigned long long)d.OffloadHandle);
      return NDIS_STATUS_INVALID_PARAMETER;
    }
#endif
#if defined(SOFTNIC_FAULT_DELETE_TEARS_DOWN_PEER)
    /* Fault: the driver keeps one security context per peer, so deleting an outbound SA also
     * tears down every inbound SA from that peer, a newer generation's included. */
    if (b != NULL && !b->inbound) {
      for (uint32_t k = 0; k < dut->table.total_capacity; ++k) {
        softnic_bundle *in = &dut->table.bundles[k];
        if (in->in_use && in->inbound && in->ipv6 == b->ipv6 && memcmp(in->src, b->dst, 16) == 0) {
          softnic_delete_bundle(dut, in);
        }
      }
    }
#endif
#if defined(SOFTNIC_FAULT_DELETE_KEEPS_INBOUND)
    /* Fault: the receive engine's copy of an inbound SA is never torn down. */
    if (b != NULL && !b->inbound) softnic_delete_bundle(dut, b);
#else
    if (b != NULL) softnic_delete_bundle(dut, b);
#endif
#if defined(SOFTNIC_FAULT_DELETE_LIST_FIRST_ONLY)
    break; /* Fault: only the first element of the list is processed. */
#endif
  }
  *bytes_read = saturate_u32(end);
  return NDIS_STATUS_SUCCESS;
}

/* ---- OID_TCP_TASK_IPSEC_OFFLOAD_V2_UPDATE_SA ----------------------------------------------- */

#if defined(SOFTNIC_FAULT_UPDATE_WRONG_STATUS)
#define UPDATE_FAILURE NDIS_STATUS_INVALID_DATA /* Fault: UPD-005 says INVALID_PARAMETER. */
#else
#define UPDATE_FAILURE NDIS_STATUS_INVALID_PARAMETER
#endif
/* The SA of bundle b that Operation names: its ESP SA, or its AH SA (NULL: none such). */
#if defined(SOFTNIC_FAULT_UPDATE_IGNORES_OPERATION)
#define UPDATE_SA_NAMED(u, b) ((b)->has_esp ? &(b)->esp : &(b)->ah) /* Fault: Operation not compared. */
#else
#define UPDATE_SA_NAMED(u, b)                                                            \
  ((u).Operation == IPsecOffloadV2Esp && (b)->has_esp  ? &(b)->esp                        \
   : (u).Operation == IPsecOffloadV2Ah && (b)->has_ah ? &(b)->ah                          \
                                                      : (softnic_sa *)NULL)
#endif
#if defined(SOFTNIC_FAULT_UPDATE_IGNORES_SPI)
#define UPDATE_SPI_MISMATCH(u, sa) false /* Fault: the SPI is not compared. */
#else
#define UPDATE_SPI_MISMATCH(u, sa) ((u).Spi != (sa)->spi)
#endif

static uint32_t oid_update_sa(ipsec_cts_dut *dut, uint8_t *buffer, uint32_t length,
                              uint32_t *bytes_read, uint32_t *bytes_needed) {
  if (length < UPDATE_SA_FIXED) {
    *bytes_needed = UPDATE_SA_FIXED;
    REJECT(NDIS_STATUS_INVALID_LENGTH, "UPDATE_SA: InformationBufferLength %u is below %u", length,
           UPDATE_SA_FIXED);
  }
  /* OQ-02: one structure per request; bytes past NDIS_SIZEOF are ignored. */
  IPSEC_OFFLOAD_V2_UPDATE_SA u;
  memset(&u, 0, sizeof(u));
  memcpy(&u, buffer, UPDATE_SA_FIXED);
  const uint32_t st = check_header(dut, "UPDATE_SA", 0, &u.Header,
                                   NDIS_SIZEOF_IPSEC_OFFLOAD_V2_UPDATE_SA_REVISION_1);
  if (st != NDIS_STATUS_SUCCESS) return st;

  /* UPD-004/005, OQ-11: match by handle, then Operation and SPI; INVALID_PARAMETER otherwise. */
  softnic_bundle *b = softnic_table_find_handle(&dut->table, u.OffloadHandle);
  if (b == NULL) {
    REJECT(UPDATE_FAILURE, "UPDATE_SA: OffloadHandle 0x%llx names no live bundle",
           (unsigned long long)u.OffloadHandle);
  }
  softnic_sa *sa = UPDATE_SA_NAMED(u, b);
  if (sa == NULL || UPDATE_SPI_MISMATCH(u, sa)) {
    REJECT(UPDATE_FAILURE,
           "UPDATE_SA: bundle 0x%x has no SA with Operation %u and SPI 0x%08x (it holds SPI "
           "0x%08x)",
           b->handle, u.Operation, u.Spi, b->lookup_spi);
  }
#if !defined(SOFTNIC_FAULT_UPDATE_ACCEPTED_ON_NON_ESN)
  if (!sa->esn) {
    REJECT(UPDATE_FAILURE,
           "UPDATE_SA: SA 0x%08x was added without IPSEC_OFFLOAD_V2_ESN_SA (UPD-009)", u.Spi);
  }
#endif
  /* Applies to every packet processed after this request completes (OQ-11). */
#if defined(SOFTNIC_FAULT_UPDATE_IGNORED)
  (void)b; /* Fault: the request is acknowledged and the new high half never programmed. */
#elif defined(SOFTNIC_FAULT_UPDATE_WRONG_SA)
  /* Fault: the table is indexed with the handle's slot plus one. */
  softnic_bundle *next = b + 1 < dut->table.bundles + dut->table.total_capacity ? b + 1 : b;
  next->esp.seq_high = u.SequenceNumberHighOrder;
#elif defined(SOFTNIC_FAULT_UPDATE_RECEIVE_ONLY)
  /* Fault: the new high half is programmed into the receive engine only; outbound SAs keep
   * the one they had. */
  if (b->inbound) sa->seq_high = u.SequenceNumberHighOrder;
#else
  sa->seq_high = u.SequenceNumberHighOrder;
#endif
  *bytes_read = UPDATE_SA_FIXED;
  return NDIS_STATUS_SUCCESS;
}

uint32_t softnic_oid_set(ipsec_cts_dut *dut, uint32_t oid, uint8_t *buffer, uint32_t length,
                         uint32_t *bytes_read, uint32_t *bytes_needed) {
  *bytes_read = 0;
  *bytes_needed = 0;
  switch (oid) {
    case OID_TCP_TASK_IPSEC_OFFLOAD_V2_ADD_SA:
      return oid_add_sa(dut, buffer, length, bytes_read, bytes_needed);
    case OID_TCP_TASK_IPSEC_OFFLOAD_V2_ADD_SA_EX:
      return oid_add_sa_ex(dut, buffer, length, bytes_read, bytes_needed);
    case OID_TCP_TASK_IPSEC_OFFLOAD_V2_DELETE_SA:
      return oid_delete_sa(dut, buffer, length, bytes_read);
    case OID_TCP_TASK_IPSEC_OFFLOAD_V2_UPDATE_SA:
      return oid_update_sa(dut, buffer, length, bytes_read, bytes_needed);
    default:
      softnic_set_error(dut, "OID 0x%08x is not an OID this device recognizes", oid);
      return NDIS_STATUS_INVALID_OID;
  }
}
