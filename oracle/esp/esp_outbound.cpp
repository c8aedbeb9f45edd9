#include "oracle/esp/esp_outbound.h"

#include <algorithm>
#include <cstring>

#include "oracle/esp/esp_trailer.h"

namespace cts::esp {

using crypto::ByteView;
using crypto::MutableBytes;

EspStatus EspOutbound::create(const EspSaConfig& cfg, const crypto::CryptoLibrary& lib,
                              crypto::RandomSource& rng, std::unique_ptr<EspOutbound>& out) {
  std::unique_ptr<EspTransform> xf;
  if (auto s = EspTransform::create(cfg, lib, xf); !s.ok()) return s;
  out.reset(new EspOutbound(std::move(xf), rng,
                            SequenceCounter(cfg.esn, cfg.anti_replay, cfg.initial_sequence)));
  return EspStatus::success();
}

EspOutbound::EspOutbound(std::unique_ptr<EspTransform> xf, crypto::RandomSource& rng,
                         SequenceCounter seq)
    : xf_(std::move(xf)), rng_(&rng), seq_(seq), iv_policy_(default_iv_policy(xf_->suite())) {}

EspStatus EspOutbound::set_iv_policy(IvPolicy policy) {
  if (policy == IvPolicy::sequence_number && !is_combined(xf_->suite().encryption) &&
      xf_->iv_size() != 0) {
    return EspStatus::fail(EspVerdict::invalid_argument,
                           "IV policy: a counter IV is forbidden for CBC (RFC 3602 §3, CBC-002)");
  }
  iv_policy_ = policy;
  return EspStatus::success();
}

size_t EspOutbound::packet_size(size_t payload_length, const OutboundOptions& opt) const {
  const size_t covered = payload_length + opt.tfc_length;
  const size_t pad = minimal_pad_length(covered, xf_->pad_modulus()) + opt.extra_padding;
  return xf_->body_offset() + covered + pad + kEspTrailerSize + xf_->icv_size();
}

OutboundResult EspOutbound::protect(ByteView payload, uint8_t next_header, MutableBytes out,
                                    const OutboundOptions& opt) {
  return build(payload, false, payload.size(), next_header, out, opt);
}

OutboundResult EspOutbound::protect_dummy(size_t payload_length, MutableBytes out,
                                          const OutboundOptions& opt) {
  return build({}, true, payload_length, kNextHeaderNoNext, out, opt);
}

OutboundResult EspOutbound::build(ByteView payload, bool random_payload, size_t payload_length,
                                  uint8_t next_header, MutableBytes out, const OutboundOptions& opt) {
  OutboundResult r = frame(payload, random_payload, payload_length, next_header, out, opt);
  if (!r.status.ok()) return r;
  if (auto s = xf_->seal(out.first(r.length), static_cast<uint32_t>(r.seq >> 32)); !s.ok()) {
    OutboundResult failed;
    failed.status = s;
    return failed;
  }
  return r;
}

void EspOutbound::protect_burst(std::span<const ByteView> payloads, uint8_t next_header,
                                std::span<const MutableBytes> outs, std::span<OutboundResult> results,
                                const OutboundOptions& opt) {
  const size_t total = std::min({payloads.size(), outs.size(), results.size()});
  for (size_t base = 0; base < total; base += EspTransform::kMaxBurst) {
    const size_t n = std::min(total - base, EspTransform::kMaxBurst);
    MutableBytes to_seal[EspTransform::kMaxBurst];
    uint32_t highs[EspTransform::kMaxBurst];
    EspStatus sealed[EspTransform::kMaxBurst];
    size_t which[EspTransform::kMaxBurst];
    size_t m = 0;
    // Framed in order (sequence numbers and random IVs drawn as protect() draws them), then the
    // crypto of all of them together.
    for (size_t i = base; i < base + n; ++i) {
      OutboundResult& r = results[i];
      r = frame(payloads[i], false, payloads[i].size(), next_header, outs[i], opt);
      if (!r.status.ok()) continue;
      const MutableBytes esp = outs[i].first(r.length);
      if (auto s = xf_->check_length(esp.size(), false); !s.ok()) {
        r = OutboundResult{};
        r.status = s;
        continue;
      }
      to_seal[m] = esp;
      highs[m] = static_cast<uint32_t>(r.seq >> 32);
      which[m] = i;
      ++m;
    }
    xf_->seal_burst(m, to_seal, highs, sealed);
    for (size_t j = 0; j < m; ++j) {
      if (sealed[j].ok()) continue;
      results[which[j]] = OutboundResult{};
      results[which[j]].status = sealed[j];
    }
  }
}

OutboundResult EspOutbound::frame(ByteView payload, bool random_payload, size_t payload_length,
                                  uint8_t next_header, MutableBytes out, const OutboundOptions& opt) {
  OutboundResult r;
  const size_t modulus = xf_->pad_modulus();
  if (opt.extra_padding % modulus != 0) {
    r.status = EspStatus::fail(EspVerdict::invalid_argument,
                               "extra_padding: must be a multiple of the padding modulus (RFC 4303 §2.4)");
    return r;
  }
  const size_t covered = payload_length + opt.tfc_length;
  const size_t pad = minimal_pad_length(covered, modulus) + opt.extra_padding;
  if (pad > 255) {
    r.status = EspStatus::fail(EspVerdict::invalid_argument, "extra_padding: Pad Length above 255 (PAD-005)");
    return r;
  }
  const size_t body_at = xf_->body_offset();
  const size_t total = body_at + covered + pad + kEspTrailerSize + xf_->icv_size();
  if (out.size() < total) {
    r.status = EspStatus::fail(EspVerdict::buffer_too_small, "ESP outbound: output buffer too small");
    return r;
  }
  // Take the sequence number last among the checks, so a refused call never burns a number.
  uint64_t seq = 0;
  if (seq_.next(seq) != EspVerdict::ok) {
    r.status = EspStatus::fail(EspVerdict::seq_overflow,
                               "ESP outbound: next packet would cycle the sequence counter (RFC 4303 §3.3.3)");
    return r;
  }
  uint8_t* p = out.data();
  // Payload first: it may alias `out` (memmove handles any overlap), and the header writes below
  // could otherwise clobber it.
  if (random_payload) {
    if (auto s = rng_->fill({p + body_at, payload_length}); !s) {
      r.status = EspStatus::fail(EspVerdict::crypto_error, s.context);
      return r;
    }
  } else if (payload_length != 0 && payload.data() != p + body_at) {
    std::memmove(p + body_at, payload.data(), payload_length);
  }
  crypto::store_be32(p, xf_->spi());
  crypto::store_be32(p + 4, static_cast<uint32_t>(seq));  // low half only on the wire (ESN-003)
  uint8_t* t = p + body_at + payload_length;
  std::memset(t, 0, opt.tfc_length);  // TFC padding content is unspecified (§2.7); zeros
  t += opt.tfc_length;
  write_default_padding(t, pad);  // 1, 2, 3, ... (PAD-003)
  if (opt.malformed_padding) {
    for (size_t i = 0; i < pad; ++i) t[i] ^= 0x80;
  }
  t[pad] = static_cast<uint8_t>(pad);
  t[pad + 1] = next_header;
  const MutableBytes esp = out.first(total);
  if (auto s = xf_->fill_iv(esp, seq, iv_policy_, rng_, opt.iv); !s.ok()) {
    r.status = s;
    return r;
  }
  r.seq = seq;
  r.length = total;
  r.pad_length = static_cast<uint8_t>(pad);
  return r;
}

}  // namespace cts::esp
