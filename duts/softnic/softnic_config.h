/*
 * softnic_config.h — the open() configuration: a JSON object whose optional keys switch the two
 * header-shape capabilities a vendor's NIC may or may not have. Everything else in the profile
 * is fixed by the hardware this sample models.
 *
 *   "ipv4_options": false            NDIS_IPSEC_OFFLOAD_V2.IPv4Options
 *   "ipv6_extension_headers": false  NDIS_IPSEC_OFFLOAD_V2.IPv6NonIPsecExtensionHeaders
 *
 * Both default to FALSE in softnic, the profile of duts/profiles/softnic.json, and to TRUE in
 * softnic-full (softnic_profile.h). Packets outside the
 * advertised shapes are indicated without IPsec processing (RECV-005) and refused on send.
 *
 * Capacities, so a vendor can see how the suite behaves at their device's size (whole numbers,
 * 1 .. SOFTNIC_MAX_BUNDLES; the names of the profile's "pools"):
 *   "total_bundles"                  SaOffloadCapacity: bundle slots of both directions
 *   "inbound_bundles"                inbound bundles at most
 *   "outbound_bundles"               outbound bundles at most
 *   "inbound_destination_addresses"  distinct inbound destination addresses at most
 * Without any of them: 1024 inbound + 1024 outbound slots, 128 addresses (duts/profiles/
 * softnic.json). A missing total is inbound + outbound; a missing direction or address count,
 * when a total is given, is the total (one shared pool, as duts/profiles/full.json), else the
 * default above.
 * Other keys are ignored, as dut.h allows; a known key with a non-boolean value, or text that is
 * not one JSON object, is an error that names the problem.
 */
#ifndef SOFTNIC_CONFIG_H
#define SOFTNIC_CONFIG_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define SOFTNIC_MAX_BUNDLES (1u << 24)

typedef struct softnic_config {
  bool ipv4_options;
  bool ipv6_extension_headers;
  uint32_t total_bundles;
  uint32_t inbound_bundles;
  uint32_t outbound_bundles;
  uint32_t dest_addresses;
} softnic_config;

/* NULL or "{}" gives the defaults. Returns 0, or -1 with a reason in err. */
int softnic_config_parse(const char *json, softnic_config *out, char *err, size_t err_capacity);

#endif /* SOFTNIC_CONFIG_H */
