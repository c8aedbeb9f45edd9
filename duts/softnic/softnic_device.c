/*
 * softnic_device.c — the helpers every concern of the device shares: the last-error text and
 * deleting bundles. They live here, below entry, oid, tx and rx, so that each of those files
 * depends only downwards (entry -> oid/tx/rx/dump -> device -> table/esp) and none calls back
 * into the plugin face.
 */
#include <stdarg.h>
#include <stdio.h>

#include "softnic_device.h"

void softnic_set_error(ipsec_cts_dut *dut, const char *fmt, ...) {
  va_list ap;
  va_start(ap, fmt);
  vsnprintf(dut->last_error, sizeof(dut->last_error), fmt, ap);
  va_end(ap);
}

void softnic_delete_bundle(ipsec_cts_dut *dut, softnic_bundle *bundle) {
  softnic_esp_sa_release(&bundle->esp);
  softnic_esp_sa_release(&bundle->ah); /* zeroed (nothing to free) unless the bundle has AH */
  softnic_table_release(&dut->table, bundle);
}

void softnic_delete_all(ipsec_cts_dut *dut) {
  for (uint32_t i = 0; i < dut->table.total_capacity; ++i) {
    softnic_bundle *b = &dut->table.bundles[i];
    if (b->in_use) softnic_delete_bundle(dut, b);
  }
  softnic_table_init(&dut->table);
}
