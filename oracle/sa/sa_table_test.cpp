// SaTable: handles, pools, inbound lookup, ESN state, SaDeleteReq marks, key hygiene, dumps.
#include "oracle/sa/sa_table.h"

#include <gtest/gtest.h>

#include <nlohmann/json.hpp>

#include <algorithm>
#include <map>
#include <random>
#include <set>

namespace cts::sa {
namespace {

using ndis::BundleSpec;

BundleSpec spec(uint32_t spi, bool inbound, std::array<uint8_t, 4> dst = {10, 0, 1, 2},
                bool esn = false, uint8_t key_fill = 0xA5) {
  BundleSpec b;
  b.inbound = inbound;
  b.endpoints = ndis::Endpoints{};
  const std::array<uint8_t, 4> src{10, 0, 0, 1};
  std::copy(src.begin(), src.end(), b.endpoints.raw.begin());
  std::copy(dst.begin(), dst.end(), b.endpoints.raw.begin() + 4);
  b.num_ext_hdrs = 1;
  auto& sa = b.sas[0];
  sa.operation = ndis::IPsecOffloadV2Esp;
  sa.spi = spi;
  sa.encryption_algorithm = ndis::IPSEC_OFFLOAD_V2_ENCRYPTION_AES_GCM_128;
  sa.icv_length = 16;
  sa.esn = esn;
  sa.keys.encryption_key.fill(key_fill);
  sa.keys.encryption_key_length = 16;
  sa.keys.salt.fill(key_fill);
  sa.keys.has_salt = true;
  return b;
}

BundleSpec spec_v6(uint32_t spi, const std::array<uint8_t, 16>& dst) {
  BundleSpec b = spec(spi, true);
  b.ipv6 = true;
  b.endpoints.raw.fill(0);
  b.endpoints.raw[0] = 0x20;
  b.endpoints.raw[1] = 0x01;
  std::copy(dst.begin(), dst.end(), b.endpoints.raw.begin() + 16);
  return b;
}

CapacityPools pools(uint32_t total) {
  CapacityPools p;
  p.total_bundles = total;
  return p;
}

bool all_zero(const ndis::SaKeys& k) {
  for (uint8_t b : k.encryption_key) if (b) return false;
  for (uint8_t b : k.authentication_key) if (b) return false;
  for (uint8_t b : k.salt) if (b) return false;
  return true;
}

// --- handles (ADD-003, OQ-22) -----------------------------------------------------------------

TEST(SaTableHandles, NeverNullTaggedAndFitX86) {
  SaTable t(pools(4096));
  for (uint32_t i = 0; i < 4096; ++i) {
    Handle h = t.add(spec(0x1000 + i, i % 2 == 0)).handle;
    ASSERT_NE(h, kNullHandle);
    EXPECT_EQ(h & 1u, 1u) << "tag bit";
    EXPECT_LT(h, 0x80000000ull) << "must fit the 4-byte OffloadHandle of the x86 ABI";
  }
}

TEST(SaTableHandles, UniqueAmongLiveBundlesUnderChurn) {
  SaTable t(pools(512));
  std::mt19937 rng(12345);
  std::set<Handle> live;
  for (int step = 0; step < 20000; ++step) {
    if (live.size() < 512 && (live.empty() || rng() % 3 != 0)) {
      Handle h = t.add(spec(static_cast<uint32_t>(step + 1), false)).handle;
      ASSERT_NE(h, kNullHandle);
      ASSERT_TRUE(live.insert(h).second) << "handle " << h << " equals a live handle";
    } else {
      auto it = live.begin();
      std::advance(it, rng() % live.size());
      ASSERT_TRUE(t.remove(*it));
      live.erase(it);
    }
    ASSERT_EQ(t.size(), live.size());
  }
}

TEST(SaTableHandles, DeletedHandleNotReusedSoon) {
  // OQ-22: after a delete, the freed value must not come back in the following adds.
  SaTable t(pools(1024));
  const Handle first = t.add(spec(1, false)).handle;
  ASSERT_TRUE(t.remove(first));
  for (uint32_t i = 0; i < 5000; ++i) {
    const Handle h = t.add(spec(100 + i, false)).handle;
    ASSERT_NE(h, first) << "after " << i << " add/delete cycles";
    ASSERT_TRUE(t.remove(h));
  }
}

TEST(SaTableHandles, SmallTableStillChangesValueOnReuse) {
  SaTable t(pools(1));
  const Handle a = t.add(spec(1, false)).handle;
  ASSERT_TRUE(t.remove(a));
  const Handle b = t.add(spec(1, false)).handle;
  EXPECT_NE(b, kNullHandle);
  EXPECT_NE(a, b) << "same slot, new generation";
  EXPECT_EQ(t.find(a), nullptr);
  EXPECT_NE(t.find(b), nullptr);
}

TEST(SaTableHandles, ForeignValuesAreNotFound) {
  SaTable t(pools(16));
  const Handle h = t.add(spec(1, false)).handle;
  for (Handle bogus : {Handle{0}, h + 1, h ^ 0x100u, Handle{0xFFFFFFFF}, Handle{0x1FFFFFFFFull},
                       Handle{0xFFFFFFFFFFFFFFFFull}, Handle{3}}) {
    if (bogus == h) continue;
    EXPECT_EQ(t.find(bogus), nullptr) << bogus;
    EXPECT_FALSE(t.remove(bogus)) << bogus;
  }
  EXPECT_EQ(t.size(), 1u);
}

// --- pools (CAP-010, ADD-007, OQ-18) ----------------------------------------------------------

TEST(SaTablePools, TotalPoolRefusesWithNoChange) {
  SaTable t(pools(3));
  for (uint32_t i = 0; i < 3; ++i) ASSERT_NE(t.add(spec(i + 1, i == 0)).handle, kNullHandle);
  const std::string before = t.dump_text();
  auto r = t.add(spec(99, false));
  EXPECT_EQ(r.handle, kNullHandle);
  ASSERT_TRUE(r.full_pool);
  EXPECT_EQ(*r.full_pool, PoolId::total_bundles);
  EXPECT_EQ(t.dump_text(), before);
}

TEST(SaTablePools, DirectionPoolsAreSeparate) {
  CapacityPools p = pools(10);
  p.inbound_bundles = 2;
  p.outbound_bundles = 3;
  SaTable t(p);
  ASSERT_NE(t.add(spec(1, true)).handle, kNullHandle);
  ASSERT_NE(t.add(spec(2, true)).handle, kNullHandle);
  auto in3 = t.add(spec(3, true));
  ASSERT_TRUE(in3.full_pool);
  EXPECT_EQ(*in3.full_pool, PoolId::inbound_bundles);
  for (uint32_t i = 0; i < 3; ++i) ASSERT_NE(t.add(spec(10 + i, false)).handle, kNullHandle);
  auto out4 = t.add(spec(20, false));
  ASSERT_TRUE(out4.full_pool);
  EXPECT_EQ(*out4.full_pool, PoolId::outbound_bundles);
  EXPECT_EQ(t.size(), 5u);
}

TEST(SaTablePools, DestinationTableFillsFirst) {
  // A NIC with room for many SAs but few destination addresses: the third distinct inbound
  // destination is refused while SAs to known destinations still fit.
  CapacityPools p = pools(100);
  p.inbound_destination_addresses = 2;
  SaTable t(p);
  ASSERT_NE(t.add(spec(1, true, {10, 0, 1, 1})).handle, kNullHandle);
  ASSERT_NE(t.add(spec(2, true, {10, 0, 1, 2})).handle, kNullHandle);
  auto third = t.add(spec(3, true, {10, 0, 1, 3}));
  ASSERT_TRUE(third.full_pool);
  EXPECT_EQ(*third.full_pool, PoolId::inbound_destinations);
  const Handle same_dst = t.add(spec(4, true, {10, 0, 1, 2})).handle;
  EXPECT_NE(same_dst, kNullHandle) << "a known destination needs no new entry";
  EXPECT_NE(t.add(spec(5, false, {10, 0, 1, 9})).handle, kNullHandle) << "outbound uses no entry";
  // The entry is released with the last bundle using it.
  const Handle first = t.find_inbound(1, std::array<uint8_t, 4>{10, 0, 1, 1}, ndis::IPsecOffloadV2Esp).bundle->handle;
  ASSERT_TRUE(t.remove(first));
  EXPECT_NE(t.add(spec(6, true, {10, 0, 1, 3})).handle, kNullHandle);
  auto usage = t.pool_usage();
  auto dest = std::find_if(usage.begin(), usage.end(),
                           [](const PoolUsage& u) { return u.pool == PoolId::inbound_destinations; });
  ASSERT_NE(dest, usage.end());
  EXPECT_EQ(dest->used, 2u);
  EXPECT_EQ(dest->limit, 2u);
}

TEST(SaTablePools, DeleteFreesCapacity) {
  SaTable t(pools(2));
  Handle a = t.add(spec(1, false)).handle;
  ASSERT_NE(t.add(spec(2, false)).handle, kNullHandle);
  EXPECT_EQ(t.add(spec(3, false)).handle, kNullHandle);
  ASSERT_TRUE(t.remove(a));
  EXPECT_NE(t.add(spec(3, false)).handle, kNullHandle);
}

// --- inbound lookup (RECV-003, ADD-015, OQ-28) ------------------------------------------------

TEST(SaTableLookup, ExactDestinationAndOperation) {
  SaTable t(pools(16));
  const Handle h = t.add(spec(0x1234, true, {192, 0, 2, 7})).handle;
  auto m = t.find_inbound(0x1234, std::array<uint8_t, 4>{192, 0, 2, 7}, ndis::IPsecOffloadV2Esp);
  ASSERT_TRUE(m);
  EXPECT_EQ(m.bundle->handle, h);
  EXPECT_EQ(m.sa_index, 0u);
  EXPECT_FALSE(t.find_inbound(0x1234, std::array<uint8_t, 4>{192, 0, 2, 8}, ndis::IPsecOffloadV2Esp))
      << "RECV-003: destination must match";
  EXPECT_FALSE(t.find_inbound(0x1234, std::array<uint8_t, 4>{192, 0, 2, 7}, ndis::IPsecOffloadV2Ah))
      << "operation must match";
  EXPECT_FALSE(t.find_inbound(0x3412, std::array<uint8_t, 4>{192, 0, 2, 7}, ndis::IPsecOffloadV2Esp));
  std::array<uint8_t, 16> v6{};
  EXPECT_FALSE(t.find_inbound(0x1234, v6, ndis::IPsecOffloadV2Esp)) << "IP version must match";
}

TEST(SaTableLookup, OutboundBundlesAreNotReceiveCandidates) {
  SaTable t(pools(16));
  ASSERT_NE(t.add(spec(0x77, false, {10, 0, 1, 2})).handle, kNullHandle);
  EXPECT_FALSE(t.find_inbound(0x77, std::array<uint8_t, 4>{10, 0, 1, 2}, ndis::IPsecOffloadV2Esp));
}

TEST(SaTableLookup, ZeroDestinationIsWildcardAndExactWins) {
  SaTable t(pools(16));
  const Handle wild = t.add(spec(0x500, true, {0, 0, 0, 0})).handle;
  auto m = t.find_inbound(0x500, std::array<uint8_t, 4>{198, 51, 100, 9}, ndis::IPsecOffloadV2Esp);
  ASSERT_TRUE(m) << "ADD-015: a zero DestAddr is not used for matching";
  EXPECT_EQ(m.bundle->handle, wild);
  const Handle exact = t.add(spec(0x500, true, {198, 51, 100, 9})).handle;
  m = t.find_inbound(0x500, std::array<uint8_t, 4>{198, 51, 100, 9}, ndis::IPsecOffloadV2Esp);
  ASSERT_TRUE(m);
  EXPECT_EQ(m.bundle->handle, exact);
  m = t.find_inbound(0x500, std::array<uint8_t, 4>{198, 51, 100, 10}, ndis::IPsecOffloadV2Esp);
  ASSERT_TRUE(m);
  EXPECT_EQ(m.bundle->handle, wild);
}

TEST(SaTableLookup, Ipv6Destinations) {
  SaTable t(pools(16));
  std::array<uint8_t, 16> dst{0x20, 0x01, 0x0d, 0xb8};
  dst[15] = 1;
  const Handle h = t.add(spec_v6(0x600, dst)).handle;
  auto m = t.find_inbound(0x600, dst, ndis::IPsecOffloadV2Esp);
  ASSERT_TRUE(m);
  EXPECT_EQ(m.bundle->handle, h);
  dst[15] = 2;
  EXPECT_FALSE(t.find_inbound(0x600, dst, ndis::IPsecOffloadV2Esp));
  EXPECT_FALSE(t.find_inbound(0x600, std::array<uint8_t, 4>{0x20, 0x01, 0x0d, 0xb8},
                              ndis::IPsecOffloadV2Esp));
}

TEST(SaTableLookup, EspThenAhBundleIsFoundBySpiOfEither) {
  SaTable t(pools(16));
  BundleSpec b = spec(0xE5, true);
  b.num_ext_hdrs = 2;
  b.sas[1].operation = ndis::IPsecOffloadV2Ah;
  b.sas[1].spi = 0xA4;
  b.sas[1].authentication_algorithm = ndis::IPSEC_OFFLOAD_V2_AUTHENTICATION_SHA_1;
  const Handle h = t.add(b).handle;
  const std::array<uint8_t, 4> dst{10, 0, 1, 2};
  auto ah = t.find_inbound(0xA4, dst, ndis::IPsecOffloadV2Ah);
  ASSERT_TRUE(ah);
  EXPECT_EQ(ah.bundle->handle, h);
  EXPECT_EQ(ah.sa_index, 1u);
  auto esp = t.find_inbound(0xE5, dst, ndis::IPsecOffloadV2Esp);
  ASSERT_TRUE(esp);
  EXPECT_EQ(esp.sa_index, 0u);
  ASSERT_TRUE(t.remove(h));
  EXPECT_FALSE(t.find_inbound(0xA4, dst, ndis::IPsecOffloadV2Ah));
  EXPECT_FALSE(t.find_inbound(0xE5, dst, ndis::IPsecOffloadV2Esp));
}

TEST(SaTableLookup, IndexAgreesWithBruteForceUnderChurn) {
  // Property: after any sequence of adds and deletes (many SPI collisions), every live inbound
  // SA is found and no dead one is.
  SaTable t(pools(3000));
  std::mt19937 rng(777);
  std::map<Handle, uint32_t> live;  // handle -> spi
  for (int step = 0; step < 30000; ++step) {
    if (live.size() < 3000 && (live.empty() || rng() % 2 == 0)) {
      const uint32_t spi = static_cast<uint32_t>(rng() % 700);  // dense: many duplicate SPIs across destinations
      const uint8_t d = static_cast<uint8_t>(rng() % 200 + 1);
      Handle h = t.add(spec(spi, true, {10, 9, 0, d})).handle;
      ASSERT_NE(h, kNullHandle);
      live[h] = spi;
    } else {
      auto it = live.begin();
      std::advance(it, rng() % live.size());
      ASSERT_TRUE(t.remove(it->first));
      live.erase(it);
    }
  }
  for (const auto& [h, spi] : live) {
    const StoredBundle* b = t.find(h);
    ASSERT_NE(b, nullptr);
    std::array<uint8_t, 4> dst{};
    std::copy_n(b->spec.endpoints.raw.begin() + 4, 4, dst.begin());
    auto m = t.find_inbound(spi, dst, ndis::IPsecOffloadV2Esp);
    ASSERT_TRUE(m) << "live SA spi " << spi << " not found";
    EXPECT_EQ(m.bundle->spec.sas[0].spi, spi);
    EXPECT_EQ(0, std::memcmp(m.bundle->spec.endpoints.raw.data() + 4, dst.data(), 4));
  }
  for (uint32_t spi = 700; spi < 800; ++spi) {
    EXPECT_FALSE(t.find_inbound(spi, std::array<uint8_t, 4>{10, 9, 0, 1}, ndis::IPsecOffloadV2Esp));
  }
}

TEST(SaTableLookup, DuplicateKeysResolveToOldestAndSurviveDeletes) {
  // The transport should never offload two inbound SAs with the same SPI, destination and
  // protocol; if it does, the oldest one answers and deleting any of them keeps the rest findable.
  SaTable t(pools(16));
  const std::array<uint8_t, 4> dst{10, 0, 1, 2};
  const Handle a = t.add(spec(0x99, true)).handle;
  const Handle b = t.add(spec(0x99, true)).handle;
  const Handle c = t.add(spec(0x99, true)).handle;
  EXPECT_EQ(t.find_inbound(0x99, dst, ndis::IPsecOffloadV2Esp).bundle->handle, a);
  ASSERT_TRUE(t.remove(b));  // middle of the chain
  EXPECT_EQ(t.find_inbound(0x99, dst, ndis::IPsecOffloadV2Esp).bundle->handle, a);
  ASSERT_TRUE(t.remove(a));  // head
  EXPECT_EQ(t.find_inbound(0x99, dst, ndis::IPsecOffloadV2Esp).bundle->handle, c);
  ASSERT_TRUE(t.remove(c));
  EXPECT_FALSE(t.find_inbound(0x99, dst, ndis::IPsecOffloadV2Esp));
}

TEST(SaTableDelete, ListRemovesEachLiveHandleOnceInOrder) {
  // DEL-003 / OQ-12: a DELETE_SA list frees every bundle it names; NULL, unknown and repeated
  // handles are no-ops, and each element's outcome is reported in list order.
  SaTable t(pools(16));
  const Handle a = t.add(spec(0x10, true)).handle;
  const Handle b = t.add(spec(0x11, false)).handle;
  const Handle c = t.add(spec(0x12, true, {10, 0, 1, 3})).handle;
  const Handle keep = t.add(spec(0x13, true)).handle;
  const Handle unknown = (c | 0x40000000u) & 0x7FFFFFFFu;  // same slot, other generation
  const std::vector<Handle> list{a, kNullHandle, b, a, unknown, c};
  bool removed[6] = {};
  EXPECT_EQ(t.remove_list(list, removed), 3u);
  const bool expected[6] = {true, false, true, false, false, true};
  for (size_t i = 0; i < 6; ++i) EXPECT_EQ(removed[i], expected[i]) << "element " << i;
  EXPECT_EQ(t.size(), 1u);
  EXPECT_NE(t.find(keep), nullptr);
  EXPECT_FALSE(t.find_inbound(0x10, std::array<uint8_t, 4>{10, 0, 1, 2}, ndis::IPsecOffloadV2Esp));
  EXPECT_FALSE(t.find_inbound(0x12, std::array<uint8_t, 4>{10, 0, 1, 3}, ndis::IPsecOffloadV2Esp));
  EXPECT_TRUE(t.find_inbound(0x13, std::array<uint8_t, 4>{10, 0, 1, 2}, ndis::IPsecOffloadV2Esp));
  EXPECT_EQ(t.remove_list({}), 0u);
}

TEST(SaTableDelete, ADeletedSaIsNeverFoundWhileItsUnlinkIsPending) {
  // remove() leaves index unlinks pending in batches; no lookup, add or clear may see them.
  SaTable t(pools(256));
  std::vector<Handle> handles;
  for (uint32_t i = 0; i < 100; ++i) {
    handles.push_back(t.add(spec(0x500 + i, true, {10, 0, 2, static_cast<uint8_t>(i)})).handle);
  }
  const Handle wildcard = t.add(spec(0x777, true, {0, 0, 0, 0})).handle;
  for (uint32_t i = 0; i < 100; ++i) {
    ASSERT_TRUE(t.remove(handles[i]));
    const std::array<uint8_t, 4> dst{10, 0, 2, static_cast<uint8_t>(i)};
    EXPECT_FALSE(t.find_inbound(0x500 + i, dst, ndis::IPsecOffloadV2Esp)) << "deleted SA " << i;
    if (i + 1 < 100) {
      const std::array<uint8_t, 4> next{10, 0, 2, static_cast<uint8_t>(i + 1)};
      EXPECT_TRUE(t.find_inbound(0x501 + i, next, ndis::IPsecOffloadV2Esp)) << "live SA " << i + 1;
    }
  }
  // Re-adding a deleted key right away finds the new bundle, not a stale index entry.
  const Handle again = t.add(spec(0x510, true, {10, 0, 2, 0x10})).handle;
  auto m = t.find_inbound(0x510, std::array<uint8_t, 4>{10, 0, 2, 0x10}, ndis::IPsecOffloadV2Esp);
  ASSERT_TRUE(m);
  EXPECT_EQ(m.bundle->handle, again);
  // The wildcard (OQ-28) answers any destination until it is deleted, then none.
  EXPECT_TRUE(t.find_inbound(0x777, std::array<uint8_t, 4>{192, 0, 2, 9}, ndis::IPsecOffloadV2Esp));
  ASSERT_TRUE(t.remove(wildcard));
  EXPECT_FALSE(t.find_inbound(0x777, std::array<uint8_t, 4>{192, 0, 2, 9}, ndis::IPsecOffloadV2Esp));
  t.clear();
  EXPECT_FALSE(t.find_inbound(0x510, std::array<uint8_t, 4>{10, 0, 2, 0x10}, ndis::IPsecOffloadV2Esp));
  EXPECT_EQ(t.size(), 0u);
}

TEST(SaTableDelete, ListAgreesWithSingleRemovesUnderChurn) {
  // Property: deleting in lists (with repeats, duplicate keys and wildcards mixed in) leaves the
  // same findable set as deleting one by one.
  SaTable listed(pools(2000));
  SaTable single(pools(2000));
  std::mt19937 rng(4242);
  std::vector<std::pair<Handle, Handle>> live;  // (listed, single) handles of one bundle
  for (int round = 0; round < 200; ++round) {
    while (live.size() < 1500) {
      const uint32_t spi = static_cast<uint32_t>(rng() % 300);
      const uint8_t d = static_cast<uint8_t>(rng() % 8);  // 0: an all-zero (wildcard) DestAddr
      BundleSpec b = d == 0 ? spec(spi, true, {0, 0, 0, 0}) : spec(spi, rng() % 4 != 0, {10, 9, 0, d});
      live.emplace_back(listed.add(b).handle, single.add(b).handle);
      ASSERT_NE(live.back().first, kNullHandle);
    }
    std::vector<Handle> list;
    std::vector<Handle> singles;
    const size_t n = rng() % 40;
    for (size_t j = 0; j < n && !live.empty(); ++j) {
      const size_t at = rng() % live.size();
      list.push_back(live[at].first);
      singles.push_back(live[at].second);
      if (rng() % 5 == 0) list.push_back(live[at].first);  // named twice
      live.erase(live.begin() + static_cast<long>(at));
    }
    EXPECT_EQ(listed.remove_list(list), singles.size());
    for (Handle h : singles) ASSERT_TRUE(single.remove(h));
  }
  ASSERT_EQ(listed.size(), single.size());
  for (uint32_t spi = 0; spi < 300; ++spi) {
    for (uint8_t d = 0; d < 8; ++d) {
      const std::array<uint8_t, 4> dst{10, 9, 0, d};
      auto x = listed.find_inbound(spi, dst, ndis::IPsecOffloadV2Esp);
      auto y = single.find_inbound(spi, dst, ndis::IPsecOffloadV2Esp);
      ASSERT_EQ(bool(x), bool(y)) << "spi " << spi << " dst " << int(d);
      if (x) {
        EXPECT_EQ(x.bundle->serial, y.bundle->serial);
      }
    }
  }
}

TEST(SaTableLookup, ManySasSharingOneSpiStayFast) {
  // One SPI across 60000 destinations must not degrade into one long probe cluster.
  SaTable t(pools(60000));
  for (uint32_t i = 0; i < 60000; ++i) {
    ASSERT_NE(t.add(spec(0x5151, true, {10, static_cast<uint8_t>(i >> 16), static_cast<uint8_t>(i >> 8),
                                        static_cast<uint8_t>(i)})).handle,
              kNullHandle);
  }
  for (uint32_t i = 0; i < 60000; i += 7) {
    auto m = t.find_inbound(0x5151, std::array<uint8_t, 4>{10, static_cast<uint8_t>(i >> 16),
                                                          static_cast<uint8_t>(i >> 8),
                                                          static_cast<uint8_t>(i)},
                            ndis::IPsecOffloadV2Esp);
    ASSERT_TRUE(m);
    EXPECT_EQ(m.bundle->spec.endpoints.raw[7], static_cast<uint8_t>(i));
  }
}

// --- ESN state (UPD-003, OQ-11) ---------------------------------------------------------------

TEST(SaTableEsn, UpdateOutcomes) {
  SaTable t(pools(8));
  const Handle esn = t.add(spec(0x10, false, {10, 0, 1, 2}, true)).handle;
  const Handle plain = t.add(spec(0x11, false)).handle;
  EXPECT_EQ(t.update_sequence_high(esn, ndis::IPsecOffloadV2Esp, 0x10, 7), UpdateOutcome::updated);
  EXPECT_EQ(t.find(esn)->spec.sas[0].sequence_number_high_order, 7u);
  EXPECT_EQ(t.update_sequence_high(esn, ndis::IPsecOffloadV2Esp, 0x99, 8), UpdateOutcome::no_matching_sa);
  EXPECT_EQ(t.update_sequence_high(esn, ndis::IPsecOffloadV2Ah, 0x10, 8), UpdateOutcome::no_matching_sa);
  EXPECT_EQ(t.update_sequence_high(plain, ndis::IPsecOffloadV2Esp, 0x11, 8), UpdateOutcome::not_esn);
  EXPECT_EQ(t.update_sequence_high(esn ^ 0x40000000u, ndis::IPsecOffloadV2Esp, 0x10, 8),
            UpdateOutcome::unknown_handle)
      << "same slot, other generation";
  EXPECT_EQ(t.find(esn)->spec.sas[0].sequence_number_high_order, 7u) << "failed updates change nothing";
}

// --- SaDeleteReq marks (RECV-018, DEL-006, OQ-14) ---------------------------------------------

TEST(SaTableDeleteRequest, MarkKeepsSaWorking) {
  SaTable t(pools(8));
  const Handle in = t.add(spec(0x42, true)).handle;
  const Handle out = t.add(spec(0x43, false)).handle;
  EXPECT_EQ(t.request_delete_by_spi(0x42), 1u);
  EXPECT_EQ(t.request_delete_by_spi(0x43), 0u) << "SaDeleteReq concerns inbound SAs only";
  EXPECT_EQ(t.request_delete_by_spi(0x42), 0u) << "already marked";
  EXPECT_TRUE(t.find(in)->delete_requested);
  EXPECT_FALSE(t.find(out)->delete_requested);
  auto m = t.find_inbound(0x42, std::array<uint8_t, 4>{10, 0, 1, 2}, ndis::IPsecOffloadV2Esp);
  ASSERT_TRUE(m) << "DEL-006: the SA stays until DELETE_SA names it";
  EXPECT_TRUE(m.bundle->delete_requested);
  EXPECT_EQ(t.size(), 2u);
  EXPECT_TRUE(t.request_delete(out));
  EXPECT_TRUE(t.find(out)->delete_requested);
}

// --- key hygiene (DEL-003) and listener -------------------------------------------------------

struct RecordingListener : SaTableListener {
  std::vector<Handle> added, removed;
  std::vector<std::pair<Handle, uint32_t>> updated;
  bool refuse = false;
  bool keys_present_at_remove = false;
  bool on_bundle_adding(const StoredBundle& b, std::string& reason) override {
    if (refuse) {
      reason = "no crypto context";
      return false;
    }
    added.push_back(b.handle);
    return true;
  }
  void on_bundle_removed(const StoredBundle& b) override {
    removed.push_back(b.handle);
    keys_present_at_remove = !all_zero(b.spec.sas[0].keys);
  }
  void on_sequence_high_updated(const StoredBundle& b, uint32_t i) override {
    updated.emplace_back(b.handle, b.spec.sas[i].sequence_number_high_order);
  }
};

TEST(SaTableKeys, CleansedOnRemove) {
  SaTable t(pools(8));
  RecordingListener l;
  t.set_listener(&l);
  const Handle h = t.add(spec(1, false, {10, 0, 1, 2}, false, 0xC3)).handle;
  const StoredBundle* stored = t.find(h);
  ASSERT_NE(stored, nullptr);
  EXPECT_FALSE(all_zero(stored->spec.sas[0].keys));
  ASSERT_TRUE(t.remove(h));
  EXPECT_TRUE(l.keys_present_at_remove) << "the listener sees the keys before the wipe";
  // Slot storage never moves, so the old address still shows what is left in memory.
  EXPECT_TRUE(all_zero(stored->spec.sas[0].keys)) << "keys must be cleansed on delete";
  ASSERT_EQ(l.removed.size(), 1u);
  EXPECT_EQ(l.removed[0], h);
}

TEST(SaTableKeys, BothSasOfAnEspAhBundleCleansedOnRemove) {
  SaTable t(pools(8));
  BundleSpec b = spec(1, true, {10, 0, 1, 2}, false, 0x5A);
  b.num_ext_hdrs = 2;
  b.sas[1] = b.sas[0];
  b.sas[1].operation = ndis::IPsecOffloadV2Ah;
  b.sas[1].spi = 2;
  b.sas[1].keys.authentication_key.fill(0x77);
  const Handle h = t.add(b).handle;
  const StoredBundle* stored = t.find(h);
  ASSERT_NE(stored, nullptr);
  ASSERT_FALSE(all_zero(stored->spec.sas[1].keys));
  ASSERT_TRUE(t.remove(h));
  EXPECT_TRUE(all_zero(stored->spec.sas[0].keys));
  EXPECT_TRUE(all_zero(stored->spec.sas[1].keys)) << "the AH SA's key must be cleansed too";
}

TEST(SaTableKeys, ListenerSeesLifecycleAndCanRefuse) {
  SaTable t(pools(8));
  RecordingListener l;
  t.set_listener(&l);
  const Handle h = t.add(spec(5, false, {10, 0, 1, 2}, true)).handle;
  ASSERT_EQ(l.added, std::vector<Handle>{h}) << "on_bundle_adding sees the final handle";
  t.update_sequence_high(h, ndis::IPsecOffloadV2Esp, 5, 0xABCD);
  ASSERT_EQ(l.updated.size(), 1u);
  EXPECT_EQ(l.updated[0].second, 0xABCDu);
  l.refuse = true;
  const std::string before = t.dump_text();
  auto r = t.add(spec(6, false));
  EXPECT_EQ(r.handle, kNullHandle);
  EXPECT_EQ(r.listener_reason, "no crypto context");
  EXPECT_EQ(t.dump_text(), before) << "a refused add leaves the table unchanged";
  l.refuse = false;
  t.add(spec(7, true));
  t.clear();
  EXPECT_EQ(t.size(), 0u);
  EXPECT_EQ(l.removed.size(), 2u) << "clear() notifies for every bundle";
}

// --- dumps ------------------------------------------------------------------------------------

TEST(SaTableDump, TextListsPoolsBundlesAndNoKeys) {
  CapacityPools p = pools(4);
  p.inbound_destination_addresses = 2;
  SaTable t(p);
  const Handle a = t.add(spec(0x1001, false, {10, 0, 1, 2}, true, 0x5A)).handle;
  ASSERT_EQ(a, 1u) << "slot 0, generation 0, tag bit";
  const Handle b = t.add(spec(0x1002, true, {10, 0, 1, 3}, false, 0x5A)).handle;
  t.update_sequence_high(a, ndis::IPsecOffloadV2Esp, 0x1001, 3);
  t.request_delete(b);
  const std::string expected =
      "SA table: 2 bundle(s), inbound 1, outbound 1\n"
      "  pool total_bundles 2/4\n"
      "  pool inbound_destination_addresses 1/2\n"
      "  bundle 0x00000001 slot 0 outbound ipv4 10.0.0.1 -> 10.0.1.2 udp-esp NONE\n"
      "    sa[0] ESP spi 0x00001001 auth - enc AES_GCM_128 icv 16 esn high 0x00000003\n"
      "  bundle 0x00000003 slot 1 inbound ipv4 10.0.0.1 -> 10.0.1.3 udp-esp NONE delete-requested\n"
      "    sa[0] ESP spi 0x00001002 auth - enc AES_GCM_128 icv 16 no-esn\n";
  EXPECT_EQ(t.dump_text(), expected);
  EXPECT_EQ(t.dump_text().find("5a5a"), std::string::npos);
  EXPECT_EQ(t.dump_json().find("5a5a"), std::string::npos);
}

TEST(SaTableDump, JsonIsValidAndComplete) {
  SaTable t(pools(4));
  const Handle a = t.add(spec(0xDEAD, true, {0, 0, 0, 0}, true)).handle;
  t.add(spec_v6(0xBEEF, {0x20, 0x01, 0x0d, 0xb8, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1}));
  auto j = nlohmann::json::parse(t.dump_json());
  EXPECT_EQ(j["bundle_count"], 2);
  EXPECT_EQ(j["inbound_count"], 2);
  ASSERT_EQ(j["pools"].size(), 1u);
  EXPECT_EQ(j["pools"][0]["name"], "total_bundles");
  EXPECT_EQ(j["pools"][0]["limit"], 4);
  ASSERT_EQ(j["bundles"].size(), 2u);
  EXPECT_EQ(j["bundles"][0]["handle"], "0x0000000" + std::to_string(a));
  EXPECT_EQ(j["bundles"][0]["destination"], "0.0.0.0");
  EXPECT_EQ(j["bundles"][0]["sas"][0]["spi"], "0x0000dead");
  EXPECT_EQ(j["bundles"][0]["sas"][0]["esn"], true);
  EXPECT_TRUE(j["bundles"][0]["sas"][0]["authentication"].is_null());
  EXPECT_EQ(j["bundles"][0]["sas"][0]["encryption"], "AES_GCM_128");
  EXPECT_EQ(j["bundles"][1]["ip_version"], 6);
  EXPECT_EQ(j["bundles"][1]["destination"], "2001:db8::1");
  EXPECT_EQ(j["bundles"][1]["source"], "2001::");
}

TEST(SaTableDump, EqualHistoriesGiveEqualDumps) {
  auto build = [] {
    auto t = std::make_unique<SaTable>(pools(64));
    std::vector<Handle> hs;
    for (uint32_t i = 0; i < 40; ++i) hs.push_back(t->add(spec(i + 1, i % 3 == 0)).handle);
    for (uint32_t i = 0; i < 40; i += 4) t->remove(hs[i]);
    for (uint32_t i = 0; i < 10; ++i) t->add(spec(100 + i, false));
    return t;
  };
  EXPECT_EQ(build()->dump_json(), build()->dump_json());
  EXPECT_EQ(build()->dump_text(), build()->dump_text());
}

TEST(SaTableMemory, BytesPerBundleWithinBudget) {
  SaTable t(pools(65536));
  for (uint32_t i = 0; i < 65536; ++i) ASSERT_NE(t.add(spec(i + 1, i % 2 == 0)).handle, kNullHandle);
  const double per = static_cast<double>(t.memory_bytes()) / 65536.0;
  EXPECT_LT(per, 512.0) << "bytes per bundle including keys";
  EXPECT_GT(per, static_cast<double>(sizeof(ndis::BundleSpec))) << "must count the entries";
}

}  // namespace
}  // namespace cts::sa
