/*
 * softnic.h — the one public declaration of the softnic sample device besides the plugin ABI.
 *
 * As a shared library (libipsec_cts_softnic.so) softnic exports only ipsec_cts_dut_entry().
 * A program that links the static library (ipsec_cts_softnic_static) together with other
 * devices can reach softnic's table through this uniquely named function instead, so several
 * devices never compete for the ipsec_cts_dut_entry symbol.
 */
#ifndef SOFTNIC_H
#define SOFTNIC_H

#include "ipsec_cts/dut.h"

#ifdef __cplusplus
extern "C" {
#endif

/* The softnic function table (ABI version IPSEC_CTS_DUT_ABI_VERSION). Never NULL. */
const ipsec_cts_dut_vtable *ipsec_cts_softnic_vtable(void);

#ifdef __cplusplus
}
#endif

#endif /* SOFTNIC_H */
