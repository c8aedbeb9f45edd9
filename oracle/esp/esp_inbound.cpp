#include "oracle/esp/esp_inbound.h"

#include <algorithm>

namespace cts::esp {

using crypto::MutableBytes;

EspStatus EspInbound::create(const EspSaConfig& cfg, const crypto::CryptoLibrary& lib,
                             std::unique_ptr<EspInbound>& out) {
  if (cfg.anti_replay && !has_integrity(cfg.suite)) {
    return EspStatus::fail(EspVerdict::invalid_argument,
                           "anti_replay: must be off on an SA without integrity (RFC 4303 §3.4.3, REPLAY-002)");
  }
  if (!ReplayWindow::valid_size(cfg.replay_window)) {
    return EspStatus::fail(EspVerdict::invalid_argument,
                           "replay_window: outside 32..2^20 (RFC 4303 §3.4.3, REPLAY-007/009)");
  }
  std::unique_ptr<EspTransform> xf;
  if (auto s = EspTransform::create(cfg, lib, xf); !s.ok()) return s;
  out.reset(new EspInbound(std::move(xf), cfg));
  return EspStatus::success();
}

EspInbound::EspInbound(std::unique_ptr<EspTransform> xf, const EspSaConfig& cfg)
    : xf_(std::move(xf)),
      window_(cfg.replay_window, cfg.initial_sequence),
      resync_(cfg.esn ? cfg.esn_resync_threshold : 0, cfg.esn_resync_max_advance),
      anti_replay_(cfg.anti_replay),
      require_aligned_(cfg.require_aligned_trailer),
      check_pad_content_(cfg.check_pad_content) {}

namespace {
EspVerdict from_replay(ReplayCheck c) {
  return c == ReplayCheck::replay ? EspVerdict::replay : EspVerdict::outside_window;
}
}  // namespace

InboundResult EspInbound::process(MutableBytes esp, const InboundOptions& opt) {
  InboundResult r;
  Pending p;
  if (before_icv(esp, opt, r, p)) {
    after_icv(esp, opt, p, xf_->open_length_checked(esp, static_cast<uint32_t>(p.seq >> 32)), r);
  }
  ++counters_[static_cast<int>(r.status.verdict)];
  return r;
}

void EspInbound::process_burst(std::span<const MutableBytes> packets, std::span<InboundResult> results,
                               const InboundOptions& opt) {
  const size_t total = std::min(packets.size(), results.size());
  for (size_t base = 0; base < total; base += EspTransform::kMaxBurst) {
    const size_t n = std::min(total - base, EspTransform::kMaxBurst);
    const MutableBytes* pkts = packets.data() + base;
    InboundResult* res = results.data() + base;
    // 1. Judged up to the ICV against the window before the burst; the crypto of those that pass.
    Pending pending[EspTransform::kMaxBurst];
    bool opened[EspTransform::kMaxBurst];
    MutableBytes to_open[EspTransform::kMaxBurst];
    uint32_t highs[EspTransform::kMaxBurst];
    EspStatus open_status[EspTransform::kMaxBurst];
    size_t slot[EspTransform::kMaxBurst];
    size_t m = 0;
    for (size_t i = 0; i < n; ++i) {
      InboundResult scratch;
      opened[i] = before_icv(pkts[i], opt, scratch, pending[i]);
      if (!opened[i]) continue;
      slot[i] = m;
      to_open[m] = pkts[i];
      highs[m] = static_cast<uint32_t>(pending[i].seq >> 32);
      ++m;
    }
    xf_->open_burst(m, to_open, highs, open_status);
    // 2. In order, against the window the earlier packets left.
    for (size_t i = 0; i < n; ++i) {
      InboundResult r;
      Pending now;
      const bool go = before_icv(pkts[i], opt, r, now);
      if (opened[i]) {
        const EspStatus& s = open_status[slot[i]];
        if (go && now.seq == pending[i].seq) {
          after_icv(pkts[i], opt, now, s, r);
        } else {
          // Opened on a judgement the burst has since changed: a verified packet is sealed again
          // (same IV, same bytes), a failed one was left as it came.
          if (s.ok()) xf_->seal(pkts[i], highs[slot[i]]);
          if (go) after_icv(pkts[i], opt, now, xf_->open_length_checked(pkts[i], static_cast<uint32_t>(now.seq >> 32)), r);
        }
      } else if (go) {
        after_icv(pkts[i], opt, now, xf_->open_length_checked(pkts[i], static_cast<uint32_t>(now.seq >> 32)), r);
      }
      ++counters_[static_cast<int>(r.status.verdict)];
      res[i] = r;
    }
  }
}

bool EspInbound::before_icv(MutableBytes esp, const InboundOptions& opt, InboundResult& r, Pending& p) const {
  if (esp.size() < EspTransform::kHeader) {
    r.status = EspStatus::fail(EspVerdict::truncated, "ESP inbound: shorter than SPI + Sequence Number");
    return false;
  }
  r.spi = crypto::load_be32(esp.data());
  if (r.spi != xf_->spi()) {
    r.status = EspStatus::fail(EspVerdict::invalid_argument, "ESP inbound: packet SPI is not this SA's SPI");
    return false;
  }
  // §3.4 step 4: length sanity before anything else is computed.
  if (auto s = xf_->check_length(esp.size(), require_aligned_); !s.ok()) {
    r.status = s;
    return false;
  }
  p.seq_low = crypto::load_be32(esp.data() + 4);
  p.checking = anti_replay_ && opt.replay_check;

  // The full sequence number: 32-bit SA as is; ESN imposed (OQ-26) or inferred (App. A2.1).
  p.seq = p.seq_low;
  p.inferred = false;
  if (xf_->esn()) {
    if (opt.imposed_seq_high) {
      p.seq = (uint64_t{*opt.imposed_seq_high} << 32) | p.seq_low;
    } else {
      const EsnInference inf = infer_esn(window_.top(), window_.size(), p.seq_low);
      if (!inf.valid) {
        r.seq = inf.seq;
        r.status = EspStatus::fail(EspVerdict::outside_window,
                                   "ESN: inferred high half would exceed 2^32-1 (App. A2.1)");
        return false;
      }
      p.seq = inf.seq;
      p.inferred = true;
    }
  }
  r.seq = p.seq;

  // §3.4.3: preliminary replay check, window unchanged (REPLAY-004).
  if (p.checking) {
    if (const ReplayCheck c = window_.check(p.seq); c != ReplayCheck::ok) {
      r.status = EspStatus::fail(from_replay(c), c == ReplayCheck::replay
                                                     ? "anti-replay: duplicate inside the window"
                                                     : "anti-replay: left of the window, or sequence number 0");
      return false;
    }
  }
  return true;
}

void EspInbound::after_icv(MutableBytes esp, const InboundOptions& opt, const Pending& p, EspStatus s,
                           InboundResult& r) {
  // §3.4.4: integrity before anything of the packet is trusted; then decrypt in place.
  if (s.verdict == EspVerdict::bad_icv) {
    resync_.on_icv_failure();
    if (p.inferred && resync_.should_retry()) {
      uint64_t resynced = 0;
      if (try_resync(esp, p.seq_low, resynced).ok()) {
        r.seq = resynced;
        r.esn_resynchronised = true;
        s = EspStatus::success();
      }
    }
    if (!s.ok()) {
      r.status = s;
      return;
    }
  } else if (!s.ok()) {
    r.status = s;
    return;
  } else {
    resync_.on_authenticated();
    // §3.4.3: window update only now, with a re-check (REPLAY-005; RFC 4303 §3.4.3).
    if (p.checking) {
      if (const ReplayCheck c = window_.update(p.seq); c != ReplayCheck::ok) {
        r.status = EspStatus::fail(from_replay(c), "anti-replay: number accepted meanwhile (re-check at update)");
        return;
      }
    } else if (opt.replay_check && p.seq > window_.top()) {
      window_.update(p.seq);  // anti-replay off: still track T for ESN inference
    }
  }

  // §3.4.4.1 step 3: trailer and padding.
  const size_t body_at = xf_->body_offset();
  const size_t body_len = esp.size() - body_at - xf_->icv_size();
  TrailerInfo tr;
  if (auto ts = parse_trailer(esp.subspan(body_at, body_len), check_pad_content_, tr); !ts.ok()) {
    r.status = ts;
    return;
  }
  r.next_header = tr.next_header;
  r.pad_length = tr.pad_length;
  r.payload_offset = body_at;
  r.payload_length = tr.payload_length;
  // §2.6 / step 4: Next Header 59 is a dummy packet, dropped silently (DUMMY-002).
  r.status = tr.next_header == kNextHeaderNoNext
                 ? EspStatus::fail(EspVerdict::dummy, "dummy packet (Next Header 59): dropped silently")
                 : EspStatus::success();
}

// App. A3: after enough consecutive ICV failures, retry the packet with Seqh+1 .. Seqh+K; on
// success the window restarts at the packet's number. Off the fast path by construction (only
// reached after an ICV failure). The buffer is unchanged by each failed attempt.
EspStatus EspInbound::try_resync(MutableBytes esp, uint32_t seq_low, uint64_t& seq) {
  const uint64_t base_high = window_.top() >> 32;
  for (uint32_t k = 1; k <= resync_.max_advance(); ++k) {
    const uint64_t high = base_high + k;
    if (high > 0xFFFFFFFFull) break;
    if (xf_->open(esp, static_cast<uint32_t>(high)).ok()) {
      seq = (high << 32) | seq_low;
      window_.reset(seq);
      resync_.on_authenticated();
      return EspStatus::success();
    }
  }
  return EspStatus::fail(EspVerdict::bad_icv, "ESN resync: no advanced high half verified");
}

}  // namespace cts::esp
