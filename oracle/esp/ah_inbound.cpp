#include "oracle/esp/ah_inbound.h"

namespace cts::esp {

HostStatus AhInbound::create(const AhSaConfig& cfg, std::unique_ptr<AhInbound>& out,
                             const crypto::CryptoLibrary* lib) {
  if (!lib) lib = crypto::CryptoLibrary::shared();
  if (!lib) return HostStatus::fail(HostVerdict::crypto_error, "AH inbound: crypto library unavailable");
  std::unique_ptr<AhInbound> in(new AhInbound(cfg));
  HostStatus s = AhTransform::create(cfg, *lib, in->transform_);
  if (!s.ok()) return s;
  out = std::move(in);
  return HostStatus::success();
}

HostStatus AhInbound::verify(ConstBytes packet, const IpLayout& layout, AhReceiveResult& result) {
  result = AhReceiveResult{};
  const uint32_t off = layout.payload_offset;
  const uint32_t dlen = layout.datagram_length;
  if (layout.payload_protocol != kProtoAh || dlen > packet.size() || off > dlen)
    return HostStatus::fail(HostVerdict::invalid_argument, "AH inbound: layout does not point at AH");
  if (dlen - off < kAhFixedSize)
    return HostStatus::fail(HostVerdict::malformed_length, "AH inbound: AH header runs past the datagram", off);
  const uint32_t length = (packet[off + 1] + 2u) * 4u;
  const uint32_t minimal = static_cast<uint32_t>(ah_length(cfg_.algorithm, layout.version));
  bool over_padded = false;
  if (length != minimal) {
    const uint32_t raw = static_cast<uint32_t>(kAhFixedSize + ah_iv_size(cfg_.algorithm) + ah_icv_size(cfg_.algorithm));
    const uint32_t aligned8 = (raw + 7u) / 8u * 8u;
    if (layout.version == 4 && cfg_.accept_ipv4_8_octet_aligned && length == aligned8) {
      over_padded = true;  // OQ-AH-4: Linux default without align4
    } else {
      return HostStatus::fail(HostVerdict::malformed_length,
                              "AH inbound: Payload Len does not match the SA's ICV size (RFC 4302 §2.2)", off + 1);
    }
  }
  if (length > dlen - off)
    return HostStatus::fail(HostVerdict::malformed_length, "AH inbound: Payload Len runs past the datagram", off + 1);
  if (wire::get32(&packet[off + 4]) != cfg_.spi)
    return HostStatus::fail(HostVerdict::unknown_spi, "AH inbound: SPI is not this SA's", off + 4);

  // Sequence number: ESN high half inferred from the window (RFC 4302 App. B = RFC 4303 App. A2).
  const uint32_t seq_low = wire::get32(&packet[off + 8]);
  uint64_t seq = seq_low;
  if (cfg_.esn) {
    const EsnInference inf = infer_esn(window_.top(), window_.size(), seq_low);
    if (!inf.valid)
      return HostStatus::fail(HostVerdict::outside_window, "AH inbound: ESN high half would pass 2^32-1", off + 8);
    seq = inf.seq;
  }
  if (cfg_.anti_replay) {
    const ReplayCheck rc = window_.check(seq);
    if (rc == ReplayCheck::replay)
      return HostStatus::fail(HostVerdict::replay, "AH inbound: duplicate sequence number (RFC 4302 §3.4.3)", off + 8);
    if (rc == ReplayCheck::outside_window)
      return HostStatus::fail(HostVerdict::outside_window, "AH inbound: sequence number left of the window", off + 8);
  }

  AhIcvRegion region;
  region.ah_offset = off;
  region.ah_length = length;
  region.icv_offset = static_cast<uint32_t>(kAhFixedSize + ah_iv_size(cfg_.algorithm));
  region.icv_length = static_cast<uint32_t>(ah_icv_size(cfg_.algorithm));
  region.datagram_length = dlen;
  const ConstBytes datagram = packet.first(dlen);
  const ConstBytes icv = datagram.subspan(off + region.icv_offset, region.icv_length);
  HostStatus s = transform_->verify(datagram, layout, region, cfg_.esn, static_cast<uint32_t>(seq >> 32), icv);
  if (s.verdict == HostVerdict::bad_icv && cfg_.esn) {
    resync_.on_icv_failure();
    // App. A3 (RFC 4302 App. B): after many consecutive failures, try the next subspaces.
    if (resync_.should_retry()) {
      const uint32_t high = static_cast<uint32_t>(seq >> 32);
      for (uint32_t k = 1; k <= resync_.max_advance() && high + static_cast<uint64_t>(k) <= 0xFFFFFFFFull; ++k) {
        const uint64_t cand = (static_cast<uint64_t>(high + k) << 32) | seq_low;
        if (transform_->verify(datagram, layout, region, true, high + k, icv).ok()) {
          window_.reset(cand);
          resync_.on_authenticated();
          result = {cand, packet[off], off, length, over_padded};
          return HostStatus::success();
        }
      }
    }
  }
  if (!s.ok()) {
    if (s.verdict == HostVerdict::bad_icv) s.offset = off + region.icv_offset;
    return s;
  }
  resync_.on_authenticated();
  // Window moves only now (RFC 4302 §3.4.3). It also tracks T when anti-replay is off, so ESN
  // inference keeps working; only with anti-replay does a failed re-check reject the packet.
  const ReplayCheck upd = window_.update(seq);
  if (cfg_.anti_replay && upd != ReplayCheck::ok)
    return HostStatus::fail(upd == ReplayCheck::replay ? HostVerdict::replay : HostVerdict::outside_window,
                            "AH inbound: sequence number recorded meanwhile (window re-check)", off + 8);
  result = {seq, packet[off], off, length, over_padded};
  return HostStatus::success();
}

}  // namespace cts::esp
