/*
 * hostile_plugin.c: a hostile device on the plugin C ABI. It forwards every call to the real
 * softnic plugin (SOFTNIC_PLUGIN_PATH) and, once per run, misbehaves in one chosen way instead:
 *
 *   CTS_HOSTILE_MODE=MODE CTS_HOSTILE_OP=OP CTS_HOSTILE_NTH=N CTS_HOSTILE_MARKER=FILE
 *
 * The N-th call of OP (oid_set, send, receive, dump) is where it misbehaves, unless FILE exists
 * (it is created then, so the fresh device the runner opens afterwards behaves). MODEs:
 *   write_past_end      oid_set writes 64 bytes past InformationBufferLength, as an overrunning
 *                       memcpy would (the runner's guard page behind the buffer stops it)
 *   handle_out_of_range dump names a handle of 80 bits (the ABI's handles are 64-bit)
 *   long_frame          send reports a frame one byte longer than the data_capacity it was given
 *   crash               send dies of SIGSEGV (run --isolate: the child agent dies, not the runner)
 *   hang                send never returns (run --isolate with a --timeout-ms)
 */
#include <fcntl.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "ipsec_cts/dut.h"
#include "ipsec_cts/dut_load.h"

static const ipsec_cts_dut_vtable *inner;
static ipsec_cts_dut_vtable table;
static unsigned calls;

/* Whether this call is the one to spoil: the configured op, its N-th call, and the first time in
 * this run (the marker file, created here, is what a fresh process sees). */
static int misbehave_now(const char *op) {
  const char *want = getenv("CTS_HOSTILE_OP");
  const char *nth = getenv("CTS_HOSTILE_NTH");
  const char *marker = getenv("CTS_HOSTILE_MARKER");
  if (want == NULL || nth == NULL || marker == NULL || strcmp(want, op) != 0) return 0;
  if (++calls != (unsigned)strtoul(nth, NULL, 10)) return 0;
  const int fd = open(marker, O_CREAT | O_EXCL | O_WRONLY, 0644);
  if (fd < 0) return 0; /* it misbehaved before in this run */
  close(fd);
  fprintf(stderr, "hostile plugin: %s on %s #%s\n", getenv("CTS_HOSTILE_MODE"), op, nth);
  return 1;
}

static int mode_is(const char *mode) {
  const char *m = getenv("CTS_HOSTILE_MODE");
  return m != NULL && strcmp(m, mode) == 0;
}

static ipsec_cts_result h_oid_set(ipsec_cts_dut *dut, uint32_t oid, void *buffer, uint32_t length,
                                  uint32_t *ndis_status, uint32_t *bytes_read, uint32_t *bytes_needed) {
  const ipsec_cts_result r = inner->oid_set(dut, oid, buffer, length, ndis_status, bytes_read, bytes_needed);
  if (mode_is("write_past_end") && misbehave_now("oid_set")) {
    volatile uint8_t *b = (volatile uint8_t *)buffer;
    for (uint32_t i = 0; i < 64; ++i) b[length + i] = 0x5A;
  }
  return r;
}

static ipsec_cts_result h_send(ipsec_cts_dut *dut, const uint8_t *frame, size_t length,
                               const ipsec_cts_send_oob *oob, ipsec_cts_frame_list *out,
                               uint32_t *completion_status) {
  if (mode_is("crash") && misbehave_now("send")) raise(SIGSEGV);
  if (mode_is("hang") && misbehave_now("send"))
    for (;;) pause();
  const ipsec_cts_result r = inner->send(dut, frame, length, oob, out, completion_status);
  if (r == IPSEC_CTS_OK && out->frame_count > 0 && mode_is("long_frame") && misbehave_now("send"))
    out->frame_lengths[0] = out->data_capacity + 1;
  return r;
}

static ipsec_cts_result h_dump(ipsec_cts_dut *dut, char *json, size_t capacity, size_t *needed) {
  const ipsec_cts_result r = inner->dump(dut, json, capacity, needed);
  if (r != IPSEC_CTS_OK || !mode_is("handle_out_of_range")) return r;
  /* "handle": "0x80000000" -> "handle": "0xffffffffffff80000000" (20 hex digits), in place. */
  char *at = strstr(json, "\"handle\"");
  char *hex = at != NULL ? strstr(at, "\"0x") : NULL;
  const size_t used = strlen(json) + 1;
  if (hex == NULL || used + 12 > capacity || !misbehave_now("dump")) return r;
  hex += 3;
  memmove(hex + 12, hex, used - (size_t)(hex - json));
  memcpy(hex, "ffffffffffff", 12);
  *needed = used + 12;
  return r;
}

IPSEC_CTS_DUT_EXPORT const ipsec_cts_dut_vtable *ipsec_cts_dut_entry(uint32_t requested_abi_version) {
  if (inner == NULL) {
    inner = ipsec_cts_dut_load_entry(SOFTNIC_PLUGIN_PATH, requested_abi_version);
    if (inner == NULL) return NULL;
    table = *inner;
    table.name = "softnic-hostile";
    table.oid_set = h_oid_set;
    table.send = h_send;
    if (inner->dump != NULL) table.dump = h_dump;
  }
  return &table;
}
