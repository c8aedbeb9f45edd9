// Storage of offloaded SA bundles: the NIC's SA table as the oracle models it.
//
// The table knows pools, handles, keys and ESN state; it does not validate requests (that is
// oracle/ndis/validate.h plus the device checks of sa_device.h) and it knows nothing of crypto.
// A datapath model keeps per-SA state (keyed cipher contexts) beside it through SaTableListener,
// indexed by the stable slot number of each bundle.
//
// Handles (OQ-22, ADD-003, ADDEX-003): opaque 32-bit values so they fit the 4-byte OffloadHandle
// of the x86 ABI: bit 0 is a tag bit that is always 1 (never NULL), the next bits the slot index,
// the remaining high bits a per-slot generation that changes on every delete. Freed slots go to a
// FIFO and are reused only when no fresh slot is left or enough others are waiting, so a deleted
// handle value does not come back soon.
//
// Keys are stored inline (no per-bundle allocation) and cleansed on delete and on destruction.
// Slot storage is a list of fixed chunks that never move, so keys are never left behind in freed
// memory by a reallocation, and pointers to a StoredBundle stay valid until it is removed.
//
// Not thread-safe: the owner (SaDevice / the oracle facade) serializes access.
#pragma once

#include <array>
#include <cstddef>
#include <cstdint>
#include <memory>
#include <optional>
#include <span>
#include <string>
#include <unordered_map>
#include <vector>

#include "oracle/ndis/validate.h"
#include "oracle/sa/device_profile.h"
#include "oracle/sa/large_array.h"

namespace cts::sa {

// The value written into OffloadHandle. Never 0 for a live bundle; always < 2^31.
using Handle = uint64_t;
inline constexpr Handle kNullHandle = 0;

struct StoredBundle {
  Handle handle = kNullHandle;  // kNullHandle while the slot is free
  uint32_t slot = 0;            // stable index in [0, capacity) for side tables
  uint64_t serial = 0;          // add order (1, 2, ...): tie-breaks and stable dumps
  // The validated bundle. Keys inline; sas[i].sequence_number_high_order is the SA's CURRENT
  // high-order 32 bits of the ESN (initial value from ADD, then from each UPDATE_SA, OQ-11).
  ndis::BundleSpec spec;
  // SaDeleteReq mark (RECV-018): the model asks the transport to delete this inbound SA. The
  // bundle keeps working until DELETE_SA names it (DEL-006, OQ-14).
  bool delete_requested = false;

  bool inbound() const { return spec.inbound; }
  uint32_t sa_count() const { return spec.num_ext_hdrs; }
};

// Observes bundle lifetime so a datapath model can keep per-SA contexts keyed once at ADD.
class SaTableListener {
 public:
  virtual ~SaTableListener() = default;
  // Before commit: the bundle will occupy `slot` (bundle.handle is already the handle it will
  // get). Returning false refuses the add (e.g. a cipher context cannot be keyed); the table is
  // then unchanged and the caller reports `refusal_reason` (NDIS_STATUS_RESOURCES).
  virtual bool on_bundle_adding(const StoredBundle& bundle, std::string& refusal_reason) {
    (void)bundle;
    (void)refusal_reason;
    return true;
  }
  // After removal from the lookup structures, before the keys are cleansed.
  virtual void on_bundle_removed(const StoredBundle& bundle) { (void)bundle; }
  // After UPDATE_SA changed sas[sa_index].sequence_number_high_order.
  virtual void on_sequence_high_updated(const StoredBundle& bundle, uint32_t sa_index) {
    (void)bundle;
    (void)sa_index;
  }
};

enum class PoolId : uint8_t { total_bundles, inbound_bundles, outbound_bundles, inbound_destinations };
const char* pool_name(PoolId pool);  // "total_bundles", ...

struct PoolUsage {
  PoolId pool;
  uint32_t used = 0;
  uint32_t limit = 0;
};

// One inbound SA found by the receive path.
struct InboundMatch {
  const StoredBundle* bundle = nullptr;
  uint32_t sa_index = 0;  // index into bundle->spec.sas
  explicit operator bool() const { return bundle != nullptr; }
};

enum class UpdateOutcome : uint8_t { updated, unknown_handle, no_matching_sa, not_esn };

class SaTable {
 public:
  // Limits come from the profile's pools; total_bundles must be in [1, kMaxBundleCapacity].
  explicit SaTable(const CapacityPools& pools);
  ~SaTable();  // cleanses every key still stored
  SaTable(const SaTable&) = delete;
  SaTable& operator=(const SaTable&) = delete;

  void set_listener(SaTableListener* listener) { listener_ = listener; }

  // The first pool that has no room for this bundle, or nothing. No side effects.
  std::optional<PoolId> full_pool_for(const ndis::BundleSpec& spec) const;

  struct AddResult {
    Handle handle = kNullHandle;    // kNullHandle when refused
    std::optional<PoolId> full_pool;  // set when a pool refused
    std::string listener_reason;    // set when the listener refused
  };
  // Commits a validated bundle (validate-then-commit: on refusal nothing changes).
  AddResult add(const ndis::BundleSpec& spec);

  // Deletes a live bundle: listener notified, keys cleansed, pools released. Unknown or NULL
  // handles are no-ops returning false (OQ-12). The bundle's inbound-index entries are unlinked
  // in small batches, their lines prefetched at the delete, so a run of deletes does not wait
  // on two cache misses each; every operation that reads the index completes them first, so
  // nothing can observe the delay.
  bool remove(Handle handle);
  // DELETE_SA's list: the same as remove() on each handle in order (a handle named twice is a
  // no-op the second time), with the entries of later handles prefetched while earlier ones are
  // removed, so the misses of a long list overlap. `removed[i]` tells whether
  // handles[i] named a live bundle (`removed` may be empty, else handles.size() long).
  // Returns the number of bundles removed.
  size_t remove_list(std::span<const Handle> handles, std::span<bool> removed = {});
  // Deletes everything (reset, LIFE-001); handle generations advance as for single deletes.
  void clear();

  const StoredBundle* find(Handle handle) const;

  // UPDATE_SA (OQ-11): the SA of the bundle matching Operation and SPI gets a new high half.
  UpdateOutcome update_sequence_high(Handle handle, uint32_t operation, uint32_t spi,
                                     uint32_t sequence_number_high_order);

  // Receive lookup (RECV-003, ADD-015, OQ-28): an inbound SA with this SPI and Operation whose
  // DestAddr equals `destination` (4 bytes IPv4 or 16 bytes IPv6, network order) or is all zero
  // (wildcard), of the same IP version. An exact destination beats a wildcard; among equals the
  // earliest-added bundle wins.
  // Not const: it first completes index unlinks that deletes left pending (see remove()).
  InboundMatch find_inbound(uint32_t spi, std::span<const uint8_t> destination, uint32_t operation);

  // SaDeleteReq marks (RECV-018). By SPI: every live inbound bundle with an SA of that SPI
  // (a control-plane scan); returns how many bundles were newly marked. The mark changes nothing
  // else (DEL-006).
  size_t request_delete_by_spi(uint32_t spi);
  bool request_delete(Handle handle);

  size_t size() const { return live_; }
  size_t inbound_count() const { return inbound_live_; }
  size_t outbound_count() const { return live_ - inbound_live_; }
  uint32_t capacity() const { return pools_.total_bundles; }
  std::vector<PoolUsage> pool_usage() const;  // every configured pool, total first

  // Visits live bundles in slot order (stable for a given sequence of operations).
  template <typename F>
  void for_each(F&& visit) const {
    for (uint32_t slot = 0; slot < fresh_next_; ++slot) {
      const Entry& e = entry(slot);
      if (e.bundle.handle != kNullHandle) visit(e.bundle);
    }
  }

  // Evidence for reports: pools, counts, bundles with handles, SPIs, algorithms, ESN state.
  // Never any key byte. Both are stable: equal tables give equal strings.
  std::string dump_text() const;
  std::string dump_json() const;

  // Bytes of memory the table holds (slot chunks, free FIFO, SPI index, destination pool).
  size_t memory_bytes() const;

 private:
  // One bundle's slot. Everything delete, handle checks and the inbound index need sits in the
  // first cache line (the header and the start of `bundle`), so a delete at a million bundles
  // reads one line of the entry (its index line is prefetched, see remove()); the rest of the
  // entry is only written.
  struct alignas(64) Entry {
    uint32_t generation = 0;
    bool inbound = false;     // == bundle.spec.inbound
    // == bundle.spec.num_ext_hdrs (1 or 2 in a validated bundle): the SAs that hold keys and,
    // inbound, the SAs in the index.
    uint8_t sa_count = 0;
    // While the bundle's SAs are in the index (until a pending unlink completes):
    bool wildcard = false;    // inbound with an all-zero DestAddr (OQ-28)
    // the index hash of each indexed SA, so unlinking needs no other line of the entry.
    std::array<uint32_t, 2> hash{};
    // Inbound SAs that share SPI, destination and protocol (a transport mistake the model
    // tolerates) form a chain in add order; the index points at the oldest. `next` ends with
    // kEmptyRef; the oldest's `prev` is the youngest, so append and unlink are O(1).
    std::array<uint32_t, 2> duplicate_next{kEmptyRef, kEmptyRef};
    std::array<uint32_t, 2> duplicate_prev{kEmptyRef, kEmptyRef};
    StoredBundle bundle;  // bundle.handle lies in the first cache line too
  };
  static_assert(offsetof(Entry, bundle) + offsetof(StoredBundle, handle) + sizeof(Handle) <= 64,
                "a handle check must read only the entry's first cache line");
  static constexpr uint32_t kEmptyRef = 0xFFFFFFFFu;
  // A freed slot is reused before a fresh one only when this many are waiting (OQ-22).
  static constexpr uint32_t kReuseDelay = 256;

  // Entries per chunk: as many as fill two huge pages exactly (no rounding waste).
  static constexpr uint32_t kChunkSize = static_cast<uint32_t>((size_t{4} << 20) / sizeof(Entry));

  // Inbound index: open addressing, linear probing, one entry per distinct (SPI, IP version,
  // destination, protocol). `hash` digests the whole key and gives the home position; equal
  // hashes are confirmed against the stored bundle. Eight bytes an entry: eight to a cache line.
  struct IndexEntry {
    uint32_t hash = 0;
    uint32_t ref = kEmptyRef;  // slot << 1 | sa_index of the oldest SA with this key
  };
  struct IndexKey {
    uint32_t spi;
    uint32_t hash;
    bool ipv6;
    const uint8_t* destination;  // 4 or 16 bytes
    uint32_t operation;
  };

  struct DestinationKey {
    std::array<uint8_t, 16> address{};
    bool ipv6 = false;
    bool operator==(const DestinationKey&) const = default;
  };
  struct DestinationKeyHash {
    size_t operator()(const DestinationKey& k) const;
  };

  Entry& entry(uint32_t slot) { return chunks_[slot / kChunkSize][slot % kChunkSize]; }
  const Entry& entry(uint32_t slot) const { return chunks_[slot / kChunkSize][slot % kChunkSize]; }
  Handle make_handle(uint32_t slot, uint32_t generation) const;
  uint32_t slot_of(Handle handle) const {  // the slot bits, unchecked
    return static_cast<uint32_t>((handle >> 1) & ((Handle{1} << slot_bits_) - 1));
  }
  bool decode_handle(Handle handle, uint32_t& slot) const;  // live and current generation
  void prefetch_entry(Handle handle) const;
  std::optional<uint32_t> take_slot_preview() const;
  uint32_t take_slot();
  void release_slot(uint32_t slot);
  static DestinationKey destination_of(const ndis::BundleSpec& spec);

  static IndexKey key_of(uint32_t spi, bool ipv6, const uint8_t* destination, uint32_t operation);
  IndexKey key_of_ref(uint32_t ref) const;
  bool ref_matches(uint32_t ref, const IndexKey& key) const;
  size_t index_find(const IndexKey& key) const;  // position, or index_.size() when absent
  uint32_t& next_of(uint32_t ref) { return entry(ref >> 1).duplicate_next[ref & 1u]; }
  uint32_t& prev_of(uint32_t ref) { return entry(ref >> 1).duplicate_prev[ref & 1u]; }
  void index_insert(uint32_t ref);  // fills the entry's hash copy
  void complete_unlinks();          // the index erases remove() left pending
  void index_erase(uint32_t ref);
  void index_grow();

  CapacityPools pools_;
  uint32_t slot_bits_ = 1;
  uint32_t generation_mask_ = 0;
  SaTableListener* listener_ = nullptr;

  std::vector<LargeArray<Entry>> chunks_;
  uint32_t fresh_next_ = 0;  // slots [0, fresh_next_) have been used at least once
  std::vector<uint32_t> free_ring_;  // FIFO of freed slots (ring buffer)
  size_t free_head_ = 0;
  size_t free_count_ = 0;

  LargeArray<IndexEntry> index_;  // size is a power of two (or 0)
  static constexpr size_t kPendingUnlinks = 32;
  std::array<uint32_t, kPendingUnlinks> pending_unlinks_{};  // refs still in the index
  size_t pending_count_ = 0;
  size_t index_used_ = 0;
  size_t wildcard_inbound_sas_ = 0;  // inbound SAs with an all-zero DestAddr

  std::unordered_map<DestinationKey, uint32_t, DestinationKeyHash> destinations_;  // refcounts

  size_t live_ = 0;
  size_t inbound_live_ = 0;
  uint64_t next_serial_ = 1;
};

}  // namespace cts::sa
