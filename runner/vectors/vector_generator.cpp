#include "runner/vectors/vector_generator.h"

#include <algorithm>
#include <map>

#include "oracle/crypto/crypto_library.h"
#include "oracle/crypto/random_source.h"
#include "oracle/esp/esp_host.h"
#include "oracle/esp/esp_transform.h"
#include "runner/vectors/host_setup.h"
#include "runner/vectors/known_answer_vectors.h"
#include "runner/vectors/link_frame.h"
#include "runner/vectors/plain_packets.h"

namespace cts::vectors {

namespace {

uint64_t fnv1a(const std::string& s) {
  uint64_t h = 0xcbf29ce484222325ull;
  for (char c : s) h = (h ^ static_cast<uint8_t>(c)) * 0x100000001b3ull;
  return h;
}

// Builds one vector: SAs, packets protected by the oracle, twins derived by flag.
class VectorBuilder {
 public:
  VectorBuilder(const GenerateOptions& opt, const std::string& name, const std::string& description)
      : opt_(opt) {
    data_.name = "generated/" + name;
    data_.sidecar.name = name;
    data_.sidecar.description = description;
    data_.sidecar.provenance.kind = "generated";
    data_.sidecar.provenance.tool = "ipsec-cts vectors generate";
    data_.sidecar.provenance.tool_version = opt.tool_version;
    data_.sidecar.provenance.seed = opt.seed;
    lib_ = crypto::CryptoLibrary::shared();
    if (lib_ == nullptr) {
      fail("OpenSSL library context unavailable");
      return;
    }
    // One generator per vector, keyed by seed and name: adding a vector never changes another.
    if (!crypto::SeededRandomSource::create(*lib_, opt.seed ^ fnv1a(name), rng_).ok()) fail("seeded generator");
    if (ok() && !esp::EspHost::create(host_, rng_.get(), lib_).ok()) fail("oracle host");
  }

  bool ok() const { return error_.empty(); }
  const std::string& error() const { return error_; }

  std::vector<uint8_t> random(size_t n) {
    std::vector<uint8_t> b(n);
    if (n != 0 && ok() && !rng_->fill(crypto::MutableBytes(b.data(), n)).ok()) fail("random bytes");
    return b;
  }

  // Adds an SA with fresh keys; returns its id.
  SidecarSa& add_sa(const std::string& id, const std::string& suite, SaMode mode, uint8_t ip_version,
                    bool esn, uint64_t initial_sequence, bool udp = false, uint32_t window = 64) {
    SidecarSa sa;
    sa.id = id;
    sa.spi = 0x1000u + static_cast<uint32_t>(data_.sidecar.sas.size()) * 0x11u;
    sa.direction = SaDirection::inbound;
    sa.mode = mode;
    sa.ip_version = ip_version;
    if (ip_version == 4) {
      sa.source = mode == SaMode::tunnel ? "198.51.100.1" : "192.0.2.1";
      sa.destination = mode == SaMode::tunnel ? "198.51.100.2" : "192.0.2.2";
    } else {
      sa.source = mode == SaMode::tunnel ? "2001:db8:ffff::1" : "2001:db8::1";
      sa.destination = mode == SaMode::tunnel ? "2001:db8:ffff::2" : "2001:db8::2";
    }
    if (!esp::parse_suite(suite, sa.suite)) fail("unknown suite " + suite);
    sa.encryption_key = random(esp::cipher_key_size(sa.suite.encryption));
    sa.salt = random(esp::is_combined(sa.suite.encryption) ? 4 : 0);
    sa.integrity_key = random(esp::integrity_key_size(sa.suite.integrity));
    sa.esn = esn;
    sa.initial_sequence = initial_sequence;
    sa.anti_replay = esp::has_integrity(sa.suite);
    sa.replay_window = window;
    if (udp) sa.udp_encap = UdpEncap{4500, 4500};
    data_.sidecar.sas.push_back(sa);
    return data_.sidecar.sas.back();
  }

  struct Emit {
    std::vector<std::string> requirements;
    std::vector<std::string> flags;
    std::string comment;
    PacketVerdict expect = PacketVerdict::ok;
    std::optional<uint32_t> esn_high;  // default: seq >> 32
    size_t payload = 64;
    bool ipv6_ext = false;
    uint8_t inner_version = 0;  // tunnel: 0 = same as outer
    size_t tfc = 0;
    bool dummy = false;
  };

  // Protects one datagram with sequence number `seq` on SA `sa_id`; returns the packet index.
  // `hidden`: built only as the source of a twin, not put into the capture.
  size_t emit(const std::string& sa_id, uint64_t seq, const Emit& e, bool hidden = false) {
    if (!ok()) return 0;
    const SidecarSa* sa = data_.sidecar.find_sa(sa_id);
    esp::HostSaParams p;
    std::string why;
    if (!host_params(*sa, p, why)) return fail(why), 0;
    // An outbound SA whose last sent number is seq-1, so the oracle's own counter yields `seq`
    // (SEQ-001); without anti-replay it may wrap to 0 (SEQ-005), which the sequence-0 case uses.
    p.esp->initial_sequence = seq - 1;
    p.esp->anti_replay = seq != 0 && p.esp->anti_replay;
    if (seq == 0) p.esp->initial_sequence = sa->esn ? ~0ull : 0xFFFFFFFFull;
    esp::HostSaId id = 0;
    const esp::HostStatus added = host_->add_outbound(p, id);
    if (!added.ok()) return fail("add_outbound " + sa_id + ": " + added.detail), 0;

    const uint8_t inner_version = e.inner_version != 0 ? e.inner_version : sa->ip_version;
    PlainUdp u;
    if (sa->mode == SaMode::tunnel) {
      if (inner_version == 4) {
        u.source = esp::IpAddress::v4({10, 0, 1, 1});
        u.destination = esp::IpAddress::v4({10, 0, 2, 1});
      } else {
        esp::IpAddress a;
        parse_ip_address("2001:db8:1::1", 6, u.source);
        parse_ip_address("2001:db8:2::1", 6, a);
        u.destination = a;
      }
    } else {
      parse_ip_address(sa->source, sa->ip_version, u.source);
      parse_ip_address(sa->destination, sa->ip_version, u.destination);
      u.ipv6_hop_by_hop = e.ipv6_ext;
      u.ipv6_destination_opts = e.ipv6_ext;
    }
    const std::vector<uint8_t> payload = random(e.payload);
    const std::vector<uint8_t> plain = make_udp_datagram(u, payload);
    std::vector<uint8_t> iv = random(esp::iv_size(sa->suite));  // IV from the seeded generator
    esp::ProtectOptions po;
    po.esp_iv = iv.empty() ? nullptr : iv.data();
    po.tfc_length = e.tfc;
    po.dummy = e.dummy;
    po.dummy_length = e.dummy ? e.payload : 0;
    po.outer_ipv4_id = static_cast<uint16_t>(0x100 + records_.size());
    std::vector<uint8_t> out(plain.size() + 512);
    const esp::ProtectResult r = host_->protect(id, plain, out, po);
    host_->remove_outbound(id);
    if (!r.status.ok())
      return fail("protect on " + sa_id + ": " + std::string(esp::host_verdict_name(r.status.verdict)) + " (" +
                  r.status.detail + ")"), 0;
    out.resize(r.length);
    if (r.esp_sequence != seq) return fail("oracle used sequence " + std::to_string(r.esp_sequence)), 0;

    SidecarPacket pk;
    pk.sa = sa_id;
    pk.sequence = seq;
    if (sa->esn) pk.esn_high = e.esn_high.value_or(static_cast<uint32_t>(seq >> 32));
    pk.expect = e.expect;
    if (e.expect == PacketVerdict::ok) {
      pk.inner_protocol = sa->mode == SaMode::tunnel ? (inner_version == 4 ? 4 : 41) : esp::kProtoUdp;
      // IPv6 transport: Hop-by-Hop stays in front of ESP, Destination Options goes after it (the
      // normal placement, RFC 4303 §3.1.1, RFC 8200 §4.1), so ESP's Next Header is 60.
      if (sa->mode == SaMode::transport && sa->ip_version == 6 && e.ipv6_ext) pk.inner_protocol = esp::kProtoDestinationOptions;
    }
    pk.requirements = e.requirements;
    pk.flags = e.flags.empty() ? std::vector<std::string>{"valid"} : e.flags;
    pk.comment = e.comment;
    return add_record(pk, out, r.esp_offset, std::nullopt, hidden);
  }

  // Repeats packet `of` byte for byte (duplicates).
  size_t repeat(size_t of, PacketVerdict expect, std::vector<std::string> reqs, std::vector<std::string> flags,
                const std::string& comment) {
    return add_derived(of, records_[of].datagram, expect, std::move(reqs), std::move(flags), comment);
  }

  // Negative twins derived from packet `of` by flag (DPDK style: never copied by hand).
  size_t twin(size_t of, const std::string& flag) {
    if (!ok()) return 0;
    std::vector<uint8_t> d = records_[of].datagram;
    const uint32_t esp_off = records_[of].esp_offset;
    const SidecarSa* sa = data_.sidecar.find_sa(records_[of].packet.sa);
    if (flag == "corrupt-icv") {
      d.back() ^= 0x01;  // last ICV octet
      return placed_before(of, add_derived(of, d, PacketVerdict::bad_icv, {"ICV-003", "ICV-001"}, {"corrupt-icv"},
                                           "last ICV octet flipped"));
    }
    if (flag == "wrong-spi") {
      d[esp_off] ^= 0x80;  // an SPI no SA holds
      return placed_before(of, add_derived(of, d, PacketVerdict::unknown_spi, {"ESP-010", "ESP-003"}, {"wrong-spi"},
                                           "SPI changed to one no SA holds"));
    }
    if (flag == "truncated") {
      // Keep SPI, Seq and 4 octets; lengths fixed up so the IP datagram itself is consistent.
      const uint32_t udp_off = sa->udp_encap ? esp_off - 8 : 0;
      fix_lengths_after_cut(d, esp_off + 12, udp_off);
      return placed_before(of, add_derived(of, d, PacketVerdict::truncated, {"AUDIT-002"}, {"truncated"},
                                           "ESP cut to 12 octets (shorter than header+IV+trailer+ICV)"));
    }
    if (flag == "corrupt-padding") {
      // The ICV of this twin verifies, so it moves the window: its source must be a hidden packet
      // (built for this purpose, not in the capture) or the source would then be a replay.
      if (std::find(order_.begin(), order_.end(), of) != order_.end()) return fail("corrupt-padding needs a hidden source"), 0;
      // Decrypt with the SA's transform, spoil one pad octet, re-seal: the ICV verifies and only
      // the padding check can catch it (PAD-003/PAD-004).
      std::unique_ptr<esp::EspTransform> xf;
      const esp::EspSaConfig cfg = to_esp_config(*sa);
      if (!esp::EspTransform::create(cfg, *lib_, xf).ok()) return fail("transform for corrupt-padding"), 0;
      crypto::MutableBytes esp_bytes(d.data() + esp_off, d.size() - esp_off);
      const uint64_t seq = records_[of].packet.sequence;
      if (!xf->open(esp_bytes, static_cast<uint32_t>(seq >> 32)).ok()) return fail("open for corrupt-padding"), 0;
      const size_t pad_len_at = esp_bytes.size() - xf->icv_size() - 2;
      if (esp_bytes[pad_len_at] == 0) return fail("corrupt-padding needs a packet with padding"), 0;
      esp_bytes[pad_len_at - 1] ^= 0x5A;  // last pad octet (should read p)
      if (!xf->seal(esp_bytes, static_cast<uint32_t>(seq >> 32)).ok()) return fail("seal for corrupt-padding"), 0;
      return add_derived(of, d, PacketVerdict::bad_padding, {"PAD-003", "PAD-004"}, {"corrupt-padding"},
                         "last pad octet changed, ICV recomputed over the changed trailer");
    }
    fail("unknown twin flag " + flag);
    return 0;
  }

  // Moves record `id` behind every record added so far (a twin is placed before its source, so
  // the source's sequence number is still fresh when the twin is judged).
  void move_to_end(size_t id) {
    auto it = std::find(order_.begin(), order_.end(), id);
    if (it != order_.end()) {
      order_.erase(it);
      order_.push_back(id);
    }
  }

  size_t placed_before(size_t source, size_t twin_id) {
    move_to_end(source);
    return twin_id;
  }

  VectorData take() {
    std::map<size_t, uint64_t> final_index;
    for (size_t i = 0; i < order_.size(); ++i) final_index[order_[i]] = i;
    for (size_t i = 0; i < order_.size(); ++i) {
      Record& r = records_[order_[i]];
      SidecarPacket pk = r.packet;
      pk.index = i;
      pk.twin_of.reset();
      if (r.source && final_index.count(*r.source)) pk.twin_of = final_index[*r.source];
      data_.sidecar.packets.push_back(pk);
      std::vector<uint8_t> frame;
      append_ethernet_frame(r.datagram, frame);
      data_.frames.push_back(std::move(frame));
    }
    return std::move(data_);
  }

 private:
  struct Record {
    SidecarPacket packet;
    std::vector<uint8_t> datagram;
    uint32_t esp_offset = 0;
    std::optional<size_t> source;  // record a twin / repeat was derived from
  };

  size_t add_record(const SidecarPacket& pk, const std::vector<uint8_t>& d, uint32_t esp_offset,
                    std::optional<size_t> source, bool hidden) {
    records_.push_back(Record{pk, d, esp_offset, source});
    if (!hidden) order_.push_back(records_.size() - 1);
    return records_.size() - 1;
  }

  size_t add_derived(size_t of, const std::vector<uint8_t>& d, PacketVerdict expect, std::vector<std::string> reqs,
                     std::vector<std::string> flags, const std::string& comment) {
    SidecarPacket pk = records_[of].packet;
    pk.expect = expect;
    if (expect != PacketVerdict::ok) pk.inner_protocol.reset();
    pk.requirements = std::move(reqs);
    pk.flags = std::move(flags);
    pk.comment = comment;
    return add_record(pk, d, records_[of].esp_offset, of, false);
  }
  size_t fail(const std::string& why) {
    if (error_.empty()) error_ = data_.name + ": " + why;
    return 0;
  }

  const GenerateOptions& opt_;
  VectorData data_;
  const crypto::CryptoLibrary* lib_ = nullptr;
  std::unique_ptr<crypto::SeededRandomSource> rng_;
  std::unique_ptr<esp::EspHost> host_;
  std::vector<Record> records_;
  std::vector<size_t> order_;  // capture order of the visible records
  std::string error_;
};

std::vector<std::string> suite_requirements(const esp::EspSuite& s) {
  std::vector<std::string> r = {"ESP-001"};
  if (esp::is_gcm(s.encryption)) r.insert(r.end(), {"GCM-002", "GCM-004", "GCM-005", "GCM-006"});
  if (esp::is_gmac(s.encryption)) r.insert(r.end(), {"GMAC-001", "GMAC-002", "GMAC-003"});
  if (esp::is_cbc(s.encryption)) r.insert(r.end(), {"CBC-003", "CBC-004", "PAD-002"});
  if (s.encryption == esp::EspEncryption::null) r.push_back("NULL-001");
  switch (s.integrity) {
    case esp::EspIntegrity::hmac_md5_96: r.push_back("HMAC-001"); break;
    case esp::EspIntegrity::hmac_sha1_96: r.push_back("HMAC-002"); break;
    case esp::EspIntegrity::hmac_sha256_128:
    case esp::EspIntegrity::hmac_sha384_192:
    case esp::EspIntegrity::hmac_sha512_256: r.push_back("HMAC-003"); break;
    case esp::EspIntegrity::none: break;
  }
  r.push_back("PAD-003");
  return r;
}

std::vector<std::string> plus(std::vector<std::string> a, std::initializer_list<const char*> b) {
  for (const char* x : b) a.emplace_back(x);
  return a;
}

bool suite_vector(const GenerateOptions& opt, const esp::EspSuite& suite, std::vector<VectorData>& out,
                  std::string& error) {
  const std::string name = esp::format_suite(suite);
  VectorBuilder b(opt, "suite-" + name, "Every mode and IP version of suite " + name +
                                            ": 32-bit and ESN SAs (high half 1), transport and tunnel, IPv4 and IPv6");
  const auto reqs = suite_requirements(suite);
  b.add_sa("transport-v4", name, SaMode::transport, 4, false, 0);
  b.add_sa("tunnel-v4-esn", name, SaMode::tunnel, 4, true, 0x0000000100000010ull);
  b.add_sa("transport-v6-esn", name, SaMode::transport, 6, true, 0x0000000100000010ull);
  b.add_sa("tunnel-v6-inner-v4", name, SaMode::tunnel, 6, false, 0);
  VectorBuilder::Emit e;
  e.requirements = plus(reqs, {"MODE-001", "SEQ-001"});
  const size_t first = b.emit("transport-v4", 1, e);
  e.requirements = plus(reqs, {"MODE-003", "ESN-003", "ESN-005"});
  e.requirements.push_back(esp::is_combined(suite.encryption) ? (esp::is_gcm(suite.encryption) ? "GCM-004" : "GMAC-002")
                                                              : "ESN-004");
  b.emit("tunnel-v4-esn", 0x0000000100000011ull, e);
  e.requirements = plus(reqs, {"MODE-002", "ESN-003", "ESN-005"});
  b.emit("transport-v6-esn", 0x0000000100000012ull, e);
  e.requirements = plus(reqs, {"MODE-003"});
  e.inner_version = 4;
  b.emit("tunnel-v6-inner-v4", 7, e);
  if (esp::has_integrity(suite)) b.twin(first, "corrupt-icv");
  if (!b.ok()) return error = b.error(), false;
  out.push_back(b.take());
  return true;
}

bool esn_wrap_vector(const GenerateOptions& opt, const std::string& suite, const std::string& name,
                     std::vector<VectorData>& out, std::string& error) {
  VectorBuilder b(opt, name, "ESN across the 2^32 boundary with " + suite +
                                 ": high half 0 then 1 (App. A2.1 case A), duplicate after the wrap, and an old "
                                 "packet whose low word is read as the next subspace (RFC 4303 App. A2.1: BAD_ICV, not OUT_OF_WINDOW)");
  b.add_sa("esn", suite, SaMode::tunnel, 4, true, 0x00000000fffffff0ull);
  const bool hmac = suite.find("hmac") != std::string::npos;
  VectorBuilder::Emit e;
  e.requirements = {"ESN-003", "ESN-005", "ESN-006", hmac ? "ESN-004" : "GCM-004", "REPLAY-003"};
  e.flags = {"esn-wrap"};
  size_t before = 0, after = 0;
  for (uint64_t s : {0xfffffff8ull, 0xfffffffeull, 0xffffffffull}) before = b.emit("esn", s, e);
  for (uint64_t s : {0x100000000ull, 0x100000001ull, 0x100000005ull}) after = b.emit("esn", s, e);
  // Inside the window across the boundary: 0x1_00000003 after 0x1_00000005 (case B, Seqh = Th).
  e.comment = "in window across the boundary";
  b.emit("esn", 0x100000003ull, e);
  b.repeat(after, PacketVerdict::replay, {"REPLAY-006", "ESN-005"}, {"duplicate"}, "duplicate after the wrap");
  b.repeat(before, PacketVerdict::replay, {"REPLAY-006", "ESN-005"}, {"duplicate"},
           "0x0:ffffffff again: case B infers Seqh = 0, still inside the window");
  // A packet from far back in subspace 0 (low word 0x00000100 with T = 1:5): case B gives
  // Seqh = 1 -> "ahead", and the ICV computed with high half 0 fails (RFC 4303 App. A2.1).
  VectorBuilder::Emit old = e;
  old.expect = PacketVerdict::bad_icv;
  old.esn_high = 1;
  old.flags = {"esn-old-as-next"};
  old.requirements = {"ESN-005", "ICV-003"};
  old.comment = "sent as 0:00000100, inferred as 1:00000100; the ICV fails";
  b.emit("esn", 0x0000000000000100ull, old);
  VectorBuilder::Emit later = e;
  later.comment = "the window is unchanged by the failure";
  b.emit("esn", 0x100000006ull, later);
  if (!b.ok()) return error = b.error(), false;
  out.push_back(b.take());
  return true;
}

bool replay_vector(const GenerateOptions& opt, std::vector<VectorData>& out, std::string& error) {
  VectorBuilder b(opt, "replay-window",
                  "32-bit anti-replay, window 64 (RFC 4303 §3.4.3): duplicate, inside, outside, far ahead, "
                  "sequence 0, forged packet with a fresh number then the genuine one");
  b.add_sa("w64", "null-hmac-sha256", SaMode::transport, 4, false, 0);
  VectorBuilder::Emit ok;
  ok.requirements = {"REPLAY-001", "REPLAY-003", "SEQ-001"};
  size_t p3 = 0;
  for (uint64_t s = 1; s <= 5; ++s) {
    const size_t i = b.emit("w64", s, ok);
    if (s == 3) p3 = i;
  }
  b.repeat(p3, PacketVerdict::replay, {"REPLAY-004", "REPLAY-006"}, {"duplicate"}, "duplicate of 3 inside the window");
  VectorBuilder::Emit jump = ok;
  jump.requirements = {"REPLAY-008"};
  b.emit("w64", 100, jump);
  VectorBuilder::Emit outside = ok;
  outside.expect = PacketVerdict::outside_window;
  outside.flags = {"outside-window"};
  outside.requirements = {"REPLAY-006"};
  outside.comment = "100 - 20 >= 64: left of the window";
  b.emit("w64", 20, outside);
  VectorBuilder::Emit inside = ok;
  inside.flags = {"inside-window"};
  inside.requirements = {"REPLAY-006"};
  inside.comment = "100 - 40 < 64 and never seen: accepted";
  b.emit("w64", 40, inside);
  VectorBuilder::Emit edge = inside;
  edge.comment = "lowest slot of the window (T - 63)";
  b.emit("w64", 37, edge);
  VectorBuilder::Emit edge_out = outside;
  edge_out.comment = "T - 64: first number left of the window";
  b.emit("w64", 36, edge_out);
  // Forged: fresh number 150 with a bad ICV, then the genuine 150 (REPLAY-005).
  const size_t genuine_src = b.emit("w64", 150, ok);
  (void)genuine_src;
  VectorBuilder::Emit far = ok;
  far.flags = {"far-ahead"};
  far.comment = "far ahead: the window slides by ~2^31";
  far.requirements = {"REPLAY-006"};
  const size_t far_i = b.emit("w64", 0x80000000ull, far);
  VectorBuilder::Emit old = outside;
  old.comment = "150 is now far left of the window";
  b.emit("w64", 151, old);
  b.repeat(far_i, PacketVerdict::replay, {"REPLAY-006"}, {"duplicate"}, "duplicate of the right edge");
  VectorBuilder::Emit zero = outside;
  zero.flags = {"sequence-zero"};
  zero.requirements = {"SEQ-007"};
  zero.comment = "sequence 0 is never sent on a 32-bit SA";
  b.emit("w64", 0, zero);
  if (!b.ok()) return error = b.error(), false;
  out.push_back(b.take());

  VectorBuilder f(opt, "replay-forged-then-genuine",
                  "A forged packet with a fresh sequence number and a wrong ICV leaves the window untouched, so "
                  "the genuine packet with that number is accepted (REPLAY-005, RFC 4303 §3.4.3)");
  f.add_sa("w32", "aes-128-gcm", SaMode::tunnel, 4, false, 0, false, 32);
  VectorBuilder::Emit g;
  g.requirements = {"REPLAY-005", "REPLAY-007"};
  f.emit("w32", 1, g);
  const size_t genuine = f.emit("w32", 2, g);
  // Reorder: the forged copy must come first. Build it as a twin of the genuine packet, then put
  // the genuine packet again after it.
  f.twin(genuine, "corrupt-icv");
  f.repeat(genuine, PacketVerdict::replay, {"REPLAY-006"}, {"duplicate"}, "the genuine 2 again: now a replay");
  if (!f.ok()) return error = f.error(), false;
  out.push_back(f.take());
  return true;
}

bool twins_vector(const GenerateOptions& opt, std::vector<VectorData>& out, std::string& error) {
  VectorBuilder b(opt, "negative-twins",
                  "Negative twins derived by flag from valid packets of several suites: corrupted ICV, corrupted "
                  "padding (ICV recomputed), truncated, wrong SPI");
  const char* suites[] = {"aes-128-gcm", "aes-256-gcm-icv8", "aes-128-cbc-hmac-sha1", "null-hmac-sha256",
                          "aes-256-gmac", "aes-192-cbc-hmac-sha512"};
  int k = 0;
  for (const char* s : suites) {
    const std::string id = std::string("sa-") + s;
    b.add_sa(id, s, k % 2 ? SaMode::tunnel : SaMode::transport, k % 3 == 2 ? 6 : 4, k % 2 == 1, 0x10);
    VectorBuilder::Emit e;
    esp::EspSuite suite;
    esp::parse_suite(s, suite);
    e.requirements = suite_requirements(suite);
    e.payload = 60;  // leaves at least one pad octet for every pad modulus
    const size_t v = b.emit(id, 0x11, e);
    b.twin(v, "corrupt-icv");
    b.twin(v, "truncated");
    b.twin(v, "wrong-spi");
    b.twin(b.emit(id, 0x12, e, /*hidden=*/true), "corrupt-padding");
    ++k;
  }
  if (!b.ok()) return error = b.error(), false;
  out.push_back(b.take());
  return true;
}

bool udp_vector(const GenerateOptions& opt, std::vector<VectorData>& out, std::string& error) {
  VectorBuilder b(opt, "udp-encap", "RFC 3948 UDP encapsulation (port 4500): transport and tunnel, IPv4 and IPv6, "
                                    "GCM and CBC+HMAC, 32-bit and ESN");
  b.add_sa("udp-transport-v4", "aes-128-gcm", SaMode::transport, 4, false, 0);
  b.add_sa("udp-tunnel-v4-esn", "aes-128-cbc-hmac-sha256", SaMode::tunnel, 4, true, 0x200000000ull);
  b.add_sa("udp-transport-v6", "aes-256-gcm", SaMode::transport, 6, false, 0);
  b.add_sa("udp-tunnel-v6", "null-hmac-sha1", SaMode::tunnel, 6, false, 0);
  VectorBuilder::Emit e;
  e.requirements = {"UDPENC-001", "UDPENC-002", "UDPENC-006"};
  e.flags = {"udp-encap"};
  const size_t a = b.emit("udp-transport-v4", 1, e);
  b.emit("udp-tunnel-v4-esn", 0x200000001ull, e);
  b.emit("udp-transport-v6", 1, e);
  b.emit("udp-tunnel-v6", 1, e);
  b.twin(a, "corrupt-icv");
  if (!b.ok()) return error = b.error(), false;
  out.push_back(b.take());
  return true;
}

bool ipv6_ext_vector(const GenerateOptions& opt, std::vector<VectorData>& out, std::string& error) {
  VectorBuilder b(opt, "ipv6-ext", "IPv6 transport mode with Hop-by-Hop and Destination Options headers: ESP follows "
                                   "the last header that must stay in front of it (MODE-002)");
  b.add_sa("v6-gcm", "aes-128-gcm", SaMode::transport, 6, false, 0);
  b.add_sa("v6-cbc-esn", "aes-256-cbc-hmac-sha256", SaMode::transport, 6, true, 0x300000000ull);
  VectorBuilder::Emit e;
  e.requirements = {"MODE-002", "MODE-006"};
  e.flags = {"ipv6-ext-headers"};
  e.ipv6_ext = true;
  const size_t a = b.emit("v6-gcm", 1, e);
  b.emit("v6-cbc-esn", 0x300000001ull, e);
  b.twin(a, "corrupt-icv");
  if (!b.ok()) return error = b.error(), false;
  out.push_back(b.take());
  return true;
}

bool dummy_tfc_vector(const GenerateOptions& opt, std::vector<VectorData>& out, std::string& error) {
  VectorBuilder b(opt, "dummy-tfc", "Dummy packets (Next Header 59) are dropped silently after a good ICV; TFC "
                                    "padding in tunnel mode is removed by the inner length");
  b.add_sa("gcm", "aes-128-gcm", SaMode::tunnel, 4, false, 0);
  b.add_sa("cbc", "aes-128-cbc-hmac-sha1", SaMode::tunnel, 6, false, 0);
  VectorBuilder::Emit d;
  d.dummy = true;
  d.payload = 40;
  d.expect = PacketVerdict::dummy;
  d.flags = {"dummy"};
  d.requirements = {"DUMMY-001", "DUMMY-002", "DUMMY-003"};
  const size_t dg = b.emit("gcm", 1, d);
  b.twin(dg, "corrupt-icv");  // a dummy still carries an ICV that is verified (DUMMY-003)
  b.emit("cbc", 1, d);
  VectorBuilder::Emit t;
  t.tfc = 24;
  t.flags = {"tfc"};
  t.requirements = {"TFC-001", "TFC-002"};
  b.emit("gcm", 2, t);
  b.emit("cbc", 2, t);
  if (!b.ok()) return error = b.error(), false;
  out.push_back(b.take());
  return true;
}

}  // namespace

bool generate_vectors(const GenerateOptions& opt, std::vector<VectorData>& out, std::string& error) {
  out.clear();
  for (const esp::EspSuite& s : esp::all_suites())
    if (!suite_vector(opt, s, out, error)) return false;
  if (!esn_wrap_vector(opt, "aes-128-gcm", "esn-wrap-gcm", out, error)) return false;
  if (!esn_wrap_vector(opt, "aes-128-cbc-hmac-sha256", "esn-wrap-hmac", out, error)) return false;
  if (!esn_wrap_vector(opt, "aes-128-gmac", "esn-wrap-gmac", out, error)) return false;
  if (!replay_vector(opt, out, error)) return false;
  if (!twins_vector(opt, out, error)) return false;
  if (!udp_vector(opt, out, error)) return false;
  if (!ipv6_ext_vector(opt, out, error)) return false;
  if (!dummy_tfc_vector(opt, out, error)) return false;
  if (!opt.known_answers.empty() && !published_vectors(opt.known_answers, opt.tool_version, out, error)) return false;
  return true;
}

}  // namespace cts::vectors
