// Judges what a device put on the wire for one send, by property rather than by bytes (IVs are
// the device's choice, OQ-16): the frame must decrypt and verify under the outbound SA's keys,
// with the expected SPI, the sequence number the transport framed, and the ESN high half the SA
// holds (SEND-009, SEND-010, SEND-017, ESN-004, GCM-004), and must give back exactly the packet
// the transport framed. The same judge is applied to the oracle's output, so the two verdicts can
// be diffed.
#pragma once

#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <vector>

#include "oracle/esp/esp_sa.h"

namespace cts::core {

struct WireExpectation {
  esp::EspSaConfig sa;                   // outbound SA keys/suite (initial_sequence ignored)
  bool tunnel = false;
  uint32_t sequence_low = 0;             // what the transport framed
  uint32_t seq_high = 0;                 // ESN high half the ICV must cover
  std::vector<uint8_t> framed_frame;     // the frame handed to the device
  std::vector<uint8_t> plain_datagram;   // what decryption must give back (inner datagram in tunnel mode)
};

struct WireVerdict {
  // "protected": decrypts and verifies to the framed packet; "clear": the frame went out exactly
  // as handed over (no IPsec processing); "none": nothing on the wire; "corrupt": anything else.
  std::string verdict;
  std::string detail;                    // why, for evidence ("BAD_ICV; verifies with high half 4")
  std::optional<uint32_t> seq_high_used; // the high half the ICV verified with, when found
};

WireVerdict judge_send_output(const std::vector<std::vector<uint8_t>>& frames,
                              const WireExpectation& expectation);

}  // namespace cts::core
