// `ipsec-cts vectors kat`: every vector of a known-answer file against the oracle, in both
// directions where the vector allows:
//   esp-packet / ip-packet: encrypt with the published IV and compare bytes (valid vectors), then
//                           decrypt the published packet and compare plaintext, Next Header and
//                           pad length — or, for negative vectors, fail for the stated reason
//   cipher-primitive:       AES-CBC encrypt and decrypt through the oracle's CBC adapter
//   mac-primitive:          HMAC compute (full and truncated) and verify through the oracle's HMAC
//   replay-scenario:        the referenced packets in order through one receiver
#pragma once

#include <string>
#include <vector>

#include "runner/vectors/known_answer_file.h"

namespace cts::vectors {

struct KatOutcome {
  std::string name;
  std::string category;
  bool passed = false;
  std::vector<std::string> checks;    // what was compared ("encrypt: esp_packet", "decrypt: payload")
  std::string failure;                // first disagreement: step, field, expected vs got
};

std::vector<KatOutcome> run_known_answers(const KnownAnswerFile& file);

}  // namespace cts::vectors
