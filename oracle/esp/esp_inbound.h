// RFC 4303 inbound processing for one SA (§3.4), in place over the ESP bytes (SPI..ICV), in the
// order the RFC fixes (RFC 4303 §3.4):
//   length sanity -> [ESN high-half inference, App. A2.1] -> replay pre-check (no state change)
//   -> ICV check (constant time) -> window update (re-check) -> decrypt -> trailer checks
//   -> Next Header 59 = dummy (silent drop)
// A forged packet with a fresh number and a bad ICV leaves the window untouched (REPLAY-005).
#pragma once

#include <array>
#include <cstddef>
#include <cstdint>
#include <memory>
#include <optional>

#include "oracle/crypto/bytes.h"
#include "oracle/crypto/crypto_library.h"
#include "oracle/esp/esn.h"
#include "oracle/esp/esp_sa.h"
#include "oracle/esp/esp_trailer.h"
#include "oracle/esp/esp_transform.h"
#include "oracle/esp/replay_window.h"
#include "oracle/esp/verdict.h"

namespace cts::esp {

struct InboundOptions {
  // false: no replay pre-check and no window update (the IPsecOV2 NIC does not drop for replay,
  // RECV-015). The window is not touched at all.
  bool replay_check = true;
  // Set: use this ESN high half as is, without App. A2.1 inference and without A3 retries (the
  // NIC uses the SA's current high half, OQ-26). Ignored for 32-bit SAs.
  std::optional<uint32_t> imposed_seq_high;
};

struct InboundResult {
  EspStatus status;
  uint32_t spi = 0;
  uint64_t seq = 0;               // the (inferred) full sequence number that was authenticated
  bool esn_resynchronised = false;  // App. A3 retry succeeded with an advanced high half
  // Valid when status is ok or dummy:
  uint8_t next_header = 0;
  uint8_t pad_length = 0;
  size_t payload_offset = 0;  // offset of the decrypted payload inside the ESP buffer
  size_t payload_length = 0;  // payload + TFC padding (only the inner length tells them apart)
};

class EspInbound {
 public:
  // Errors: as EspTransform::create, plus invalid_argument for anti-replay without integrity
  // (REPLAY-002) or a window size outside ReplayWindow::kMinSize..kMaxSize.
  static EspStatus create(const EspSaConfig& cfg, const crypto::CryptoLibrary& lib,
                          std::unique_ptr<EspInbound>& out);

  // Processes one ESP packet (SPI..ICV) in place. The SPI in the packet must match the SA
  // (invalid_argument otherwise; SA lookup is EspSaRegistry's job). Returns ok, dummy, truncated,
  // replay, outside_window, bad_icv, bad_padding or crypto_error. On anything but ok/dummy the
  // window is unchanged; on bad_icv the buffer is unchanged.
  InboundResult process(crypto::MutableBytes esp, const InboundOptions& opt = {});

  // process() of packets[0..n) into results[0..n), n = the smaller size: the same verdicts,
  // details, buffers, window and counters as process() on each in turn, with the ICV checks and
  // decryptions of the burst handed to the crypto library together (EspTransform::open_burst).
  // The packets must not overlap. How it stays exact: every packet is first judged up to the ICV
  // against the window as it is before the burst, its crypto done, and then judged again in
  // order against the window the earlier packets left; where that judgement differs (a number
  // repeated or pushed out of the window inside the burst, an ESN high half inferred anew), the
  // packet is put back as it came and processed alone.
  void process_burst(std::span<const crypto::MutableBytes> packets, std::span<InboundResult> results,
                     const InboundOptions& opt = {});

  const ReplayWindow& window() const { return window_; }
  bool anti_replay() const { return anti_replay_; }
  // The ESN high half the receiver currently holds (Th of T).
  uint32_t current_seq_high() const { return static_cast<uint32_t>(window_.top() >> 32); }
  uint32_t consecutive_icv_failures() const { return resync_.consecutive_failures(); }
  EspTransform& transform() { return *xf_; }

  // Per-class counters (index = static_cast<int>(EspVerdict)), for audit-style reports.
  const std::array<uint64_t, kEspVerdictCount>& counters() const { return counters_; }

 private:
  EspInbound(std::unique_ptr<EspTransform> xf, const EspSaConfig& cfg);
  // What the steps before the ICV decided for a packet that goes on to it.
  struct Pending {
    uint64_t seq = 0;       // full sequence number to authenticate
    uint32_t seq_low = 0;
    bool inferred = false;  // the high half came from App. A2.1 (A3 retries allowed)
    bool checking = false;  // anti-replay applies
  };
  // process() up to the ICV: length, SPI, ESN, replay pre-check. No state change. False when the
  // packet is refused there (`r` says why).
  bool before_icv(crypto::MutableBytes esp, const InboundOptions& opt, InboundResult& r, Pending& p) const;
  // process() from the ICV on, given what the transform's open() said (`s`): A3 retries, window
  // update, trailer.
  void after_icv(crypto::MutableBytes esp, const InboundOptions& opt, const Pending& p, EspStatus s,
                 InboundResult& r);
  EspStatus try_resync(crypto::MutableBytes esp, uint32_t seq_low, uint64_t& seq);

  std::unique_ptr<EspTransform> xf_;
  ReplayWindow window_;
  EsnResyncCounter resync_;
  bool anti_replay_;
  bool require_aligned_;
  bool check_pad_content_;
  uint64_t top_without_window_ = 0;  // highest authenticated number when anti-replay is off
  std::array<uint64_t, kEspVerdictCount> counters_{};
};

}  // namespace cts::esp
