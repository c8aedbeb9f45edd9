// Keys cleansed on SA delete and on device close/reset, observed: this executable frees every
// block (C++ and OpenSSL: EVP contexts, key schedules, HMAC state, ipsec-mb key data) through
// freed_memory_watch, which counts freed blocks that still hold an SA's key bytes. Its own
// executable, because it replaces the global operator new/delete.
#define CTS_FREED_MEMORY_WATCH_MAIN
#include "oracle/crypto/freed_memory_watch.h"

#include <gtest/gtest.h>

#include "oracle/esp/ip_fixup.h"
#include "oracle/ndis/codec.h"
#include "oracle/oracle.h"

namespace cts {
namespace {

namespace watch = freed_memory_watch;
using namespace cts::ndis;

// Distinctive key bytes that occur nowhere else in the process.
constexpr uint8_t kCipherKey[16] = {0xc3, 0x7e, 0x19, 0xa4, 0x5d, 0x88, 0x2f, 0xe1,
                                    0x94, 0x06, 0xbb, 0x71, 0x3a, 0xd2, 0x6c, 0x8f};
constexpr uint8_t kAuthKey[20] = {0x5b, 0xe8, 0x23, 0x9c, 0x47, 0xf1, 0x0a, 0xd6, 0x61, 0x3e,
                                  0xa9, 0x14, 0xc7, 0x82, 0x2d, 0xf5, 0x98, 0x4b, 0x70, 0x1e};
constexpr uint8_t kGcmKey[16] = {0xe4, 0x2b, 0x91, 0x5f, 0x08, 0xcd, 0x73, 0xa6,
                                 0x3c, 0xf9, 0x12, 0x87, 0x6e, 0xb0, 0x45, 0xda};

AddSaElement element(uint32_t spi, bool inbound, bool gcm) {
  AddSaElement e;
  e.flags = inbound ? IPSEC_OFFLOAD_V2_INBOUND : 0;
  e.endpoints = Endpoints::ipv4({10, 0, 0, 1}, {10, 0, 0, 2});
  e.sec_assoc[0].operation = IPsecOffloadV2Esp;
  e.sec_assoc[0].spi = spi;
  if (gcm) {
    e.sec_assoc[0].encryption = {IPSEC_OFFLOAD_V2_ENCRYPTION_AES_GCM_128, 20, 0, 16};
    e.key_data.assign(kGcmKey, kGcmKey + 16);
    e.key_data.insert(e.key_data.end(), {0x11, 0x22, 0x33, 0x44});  // salt
  } else {
    e.sec_assoc[0].encryption = {IPSEC_OFFLOAD_V2_ENCRYPTION_AES_CBC_128, 16, 0, 0};
    e.sec_assoc[0].authentication = {IPSEC_OFFLOAD_V2_AUTHENTICATION_SHA_1, 20, 16, 0};
    e.key_data.assign(kCipherKey, kCipherKey + 16);
    e.key_data.insert(e.key_data.end(), kAuthKey, kAuthKey + 20);
  }
  return e;
}

// Ethernet + IPv4 + ESP as the transport frames it (IV and ICV placeholders), 16 payload octets.
std::vector<uint8_t> framed(uint32_t spi, size_t iv_len, size_t icv_len) {
  std::vector<uint8_t> ip = {0x45, 0, 0, 0, 0, 1, 0x40, 0, 64, 50, 0, 0, 10, 0, 0, 1, 10, 0, 0, 2};
  const uint8_t esp[] = {static_cast<uint8_t>(spi >> 24), static_cast<uint8_t>(spi >> 16),
                         static_cast<uint8_t>(spi >> 8), static_cast<uint8_t>(spi), 0, 0, 0, 1};
  ip.insert(ip.end(), esp, esp + 8);
  ip.insert(ip.end(), iv_len, 0);
  const uint8_t body[] = {0x13, 0x88, 0x13, 0x88, 0, 12, 0, 0, 'p', 'i', 'n', 'g', 1, 2, 2, 17};
  ip.insert(ip.end(), body, body + sizeof body);
  ip.insert(ip.end(), icv_len, 0);
  EXPECT_TRUE(esp::finalize_ip_header(ip, 4, 9, 50, static_cast<uint32_t>(ip.size())));
  std::vector<uint8_t> f = {2, 0, 0, 0, 0, 2, 2, 0, 0, 0, 0, 1, 0x08, 0x00};
  f.insert(f.end(), ip.begin(), ip.end());
  return f;
}

// A test's own buffer holds the keys too; it is wiped before the test lets go of it.
void wipe(std::vector<uint8_t>& buffer) { OPENSSL_cleanse(buffer.data(), buffer.size()); }

class OracleKeyCleansing : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    watch::watch(kCipherKey, sizeof kCipherKey);
    watch::watch(kAuthKey, sizeof kAuthKey);
    watch::watch(kGcmKey, sizeof kGcmKey);
  }
  void SetUp() override {
    ASSERT_TRUE(cts_openssl_watch_installed)
        << "OpenSSL allocated before main; its frees would not be observed";
  }
  void TearDown() override { watch::disarm(); }

  // Adds a CBC+HMAC and a GCM pair, sends one packet on each outbound SA (so every lazily keyed
  // context exists), and returns the ADD_SA buffer (keys wiped, handles kept).
  std::vector<uint8_t> add_pairs(Oracle& oracle) {
    AddSaRequest req;
    req.elements = {element(0x7001, false, false), element(0x7001, true, false),
                    element(0x7002, false, true), element(0x7002, true, true)};
    std::vector<uint8_t> buf = encode_add_sa(req, Abi::x64, {});
    for (auto& e : req.elements) OPENSSL_cleanse(e.key_data.data(), e.key_data.size());
    const sa::OidResult r = oracle.set_oid(OID_TCP_TASK_IPSEC_OFFLOAD_V2_ADD_SA, buf, Abi::x64);
    EXPECT_EQ(r.status, NDIS_STATUS_SUCCESS) << r.message;
    const auto offs = list_element_offsets(buf, OID_TCP_TASK_IPSEC_OFFLOAD_V2_ADD_SA, Abi::x64, {});
    handles_.clear();
    for (size_t at : offs) {
      uint64_t h = 0;
      const size_t p = at + offload_handle_offset(OID_TCP_TASK_IPSEC_OFFLOAD_V2_ADD_SA, Abi::x64);
      for (size_t i = 0; i < 8; ++i) h |= uint64_t{buf[p + i]} << (8 * i);
      handles_.push_back(h);
    }
    wipe(buf);
    // One packet out and back on each pair, so every lazily keyed context exists.
    const struct { uint64_t out; uint32_t spi; size_t iv, icv; } pairs[] = {
        {handles_.at(0), 0x7001, 16, 12}, {handles_.at(2), 0x7002, 8, 16}};
    for (const auto& p : pairs) {
      SendOob oob;
      oob.offload_handle = p.out;
      const SendResult sent = oracle.send(framed(p.spi, p.iv, p.icv), oob);
      EXPECT_EQ(sent.completion_status, NDIS_STATUS_SUCCESS) << sent.note;
      if (!sent.frames.empty()) {
        EXPECT_TRUE(oracle.receive(sent.frames[0]).indicated);
      }
    }
    return buf;
  }

  std::vector<uint64_t> handles_;
};

TEST_F(OracleKeyCleansing, TheWatchSeesAKeyFreedWithoutCleansing) {
  // The test must be able to fail: a plain copy of a key, freed as it is, is a hit, and a live
  // one is found among the live blocks.
  watch::arm();
  {
    auto* copy = new std::vector<uint8_t>(kCipherKey, kCipherKey + sizeof kCipherKey);
    EXPECT_EQ(watch::live_blocks_holding_watched(), 1u);
    delete copy;
  }
  EXPECT_EQ(watch::hits(), 1u);
  EXPECT_EQ(watch::live_blocks_holding_watched(), 0u);
  watch::arm();
  {
    void* openssl_copy = OPENSSL_memdup(kAuthKey, sizeof kAuthKey);
    OPENSSL_free(openssl_copy);
  }
  EXPECT_EQ(watch::hits(), 1u);
}

TEST_F(OracleKeyCleansing, DeleteSaLeavesNoKeyInFreedMemory) {
  Oracle oracle(sa::softnic_profile());
  add_pairs(oracle);
  watch::arm();
  DeleteSaRequest del;
  for (uint64_t h : handles_) del.elements.push_back({{}, h});
  std::vector<uint8_t> dbuf = encode_delete_sa(del, Abi::x64, {});
  ASSERT_EQ(oracle.set_oid(OID_TCP_TASK_IPSEC_OFFLOAD_V2_DELETE_SA, dbuf, Abi::x64).status,
            NDIS_STATUS_SUCCESS);
  EXPECT_EQ(oracle.table().size(), 0u);
  EXPECT_GT(watch::freed_blocks(), 0u) << "deleting four SAs freed nothing: the watch saw no frees";
  EXPECT_EQ(watch::hits(), 0u) << "freed blocks still holding key bytes after DELETE_SA";
  // The SA table keeps its slots for the next add: a deleted SA's key must not stay in one.
  EXPECT_EQ(watch::live_blocks_holding_watched(), 0u) << "live blocks (a table slot?) still hold a deleted SA's key";
}

TEST_F(OracleKeyCleansing, ResetAndDestructionLeaveNoKeyInFreedMemory) {
  {
    Oracle oracle(sa::softnic_profile());
    add_pairs(oracle);
    watch::arm();
    oracle.reset();
    EXPECT_EQ(watch::hits(), 0u) << "freed blocks still holding key bytes after reset";
    EXPECT_EQ(watch::live_blocks_holding_watched(), 0u) << "live blocks still hold a key after reset";
    add_pairs(oracle);
    watch::arm();
  }  // the device closed with live SAs
  EXPECT_GT(watch::freed_blocks(), 0u);
  EXPECT_EQ(watch::hits(), 0u) << "freed blocks still holding key bytes after the oracle closed";
}

}  // namespace
}  // namespace cts
