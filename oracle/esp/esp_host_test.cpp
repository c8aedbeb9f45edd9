// EspHost: every ip-packet vector of esp-known-answers.json both directions, round trips over
// mode x IP version x UDP encapsulation x ESN (ESP and AH and the [ESP, AH] bundle), header
// fix-ups, tunnel rules, UDP demultiplexing, policy checks, tamper and truncation at the IP level,
// and a randomized robustness run.
#include "oracle/esp/esp_host.h"

#include <gtest/gtest.h>

#include <random>

#include "oracle/esp/host_test_support.h"
#include "oracle/esp/ip_fixup.h"

namespace cts::esp {
namespace {

using namespace testing;
using nlohmann::json;

const json& esp_vectors() {
  static const json doc = load_testdata("esp-known-answers.json");
  return doc.at("vectors");
}

HostSaParams esp_params_for(const json& v, uint64_t initial) {
  HostSaParams p;
  p.mode = v.at("mode") == "tunnel" ? IpsecMode::tunnel : IpsecMode::transport;
  p.esp = esp_config_of(v, initial);
  p.udp_encap = v.value("udp_encap", false);
  if (p.mode == IpsecMode::tunnel && v.at("expected").contains("ip_packet"))
    p.tunnel = tunnel_from_outer(hexfield(v.at("expected"), "ip_packet"));
  return p;
}

TEST(EspHostKnownAnswers, EveryIpPacketVectorBothDirections) {
  int protected_count = 0, unprotected_count = 0;
  for (const json& v : esp_vectors()) {
    if (v.at("category") != "ip-packet" || !v.at("expected").contains("ip_packet")) continue;
    const std::string name = v.at("name");
    SCOPED_TRACE(name);
    const uint64_t seq = hexnum(v, "seq");
    const auto plain = hexfield(v, "plain_ip_packet");
    const auto wire = hexfield(v.at("expected"), "ip_packet");
    const bool accept = v.at("expected_result") == "accept";
    if (accept) {
      auto host = make_host();
      HostSaId id = 0;
      ASSERT_TRUE(host->add_outbound(esp_params_for(v, seq - 1), id).ok());
      const auto iv = hexfield(v, "iv");
      ProtectOptions o;
      o.esp_iv = iv.empty() ? nullptr : iv.data();
      o.outer_ipv4_id = outer_id(wire);
      std::vector<uint8_t> out(wire.size() + 64);
      const ProtectResult r = host->protect(id, plain, out, o);
      ASSERT_TRUE(r.status.ok()) << host_verdict_name(r.status.verdict) << ": " << r.status.detail;
      out.resize(r.length);
      EXPECT_EQ(hexs(out), hexs(wire));
      EXPECT_EQ(r.esp_sequence, seq);
      ++protected_count;
    }
    auto rx = make_host();
    ASSERT_TRUE(rx->add_inbound(esp_params_for(v, 0)).ok());
    std::vector<uint8_t> back(wire.size());
    const UnprotectResult u = rx->unprotect(wire, back);
    if (accept) {
      ASSERT_TRUE(u.status.ok()) << host_verdict_name(u.status.verdict) << ": " << u.status.detail;
      back.resize(u.length);
      EXPECT_EQ(hexs(back), hexs(plain));
      EXPECT_EQ(u.esp_sequence, seq);
      EXPECT_EQ(u.next_header, v.at("inner").at("next_header").get<int>());
      EXPECT_EQ(u.udp_encapsulated, v.value("udp_encap", false));
    } else {
      EXPECT_EQ(v.at("expected_result"), "reject-integrity");
      EXPECT_EQ(u.status.verdict, HostVerdict::bad_icv);
      EXPECT_EQ(u.layer, IpsecLayer::esp);
    }
    ++unprotected_count;
  }
  EXPECT_EQ(protected_count, 19);
  EXPECT_EQ(unprotected_count, 20);
}

TEST(EspHostKnownAnswers, DummyPacketIsDroppedSilently) {
  for (const json& v : esp_vectors()) {
    if (v.value("expected_result", "") != "accept-then-discard-dummy") continue;
    // The ESP packet behind the outer header the vector notes give (checksum corrected to 0x4db1).
    auto pkt = hex("45000038698f000080324db1c0a80102c0a80101");
    const auto esp = hexfield(v.at("expected"), "esp_packet");
    pkt.insert(pkt.end(), esp.begin(), esp.end());
    ASSERT_TRUE(ipv4_header_checksum_ok(ConstBytes(pkt).first(20)));
    auto rx = make_host();
    ASSERT_TRUE(rx->add_inbound(esp_params_for(v, 0)).ok());
    std::vector<uint8_t> out(pkt.size());
    const UnprotectResult u = rx->unprotect(pkt, out);
    EXPECT_EQ(u.status.verdict, HostVerdict::dummy);
    EXPECT_FALSE(is_error(u.status.verdict));
    EXPECT_EQ(u.next_header, kProtoNoNextHeader);
  }
}

// ---------------------------------------------------------------------------------------------
// Plain packets for round trips.

std::vector<uint8_t> ipv4_udp(uint8_t tos = 0, size_t payload = 37) {
  std::vector<uint8_t> p = hex("450000000abc40004011000" "0c0000201c6336401");
  p[1] = tos;
  const std::vector<uint8_t> udp = {0x30, 0x39, 0x00, 0x35, 0, 0, 0, 0};
  p.insert(p.end(), udp.begin(), udp.end());
  for (size_t i = 0; i < payload; ++i) p.push_back(static_cast<uint8_t>(i * 7));
  wire::put16(&p[2], static_cast<uint16_t>(p.size()));
  wire::put16(&p[24], static_cast<uint16_t>(p.size() - 20));
  ipv4_refresh_checksum(MutableBytes(p).first(20));
  wire::put16(&p[26], l4_checksum(4, ip_addresses(p, 4), kProtoUdp, ConstBytes(p).subspan(20)));
  return p;
}

// IPv4 with Router Alert and NOP options, ICMP payload.
std::vector<uint8_t> ipv4_options_icmp() {
  std::vector<uint8_t> p = hex("4600000012340000400100000a0000010a0000029404000008000000000100016162636465666768");
  wire::put16(&p[2], static_cast<uint16_t>(p.size()));
  ipv4_refresh_checksum(MutableBytes(p).first(24));
  return p;
}

// IPv6: Hop-by-Hop (PadN), Destination Options (last, stays behind ESP/AH), UDP.
std::vector<uint8_t> ipv6_hbh_dst_udp(size_t payload = 29) {
  std::vector<uint8_t> p = hex("6000000000000040" "20010db8000000000000000000000001" "20010db8000000000000000000000002");
  const auto ext = hex("3c00010400000000" "1100010400000000");
  p.insert(p.end(), ext.begin(), ext.end());
  const std::vector<uint8_t> udp = {0x04, 0xd2, 0x16, 0x2e, 0, 0, 0, 0};
  p.insert(p.end(), udp.begin(), udp.end());
  for (size_t i = 0; i < payload; ++i) p.push_back(static_cast<uint8_t>(0xA0 + i));
  wire::put16(&p[4], static_cast<uint16_t>(p.size() - 40));
  wire::put16(&p[60], static_cast<uint16_t>(p.size() - 56));
  return p;
}

std::vector<EspSuite> round_trip_suites() {
  std::vector<EspSuite> out;
  for (const char* n : {"aes-128-gcm", "aes-256-gcm-icv12", "aes-128-cbc-hmac-sha1", "null-hmac-sha256",
                        "aes-128-gmac", "aes-256-cbc-hmac-sha256", "3des-cbc-hmac-md5"}) {
    EspSuite s;
    EXPECT_TRUE(parse_suite(n, s)) << n;
    out.push_back(s);
  }
  return out;
}

TunnelConfig tunnel_for(uint8_t version) {
  TunnelConfig t;
  t.outer_version = version;
  if (version == 4) {
    t.source = {198, 51, 100, 1};
    t.destination = {198, 51, 100, 2};
  } else {
    t.source = {0x20, 0x01, 0x0d, 0xb8, 0xff, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1};
    t.destination = {0x20, 0x01, 0x0d, 0xb8, 0xff, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 2};
  }
  return t;
}

struct Pair {
  std::unique_ptr<EspHost> tx, rx;
  HostSaId id = 0;
};

Pair make_pair(const HostSaParams& p) {
  Pair pr{make_host(11), make_host(12), 0};
  HostStatus s = pr.tx->add_outbound(p, pr.id);
  EXPECT_TRUE(s.ok()) << s.detail;
  s = pr.rx->add_inbound(p);
  EXPECT_TRUE(s.ok()) << s.detail;
  return pr;
}

// Protects `plain` three times and checks every packet comes back unchanged.
void round_trip(Pair& pr, const std::vector<uint8_t>& plain, uint64_t first_seq) {
  for (uint64_t k = 0; k < 3; ++k) {
    std::vector<uint8_t> wire(plain.size() + 200), back(plain.size() + 200);
    const ProtectResult r = pr.tx->protect(pr.id, plain, wire);
    ASSERT_TRUE(r.status.ok()) << host_verdict_name(r.status.verdict) << ": " << r.status.detail;
    wire.resize(r.length);
    IpLayout L;
    ASSERT_TRUE(parse_ip(wire, L).ok());
    if (L.version == 4) {
      EXPECT_TRUE(ipv4_header_checksum_ok(ConstBytes(wire).first(L.header_length)));
    }
    // The middle packet goes through unprotect_view: the same datagram, left in place.
    const bool view = k == 1;
    const UnprotectResult u = view ? pr.rx->unprotect_view(wire, back) : pr.rx->unprotect(wire, back);
    ASSERT_TRUE(u.status.ok()) << host_verdict_name(u.status.verdict) << ": " << u.status.detail;
    if (!view || u.mode == IpsecMode::transport) {
      EXPECT_EQ(u.offset, 0u);
    } else {
      EXPECT_GT(u.offset, 0u) << "a tunnel's inner datagram follows the outer headers";
    }
    ASSERT_LE(u.offset + u.length, back.size());
    back = std::vector<uint8_t>(back.begin() + static_cast<long>(u.offset),
                                back.begin() + static_cast<long>(u.offset + u.length));
    ASSERT_EQ(hexs(back), hexs(plain));
    if (r.esp_offset) {
      EXPECT_EQ(u.esp_sequence, first_seq + k);
    }
    if (r.ah_offset) {
      EXPECT_EQ(u.ah_sequence, first_seq + k);
    }
    // Replaying the same packet is refused.
    std::vector<uint8_t> tmp(wire.size());
    EXPECT_EQ(pr.rx->unprotect(wire, tmp).status.verdict, HostVerdict::replay);
  }
}

TEST(EspHostRoundTrip, EspEveryModeVersionUdpEsn) {
  const std::vector<std::vector<uint8_t>> plains = {ipv4_udp(), ipv4_options_icmp(), ipv6_hbh_dst_udp()};
  for (const EspSuite& suite : round_trip_suites()) {
    for (IpsecMode mode : {IpsecMode::transport, IpsecMode::tunnel}) {
      for (const auto& plain : plains) {
        for (uint8_t outer : {uint8_t{4}, uint8_t{6}}) {
          const uint8_t inner_v = plain[0] >> 4;
          if (mode == IpsecMode::transport && outer != inner_v) continue;
          for (bool udp : {false, true}) {
            for (bool esn : {false, true}) {
              SCOPED_TRACE(format_suite(suite) + (mode == IpsecMode::tunnel ? " tunnel" : " transport") +
                           " inner v" + std::to_string(inner_v) + " outer v" + std::to_string(outer) +
                           (udp ? " udp" : "") + (esn ? " esn" : ""));
              HostSaParams p;
              p.mode = mode;
              p.esp = make_config(suite, 0x1000 + outer, esn);
              // ESN: start just below the 2^32 boundary so the round trip crosses it.
              const uint64_t start = esn ? 0xFFFFFFFEull : 0;
              p.esp->initial_sequence = start;
              p.udp_encap = udp;
              p.tunnel = tunnel_for(outer);
              Pair pr = make_pair(p);
              round_trip(pr, plain, start + 1);
            }
          }
        }
      }
    }
  }
}

TEST(EspHostRoundTrip, AhAndBundleEveryModeVersionEsn) {
  const std::vector<std::vector<uint8_t>> plains = {ipv4_udp(), ipv4_options_icmp(), ipv6_hbh_dst_udp()};
  for (AhAlgorithm alg : {AhAlgorithm::hmac_md5_96, AhAlgorithm::hmac_sha1_96, AhAlgorithm::hmac_sha256_128,
                          AhAlgorithm::aes_128_gmac, AhAlgorithm::aes_256_gmac}) {
    for (bool bundle : {false, true}) {
      for (IpsecMode mode : {IpsecMode::transport, IpsecMode::tunnel}) {
        for (const auto& plain : plains) {
          for (uint8_t outer : {uint8_t{4}, uint8_t{6}}) {
            if (mode == IpsecMode::transport && outer != plain[0] >> 4) continue;
            for (bool esn : {false, true}) {
              SCOPED_TRACE(std::string(ah_algorithm_name(alg)) + (bundle ? " bundle" : "") +
                           (mode == IpsecMode::tunnel ? " tunnel" : " transport") + " outer v" +
                           std::to_string(outer) + (esn ? " esn" : ""));
              HostSaParams p;
              p.mode = mode;
              p.tunnel = tunnel_for(outer);
              AhSaConfig a;
              a.spi = 0x2000;
              a.algorithm = alg;
              std::vector<uint8_t> key(ah_key_block_size(alg));
              for (size_t i = 0; i < key.size(); ++i) key[i] = static_cast<uint8_t>(0x40 + i);
              a.key.assign(key);
              a.esn = esn;
              a.initial_sequence = esn ? 0xFFFFFFFEull : 0;
              p.ah = std::move(a);
              if (bundle) {
                EspSuite s;
                ASSERT_TRUE(parse_suite("aes-128-cbc", s));
                p.esp = make_config(s, 0x3000, esn);
                p.esp->anti_replay = false;
                p.esp->initial_sequence = esn ? 0xFFFFFFFEull : 0;
              }
              Pair pr = make_pair(p);
              round_trip(pr, plain, esn ? 0xFFFFFFFFull : 1);
            }
          }
        }
      }
    }
  }
}

// ---------------------------------------------------------------------------------------------
// Header fix-ups and placement.

TEST(EspHostHeaders, Ipv6TransportPatchesLastUnprotectedExtensionHeader) {
  // Mistake #11: the Hop-by-Hop Next Header becomes 50, the fixed header keeps 0, and the
  // Destination Options header (last before UDP) moves inside ESP.
  HostSaParams p;
  EspSuite s;
  ASSERT_TRUE(parse_suite("null-hmac-sha256", s));
  p.esp = make_config(s, 0x77);
  Pair pr = make_pair(p);
  const auto plain = ipv6_hbh_dst_udp();
  std::vector<uint8_t> wire(plain.size() + 100);
  const ProtectResult r = pr.tx->protect(pr.id, plain, wire);
  ASSERT_TRUE(r.status.ok());
  EXPECT_EQ(wire[6], kProtoHopByHop);
  EXPECT_EQ(wire[40], kProtoEsp);
  EXPECT_EQ(r.esp_offset, 48u);
  EXPECT_EQ(wire::get16(&wire[4]), r.length - 40);
  // NULL encryption: the Destination Options header is the first protected octet.
  EXPECT_EQ(wire[56], 0x11);
  EXPECT_EQ(wire[r.length - 16 - 1], kProtoDestinationOptions);  // ESP Next Header = 60
}

TEST(EspHostHeaders, Ipv4TransportKeepsOptionsAndFixesLengthAndChecksum) {
  HostSaParams p;
  EspSuite s;
  ASSERT_TRUE(parse_suite("aes-128-gcm", s));
  p.esp = make_config(s, 0x78);
  Pair pr = make_pair(p);
  const auto plain = ipv4_options_icmp();
  std::vector<uint8_t> wire(plain.size() + 100);
  const ProtectResult r = pr.tx->protect(pr.id, plain, wire);
  ASSERT_TRUE(r.status.ok());
  EXPECT_EQ(r.esp_offset, 24u);
  EXPECT_EQ(wire[9], kProtoEsp);
  EXPECT_EQ(wire::get16(&wire[2]), r.length);
  EXPECT_TRUE(ipv4_header_checksum_ok(ConstBytes(wire).first(24)));
  EXPECT_TRUE(std::equal(plain.begin() + 20, plain.begin() + 24, wire.begin() + 20));  // options kept
  EXPECT_EQ(wire::get16(&wire[4]), 0x1234);  // ID, TTL untouched
  EXPECT_EQ(wire[8], 0x40);
}

TEST(EspHostHeaders, UdpEncapsulationChecksumRules) {
  EspSuite s;
  ASSERT_TRUE(parse_suite("aes-128-gcm", s));
  for (uint8_t v : {uint8_t{4}, uint8_t{6}}) {
    for (UdpChecksumMode mode : {UdpChecksumMode::kZero, UdpChecksumMode::kCompute}) {
      HostSaParams p;
      p.esp = make_config(s, 0x79);
      p.udp_encap = true;
      p.udp.ipv4_checksum = mode;
      p.udp.ipv6_checksum = mode;
      p.udp.verify_received_checksum = true;
      Pair pr = make_pair(p);
      const auto plain = v == 4 ? ipv4_udp() : ipv6_hbh_dst_udp();
      std::vector<uint8_t> wire(plain.size() + 100), back(plain.size() + 100);
      const ProtectResult r = pr.tx->protect(pr.id, plain, wire);
      ASSERT_TRUE(r.status.ok());
      const uint32_t udp = r.esp_offset - 8;
      EXPECT_EQ(wire[v == 4 ? 9 : 40], kProtoUdp);
      EXPECT_EQ(wire::get16(&wire[udp]), kNatTPort);
      EXPECT_EQ(wire::get16(&wire[udp + 2]), kNatTPort);
      EXPECT_EQ(wire::get16(&wire[udp + 4]), r.length - udp);
      if (mode == UdpChecksumMode::kZero) {
        EXPECT_EQ(wire::get16(&wire[udp + 6]), 0);
      } else {
        EXPECT_NE(wire::get16(&wire[udp + 6]), 0);
      }
      wire.resize(r.length);
      EXPECT_TRUE(udp_checksum_acceptable(wire, v, udp, static_cast<uint32_t>(r.length - udp)));
      EXPECT_TRUE(pr.rx->unprotect(wire, back).status.ok());
      // A wrong non-zero checksum is caught only because verification was asked for.
      if (mode == UdpChecksumMode::kCompute) {
        auto bad = wire;
        bad[udp + 6] ^= 0x55;
        EXPECT_EQ(pr.rx->unprotect(bad, back).status.verdict, HostVerdict::malformed_header);
      }
    }
  }
  // Default IPv6 transmit behaviour computes the checksum (RFC 8200 §8.1).
  EXPECT_EQ(UdpEncapConfig{}.ipv6_checksum, UdpChecksumMode::kCompute);
  EXPECT_EQ(UdpEncapConfig{}.ipv4_checksum, UdpChecksumMode::kZero);
}

// OQ-ESP-1 (docs/decisions.md): a zero UDP checksum over IPv6 is accepted unless the receiver's
// policy discards it; the policy never touches IPv4, nor an IPv6 datagram whose checksum is set.
TEST(EspHostHeaders, Ipv6ZeroUdpChecksumAcceptedUnlessThePolicyDiscards) {
  EspSuite s;
  ASSERT_TRUE(parse_suite("null-hmac-sha256", s));
  for (uint8_t v : {uint8_t{4}, uint8_t{6}}) {
    for (UdpChecksumMode sent : {UdpChecksumMode::kZero, UdpChecksumMode::kCompute}) {
      for (Ipv6ZeroChecksumRx policy : {Ipv6ZeroChecksumRx::kAccept, Ipv6ZeroChecksumRx::kDiscard}) {
        SCOPED_TRACE(::testing::Message() << "IPv" << int(v) << (sent == UdpChecksumMode::kZero ? " zero" : " computed")
                                          << (policy == Ipv6ZeroChecksumRx::kDiscard ? " discard" : " accept"));
        HostSaParams p;
        p.esp = make_config(s, 0x7b);
        p.udp_encap = true;
        p.udp.ipv4_checksum = sent;
        p.udp.ipv6_checksum = sent;
        p.udp.ipv6_zero_checksum = policy;
        Pair pr = make_pair(p);
        const auto plain = v == 4 ? ipv4_udp() : ipv6_hbh_dst_udp();
        std::vector<uint8_t> wire(plain.size() + 100), back(plain.size() + 100);
        const ProtectResult r = pr.tx->protect(pr.id, plain, wire);
        ASSERT_TRUE(r.status.ok());
        wire.resize(r.length);
        const UnprotectResult u = pr.rx->unprotect(wire, back);
        if (v == 6 && sent == UdpChecksumMode::kZero && policy == Ipv6ZeroChecksumRx::kDiscard) {
          EXPECT_EQ(u.status.verdict, HostVerdict::malformed_header);
          EXPECT_EQ(u.layer, IpsecLayer::udp);
          EXPECT_EQ(u.status.offset, r.esp_offset - 2);  // the checksum field
        } else {
          EXPECT_TRUE(u.status.ok()) << u.status.detail;
        }
      }
    }
  }
  EXPECT_EQ(UdpEncapConfig{}.ipv6_zero_checksum, Ipv6ZeroChecksumRx::kAccept);
}

TEST(EspHostHeaders, UdpPort4500Demultiplexing) {
  auto host = make_host();
  EspSuite s;
  ASSERT_TRUE(parse_suite("aes-128-gcm", s));
  HostSaParams p;
  p.esp = make_config(s, 0x80);
  p.udp_encap = true;
  ASSERT_TRUE(host->add_inbound(p).ok());
  auto udp_packet = [](std::vector<uint8_t> payload, uint16_t dport = kNatTPort) {
    std::vector<uint8_t> pkt = hex("4500000000010000401100000a0000010a000002");
    std::vector<uint8_t> u = {0x11, 0x94, 0, 0, 0, 0, 0, 0};
    wire::put16(&u[2], dport);
    wire::put16(&u[4], static_cast<uint16_t>(8 + payload.size()));
    pkt.insert(pkt.end(), u.begin(), u.end());
    pkt.insert(pkt.end(), payload.begin(), payload.end());
    wire::put16(&pkt[2], static_cast<uint16_t>(pkt.size()));
    ipv4_refresh_checksum(MutableBytes(pkt).first(20));
    return pkt;
  };
  std::vector<uint8_t> out(256);
  EXPECT_EQ(host->unprotect(udp_packet({0xFF}), out).status.verdict, HostVerdict::udp_keepalive);
  EXPECT_EQ(host->unprotect(udp_packet({0, 0, 0, 0, 0x21, 0x22}), out).status.verdict, HostVerdict::ike);
  EXPECT_EQ(host->unprotect(udp_packet({0, 0}), out).status.verdict, HostVerdict::truncated);
  EXPECT_EQ(host->unprotect(udp_packet({0, 0, 0, 0x81, 0, 0, 0, 1}), out).status.verdict, HostVerdict::unknown_spi);
  EXPECT_EQ(host->unprotect(udp_packet({0xFF}, 500), out).status.verdict, HostVerdict::not_ipsec);
  EXPECT_EQ(classify_udp_encap_payload({}), UdpPayloadKind::kTruncated);
}

// ---------------------------------------------------------------------------------------------
// Tunnel rules (RFC 4301 §5.1.2, MODE-004/008).

TEST(EspHostTunnel, OuterHeaderConstructionAndEcnPropagation) {
  EspSuite s;
  ASSERT_TRUE(parse_suite("aes-128-gcm", s));
  for (uint8_t outer : {uint8_t{4}, uint8_t{6}}) {
    HostSaParams p;
    p.mode = IpsecMode::tunnel;
    p.esp = make_config(s, 0x90);
    p.tunnel = tunnel_for(outer);
    p.tunnel.ttl = 77;
    p.tunnel.df = DfPolicy::kCopy;
    p.first_ipv4_id = 0x100;
    Pair pr = make_pair(p);
    const auto plain = ipv4_udp(0xB8 | kEcnEct0);  // DSCP 46 (EF), ECT(0), DF set
    std::vector<uint8_t> wire(plain.size() + 100), back(plain.size() + 100);
    ProtectResult r = pr.tx->protect(pr.id, plain, wire);
    ASSERT_TRUE(r.status.ok());
    wire.resize(r.length);
    EXPECT_EQ(ip_traffic_class(wire, outer), 0xB8 | kEcnEct0);  // DSCP and ECN copied outward
    if (outer == 4) {
      EXPECT_EQ(wire[8], 77);
      EXPECT_EQ(wire::get16(&wire[6]) & kIpv4FlagDf, kIpv4FlagDf);
      EXPECT_EQ(wire::get16(&wire[4]), 0x100);  // fresh ID from the SA counter
      EXPECT_TRUE(ipv4_header_checksum_ok(ConstBytes(wire).first(20)));
    } else {
      EXPECT_EQ(wire[7], 77);
      EXPECT_EQ(ipv6_flow_label(wire), 0u);
    }
    // A router marks congestion on the outer header: CE reaches the ECT inner packet.
    auto ce = wire;
    if (outer == 4) {
      ce[1] |= kEcnCe;
      ipv4_refresh_checksum(MutableBytes(ce).first(20));
    } else {
      ipv6_set_traffic_class(ce, static_cast<uint8_t>(ipv6_traffic_class(ce) | kEcnCe));
    }
    UnprotectResult u = pr.rx->unprotect(ce, back);
    ASSERT_TRUE(u.status.ok()) << u.status.detail;
    EXPECT_TRUE(u.ecn_ce_propagated);
    EXPECT_EQ(back[1], 0xB8 | kEcnCe);
    EXPECT_TRUE(ipv4_header_checksum_ok(ConstBytes(back).first(20)));
    // The next packet with a Not-ECT inner header stays Not-ECT under an outer CE.
    const auto plain2 = ipv4_udp(0x00);
    std::vector<uint8_t> w2(plain2.size() + 100);
    r = pr.tx->protect(pr.id, plain2, w2);
    ASSERT_TRUE(r.status.ok());
    EXPECT_EQ(wire::get16(&w2[4]) , outer == 4 ? 0x101 : wire::get16(&w2[4]));
    w2.resize(r.length);
    if (outer == 4) {
      w2[1] |= kEcnCe;
      ipv4_refresh_checksum(MutableBytes(w2).first(20));
    } else {
      ipv6_set_traffic_class(w2, kEcnCe);
    }
    u = pr.rx->unprotect(w2, back);
    ASSERT_TRUE(u.status.ok());
    EXPECT_FALSE(u.ecn_ce_propagated);
    back.resize(u.length);
    EXPECT_EQ(hexs(back), hexs(plain2));
  }
}

TEST(EspHostTunnel, InnerFragmentIsCarriedButTransportRefusesIt) {
  EspSuite s;
  ASSERT_TRUE(parse_suite("aes-128-gcm", s));
  auto frag = ipv4_udp();
  wire::put16(&frag[6], kIpv4FlagMf);
  ipv4_refresh_checksum(MutableBytes(frag).first(20));
  HostSaParams p;
  p.esp = make_config(s, 0x91);
  Pair tr = make_pair(p);
  std::vector<uint8_t> wire(frag.size() + 100), back(frag.size() + 100);
  EXPECT_EQ(tr.tx->protect(tr.id, frag, wire).status.verdict, HostVerdict::fragment);  // MODE-005
  p.mode = IpsecMode::tunnel;
  p.tunnel = tunnel_for(4);
  Pair tu = make_pair(p);
  const ProtectResult r = tu.tx->protect(tu.id, frag, wire);
  ASSERT_TRUE(r.status.ok());
  wire.resize(r.length);
  ASSERT_TRUE(tu.rx->unprotect(wire, back).status.ok());
  // The outer datagram itself fragmented in flight: FRAGMENT before any SA work (ESP-009).
  auto outer_frag = wire;
  wire::put16(&outer_frag[6], kIpv4FlagMf);
  ipv4_refresh_checksum(MutableBytes(outer_frag).first(20));
  EXPECT_EQ(tu.rx->unprotect(outer_frag, back).status.verdict, HostVerdict::fragment);
}

TEST(EspHostPolicy, SelectorsAndDestinationLookup) {
  EspSuite s;
  ASSERT_TRUE(parse_suite("aes-128-gcm", s));
  HostSaParams p;
  p.mode = IpsecMode::tunnel;
  p.esp = make_config(s, 0x92);
  p.tunnel = tunnel_for(4);
  p.selectors.any = false;
  p.selectors.source = IpPrefix{IpAddress::v4({192, 0, 2, 0}), 24};
  p.selectors.destination = IpPrefix{IpAddress::v4({203, 0, 113, 0}), 24};  // not the inner dst
  Pair pr = make_pair(p);
  const auto plain = ipv4_udp();
  std::vector<uint8_t> wire(plain.size() + 100), back(plain.size() + 100);
  const ProtectResult r = pr.tx->protect(pr.id, plain, wire);
  ASSERT_TRUE(r.status.ok());
  wire.resize(r.length);
  EXPECT_EQ(pr.rx->unprotect(wire, back).status.verdict, HostVerdict::policy_mismatch);

  // Two inbound SAs with one SPI: the one naming the packet's destination wins.
  auto host = make_host();
  HostSaParams a = p;
  a.selectors.any = true;
  a.destination = IpAddress::v4({198, 51, 100, 2});
  HostSaParams b = p;
  b.selectors.any = true;
  b.esp = make_config(s, 0x92, false, 9);  // other key
  ASSERT_TRUE(host->add_inbound(b).ok());
  ASSERT_TRUE(host->add_inbound(a).ok());
  EXPECT_FALSE(host->add_inbound(a).ok());  // same key twice
  EXPECT_EQ(host->inbound_count(), 2u);
  EXPECT_TRUE(host->unprotect(wire, back).status.ok());
  ASSERT_TRUE(host->remove_inbound(kProtoEsp, 0x92, a.destination));
  EXPECT_EQ(host->unprotect(wire, back).status.verdict, HostVerdict::bad_icv);  // wildcard SA, other key
}

// ---------------------------------------------------------------------------------------------
// Tamper and truncation at the IP level.

struct Sample {
  std::unique_ptr<EspHost> rx;
  std::vector<uint8_t> wire;
  ProtectResult r;
};

Sample sample(const char* suite_name, IpsecMode mode, uint8_t version, bool udp = false, bool ah = false) {
  EspSuite s;
  EXPECT_TRUE(parse_suite(suite_name, s));
  HostSaParams p;
  p.mode = mode;
  p.esp = make_config(s, 0xA0);
  p.udp_encap = udp;
  p.tunnel = tunnel_for(version);
  if (ah) {
    AhSaConfig a;
    a.spi = 0xA1;
    a.algorithm = AhAlgorithm::hmac_sha256_128;
    a.key.assign(std::vector<uint8_t>(32, 0x5a));
    p.ah = std::move(a);
  }
  Pair pr = make_pair(p);
  const auto plain = version == 4 ? ipv4_udp() : ipv6_hbh_dst_udp();
  Sample out;
  out.wire.resize(plain.size() + 200);
  out.r = pr.tx->protect(pr.id, plain, out.wire);
  EXPECT_TRUE(out.r.status.ok());
  out.wire.resize(out.r.length);
  out.rx = std::move(pr.rx);
  return out;
}

TEST(EspHostTamper, EveryProtectedOctetFlipFailsWithTheRightClass) {
  for (bool ah : {false, true}) {
    for (uint8_t v : {uint8_t{4}, uint8_t{6}}) {
      SCOPED_TRACE(std::string(ah ? "esp+ah" : "esp") + " v" + std::to_string(v));
      const Sample base = sample("aes-128-cbc-hmac-sha1", IpsecMode::transport, v, false, ah);
      const uint32_t first = ah ? base.r.ah_offset : base.r.esp_offset;
      for (uint32_t i = first; i < base.wire.size(); ++i) {
        Sample s = sample("aes-128-cbc-hmac-sha1", IpsecMode::transport, v, false, ah);
        auto bad = s.wire;
        bad[i] ^= 0x01;
        std::vector<uint8_t> out(bad.size());
        const UnprotectResult u = s.rx->unprotect(bad, out);
        SCOPED_TRACE("octet " + std::to_string(i));
        const bool spi = ah ? (i >= first + 4 && i < first + 8) : (i < first + 4);
        const bool ah_len = ah && i == first + 1;
        HostVerdict want = HostVerdict::bad_icv;
        if (spi) want = HostVerdict::unknown_spi;
        if (ah_len) want = HostVerdict::malformed_length;
        // Sequence number 1 with its low bit flipped reads 0, never sent: OUT_OF_WINDOW (SEQ-007).
        const uint32_t seq_last = ah ? first + 11 : first + 7;
        if (i == seq_last) want = HostVerdict::outside_window;
        EXPECT_EQ(u.status.verdict, want) << host_verdict_name(u.status.verdict);
      }
    }
  }
}

TEST(EspHostTamper, MutableOuterFieldsDoNotBreakAh) {
  const Sample s = sample("aes-128-cbc", IpsecMode::transport, 4, false, true);
  auto w = s.wire;
  w[8] = 3;      // TTL
  w[1] = 0xB9;   // DSCP/ECN
  w[6] |= 0x40;  // DF
  ipv4_refresh_checksum(MutableBytes(w).first(20));
  std::vector<uint8_t> out(w.size());
  EXPECT_TRUE(s.rx->unprotect(w, out).status.ok());
}

TEST(EspHostTamper, TruncationAtEveryLength) {
  for (bool ah : {false, true}) {
    for (bool udp : {false, true}) {
      if (ah && udp) continue;
      for (uint8_t v : {uint8_t{4}, uint8_t{6}}) {
        const Sample base = sample("aes-128-gcm", IpsecMode::tunnel, v, udp, ah);
        for (size_t n = 0; n < base.wire.size(); ++n) {
          SCOPED_TRACE("length " + std::to_string(n) + (udp ? " udp" : "") + (ah ? " ah" : "") + " v" + std::to_string(v));
          std::vector<uint8_t> cut(base.wire.begin(), base.wire.begin() + static_cast<long>(n));
          std::vector<uint8_t> out(base.wire.size());
          // (a) the buffer ends early, the IP length still claims the whole datagram.
          const UnprotectResult a = base.rx->unprotect(cut, out);
          EXPECT_EQ(a.status.verdict, HostVerdict::truncated) << host_verdict_name(a.status.verdict);
          // (b) the IP length is made consistent with the cut (and UDP's too).
          if (n < (v == 4 ? 20u : 40u)) continue;
          if (v == 4) ipv4_set_total_length(MutableBytes(cut).first(20), static_cast<uint16_t>(n));
          else ipv6_set_payload_length(cut, static_cast<uint16_t>(n - 40));
          if (udp && n >= (v == 4 ? 28u : 48u)) wire::put16(&cut[(v == 4 ? 20 : 40) + 4], static_cast<uint16_t>(n - (v == 4 ? 20 : 40)));
          const UnprotectResult b = base.rx->unprotect(cut, out);
          const HostVerdict c = b.status.verdict;
          EXPECT_TRUE(c == HostVerdict::truncated || c == HostVerdict::bad_icv || c == HostVerdict::malformed_length ||
                      c == HostVerdict::not_ipsec)
              << host_verdict_name(c);
        }
      }
    }
  }
}

TEST(EspHostTamper, MalformedIpHeaders) {
  auto host = make_host();
  std::vector<uint8_t> out(4096);
  auto verdict = [&](const std::vector<uint8_t>& p) { return host->unprotect(p, out).status.verdict; };
  const auto v4 = ipv4_udp();
  EXPECT_EQ(verdict({}), HostVerdict::truncated);
  EXPECT_EQ(verdict(std::vector<uint8_t>(v4.begin(), v4.begin() + 19)), HostVerdict::truncated);
  auto bad_ihl = v4;
  bad_ihl[0] = 0x44;
  EXPECT_EQ(verdict(bad_ihl), HostVerdict::malformed_header);
  auto big_ihl = v4;
  big_ihl[0] = 0x4F;  // 60 octets of header, options garbage
  EXPECT_NE(verdict(big_ihl), HostVerdict::ok);
  auto long_total = v4;
  wire::put16(&long_total[2], static_cast<uint16_t>(v4.size() + 1));
  EXPECT_EQ(verdict(long_total), HostVerdict::truncated);
  auto short_total = v4;
  wire::put16(&short_total[2], 19);
  EXPECT_EQ(verdict(short_total), HostVerdict::malformed_header);
  auto bad_csum = v4;
  bad_csum[10] ^= 1;
  EXPECT_EQ(verdict(bad_csum), HostVerdict::malformed_header);
  auto bad_version = v4;
  bad_version[0] = 0x55;
  EXPECT_EQ(verdict(bad_version), HostVerdict::malformed_header);
  auto bad_option = ipv4_options_icmp();
  bad_option[21] = 9;  // Router Alert length runs past the options
  EXPECT_EQ(verdict(bad_option), HostVerdict::bad_option);
  EXPECT_EQ(verdict(v4), HostVerdict::not_ipsec);  // UDP to port 53

  const auto v6 = ipv6_hbh_dst_udp();
  auto ext_past_end = v6;
  ext_past_end[41] = 200;  // Hop-by-Hop claims 1608 octets
  EXPECT_EQ(verdict(ext_past_end), HostVerdict::truncated);
  auto loop = v6;
  loop[40] = kProtoHopByHop;  // Hop-by-Hop again after Hop-by-Hop
  EXPECT_EQ(verdict(loop), HostVerdict::malformed_header);
  auto garbage = v6;
  garbage[48] = 253;  // experimental protocol number: treated as the upper layer
  EXPECT_EQ(verdict(garbage), HostVerdict::not_ipsec);
  auto bad_tlv = v6;
  bad_tlv[43] = 9;  // PadN longer than its header
  EXPECT_EQ(verdict(bad_tlv), HostVerdict::bad_option);
  // A chain of 17 Destination Options headers (each a valid 8-octet header).
  std::vector<uint8_t> chain(v6.begin(), v6.begin() + 40);
  chain[6] = kProtoDestinationOptions;
  for (int i = 0; i < 17; ++i) {
    const std::vector<uint8_t> h = {static_cast<uint8_t>(i == 16 ? kProtoEsp : kProtoDestinationOptions), 0, 1, 4, 0, 0, 0, 0};
    chain.insert(chain.end(), h.begin(), h.end());
  }
  chain.insert(chain.end(), 16, 0x11);
  wire::put16(&chain[4], static_cast<uint16_t>(chain.size() - 40));
  EXPECT_EQ(verdict(chain), HostVerdict::malformed_header);
  auto jumbo = v6;
  wire::put16(&jumbo[4], 0);
  EXPECT_EQ(verdict(jumbo), HostVerdict::unsupported_header);
}

TEST(EspHostRobustness, RandomGarbageNeverCrashesAndNeverPasses) {
  const uint64_t seed = 0x5eed1234;
  std::mt19937_64 rng(seed);
  SCOPED_TRACE("seed " + std::to_string(seed));
  const Sample esp4 = sample("aes-128-gcm", IpsecMode::tunnel, 4);
  const Sample esp6 = sample("null-hmac-sha256", IpsecMode::transport, 6, false, true);
  const Sample udp4 = sample("aes-128-cbc-hmac-sha256", IpsecMode::transport, 4, true);
  const Sample* samples[] = {&esp4, &esp6, &udp4};
  std::vector<uint8_t> out(2048);
  int accepted = 0;
  for (int iter = 0; iter < 30000; ++iter) {
    const Sample& s = *samples[iter % 3];
    std::vector<uint8_t> p;
    if (iter % 2 == 0) {
      p.resize(rng() % 200);
      for (auto& b : p) b = static_cast<uint8_t>(rng());
      if (!p.empty()) p[0] = static_cast<uint8_t>((rng() & 1 ? 0x40 : 0x60) | (p[0] & 0x0F));
    } else {
      p = s.wire;  // mutate a genuine packet: a few random octets, maybe a cut
      const int flips = 1 + static_cast<int>(rng() % 4);
      for (int k = 0; k < flips; ++k) p[rng() % p.size()] = static_cast<uint8_t>(rng());
      if (rng() % 4 == 0) p.resize(rng() % p.size());
    }
    // The input lives in an exactly sized heap buffer so a sanitizer build catches any overread.
    std::unique_ptr<uint8_t[]> exact(new uint8_t[p.size() + 1]);
    std::copy(p.begin(), p.end(), exact.get());
    const UnprotectResult u = s.rx->unprotect(ConstBytes(exact.get(), p.size()), out);
    if (u.status.ok()) ++accepted;
    EXPECT_LE(u.length, p.size());
  }
  // A mutation that only touched fields outside the integrity protection (IPv6 hop limit or flow
  // label under AH) may pass once per genuine sequence number; the window refuses any repeat.
  EXPECT_LE(accepted, 3);
}

}  // namespace
}  // namespace cts::esp
