// softnic_full_test.cpp — the SOFTNIC_FULL build (softnic-full) through its function table: the
// capability report, and UDP-encapsulated ESP (RFC 3948), which no case of the library can frame
// yet. Every other algorithm softnic-full advertises is judged against the oracle by the case
// library (suite.softnic_full, mutants.zoo).
//
// Expected values come from RFC 3948 and RFC 768: the UDP checksum is recomputed here with an
// independent one's-complement sum over the pseudo-header.
#include "duts/softnic/softnic_test_support.h"

namespace {

using namespace softnic_test;

constexpr uint32_t kUdpTransport = 0x1u;
constexpr uint32_t kUdpTunnel = 0x2u;
constexpr uint32_t kCryptoInvalidProtocol = 7;
const Bytes kSrc = {10, 0, 0, 1};
const Bytes kDst = {10, 0, 0, 2};

// RFC 768: one's-complement sum of pseudo-header (src, dst, 0, 17, length) and datagram.
uint16_t udp4_checksum(const Bytes& frame) {
  const size_t ip = 14;
  const size_t udp = ip + 20;
  const size_t len = frame.size() - udp;
  uint32_t sum = 0;
  auto add16 = [&](uint32_t v) { sum += v; };
  for (size_t i = 0; i < 8; i += 2) add16(static_cast<uint32_t>((frame[ip + 12 + i] << 8) | frame[ip + 13 + i]));
  add16(17);
  add16(static_cast<uint32_t>(len));
  for (size_t i = 0; i < len; i += 2) {
    const uint32_t hi = frame[udp + i];
    const uint32_t lo = i + 1 < len ? frame[udp + i + 1] : 0;
    add16((hi << 8) | lo);
  }
  while (sum >> 16) sum = (sum & 0xFFFFu) + (sum >> 16);
  return static_cast<uint16_t>(sum);  // 0xFFFF when the checksum in place is right
}

Bytes udp_esp(const Bytes& esp, uint16_t checksum) {
  const size_t len = 8 + esp.size();
  Bytes udp = {0x11, 0x94, 0x11, 0x94, static_cast<uint8_t>(len >> 8), static_cast<uint8_t>(len),
               static_cast<uint8_t>(checksum >> 8), static_cast<uint8_t>(checksum)};
  return concat({udp, esp});
}

BundleDesc udp_bundle(bool in, uint32_t type, uint32_t spi) {
  BundleDesc d = in ? inbound(gcm128(spi)) : outbound(gcm128(spi));
  d.src = kSrc;
  d.dst = kDst;
  d.udp_esp = type;
  return d;
}

TEST_F(Softnic, FullAdvertisesEveryAlgorithmAndUdpEsp) {
  ipsec_cts_capabilities caps{};
  caps.struct_size = sizeof(caps);
  ASSERT_EQ(vt_->query_capabilities(dut_, &caps), IPSEC_CTS_OK);
  EXPECT_STREQ(vt_->name, "softnic-full");
  uint32_t auth = 0, enc = 0, udp = 0;
  std::memcpy(&udp, caps.ipsec_offload_v2 + 16, 4);   // UdpEsp (3.2)
  std::memcpy(&auth, caps.ipsec_offload_v2 + 20, 4);  // AuthenticationAlgorithms
  std::memcpy(&enc, caps.ipsec_offload_v2 + 24, 4);   // EncryptionAlgorithms
  EXPECT_EQ(auth, 0x3Fu) << "MD5, SHA-1, SHA-256, AES-GMAC-128/192/256";
  EXPECT_EQ(enc, 0x1FFu) << "NONE, DES, 3DES, AES-GCM-128/192/256, AES-CBC-128/192/256";
  EXPECT_EQ(udp, kUdpTransport | kUdpTunnel);
}

TEST_F(Softnic, FullUdpEspSendFixesTheChecksumAndReceiveDecrypts) {
  const uint64_t out = add(udp_bundle(false, kUdpTransport, 0x2001));
  add(udp_bundle(true, kUdpTransport, 0x2001));
  const Bytes payload = repeat(0x42, 37);
  const Bytes esp = esp_framed(0x2001, 7, 8, payload, 17, 4, 16);
  const Bytes framed = ipv4_frame(kSrc, kDst, udp_esp(esp, 0x1234), 17);
  const SendResult tx = send(framed, out, esp_offset_units(28) | 17u);
  ASSERT_EQ(tx.completion, kSuccess) << last_error();
  const Bytes& wire = tx.frames.at(0);
  EXPECT_EQ(udp4_checksum(wire), 0xFFFFu) << "a non-zero UDP checksum is recomputed (RFC 3948 §2.1)";
  EXPECT_NE(to_hex(&wire[42 + 16], payload.size()), to_hex(payload)) << "encrypted";

  const RecvResult rx = receive(wire);
  EXPECT_EQ(rx.indicated, 1u);
  EXPECT_EQ(rx.info, kRecvCryptoDone) << "CryptoDone, CRYPTO_SUCCESS";
  EXPECT_EQ(to_hex(&rx.frame[42 + 16], payload.size()), to_hex(payload));
  EXPECT_EQ(rx.header, 17u | (1u << 8) | kHdrInfoSet) << "Next Header 17, Pad Length 1";

  // A zero IPv4 UDP checksum stays zero.
  const SendResult zero = send(ipv4_frame(kSrc, kDst, udp_esp(esp, 0), 17), out,
                               esp_offset_units(28) | 17u);
  ASSERT_EQ(zero.completion, kSuccess) << last_error();
  EXPECT_EQ(zero.frames.at(0)[40], 0u);
  EXPECT_EQ(zero.frames.at(0)[41], 0u);
}

TEST_F(Softnic, FullUdpEspShapesOnReceive) {
  add(udp_bundle(true, kUdpTransport, 0x3001));
  BundleDesc plain = inbound(gcm128(0x3002));
  plain.src = kSrc;
  plain.dst = kDst;
  add(plain);
  const Bytes esp1 = esp_framed(0x3001, 1, 8, repeat(1, 16), 17, 4, 16);
  const Bytes esp2 = esp_framed(0x3002, 1, 8, repeat(1, 16), 17, 4, 16);

  // IKE (non-ESP marker) and NAT keepalives on port 4500 are no ESP (UDP-002).
  const Bytes ike = ipv4_frame(kSrc, kDst, udp_esp(concat({repeat(0, 4), repeat(9, 20)}), 0), 17);
  EXPECT_EQ(receive(ike).info, 0u);
  const Bytes keepalive = ipv4_frame(kSrc, kDst, udp_esp({0xFF}, 0), 17);
  EXPECT_EQ(receive(keepalive).info, 0u);
  // Plain ESP for the UDP transport SA, and UDP-ESP for the plain SA: the wrong protocol.
  RecvResult r = receive(ipv4_frame(kSrc, kDst, esp1));
  EXPECT_EQ(r.info & kRecvCryptoDone, kRecvCryptoDone);
  EXPECT_EQ(r.crypto_status(), kCryptoInvalidProtocol);
  r = receive(ipv4_frame(kSrc, kDst, udp_esp(esp2, 0), 17));
  EXPECT_EQ(r.crypto_status(), kCryptoInvalidProtocol);
  // A tampered packet on a UDP tunnel SA fails as the tunnel portion (its declared mode).
  add(udp_bundle(true, kUdpTunnel, 0x3003));
  Bytes bad = ipv4_frame(kSrc, kDst, udp_esp(esp_framed(0x3003, 1, 8, repeat(1, 16), 17, 4, 16), 0), 17);
  bad.back() ^= 1;
  EXPECT_EQ(receive(bad).crypto_status(), kCryptoTunnelEspAuthFailed);
}

TEST_F(Softnic, FullUdpEspOnAPlainSaIsRefusedOnSend) {
  BundleDesc d = outbound(gcm128(0x4001));
  d.src = kSrc;
  d.dst = kDst;
  const uint64_t h = add(d);
  const Bytes esp = esp_framed(0x4001, 1, 8, repeat(1, 16), 17, 4, 16);
  EXPECT_EQ(send(ipv4_frame(kSrc, kDst, udp_esp(esp, 0), 17), h, esp_offset_units(28) | 17u).completion,
            kFailure);
}

}  // namespace
