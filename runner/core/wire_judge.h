// The runner's side of the one send judge (oracle/esp/send_judge.h): a case's labels describe
// their SAs as material, the judge wants the bundle as an SA table holds it. Nothing here judges
// a frame; it only hands the judge what to check and carries its verdict into the case's evidence.
#pragma once

#include <cstdint>
#include <memory>
#include <optional>
#include <span>
#include <string>
#include <vector>

#include "oracle/esp/packet_verdict.h"
#include "oracle/esp/send_judge.h"
#include "oracle/ndis/validate.h"
#include "runner/core/bundle_material.h"

namespace cts::core {

struct WireVerdict {
  esp::PacketVerdict verdict = esp::PacketVerdict::none;
  std::string detail;                     // why, for evidence ("AH ICV ... verifies with high half 4")
  std::optional<uint32_t> seq_high_used;  // the high half the ICV verified with, when found
  // The requirements a frame with this verdict breaks when the send should have been protected
  // (empty for "protected"): the precise ids of what went wrong, for the finding.
  std::vector<std::string> requirements;
  std::vector<esp::IvRepeat> iv_repeats;  // judged apart from the verdict

  std::string name() const { return std::string(esp::packet_verdict_name(verdict)); }
};

// The bundle as the SA table would hold it, from a label's material: keys, ESN flags and the
// initial high halves. Nothing when the material does not validate (`why` says why).
std::optional<ndis::BundleSpec> bundle_spec_of(const MaterialBundle& material, bool gcm_key_includes_salt,
                                               std::string& why);

// One judge per side of a case (device, oracle): each side's IV history is its own, and a
// sequence number the transport framed twice does not count against the side (OQ-16).
std::unique_ptr<esp::SendJudge> make_send_judge(const sa::SaTable& table);

// `bundle` null: the send should leave unprotected. `seq_high`: the high half every ICV must
// cover when the case states one.
WireVerdict judge_send_output(esp::SendJudge& judge, std::span<const uint8_t> framed,
                              const std::vector<std::vector<uint8_t>>& frames, const ndis::BundleSpec* bundle,
                              std::optional<uint32_t> seq_high = std::nullopt);

}  // namespace cts::core
