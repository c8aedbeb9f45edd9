/*
 * softnic_sa_table.c — bundle slots, handles, pools, destination addresses, SPI lookup.
 * See softnic_sa_table.h for the resource model.
 */
#include "softnic_sa_table.h"

#include <stdlib.h>
#include <string.h>

#define HANDLE_TAG 0x80000000u
#define MIN_SLOT_BITS 11u

static uint32_t slot_mask(const softnic_sa_table *t) { return (1u << t->slot_bits) - 1u; }
static uint32_t generation_mask(const softnic_sa_table *t) {
  return (1u << (31u - t->slot_bits)) - 1u;
}

static uint32_t make_handle(const softnic_sa_table *t, uint32_t slot, uint32_t generation) {
  return HANDLE_TAG | ((generation & generation_mask(t)) << t->slot_bits) | slot;
}

/* Smallest power of two >= n (n <= 2^24 here). */
static uint32_t pow2_at_least(uint32_t n) {
  uint32_t p = 1;
  while (p < n) p <<= 1;
  return p;
}

static uint32_t spi_bucket(const softnic_sa_table *t, uint32_t spi) {
  /* Fibonacci hashing: SPIs are often allocated sequentially, which this spreads evenly. */
  return (uint32_t)(spi * 2654435769u) >> t->spi_bucket_shift;
}

static size_t addr_len(bool ipv6) { return ipv6 ? 16u : 4u; }

static uint32_t dest_bucket(const softnic_sa_table *t, bool ipv6, const uint8_t *addr) {
  uint64_t h = ipv6 ? 0x9E3779B97F4A7C15ull : 0x2545F4914F6CDD1Dull;
  for (size_t i = 0; i < addr_len(ipv6); ++i) h = (h ^ addr[i]) * 0x100000001B3ull; /* FNV-1a */
  return (uint32_t)(h >> 20) & t->dest_bucket_mask;
}

static bool addr_is_zero(const uint8_t *addr, bool ipv6) {
  uint8_t any = 0;
  for (size_t i = 0; i < addr_len(ipv6); ++i) any |= addr[i];
  return any == 0;
}

static int32_t find_dest(const softnic_sa_table *table, bool ipv6, const uint8_t *addr) {
  for (int32_t i = table->dest_buckets[dest_bucket(table, ipv6, addr)]; i >= 0;
       i = table->dests[i].next) {
    const softnic_dest_entry *e = &table->dests[i];
    if (e->ipv6 == ipv6 && memcmp(e->addr, addr, addr_len(ipv6)) == 0) return i;
  }
  return -1;
}

int softnic_table_create(softnic_sa_table *table, const softnic_config *config) {
  memset(table, 0, sizeof(*table));
  table->total_capacity = config->total_bundles;
  table->inbound_capacity = config->inbound_bundles;
  table->outbound_capacity = config->outbound_bundles;
  table->dest_capacity = config->dest_addresses;
  table->slot_bits = MIN_SLOT_BITS;
  while ((1u << table->slot_bits) < table->total_capacity) ++table->slot_bits;
  const uint32_t spi_buckets = pow2_at_least(table->inbound_capacity < 1024u ? 1024u : table->inbound_capacity);
  const uint32_t dest_buckets = pow2_at_least(table->dest_capacity < 64u ? 64u : table->dest_capacity);
  table->spi_bucket_mask = spi_buckets - 1u;
  table->spi_bucket_shift = 32u;
  for (uint32_t n = spi_buckets; n > 1u; n >>= 1) --table->spi_bucket_shift;
  table->dest_bucket_mask = dest_buckets - 1u;
  /* calloc: the pages of a large table are only made resident as slots are used. */
  table->bundles = calloc(table->total_capacity, sizeof(*table->bundles));
  table->free_fifo = calloc(table->total_capacity, sizeof(*table->free_fifo));
  table->dests = calloc(table->dest_capacity, sizeof(*table->dests));
  table->dest_free = calloc(table->dest_capacity, sizeof(*table->dest_free));
  table->dest_buckets = calloc(dest_buckets, sizeof(*table->dest_buckets));
  table->spi_buckets = calloc(spi_buckets, sizeof(*table->spi_buckets));
  if (table->bundles == NULL || table->free_fifo == NULL || table->dests == NULL ||
      table->dest_free == NULL || table->dest_buckets == NULL || table->spi_buckets == NULL) {
    softnic_table_destroy(table);
    return -1;
  }
  softnic_table_init(table);
  return 0;
}

void softnic_table_destroy(softnic_sa_table *table) {
  free(table->bundles);
  free(table->free_fifo);
  free(table->dests);
  free(table->dest_free);
  free(table->dest_buckets);
  free(table->spi_buckets);
  memset(table, 0, sizeof(*table));
}

void softnic_table_init(softnic_sa_table *table) {
  for (uint32_t i = 0; i < table->total_capacity; ++i) {
    softnic_bundle *b = &table->bundles[i];
    const uint32_t generation = b->generation;
    memset(b, 0, sizeof(*b));
    b->generation = generation;
    b->dest_entry = -1;
    b->spi_next = -1;
    table->free_fifo[i] = i;
  }
  table->free_head = 0;
  table->free_count = table->total_capacity;
  table->inbound_used = 0;
  table->outbound_used = 0;
  memset(table->dests, 0, sizeof(*table->dests) * table->dest_capacity);
  for (uint32_t i = 0; i < table->dest_capacity; ++i) {
    table->dest_free[i] = table->dest_capacity - 1u - i; /* pop order 0, 1, 2, ... */
    table->dests[i].next = -1;
  }
  table->dests_used = 0;
  for (uint32_t i = 0; i <= table->dest_bucket_mask; ++i) table->dest_buckets[i] = -1;
  for (uint32_t i = 0; i <= table->spi_bucket_mask; ++i) table->spi_buckets[i] = -1;
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
    return POOL_HAS_ROOM(table->outbound_used, table->outbound_capacity) && table->free_count != 0
               ? SOFTNIC_ROOM_OK
               : SOFTNIC_ROOM_NO_OUTBOUND_SLOT;
  }
  if (!POOL_HAS_ROOM(table->inbound_used, table->inbound_capacity) || table->free_count == 0) {
    return SOFTNIC_ROOM_NO_INBOUND_SLOT;
  }
  if (find_dest(table, params->ipv6, params->dst) < 0 &&
      table->dests_used >= table->dest_capacity) {
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
  table->free_head = (table->free_head + 1u) % table->total_capacity;
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
  memset(&b->ah, 0, sizeof(b->ah));
  b->has_esp = params->has_esp;
  b->has_ah = params->has_ah;
  b->lookup_spi = params->has_ah ? params->ah.spi : params->esp.spi;
  b->dest_entry = -1;

  if (params->inbound) {
    table->inbound_used++;
    int32_t entry = find_dest(table, params->ipv6, params->dst);
    if (entry < 0) {
      /* check_room guaranteed a free entry. */
      entry = (int32_t)table->dest_free[table->dest_capacity - 1u - table->dests_used];
      softnic_dest_entry *e = &table->dests[entry];
      e->ipv6 = params->ipv6;
      memset(e->addr, 0, sizeof(e->addr));
      memcpy(e->addr, params->dst, addr_len(params->ipv6));
      int32_t *head = &table->dest_buckets[dest_bucket(table, params->ipv6, params->dst)];
      e->next = *head;
      *head = entry;
      table->dests_used++;
    }
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
  (void)slot_mask;
  bundle->handle = HANDLE_TAG | (table->inbound_used + table->outbound_used);
#elif defined(SOFTNIC_FAULT_HANDLE_ZERO)
  /* Fault: the handle is the bare slot index, so the first bundle gets handle 0. */
  bundle->handle = make_handle(table, slot, 0) & slot_mask(table);
#else
  bundle->handle = make_handle(table, slot, bundle->generation);
#endif
  if (bundle->inbound) {
    /* Append to the chain so that, among equal matches, the oldest bundle is found first. */
    int32_t *link = &table->spi_buckets[spi_bucket(table, bundle->lookup_spi)];
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
      int32_t *link = &table->spi_buckets[spi_bucket(table, bundle->lookup_spi)];
      while (*link >= 0 && *link != (int32_t)slot) link = &table->bundles[*link].spi_next;
      if (*link == (int32_t)slot) *link = bundle->spi_next;
    }
    if (bundle->dest_entry >= 0) {
      const int32_t entry = bundle->dest_entry;
      softnic_dest_entry *e = &table->dests[entry];
#if defined(SOFTNIC_FAULT_DEST_ENTRY_LEAK)
      /* Fault: the destination entry's reference is never dropped; deleted destinations keep
       * their entries and the table fills up. */
      if (e->refs == 0) {
#else
      if (--e->refs == 0) {
#endif
        int32_t *link = &table->dest_buckets[dest_bucket(table, e->ipv6, e->addr)];
        while (*link >= 0 && *link != entry) link = &table->dests[*link].next;
        if (*link == entry) *link = e->next;
        memset(e, 0, sizeof(*e));
        e->next = -1;
        table->dests_used--;
        table->dest_free[table->dest_capacity - 1u - table->dests_used] = (uint32_t)entry;
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
  const uint32_t generation = (bundle->generation + 1u) & generation_mask(table);
#endif
  memset(bundle, 0, sizeof(*bundle));
  bundle->generation = generation;
  bundle->dest_entry = -1;
  bundle->spi_next = -1;

#if defined(SOFTNIC_FAULT_STALE_HANDLE_REVIVED)
  table->free_head = (table->free_head + table->total_capacity - 1u) % table->total_capacity;
  table->free_fifo[table->free_head] = slot;
#else
  const uint32_t tail = (table->free_head + table->free_count) % table->total_capacity;
  table->free_fifo[tail] = slot;
#endif
  table->free_count++;
}

softnic_bundle *softnic_table_find_handle(softnic_sa_table *table, uint64_t handle) {
#if defined(SOFTNIC_FAULT_HANDLE_REUSE_WHILE_LIVE) || defined(SOFTNIC_FAULT_HANDLE_ZERO)
  for (uint32_t i = 0; i < table->total_capacity; ++i) {
    softnic_bundle *b = &table->bundles[i];
    if (b->in_use && b->handle != 0 && b->handle == handle) return b;
  }
  return NULL;
#endif
  if (handle == 0 || handle > 0xFFFFFFFFu || (handle & HANDLE_TAG) == 0) return NULL;
  const uint32_t slot = (uint32_t)handle & slot_mask(table);
  if (slot >= table->total_capacity) return NULL;
  softnic_bundle *b = &table->bundles[slot];
  return (b->in_use && b->handle == (uint32_t)handle) ? b : NULL;
}

softnic_bundle *softnic_table_find_inbound(softnic_sa_table *table, uint32_t spi, bool ipv6,
                                           const uint8_t *dst) {
  softnic_bundle *wildcard = NULL;
  for (int32_t i = table->spi_buckets[spi_bucket(table, spi)]; i >= 0; i = table->bundles[i].spi_next) {
    softnic_bundle *b = &table->bundles[i];
    if (b->lookup_spi != spi || b->ipv6 != ipv6) continue;
#if defined(SOFTNIC_FAULT_WRONG_DESTINATION_ACCEPTED)
    (void)dst; /* Fault: the SPI alone selects the SA. */
    return b;
#elif defined(SOFTNIC_FAULT_MATCH_SOURCE_ADDRESS)
    if (memcmp(b->src, dst, addr_len(ipv6)) == 0) return b; /* Fault: src and dst swapped. */
#elif defined(SOFTNIC_FAULT_WILDCARD_BEFORE_EXACT)
    /* Fault: the first SA of the SPI chain that matches at all wins, wildcard or not. */
    if (memcmp(b->dst, dst, addr_len(ipv6)) == 0 || addr_is_zero(b->dst, ipv6)) return b;
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
  for (int32_t i = table->spi_buckets[spi_bucket(table, spi)]; i >= 0; i = table->bundles[i].spi_next) {
    softnic_bundle *b = &table->bundles[i];
    if (b->lookup_spi == spi) {
      b->delete_requested = true;
      ++marked;
    }
  }
  return marked;
}
