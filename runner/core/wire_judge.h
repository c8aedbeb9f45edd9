// Judges what a device put on the wire for one send, by property rather than by bytes (IVs are
// the device's choice, OQ-16): the frame must decrypt and verify under the outbound SA's keys,
// with the expected SPI, the sequence number the transport framed, and the ESN high half the SA
// holds (SEND-009, SEND-010, SEND-017, ESN-004, GCM-004), and must give back exactly the packet
// the transport framed. The same judge is applied to the oracle's output, so the two verdicts can
// be diffed.
#pragma once

#include <cstdint>
#include <optional>
#include <set>
#include <span>
#include <string>
#include <vector>

#include "oracle/esp/esp_sa.h"
#include "oracle/esp/iv_history.h"

namespace cts::core {

struct WireExpectation {
  esp::EspSaConfig sa;                   // outbound SA keys/suite (initial_sequence ignored)
  bool tunnel = false;
  bool udp_encap = false;                // UDP-ESP (RFC 3948): UDP 4500 in front of ESP
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
  // The requirements a frame with this verdict breaks when the send should have been protected
  // (empty for "protected"): the precise IDs of what went wrong, for the finding.
  std::vector<std::string> requirements;
};

WireVerdict judge_send_output(const std::vector<std::vector<uint8_t>>& frames,
                              const WireExpectation& expectation);

// The IVs one side put on the wire under one SA (esp::IvHistory), read from its frames: a repeat
// under one key is a failure, GCM-001 / GMAC-001 (nonce reuse) or CBC-002 (predictable IVs). A
// frame whose full sequence number the transport had already framed is not counted: a device
// deriving IVs from the sequence number then repeats through no fault of its own.
class SentIvs {
 public:
  struct Repeat {
    std::string requirement;  // "GCM-001"
    std::vector<uint8_t> iv;
    uint64_t first_sequence = 0;  // the sequence number that first carried it
  };
  // `frame`: one Ethernet frame judged "protected"; `esp_offset`: ESP header offset from the IP
  // header; `sequence`: the full (ESN) sequence number framed. Nothing for suites without an IV
  // or a frame too short to hold one.
  std::optional<Repeat> record(std::span<const uint8_t> frame, uint32_t esp_offset,
                               const esp::EspSuite& suite, uint64_t sequence);

 private:
  esp::IvHistory ivs_;
  std::set<uint64_t> sequences_;
};

}  // namespace cts::core
