// cts::Oracle facade: one object from profile to wire — OID buffers in, handles written back, a
// framed send encrypted, the same packet received and decrypted, dumps, SaDeleteReq, reset.
#include "oracle/oracle.h"

#include <gtest/gtest.h>

#include <nlohmann/json.hpp>

#include "oracle/crypto/bytes.h"
#include "oracle/esp/ip_fixup.h"
#include "oracle/esp/nic_model.h"
#include "oracle/ndis/codec.h"

namespace cts {
namespace {

using namespace cts::ndis;

AddSaElement gcm(uint32_t spi, bool inbound) {
  AddSaElement e;
  e.flags = inbound ? IPSEC_OFFLOAD_V2_INBOUND : 0;
  e.endpoints = Endpoints::ipv4({10, 0, 0, 1}, {10, 0, 0, 2});
  e.sec_assoc[0].operation = IPsecOffloadV2Esp;
  e.sec_assoc[0].spi = spi;
  e.sec_assoc[0].flags = IPSEC_OFFLOAD_V2_ESN_SA;
  e.sec_assoc[0].sequence_number_high_order = 3;
  e.sec_assoc[0].encryption = {IPSEC_OFFLOAD_V2_ENCRYPTION_AES_GCM_256, 36, 0, 16};
  for (uint8_t i = 0; i < 36; ++i) e.key_data.push_back(static_cast<uint8_t>(0x40 + i));
  return e;
}

uint64_t handle_at(const std::vector<uint8_t>& buf, size_t element, Abi abi) {
  const auto offs = list_element_offsets(buf, OID_TCP_TASK_IPSEC_OFFLOAD_V2_ADD_SA, abi, {});
  const size_t at = offs.at(element) + offload_handle_offset(OID_TCP_TASK_IPSEC_OFFLOAD_V2_ADD_SA, abi);
  uint64_t h = 0;
  for (size_t i = 0; i < pointer_size(abi); ++i) h |= uint64_t{buf[at + i]} << (8 * i);
  return h;
}

// Ethernet + IPv4 + ESP framed by the transport: SPI, sequence number, IV placeholder, a 12-byte
// UDP payload, padding 1,2 + Pad Length 2 + Next Header 17, ICV placeholder.
std::vector<uint8_t> framed(uint32_t spi, uint32_t seq) {
  std::vector<uint8_t> ip = {0x45, 0, 0, 0, 0, 1, 0x40, 0, 64, 50, 0, 0, 10, 0, 0, 1, 10, 0, 0, 2};
  const uint8_t esp[] = {static_cast<uint8_t>(spi >> 24), static_cast<uint8_t>(spi >> 16),
                         static_cast<uint8_t>(spi >> 8), static_cast<uint8_t>(spi),
                         static_cast<uint8_t>(seq >> 24), static_cast<uint8_t>(seq >> 16),
                         static_cast<uint8_t>(seq >> 8), static_cast<uint8_t>(seq)};
  ip.insert(ip.end(), esp, esp + 8);
  ip.insert(ip.end(), 8, 0);  // IV
  const uint8_t body[] = {0x13, 0x88, 0x13, 0x88, 0, 12, 0, 0, 'p', 'i', 'n', 'g', 1, 2, 2, 17};
  ip.insert(ip.end(), body, body + sizeof body);
  ip.insert(ip.end(), 16, 0);  // ICV
  EXPECT_TRUE(esp::finalize_ip_header(ip, 4, 9, 50, static_cast<uint32_t>(ip.size())));
  static constexpr uint8_t kEthernet[14] = {2, 0, 0, 0, 0, 2, 2, 0, 0, 0, 0, 1, 0x08, 0x00};
  std::vector<uint8_t> f(sizeof kEthernet + ip.size());
  std::copy(std::begin(kEthernet), std::end(kEthernet), f.begin());
  std::copy(ip.begin(), ip.end(), f.begin() + sizeof kEthernet);
  return f;
}

TEST(Oracle, EndToEndAddSendReceiveDelete) {
  Oracle oracle(sa::softnic_profile());
  EXPECT_EQ(oracle.capabilities().sa_offload_capacity, 2048u);
  AddSaRequest req;
  req.elements = {gcm(0x5001, false), gcm(0x5001, true)};
  for (Abi abi : {Abi::x64, Abi::x86}) {
    std::vector<uint8_t> buf = encode_add_sa(req, abi, {});
    const sa::OidResult r = oracle.set_oid(OID_TCP_TASK_IPSEC_OFFLOAD_V2_ADD_SA, buf, abi);
    ASSERT_EQ(r.status, NDIS_STATUS_SUCCESS) << r.message;
    const uint64_t out = handle_at(buf, 0, abi);
    ASSERT_NE(out, 0u);
    SendOob oob;
    oob.offload_handle = out;
    const std::vector<uint8_t> plain = framed(0x5001, 7);
    const SendResult sent = oracle.send(plain, oob);
    ASSERT_EQ(sent.completion_status, NDIS_STATUS_SUCCESS) << sent.note;
    ASSERT_EQ(sent.frames.size(), 1u);
    EXPECT_NE(sent.frames[0], plain);
    // GCM IV = the 64-bit sequence number 3:7 (OQ-16).
    EXPECT_EQ(crypto::to_hex(std::span<const uint8_t>(sent.frames[0]).subspan(14 + 28, 8)), "0000000300000007");
    const ReceiveResult got = oracle.receive(sent.frames[0]);
    EXPECT_TRUE(got.indicated);
    EXPECT_EQ(got.oob.ipsec_info, 0x2u) << got.note;
    EXPECT_EQ(got.oob.header_info, 17u | (2u << 8) | 0x10000u);
    // Decrypted in place: everything but the IV and ICV is the framed packet again (OQ-15).
    std::vector<uint8_t> expect = plain;
    std::copy(sent.frames[0].begin() + 42, sent.frames[0].begin() + 50, expect.begin() + 42);
    std::copy(sent.frames[0].end() - 16, sent.frames[0].end(), expect.end() - 16);
    EXPECT_EQ(got.frame, expect);
    // SaDeleteReq (RECV-018).
    EXPECT_EQ(oracle.request_sa_delete(0x5001), 1u);
    EXPECT_EQ(oracle.receive(sent.frames[0]).oob.ipsec_info, 0x3u);
    // Delete both; the handle is dead for the datapath (SEND-006).
    DeleteSaRequest del;
    del.elements = {{{}, handle_at(buf, 0, abi)}, {{}, handle_at(buf, 1, abi)}};
    std::vector<uint8_t> dbuf = encode_delete_sa(del, abi, {});
    EXPECT_EQ(oracle.set_oid(OID_TCP_TASK_IPSEC_OFFLOAD_V2_DELETE_SA, dbuf, abi).status, NDIS_STATUS_SUCCESS);
    EXPECT_EQ(oracle.send(plain, oob).completion_status, NDIS_STATUS_FAILURE);
    EXPECT_EQ(oracle.receive(sent.frames[0]).oob.ipsec_info, 0u);
    EXPECT_EQ(oracle.table().size(), 0u);
  }
}

TEST(Oracle, DumpsAndResetAndSeedReproducibility) {
  auto run = [](uint64_t seed) {
    OracleOptions o;
    o.iv_seed = seed;
    Oracle oracle(sa::full_profile(), o);
    AddSaElement e = gcm(0x7001, false);
    e.sec_assoc[0].encryption = {IPSEC_OFFLOAD_V2_ENCRYPTION_AES_CBC_128, 16, 0, 0};
    e.sec_assoc[0].authentication = {IPSEC_OFFLOAD_V2_AUTHENTICATION_SHA_1, 20, 16, 0};
    AddSaExRequest req;
    req.element = e;
    std::vector<uint8_t> buf = encode_add_sa_ex(req, Abi::x64);
    EXPECT_EQ(oracle.set_oid(OID_TCP_TASK_IPSEC_OFFLOAD_V2_ADD_SA_EX, buf, Abi::x64).status, NDIS_STATUS_SUCCESS);
    uint64_t h = 0;
    for (size_t i = 0; i < 8; ++i) h |= uint64_t{buf[48 + i]} << (8 * i);  // x64 ADD_SA_EX OffloadHandle at 48
    SendOob oob;
    oob.offload_handle = h;
    // CBC framing: 16-byte IV, body padded to the AES block (16): 12 payload + 2 pad + 2.
    std::vector<uint8_t> f = framed(0x7001, 1);
    f.insert(f.begin() + 42, 8, 0);      // IV grows from 8 to 16
    f.erase(f.end() - 4, f.end());       // ICV shrinks from 16 to 12
    std::vector<uint8_t> ip(f.begin() + 14, f.end());
    EXPECT_TRUE(esp::finalize_ip_header(ip, 4, 9, 50, static_cast<uint32_t>(ip.size())));
    std::copy(ip.begin(), ip.end(), f.begin() + 14);
    const SendResult s = oracle.send(f, oob);
    EXPECT_EQ(s.completion_status, NDIS_STATUS_SUCCESS) << s.note;
    const std::string dump = oracle.dump_json();
    const auto j = nlohmann::json::parse(dump);
    EXPECT_EQ(j["bundle_count"], 1);
    EXPECT_EQ(j["bundles"][0]["sas"][0]["encryption"], "AES_CBC_128");
    EXPECT_NE(oracle.dump_text().find("spi 0x00007001"), std::string::npos);
    oracle.reset();
    EXPECT_EQ(oracle.table().size(), 0u);
    return s.frames.empty() ? std::vector<uint8_t>{} : s.frames[0];
  };
  const auto a = run(11), b = run(11), c = run(12);
  EXPECT_EQ(a, b) << "the same seed gives the same run, byte for byte";
  EXPECT_NE(a, c);
}

TEST(Oracle, UnknownOidAndFailedOidLeaveTheTable) {
  Oracle oracle(sa::softnic_profile());
  std::vector<uint8_t> junk(40, 0xAB);
  const std::string before = oracle.dump_text();
  EXPECT_EQ(oracle.set_oid(OID_TCP_OFFLOAD_PARAMETERS, junk, Abi::x64).status, NDIS_STATUS_INVALID_OID);
  EXPECT_TRUE(ndis_failed(oracle.set_oid(OID_TCP_TASK_IPSEC_OFFLOAD_V2_ADD_SA, junk, Abi::x64).status));
  EXPECT_EQ(oracle.dump_text(), before);
}

}  // namespace
}  // namespace cts

namespace cts {
namespace {

TEST(Oracle, LsoSendReturnsEverySegment) {
  Oracle oracle(sa::full_profile());
  AddSaExRequest req;
  req.element = gcm(0x6001, false);
  std::vector<uint8_t> buf = encode_add_sa_ex(req, Abi::x64);
  ASSERT_EQ(oracle.set_oid(OID_TCP_TASK_IPSEC_OFFLOAD_V2_ADD_SA_EX, buf, Abi::x64).status, NDIS_STATUS_SUCCESS);
  uint64_t h = 0;
  for (size_t i = 0; i < 8; ++i) h |= uint64_t{buf[48 + i]} << (8 * i);
  // IPv4 | ESP | IV room | TCP | 2500 bytes, MSS 1000 -> 3 segments.
  std::vector<uint8_t> ip = {0x45, 0, 0, 0, 0, 1, 0x40, 0, 64, 50, 0, 0, 10, 0, 0, 1, 10, 0, 0, 2};
  const uint8_t esp[16] = {0, 0, 0x60, 0x01, 0, 0, 0, 9};
  ip.insert(ip.end(), esp, esp + 16);
  const uint8_t tcp[20] = {0x1f, 0x90, 0x30, 0x39, 0, 0, 0, 1, 0, 0, 0, 1, 0x50, 0x10, 0x10, 0, 0, 0, 0, 0};
  ip.insert(ip.end(), tcp, tcp + 20);
  ip.resize(ip.size() + 2500, 0x5A);
  EXPECT_TRUE(esp::finalize_ip_header(ip, 4, 9, 50, static_cast<uint32_t>(ip.size())));
  static constexpr uint8_t kEthernet[14] = {2, 0, 0, 0, 0, 2, 2, 0, 0, 0, 0, 1, 0x08, 0x00};
  std::vector<uint8_t> frame(kEthernet, kEthernet + 14);
  frame.resize(14 + ip.size());
  std::copy(ip.begin(), ip.end(), frame.begin() + 14);
  SendOob oob;
  oob.offload_handle = h;
  oob.lso_mss = 1000;
  oob.header_info = 6;  // Next Header TCP
  const SendResult r = oracle.send(frame, oob);
  ASSERT_EQ(r.completion_status, NDIS_STATUS_SUCCESS) << r.note;
  EXPECT_EQ(r.frames.size(), 3u);
}

}  // namespace
}  // namespace cts
