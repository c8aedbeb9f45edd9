// LSO sends over IPsec (SEND-007, SEND-011..013, OQ-17, OQ-CTS-3): the large send the transport
// hands down, and each side's segments judged one by one by the send judge against the packet
// the transport would have framed for that segment alone (lso_framer.h).
#include "oracle/ndis/constants.h"
#include "runner/core/case_execution.h"
#include "runner/core/packet_builder.h"

namespace cts::core::detail {

std::optional<LsoSend> CaseExecution::frame_lso(const LabelState& l, const ndis::BundleSpec* spec,
                                                const cases::LsoDef& def, uint32_t seq,
                                                const std::vector<uint8_t>& plain, cases::ExprEnv& env,
                                                const std::string& pname, uint32_t& mss) {
  const int64_t m = eval(def.mss, env, pname + ".lso.mss");
  const int64_t discard = eval(def.discard, env, pname + ".lso.discard");
  if (m < 1 || m > 65535) harness(pname + ": lso.mss " + std::to_string(m) + " outside [1, 65535]");
  if (discard < 0 || discard > 255)
    harness(pname + ": lso.discard " + std::to_string(discard) + " outside [0, 255] (PadLength, SEND-012)");
  // The modelled shape: one ESP SA, no UDP encapsulation (a device's LSO over AH or UDP-ESP is
  // not specified by IPsecOV2).
  if (l.material().udp_esp != 0 || (spec && (spec->num_ext_hdrs != 1 || spec->sas[0].operation != ndis::IPsecOffloadV2Esp)))
    harness(pname + ": an LSO send needs a bundle of one ESP SA without UDP encapsulation");
  std::string why;
  auto cfg = host_esp_config(l.material(), 0, caps_.gcm_key_includes_salt, why);
  if (!cfg) harness(pname + ": cannot frame for \"" + l.material().label + "\": " + why);
  std::optional<LsoSend> lso = frame_lso_send(cfg->suite, cfg->spi, seq, plain, static_cast<uint32_t>(m),
                                              static_cast<uint32_t>(discard), why);
  if (!lso) harness(pname + ": cannot frame the LSO send: " + why);
  mss = static_cast<uint32_t>(m);
  return lso;
}

WireVerdict CaseExecution::judge_lso_output(const LsoSend& lso, const ndis::BundleSpec& spec,
                                            const std::vector<std::vector<uint8_t>>& frames,
                                            std::optional<uint32_t> seq_high, bool device_side,
                                            const std::string& pname) {
  const ndis::SaSpec& sa = spec.sas[0];
  const uint32_t base_high = seq_high.value_or(sa.esn ? sa.sequence_number_high_order : 0u);
  WireVerdict total;
  total.verdict = esp::PacketVerdict::protected_frame;
  total.detail = std::to_string(frames.size()) + " segments, each opens and verifies under the SA's keys and gives "
                 "back the segment the transport would have framed";
  if (frames.empty() || frames.size() != lso.segments.size()) {
    if (frames.empty()) return judge_send_output(send_judge(device_side), {}, frames, &spec, seq_high);
    total.verdict = esp::PacketVerdict::corrupt;
    total.detail = std::to_string(frames.size()) + " frames for an LSO send of " + std::to_string(lso.segments.size()) +
                   " segments (MSS from the LSO OOB)";
    total.requirements = {"SEND-007"};
    if (!device_side) harness(pname + ": the oracle's LSO output: " + total.detail);
    return total;
  }
  for (size_t i = 0; i < frames.size(); ++i) {
    const LsoSegment& seg = lso.segments[i];
    // A segment past 2^32 on an ESN SA carries into the next high half (OQ-CTS-3).
    const std::optional<uint32_t> high =
        sa.esn ? std::optional<uint32_t>(base_high + seg.carry) : seq_high;
    const std::vector<uint8_t> expected = ethernet_wrap(seg.framed.datagram, true);
    WireVerdict v = judge_send_output(send_judge(device_side), expected, {frames[i]}, &spec, high);
    const std::string where = pname + ".segment[" + std::to_string(i) + "]";
    if (!device_side) {
      if (v.verdict != esp::PacketVerdict::protected_frame) harness(where + ": the oracle's segment: " + v.detail);
      check_iv_unique(WireVerdict{}, &v, where);
      continue;
    }
    check_iv_unique(v, nullptr, where);
    if (v.verdict != esp::PacketVerdict::protected_frame && total.verdict == esp::PacketVerdict::protected_frame) {
      // The first bad segment names the verdict; the NIC built its trailer and ICV (SEND-011).
      total.verdict = v.verdict;
      total.detail = "segment " + std::to_string(i) + " of " + std::to_string(frames.size()) + ": " + v.detail;
      total.requirements = v.requirements;
      total.requirements.push_back("SEND-011");
      total.seq_high_used = v.seq_high_used;
    }
  }
  return total;
}

}  // namespace cts::core::detail
