// SaTable at scale: add, update, lookup by handle, delete (and the receive-path inbound lookup)
// with 1,048,576 live bundles, each reported in nanoseconds per operation (one operation per
// benchmark iteration), plus the memory the table really holds per bundle (keys included).
//
// Bundles are touched in a random order (a busy NIC's SA accesses defeat the caches too); the
// handle of each operation is read in sequence, as an OID request carries it in its buffer. Add and
// delete run a fixed number of iterations (kChurn, 6% of the table) and restore the table after
// the timed loop, so the number of live bundles stays within 2^20 +- kChurn. Run with
// --benchmark_repetitions=5 for medians.
#include <benchmark/benchmark.h>

#include <algorithm>
#include <memory>
#include <random>
#include <vector>

#include "oracle/ndis/validate.h"
#include "oracle/sa/sa_device.h"
#include "oracle/sa/sa_table.h"
#include "oracle/sa/sa_test_requests.h"

namespace cts::sa {
namespace {

constexpr uint32_t kLive = 1u << 20;
constexpr uint32_t kChurn = 65536;

// A validated bundle as ADD_SA would store it (AES-CBC-128 + HMAC-SHA1, ESN), varied per index.
ndis::BundleSpec make_bundle(uint32_t i) {
  static const ndis::BundleSpec base = [] {
    auto v = ndis::validate_add_element(testing::with_esn(testing::esp_cbc_sha1(1, true), 0), 0, {});
    return std::get<ndis::BundleSpec>(v);
  }();
  ndis::BundleSpec b = base;
  b.inbound = (i & 1u) != 0;
  b.sas[0].spi = 0x100u + i;
  b.endpoints.raw[4] = 10;
  b.endpoints.raw[5] = static_cast<uint8_t>(i >> 16);
  b.endpoints.raw[6] = static_cast<uint8_t>(i >> 8);
  b.endpoints.raw[7] = static_cast<uint8_t>(i);
  return b;
}

struct Fixture {
  std::unique_ptr<SaTable> table;
  std::vector<uint32_t> order;  // random permutation of [0, kLive)
  std::vector<Handle> handle_at;  // handle_at[k]: live handle of bundle order[k]
  std::vector<ndis::BundleSpec> spare;  // kChurn extra bundles for the add benchmark
  size_t cursor = 0;

  Fixture() {
    CapacityPools pools;
    pools.total_bundles = kLive + kChurn;
    table = std::make_unique<SaTable>(pools);
    std::vector<Handle> handles(kLive);
    for (uint32_t i = 0; i < kLive; ++i) handles[i] = table->add(make_bundle(i)).handle;
    order.resize(kLive);
    for (uint32_t i = 0; i < kLive; ++i) order[i] = i;
    std::shuffle(order.begin(), order.end(), std::mt19937(42));
    handle_at.resize(kLive);
    for (uint32_t k = 0; k < kLive; ++k) handle_at[k] = handles[order[k]];
    for (uint32_t i = 0; i < kChurn; ++i) spare.push_back(make_bundle(kLive + i));
  }

  // The next position in the random order: bundle order[k], handle handle_at[k].
  uint32_t next() {
    const uint32_t k = static_cast<uint32_t>(cursor);
    cursor = cursor + 1 == order.size() ? 0 : cursor + 1;
    return k;
  }

  static Fixture& get() {
    static Fixture f;
    return f;
  }
};

void report(benchmark::State& state, Fixture& f) {
  state.SetItemsProcessed(static_cast<int64_t>(state.iterations()));
  state.counters["live_bundles"] = static_cast<double>(f.table->size());
  state.counters["bytes_per_sa"] =
      static_cast<double>(f.table->memory_bytes()) / static_cast<double>(f.table->size());
}

void BM_SaTableAdd(benchmark::State& state) {
  Fixture& f = Fixture::get();
  std::vector<Handle> added;
  added.reserve(kChurn);
  size_t i = 0;
  for (auto _ : state) {
    added.push_back(f.table->add(f.spare[i++ % kChurn]).handle);
  }
  if (added.size() != kChurn || std::count(added.begin(), added.end(), kNullHandle) != 0) {
    state.SkipWithError("add refused a bundle");
  }
  report(state, f);  // measured with the added bundles still live
  for (Handle h : added) f.table->remove(h);
}

void BM_SaTableUpdate(benchmark::State& state) {
  Fixture& f = Fixture::get();
  uint32_t high = 1;
  size_t refused = 0;
  for (auto _ : state) {
    const uint32_t k = f.next();
    refused += f.table->update_sequence_high(f.handle_at[k], ndis::IPsecOffloadV2Esp,
                                             0x100u + f.order[k], high++) != UpdateOutcome::updated;
  }
  if (refused) state.SkipWithError("update refused");
  report(state, f);
}

void BM_SaTableLookupByHandle(benchmark::State& state) {
  Fixture& f = Fixture::get();
  uint64_t sum = 0;
  for (auto _ : state) {
    const StoredBundle* b = f.table->find(f.handle_at[f.next()]);
    sum += b->spec.sas[0].spi;  // touch the entry, as the datapath would
  }
  benchmark::DoNotOptimize(sum);
  report(state, f);
}

void BM_SaTableLookupInbound(benchmark::State& state) {
  Fixture& f = Fixture::get();
  size_t missed = 0;
  for (auto _ : state) {
    const uint32_t b = f.order[f.next()] | 1u;  // odd indices are inbound
    const uint8_t dst[4] = {10, static_cast<uint8_t>(b >> 16), static_cast<uint8_t>(b >> 8),
                            static_cast<uint8_t>(b)};
    missed += !f.table->find_inbound(0x100u + b, dst, ndis::IPsecOffloadV2Esp);
  }
  if (missed) state.SkipWithError("inbound lookup missed a live SA");
  report(state, f);
}

void BM_SaTableDelete(benchmark::State& state) {
  Fixture& f = Fixture::get();
  std::vector<uint32_t> removed;
  removed.reserve(kChurn);
  size_t failed = 0;
  for (auto _ : state) {
    const uint32_t k = f.next();
    failed += !f.table->remove(f.handle_at[k]);
    removed.push_back(k);
  }
  if (failed) state.SkipWithError("delete missed a live bundle");
  report(state, f);
  for (uint32_t k : removed) f.handle_at[k] = f.table->add(make_bundle(f.order[k])).handle;
}

// DELETE_SA names a list of bundles; remove_list overlaps the misses of its elements. One
// iteration is one list of state.range(0) handles; `per_delete` is the time per handle.
void BM_SaTableDeleteList(benchmark::State& state) {
  Fixture& f = Fixture::get();
  const size_t list = static_cast<size_t>(state.range(0));
  std::vector<uint32_t> removed;
  removed.reserve(kChurn);
  std::vector<Handle> handles(list);
  size_t deleted = 0;
  for (auto _ : state) {
    const size_t first = removed.size();
    for (size_t j = 0; j < list; ++j) {
      const uint32_t k = f.next();
      handles[j] = f.handle_at[k];
      removed.push_back(k);
    }
    deleted += f.table->remove_list(handles);
    benchmark::DoNotOptimize(first);
  }
  if (deleted != removed.size()) state.SkipWithError("delete missed a live bundle");
  report(state, f);
  state.SetItemsProcessed(static_cast<int64_t>(deleted));
  state.counters["per_delete"] = benchmark::Counter(static_cast<double>(deleted),
                                                    benchmark::Counter::kIsRate | benchmark::Counter::kInvert);
  for (uint32_t k : removed) f.handle_at[k] = f.table->add(make_bundle(f.order[k])).handle;
}

// The whole OID path for comparison: decode + validate + device checks + commit + write-back.
void BM_SaDeviceAddSaExOid(benchmark::State& state) {
  DeviceProfile p = full_profile();
  p.set_total_capacity(kChurn);
  SaDevice dev(p);
  ndis::AddSaExRequest req;
  req.element = testing::esp_cbc_sha1(0x100, true);
  std::vector<uint8_t> buf = ndis::encode_add_sa_ex(req, ndis::Abi::x64);
  size_t failed = 0;
  uint32_t spi = 0x1000;
  const size_t spi_at = 60 + 8;  // x64 ADD_SA_EX: SecAssoc[0] at 60, Spi at +8 (SECURITY_ASSOCIATION in ADD_SA_EX)
  for (auto _ : state) {
    ++spi;
    for (size_t b = 0; b < 4; ++b) buf[spi_at + b] = static_cast<uint8_t>(spi >> (8 * b));
    failed += !dev.set_oid(ndis::OID_TCP_TASK_IPSEC_OFFLOAD_V2_ADD_SA_EX, buf, ndis::Abi::x64)
                   .succeeded();
  }
  if (failed) state.SkipWithError("ADD_SA_EX failed");
  state.SetItemsProcessed(static_cast<int64_t>(state.iterations()));
}

BENCHMARK(BM_SaTableAdd)->Name("SaTable/add")->Iterations(kChurn)->Unit(benchmark::kNanosecond);
BENCHMARK(BM_SaTableUpdate)->Name("SaTable/update")->Unit(benchmark::kNanosecond);
BENCHMARK(BM_SaTableLookupByHandle)->Name("SaTable/lookup_by_handle")->Unit(benchmark::kNanosecond);
BENCHMARK(BM_SaTableLookupInbound)->Name("SaTable/lookup_inbound")->Unit(benchmark::kNanosecond);
BENCHMARK(BM_SaTableDelete)->Name("SaTable/delete")->Iterations(kChurn)->Unit(benchmark::kNanosecond);
BENCHMARK(BM_SaTableDeleteList)
    ->Name("SaTable/delete_list")
    ->Arg(16)
    ->Iterations(kChurn / 16)
    ->Unit(benchmark::kNanosecond);
BENCHMARK(BM_SaDeviceAddSaExOid)
    ->Name("SaDevice/add_sa_ex_oid")
    ->Iterations(kChurn)
    ->Unit(benchmark::kNanosecond);

}  // namespace
}  // namespace cts::sa
