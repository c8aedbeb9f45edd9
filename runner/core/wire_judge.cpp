#include "runner/core/wire_judge.h"

namespace cts::core {

std::optional<ndis::BundleSpec> bundle_spec_of(const MaterialBundle& material, bool gcm_key_includes_salt,
                                               std::string& why) {
  ndis::ValidationOptions options;
  options.gcm_key_includes_salt = gcm_key_includes_salt;
  auto spec = ndis::validate_add_element(to_add_element(material), 0, options);
  if (const auto* error = std::get_if<ndis::DecodeError>(&spec)) {
    why = error->message;
    return std::nullopt;
  }
  return std::get<ndis::BundleSpec>(spec);
}

std::unique_ptr<esp::SendJudge> make_send_judge(const sa::SaTable& table) {
  esp::SendJudge::Options options;
  options.skip_repeated_sequences = true;
  return esp::SendJudge::create(table, options);
}

WireVerdict judge_send_output(esp::SendJudge& judge, std::span<const uint8_t> framed,
                              const std::vector<std::vector<uint8_t>>& frames, const ndis::BundleSpec* bundle,
                              std::optional<uint32_t> seq_high) {
  esp::SendExpectation expect;
  expect.bundle = bundle;
  expect.seq_high = seq_high;
  esp::SendJudgement j = judge.judge_frames(framed, frames, expect);
  WireVerdict v;
  v.verdict = j.verdict;
  v.seq_high_used = j.seq_high_used;
  v.requirements = std::move(j.requirements);
  v.iv_repeats = std::move(j.iv_repeats);
  if (j.verdict == esp::PacketVerdict::protected_frame) {
    v.detail = "opens and verifies under the SA's keys and gives back the framed packet";
  } else {
    v.detail = j.detail();
  }
  return v;
}

}  // namespace cts::core
