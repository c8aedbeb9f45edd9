/*
 * softnic_entry.c — the plugin face of softnic: the ipsec_cts_dut_vtable, instance lifetime,
 * configuration and the capability report. Every ABI function checks its arguments here, so
 * the files behind it (oid, tx, rx, dump) can assume well-formed calls.
 *
 * Profile (what NDIS_IPSEC_OFFLOAD_V2 and the capacity hints say, and what the rest enforces):
 *   ESP only (no AH, no AH+ESP), transport and tunnel, no transport-over-tunnel, IPv4 and IPv6
 *   (options / extension headers in front of ESP only when configured, softnic_config.h), ESN,
 *   no UDP-ESP, no LSO, untagged 802.3;
 *   AES-GCM-128/256 (ICV 16, 12 or 8; key block = key || salt), AES-CBC-128 with HMAC-SHA1-96 or
 *   HMAC-SHA-256-128; 1024 inbound + 1024 outbound bundles, 128 inbound destination addresses.
 *   The algorithm sets come from softnic_profile.c: the SOFTNIC_FULL build ("softnic-full")
 *   advertises every algorithm the NDIS enumerations name.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <openssl/crypto.h>

#include "softnic.h"
#include "softnic_device.h"
#include "softnic_ndis.h"
#include "softnic_profile.h"

#if defined(SOFTNIC_FULL)
#define SOFTNIC_NAME "softnic-full"
#else
#define SOFTNIC_NAME "softnic"
#endif

static void copy_error(char *err, size_t capacity, const char *text) {
  if (err != NULL && capacity > 0) snprintf(err, capacity, "%s", text);
}

static ipsec_cts_result softnic_open(const char *config_json, ipsec_cts_dut **out, char *err,
                                     size_t err_capacity) {
  if (out == NULL) {
    copy_error(err, err_capacity, "open: out is NULL");
    return IPSEC_CTS_ERR_INVALID_ARGUMENT;
  }
  *out = NULL;
  softnic_config config;
  if (softnic_config_parse(config_json, &config, err, err_capacity) != 0) {
    return IPSEC_CTS_ERR_INVALID_ARGUMENT;
  }
  ipsec_cts_dut *dut = calloc(1, sizeof(*dut));
  if (dut == NULL) {
    copy_error(err, err_capacity, "open: out of memory for the device state");
    return IPSEC_CTS_ERR_DEVICE;
  }
  const char *why = "";
  if (softnic_algorithms_fetch(&dut->algs, &why) != 0) {
    char msg[256];
    snprintf(msg, sizeof(msg), "open: %s", why);
    copy_error(err, err_capacity, msg);
    free(dut);
    return IPSEC_CTS_ERR_DEVICE;
  }
  dut->config = config;
  if (softnic_table_create(&dut->table, &config) != 0) {
    char msg[160];
    snprintf(msg, sizeof(msg), "open: out of memory for an SA table of %u bundles", config.total_bundles);
    copy_error(err, err_capacity, msg);
    softnic_algorithms_free(&dut->algs);
    free(dut);
    return IPSEC_CTS_ERR_DEVICE;
  }
  softnic_iv_pool_init(&dut->ivs);
  *out = dut;
  return IPSEC_CTS_OK;
}

static ipsec_cts_result softnic_query_capabilities(ipsec_cts_dut *dut,
                                                   ipsec_cts_capabilities *caps) {
  if (dut == NULL) return IPSEC_CTS_ERR_INVALID_ARGUMENT;
  if (caps == NULL || caps->struct_size < sizeof(*caps)) {
    softnic_set_error(dut, "query_capabilities: caps is NULL or its struct_size is below %zu",
                      sizeof(*caps));
    return IPSEC_CTS_ERR_INVALID_ARGUMENT;
  }
  NDIS_IPSEC_OFFLOAD_V2 v2;
  memset(&v2, 0, sizeof(v2));
  v2.Encapsulation = NDIS_ENCAPSULATION_IEEE_802_3; /* mandatory (4.1 item 6) */
  v2.IPv6Supported = 1;
  v2.IPv4Options = dut->config.ipv4_options ? 1 : 0;
  v2.IPv6NonIPsecExtensionHeaders = dut->config.ipv6_extension_headers ? 1 : 0;
  v2.Ah = softnic_profile_get()->ah ? 1 : 0;
  v2.Esp = 1;
  v2.AhEspCombined = softnic_profile_get()->ah ? 1 : 0;
  v2.Transport = 1;
  v2.Tunnel = 1; /* required for an IPsec offload miniport (OQ-19) */
  v2.TransportTunnelCombined = 0;
  v2.LsoSupported = softnic_profile_get()->lso ? 1 : 0;
  v2.ExtendedSequenceNumbers = 1;
  v2.UdpEsp = softnic_profile_get()->udp_esp;
  v2.AuthenticationAlgorithms = softnic_profile_get()->authentication_algorithms;
  v2.EncryptionAlgorithms = softnic_profile_get()->encryption_algorithms;
  v2.SaOffloadCapacity = dut->table.total_capacity;

  const uint32_t struct_size = caps->struct_size;
  memset(caps, 0, sizeof(*caps));
  caps->struct_size = struct_size;
  _Static_assert(sizeof(v2) == sizeof(caps->ipsec_offload_v2), "32-byte NDIS_IPSEC_OFFLOAD_V2");
  memcpy(caps->ipsec_offload_v2, &v2, sizeof(v2));
  caps->inbound_bundle_capacity = dut->table.inbound_capacity;
  caps->outbound_bundle_capacity = dut->table.outbound_capacity;
  caps->inbound_dest_address_capacity = dut->table.dest_capacity;
  caps->spi_min = 0; /* any non-zero SPI */
  caps->spi_max = 0;
  caps->gcm_key_includes_salt = 1; /* OQ-07 */
  return IPSEC_CTS_OK;
}

static ipsec_cts_result softnic_oid_set_entry(ipsec_cts_dut *dut, uint32_t oid, void *buffer,
                                              uint32_t length, uint32_t *ndis_status,
                                              uint32_t *bytes_read, uint32_t *bytes_needed) {
  if (dut == NULL) return IPSEC_CTS_ERR_INVALID_ARGUMENT;
  if (ndis_status == NULL || bytes_read == NULL || bytes_needed == NULL ||
      (buffer == NULL && length != 0)) {
    softnic_set_error(dut, "oid_set: NULL %s",
                      buffer == NULL && length != 0 ? "buffer with a non-zero length"
                                                    : "output pointer");
    return IPSEC_CTS_ERR_INVALID_ARGUMENT;
  }
  static uint8_t empty[1];
  *ndis_status = softnic_oid_set(dut, oid, buffer != NULL ? (uint8_t *)buffer : empty, length,
                                 bytes_read, bytes_needed);
  return IPSEC_CTS_OK;
}

static ipsec_cts_result softnic_send_entry(ipsec_cts_dut *dut, const uint8_t *frame,
                                           size_t length, const ipsec_cts_send_oob *oob,
                                           ipsec_cts_frame_list *out,
                                           uint32_t *completion_status) {
  if (dut == NULL) return IPSEC_CTS_ERR_INVALID_ARGUMENT;
  if ((frame == NULL && length != 0) || oob == NULL || out == NULL || completion_status == NULL ||
      (out->data == NULL && out->data_capacity != 0) ||
      (out->frame_lengths == NULL && out->max_frames != 0)) {
    softnic_set_error(dut, "send: NULL frame, oob, output list, buffer or completion_status");
    return IPSEC_CTS_ERR_INVALID_ARGUMENT;
  }
  static const uint8_t empty[1];
  return softnic_send(dut, frame != NULL ? frame : empty, length, oob, out, completion_status);
}

static ipsec_cts_result softnic_receive_entry(ipsec_cts_dut *dut, const uint8_t *frame,
                                              size_t length, uint8_t *out_frame,
                                              size_t out_capacity, size_t *out_length,
                                              ipsec_cts_receive_result *result) {
  if (dut == NULL) return IPSEC_CTS_ERR_INVALID_ARGUMENT;
  if ((frame == NULL && length != 0) || (out_frame == NULL && out_capacity != 0) ||
      out_length == NULL || result == NULL) {
    softnic_set_error(dut, "receive: NULL frame, out_frame, out_length or result");
    return IPSEC_CTS_ERR_INVALID_ARGUMENT;
  }
  static const uint8_t empty_in[1];
  static uint8_t empty_out[1];
  return softnic_receive(dut, frame != NULL ? frame : empty_in, length,
                         out_frame != NULL ? out_frame : empty_out, out_capacity, out_length,
                         result);
}

static ipsec_cts_result softnic_dump_entry(ipsec_cts_dut *dut, char *json, size_t capacity,
                                           size_t *needed) {
  if (dut == NULL) return IPSEC_CTS_ERR_INVALID_ARGUMENT;
  if ((json == NULL && capacity != 0) || needed == NULL) {
    softnic_set_error(dut, "dump: NULL json buffer or needed");
    return IPSEC_CTS_ERR_INVALID_ARGUMENT;
  }
  const size_t length = softnic_dump_json(dut, json, capacity);
  *needed = length + 1u;
  if (length + 1u > capacity) {
    softnic_set_error(dut, "dump: the table view needs %zu bytes, the buffer holds %zu",
                      length + 1u, capacity);
    return IPSEC_CTS_ERR_BUFFER_TOO_SMALL;
  }
  return IPSEC_CTS_OK;
}

static ipsec_cts_result softnic_request_sa_delete(ipsec_cts_dut *dut, uint32_t spi) {
  if (dut == NULL) return IPSEC_CTS_ERR_INVALID_ARGUMENT;
  if (softnic_table_request_delete(&dut->table, spi) == 0) {
    softnic_set_error(dut, "request_sa_delete: no inbound SA has SPI 0x%08x", spi);
    return IPSEC_CTS_ERR_INVALID_ARGUMENT;
  }
  return IPSEC_CTS_OK;
}

static ipsec_cts_result softnic_reset(ipsec_cts_dut *dut) {
  if (dut == NULL) return IPSEC_CTS_ERR_INVALID_ARGUMENT;
  softnic_delete_all(dut); /* keys wiped with every SA (LIFE-001) */
  softnic_iv_pool_wipe(&dut->ivs);
  dut->last_error[0] = '\0';
  return IPSEC_CTS_OK;
}

static void softnic_close(ipsec_cts_dut *dut) {
  if (dut == NULL) return;
  softnic_delete_all(dut);
  softnic_table_destroy(&dut->table);
  softnic_iv_pool_wipe(&dut->ivs);
  softnic_algorithms_free(&dut->algs);
  OPENSSL_cleanse(dut, sizeof(*dut));
  free(dut);
}

static const char *softnic_last_error(ipsec_cts_dut *dut) {
  return dut != NULL ? dut->last_error : "no device instance (NULL)";
}

static const ipsec_cts_dut_vtable softnic_vtable = {
    IPSEC_CTS_DUT_ABI_VERSION,
    sizeof(ipsec_cts_dut_vtable),
    SOFTNIC_NAME,
    softnic_open,
    softnic_query_capabilities,
    softnic_oid_set_entry,
    softnic_send_entry,
    softnic_receive_entry,
    softnic_dump_entry,
    softnic_request_sa_delete,
    softnic_reset,
    softnic_close,
    softnic_last_error,
};

const ipsec_cts_dut_vtable *ipsec_cts_softnic_vtable(void) { return &softnic_vtable; }

IPSEC_CTS_DUT_EXPORT const ipsec_cts_dut_vtable *ipsec_cts_dut_entry(
    uint32_t requested_abi_version) {
  return requested_abi_version == IPSEC_CTS_DUT_ABI_VERSION ? &softnic_vtable : NULL;
}
