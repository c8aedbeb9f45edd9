/*
 * softnic_sa_table.h — the device's SA table: bundle slots, handles, capacity pools, the inbound
 * destination-address table and the receive lookup by SPI + destination.
 *
 * The resources mirror what a real NIC has, and each one can run out on its own:
 *   - bundle slots: SaOffloadCapacity in total, at most so many inbound and so many outbound
 *     (OQ-18: every ADD element is one bundle, one direction); 1024 + 1024 unless the open()
 *     configuration says otherwise (softnic_config.h);
 *   - inbound destination addresses (128 unless configured): the first inbound bundle for a destination takes an
 *     entry, later bundles for the same destination share it, the last one to go frees it.
 *     An all-zero (wildcard, ADD-015) destination is an address like any other here: it takes
 *     one entry per address family.
 * A full pool is NDIS_STATUS_RESOURCES (OQ-04). Everything is allocated once at open, sized by
 * the capacities: adding, deleting and looking up never allocate, and every lookup (handle, SPI,
 * destination address) is a hash or an index, so a table of a million bundles costs what a
 * small one does per operation.
 *
 * Handles (OQ-22): bit 31 set (never NULL), the slot index in the low bits (as many as the
 * slot count needs, 11 at least), a per-slot generation in the bits between. Free slots are
 * reused in FIFO order, so the same value comes back only after a slot has been freed
 * 2^(generation bits) times and every other slot has been used in between.
 */
#ifndef SOFTNIC_SA_TABLE_H
#define SOFTNIC_SA_TABLE_H

#include <stdbool.h>
#include <stdint.h>

#include "softnic_sa.h"

#include "softnic_config.h"

typedef struct softnic_dest_entry {
  bool ipv6;
  uint8_t addr[16];
  uint32_t refs; /* inbound bundles using this address; 0 = free */
  int32_t next;  /* next entry in the same address hash chain, -1 ends it */
} softnic_dest_entry;

typedef struct softnic_sa_table {
  uint32_t total_capacity;
  uint32_t inbound_capacity;
  uint32_t outbound_capacity;
  uint32_t dest_capacity;
  uint32_t slot_bits; /* handle layout */
  softnic_bundle *bundles;  /* total_capacity slots */
  uint32_t *free_fifo;      /* ring of free slot indexes */
  uint32_t free_head;
  uint32_t free_count;
  uint32_t inbound_used;
  uint32_t outbound_used;
  softnic_dest_entry *dests; /* dest_capacity entries */
  uint32_t *dest_free;       /* stack of free entry indexes */
  uint32_t dests_used;
  int32_t *dest_buckets; /* head entry of each address chain, -1 empty */
  uint32_t dest_bucket_mask;
  int32_t *spi_buckets; /* head slot of each inbound SPI chain, -1 empty */
  uint32_t spi_bucket_mask;
  uint32_t spi_bucket_shift; /* 32 - log2(bucket count) */
} softnic_sa_table;

/* Allocates the table for the configured capacities and empties it. Returns 0, or -1 when
 * memory is short (nothing stays allocated). */
int softnic_table_create(softnic_sa_table *table, const softnic_config *config);
/* Frees what softnic_table_create allocated (bundles must have been deleted). */
void softnic_table_destroy(softnic_sa_table *table);

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
