/*
 * softnic_sa_table.h — the device's SA table: bundle slots, handles, capacity pools, the inbound
 * destination-address table and the receive lookup by SPI + destination.
 *
 * The resources mirror what a real NIC has, and each one can run out on its own:
 *   - 1024 inbound and 1024 outbound bundle slots (SaOffloadCapacity = 2048 in total, OQ-18:
 *     every ADD element is one bundle, one direction);
 *   - 128 inbound destination addresses: the first inbound bundle for a destination takes an
 *     entry, later bundles for the same destination share it, the last one to go frees it.
 *     An all-zero (wildcard, ADD-015) destination is an address like any other here: it takes
 *     one entry per address family.
 * A full pool is NDIS_STATUS_RESOURCES (OQ-04). Everything is allocated once at open: adding,
 * deleting and looking up never allocate.
 *
 * Handles (OQ-22): bit 31 set (never NULL), slot index in bits 0..11, a 19-bit per-slot
 * generation in bits 12..30. Free slots are reused in FIFO order, so the same value comes back
 * only after a slot has been freed 2^19 times and every other slot has been used in between.
 */
#ifndef SOFTNIC_SA_TABLE_H
#define SOFTNIC_SA_TABLE_H

#include <stdbool.h>
#include <stdint.h>

#include "softnic_sa.h"

#define SOFTNIC_INBOUND_BUNDLES 1024u
#define SOFTNIC_OUTBOUND_BUNDLES 1024u
#define SOFTNIC_TOTAL_BUNDLES (SOFTNIC_INBOUND_BUNDLES + SOFTNIC_OUTBOUND_BUNDLES)
#define SOFTNIC_DEST_ADDRESSES 128u
#define SOFTNIC_SPI_BUCKETS 1024u /* power of two */

typedef struct softnic_dest_entry {
  bool ipv6;
  uint8_t addr[16];
  uint32_t refs; /* inbound bundles using this address; 0 = free */
} softnic_dest_entry;

typedef struct softnic_sa_table {
  softnic_bundle bundles[SOFTNIC_TOTAL_BUNDLES];
  uint16_t free_fifo[SOFTNIC_TOTAL_BUNDLES]; /* ring of free slot indexes */
  uint32_t free_head;
  uint32_t free_count;
  uint32_t inbound_used;
  uint32_t outbound_used;
  softnic_dest_entry dests[SOFTNIC_DEST_ADDRESSES];
  uint32_t dests_used;
  int32_t spi_buckets[SOFTNIC_SPI_BUCKETS]; /* head slot of each inbound SPI chain, -1 empty */
} softnic_sa_table;

/* Empties the table. Generations survive so handles from before a reset stay dead. */
void softnic_table_init(softnic_sa_table *table);

/* Why a bundle cannot be added, or SOFTNIC_ROOM_OK. Checked before any state changes. */
typedef enum softnic_room {
  SOFTNIC_ROOM_OK,
  SOFTNIC_ROOM_NO_INBOUND_SLOT,
  SOFTNIC_ROOM_NO_OUTBOUND_SLOT,
  SOFTNIC_ROOM_NO_DEST_ADDRESS
} softnic_room;

softnic_room softnic_table_check_room(const softnic_sa_table *table,
                                      const softnic_bundle_params *params);

/* Takes a slot (and a destination entry for inbound) for a bundle whose room was checked.
 * Returns the slot; the caller fills bundle->esp, then calls softnic_table_publish(). */
softnic_bundle *softnic_table_reserve(softnic_sa_table *table,
                                      const softnic_bundle_params *params);
/* Makes a reserved bundle visible: handle assigned, inbound SA linked for receive lookup. */
uint32_t softnic_table_publish(softnic_sa_table *table, softnic_bundle *bundle);
/* Returns a slot (published or only reserved) to the pools. The SA's crypto state must already
 * have been released (softnic_esp_sa_release). */
void softnic_table_release(softnic_sa_table *table, softnic_bundle *bundle);

/* The live bundle with exactly this handle, or NULL (unknown, stale, zero or out of range). */
softnic_bundle *softnic_table_find_handle(softnic_sa_table *table, uint64_t handle);

/* Receive lookup (4.11 step 2, RECV-003): the inbound bundle whose SPI equals `spi`, whose
 * address family matches, and whose destination equals `dst` or is the wildcard (all zero).
 * An exact destination wins over a wildcard; among equals the bundle added first wins. */
softnic_bundle *softnic_table_find_inbound(softnic_sa_table *table, uint32_t spi, bool ipv6,
                                           const uint8_t *dst);

/* Marks every inbound bundle with this SPI for SaDeleteReq. Returns how many were marked. */
uint32_t softnic_table_request_delete(softnic_sa_table *table, uint32_t spi);

#endif /* SOFTNIC_SA_TABLE_H */
