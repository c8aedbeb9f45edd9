/*
 * softnic_sa_table.c — bundle slots, handles, pools, destination addresses, SPI lookup.
 * See softnic_sa_table.h for the resource model.
 */
#include "softnic_sa_table.h"

#include <string.h>

#define HANDLE_TAG 0x80000000u
#define HANDLE_SLOT_BITS 12u
#define HANDLE_SLOT_MASK ((1u << HANDLE_SLOT_BITS) - 1u)
#define HANDLE_GENERATION_MASK 0x7FFFFu /* 19 bits: bits 12..30 of the handle */

_Static_assert(SOFTNIC_TOTAL_BUNDLES <= (1u << HANDLE_SLOT_BITS), "slot index must fit");
_Static_assert((SOFTNIC_SPI_BUCKETS & (SOFTNIC_SPI_BUCKETS - 1u)) == 0, "power of two");

static uint32_t make_handle(uint32_t slot, uint32_t generation) {
  return HANDLE_TAG | ((generation & HANDLE_GENERATION_MASK) << HANDLE_SLOT_BITS) | slot;
}

static uint32_t spi_bucket(uint32_t spi) {
  /* Fibonacci hashing: SPIs are often allocated sequentially, which this spreads evenly. */
  return (uint32_t)((spi * 2654435769u) >> 22) & (SOFTNIC_SPI_BUCKETS - 1u);
}

static size_t addr_len(bool ipv6) { return ipv6 ? 16u : 4u; }

static bool addr_is_zero(const uint8_t *addr, bool ipv6) {
  uint8_t any = 0;
  for (size_t i = 0; i < addr_len(ipv6); ++i) any |= addr[i];
  return any == 0;
}

static int32_t find_dest(const softnic_sa_table *table, bool ipv6, const uint8_t *addr) {
  for (uint32_t i = 0; i < SOFTNIC_DEST_ADDRESSES; ++i) {
    const softnic_dest_entry *e = &table->dests[i];
    if (e->refs != 0 && e->ipv6 == ipv6 && memcmp(e->addr, addr, addr_len(ipv6)) == 0) {
      return (int32_t)i;
    }
  }
  return -1;
}

void softnic_table_init(softnic_sa_table *table) {
  for (uint32_t i = 0; i < SOFTNIC_TOTAL_BUNDLES; ++i) {
    softnic_bundle *b = &table->bundles[i];
    const uint32_t generation = b->generation;
    memset(b, 0, sizeof(*b));
    b->generation = generation;
    b->dest_entry = -1;
    b->spi_next = -1;
    table->free_fifo[i] = (uint16_t)i;
  }
  table->free_head = 0;
  table->free_count = SOFTNIC_TOTAL_BUNDLES;
  table->inbound_used = 0;
  table->outbound_used = 0;
  memset(table->dests, 0, sizeof(table->dests));
  table->dests_used = 0;
  for (uint32_t i = 0; i < SOFTNIC_SPI_BUCKETS; ++i) table->spi_buckets[i] = -1;
}

/* The last usable slot of a pool of `capacity`: a fault below moves it by one. */
#if defined(SOFTNIC_FAULT_CAPACITY_ONE_SHORT)
#define POOL_HAS_ROOM(used, capacity) ((used) + 1u < (capacity))
#elif defined(SOFTNIC_FAULT_CAPACITY_ONE_OVER)
#define POOL_HAS_ROOM(used, capacity) ((used) <= (capacity))
#else
#define POOL_HAS_ROOM(used, capacity) ((used) < (capacity))
#endif

softnic_room softnic_table_check_room(const softnic_sa_table *table,
                                      const softnic_bundle_params *params) {
  if (!params->inbound) {
    return POOL_HAS_ROOM(table->outbound_used, SOFTNIC_OUTBOUND_BUNDLES)
               ? SOFTNIC_ROOM_OK
               : SOFTNIC_ROOM_NO_OUTBOUND_SLOT;
  }
  if (!POOL_HAS_ROOM(table->inbound_used, SOFTNIC_INBOUND_BUNDLES)) {
    return SOFTNIC_ROOM_NO_INBOUND_SLOT;
  }
  if (find_dest(table, params->ipv6, params->dst) < 0 &&
      table->dests_used >= SOFTNIC_DEST_ADDRESSES) {
    return SOFTNIC_ROOM_NO_DEST_ADDRESS;
  }
  return SOFTNIC_ROOM_OK;
}

softnic_bundle *softnic_table_reserve(softnic_sa_table *table,
                                      const softnic_bundle_params *params) {
  if (softnic_table_check_room(table, params) != SOFTNIC_ROOM_OK || table->free_count == 0) {
    return NULL;
  }
  const uint32_t slot = table->free_fifo[table->free_head];
  table->free_head = (table->free_head + 1u) % SOFTNIC_TOTAL_BUNDLES;
  table->free_count--;

  softnic_bundle *b = &table->bundles[slot];
  b->in_use = true;
  b->inbound = params->inbound;
  b->udp_esp = params->udp_esp;
  b->ipv6 = params->ipv6;
  b->delete_requested = false;
  b->handle = 0;
  b->spi_next = -1;
  memcpy(b->src, params->src, sizeof(b->src));
  memcpy(b->dst, params->dst, sizeof(b->dst));
  memset(&b->esp, 0, sizeof(b->esp));
  b->dest_entry = -1;

  if (params->inbound) {
    table->inbound_used++;
    int32_t entry = find_dest(table, params->ipv6, params->dst);
    if (entry < 0) {
      for (uint32_t i = 0; i < SOFTNIC_DEST_ADDRESSES; ++i) {
        if (table->dests[i].refs == 0) {
          entry = (int32_t)i;
          table->dests[i].ipv6 = params->ipv6;
          memset(table->dests[i].addr, 0, sizeof(table->dests[i].addr));
          memcpy(table->dests[i].addr, params->dst, addr_len(params->ipv6));
          table->dests_used++;
          break;
        }
      }
    }
    /* check_room guaranteed an entry exists. */
    b->dest_entry = entry;
    table->dests[entry].refs++;
  } else {
    table->outbound_used++;
  }
  return b;
}

uint32_t softnic_table_publish(softnic_sa_table *table, softnic_bundle *bundle) {
  const uint32_t slot = (uint32_t)(bundle - table->bundles);
#if defined(SOFTNIC_FAULT_HANDLE_REUSE_WHILE_LIVE)
  /* Fault: the handle is the number of live bundles, which a delete in the middle makes equal
   * to the handle of a bundle that is still live. */
  (void)make_handle;
  bundle->handle = HANDLE_TAG | (table->inbound_used + table->outbound_used);
#elif defined(SOFTNIC_FAULT_HANDLE_ZERO)
  /* Fault: the handle is the bare slot index, so the first bundle gets handle 0. */
  bundle->handle = make_handle(slot, 0) & HANDLE_SLOT_MASK;
#else
  bundle->handle = make_handle(slot, bundle->generation);
#endif
  if (bundle->inbound) {
    /* Append to the chain so that, among equal matches, the oldest bundle is found first. */
    int32_t *link = &table->spi_buckets[spi_bucket(bundle->esp.spi)];
    while (*link >= 0) link = &table->bundles[*link].spi_next;
    *link = (int32_t)slot;
    bundle->spi_next = -1;
  }
  return bundle->handle;
}

void softnic_table_release(softnic_sa_table *table, softnic_bundle *bundle) {
  const uint32_t slot = (uint32_t)(bundle - table->bundles);
  if (!bundle->in_use) return;

  if (bundle->inbound) {
    if (bundle->handle != 0) { /* published: unlink from its SPI chain */
      int32_t *link = &table->spi_buckets[spi_bucket(bundle->esp.spi)];
      while (*link >= 0 && *link != (int32_t)slot) link = &table->bundles[*link].spi_next;
      if (*link == (int32_t)slot) *link = bundle->spi_next;
    }
    if (bundle->dest_entry >= 0) {
      softnic_dest_entry *e = &table->dests[bundle->dest_entry];
#if defined(SOFTNIC_FAULT_DEST_ENTRY_LEAK)
      /* Fault: the destination entry's reference is never dropped; deleted destinations keep
       * their entries and the table fills up. */
      if (e->refs == 0) {
#else
      if (--e->refs == 0) {
#endif
        memset(e, 0, sizeof(*e));
        table->dests_used--;
      }
    }
    table->inbound_used--;
  } else {
#if !defined(SOFTNIC_FAULT_OUTBOUND_POOL_LEAK)
    table->outbound_used--; /* (fault: the outbound count is never given back) */
#endif
  }

#if defined(SOFTNIC_FAULT_STALE_HANDLE_REVIVED)
  /* Fault: no generation; the freed slot is handed out again first (LIFO), so the deleted
   * bundle's handle names the next bundle added. */
  const uint32_t generation = bundle->generation;
#else
  const uint32_t generation = (bundle->generation + 1u) & HANDLE_GENERATION_MASK;
#endif
  memset(bundle, 0, sizeof(*bundle));
  bundle->generation = generation;
  bundle->dest_entry = -1;
  bundle->spi_next = -1;

#if defined(SOFTNIC_FAULT_STALE_HANDLE_REVIVED)
  table->free_head = (table->free_head + SOFTNIC_TOTAL_BUNDLES - 1u) % SOFTNIC_TOTAL_BUNDLES;
  table->free_fifo[table->free_head] = (uint16_t)slot;
#else
  const uint32_t tail = (table->free_head + table->free_count) % SOFTNIC_TOTAL_BUNDLES;
  table->free_fifo[tail] = (uint16_t)slot;
#endif
  table->free_count++;
}

softnic_bundle *softnic_table_find_handle(softnic_sa_table *table, uint64_t handle) {
#if defined(SOFTNIC_FAULT_HANDLE_REUSE_WHILE_LIVE) || defined(SOFTNIC_FAULT_HANDLE_ZERO)
  for (uint32_t i = 0; i < SOFTNIC_TOTAL_BUNDLES; ++i) {
    softnic_bundle *b = &table->bundles[i];
    if (b->in_use && b->handle != 0 && b->handle == handle) return b;
  }
  return NULL;
#endif
  if (handle == 0 || handle > 0xFFFFFFFFu || (handle & HANDLE_TAG) == 0) return NULL;
  const uint32_t slot = (uint32_t)handle & HANDLE_SLOT_MASK;
  if (slot >= SOFTNIC_TOTAL_BUNDLES) return NULL;
  softnic_bundle *b = &table->bundles[slot];
  return (b->in_use && b->handle == (uint32_t)handle) ? b : NULL;
}

softnic_bundle *softnic_table_find_inbound(softnic_sa_table *table, uint32_t spi, bool ipv6,
                                           const uint8_t *dst) {
  softnic_bundle *wildcard = NULL;
  for (int32_t i = table->spi_buckets[spi_bucket(spi)]; i >= 0; i = table->bundles[i].spi_next) {
    softnic_bundle *b = &table->bundles[i];
    if (b->esp.spi != spi || b->ipv6 != ipv6) continue;
#if defined(SOFTNIC_FAULT_WRONG_DESTINATION_ACCEPTED)
    (void)dst; /* Fault: the SPI alone selects the SA. */
    return b;
#elif defined(SOFTNIC_FAULT_MATCH_SOURCE_ADDRESS)
    if (memcmp(b->src, dst, addr_len(ipv6)) == 0) return b; /* Fault: src and dst swapped. */
#else
    if (memcmp(b->dst, dst, addr_len(ipv6)) == 0) return b;
#endif
#if defined(SOFTNIC_FAULT_WILDCARD_IGNORED)
    /* Fault: the zero address is compared literally, matching only a zero destination. */
    if (wildcard == NULL && addr_is_zero(b->dst, ipv6) && addr_is_zero(dst, ipv6)) wildcard = b;
#else
    if (wildcard == NULL && addr_is_zero(b->dst, ipv6)) wildcard = b;
#endif
  }
  return wildcard;
}

uint32_t softnic_table_request_delete(softnic_sa_table *table, uint32_t spi) {
  uint32_t marked = 0;
  for (int32_t i = table->spi_buckets[spi_bucket(spi)]; i >= 0; i = table->bundles[i].spi_next) {
    softnic_bundle *b = &table->bundles[i];
    if (b->esp.spi == spi) {
      b->delete_requested = true;
      ++marked;
    }
  }
  return marked;
}
