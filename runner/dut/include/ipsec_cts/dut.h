/*
 * ipsec_cts/dut.h — the device-under-test plugin ABI of ipsec-cts, version 1.
 *
 * A device is a shared library that exports one symbol, ipsec_cts_dut_entry(), returning a table
 * of functions. The runner dlopen()s the library, checks the ABI version, and drives the device
 * through that table. Everything crossing this boundary is plain C: no exceptions, no C++ types,
 * no ownership transfer of memory (the caller owns every buffer).
 *
 * Conventions
 *  - Every function returns an ipsec_cts_result. IPSEC_CTS_OK means the call itself worked; the
 *    outcome the device reports (an NDIS_STATUS, OOB words) is in the out-parameters.
 *  - On any other result the device should leave a human-readable reason retrievable through
 *    last_error().
 *  - OID buffers use the native 64-bit Windows layout (x64, LLP64) of the NDIS structures, with
 *    real in-process pointers in Next members: exactly what a miniport receives in
 *    InformationBuffer. OffloadHandle fields are 8 bytes and are written back by the device.
 *  - NDIS_IPSEC_OFFLOAD_V2 is the 32-byte binary structure of the WDK (little-endian).
 *  - Frames are whole Ethernet frames (destination MAC first) as they appear on the wire.
 *  - The runner calls a device from one thread at a time.
 */
#ifndef IPSEC_CTS_DUT_H
#define IPSEC_CTS_DUT_H

#include <stddef.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

#define IPSEC_CTS_DUT_ABI_VERSION 1u
#define IPSEC_CTS_DUT_ENTRY_SYMBOL "ipsec_cts_dut_entry"

#if defined(_WIN32)
#define IPSEC_CTS_DUT_EXPORT __declspec(dllexport)
#else
#define IPSEC_CTS_DUT_EXPORT __attribute__((visibility("default")))
#endif

typedef enum ipsec_cts_result {
  IPSEC_CTS_OK = 0,
  IPSEC_CTS_ERR_UNSUPPORTED = 1,      /* the device does not implement this operation */
  IPSEC_CTS_ERR_INVALID_ARGUMENT = 2, /* the call itself was malformed (NULL pointer, bad size) */
  IPSEC_CTS_ERR_BUFFER_TOO_SMALL = 3, /* an output buffer was too small; *needed says how big */
  IPSEC_CTS_ERR_DEVICE = 4            /* the device failed internally; see last_error() */
} ipsec_cts_result;

typedef struct ipsec_cts_dut ipsec_cts_dut; /* opaque device instance */

/* What the device reports of itself: the NDIS capability structure plus capacity hints the
 * NDIS structure has no room for. A hint of 0 means "not separately limited". */
typedef struct ipsec_cts_capabilities {
  uint32_t struct_size;               /* sizeof(ipsec_cts_capabilities), set by the caller */
  uint8_t ipsec_offload_v2[32];       /* NDIS_IPSEC_OFFLOAD_V2, binary */
  uint32_t inbound_bundle_capacity;   /* separate inbound pool, 0 = shares SaOffloadCapacity */
  uint32_t outbound_bundle_capacity;  /* separate outbound pool, 0 = shares SaOffloadCapacity */
  uint32_t inbound_dest_address_capacity; /* distinct inbound destination addresses, 0 = none */
  uint32_t spi_min;                   /* accepted SPI range; both 0 = any non-zero SPI */
  uint32_t spi_max;
  uint32_t gcm_key_includes_salt;     /* OQ-07: 1 = GCM/GMAC KeyLength is key||salt (20/28/36) */
  uint32_t reserved[8];               /* zero */
} ipsec_cts_capabilities;

/* Out-of-band words of a send (NET_BUFFER_LIST info slots 1, 11, 12 and the LSO MSS of slot 2). */
typedef struct ipsec_cts_send_oob {
  uint64_t offload_handle; /* slot 1 Transmit.OffloadHandle; 0 = no IPsec processing */
  uint64_t tunnel_handle;  /* slot 11 TunnelHandle (transport over tunnel), else 0 */
  uint32_t header_info;    /* slot 12 transmit view: NextHeader, PadLength, Ah/EspHeaderOffset */
  uint32_t lso_mss;        /* 0 = no large send offload */
} ipsec_cts_send_oob;

/* Frames produced by a send. The caller provides `data` (capacity `data_capacity`) and room for
 * `max_frames` lengths; the device appends frames back to back and sets `frame_count`. */
typedef struct ipsec_cts_frame_list {
  uint8_t *data;
  size_t data_capacity;
  size_t *frame_lengths;
  uint32_t max_frames;
  uint32_t frame_count;
} ipsec_cts_frame_list;

/* What the device indicates for one received frame. */
typedef struct ipsec_cts_receive_result {
  uint32_t indicated;    /* 1 if the frame was indicated to the stack (RECV-012), 0 if dropped */
  uint64_t ipsec_info;   /* slot 1 receive view: SaDeleteReq, CryptoDone, NextCryptoDone, status */
  uint32_t header_info;  /* slot 12 receive view: NextHeader, PadLength, HeaderInfoSet */
} ipsec_cts_receive_result;

typedef struct ipsec_cts_dut_vtable {
  uint32_t abi_version; /* IPSEC_CTS_DUT_ABI_VERSION */
  uint32_t struct_size; /* sizeof(ipsec_cts_dut_vtable) */
  const char *name;     /* short device name for reports */

  /* Create an instance. config_json is a JSON object (possibly "{}"); unknown keys may be
   * ignored. On failure *out is NULL and err (if non-NULL) holds a NUL-terminated reason. */
  ipsec_cts_result (*open)(const char *config_json, ipsec_cts_dut **out, char *err,
                           size_t err_capacity);

  ipsec_cts_result (*query_capabilities)(ipsec_cts_dut *dut, ipsec_cts_capabilities *caps);

  /* An OID set request over the direct OID path. `buffer` is InformationBuffer (x64 layout, live
   * Next pointers), writable, `length` its InformationBufferLength. The device writes handles
   * back into the buffer, then reports NDIS_STATUS in *ndis_status and BytesRead / BytesNeeded. */
  ipsec_cts_result (*oid_set)(ipsec_cts_dut *dut, uint32_t oid, void *buffer, uint32_t length,
                              uint32_t *ndis_status, uint32_t *bytes_read,
                              uint32_t *bytes_needed);

  /* Transmit one NET_BUFFER_LIST holding one frame. *completion_status receives the NBL
   * completion status (NDIS_STATUS_SUCCESS, or e.g. NDIS_STATUS_FAILURE for an unknown handle,
   * SEND-006); on success `out` holds the wire frame(s) (more than one with LSO). */
  ipsec_cts_result (*send)(ipsec_cts_dut *dut, const uint8_t *frame, size_t length,
                           const ipsec_cts_send_oob *oob, ipsec_cts_frame_list *out,
                           uint32_t *completion_status);

  /* Receive one wire frame. The device writes the frame it indicates (decrypted in place, OQ-15)
   * into out_frame and its OOB words into *result. */
  ipsec_cts_result (*receive)(ipsec_cts_dut *dut, const uint8_t *frame, size_t length,
                              uint8_t *out_frame, size_t out_capacity, size_t *out_length,
                              ipsec_cts_receive_result *result);

  /* Optional (may be NULL): the device's SA table as a JSON document (see docs/dut-abi.md for
   * the shape). Writes at most `capacity` bytes including the NUL; *needed gets the full size. */
  ipsec_cts_result (*dump)(ipsec_cts_dut *dut, char *json, size_t capacity, size_t *needed);

  /* Optional (may be NULL): ask the device to request deletion of the inbound SA with this SPI
   * on the next packet it receives on it (sets SaDeleteReq, RECV-018). */
  ipsec_cts_result (*request_sa_delete)(ipsec_cts_dut *dut, uint32_t spi);

  /* Delete every SA and return to the state right after open(). */
  ipsec_cts_result (*reset)(ipsec_cts_dut *dut);

  void (*close)(ipsec_cts_dut *dut);

  /* The reason for the last non-OK result on this instance (never NULL; "" if none). */
  const char *(*last_error)(ipsec_cts_dut *dut);
} ipsec_cts_dut_vtable;

/* The one exported symbol. Returns NULL if the library cannot serve requested_abi_version. */
typedef const ipsec_cts_dut_vtable *(*ipsec_cts_dut_entry_fn)(uint32_t requested_abi_version);
IPSEC_CTS_DUT_EXPORT const ipsec_cts_dut_vtable *ipsec_cts_dut_entry(uint32_t requested_abi_version);

#ifdef __cplusplus
}
#endif

#endif /* IPSEC_CTS_DUT_H */
