#include "oracle/sa/sa_table.h"

#include <algorithm>
#include <bit>
#include <cstring>

#include "oracle/sa/sa_dump.h"

namespace cts::sa {

namespace {

inline uint32_t mix32(uint64_t x) {
  x ^= x >> 33;
  x *= 0xFF51AFD7ED558CCDull;
  x ^= x >> 33;
  x *= 0xC4CEB9FE1A85EC53ull;
  x ^= x >> 33;
  return static_cast<uint32_t>(x);
}

inline size_t home_of(uint32_t hash, size_t mask) { return static_cast<size_t>(hash) & mask; }

bool is_zero(const uint8_t* p, size_t n) {
  uint8_t acc = 0;
  for (size_t i = 0; i < n; ++i) acc = static_cast<uint8_t>(acc | p[i]);
  return acc == 0;
}

}  // namespace

const char* pool_name(PoolId pool) {
  switch (pool) {
    case PoolId::total_bundles: return "total_bundles";
    case PoolId::inbound_bundles: return "inbound_bundles";
    case PoolId::outbound_bundles: return "outbound_bundles";
    case PoolId::inbound_destinations: return "inbound_destination_addresses";
  }
  return "unknown";
}

size_t SaTable::DestinationKeyHash::operator()(const DestinationKey& k) const {
  uint64_t a = 0;
  uint64_t b = 0;
  std::memcpy(&a, k.address.data(), 8);
  std::memcpy(&b, k.address.data() + 8, 8);
  uint64_t h = a * 0x9E3779B97F4A7C15ull ^ (b + (k.ipv6 ? 0x5bd1e995ull : 0)) * 0xC2B2AE3D27D4EB4Full;
  return static_cast<size_t>(h ^ (h >> 29));
}

SaTable::SaTable(const CapacityPools& pools) : pools_(pools) {
  // Clamp rather than trust: a profile is checked by check_profile(), but the table must stay
  // sound whatever it is given.
  pools_.total_bundles = std::clamp<uint32_t>(pools_.total_bundles, 1u, kMaxBundleCapacity);
  const uint32_t max_slot = pools_.total_bundles - 1;
  slot_bits_ = std::max<uint32_t>(1u, static_cast<uint32_t>(std::bit_width(max_slot)));
  // Handle = generation | slot | tag; bit 31 stays clear, so handles are < 2^31 (x86 fit).
  const uint32_t generation_bits = 31u - (slot_bits_ + 1u);
  generation_mask_ = (1u << generation_bits) - 1u;
}

SaTable::~SaTable() {
  // Keys are secrets: wipe every stored key before the chunks are freed.
  for (uint32_t slot = 0; slot < fresh_next_; ++slot) {
    Entry& e = entry(slot);
    for (auto& sa : e.bundle.spec.sas) ndis::cleanse(sa.keys);
  }
}

Handle SaTable::make_handle(uint32_t slot, uint32_t generation) const {
  const uint32_t g = generation & generation_mask_;
  return (static_cast<Handle>(g) << (slot_bits_ + 1)) | (static_cast<Handle>(slot) << 1) | 1u;
}

bool SaTable::decode_handle(Handle handle, uint32_t& slot) const {
  if ((handle & 1u) == 0 || handle > 0x7FFFFFFFu) return false;
  slot = slot_of(handle);
  if (slot >= fresh_next_) return false;
  return entry(slot).bundle.handle == handle;
}

const StoredBundle* SaTable::find(Handle handle) const {
  uint32_t slot = 0;
  if (!decode_handle(handle, slot)) return nullptr;
  return &entry(slot).bundle;
}

SaTable::DestinationKey SaTable::destination_of(const ndis::BundleSpec& spec) {
  DestinationKey key;
  key.ipv6 = spec.ipv6;
  if (spec.ipv6) {
    std::memcpy(key.address.data(), spec.endpoints.raw.data() + 16, 16);
  } else {
    std::memcpy(key.address.data(), spec.endpoints.raw.data() + 4, 4);
  }
  return key;
}

std::optional<PoolId> SaTable::full_pool_for(const ndis::BundleSpec& spec) const {
  // The most specific pool is named first: real NICs fill their destination table long before
  // their SA table.
  if (spec.inbound && pools_.inbound_destination_addresses) {
    if (destinations_.size() >= *pools_.inbound_destination_addresses &&
        destinations_.find(destination_of(spec)) == destinations_.end()) {
      return PoolId::inbound_destinations;
    }
  }
  if (spec.inbound && pools_.inbound_bundles && inbound_live_ >= *pools_.inbound_bundles) {
    return PoolId::inbound_bundles;
  }
  if (!spec.inbound && pools_.outbound_bundles &&
      (live_ - inbound_live_) >= *pools_.outbound_bundles) {
    return PoolId::outbound_bundles;
  }
  if (live_ >= pools_.total_bundles) return PoolId::total_bundles;
  return std::nullopt;
}

std::optional<uint32_t> SaTable::take_slot_preview() const {
  // OQ-22: a freed slot is reused only when enough others wait behind it or no fresh slot is
  // left, so a handle value does not reappear soon after its delete.
  if (free_count_ > 0 && (free_count_ >= kReuseDelay || fresh_next_ >= pools_.total_bundles)) {
    return free_ring_[free_head_];
  }
  if (fresh_next_ < pools_.total_bundles) return fresh_next_;
  return std::nullopt;
}

uint32_t SaTable::take_slot() {
  if (free_count_ > 0 && (free_count_ >= kReuseDelay || fresh_next_ >= pools_.total_bundles)) {
    const uint32_t slot = free_ring_[free_head_];
    free_head_ = (free_head_ + 1) & (free_ring_.size() - 1);
    --free_count_;
    return slot;
  }
  const uint32_t slot = fresh_next_++;
  const size_t chunk = slot / kChunkSize;
  if (chunk >= chunks_.size()) {
    const uint32_t base = static_cast<uint32_t>(chunk) * kChunkSize;
    const uint32_t n = std::min(kChunkSize, pools_.total_bundles - base);
    chunks_.emplace_back(n);
  }
  return slot;
}

void SaTable::release_slot(uint32_t slot) {
  if (free_count_ == free_ring_.size()) {
    // Grow the ring, keeping FIFO order.
    std::vector<uint32_t> grown(std::max<size_t>(64, free_ring_.size() * 2));
    for (size_t i = 0; i < free_count_; ++i) {
      grown[i] = free_ring_[(free_head_ + i) % free_ring_.size()];
    }
    free_ring_ = std::move(grown);  // the size stays a power of two
    free_head_ = 0;
  }
  free_ring_[(free_head_ + free_count_) & (free_ring_.size() - 1)] = slot;
  ++free_count_;
}

SaTable::AddResult SaTable::add(const ndis::BundleSpec& spec) {
  complete_unlinks();  // a freed slot may be taken again below
  AddResult result;
  if (auto pool = full_pool_for(spec)) {
    result.full_pool = pool;
    return result;
  }
  const std::optional<uint32_t> slot_preview = take_slot_preview();
  if (!slot_preview) {  // unreachable while the total pool is checked; kept for soundness
    result.full_pool = PoolId::total_bundles;
    return result;
  }
  const uint32_t slot_no = *slot_preview;
  const uint32_t generation = slot_no < fresh_next_ ? entry(slot_no).generation : 0;

  if (listener_) {
    // The listener sees the bundle as it will be stored, before anything changes.
    StoredBundle preview;
    preview.handle = make_handle(slot_no, generation);
    preview.slot = slot_no;
    preview.serial = next_serial_;
    preview.spec = spec;
    std::string reason;
    const bool accepted = listener_->on_bundle_adding(preview, reason);
    for (auto& sa : preview.spec.sas) ndis::cleanse(sa.keys);
    if (!accepted) {
      result.listener_reason = reason.empty() ? "the datapath model refused the bundle" : reason;
      return result;
    }
  }

  const uint32_t slot = take_slot();  // == slot_no
  Entry& e = entry(slot);
  e.generation = generation;
  e.bundle.handle = make_handle(slot, generation);
  e.bundle.slot = slot;
  e.bundle.serial = next_serial_++;
  e.bundle.spec = spec;
  if (spec.num_ext_hdrs < 2) e.bundle.spec.sas[1] = ndis::SaSpec{};  // only used SAs hold keys
  e.bundle.delete_requested = false;
  e.inbound = spec.inbound;
  e.sa_count = static_cast<uint8_t>(std::clamp<uint32_t>(spec.num_ext_hdrs, 1, 2));
  ++live_;
  if (spec.inbound) {
    ++inbound_live_;
    for (uint32_t i = 0; i < e.sa_count; ++i) index_insert((slot << 1) | i);
    if (pools_.inbound_destination_addresses) ++destinations_[destination_of(spec)];
  }
  result.handle = e.bundle.handle;
  return result;
}

bool SaTable::remove(Handle handle) {
  uint32_t slot = 0;
  if (!decode_handle(handle, slot)) return false;
  Entry& e = entry(slot);
  // Only the entry's first cache line is read here (see Entry); the index lines are prefetched
  // and unlinked later (complete_unlinks).
  if (e.inbound) {
    for (uint32_t i = 0; i < e.sa_count; ++i) {
      if (pending_count_ == kPendingUnlinks) complete_unlinks();
      // The hash is in the line just read; the index line will be there when the unlink runs.
      if (!index_.empty()) __builtin_prefetch(&index_[home_of(e.hash[i], index_.size() - 1)], 1);
      pending_unlinks_[pending_count_++] = (slot << 1) | i;
    }
    if (pools_.inbound_destination_addresses) {
      auto it = destinations_.find(destination_of(e.bundle.spec));
      if (it != destinations_.end() && --it->second == 0) destinations_.erase(it);
    }
    --inbound_live_;
  }
  --live_;
  if (listener_) listener_->on_bundle_removed(e.bundle);
  // DEL-003 / OQ-12: resources freed, keys cleansed. Only SAs in use hold keys (add stores the
  // unused second SA as all zero); the wipe is stores only, so it does not stall the delete.
  // The rest of the entry is not secret and is overwritten by the next add.
  for (uint32_t i = 0; i < e.sa_count; ++i) ndis::cleanse(e.bundle.spec.sas[i].keys);
  e.bundle.handle = kNullHandle;
  // hash, wildcard and the duplicate links stay for the pending unlink; add() rewrites them.
  e.inbound = false;
  e.sa_count = 0;
  e.generation = (e.generation + 1) & generation_mask_;
  release_slot(slot);
  return true;
}

void SaTable::prefetch_entry(Handle handle) const {
  const uint32_t slot = slot_of(handle);
  if (slot < fresh_next_) __builtin_prefetch(&entry(slot), 1);
}

size_t SaTable::remove_list(std::span<const Handle> handles, std::span<bool> removed) {
  // The entry of handle i + kAhead is fetched while handle i is removed; remove() itself
  // prefetches the index lines and leaves the unlinks pending. A prefetch is only a hint.
  constexpr size_t kAhead = 8;
  const size_t n = handles.size();
  for (size_t i = 0; i < n && i < kAhead; ++i) prefetch_entry(handles[i]);
  size_t count = 0;
  for (size_t k = 0; k < n; ++k) {
    if (k + kAhead < n) prefetch_entry(handles[k + kAhead]);
    const bool ok = remove(handles[k]);
    if (!removed.empty()) removed[k] = ok;
    count += ok;
  }
  return count;
}

void SaTable::clear() {
  for (uint32_t slot = 0; slot < fresh_next_; ++slot) {
    const Handle h = entry(slot).bundle.handle;
    if (h != kNullHandle) remove(h);
  }
  complete_unlinks();
}

void SaTable::complete_unlinks() {
  for (size_t i = 0; i < pending_count_; ++i) index_erase(pending_unlinks_[i]);
  pending_count_ = 0;
}

UpdateOutcome SaTable::update_sequence_high(Handle handle, uint32_t operation, uint32_t spi,
                                            uint32_t sequence_number_high_order) {
  uint32_t slot = 0;
  if (!decode_handle(handle, slot)) return UpdateOutcome::unknown_handle;
  StoredBundle& b = entry(slot).bundle;
  for (uint32_t i = 0; i < b.spec.num_ext_hdrs && i < 2; ++i) {
    ndis::SaSpec& sa = b.spec.sas[i];
    if (sa.operation != operation || sa.spi != spi) continue;
    if (!sa.esn) return UpdateOutcome::not_esn;
    sa.sequence_number_high_order = sequence_number_high_order;
    if (listener_) listener_->on_sequence_high_updated(b, i);
    return UpdateOutcome::updated;
  }
  return UpdateOutcome::no_matching_sa;
}

// --- inbound index ----------------------------------------------------------------------------


SaTable::IndexKey SaTable::key_of(uint32_t spi, bool ipv6, const uint8_t* destination,
                                  uint32_t operation) {
  const size_t n = ipv6 ? 16 : 4;
  uint64_t a = 0;
  uint64_t b = 0;
  std::memcpy(&a, destination, std::min<size_t>(n, 8));
  if (n > 8) std::memcpy(&b, destination + 8, 8);
  const uint32_t tag = mix32(a ^ mix32(b ^ (uint64_t{operation} << 1) ^ (ipv6 ? 1u : 0u)));
  return IndexKey{spi, mix32((uint64_t{spi} << 32) | tag), ipv6, destination, operation};
}

SaTable::IndexKey SaTable::key_of_ref(uint32_t ref) const {
  const StoredBundle& b = entry(ref >> 1).bundle;
  const ndis::SaSpec& sa = b.spec.sas[ref & 1u];
  return key_of(sa.spi, b.spec.ipv6, b.spec.endpoints.raw.data() + (b.spec.ipv6 ? 16 : 4),
                sa.operation);
}

bool SaTable::ref_matches(uint32_t ref, const IndexKey& key) const {
  const StoredBundle& b = entry(ref >> 1).bundle;
  const ndis::SaSpec& sa = b.spec.sas[ref & 1u];
  return sa.spi == key.spi && sa.operation == key.operation && b.spec.ipv6 == key.ipv6 &&
         std::memcmp(b.spec.endpoints.raw.data() + (key.ipv6 ? 16 : 4), key.destination,
                     key.ipv6 ? 16 : 4) == 0;
}

size_t SaTable::index_find(const IndexKey& key) const {
  if (index_.empty()) return 0;
  const size_t mask = index_.size() - 1;
  for (size_t i = home_of(key.hash, mask); index_[i].ref != kEmptyRef; i = (i + 1) & mask) {
    if (index_[i].hash == key.hash && ref_matches(index_[i].ref, key)) {
      return i;
    }
  }
  return index_.size();
}

void SaTable::index_grow() {
  LargeArray<IndexEntry> old = std::move(index_);
  index_ = LargeArray<IndexEntry>(old.empty() ? 64 : old.size() * 2);
  const size_t mask = index_.size() - 1;
  for (const IndexEntry& e : old) {
    if (e.ref == kEmptyRef) continue;
    size_t i = home_of(e.hash, mask);
    while (index_[i].ref != kEmptyRef) i = (i + 1) & mask;
    index_[i] = e;
  }
}

void SaTable::index_insert(uint32_t ref) {
  next_of(ref) = kEmptyRef;
  prev_of(ref) = ref;  // a chain of one: the oldest is also the youngest
  const IndexKey key = key_of_ref(ref);
  Entry& e = entry(ref >> 1);
  e.hash[ref & 1u] = key.hash;
  e.wildcard = is_zero(key.destination, key.ipv6 ? 16 : 4);
  if (e.wildcard) ++wildcard_inbound_sas_;
  const size_t found = index_find(key);
  if (found < index_.size()) {
    // Same SPI, destination and protocol as a live SA: append to its chain (oldest first).
    const uint32_t head = index_[found].ref;
    const uint32_t tail = prev_of(head);
    next_of(tail) = ref;
    prev_of(ref) = tail;
    prev_of(head) = ref;
    return;
  }
  if ((index_used_ + 1) * 2 > index_.size()) index_grow();  // load factor <= 1/2
  const size_t mask = index_.size() - 1;
  size_t i = home_of(key.hash, mask);
  while (index_[i].ref != kEmptyRef) i = (i + 1) & mask;
  index_[i] = IndexEntry{key.hash, ref};
  ++index_used_;
}

void SaTable::index_erase(uint32_t ref) {
  const Entry& e = entry(ref >> 1);
  if (e.wildcard) --wildcard_inbound_sas_;
  if (index_.empty()) return;
  const uint32_t hash = e.hash[ref & 1u];
  const size_t mask = index_.size() - 1;
  // The SA's own index entry is found by its ref alone. Only when it is not the head of its
  // key's chain (a younger duplicate) is the full key needed to find the head.
  size_t pos = index_.size();
  for (size_t i = home_of(hash, mask); index_[i].ref != kEmptyRef; i = (i + 1) & mask) {
    if (index_[i].ref == ref) {
      pos = i;
      break;
    }
  }
  if (pos == index_.size()) pos = index_find(key_of_ref(ref));
  if (pos >= index_.size()) return;  // not indexed: nothing to do
  const uint32_t head = index_[pos].ref;
  const uint32_t next = next_of(ref);
  const uint32_t prev = prev_of(ref);
  next_of(ref) = kEmptyRef;
  prev_of(ref) = kEmptyRef;
  if (head != ref) {
    // A younger duplicate: unlink it (prev is a real predecessor here).
    next_of(prev) = next;
    if (next != kEmptyRef) {
      prev_of(next) = prev;
    } else {
      prev_of(head) = prev;  // it was the youngest
    }
    return;
  }
  if (next != kEmptyRef) {  // the next-oldest duplicate takes over the key
    prev_of(next) = prev;   // the youngest
    index_[pos].ref = next;
    return;
  }
  // Backward-shift deletion keeps every probe chain unbroken without tombstones.
  size_t hole = pos;
  size_t j = pos;
  for (;;) {
    j = (j + 1) & mask;
    if (index_[j].ref == kEmptyRef) break;
    const size_t home = home_of(index_[j].hash, mask);
    // The entry at j may move into the hole unless its home lies cyclically in (hole, j].
    const bool home_in_range = hole <= j ? (home > hole && home <= j) : (home > hole || home <= j);
    if (!home_in_range) {
      index_[hole] = index_[j];
      hole = j;
    }
  }
  index_[hole] = IndexEntry{};
  --index_used_;
}

InboundMatch SaTable::find_inbound(uint32_t spi, std::span<const uint8_t> destination,
                                   uint32_t operation) {
  complete_unlinks();
  InboundMatch m;
  if (index_.empty() || (destination.size() != 4 && destination.size() != 16)) return m;
  const bool ipv6 = destination.size() == 16;
  // RECV-003: the packet's destination must equal the SA's; ADD-015 / OQ-28: an all-zero
  // DestAddr is a wildcard. An exact match is preferred; among duplicates the oldest wins.
  size_t pos = index_find(key_of(spi, ipv6, destination.data(), operation));
  if (pos == index_.size() && wildcard_inbound_sas_ > 0) {
    static constexpr uint8_t kZero[16] = {};
    pos = index_find(key_of(spi, ipv6, kZero, operation));
  }
  if (pos == index_.size()) return m;
  m.bundle = &entry(index_[pos].ref >> 1).bundle;
  m.sa_index = index_[pos].ref & 1u;
  return m;
}

size_t SaTable::request_delete_by_spi(uint32_t spi) {
  size_t marked = 0;
  for (uint32_t slot = 0; slot < fresh_next_; ++slot) {
    StoredBundle& b = entry(slot).bundle;
    if (b.handle == kNullHandle || !b.spec.inbound || b.delete_requested) continue;
    for (uint32_t i = 0; i < b.spec.num_ext_hdrs && i < 2; ++i) {
      if (b.spec.sas[i].spi == spi) {
        b.delete_requested = true;
        ++marked;
        break;
      }
    }
  }
  return marked;
}

bool SaTable::request_delete(Handle handle) {
  uint32_t slot = 0;
  if (!decode_handle(handle, slot)) return false;
  entry(slot).bundle.delete_requested = true;
  return true;
}

std::vector<PoolUsage> SaTable::pool_usage() const {
  std::vector<PoolUsage> out;
  out.push_back({PoolId::total_bundles, static_cast<uint32_t>(live_), pools_.total_bundles});
  if (pools_.inbound_bundles) {
    out.push_back({PoolId::inbound_bundles, static_cast<uint32_t>(inbound_live_), *pools_.inbound_bundles});
  }
  if (pools_.outbound_bundles) {
    out.push_back({PoolId::outbound_bundles, static_cast<uint32_t>(live_ - inbound_live_),
                   *pools_.outbound_bundles});
  }
  if (pools_.inbound_destination_addresses) {
    out.push_back({PoolId::inbound_destinations, static_cast<uint32_t>(destinations_.size()),
                   *pools_.inbound_destination_addresses});
  }
  return out;
}

size_t SaTable::memory_bytes() const {
  size_t bytes = sizeof(*this);
  for (const auto& chunk : chunks_) bytes += chunk.memory_bytes();
  bytes += chunks_.capacity() * sizeof(chunks_[0]);
  bytes += free_ring_.capacity() * sizeof(uint32_t);
  bytes += index_.memory_bytes();
  // unordered_map: one node (key, count, next pointer, cached hash) per distinct destination,
  // plus the bucket array.
  bytes += destinations_.size() * (sizeof(DestinationKey) + sizeof(uint32_t) + 2 * sizeof(void*));
  bytes += destinations_.bucket_count() * sizeof(void*);
  return bytes;
}

std::string SaTable::dump_text() const { return format_table_text(*this); }
std::string SaTable::dump_json() const { return format_table_json(*this); }

}  // namespace cts::sa
