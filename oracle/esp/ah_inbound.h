// AH receiver (RFC 4302 §3.4): length sanity against the SA, replay pre-check
// (with ESN high-half inference, RFC 4302 App. B), ICV verification over the ICV input with the
// ICV zeroed and the explicit padding as received, window update only after the ICV passed.
// Removing AH from the datagram is the caller's step (esp_host.cpp), since what follows depends on
// the mode and on a bundled ESP SA.
#pragma once

#include <cstdint>
#include <memory>

#include "oracle/crypto/crypto_library.h"
#include "oracle/esp/ah_sa.h"
#include "oracle/esp/ah_transform.h"
#include "oracle/esp/esn.h"
#include "oracle/esp/host_verdict.h"
#include "oracle/esp/replay_window.h"

namespace cts::esp {

struct AhReceiveResult {
  uint64_t sequence = 0;     // 64-bit number the ICV verified with
  uint8_t next_header = 0;   // AH Next Header
  uint32_t ah_offset = 0;
  uint32_t ah_length = 0;
  bool over_padded = false;  // OQ-AH-4: the 8-octet-aligned IPv4 form was accepted
};

class AhInbound {
 public:
  static HostStatus create(const AhSaConfig& cfg, std::unique_ptr<AhInbound>& out,
                           const crypto::CryptoLibrary* lib = nullptr);

  // `packet` is the datagram (packet.size() >= layout.datagram_length), `layout` its parse, whose
  // walk stopped at AH (layout.payload_protocol == 51). Classes, in processing order:
  //   malformed_length  AH runs past the datagram, Payload Len not what the SA implies (OQ-AH-4)
  //   unknown_spi       the SPI is not this SA's
  //   replay / outside_window   anti-replay pre-check (REPLAY-004; window unchanged)
  //   bad_option / unsupported_header   pre-AH header the ICV input cannot be built for
  //   bad_icv           ICV mismatch (constant-time), including a wrong ESN high half
  //   replay            the re-check at window update (two in-flight duplicates)
  HostStatus verify(ConstBytes packet, const IpLayout& layout, AhReceiveResult& result);

  const AhSaConfig& config() const { return cfg_; }
  uint32_t spi() const { return cfg_.spi; }
  const ReplayWindow& window() const { return window_; }
  const EsnResyncCounter& resync() const { return resync_; }

 private:
  explicit AhInbound(const AhSaConfig& cfg)
      : cfg_(cfg),
        window_(ReplayWindow::valid_size(cfg.replay_window) ? cfg.replay_window : ReplayWindow::kDefaultSize,
                cfg.initial_sequence),
        resync_(cfg.esn_resync_threshold, cfg.esn_resync_max_advance) {}

  AhSaConfig cfg_;
  ReplayWindow window_;
  EsnResyncCounter resync_;
  std::unique_ptr<AhTransform> transform_;
};

}  // namespace cts::esp
