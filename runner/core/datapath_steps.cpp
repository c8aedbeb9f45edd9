// Send and receive steps: build the traffic from the case's packet description and the SA's
// keys, hand the same frame to the device and the oracle, judge both.
#include "oracle/ndis/constants.h"
#include "runner/cases/case_names.h"
#include "runner/core/case_execution.h"
#include "runner/core/check_requirements.h"
#include "oracle/esp/nic_sa_config.h"
#include "runner/core/ah_framer.h"
#include "runner/core/packet_builder.h"
#include "runner/core/transport_framer.h"
#include "runner/core/vector_material.h"
#include "runner/core/wire_judge.h"
#include "oracle/esp/esp_trailer.h"
#include "oracle/esp/udp_encap.h"
#include "oracle/esp/ip_fixup.h"
#include "oracle/esp/ip_packet.h"

namespace cts::core::detail {

namespace {

using cases::Corruption;

struct BuiltPacket {
  std::vector<uint8_t> plain;  // transport: whole datagram; tunnel: the inner datagram
  bool tunnel = false;
  TrailerShape trailer;        // padding and TFC the packet's ESP trailer carries
  std::optional<bool> udp_checksum;  // UDP-ESP: computed (true) or zero; default per IP version
};

// The UDP header a UDP-ESP bundle's packets carry (RFC 3948 2.1): zero checksum over IPv4
// (UDPENC-002), computed over IPv6 (OQ-ESP-1), unless the case says otherwise.
UdpShape udp_shape(const MaterialBundle& b, const std::optional<bool>& checksum, const std::string& where) {
  UdpShape u;
  u.encap = b.udp_esp != 0;
  if (checksum && !u.encap)
    throw HarnessFailed{where + ": udp_checksum needs a bundle added with udp_esp (UDP-encapsulated ESP)"};
  u.checksum = checksum.value_or(b.ip_version == 6);
  return u;
}

std::array<uint8_t, 16> inner_address(int version, bool source) {
  // Tunnel-mode inner hosts behind the two gateways (documentation / ULA ranges).
  std::array<uint8_t, 16> a{};
  if (version == 6) {
    a = *parse_address(source ? "fd00:1::10" : "fd00:2::20", 6);
  } else {
    a = *parse_address(source ? "10.1.0.10" : "10.2.0.20", 4);
  }
  return a;
}

// The first fragment of `d` (RFC 791 / RFC 8200 4.5): More Fragments set, the fragmentable part
// cut to whole 8-octet units, about half of it. IPv6 gets a Fragment header after the
// unfragmentable headers. Empty when `d` is too short.
std::vector<uint8_t> first_fragment(std::vector<uint8_t> d) {
  esp::IpLayout L;
  if (!esp::parse_ip(d, L).ok()) return {};
  if (L.version == 4) {
    const size_t hl = L.header_length;
    const size_t keep = (d.size() - hl) / 2 / 8 * 8;
    if (keep == 0) return {};
    d.resize(hl + keep);
    d[6] = 0x20;  // More Fragments, offset 0
    d[7] = 0;
    d[2] = static_cast<uint8_t>(d.size() >> 8);
    d[3] = static_cast<uint8_t>(d.size());
    fix_ipv4_checksum(d);
    return d;
  }
  // Unfragmentable part: the IPv6 header and the headers ESP was placed behind.
  const esp::InsertionPoint at = esp::transport_insertion_point(L);
  const uint8_t next = d[at.protocol_field_offset];
  d[at.protocol_field_offset] = 44;
  const uint8_t frag[8] = {next, 0, 0x00, 0x01, 0, 0, 0, 0x2B};  // offset 0, M = 1
  d.insert(d.begin() + at.offset, frag, frag + 8);
  const size_t fragmentable = d.size() - at.offset - 8;
  const size_t keep = fragmentable / 2 / 8 * 8;
  if (keep == 0) return {};
  d.resize(at.offset + 8 + keep);
  d[4] = static_cast<uint8_t>((d.size() - 40) >> 8);
  d[5] = static_cast<uint8_t>(d.size() - 40);
  return d;
}

}  // namespace

static BuiltPacket build_packet(const cases::PacketDef& p, const MaterialBundle& b, cases::ExprEnv& env,
                                CaseRandom& rng, const std::string& where, bool from_peer) {
  BuiltPacket out;
  out.tunnel = p.tunnel;
  if (!p.vector.empty()) throw HarnessFailed{where + ": a send step cannot take a vector record (vectors are received: the device must build its own output)"};
  DatagramSpec d;
  d.protocol = p.protocol;
  int64_t size = p.payload_size.eval(env);
  if (size < 0 || size > 9000) throw HarnessFailed{where + ": payload_size " + std::to_string(size) + " outside [0, 9000]"};
  switch (p.pattern) {
    case cases::PacketDef::Pattern::counter:
      for (int64_t i = 0; i < size; ++i) d.payload.push_back(static_cast<uint8_t>(i));
      break;
    case cases::PacketDef::Pattern::zero: d.payload.assign(static_cast<size_t>(size), 0); break;
    case cases::PacketDef::Pattern::ones: d.payload.assign(static_cast<size_t>(size), 0xFF); break;
    case cases::PacketDef::Pattern::random: d.payload = rng.bytes(static_cast<size_t>(size)); break;
  }
  auto addr = [&](const cases::StringTemplate& t, int version, std::array<uint8_t, 16> fallback) {
    if (t.text().empty()) return fallback;
    auto a = parse_address(t.render(env), version);
    if (!a) throw HarnessFailed{where + ": bad address \"" + t.render(env) + "\""};
    return *a;
  };
  if (p.tunnel) {
    d.ip_version = p.inner_ip_version.value_or(p.ip_version.value_or(b.ip_version));
    d.src = addr(p.src, d.ip_version, inner_address(d.ip_version, !from_peer));
    d.dst = addr(p.dst, d.ip_version, inner_address(d.ip_version, from_peer));
  } else {
    d.ip_version = p.ip_version.value_or(b.ip_version);
    d.src = addr(p.src, d.ip_version, d.ip_version == b.ip_version ? b.src : default_local(d.ip_version));
    d.dst = addr(p.dst, d.ip_version, d.ip_version == b.ip_version ? b.dst : default_peer(d.ip_version));
  }
  if (p.ipv4_options) {
    const int64_t n = p.ipv4_options->eval(env);
    if (d.ip_version != 4) throw HarnessFailed{where + ": ipv4_options on an IPv6 packet"};
    if (n < 0 || n > 40 || n % 4 != 0)
      throw HarnessFailed{where + ": ipv4_options " + std::to_string(n) + " is not a multiple of 4 in [0, 40] (RFC 791)"};
    d.ipv4_options = static_cast<uint32_t>(n);
    d.ipv4_option = p.ipv4_option == cases::PacketDef::Ipv4Option::experimental ? DatagramSpec::Ipv4Option::experimental
                                                                                : DatagramSpec::Ipv4Option::router_alert;
  }
  if (!p.ipv6_ext.empty() && d.ip_version != 6) throw HarnessFailed{where + ": ipv6_ext on an IPv4 packet"};
  d.ipv6_ext = p.ipv6_ext;
  d.fragment = p.fragment == cases::PacketDef::Fragment::first  ? DatagramSpec::Fragment::first
               : p.fragment == cases::PacketDef::Fragment::last ? DatagramSpec::Fragment::last
                                                                : DatagramSpec::Fragment::none;
  out.plain = build_datagram(d);
  if (p.tfc) {
    const int64_t tfc = p.tfc->eval(env);
    if (tfc < 0 || tfc > 1500) throw HarnessFailed{where + ": tfc " + std::to_string(tfc) + " outside [0, 1500]"};
    out.trailer.tfc = static_cast<size_t>(tfc);
  }
  out.trailer.pad_max = p.pad_max;
  out.udp_checksum = p.udp_checksum;
  if (p.pad_length) {
    const int64_t pl = p.pad_length->eval(env);
    if (pl < 0 || pl > 255) throw HarnessFailed{where + ": pad_length " + std::to_string(pl) + " outside [0, 255] (PAD-005)"};
    out.trailer.pad_length = static_cast<size_t>(pl);
  }
  return out;
}

esp::SendJudge& CaseExecution::send_judge(bool device_side) {
  std::unique_ptr<esp::SendJudge>& j = device_side ? device_judge_ : oracle_judge_;
  if (!j) j = make_send_judge(oracle_.table());
  if (!j) harness("cannot create the send judge (no crypto library)");
  return *j;
}

std::optional<ndis::BundleSpec> CaseExecution::send_bundle(const LabelState& l) {
  if (l.oracle_handle) {
    if (const sa::StoredBundle* b = oracle_.table().find(l.oracle_handle)) return b->spec;
  }
  std::string why;
  return bundle_spec_of(l.material(), caps_.gcm_key_includes_salt, why);
}

FramedSend CaseExecution::frame_send(const LabelState& l, const ndis::BundleSpec* spec_or_null, uint32_t seq,
                                     const std::vector<uint8_t>& plain, bool tunnel, const std::string& step,
                                     const TrailerShape& trailer, std::optional<bool> udp_checksum) {
  std::string why;
  // A bundle that does not validate (a case that adds a malformed one) is framed for its ESP SA.
  ndis::BundleSpec esp_only;
  esp_only.sas[0].operation = ndis::IPsecOffloadV2Esp;
  const ndis::BundleSpec& spec = spec_or_null ? *spec_or_null : esp_only;
  const bool has_esp = spec.sas[0].operation == ndis::IPsecOffloadV2Esp;
  const int ah_i = has_esp ? (spec.num_ext_hdrs == 2 ? 1 : -1) : 0;
  FramedSend framed;
  if (has_esp) {
    auto cfg = host_esp_config(l.material(), 0, caps_.gcm_key_includes_salt, why);
    if (!cfg) harness(step + ": cannot frame for \"" + l.material().label + "\": " + why);
    framed = frame_for_send(cfg->suite, cfg->spi, seq, plain, tunnel, l.material().ip_version, l.material().src,
                            l.material().dst, why, trailer, udp_shape(l.material(), udp_checksum, step));
  } else {
    framed.datagram = datagram_before_ah(plain, tunnel, l.material().ip_version, l.material().src, l.material().dst);
  }
  if (framed.datagram.empty()) harness(step + ": cannot frame: " + why);
  if (ah_i >= 0) {
    esp::AhSaConfig ah;
    if (!esp::ah_config_from_sa(spec.sas[ah_i], ah).ok())
      harness(step + ": \"" + l.material().label + "\": the AH SA has no host transform");
    if (!insert_ah(framed, ah.algorithm, spec.sas[ah_i].spi, seq, why)) harness(step + ": cannot frame AH: " + why);
  }
  return framed;
}

void CaseExecution::send_step(const cases::SendStep& s, cases::ExprEnv& env, const std::string& name,
                              results::StepEvidence& ev) {
  ev.op = "send";
  LabelState& l = label(s.sa.render(env), name);
  const int64_t count = eval(s.count, env, name + ".count");
  if (count < 1 || count > 100000) harness(name + ": count outside [1, 100000]");
  const uint64_t dev_handle = s.handle ? resolve_handle(*s.handle, env, true, name) : l.device_handle;
  const uint64_t orc_handle = s.handle ? resolve_handle(*s.handle, env, false, name) : l.oracle_handle;
  // What the handle named for the device: the findings of a send that should not have been
  // protected name the rule about such handles (SEND-005, SEND-006, DEL-009).
  const SendHandleState handle_state = dev_handle == 0                   ? SendHandleState::zero
                                       : device_handle_deleted(dev_handle) ? SendHandleState::deleted
                                       : device_side_.live(dev_handle) ? SendHandleState::live
                                                                             : SendHandleState::never_issued;
  uint32_t next_seq = s.seq ? static_cast<uint32_t>(eval(*s.seq, env, name + ".seq")) : l.next_send_seq;
  for (int64_t k = 0; k < count; ++k) {
    const std::string pname = count > 1 ? name + ".packet[" + std::to_string(k) + "]" : name;
    const uint32_t seq = next_seq;
    // The SA as the table holds it now (current ESN high halves): what a protected frame must open under.
    const std::optional<ndis::BundleSpec> spec = send_bundle(l);
    const BuiltPacket pkt = build_packet(s.packet, l.material(), env, rng_, name, false);
    // An LSO send (SEND-007): one large TCP packet, one ESP sequence number per segment (OQ-17).
    std::optional<LsoSend> lso;
    uint32_t lso_mss = 0;
    if (s.lso) lso = frame_lso(l, spec ? &*spec : nullptr, *s.lso, seq, pkt.plain, env, pname, lso_mss);
    const FramedSend framed = lso ? lso->large
                                  : frame_send(l, spec ? &*spec : nullptr, seq, pkt.plain, pkt.tunnel, name,
                                               pkt.trailer, pkt.udp_checksum);
    next_seq = seq + static_cast<uint32_t>(lso ? lso->segments.size() : 1);
    l.next_send_seq = next_seq;
    const std::vector<uint8_t> frame = ethernet_wrap(framed.datagram, true);
    ndis::SendOob oob;
    oob.header_info = framed.header_info;
    oob.offload_handle = dev_handle;
    oob.lso_mss = lso_mss;
    step_capture_label_ = l.material().label;
    capture_frame("host -> device and oracle (to protect)", frame);
    auto dr = device_.send(frame, oob);
    if (!dr.ok()) device_error("send", dr.error());
    oob.offload_handle = orc_handle;
    const SendResult orr = oracle_.send(frame, oob);
    for (const auto& f : dr->frames) capture_frame("device wire output", f);
    for (const auto& f : orr.frames) capture_frame("oracle wire output", f);

    const std::optional<uint32_t> want_high =
        s.expect.seq_high ? std::optional<uint32_t>(static_cast<uint32_t>(eval(*s.expect.seq_high, env, name)))
                          : std::nullopt;
    const ndis::BundleSpec* judged = spec ? &*spec : nullptr;
    // An LSO send the oracle protected is judged segment by segment (lso_steps.cpp); one it
    // refused (a dead handle) like any other send that must leave nothing on the wire.
    const bool lso_protected = lso && judged && !orr.frames.empty();
    const WireVerdict ov = lso_protected ? judge_lso_output(*lso, *judged, orr.frames, want_high, false, pname)
                                         : judge_send_output(send_judge(false), frame, orr.frames, judged, want_high);
    const WireVerdict dv = lso_protected ? judge_lso_output(*lso, *judged, dr->frames, want_high, true, pname)
                                         : judge_send_output(send_judge(true), frame, dr->frames, judged, want_high);
    results::PacketEvidence pe;
    pe.frame = hex_bytes(frame, 256);
    pe.header_info = framed.header_info;
    pe.sequence = seq;
    if (want_high) pe.seq_high = *want_high;
    pe.pad_length = framed.pad_length;
    pe.device = results::PacketAnswer{};
    pe.device->completion = status_text(dr->completion_status);
    pe.device->verdict = dv.name();
    pe.device->detail = dv.detail;
    pe.device->seq_high_used = dv.seq_high_used;
    if (!dr->frames.empty()) pe.device->wire = hex_bytes(dr->frames[0], 256);
    pe.oracle = results::PacketAnswer{};
    pe.oracle->completion = status_text(orr.completion_status);
    pe.oracle->verdict = ov.name();
    pe.oracle->detail = ov.detail;
    pe.oracle->note = orr.note;
    if (!orr.frames.empty()) pe.oracle->wire = hex_bytes(orr.frames[0], 256);
    ev.packets.push_back(std::move(pe));

    // A send the oracle did not protect on a live handle: its note names the rule (SEND-016
    // fragments, SEND-004 offload off); other handles name the rule about such handles.
    const auto refusal_ids = [&] {
      // The label's own handle, which the device never gave although the oracle offloaded the
      // bundle: nothing could be protected; the fault is the ADD's answer (ADD-004 for a failed
      // request, else the NULL handle, ADD-003 / ADDEX-003).
      if (handle_state == SendHandleState::zero && !s.handle && orc_handle != 0)
        return l.added_ex ? RequirementIds{"ADDEX-003"}
               : l.device_request_failed ? RequirementIds{"ADD-004"}
                                         : handle_requirements(cases::OidKind::add_sa, HandleCheck::non_null_expected);
      if (handle_state == SendHandleState::live) {
        RequirementIds cited = cited_requirements(orr.note);
        if (!cited.empty()) return cited;
      }
      return send_refusal_requirements(handle_state);
    };
    // Completion status (SEND-006).
    const auto& ex = s.expect;
    auto status_ok = [](const cases::StatusExpect& e, uint32_t st) {
      for (const auto& a : e.any_of) {
        if (a.kind == cases::StatusAlternative::Kind::exact && a.value == st) return true;
        if (a.kind == cases::StatusAlternative::Kind::success && !ndis::ndis_failed(st)) return true;
        if (a.kind == cases::StatusAlternative::Kind::failure && ndis::ndis_failed(st)) return true;
      }
      return false;
    };
    if (ex.completion) {
      if (!status_ok(*ex.completion, orr.completion_status))
        harness(pname + ": the case expects completion " + ex.completion->text + " but the oracle completes with " +
                status_text(orr.completion_status) + " (" + orr.note + ")");
      if (!status_ok(*ex.completion, dr->completion_status))
        fail(pname, "completion_status", ex.completion->text, status_text(dr->completion_status),
             handle_state == SendHandleState::live ? send_completion_requirements(handle_state) : refusal_ids());
      else if (status_alternative(*ex.completion, dr->completion_status) !=
               status_alternative(*ex.completion, orr.completion_status))
        accept(pname, "completion_status", ex.open_question, status_text(dr->completion_status),
               status_text(orr.completion_status));
    } else if (dr->completion_status != orr.completion_status) {
      fail(pname, "completion_status", status_text(orr.completion_status) + " (as the oracle)",
           status_text(dr->completion_status),
           handle_state == SendHandleState::live ? send_completion_requirements(handle_state) : refusal_ids());
    }
    // Wire output, judged by opening it under the SA (esp::SendJudge).
    const esp::PacketVerdict want = ex.verdict ? *ex.verdict : ov.verdict;
    const std::string want_name(esp::packet_verdict_name(want));
    if (ex.verdict && ov.verdict != want)
      harness(pname + ": the case expects wire verdict \"" + want_name + "\" but the oracle's output is \"" +
              ov.name() + "\": " + ov.detail);
    if (dv.verdict != want)
      fail(pname, "wire", want_name + (ex.verdict ? "" : " (as the oracle)"), dv.name(),
           want == esp::PacketVerdict::protected_frame && handle_state != SendHandleState::zero ? dv.requirements
                                                                                                : refusal_ids(),
           dv.detail);
    if (!lso_protected) check_iv_unique(dv, &ov, pname);  // (an LSO send's segments: judge_lso_output)
    if (ex.wire && (dr->frames.empty() || dr->frames[0] != *ex.wire))
      fail(pname, "wire.bytes", hex_bytes(*ex.wire, 256), dr->frames.empty() ? "nothing" : hex_bytes(dr->frames[0], 256),
           {"SEND-009"});
    if (result_.findings.size() > findings_at_step_start_) return;
  }
  if (s.expect.table) check_table(*s.expect.table, env, name, ev);
}

// Each side's IVs under one key must not repeat (the send judge's IV history). The oracle
// repeating one is a harness fault; the device repeating one fails the case.
void CaseExecution::check_iv_unique(const WireVerdict& device_verdict, const WireVerdict* oracle_verdict,
                                    const std::string& pname) {
  if (oracle_verdict && oracle_verdict->verdict == esp::PacketVerdict::protected_frame &&
      !oracle_verdict->iv_repeats.empty()) {
    const esp::IvRepeat& r = oracle_verdict->iv_repeats[0];
    harness(pname + ": the oracle repeated IV " + hex_bytes(r.iv, r.iv.size()) + " (first with sequence " +
            std::to_string(r.first_sequence) + ")");
  }
  if (device_verdict.verdict != esp::PacketVerdict::protected_frame) return;  // judged already
  for (const esp::IvRepeat& r : device_verdict.iv_repeats) {
    if (!r.predictable.empty()) {
      fail(pname, "wire.iv", "an unpredictable CBC IV (RFC 3602 3)", hex_bytes(r.iv, r.iv.size()), {r.requirement},
           "the IV is " + r.predictable + " (the packet before it under this key had sequence " +
               std::to_string(r.first_sequence) + ")");
      continue;
    }
    fail(pname, "wire.iv", "an IV not used before under this SA's key", hex_bytes(r.iv, r.iv.size()),
         {r.requirement}, "the same IV went out with sequence " + std::to_string(r.first_sequence) + " under this key");
  }
}

PeerPacket CaseExecution::protect_as_peer(const LabelState& l, uint32_t seq, uint32_t high,
                                          const std::vector<uint8_t>& plain, bool tunnel, const std::string& pname,
                                          const TrailerShape& shape, bool malformed_padding,
                                          std::optional<bool> udp_checksum, bool damage_esp_icv) {
  if (!peer_) {
    if (!crypto::SeededRandomSource::create(*crypto::CryptoLibrary::shared(), rng_.next(), host_rng_).ok() ||
        !esp::EspHost::create(peer_, host_rng_.get()).ok())
      harness("cannot create the peer host");
  }
  std::string why;
  // The bundle as the case describes it: [ESP], [AH] or [ESP, AH]; the peer applies it as a
  // conforming sender does (ESP first, then AH over the finished ESP packet, RFC 4302 §3.1.1).
  const auto spec = bundle_spec_of(l.material(), caps_.gcm_key_includes_salt, why);
  const bool has_esp = !spec || spec->sas[0].operation == ndis::IPsecOffloadV2Esp;
  const int ah_i = !spec ? -1 : has_esp ? (spec->num_ext_hdrs == 2 ? 1 : -1) : 0;
  const bool esn = has_esp ? (esp_index(l.material()) && l.material().sas[*esp_index(l.material())].esn)
                           : spec->sas[0].esn;
  const uint64_t full = (esn ? static_cast<uint64_t>(high) << 32 : 0) | seq;
  if (full == 0) harness(pname + ": sequence number 0 cannot be sent by a conforming peer (SEQ-001)");
  esp::ProtectOptions po;
  esp::HostSaParams p;
  p.mode = tunnel ? esp::IpsecMode::tunnel : esp::IpsecMode::transport;
  if (has_esp) {
    auto cfg = host_esp_config(l.material(), full - 1, caps_.gcm_key_includes_salt, why);
    if (!cfg) harness(pname + ": cannot protect for \"" + l.material().label + "\": " + why);
    // The trailer the case asks for (RFC 4303 2.4, 2.7): the peer's padding beyond the minimum.
    po.tfc_length = shape.tfc;
    po.malformed_padding = malformed_padding;
    esp::IpLayout layout;  // transport: ESP protects what follows the options / extension headers
    if (!tunnel && !esp::parse_ip(plain, layout).ok()) harness(pname + ": the built packet does not parse");
    const size_t covered =
        (tunnel ? plain.size() : plain.size() - esp::transport_insertion_point(layout).offset) + shape.tfc;
    const auto pad = shaped_pad_length(cfg->suite, covered, shape, why);
    if (!pad) harness(pname + ": " + why);
    po.extra_padding = *pad - esp::minimal_pad_length(covered, esp::pad_modulus(cfg->suite));
    if (malformed_padding && *pad == 0)
      harness(pname + ": corrupt \"pad_bytes\" needs padding octets to damage; give the packet a pad_length of at least 1");
    p.esp = *cfg;
    const UdpShape udp = udp_shape(l.material(), udp_checksum, pname);
    p.udp_encap = udp.encap;  // RFC 3948: port 4500 both ways (OQ-20)
    p.udp.ipv4_checksum = p.udp.ipv6_checksum = udp.checksum ? esp::UdpChecksumMode::kCompute : esp::UdpChecksumMode::kZero;
  }
  if (damage_esp_icv && (!has_esp || ah_i < 0))
    harness(pname + ": corrupt \"esp_icv\" needs an [ESP, AH] bundle (the damage lies under a valid AH ICV)");
  po.damage_esp_icv = damage_esp_icv;
  if (ah_i >= 0) {
    esp::AhSaConfig ah;
    if (!esp::ah_config_from_sa(spec->sas[ah_i], ah).ok())
      harness(pname + ": \"" + l.material().label + "\": the AH SA has no host transform");
    const uint64_t ah_full = (spec->sas[ah_i].esn ? static_cast<uint64_t>(high) << 32 : 0) | seq;
    ah.initial_sequence = ah_full - 1;
    p.ah = std::move(ah);
  }
  if (tunnel) {
    p.tunnel.outer_version = static_cast<uint8_t>(l.material().ip_version);
    p.tunnel.source = l.material().src;
    p.tunnel.destination = l.material().dst;
  }
  esp::HostSaId id = 0;
  const esp::HostStatus added = peer_->add_outbound(p, id);
  if (!added.ok()) harness(pname + ": peer refuses the SA: " + added.detail);
  PeerPacket out;
  out.datagram.assign(plain.size() + shape.tfc + 512, 0);
  const esp::ProtectResult pr = peer_->protect(id, plain, out.datagram, po);
  peer_->remove_outbound(id);
  if (!pr.status.ok()) harness(pname + ": peer cannot protect: " + std::string(pr.status.detail));
  out.datagram.resize(pr.length);
  if (has_esp) {
    out.esp_offset = pr.esp_offset;
    out.spi_offset = ah_i >= 0 ? pr.ah_offset + 4 : pr.esp_offset;
    out.plaintext_at = pr.esp_offset + 8 + esp::iv_size(p.esp->suite);
  } else {
    // AH alone: what follows AH is the payload as the peer sent it (never encrypted).
    const size_t ah_len = (static_cast<size_t>(out.datagram[pr.ah_offset + 1]) + 2) * 4;
    out.esp_offset = pr.ah_offset;
    out.spi_offset = pr.ah_offset + 4;
    out.plaintext_at = pr.ah_offset + ah_len;
  }
  return out;
}

void CaseExecution::receive_step(const cases::ReceiveStep& s, cases::ExprEnv& env, const std::string& name,
                                 results::StepEvidence& ev) {
  ev.op = "receive";
  LabelState& l = label(s.sa.render(env), name);
  const int64_t count = eval(s.count, env, name + ".count");
  if (count < 1 || count > 100000) harness(name + ": count outside [1, 100000]");
  // What the device's answers left of the SA the peer protects with.
  const ReceiveSaState sa_state = l.device_deleted                       ? ReceiveSaState::deleted
                                  : l.device_request_failed              ? ReceiveSaState::request_failed
                                  : l.device_handle == 0                 ? ReceiveSaState::element_refused
                                                                         : ReceiveSaState::live;
  for (int64_t k = 0; k < count; ++k) {
    const std::string pname = count > 1 ? name + ".packet[" + std::to_string(k) + "]" : name;
    // A vector record is a fixed frame: its sequence number is the sidecar's, not the label's counter.
    const bool from_vector = !s.packet.vector.empty();
    const uint32_t seq = s.seq ? static_cast<uint32_t>(eval(*s.seq, env, name + ".seq") + k) : l.next_receive_seq;
    if (!from_vector) l.next_receive_seq = seq + 1;
    const uint32_t high = s.seq_high ? static_cast<uint32_t>(eval(*s.seq_high, env, name + ".seq_high")) : current_seq_high(l);
    const BuiltPacket pkt = from_vector ? BuiltPacket{} : build_packet(s.packet, l.material(), env, rng_, name, true);

    std::vector<uint8_t> datagram;
    size_t plaintext_at = 0;
    std::string why;
    if (from_vector) {
      if (!vector_datagram(s.packet.vector, s.packet.vector_packet, datagram, why)) harness(pname + ": " + why);
      // The ICV closes the ESP packet (RFC 4303 §2); one flipped bit must fail it (ICV-001).
      if (s.corrupt == Corruption::icv) datagram.back() ^= 0x01;
    } else if (s.corrupt == Corruption::clear) {
      datagram = pkt.plain;
    } else {
      const PeerPacket pp = protect_as_peer(l, seq, high, pkt.plain, pkt.tunnel, pname, pkt.trailer,
                                            s.corrupt == Corruption::pad_bytes, pkt.udp_checksum, s.corrupt == Corruption::esp_icv);
      datagram = pp.datagram;
      plaintext_at = pp.plaintext_at;
      // Deliberate damage (RECV-013: the device still indicates the packet, with the status).
      if (s.corrupt == Corruption::icv) {
        datagram.back() ^= 0x01;
      } else if (s.corrupt == Corruption::payload) {
        datagram[plaintext_at] ^= 0x80;
      } else if (s.corrupt == Corruption::spi) {
        datagram[pp.spi_offset] ^= 0x5A;  // an SPI no SA has (RECV-004)
      } else if (s.corrupt == Corruption::dst) {
        // A destination that is not the SA's (RECV-003).
        if (l.material().ip_version == 6) datagram[39] ^= 0x01;
        else datagram[19] ^= 0x01;
        fix_ipv4_checksum(datagram);
      } else if (s.corrupt == Corruption::udp_ike || s.corrupt == Corruption::udp_keepalive) {
        // What else arrives on the NAT-T port (RFC 3948 2.2, 2.3): IKE behind the non-ESP marker
        // (four zero octets where an SPI would be, UDP-002 / UDPENC-004) or a NAT-keepalive.
        if (l.material().udp_esp == 0) harness(pname + ": corrupt \"" + cases::to_string(s.corrupt) + "\" needs a UDP-ESP bundle");
        const size_t udp_at = pp.esp_offset - esp::kUdpHeader;
        datagram.resize(pp.esp_offset);
        if (s.corrupt == Corruption::udp_keepalive) {
          datagram.push_back(0xFF);
        } else {
          datagram.insert(datagram.end(), 4, 0);  // non-ESP marker
          for (size_t i = 0; i < 28; ++i) datagram.push_back(static_cast<uint8_t>(0x20 + i));  // an IKE header's worth
        }
        const size_t udp_len = datagram.size() - udp_at;
        datagram[udp_at + 4] = static_cast<uint8_t>(udp_len >> 8);
        datagram[udp_at + 5] = static_cast<uint8_t>(udp_len);
        if (l.material().ip_version == 6) {
          datagram[4] = static_cast<uint8_t>((datagram.size() - 40) >> 8);
          datagram[5] = static_cast<uint8_t>(datagram.size() - 40);
        } else {
          datagram[2] = static_cast<uint8_t>(datagram.size() >> 8);
          datagram[3] = static_cast<uint8_t>(datagram.size());
          fix_ipv4_checksum(datagram);
        }
        const bool v6 = l.material().ip_version == 6;
        esp::finish_udp_checksum(esp::MutableBytes(datagram), v6 ? 6 : 4, static_cast<uint32_t>(udp_at),
                                 static_cast<uint32_t>(udp_len),
                                 udp_shape(l.material(), pkt.udp_checksum, pname).checksum ? esp::UdpChecksumMode::kCompute
                                                                                          : esp::UdpChecksumMode::kZero);
      } else if (s.corrupt == Corruption::fragment) {
        datagram = first_fragment(datagram);
        if (datagram.empty()) harness(pname + ": the protected datagram is too short to fragment");
      } else if (s.corrupt == Corruption::truncate || s.corrupt == Corruption::esp_header_only) {
        const size_t keep = s.corrupt == Corruption::truncate ? pp.esp_offset + 8 + 4 : pp.esp_offset + 8;
        datagram.resize(keep);
        if (l.material().ip_version == 6) {
          datagram[4] = static_cast<uint8_t>((keep - 40) >> 8);
          datagram[5] = static_cast<uint8_t>(keep - 40);
        } else {
          datagram[2] = static_cast<uint8_t>(keep >> 8);
          datagram[3] = static_cast<uint8_t>(keep);
          fix_ipv4_checksum(datagram);
        }
      }
    }
    const std::vector<uint8_t> frame = ethernet_wrap(datagram, false);
    step_capture_label_ = l.material().label;
    capture_frame("peer -> device and oracle (protected)", frame);
    auto dr = device_.receive(frame);
    if (!dr.ok()) device_error("receive", dr.error());
    const ReceiveResult orr = oracle_.receive(frame);
    if (dr->indicated) capture_frame("device indication", dr->frame);
    if (orr.indicated) capture_frame("oracle indication", orr.frame);
    const uint64_t dinfo = dr->oob.ipsec_info, oinfo = orr.oob.ipsec_info;
    results::PacketEvidence pe;
    pe.frame = hex_bytes(frame, 256);
    if (from_vector) {
      pe.vector = results::VectorRecord{s.packet.vector, s.packet.vector_packet};
    } else {
      pe.sequence = seq;
      pe.seq_high = high;
    }
    pe.device = results::PacketAnswer{};
    pe.device->indicated = dr->indicated;
    pe.device->ipsec_info = dinfo;
    pe.device->header_info = dr->oob.header_info;
    pe.oracle = results::PacketAnswer{};
    pe.oracle->indicated = orr.indicated;
    pe.oracle->ipsec_info = oinfo;
    pe.oracle->header_info = orr.oob.header_info;
    pe.oracle->note = orr.note;
    ev.packets.push_back(std::move(pe));

    const auto& ex = s.expect;
    auto b2s = [](bool b) { return std::string(b ? "1" : "0"); };
    // Each observable: the case's expectation if it gives one (the oracle must agree), else the oracle's.
    auto check_bool = [&](const char* field, const std::optional<bool>& want, bool oracle_v, bool device_v,
                          std::vector<std::string> reqs) {
      if (want && *want != oracle_v)
        harness(pname + ": the case expects " + field + " = " + b2s(*want) + " but the oracle reports " +
                b2s(oracle_v) + " (" + orr.note + ")");
      const bool target = want ? *want : oracle_v;
      if (device_v != target)
        fail(pname, field, b2s(target) + (want ? "" : " (as the oracle)"), b2s(device_v), reqs);
    };
    check_bool("indicated", ex.indicated, orr.indicated, dr->indicated, {"RECV-012", "RECV-013"});
    const bool want_done = ex.crypto_done.value_or(orr.oob.crypto_done());
    const bool frame_changed =
        device_processed_packet(dr->indicated && dr->frame != frame, dr->oob.crypto_status());
    // A packet the NIC must leave alone on a live SA: the oracle's note names why (RECV-017
    // fragments, RECV-005 unadvertised headers, UDP-002 IKE).
    const RequirementIds untouched_ids = [&] {
      if (sa_state == ReceiveSaState::live && s.corrupt != Corruption::spi && s.corrupt != Corruption::dst) {
        RequirementIds cited = cited_requirements(orr.note);
        if (!cited.empty()) {
          // Decrypted although no SA matches it (RECV-004 cited): the lookup matched where it
          // must not (RECV-003); otherwise the flags on a packet it had to leave alone.
          const bool no_match = std::find(cited.begin(), cited.end(), "RECV-004") != cited.end();
          cited.push_back(frame_changed && no_match ? "RECV-003" : "RECV-010");
          return cited;
        }
      }
      return crypto_done_requirements(false, s.corrupt, sa_state, frame_changed);
    }();
    // CryptoDone missing on a packet the device did process (its frame is the oracle's): the flag
    // alone is wrong (RECV-006); on one it left alone, the processing is missing too (RECV-001).
    const bool device_processed_as_oracle = dr->indicated && orr.indicated && dr->frame == orr.frame && orr.oob.crypto_done();
    check_bool("oob.CryptoDone", ex.crypto_done, orr.oob.crypto_done(), dr->oob.crypto_done(),
               want_done ? (device_processed_as_oracle ? RequirementIds{"RECV-006"}
                                                       : crypto_done_requirements(true, s.corrupt, sa_state))
                         : untouched_ids);
    check_bool("oob.NextCryptoDone", ex.next_crypto_done, orr.oob.next_crypto_done(), dr->oob.next_crypto_done(), {"RECV-007"});
    // SaDeleteReq on a packet of an SA that is not offloaded is OOB data where none belongs
    // (RECV-004 and why the SA is gone); on a live SA, the request itself (RECV-018).
    // (On a packet the device did not match, or matched where the oracle does not, the flag
    // differs because the lookup did: that check's requirements.)
    const bool lookup_differs = dr->oob.crypto_done() != orr.oob.crypto_done();
    check_bool("oob.SaDeleteReq", ex.sa_delete_req, orr.oob.sa_delete_req(), dr->oob.sa_delete_req(),
               sa_state != ReceiveSaState::live ? untouched_ids
               : !lookup_differs                ? RequirementIds{"RECV-018"}
               : orr.oob.crypto_done()          ? crypto_done_requirements(true, s.corrupt, sa_state)
                                                : untouched_ids);
    const uint16_t dcs = dr->oob.crypto_status(), ocs = orr.oob.crypto_status();
    auto cs_text = [](uint16_t v) {
      const auto n = ndis::crypto_status_name(v);
      return n.empty() ? std::to_string(v) : std::string(n) + " (" + std::to_string(v) + ")";
    };
    if (ex.crypto_status) {
      const auto& alts = *ex.crypto_status;
      std::string want;
      for (auto a : alts) want += (want.empty() ? "" : " or ") + cs_text(a);
      if (std::find(alts.begin(), alts.end(), ocs) == alts.end())
        harness(pname + ": the case expects CryptoStatus " + want + " but the oracle reports " + cs_text(ocs));
      if (std::find(alts.begin(), alts.end(), dcs) == alts.end())
        fail(pname, "oob.CryptoStatus", want, cs_text(dcs), crypto_status_requirements(s.corrupt, sa_state, frame_changed));
      else if (dcs != ocs)
        accept(pname, "oob.CryptoStatus", ex.open_question, cs_text(dcs), cs_text(ocs));
    } else if (dcs != ocs) {
      fail(pname, "oob.CryptoStatus", cs_text(ocs) + " (as the oracle)", cs_text(dcs),
           crypto_status_requirements(s.corrupt, sa_state, frame_changed));
    }
    // Invariants of the receive view (OQ-24): reserved bits and the upper half are zero,
    // NextCryptoDone implies CryptoDone (RECV-008).
    if (dinfo & ndis::NBL_RECV_RESERVED_MASK)
      fail(pname, "oob.Reserved", "0", std::to_string(dinfo & ndis::NBL_RECV_RESERVED_MASK), {"RECV-020"});
    if (dinfo >> 32) fail(pname, "oob.upper32", "0", std::to_string(dinfo >> 32), {"RECV-020"});
    if (dr->oob.next_crypto_done() && !dr->oob.crypto_done())
      fail(pname, "oob.NextCryptoDone", "only with CryptoDone", "NextCryptoDone without CryptoDone", {"RECV-008"});
    // Header OOB receive view: valid only with HeaderInfoSet (RECV-016). Where CryptoDone or
    // CryptoStatus already departs from the oracle's (the device did not process the packet, or
    // failed what verifies), a header view that differs is that same fault and names that
    // check's requirements (oob_ids below), as the frame check does.
    const bool done_differs = dr->oob.crypto_done() != orr.oob.crypto_done();
    // (A status the case accepts as another alternative of its open question is no fault.)
    const bool status_differs =
        dcs != ocs && !(ex.crypto_status && std::find(ex.crypto_status->begin(), ex.crypto_status->end(), dcs) !=
                                                ex.crypto_status->end());
    const auto oob_ids = [&](const RequirementIds& same_oob) -> RequirementIds {
      if (done_differs) return orr.oob.crypto_done() ? crypto_done_requirements(true, s.corrupt, sa_state) : untouched_ids;
      if (status_differs) return crypto_status_requirements(s.corrupt, sa_state, frame_changed);
      return same_oob;
    };
    const bool dset = dr->oob.header_info_set(), oset = orr.oob.header_info_set();
    if (ex.header_info_set) check_bool("oob.HeaderInfoSet", ex.header_info_set, oset, dset, oob_ids({"RECV-016"}));
    if (dset && (ex.next_header || ex.pad_length || oset)) {
      const uint32_t dnh = dr->oob.header_info & ndis::NBL_HDR_NEXT_HEADER_MASK;
      const uint32_t dpl = (dr->oob.header_info >> ndis::NBL_HDR_PAD_LENGTH_SHIFT) & 0xFF;
      const uint32_t onh = orr.oob.header_info & ndis::NBL_HDR_NEXT_HEADER_MASK;
      const uint32_t opl = (orr.oob.header_info >> ndis::NBL_HDR_PAD_LENGTH_SHIFT) & 0xFF;
      const int64_t want_nh = ex.next_header ? eval(*ex.next_header, env, pname) : onh;
      const int64_t want_pl = ex.pad_length ? eval(*ex.pad_length, env, pname) : opl;
      if (dnh != want_nh) fail(pname, "oob.NextHeader", std::to_string(want_nh), std::to_string(dnh), oob_ids({"RECV-016"}));
      if (dpl != want_pl) fail(pname, "oob.PadLength", std::to_string(want_pl), std::to_string(dpl), oob_ids({"RECV-016"}));
    }
    // The indicated frame. Where the device's OOB already departs from the oracle's (another
    // CryptoDone or CryptoStatus: it verified, or failed, or matched what the oracle did not), a
    // different frame is that same fault and names that check's requirements; with the same OOB,
    // a frame the device processed differently names the processing (RECV-001) or, for a packet
    // that failed its checks, the duty to indicate it as it came (RECV-013).
    const auto& frame_ids = oob_ids;
    const bool oracle_verified = orr.oob.crypto_done() && ocs == ndis::CRYPTO_SUCCESS;
    if (ex.frame == cases::ReceivedFrame::unchanged) {
      if (dr->indicated && dr->frame != frame)
        fail(pname, "frame", "the received frame unchanged", "modified",
             frame_ids(!orr.oob.crypto_done() ? untouched_ids : RequirementIds{"RECV-013"}));
    } else if (ex.frame == cases::ReceivedFrame::decrypted) {
      // Transport mode: what follows the headers ESP was placed behind (options, extension headers).
      esp::IpLayout layout;
      if (!pkt.tunnel && !esp::parse_ip(pkt.plain, layout).ok()) harness(pname + ": the built packet does not parse");
      const std::span<const uint8_t> want =
          pkt.tunnel ? std::span<const uint8_t>(pkt.plain)
                     : std::span<const uint8_t>(pkt.plain).subspan(esp::transport_insertion_point(layout).offset);
      const size_t at = kEthernetHeaderLength + plaintext_at;
      if (at + want.size() > orr.frame.size() || !std::equal(want.begin(), want.end(), orr.frame.begin() + static_cast<long>(at)))
        harness(pname + ": the oracle's indicated frame does not carry the plaintext in place (OQ-15)");
      if (at + want.size() > dr->frame.size() || !std::equal(want.begin(), want.end(), dr->frame.begin() + static_cast<long>(at)))
        fail(pname, "frame", "the plaintext in place of the ciphertext (OQ-15)", hex_bytes(dr->frame, 256),
             frame_ids({"RECV-001"}));
    } else if (dr->indicated && orr.indicated && dr->frame != orr.frame &&
               !(ex.crypto_status && dcs != ocs)) {
      // (A device that took another alternative the case accepts, such as inferring the ESN high
      // half as RFC 4303 App. A describes (OQ-26), indicates another frame; its status was judged.)
      fail(pname, "frame", hex_bytes(orr.frame, 256) + " (as the oracle)", hex_bytes(dr->frame, 256),
           frame_ids(oracle_verified ? RequirementIds{"RECV-001"}
                     : orr.oob.crypto_done() ? RequirementIds{"RECV-013"} : untouched_ids));
    }
    if (result_.findings.size() > findings_at_step_start_) return;
  }
  if (s.expect.table) check_table(*s.expect.table, env, name, ev);
}

}  // namespace cts::core::detail
