/*
 * softnic_device.h — one softnic instance (the adapter context a miniport would keep) and the
 * internal entry points of each concern. Only softnic_entry.c faces the plugin ABI; the other
 * files implement one operation each and report through this structure. Calls go one way:
 * entry -> oid / tx / rx / dump -> the shared helpers (softnic_device.c) -> table / esp / ip.
 *
 * Concurrency: the plugin ABI calls a device from one thread at a time, so nothing here locks.
 * A real miniport must not rely on that: direct OID requests are not serialized against each
 * other or against the datapath (GEN-002), and would need a lock (or RCU) around the table.
 */
#ifndef SOFTNIC_DEVICE_H
#define SOFTNIC_DEVICE_H

#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include "ipsec_cts/dut.h"
#include "softnic_config.h"
#include "softnic_esp.h"
#include "softnic_sa_table.h"

#define SOFTNIC_ERROR_CAPACITY 512u

struct ipsec_cts_dut {
  softnic_config config;
  softnic_algorithms algs;
  softnic_sa_table table;
  softnic_iv_pool ivs;
  char last_error[SOFTNIC_ERROR_CAPACITY];
};

/* softnic_device.c: the helpers every concern shares. */

/* Records the reason for the last failure (non-OK ABI result, or a rejected OID / send, which
 * helps a vendor see why the device said no). printf-style. */
void softnic_set_error(ipsec_cts_dut *dut, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));

/* Deletes every bundle, wiping key material. */
void softnic_delete_all(ipsec_cts_dut *dut);
/* Deletes one bundle: frees its EVP contexts (key schedules cleansed) and its slot. */
void softnic_delete_bundle(ipsec_cts_dut *dut, softnic_bundle *bundle);

/* softnic_oid.c */
uint32_t softnic_oid_set(ipsec_cts_dut *dut, uint32_t oid, uint8_t *buffer, uint32_t length,
                         uint32_t *bytes_read, uint32_t *bytes_needed);

/* softnic_tx.c: returns the ABI result; *completion_status is the NBL completion status. */
ipsec_cts_result softnic_send(ipsec_cts_dut *dut, const uint8_t *frame, size_t length,
                              const ipsec_cts_send_oob *oob, ipsec_cts_frame_list *out,
                              uint32_t *completion_status);

/* softnic_rx.c */
ipsec_cts_result softnic_receive(ipsec_cts_dut *dut, const uint8_t *frame, size_t length,
                                 uint8_t *out_frame, size_t out_capacity, size_t *out_length,
                                 ipsec_cts_receive_result *result);

/* softnic_dump.c: writes the JSON table view; returns the full length (excluding the NUL). */
size_t softnic_dump_json(const ipsec_cts_dut *dut, char *json, size_t capacity);

#endif /* SOFTNIC_DEVICE_H */
