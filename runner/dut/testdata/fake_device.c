/*
 * A small device for the tests of the DUT layer: it implements the plugin ABI honestly enough to
 * check the plumbing (handles written through live Next pointers, frames echoed, a dump of its
 * table) and misbehaves on demand, selected by the "mode" member of the open() config:
 *
 *   corrupt_next        oid_set overwrites the first element's Next member
 *   write_past_end      oid_set writes one byte past InformationBufferLength
 *   overclaim_frames    send reports frame_count = max_frames + 1
 *   overlong_frame      send reports a frame longer than data_capacity
 *   overlong_receive    receive reports out_length > out_capacity
 *   grow_receive        receive indicates a frame 8 KiB longer than it got (forces a retry)
 *   indicated_2         receive sets indicated = 2
 *   crash_on_send       send raises SIGSEGV
 *   hang_on_send        send never returns
 *   device_error_on_send send fails with IPSEC_CTS_ERR_DEVICE ("transmit ring stalled")
 *   bad_result          send returns the undefined result code 77
 *   garbage_dump        dump returns text that is not JSON
 *   unterminated_dump   dump fills its buffer without a NUL
 *   fail_open           open fails ("no such adapter")
 *   stdout_noise        every call prints a line to stdout (an agent must keep it off the wire)
 *
 * and "copies": N makes send emit N copies of the frame (several frames, as with LSO).
 * Build-time variants: FAKE_DEVICE_ABI_VERSION (wrong version), FAKE_DEVICE_NO_SEND (a NULL
 * mandatory function), FAKE_DEVICE_NO_ENTRY (no exported entry symbol).
 */
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "ipsec_cts/dut.h"

#ifndef FAKE_DEVICE_ABI_VERSION
#define FAKE_DEVICE_ABI_VERSION IPSEC_CTS_DUT_ABI_VERSION
#endif

#define OID_ADD_SA 0xFC030202u
#define OID_DELETE_SA 0xFC030203u
#define OID_UPDATE_SA 0xFC030204u
#define OID_ADD_SA_EX 0xFC030205u
#define STATUS_SUCCESS 0x00000000u
#define STATUS_FAILURE 0xC0000001u
#define STATUS_INVALID_DATA 0xC0010015u
#define STATUS_INVALID_LENGTH 0xC0010014u
#define STATUS_INVALID_OID 0xC0010017u
#define ADD_SA_KEYDATA 168u /* x64 offsetof(IPSEC_OFFLOAD_V2_ADD_SA, KeyData) */
#define MAX_BUNDLES 64

struct bundle {
  uint64_t handle;
  int inbound;
  uint32_t spi;
};

struct ipsec_cts_dut {
  char mode[64];
  unsigned copies;
  struct bundle bundles[MAX_BUNDLES];
  unsigned count;
  uint64_t next_handle;
  uint32_t delete_spi;
  char error[256];
};

static uint64_t load64(const uint8_t *p) {
  uint64_t v = 0;
  for (int i = 7; i >= 0; --i) v = (v << 8) | p[i];
  return v;
}
static uint32_t load32(const uint8_t *p) {
  return (uint32_t)p[0] | (uint32_t)p[1] << 8 | (uint32_t)p[2] << 16 | (uint32_t)p[3] << 24;
}
static void store64(uint8_t *p, uint64_t v) {
  for (int i = 0; i < 8; ++i) p[i] = (uint8_t)(v >> (8 * i));
}
static void store32(uint8_t *p, uint32_t v) {
  for (int i = 0; i < 4; ++i) p[i] = (uint8_t)(v >> (8 * i));
}

static int is_mode(const ipsec_cts_dut *d, const char *m) { return strcmp(d->mode, m) == 0; }

static void noise(const ipsec_cts_dut *d) {
  if (is_mode(d, "stdout_noise")) {
    printf("fake-device: debug chatter on stdout\n");
    fflush(stdout);
  }
}

/* Reads "key":"value" or "key":number from a flat JSON object; enough for test configs. */
static const char *find_value(const char *json, const char *key) {
  char pattern[64];
  snprintf(pattern, sizeof(pattern), "\"%s\"", key);
  const char *p = json ? strstr(json, pattern) : NULL;
  if (!p) return NULL;
  p += strlen(pattern);
  while (*p == ' ' || *p == ':') ++p;
  return p;
}

static ipsec_cts_result fake_open(const char *config, ipsec_cts_dut **out, char *err,
                                  size_t err_capacity) {
  *out = NULL;
  ipsec_cts_dut *d = calloc(1, sizeof(*d));
  if (!d) return IPSEC_CTS_ERR_DEVICE;
  const char *mode = find_value(config, "mode");
  if (mode && *mode == '"') {
    ++mode;
    size_t n = 0;
    while (mode[n] && mode[n] != '"' && n < sizeof(d->mode) - 1) ++n;
    memcpy(d->mode, mode, n);
  }
  const char *copies = find_value(config, "copies");
  d->copies = copies ? (unsigned)strtoul(copies, NULL, 10) : 1;
  d->next_handle = 0x1001;
  if (is_mode(d, "fail_open")) {
    snprintf(err, err_capacity, "no such adapter");
    free(d);
    return IPSEC_CTS_ERR_DEVICE;
  }
  *out = d;
  return IPSEC_CTS_OK;
}

static ipsec_cts_result fake_query(ipsec_cts_dut *d, ipsec_cts_capabilities *caps) {
  noise(d);
  if (caps->struct_size < sizeof(*caps)) return IPSEC_CTS_ERR_INVALID_ARGUMENT;
  uint8_t *c = caps->ipsec_offload_v2;
  memset(c, 0, 32);
  store32(c + 0, 0x2);          /* Encapsulation IEEE_802_3 */
  c[4] = 1;                     /* IPv6Supported */
  c[8] = 1;                     /* Esp */
  c[10] = 1;                    /* Transport */
  c[11] = 1;                    /* Tunnel */
  c[14] = 1;                    /* ExtendedSequenceNumbers */
  store32(c + 20, 0x2 | 0x4 | 0x8);  /* SHA_1 | SHA_256 | AES_GCM_128 */
  store32(c + 24, 0x8 | 0x40);       /* AES_GCM_128 | AES_CBC_128 */
  store32(c + 28, MAX_BUNDLES);
  caps->inbound_bundle_capacity = MAX_BUNDLES / 2;
  caps->outbound_bundle_capacity = MAX_BUNDLES / 2;
  caps->inbound_dest_address_capacity = 8;
  caps->spi_min = 256;
  caps->spi_max = 0xFFFFFFFFu;
  caps->gcm_key_includes_salt = 1;
  return IPSEC_CTS_OK;
}

/* ADD_SA / DELETE_SA: follow live Next pointers, refusing any that leave the buffer or loop. */
static ipsec_cts_result fake_oid_set(ipsec_cts_dut *d, uint32_t oid, void *buffer, uint32_t length,
                                     uint32_t *status, uint32_t *bytes_read,
                                     uint32_t *bytes_needed) {
  noise(d);
  uint8_t *base = buffer;
  *bytes_read = 0;
  *bytes_needed = 0;
  if (is_mode(d, "write_past_end")) base[length] = 0x5A;
  if (oid == OID_ADD_SA || oid == OID_DELETE_SA) {
    const uint32_t element_size = oid == OID_ADD_SA ? ADD_SA_KEYDATA : 24u;
    uint8_t *element = base;
    unsigned walked = 0;
    if (is_mode(d, "corrupt_next") && length >= 16) store64(base + 8, 0x1234);
    while (element) {
      if (element < base || (size_t)(element - base) + element_size > length) {
        snprintf(d->error, sizeof(d->error), "element %u outside the buffer", walked);
        *status = STATUS_INVALID_DATA;
        *bytes_needed = walked;
        return IPSEC_CTS_OK;
      }
      if (++walked > MAX_BUNDLES) {
        snprintf(d->error, sizeof(d->error), "list longer than %d elements (a loop?)", MAX_BUNDLES);
        *status = STATUS_INVALID_DATA;
        *bytes_needed = walked;
        return IPSEC_CTS_OK;
      }
      if (oid == OID_ADD_SA) {
        if (d->count < MAX_BUNDLES) {
          struct bundle *b = &d->bundles[d->count++];
          b->handle = d->next_handle++;
          b->inbound = (load32(element + 20) & 1u) != 0;
          b->spi = load32(element + 68 + 8);
          store64(element + 56, b->handle);
        }
      } else {
        const uint64_t handle = load64(element + 16);
        for (unsigned i = 0; i < d->count; ++i) {
          if (d->bundles[i].handle == handle) {
            d->bundles[i] = d->bundles[--d->count];
            break;
          }
        }
      }
      const uint64_t next = load64(element + 8);
      element = (uint8_t *)(uintptr_t)next;
    }
    *status = STATUS_SUCCESS;
    *bytes_read = length;
    *bytes_needed = walked;
    return IPSEC_CTS_OK;
  }
  if (oid == OID_ADD_SA_EX) {
    if (length < 176) {
      *status = STATUS_INVALID_LENGTH;
      *bytes_needed = 176;
      return IPSEC_CTS_OK;
    }
    if (d->count < MAX_BUNDLES) {
      struct bundle *b = &d->bundles[d->count++];
      b->handle = d->next_handle++;
      b->inbound = (load32(base + 8) & 1u) != 0;
      b->spi = load32(base + 60 + 8);
      store64(base + 48, b->handle);
    }
    *status = STATUS_SUCCESS;
    *bytes_read = length;
    return IPSEC_CTS_OK;
  }
  if (oid == OID_UPDATE_SA) {
    *status = STATUS_SUCCESS;
    *bytes_read = length;
    return IPSEC_CTS_OK;
  }
  *status = STATUS_INVALID_OID;
  return IPSEC_CTS_OK;
}

#ifdef FAKE_DEVICE_NO_SEND
__attribute__((unused))
#endif
static ipsec_cts_result fake_send(ipsec_cts_dut *d, const uint8_t *frame, size_t length,
                                  const ipsec_cts_send_oob *oob, ipsec_cts_frame_list *out,
                                  uint32_t *completion_status) {
  noise(d);
  if (is_mode(d, "crash_on_send")) raise(SIGSEGV);
  if (is_mode(d, "hang_on_send")) {
    for (;;) pause();
  }
  if (is_mode(d, "device_error_on_send")) {
    snprintf(d->error, sizeof(d->error), "transmit ring stalled");
    return IPSEC_CTS_ERR_DEVICE;
  }
  if (is_mode(d, "bad_result")) return (ipsec_cts_result)77;
  if (oob->offload_handle == 0xDEADu) {
    *completion_status = STATUS_FAILURE;
    out->frame_count = 0;
    return IPSEC_CTS_OK;
  }
  if (d->copies > out->max_frames || (size_t)d->copies * length > out->data_capacity) {
    snprintf(d->error, sizeof(d->error), "need %u frames of %zu bytes", d->copies, length);
    return IPSEC_CTS_ERR_BUFFER_TOO_SMALL;
  }
  for (unsigned i = 0; i < d->copies; ++i) {
    memcpy(out->data + i * length, frame, length);
    out->frame_lengths[i] = length;
  }
  out->frame_count = d->copies;
  if (is_mode(d, "overclaim_frames")) out->frame_count = out->max_frames + 1;
  if (is_mode(d, "overlong_frame")) out->frame_lengths[0] = out->data_capacity + 1;
  *completion_status = STATUS_SUCCESS;
  return IPSEC_CTS_OK;
}

static ipsec_cts_result fake_receive(ipsec_cts_dut *d, const uint8_t *frame, size_t length,
                                     uint8_t *out_frame, size_t out_capacity, size_t *out_length,
                                     ipsec_cts_receive_result *result) {
  noise(d);
  const size_t produced = is_mode(d, "grow_receive") ? length + 8192 : length;
  if (produced > out_capacity) {
    *out_length = produced;
    return IPSEC_CTS_ERR_BUFFER_TOO_SMALL;
  }
  memset(out_frame, 0xEE, produced);
  memcpy(out_frame, frame, length);
  *out_length = is_mode(d, "overlong_receive") ? out_capacity + 10 : produced;
  result->indicated = is_mode(d, "indicated_2") ? 2 : 1;
  result->ipsec_info = 0x2; /* CryptoDone */
  if (d->delete_spi != 0) {
    result->ipsec_info |= 0x1; /* SaDeleteReq */
    d->delete_spi = 0;
  }
  result->header_info = 0x10000u | 50u; /* HeaderInfoSet, NextHeader ESP */
  return IPSEC_CTS_OK;
}

static ipsec_cts_result fake_dump(ipsec_cts_dut *d, char *json, size_t capacity, size_t *needed) {
  noise(d);
  if (is_mode(d, "garbage_dump")) {
    snprintf(json, capacity, "{not json");
    *needed = 10;
    return IPSEC_CTS_OK;
  }
  if (is_mode(d, "unterminated_dump")) {
    memset(json, '{', capacity);
    *needed = capacity;
    return IPSEC_CTS_OK;
  }
  char text[MAX_BUNDLES * 160 + 32];
  size_t n = (size_t)snprintf(text, sizeof(text), "{\"bundles\":[");
  for (unsigned i = 0; i < d->count; ++i) {
    n += (size_t)snprintf(text + n, sizeof(text) - n,
                          "%s{\"handle\":\"0x%llx\",\"direction\":\"%s\",\"sas\":[{\"spi\":%u,"
                          "\"operation\":\"esp\",\"esn\":false,\"sequence_number_high_order\":0}]}",
                          i ? "," : "", (unsigned long long)d->bundles[i].handle,
                          d->bundles[i].inbound ? "inbound" : "outbound", d->bundles[i].spi);
  }
  n += (size_t)snprintf(text + n, sizeof(text) - n, "]}");
  *needed = n + 1;
  if (n + 1 > capacity) return IPSEC_CTS_ERR_BUFFER_TOO_SMALL;
  memcpy(json, text, n + 1);
  return IPSEC_CTS_OK;
}

static ipsec_cts_result fake_request_sa_delete(ipsec_cts_dut *d, uint32_t spi) {
  noise(d);
  d->delete_spi = spi;
  return IPSEC_CTS_OK;
}

static ipsec_cts_result fake_reset(ipsec_cts_dut *d) {
  noise(d);
  d->count = 0;
  return IPSEC_CTS_OK;
}

static void fake_close(ipsec_cts_dut *d) { free(d); }

static const char *fake_last_error(ipsec_cts_dut *d) { return d->error; }

static const ipsec_cts_dut_vtable kFakeDevice = {
    FAKE_DEVICE_ABI_VERSION,
    sizeof(ipsec_cts_dut_vtable),
    "fake-device",
    fake_open,
    fake_query,
    fake_oid_set,
#ifdef FAKE_DEVICE_NO_SEND
    NULL,
#else
    fake_send,
#endif
    fake_receive,
    fake_dump,
    fake_request_sa_delete,
    fake_reset,
    fake_close,
    fake_last_error,
};

#ifndef FAKE_DEVICE_NO_ENTRY
IPSEC_CTS_DUT_EXPORT const ipsec_cts_dut_vtable *ipsec_cts_dut_entry(uint32_t requested_abi_version) {
  (void)requested_abi_version;
  return &kFakeDevice;
}
#else
IPSEC_CTS_DUT_EXPORT const ipsec_cts_dut_vtable *fake_device_table(void) { return &kFakeDevice; }
#endif
