/*
 * mutant_plugin.c — wrappers around the real softnic plugin for behaviours of the harness itself,
 * which no fault in softnic's sources can show (the driver bugs are the mutant zoo, mutants.json).
 *
 * Each is this wrapper compiled with one MUTANT_* value: it dlopen()s the real softnic plugin
 * (SOFTNIC_PLUGIN_PATH) and forwards every call of the plugin ABI to it, except:
 *
 *   MUTANT_CRASH_ON_UPDATE   the process dies on UPDATE_SA to high half 1: run isolated, the case
 *                            must end in ERROR and the run continue with a restarted device
 *   MUTANT_REFUSE_WILDCARD   not a bug: ADD_SA_EX with a zero (wildcard) address is refused
 *                            cleanly, as OQ-28 lets a NIC do; the case must end NOT_APPLICABLE
 *   MUTANT_TUNNEL_AUTH_STATUS not a bug: an ESP ICV failure is reported with
 *                            CRYPTO_TUNNEL_ESP_AUTH_FAILED (5) where softnic reports the transport
 *                            status (3), as OQ-CTS-1 lets a NIC do; those cases must end
 *                            ACCEPTABLE naming OQ-CTS-1, never FAIL
 */
#include <stdlib.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include "ipsec_cts/dut.h"
#include "ipsec_cts/dut_load.h"

#define MUTANT_CRASH_ON_UPDATE 6
#define MUTANT_REFUSE_WILDCARD 7
#define MUTANT_TUNNEL_AUTH_STATUS 8

#define CRYPTO_STATUS_SHIFT 16
#define CRYPTO_TRANSPORT_ESP_AUTH_FAILED 3u
#define CRYPTO_TUNNEL_ESP_AUTH_FAILED 5u

#ifndef MUTANT_KIND
#error "define MUTANT_KIND"
#endif

#define OID_UPDATE_SA 0xFC030204u
#define OID_ADD_SA_EX 0xFC030205u
#define NDIS_STATUS_NOT_SUPPORTED 0xC00000BBu
#define IPSEC_OFFLOAD_V2_IPV6_FLAG 0x10u

static const ipsec_cts_dut_vtable *inner;
static ipsec_cts_dut_vtable table;

static uint32_t load32(const uint8_t *p) {
  return (uint32_t)p[0] | ((uint32_t)p[1] << 8) | ((uint32_t)p[2] << 16) | ((uint32_t)p[3] << 24);
}

static int all_zero(const uint8_t *p, size_t n) {
  uint8_t acc = 0;
  for (size_t i = 0; i < n; ++i) acc |= p[i];
  return acc == 0;
}

/* x64 ADD_SA_EX: Flags at 8, endpoints at 12 (IPv4: SrcAddr 12, DestAddr 16; IPv6: 12, 28). */
static int has_wildcard_endpoint(const uint8_t *b, uint32_t length) {
  if (length < 56) return 0;
  const size_t n = (load32(b + 8) & IPSEC_OFFLOAD_V2_IPV6_FLAG) ? 16 : 4;
  return all_zero(b + 12, n) || all_zero(b + 12 + n, n);
}

static ipsec_cts_result m_oid_set(ipsec_cts_dut *dut, uint32_t oid, void *buffer, uint32_t length,
                                  uint32_t *ndis_status, uint32_t *bytes_read, uint32_t *bytes_needed) {
  uint8_t *b = (uint8_t *)buffer;
  if (MUTANT_KIND == MUTANT_REFUSE_WILDCARD && oid == OID_ADD_SA_EX && has_wildcard_endpoint(b, length)) {
    memset(b + 48, 0, 8); /* NULL OffloadHandle, as a failed add must leave it */
    *ndis_status = NDIS_STATUS_NOT_SUPPORTED;
    *bytes_read = 0;
    *bytes_needed = 0;
    return IPSEC_CTS_OK;
  }
  if (MUTANT_KIND == MUTANT_CRASH_ON_UPDATE && oid == OID_UPDATE_SA && length >= 28 && load32(b + 24) == 1u)
    abort();
  return inner->oid_set(dut, oid, buffer, length, ndis_status, bytes_read, bytes_needed);
}

static ipsec_cts_result m_receive(ipsec_cts_dut *dut, const uint8_t *frame, size_t length, uint8_t *out_frame,
                                  size_t out_capacity, size_t *out_length, ipsec_cts_receive_result *result) {
  const ipsec_cts_result r = inner->receive(dut, frame, length, out_frame, out_capacity, out_length, result);
  if (MUTANT_KIND == MUTANT_TUNNEL_AUTH_STATUS && r == IPSEC_CTS_OK &&
      ((result->ipsec_info >> CRYPTO_STATUS_SHIFT) & 0xFFFFu) == CRYPTO_TRANSPORT_ESP_AUTH_FAILED)
    result->ipsec_info = (result->ipsec_info & ~((uint64_t)0xFFFFu << CRYPTO_STATUS_SHIFT)) |
                         ((uint64_t)CRYPTO_TUNNEL_ESP_AUTH_FAILED << CRYPTO_STATUS_SHIFT);
  return r;
}

IPSEC_CTS_DUT_EXPORT const ipsec_cts_dut_vtable *ipsec_cts_dut_entry(uint32_t requested_abi_version) {
  if (inner == NULL) {
    inner = ipsec_cts_dut_load_entry(SOFTNIC_PLUGIN_PATH, requested_abi_version);
    if (inner == NULL) return NULL;
    table = *inner;
    table.name = "softnic-mutant";
    table.oid_set = m_oid_set;
    table.receive = m_receive;
  }
  return &table;
}
