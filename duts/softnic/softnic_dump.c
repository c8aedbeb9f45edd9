/*
 * softnic_dump.c — the SA table as JSON, the debug view a driver can expose (dut.h `dump`).
 *
 *   {"bundles":[{"handle":"0x80000000","direction":"inbound","sas":[{"spi":4097,
 *     "operation":"esp","esn":true,"sequence_number_high_order":0}]}],
 *    "pools":{"total_bundles":{"used":1,"capacity":2048}, "inbound_bundles":{...},
 *             "outbound_bundles":{...}, "inbound_destination_addresses":{...}}}
 *
 * Bundles are listed in slot order, which is deterministic for a given sequence of requests.
 * Key material never appears here.
 */
#include <stdarg.h>
#include <stdio.h>

#include "softnic_device.h"

/* Appends to a bounded buffer while counting the full length, so one pass both writes what
 * fits and reports the size needed. */
typedef struct json_out {
  char *buf;
  size_t capacity;
  size_t length; /* total characters produced, even those that did not fit */
} json_out;

static void emit(json_out *o, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

static void emit(json_out *o, const char *fmt, ...) {
  char piece[160];
  va_list ap;
  va_start(ap, fmt);
  const int n = vsnprintf(piece, sizeof(piece), fmt, ap);
  va_end(ap);
  if (n <= 0) return;
  const size_t len = (size_t)n < sizeof(piece) ? (size_t)n : sizeof(piece) - 1u;
  for (size_t i = 0; i < len; ++i) {
    if (o->length + i + 1u < o->capacity) o->buf[o->length + i] = piece[i];
  }
  o->length += len;
  if (o->capacity > 0) o->buf[o->length < o->capacity ? o->length : o->capacity - 1u] = '\0';
}

static void emit_pool(json_out *o, const char *name, uint32_t used, uint32_t capacity,
                      const char *sep) {
  emit(o, "\"%s\":{\"used\":%u,\"capacity\":%u}%s", name, used, capacity, sep);
}

size_t softnic_dump_json(const ipsec_cts_dut *dut, char *json, size_t capacity) {
  json_out o = {json, capacity, 0};
  if (capacity > 0) json[0] = '\0';
  const softnic_sa_table *t = &dut->table;

  emit(&o, "{\"bundles\":[");
  bool first = true;
  for (uint32_t i = 0; i < t->total_capacity; ++i) {
    const softnic_bundle *b = &t->bundles[i];
    if (!b->in_use || b->handle == 0) continue;
    emit(&o, "%s{\"handle\":\"0x%x\",\"direction\":\"%s\",\"sas\":[", first ? "" : ",", b->handle,
         b->inbound ? "inbound" : "outbound");
    /* SecAssoc order: ESP, then AH (ADD-011). */
    if (b->has_esp) {
      emit(&o, "{\"spi\":%u,\"operation\":\"esp\",\"esn\":%s,\"sequence_number_high_order\":%u}%s",
           b->esp.spi, b->esp.esn ? "true" : "false", b->esp.seq_high, b->has_ah ? "," : "");
    }
    if (b->has_ah) {
      emit(&o, "{\"spi\":%u,\"operation\":\"ah\",\"esn\":%s,\"sequence_number_high_order\":%u}",
           b->ah.spi, b->ah.esn ? "true" : "false", b->ah.seq_high);
    }
    emit(&o, "]}");
    first = false;
  }
  emit(&o, "],\"pools\":{");
  emit_pool(&o, "total_bundles", t->inbound_used + t->outbound_used, t->total_capacity, ",");
  emit_pool(&o, "inbound_bundles", t->inbound_used, t->inbound_capacity, ",");
  emit_pool(&o, "outbound_bundles", t->outbound_used, t->outbound_capacity, ",");
  emit_pool(&o, "inbound_destination_addresses", t->dests_used, t->dest_capacity, "");
  emit(&o, "}}");
  return o.length;
}
