// AH sender (RFC 4302 §3.3): inserts AH into a finished datagram and computes
// its ICV. Transport mode inserts after the IPv4 header and options, or after the IPv6 Hop-by-Hop,
// Routing and Fragment headers; tunnel mode is the same operation applied to an outer datagram
// that carries the inner packet as IP-in-IP (esp_host.cpp builds that outer header with tunnel.h).
// In an [ESP, AH] bundle the datagram handed in already carries ESP, so AH covers it (AH-064).
#pragma once

#include <array>
#include <cstdint>
#include <memory>
#include <optional>

#include "oracle/crypto/crypto_library.h"
#include "oracle/esp/ah_sa.h"
#include "oracle/esp/ah_transform.h"
#include "oracle/esp/host_verdict.h"
#include "oracle/esp/sequence.h"

namespace cts::esp {

struct AhSendOptions {
  // AES-GMAC IV (RFC 4543 §3.1). Unset: the 64-bit sequence number, big-endian (OQ-AH-1, a unique
  // value under the key as long as the counter never cycles).
  std::optional<std::array<uint8_t, 8>> gmac_iv;
};

struct AhSendResult {
  uint64_t sequence = 0;     // full 64-bit number used
  uint32_t ah_offset = 0;    // from the start of the IP header
  uint32_t ah_length = 0;
  size_t length = 0;         // datagram length after insertion
};

class AhOutbound {
 public:
  // Errors: invalid_argument, crypto_error. `lib` defaults to CryptoLibrary::shared().
  static HostStatus create(const AhSaConfig& cfg, std::unique_ptr<AhOutbound>& out,
                           const crypto::CryptoLibrary* lib = nullptr);

  // The datagram occupies buf[0, length); AH is inserted in place (buf.size() is the capacity).
  // Errors: malformed_header / truncated / bad_option / unsupported_header (the datagram does not
  // parse, or its pre-AH headers cannot be covered), fragment (transport AH applies to whole
  // datagrams only, RFC 4302 §3.3.4), buffer_too_small, invalid_argument (datagram would exceed
  // the version's length field), seq_overflow (AH-012/013; counter unchanged), crypto_error.
  HostStatus protect(MutableBytes buf, size_t length, const AhSendOptions& options,
                     AhSendResult& result);

  const AhSaConfig& config() const { return cfg_; }
  uint32_t spi() const { return cfg_.spi; }
  uint64_t last_sent() const { return counter_.last_sent(); }
  void set_last_sent(uint64_t v) { counter_.set_last_sent(v); }
  // Size AH adds to a datagram of the given version.
  size_t overhead(uint8_t ip_version) const { return ah_length(cfg_.algorithm, ip_version); }

 private:
  AhOutbound(const AhSaConfig& cfg) : cfg_(cfg), counter_(cfg.esn, cfg.anti_replay, cfg.initial_sequence) {}

  AhSaConfig cfg_;
  SequenceCounter counter_;
  std::unique_ptr<AhTransform> transform_;
};

}  // namespace cts::esp
