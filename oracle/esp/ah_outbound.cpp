#include "oracle/esp/ah_outbound.h"

#include <cstring>

#include "oracle/esp/ip_fixup.h"

namespace cts::esp {

HostStatus AhOutbound::create(const AhSaConfig& cfg, std::unique_ptr<AhOutbound>& out,
                              const crypto::CryptoLibrary* lib) {
  if (!lib) lib = crypto::CryptoLibrary::shared();
  if (!lib) return HostStatus::fail(HostVerdict::crypto_error, "AH outbound: crypto library unavailable");
  std::unique_ptr<AhOutbound> o(new AhOutbound(cfg));
  HostStatus s = AhTransform::create(cfg, *lib, o->transform_);
  if (!s.ok()) return s;
  out = std::move(o);
  return HostStatus::success();
}

HostStatus AhOutbound::protect(MutableBytes buf, size_t length, const AhSendOptions& options,
                               AhSendResult& result) {
  result = AhSendResult{};
  if (length > buf.size()) return HostStatus::fail(HostVerdict::invalid_argument, "AH outbound: length > buffer");
  IpLayout layout;
  const ParseStatus ps = parse_ip(ConstBytes(buf.data(), length), layout);
  if (!ps.ok()) return to_host_status(ps);
  if (layout.is_fragment)
    return HostStatus::fail(HostVerdict::fragment, "AH outbound: datagram is a fragment (RFC 4302 §3.3.4)");
  const InsertionPoint ins = transport_insertion_point(layout);
  const uint32_t ah_len = static_cast<uint32_t>(ah_length(cfg_.algorithm, layout.version));
  const size_t dlen = layout.datagram_length;
  const size_t new_len = dlen + ah_len;
  if (new_len > (layout.version == 4 ? kIpv4MaxDatagram : kIpv6MaxDatagram))
    return HostStatus::fail(HostVerdict::invalid_argument, "AH outbound: datagram would exceed the IP length field");
  if (new_len > buf.size()) return HostStatus::fail(HostVerdict::buffer_too_small, "AH outbound: buffer too small for AH");

  uint64_t seq = 0;
  const EspVerdict sv = counter_.next(seq);
  if (sv != EspVerdict::ok)
    return HostStatus::fail(to_host_verdict(sv), "AH outbound: sequence number would cycle (RFC 4302 §3.3.2)");

  uint8_t* p = buf.data();
  std::memmove(p + ins.offset + ah_len, p + ins.offset, dlen - ins.offset);
  uint8_t* ah = p + ins.offset;
  std::memset(ah, 0, ah_len);  // Reserved, ICV and explicit padding (content ours: zeros)
  ah[0] = ins.protected_protocol;
  ah[1] = ah_payload_len_field(ah_len);
  wire::put32(ah + 4, cfg_.spi);
  wire::put32(ah + 8, static_cast<uint32_t>(seq));
  const size_t iv_len = ah_iv_size(cfg_.algorithm);
  if (iv_len) {
    if (options.gmac_iv) std::memcpy(ah + kAhFixedSize, options.gmac_iv->data(), 8);
    else {
      wire::put32(ah + kAhFixedSize, static_cast<uint32_t>(seq >> 32));
      wire::put32(ah + kAhFixedSize + 4, static_cast<uint32_t>(seq));
    }
  }
  if (!finalize_ip_header(buf.first(new_len), layout.version, ins.protocol_field_offset, kProtoAh,
                          static_cast<uint32_t>(new_len)))
    return HostStatus::fail(HostVerdict::invalid_argument, "AH outbound: IP header fix-up failed");

  IpLayout with_ah;
  const ConstBytes out(p, new_len);
  const ParseStatus ps2 = parse_ip(out, with_ah);
  if (!ps2.ok()) return to_host_status(ps2);
  AhIcvRegion region;
  region.ah_offset = ins.offset;
  region.ah_length = ah_len;
  region.icv_offset = static_cast<uint32_t>(kAhFixedSize + iv_len);
  region.icv_length = static_cast<uint32_t>(ah_icv_size(cfg_.algorithm));
  region.datagram_length = static_cast<uint32_t>(new_len);
  HostStatus s = transform_->compute(out, with_ah, region, cfg_.esn, static_cast<uint32_t>(seq >> 32),
                                     MutableBytes(ah + region.icv_offset, region.icv_length));
  if (!s.ok()) return s;
  result.sequence = seq;
  result.ah_offset = ins.offset;
  result.ah_length = ah_len;
  result.length = new_len;
  return HostStatus::success();
}

}  // namespace cts::esp
