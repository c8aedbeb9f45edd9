/*
 * mutant_plugin.c — deliberately broken copies of softnic for the runner's own tests.
 *
 * Each mutant is this wrapper compiled with one MUTANT_* value: it dlopen()s the real softnic
 * plugin (SOFTNIC_PLUGIN_PATH), forwards every call of the plugin ABI to it, and corrupts one
 * specific answer the way a buggy vendor driver would. A conformance run against a mutant must
 * end in FAIL naming the right field and requirement IDs; if it passes, the suite cannot see
 * that class of bug.
 *
 *   MUTANT_NON_NULL_ON_FAILURE   a failed ADD_SA_EX still writes a handle (ADDEX-004)
 *   MUTANT_IGNORE_UPDATE         UPDATE_SA answers SUCCESS and changes nothing (UPD-002/003)
 *   MUTANT_STALE_ESN_SEND        UPDATE_SA ignored for outbound bundles only: sends keep the
 *                                old ESN high half in the ICV (SEND-017); no dump, so only the
 *                                wire shows it
 *   MUTANT_WRONG_CRYPTO_STATUS   an ESP ICV failure reported as CRYPTO_GENERIC_ERROR (RECV-009)
 *   MUTANT_RESERVED_BITS         reserved bits set in the receive OOB word (RECV-020)
 *   MUTANT_CRASH_ON_UPDATE       the process dies on UPDATE_SA to high half 1: run isolated, the case must end
 *                                in ERROR and the run continue with a restarted device
 *   MUTANT_REFUSE_WILDCARD       not a bug: ADD_SA_EX with a zero (wildcard) address is refused cleanly,
 *                                as OQ-28 lets a NIC do; the case must end NOT_APPLICABLE, not FAIL
 */
#include <stdlib.h>
#include <dlfcn.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include "ipsec_cts/dut.h"

#define MUTANT_NON_NULL_ON_FAILURE 1
#define MUTANT_IGNORE_UPDATE 2
#define MUTANT_STALE_ESN_SEND 3
#define MUTANT_WRONG_CRYPTO_STATUS 4
#define MUTANT_RESERVED_BITS 5
#define MUTANT_CRASH_ON_UPDATE 6
#define MUTANT_REFUSE_WILDCARD 7

#ifndef MUTANT_KIND
#error "define MUTANT_KIND"
#endif

#define OID_ADD_SA 0xFC030202u
#define OID_UPDATE_SA 0xFC030204u
#define OID_ADD_SA_EX 0xFC030205u
#define NDIS_STATUS_SUCCESS 0u
#define NDIS_STATUS_NOT_SUPPORTED 0xC00000BBu
#define IPSEC_OFFLOAD_V2_IPV6_FLAG 0x10u

static const ipsec_cts_dut_vtable *inner;
static ipsec_cts_dut_vtable table;

/* Outbound handles seen in successful adds (MUTANT_STALE_ESN_SEND). */
#define MAX_OUTBOUND 4096
static uint64_t outbound[MAX_OUTBOUND];
static size_t outbound_count;

static uint64_t load64(const uint8_t *p) {
  uint64_t v = 0;
  for (int i = 7; i >= 0; --i) v = (v << 8) | p[i];
  return v;
}
static uint32_t load32(const uint8_t *p) {
  return (uint32_t)p[0] | ((uint32_t)p[1] << 8) | ((uint32_t)p[2] << 16) | ((uint32_t)p[3] << 24);
}
static void remember_outbound(uint64_t handle) {
  if (handle != 0 && outbound_count < MAX_OUTBOUND) outbound[outbound_count++] = handle;
}
static int is_outbound(uint64_t handle) {
  for (size_t i = 0; i < outbound_count; ++i)
    if (outbound[i] == handle) return 1;
  return 0;
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
  if (oid == OID_UPDATE_SA && length >= 16) {
    const uint64_t handle = load64(b + 8);
    if (MUTANT_KIND == MUTANT_IGNORE_UPDATE ||
        (MUTANT_KIND == MUTANT_STALE_ESN_SEND && is_outbound(handle))) {
      *ndis_status = NDIS_STATUS_SUCCESS;
      *bytes_read = length;
      *bytes_needed = 0;
      return IPSEC_CTS_OK;
    }
  }
  ipsec_cts_result r = inner->oid_set(dut, oid, buffer, length, ndis_status, bytes_read, bytes_needed);
  if (r != IPSEC_CTS_OK) return r;
  if (MUTANT_KIND == MUTANT_NON_NULL_ON_FAILURE && oid == OID_ADD_SA_EX && length >= 56 &&
      (*ndis_status >> 30) == 3u) {
    memcpy(b + 48, "\x35\x12\x00\x00\x00\x00\x00\x00", 8); /* a "handle" for a failed add */
  }
  if (MUTANT_KIND == MUTANT_STALE_ESN_SEND && *ndis_status == NDIS_STATUS_SUCCESS) {
    if (oid == OID_ADD_SA_EX && length >= 56 && !(load32(b + 8) & 1u)) remember_outbound(load64(b + 48));
    if (oid == OID_ADD_SA) {
      /* Walk the list through its live Next pointers (x64: Next at 8, Flags at 20, handle at 56). */
      const uint8_t *e = b;
      for (int n = 0; e != NULL && n < 4096; ++n) {
        if (e < b || e + 64 > b + length) break;
        if (!(load32(e + 20) & 1u)) remember_outbound(load64(e + 56));
        e = (const uint8_t *)(uintptr_t)load64(e + 8);
      }
    }
  }
  return r;
}

static ipsec_cts_result m_receive(ipsec_cts_dut *dut, const uint8_t *frame, size_t length,
                                  uint8_t *out_frame, size_t out_capacity, size_t *out_length,
                                  ipsec_cts_receive_result *result) {
  ipsec_cts_result r = inner->receive(dut, frame, length, out_frame, out_capacity, out_length, result);
  if (r != IPSEC_CTS_OK) return r;
  const uint32_t status = (uint32_t)(result->ipsec_info >> 16) & 0xFFFFu;
  if (MUTANT_KIND == MUTANT_WRONG_CRYPTO_STATUS && (status == 3u || status == 5u))
    result->ipsec_info = (result->ipsec_info & 0xFFFFu) | (1u << 16);
  if (MUTANT_KIND == MUTANT_RESERVED_BITS) result->ipsec_info |= 0x8u;
  return r;
}

static ipsec_cts_result m_reset(ipsec_cts_dut *dut) {
  outbound_count = 0;
  return inner->reset(dut);
}

IPSEC_CTS_DUT_EXPORT const ipsec_cts_dut_vtable *ipsec_cts_dut_entry(uint32_t requested_abi_version) {
  if (inner == NULL) {
    void *lib = dlopen(SOFTNIC_PLUGIN_PATH, RTLD_NOW | RTLD_LOCAL);
    if (lib == NULL) return NULL;
    /* POSIX guarantees dlsym results convert to function pointers; copy the bits so ISO C's
     * object-to-function pointer rule (-Wpedantic) is not involved. */
    void *symbol = dlsym(lib, IPSEC_CTS_DUT_ENTRY_SYMBOL);
    if (symbol == NULL) return NULL;
    ipsec_cts_dut_entry_fn entry;
    memcpy(&entry, &symbol, sizeof entry);
    inner = entry(requested_abi_version);
    if (inner == NULL) return NULL;
    table = *inner;
    table.name = "softnic-mutant";
    table.oid_set = m_oid_set;
    table.receive = m_receive;
    table.reset = m_reset;
    /* Without the optional dump the runner cannot see the stale table entry; the send judge must
     * catch the bug on the wire. */
    if (MUTANT_KIND == MUTANT_STALE_ESN_SEND) table.dump = NULL;
  }
  return &table;
}
