// Probe steps: whether the device holds a bundle, proven from traffic alone (no dump), as a
// black-box device behind an agent is judged. The oracle takes no part: the expectation is the
// case's ("live" / "dead") or what the device's own earlier answers said ("as_reported"), which
// were judged when they were given.
#include "oracle/ndis/constants.h"
#include "runner/core/case_execution.h"
#include "runner/core/check_requirements.h"
#include "runner/core/packet_builder.h"
#include "runner/core/transport_framer.h"
#include "runner/core/wire_judge.h"

namespace cts::core::detail {

namespace {

DatagramSpec probe_datagram(const MaterialBundle& b, bool from_peer, uint32_t salt) {
  DatagramSpec d;
  d.ip_version = b.ip_version;
  // Transport mode between the bundle's endpoints: what the peer sends to the SA's destination,
  // or what this host sends on an outbound SA.
  d.src = b.src;
  d.dst = b.dst;
  (void)from_peer;
  d.protocol = 17;
  for (uint32_t i = 0; i < 48; ++i) d.payload.push_back(static_cast<uint8_t>(i * 7 + salt));
  return d;
}

}  // namespace

void CaseExecution::probe_step(const cases::ProbeStep& s, cases::ExprEnv& env, const std::string& name,
                               results::StepEvidence& ev) {
  ev.op = "probe";
  const std::string lname = s.sa.render(env);
  LabelState& l = label(lname, name);
  const bool reported_live = l.device_handle != 0 && !l.device_deleted;
  const bool want_live = s.expect == cases::ProbeStep::Expect::live ||
                         (s.expect == cases::ProbeStep::Expect::as_reported && reported_live);
  ev.label = lname;
  ev.expect = want_live ? "live" : "dead";
  if (s.expect != cases::ProbeStep::Expect::as_reported) ev.device_reported = reported_live ? "live" : "dead";
  // Why a dead bundle must be dead, for the findings.
  const ReceiveSaState why_dead = l.device_deleted                        ? ReceiveSaState::deleted
                                  : l.device_request_failed             ? ReceiveSaState::request_failed
                                                                        : ReceiveSaState::element_refused;
  std::string why;
  if (l.material().inbound) {
    const uint32_t seq = l.next_receive_seq++;
    const uint32_t high = current_seq_high(l);
    const std::vector<uint8_t> plain = build_datagram(probe_datagram(l.material(), true, seq));
    const PeerPacket pp = protect_as_peer(l, seq, high, plain, false, name);
    const std::vector<uint8_t> frame = ethernet_wrap(pp.datagram, false);
    step_capture_label_ = lname;
    capture_frame("peer -> device (protected probe)", frame);
    auto dr = device_.receive(frame);
    if (!dr.ok()) device_error("receive", dr.error());
    if (dr->indicated) capture_frame("device indication", dr->frame);
    results::PacketEvidence pe;
    pe.frame = hex_bytes(frame, 256);
    pe.sequence = seq;
    pe.device = results::PacketAnswer{};
    pe.device->indicated = dr->indicated;
    pe.device->ipsec_info = dr->oob.ipsec_info;
    pe.device->header_info = dr->oob.header_info;
    ev.packets.push_back(std::move(pe));
    if (!dr->indicated)
      fail(name, "indicated", "1 (every received packet is indicated)", "0", {"RECV-012", "RECV-013"});
    if (want_live) {
      // A live inbound bundle verifies and decrypts the packet in place (OQ-15).
      // What failed names the finding: a packet processed but not verified is a crypto fault
      // (RECV-009); NextCryptoDone without CryptoDone, the flag (RECV-006); a packet left alone,
      // the processing an offloaded SA owes its traffic (RECV-001, RECV-006). (Whether the SA is
      // missing behind its handle or its lookup fails, a black box does not tell; the handle
      // itself was written, and its OID answers are judged on their own.)
      const bool verified = dr->oob.crypto_done() && dr->oob.crypto_status() == ndis::CRYPTO_SUCCESS;
      const RequirementIds live_ids = dr->oob.crypto_done()        ? RequirementIds{"RECV-009"}
                                      : dr->oob.next_crypto_done() ? RequirementIds{"RECV-006"}
                                                                   : RequirementIds{"RECV-001", "RECV-006"};
      if (!verified)
        fail(name, "probe." + lname, "live: CryptoDone with CRYPTO_SUCCESS",
             std::string("CryptoDone ") + (dr->oob.crypto_done() ? "1" : "0") + ", CryptoStatus " +
                 std::to_string(dr->oob.crypto_status()),
             live_ids,
             dr->oob.crypto_done() ? "the device processes the bundle's traffic but does not verify it"
                                   : "the device answered the ADD with a handle but does not process the bundle's traffic");
      const std::span<const uint8_t> want = std::span<const uint8_t>(plain).subspan(plain[0] >> 4 == 6 ? 40 : 20);
      const size_t at = kEthernetHeaderLength + pp.plaintext_at;
      if (dr->indicated && (at + want.size() > dr->frame.size() ||
                            !std::equal(want.begin(), want.end(), dr->frame.begin() + static_cast<long>(at))))
        fail(name, "probe." + lname + ".frame", "the plaintext in place (OQ-15)", hex_bytes(dr->frame, 256),
             verified ? RequirementIds{"RECV-001"} : live_ids);
    } else {
      // A dead bundle leaves the packet alone: no CryptoDone, indicated as received (RECV-004).
      const bool frame_changed =
          device_processed_packet(dr->indicated && dr->frame != frame, dr->oob.crypto_status());
      if (dr->oob.crypto_done() || dr->oob.next_crypto_done() || dr->oob.crypto_status() != ndis::CRYPTO_SUCCESS)
        fail(name, "probe." + lname, "dead: CryptoDone 0, CryptoStatus CRYPTO_SUCCESS (no SA matched)",
             std::string("CryptoDone ") + (dr->oob.crypto_done() ? "1" : "0") + ", CryptoStatus " +
                 std::to_string(dr->oob.crypto_status()),
             crypto_done_requirements(false, cases::Corruption::none, why_dead, frame_changed),
             "the device still processes traffic of a bundle its answers said is not offloaded");
      if (dr->indicated && dr->frame != frame)
        fail(name, "probe." + lname + ".frame", "the received frame unchanged", "modified",
             crypto_done_requirements(false, cases::Corruption::none, why_dead));
    }
    return;
  }

  // Outbound: only a handle the device returned can be sent with; a deleted handle whose value
  // the device has since given to another live bundle (OQ-22) now names that bundle.
  if (!want_live && l.device_handle != 0 && device_side_.live(l.device_handle)) {
    ev.note = "the deleted handle's value now names another live bundle (reused, OQ-22): nothing to probe by send";
    return;
  }
  if (l.device_handle == 0) {
    ev.note = "the device returned no handle for this bundle: nothing to send with (its OID answers were judged)";
    if (want_live)
      fail(name, "probe." + lname, "live: a handle to send with", "NULL handle",
           {"ADD-003"});
    return;
  }
  const uint32_t seq = l.next_send_seq++;
  const std::vector<uint8_t> plain = build_datagram(probe_datagram(l.material(), false, seq));
  // The SA as the label's material describes it (the oracle takes no part in a probe).
  std::optional<ndis::BundleSpec> spec = bundle_spec_of(l.material(), caps_.gcm_key_includes_salt, why);
  if (!spec) harness(name + ": cannot frame for \"" + lname + "\": " + why);
  for (uint32_t i = 0; i < spec->num_ext_hdrs && i < 2; ++i) {
    if (spec->sas[i].esn) spec->sas[i].sequence_number_high_order = current_seq_high(l);
  }
  const FramedSend framed = frame_send(l, &*spec, seq, plain, false, name);
  const std::vector<uint8_t> frame = ethernet_wrap(framed.datagram, true);
  ndis::SendOob oob;
  oob.header_info = framed.header_info;
  oob.offload_handle = l.device_handle;
  step_capture_label_ = lname;
  capture_frame("host -> device (probe, to protect)", frame);
  auto dr = device_.send(frame, oob);
  if (!dr.ok()) device_error("send", dr.error());
  for (const auto& f : dr->frames) capture_frame("device wire output", f);
  const WireVerdict dv = judge_send_output(send_judge(true), frame, dr->frames, &*spec);
  results::PacketEvidence pe;
  pe.frame = hex_bytes(frame, 256);
  pe.sequence = seq;
  pe.header_info = framed.header_info;
  pe.device = results::PacketAnswer{};
  pe.device->completion = status_text(dr->completion_status);
  pe.device->verdict = dv.name();
  pe.device->detail = dv.detail;
  if (!dr->frames.empty()) pe.device->wire = hex_bytes(dr->frames[0], 256);
  ev.packets.push_back(std::move(pe));
  if (want_live) {
    if (ndis::ndis_failed(dr->completion_status))
      fail(name, "probe." + lname + ".completion_status", "success (the handle is live)",
           status_text(dr->completion_status), {"SEND-008", "ADD-009"});
    if (dv.verdict != esp::PacketVerdict::protected_frame)
      fail(name, "probe." + lname + ".wire", "protected", dv.name(),
           dv.requirements.empty() ? RequirementIds{"SEND-008"} : dv.requirements, dv.detail);
    // The probe's IV joins the SA's history (GCM-001, CBC-002).
    check_iv_unique(dv, nullptr, name);
  } else {
    // A deleted handle names no SA: failure status and nothing on the wire (SEND-006, DEL-009).
    const RequirementIds ids = send_refusal_requirements(l.device_deleted
                                                             ? SendHandleState::deleted
                                                             : SendHandleState::never_issued);
    if (!ndis::ndis_failed(dr->completion_status))
      fail(name, "probe." + lname + ".completion_status", "a failure status (the handle names no SA)",
           status_text(dr->completion_status), ids);
    if (dv.verdict != esp::PacketVerdict::none)
      fail(name, "probe." + lname + ".wire", "none", dv.name(), ids, dv.detail);
  }
}

}  // namespace cts::core::detail
