/* For a plugin that wraps another plugin (the mutant zoo and the hostile devices wrap softnic):
 * loads the plugin at PATH and returns its function table, or NULL where it cannot be loaded.
 * The wrapper copies the table and replaces the entries it changes. */
#ifndef IPSEC_CTS_DUT_LOAD_H
#define IPSEC_CTS_DUT_LOAD_H

#include <dlfcn.h>
#include <stdint.h>
#include <string.h>

#include "ipsec_cts/dut.h"

static inline const ipsec_cts_dut_vtable *ipsec_cts_dut_load_entry(const char *path,
                                                                   uint32_t requested_abi_version) {
  void *lib = dlopen(path, RTLD_NOW | RTLD_LOCAL);
  if (lib == NULL) return NULL;
  /* POSIX guarantees dlsym results convert to function pointers; copy the bits so ISO C's
   * object-to-function pointer rule (-Wpedantic) is not involved. */
  void *symbol = dlsym(lib, IPSEC_CTS_DUT_ENTRY_SYMBOL);
  if (symbol == NULL) return NULL;
  ipsec_cts_dut_entry_fn entry;
  memcpy(&entry, &symbol, sizeof entry);
  return entry(requested_abi_version);
}

#endif
