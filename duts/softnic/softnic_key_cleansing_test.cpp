// softnic wipes key material when an SA is deleted, the device reset or closed, observed: every
// OpenSSL block (EVP cipher contexts with their key schedules, HMAC contexts) is freed through
// freed_memory_watch, which counts freed blocks that still hold an SA's key, and the deleted
// SA's slot in the bundle table (which stays allocated) is read back for the GCM salt. Its own
// executable, because it replaces the global operator new/delete.
#define CTS_FREED_MEMORY_WATCH_MAIN
#include "oracle/crypto/freed_memory_watch.h"

#include <openssl/crypto.h>

#include "duts/softnic/softnic_test_support.h"

extern "C" {
#include "duts/softnic/softnic_device.h"
}

namespace softnic_test {
namespace {

namespace watch = cts::freed_memory_watch;

const Bytes kGcmKey = hex("e42b915f08cd73a63cf912876eb045da");
const Bytes kSalt = hex("d15a7c3e");
const Bytes kCbcKey = hex("c37e19a45d882fe19406bb713ad26c8f");
const Bytes kHmacKey = hex("5be8239c47f10ad6613ea914c7822df5984b701e");

class SoftnicKeyCleansing : public Softnic {
 protected:
  static void SetUpTestSuite() {
    watch::watch(kGcmKey.data(), kGcmKey.size());
    watch::watch(kCbcKey.data(), kCbcKey.size());
    watch::watch(kHmacKey.data(), kHmacKey.size());
  }
  void TearDown() override {
    watch::disarm();
    Softnic::TearDown();
  }
  // Outbound and inbound GCM and CBC+HMAC-SHA1 bundles; returns their handles.
  std::vector<uint64_t> add_all() {
    std::vector<uint64_t> handles;
    Bytes gcm_key = concat({kGcmKey, kSalt});
    handles.push_back(add(outbound(gcm128(0x7002, gcm_key))));
    handles.push_back(add(inbound(gcm128(0x7002, gcm_key))));
    handles.push_back(add(outbound(cbc_hmac(0x7001, kAuthSha1, kCbcKey, kHmacKey))));
    handles.push_back(add(inbound(cbc_hmac(0x7001, kAuthSha1, kCbcKey, kHmacKey))));
    OPENSSL_cleanse(gcm_key.data(), gcm_key.size());
    // softnic keys an SA's OpenSSL contexts on its first packet; key them all now, as traffic
    // would, so the contexts' key schedules are there to be wiped.
    for (uint32_t i = 0; i < dut_->table.total_capacity; ++i) {
      softnic_bundle& b = dut_->table.bundles[i];
      if (!b.in_use) continue;
      if (b.has_esp) {
        EXPECT_EQ(softnic_esp_sa_key(&b.esp), 0);
      }
      if (b.has_ah) {
        EXPECT_EQ(softnic_esp_sa_key(&b.ah), 0);
      }
    }
    return handles;
  }
  // Whether any slot of the bundle table (allocated for the device's life) holds these bytes.
  bool table_holds(const Bytes& secret) const {
    const auto* bytes = reinterpret_cast<const uint8_t*>(dut_->table.bundles);
    const size_t size = sizeof(softnic_bundle) * dut_->table.total_capacity;
    return std::search(bytes, bytes + size, secret.begin(), secret.end()) != bytes + size;
  }
  bool table_holds_salt() const { return table_holds(kSalt); }
  // The SAs' keys wait in their slots for the first packet: a deleted SA must leave none.
  bool table_holds_a_key() const { return table_holds(kGcmKey) || table_holds(kCbcKey) || table_holds(kHmacKey); }
};

TEST_F(SoftnicKeyCleansing, TheWatchSeesAKeyFreedWithoutCleansing) {
  watch::arm();
  void* copy = OPENSSL_memdup(kHmacKey.data(), kHmacKey.size());
  OPENSSL_free(copy);
  EXPECT_EQ(watch::hits(), 1u);
  add_all();
  EXPECT_TRUE(table_holds_salt()) << "the salt is not where this test reads it";
  EXPECT_TRUE(table_holds_a_key()) << "the keys are not where this test reads them";
}

TEST_F(SoftnicKeyCleansing, DeleteSaWipesTheSlotAndTheKeySchedules) {
  // The test's own key constants are live blocks too; the device must add none to them.
  const size_t own_copies = watch::live_blocks_holding_watched();
  const auto handles = add_all();
  ASSERT_EQ(handles.size(), 4u);
  watch::arm();
  remove(handles);
  EXPECT_GT(watch::freed_blocks(), 0u) << "deleting four SAs freed no OpenSSL block";
  EXPECT_EQ(watch::hits(), 0u) << "freed OpenSSL blocks still holding key bytes after DELETE_SA";
  EXPECT_EQ(watch::live_blocks_holding_watched(), own_copies) << "live OpenSSL blocks still hold a deleted SA's key";
  EXPECT_FALSE(table_holds_salt()) << "a deleted SA's slot still holds its GCM salt";
  EXPECT_FALSE(table_holds_a_key()) << "a deleted SA's slot still holds a key";
}

TEST_F(SoftnicKeyCleansing, ResetWipesEverySa) {
  add_all();
  watch::arm();
  ASSERT_EQ(vt_->reset(dut_), IPSEC_CTS_OK);
  EXPECT_GT(watch::freed_blocks(), 0u);
  EXPECT_EQ(watch::hits(), 0u) << "freed OpenSSL blocks still holding key bytes after reset";
  EXPECT_FALSE(table_holds_salt());
  EXPECT_FALSE(table_holds_a_key());
}

TEST_F(SoftnicKeyCleansing, CloseWithLiveSasFreesNoKey) {
  add_all();
  watch::arm();
  vt_->close(dut_);
  dut_ = nullptr;
  EXPECT_GT(watch::freed_blocks(), 0u);
  EXPECT_EQ(watch::hits(), 0u) << "freed OpenSSL blocks still holding key bytes after close";
}

}  // namespace
}  // namespace softnic_test
