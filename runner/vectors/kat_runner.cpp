#include "runner/vectors/kat_runner.h"

#include "oracle/crypto/aes_gcm.h"
#include "oracle/crypto/cbc_cipher.h"
#include "oracle/crypto/crypto_library.h"
#include "oracle/crypto/hmac.h"
#include "oracle/crypto/random_source.h"
#include "oracle/esp/esp_host.h"
#include "oracle/esp/esp_inbound.h"
#include "oracle/esp/esp_outbound.h"
#include "runner/vectors/host_setup.h"
#include "runner/vectors/json_fields.h"
#include "runner/vectors/kat_checks.h"
#include "runner/vectors/known_answer_vectors.h"

namespace cts::vectors {

namespace {

using Bytes = std::vector<uint8_t>;

bool same(KatOutcome& o, const char* what, const Bytes& expected, const Bytes& got) {
  return kat_same(o, what, expected, got);
}

bool fail(KatOutcome& o, const std::string& why) { return kat_fail(o, why); }

bool hmac_algorithm(const std::string& hash, crypto::HmacAlgorithm& out) {
  if (hash == "md5") out = crypto::HmacAlgorithm::md5;
  else if (hash == "sha1") out = crypto::HmacAlgorithm::sha1;
  else if (hash == "sha256") out = crypto::HmacAlgorithm::sha256;
  else if (hash == "sha384") out = crypto::HmacAlgorithm::sha384;
  else if (hash == "sha512") out = crypto::HmacAlgorithm::sha512;
  else return false;
  return true;
}

bool run_mac(const KnownAnswer& v, const crypto::CryptoLibrary& lib, KatOutcome& o) {
  crypto::HmacAlgorithm alg;
  if (!hmac_algorithm(v.algorithm.hash, alg)) return fail(o, "unknown hash \"" + v.algorithm.hash + "\"");
  if (!v.data) return fail(o, "no data");
  const crypto::ByteView data(v.data->data(), v.data->size());
  const crypto::ByteView key(v.auth_key.data(), v.auth_key.size());
  bool ok = true;
  if (v.expected.hmac_full) {
    std::unique_ptr<crypto::Hmac> h;
    if (!crypto::Hmac::create(lib, alg, key, crypto::hmac_full_size(alg), h).ok()) return fail(o, "HMAC create");
    Bytes out(crypto::hmac_full_size(alg));
    const crypto::ByteView parts[] = {data};
    if (!h->compute(parts, crypto::MutableBytes(out.data(), out.size())).ok()) return fail(o, "HMAC compute");
    ok &= same(o, "compute: hmac_full", *v.expected.hmac_full, out);
  }
  for (const auto* trunc : {&v.expected.icv_truncated, &v.expected.hmac_truncated_as_published}) {
    if (!*trunc) continue;
    const Bytes& icv = **trunc;
    std::unique_ptr<crypto::Hmac> h;
    if (!crypto::Hmac::create(lib, alg, key, icv.size(), h).ok()) return fail(o, "HMAC create (truncated)");
    Bytes out(icv.size());
    const crypto::ByteView parts[] = {data};
    if (!h->compute(parts, crypto::MutableBytes(out.data(), out.size())).ok()) return fail(o, "HMAC compute");
    ok &= same(o, "compute: truncated ICV", icv, out);
    o.checks.emplace_back("verify: truncated ICV");
    if (!h->verify(parts, crypto::ByteView(icv.data(), icv.size())).ok()) ok = fail(o, "verify: published ICV refused");
    Bytes wrong = icv;
    wrong.back() ^= 1;
    o.checks.emplace_back("verify: flipped ICV refused");
    if (h->verify(parts, crypto::ByteView(wrong.data(), wrong.size())).ok()) ok = fail(o, "verify: a flipped ICV was accepted");
  }
  return ok;
}

bool run_cipher(const KnownAnswer& v, const crypto::CryptoLibrary& lib, KatOutcome& o) {
  if (v.algorithm.encryption != "AES-CBC") return fail(o, "cipher primitive \"" + v.algorithm.encryption + "\" unknown");
  const uint32_t bits = v.algorithm.aes_key_bits.value_or(128);
  const crypto::CbcAlgorithm alg = bits == 256 ? crypto::CbcAlgorithm::aes_256
                                   : bits == 192 ? crypto::CbcAlgorithm::aes_192
                                                 : crypto::CbcAlgorithm::aes_128;
  std::unique_ptr<crypto::CbcCipher> c;
  if (!crypto::CbcCipher::create(lib, alg, crypto::ByteView(v.enc_key.data(), v.enc_key.size()), c).ok())
    return fail(o, "CBC create");
  if (!v.iv || !v.plaintext || !v.expected.ciphertext) return fail(o, "iv, plaintext and expected.ciphertext needed");
  Bytes ct(v.plaintext->size()), pt(v.expected.ciphertext->size());
  const crypto::ByteView iv(v.iv->data(), v.iv->size());
  if (!c->encrypt(iv, crypto::ByteView(v.plaintext->data(), v.plaintext->size()), crypto::MutableBytes(ct.data(), ct.size())).ok())
    return fail(o, "encrypt failed");
  bool ok = same(o, "encrypt: ciphertext", *v.expected.ciphertext, ct);
  if (!c->decrypt(iv, crypto::ByteView(v.expected.ciphertext->data(), v.expected.ciphertext->size()),
                  crypto::MutableBytes(pt.data(), pt.size())).ok())
    return fail(o, "decrypt failed");
  ok &= same(o, "decrypt: plaintext", *v.plaintext, pt);
  return ok;
}

esp::EspSaConfig sa_config(const KnownAnswer& v, const esp::EspSuite& suite) {
  esp::EspSaConfig cfg;
  cfg.spi = v.spi.value_or(0);
  cfg.suite = suite;
  Bytes block = v.enc_key;
  block.insert(block.end(), v.salt.begin(), v.salt.end());  // OQ-07: key ‖ salt
  cfg.encryption_key.assign(crypto::ByteView(block.data(), block.size()));
  cfg.integrity_key.assign(crypto::ByteView(v.auth_key.data(), v.auth_key.size()));
  cfg.esn = v.esn;
  cfg.anti_replay = esp::has_integrity(suite);
  return cfg;
}

// Published pad length beyond the minimum (RFC 4303 §2.4 lets senders pad more).
size_t extra_padding(const KnownAnswer& v, const esp::EspSuite& suite) {
  const size_t m = esp::pad_modulus(suite);
  const size_t minimal = (m - (v.inner->payload.size() + 2) % m) % m;
  return v.inner->pad_length > minimal ? v.inner->pad_length - minimal : 0;
}

// A published ESP vector with SPI 0 (draft-mcgrew-gcm-test-01 case 4): SPI 0 is never sent and
// cannot name an SA (RFC 4303 §2.1, ESP-002), so the oracle refuses the SA — correctly. What the
// vector still allows is the transform: GCM seal and open with the published nonce parts and AAD.
bool run_spi_zero_gcm(const KnownAnswer& v, const esp::EspSuite& suite, const crypto::CryptoLibrary& lib, KatOutcome& o) {
  if (!esp::is_gcm(suite.encryption) || !v.iv || !v.aad || !v.esp_plaintext || !v.expected.ciphertext || !v.expected.icv)
    return fail(o, "SPI 0: the oracle refuses the SA (ESP-002) and the vector gives no transform-level fields");
  o.checks.emplace_back("SA with SPI 0 refused (ESP-002)");
  esp::EspSaConfig cfg = sa_config(v, suite);
  std::unique_ptr<esp::EspInbound> in;
  if (esp::EspInbound::create(cfg, lib, in).ok()) return fail(o, "the oracle accepted an SA with SPI 0 (ESP-002)");
  std::unique_ptr<crypto::AesGcm> gcm;
  if (!crypto::AesGcm::create(lib, crypto::ByteView(v.enc_key.data(), v.enc_key.size()),
                              crypto::ByteView(v.salt.data(), v.salt.size()), suite.gcm_icv_size, gcm).ok())
    return fail(o, "GCM create");
  const crypto::ByteView aad[] = {crypto::ByteView(v.aad->data(), v.aad->size())};
  const crypto::ByteView iv(v.iv->data(), v.iv->size());
  Bytes ct(v.esp_plaintext->size()), tag(suite.gcm_icv_size), pt(v.expected.ciphertext->size());
  if (!gcm->encrypt(iv, aad, crypto::ByteView(v.esp_plaintext->data(), v.esp_plaintext->size()),
                    crypto::MutableBytes(ct.data(), ct.size()), crypto::MutableBytes(tag.data(), tag.size())).ok())
    return fail(o, "transform: GCM encrypt failed");
  bool ok = same(o, "transform encrypt: ciphertext", *v.expected.ciphertext, ct);
  ok &= same(o, "transform encrypt: icv", *v.expected.icv, tag);
  if (!gcm->decrypt(iv, aad, crypto::ByteView(v.expected.ciphertext->data(), v.expected.ciphertext->size()),
                    crypto::MutableBytes(pt.data(), pt.size()), crypto::ByteView(v.expected.icv->data(), v.expected.icv->size())).ok())
    return fail(o, "transform decrypt: tag refused");
  ok &= same(o, "transform decrypt: esp_plaintext", *v.esp_plaintext, pt);
  return ok;
}

bool run_esp_packet(const KnownAnswer& v, const crypto::CryptoLibrary& lib, crypto::RandomSource& rng, KatOutcome& o) {
  esp::EspSuite suite;
  std::string why;
  if (!kat_suite(v, suite, why)) return fail(o, why);
  if (v.spi.value_or(0) == 0) return run_spi_zero_gcm(v, suite, lib, o);
  if (!v.expected.esp_packet || !v.inner || !v.seq) return fail(o, "esp_packet, inner and seq needed");
  const uint64_t seq = *v.seq;
  const KatExpectedResult expect = *v.expected_result;
  bool ok = true;
  if (expect != KatExpectedResult::reject_integrity) {
    // Encrypt: the oracle's counter is set so the next number is the published one.
    esp::EspSaConfig cfg = sa_config(v, suite);
    cfg.initial_sequence = seq - 1;
    cfg.anti_replay = false;  // allows the published number whatever it is (e.g. 0xffffffff)
    std::unique_ptr<esp::EspOutbound> out;
    const esp::EspStatus st = esp::EspOutbound::create(cfg, lib, rng, out);
    if (!st.ok()) return fail(o, std::string("outbound SA refused: ") + st.detail);
    esp::OutboundOptions opt;
    opt.iv = v.iv && !v.iv->empty() ? v.iv->data() : nullptr;
    opt.extra_padding = extra_padding(v, suite);
    Bytes buf(v.inner->payload.size() + 512);
    const esp::OutboundResult r = out->protect(crypto::ByteView(v.inner->payload.data(), v.inner->payload.size()),
                                               v.inner->next_header, crypto::MutableBytes(buf.data(), buf.size()), opt);
    if (!r.status.ok()) return fail(o, std::string("encrypt: ") + r.status.detail);
    buf.resize(r.length);
    ok &= same(o, "encrypt: esp_packet", *v.expected.esp_packet, buf);
  }
  // Decrypt the published bytes with a receiver whose T lies just below the published number.
  esp::EspSaConfig cfg = sa_config(v, suite);
  cfg.initial_sequence = v.esn && seq != 0 ? seq - 1 : 0;
  std::unique_ptr<esp::EspInbound> in;
  const esp::EspStatus st = esp::EspInbound::create(cfg, lib, in);
  if (!st.ok()) return fail(o, std::string("inbound SA refused: ") + st.detail);
  Bytes pkt = *v.expected.esp_packet;
  const esp::InboundResult r = in->process(crypto::MutableBytes(pkt.data(), pkt.size()));
  const esp::EspVerdict want = expect == KatExpectedResult::reject_integrity            ? esp::EspVerdict::bad_icv
                               : expect == KatExpectedResult::accept_then_discard_dummy ? esp::EspVerdict::dummy
                                                                                        : esp::EspVerdict::ok;
  o.checks.emplace_back(std::string("decrypt: verdict ") + std::string(esp::verdict_name(want)));
  if (r.status.verdict != want)
    return fail(o, "decrypt: verdict " + std::string(esp::verdict_name(r.status.verdict)) + " (" + r.status.detail +
                       "), expected " + std::string(esp::verdict_name(want)));
  if (want == esp::EspVerdict::bad_icv) return ok;
  o.checks.emplace_back("decrypt: sequence");
  if (r.seq != seq) ok = fail(o, "decrypt: inferred sequence " + hex_number_string(r.seq, 16) + ", published " + hex_number_string(seq, 16));
  o.checks.emplace_back("decrypt: next header / pad length");
  if (r.next_header != v.inner->next_header || r.pad_length != v.inner->pad_length)
    ok = fail(o, "decrypt: next header " + std::to_string(r.next_header) + " pad " + std::to_string(r.pad_length) +
                     ", published " + std::to_string(v.inner->next_header) + " / " + std::to_string(v.inner->pad_length));
  if (want == esp::EspVerdict::ok) {
    const Bytes payload(pkt.begin() + static_cast<long>(r.payload_offset),
                        pkt.begin() + static_cast<long>(r.payload_offset + r.payload_length));
    ok &= same(o, "decrypt: payload", v.inner->payload, payload);
  }
  if (want != esp::EspVerdict::bad_icv && v.esp_plaintext) {
    // Decryption is in place: the cipher's output, padding and trailer included, is still there.
    const size_t end = r.payload_offset + v.esp_plaintext->size();
    if (end > pkt.size()) return fail(o, "decrypt: esp_plaintext is longer than the decrypted packet");
    ok &= same(o, "decrypt: esp_plaintext", *v.esp_plaintext,
               Bytes(pkt.begin() + static_cast<long>(r.payload_offset), pkt.begin() + static_cast<long>(end)));
  }
  return ok;
}

// Tunnel outer-header fields a published packet shows are the producing implementation's SA
// configuration (RFC 4301 §5.1.2 leaves TTL, DF, DSCP and ID to it), not protocol rules: the
// oracle is configured to match them; lengths, protocol and checksum are still compared.
void match_outer_header(const Bytes& ip, esp::HostSaParams& p, esp::ProtectOptions& po) {
  auto& t = p.tunnel;
  if ((ip[0] >> 4) == 4) {
    t.ttl = ip[8];
    const uint16_t ff = esp::wire::get16(&ip[6]);
    t.df = (ff & esp::kIpv4FlagDf) ? esp::DfPolicy::kSet : esp::DfPolicy::kClear;
    t.dscp = esp::DscpPolicy::kFixed;
    t.fixed_dscp = static_cast<uint8_t>(ip[1] >> 2);
    po.outer_ipv4_id = esp::wire::get16(&ip[4]);
  } else {
    t.ttl = ip[7];
    const uint8_t tc = esp::ipv6_traffic_class(ip);
    t.dscp = esp::DscpPolicy::kFixed;
    t.fixed_dscp = static_cast<uint8_t>(tc >> 2);
    t.flow_label = esp::FlowLabelPolicy::kFixed;
    t.fixed_flow_label = esp::ipv6_flow_label(ip);
  }
}

bool run_ip_packet(const KnownAnswer& v, crypto::RandomSource& rng, KatOutcome& o) {
  esp::EspSuite suite;
  std::string why;
  if (!kat_suite(v, suite, why)) return fail(o, why);
  if (!v.expected.ip_packet || !v.plain_ip_packet || !v.seq) {
    // Published without a valid outer header (see the vector's notes): ESP part only.
    return run_esp_packet(v, *crypto::CryptoLibrary::shared(), rng, o);
  }
  const Bytes& wire = *v.expected.ip_packet;
  Bytes d;
  bool synthetic = false;
  if (!kat_datagram(v, d, synthetic, why)) return fail(o, why);
  const bool tunnel = v.mode == "tunnel";
  esp::IpLayout layout;
  if (!esp::parse_ip(wire, layout).ok()) return fail(o, "published ip_packet does not parse");
  const size_t alen = layout.version == 4 ? 4 : 16, aoff = layout.version == 4 ? 12 : 8;
  esp::IpAddress src, dst;
  src.version = dst.version = layout.version;
  std::copy(wire.begin() + static_cast<long>(aoff), wire.begin() + static_cast<long>(aoff + alen), src.bytes.begin());
  std::copy(wire.begin() + static_cast<long>(aoff + alen), wire.begin() + static_cast<long>(aoff + 2 * alen), dst.bytes.begin());
  const bool udp = layout.payload_protocol == esp::kProtoUdp;
  bool ok = true;
  for (int direction = 0; direction < 2; ++direction) {
    const bool outbound = direction == 0;
    if (outbound && *v.expected_result == KatExpectedResult::reject_integrity) continue;
    esp::HostSaParams p;
    p.mode = tunnel ? esp::IpsecMode::tunnel : esp::IpsecMode::transport;
    esp::EspSaConfig cfg = sa_config(v, suite);
    cfg.initial_sequence = outbound ? *v.seq - 1 : (v.esn ? *v.seq - 1 : 0);
    if (outbound) cfg.anti_replay = false;
    p.esp = std::move(cfg);
    p.tunnel.outer_version = layout.version;
    p.tunnel.source = src.bytes;
    p.tunnel.destination = dst.bytes;
    p.destination = dst;
    if (udp) {
      p.udp_encap = true;
      p.udp.source_port = esp::wire::get16(&wire[layout.payload_offset]);
      p.udp.destination_port = esp::wire::get16(&wire[layout.payload_offset + 2]);
      // The checksum the sender put on the wire is its choice (RFC 3948 §2.1 for IPv4; for IPv6
      // OQ-ESP-1), whichever the IP version: the encrypt side makes the same one.
      const esp::UdpChecksumMode sent = esp::udp_checksum_is_zero(wire, layout.payload_offset)
                                            ? esp::UdpChecksumMode::kZero
                                            : esp::UdpChecksumMode::kCompute;
      p.udp.ipv4_checksum = sent;
      p.udp.ipv6_checksum = sent;
      p.udp.ipv6_zero_checksum = v.receiver_policy.ipv6_udp_zero_checksum == KatIpv6ZeroChecksum::discard
                                     ? esp::Ipv6ZeroChecksumRx::kDiscard
                                     : esp::Ipv6ZeroChecksumRx::kAccept;
    }
    esp::ProtectOptions po;
    if (tunnel) match_outer_header(wire, p, po);
    std::unique_ptr<esp::EspHost> host;
    if (!esp::EspHost::create(host, &rng).ok()) return fail(o, "host create");
    Bytes out(wire.size() + 512);
    if (outbound) {
      esp::HostSaId id = 0;
      const esp::HostStatus st = host->add_outbound(p, id);
      if (!st.ok()) return fail(o, std::string("outbound SA refused: ") + st.detail);
      po.esp_iv = v.iv && !v.iv->empty() ? v.iv->data() : nullptr;
      if (v.inner) po.extra_padding = extra_padding(v, suite);
      const esp::ProtectResult r = host->protect(id, *v.plain_ip_packet, out, po);
      if (!r.status.ok()) return fail(o, std::string("encrypt: ") + r.status.detail);
      out.resize(r.length);
      ok &= same(o, "encrypt: ip_packet", wire, out);
    } else {
      const esp::HostStatus st = host->add_inbound(p);
      if (!st.ok()) return fail(o, std::string("inbound SA refused: ") + st.detail);
      const esp::UnprotectResult r = host->unprotect(wire, out);
      const esp::HostVerdict want = *v.expected_result == KatExpectedResult::reject_integrity ? esp::HostVerdict::bad_icv
                                    : *v.expected_result == KatExpectedResult::accept_then_discard_dummy
                                        ? esp::HostVerdict::dummy
                                    : *v.expected_result == KatExpectedResult::reject_udp_checksum
                                        ? esp::HostVerdict::malformed_header
                                        : esp::HostVerdict::ok;
      o.checks.emplace_back(std::string("decrypt: verdict ") + std::string(esp::host_verdict_name(want)));
      if (r.status.verdict != want)
        return fail(o, "decrypt: verdict " + std::string(esp::host_verdict_name(r.status.verdict)) + " (" +
                           r.status.detail + "), expected " + std::string(esp::host_verdict_name(want)));
      if (want == esp::HostVerdict::malformed_header) {
        o.checks.emplace_back("decrypt: refused at the UDP layer");
        if (r.layer != esp::IpsecLayer::udp) return fail(o, std::string("decrypt: refused, but not at the UDP layer: ") + r.status.detail);
      }
      if (want == esp::HostVerdict::ok) {
        out.resize(r.length);
        Bytes expected_plain = *v.plain_ip_packet;
        ok &= same(o, "decrypt: plain_ip_packet", expected_plain, out);
      }
    }
  }
  return ok;
}

bool run_replay(const KnownAnswer& v, const KnownAnswerFile& file, crypto::RandomSource& rng, KatOutcome& o) {
  const KnownAnswer* first = file.find(v.packets[0].packet_vector);
  esp::EspSuite suite;
  std::string why;
  if (!kat_suite(*first, suite, why)) return fail(o, why);
  std::unique_ptr<esp::EspHost> host;
  if (!esp::EspHost::create(host, &rng).ok()) return fail(o, "host create");
  esp::HostSaParams p;
  p.mode = first->mode == "tunnel" ? esp::IpsecMode::tunnel : esp::IpsecMode::transport;
  esp::EspSaConfig cfg = sa_config(*first, suite);
  cfg.replay_window = v.replay_window.value_or(64);
  p.esp = std::move(cfg);
  const esp::HostStatus st = host->add_inbound(p);
  if (!st.ok()) return fail(o, std::string("inbound SA refused: ") + st.detail);
  bool ok = true;
  for (size_t i = 0; i < v.packets.size(); ++i) {
    const KnownAnswer* ref = file.find(v.packets[i].packet_vector);
    Bytes d;
    bool synthetic = false;
    if (!kat_datagram(*ref, d, synthetic, why)) return fail(o, why);
    Bytes out(d.size() + 64);
    const esp::UnprotectResult r = host->unprotect(d, out);
    const KatExpectedResult e = v.expected_results[i];
    const esp::HostVerdict want = e == KatExpectedResult::reject_replay          ? esp::HostVerdict::replay
                                  : e == KatExpectedResult::reject_out_of_window ? esp::HostVerdict::outside_window
                                  : e == KatExpectedResult::reject_integrity     ? esp::HostVerdict::bad_icv
                                                                                 : esp::HostVerdict::ok;
    o.checks.push_back("packet " + std::to_string(i) + ": " + std::string(esp::host_verdict_name(want)));
    if (r.status.verdict != want)
      ok = fail(o, "packet " + std::to_string(i) + " (" + ref->name + "): verdict " +
                       std::string(esp::host_verdict_name(r.status.verdict)) + ", expected " +
                       std::string(esp::host_verdict_name(want)));
  }
  return ok;
}

bool documented_fields(const KnownAnswer& v, const crypto::CryptoLibrary& lib, KatOutcome& o) {
  esp::EspSuite suite;
  std::string why;
  if (!kat_suite(v, suite, why)) return fail(o, why);
  return check_documented_fields(v, suite, lib, o);
}

}  // namespace

std::vector<KatOutcome> run_known_answers(const KnownAnswerFile& file) {
  std::vector<KatOutcome> outcomes;
  const crypto::CryptoLibrary* lib = crypto::CryptoLibrary::shared();
  std::unique_ptr<crypto::SeededRandomSource> rng;
  if (lib != nullptr) crypto::SeededRandomSource::create(*lib, 1, rng);
  for (const auto& v : file.vectors) {
    KatOutcome o;
    o.name = v.name;
    o.category = kat_category_name(v.category);
    if (lib == nullptr || !rng) {
      o.failure = "OpenSSL library context unavailable";
      outcomes.push_back(o);
      continue;
    }
    switch (v.category) {
      case KatCategory::mac_primitive: o.passed = run_mac(v, *lib, o); break;
      case KatCategory::cipher_primitive: o.passed = run_cipher(v, *lib, o); break;
      case KatCategory::esp_packet: o.passed = run_esp_packet(v, *lib, *rng, o) & documented_fields(v, *lib, o); break;
      case KatCategory::ip_packet: o.passed = run_ip_packet(v, *rng, o) & documented_fields(v, *lib, o); break;
      case KatCategory::replay_scenario: o.passed = run_replay(v, file, *rng, o); break;
    }
    if (o.passed && !o.failure.empty()) o.passed = false;
    outcomes.push_back(std::move(o));
  }
  return outcomes;
}

}  // namespace cts::vectors
