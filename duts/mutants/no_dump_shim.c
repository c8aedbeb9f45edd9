/*
 * no_dump_shim.c — a plugin that forwards every call to the plugin named by the environment
 * variable IPSEC_CTS_NO_DUMP_INNER and offers no dump: what a black-box driver shows. The mutant
 * test uses it when `ipsec-cts run` has no --no-dump switch of its own.
 */
#include <dlfcn.h>
#include <stdlib.h>
#include <string.h>

#include "ipsec_cts/dut.h"

static ipsec_cts_dut_vtable table;
static int loaded;

IPSEC_CTS_DUT_EXPORT const ipsec_cts_dut_vtable *ipsec_cts_dut_entry(uint32_t requested_abi_version) {
  if (!loaded) {
    const char *path = getenv("IPSEC_CTS_NO_DUMP_INNER");
    if (path == NULL) return NULL;
    void *lib = dlopen(path, RTLD_NOW | RTLD_LOCAL);
    if (lib == NULL) return NULL;
    /* POSIX guarantees dlsym results convert to function pointers; copy the bits so ISO C's
     * object-to-function pointer rule (-Wpedantic) is not involved. */
    void *symbol = dlsym(lib, IPSEC_CTS_DUT_ENTRY_SYMBOL);
    if (symbol == NULL) return NULL;
    ipsec_cts_dut_entry_fn entry;
    memcpy(&entry, &symbol, sizeof entry);
    const ipsec_cts_dut_vtable *inner = entry(requested_abi_version);
    if (inner == NULL) return NULL;
    table = *inner;
    table.dump = NULL;
    loaded = 1;
  }
  return &table;
}
