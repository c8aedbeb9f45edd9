#include "oracle/esp/ah_icv_input.h"

#include <algorithm>

namespace cts::esp {

namespace {

constexpr uint8_t kZeros[64] = {};

// Emits the packet octets in order, passing unchanged runs through as one span and substituting
// replacements where a field is mutable. `pos` is the next packet octet to account for.
class Emitter {
 public:
  Emitter(ConstBytes packet, IcvSink& sink) : packet_(packet), sink_(sink) {}

  // Octets [pos, end) go in as sent.
  void keep_until(uint32_t end) { pos_ = end; }
  // The next replacement.size() packet octets are replaced by `replacement`.
  void replace(ConstBytes replacement) {
    flush();
    if (ok_) ok_ = sink_.put(replacement);
    pos_ += static_cast<uint32_t>(replacement.size());
    start_ = pos_;
  }
  // The next n packet octets are replaced by zeros.
  void zero_field(uint32_t n) {
    flush();
    for (uint32_t left = n; left && ok_;) {
      const uint32_t k = std::min<uint32_t>(left, sizeof kZeros);
      ok_ = sink_.put(ConstBytes(kZeros, k));
      left -= k;
    }
    pos_ += n;
    start_ = pos_;
  }
  // Packet octets that are left out of the ICV input entirely.
  void skip(uint32_t n) {
    flush();
    pos_ += n;
    start_ = pos_;
  }
  void flush() {
    if (pos_ > start_ && ok_) ok_ = sink_.put(packet_.subspan(start_, pos_ - start_));
    start_ = pos_;
  }
  uint32_t pos() const { return pos_; }
  bool ok() const { return ok_; }

 private:
  ConstBytes packet_;
  IcvSink& sink_;
  uint32_t start_ = 0;
  uint32_t pos_ = 0;
  bool ok_ = true;
};

// RFC 4302 Appendix A1: IPv4 options that are immutable; everything else (including unknown
// options, §3.3.3.1) is zeroed whole, type and length octets included.
bool ipv4_option_immutable(uint8_t type) {
  switch (type) {
    case 0x00:  // End of Option List
    case 0x01:  // No Operation
    case 0x82:  // Security
    case 0x85:  // Extended Security
    case 0x86:  // Commercial Security
    case 0x94:  // Router Alert
    case 0x95:  // Sender Directed Multi-Destination Delivery
      return true;
    default:
      return false;
  }
}

constexpr uint8_t kIpv6OptHomeAddress = 0xC9;

AhInputResult feed_ipv4(ConstBytes p, const IpLayout& layout, Emitter& em, ParseStatus& status) {
  const uint32_t hl = layout.header_length;
  const ConstBytes options = p.subspan(kIpv4MinHeader, hl - kIpv4MinHeader);
  // Destination prediction for an unfinished source route (§6.1, §6.2).
  const uint8_t* final_dst = nullptr;
  status = walk_ipv4_options(options, kIpv4MinHeader, [&](const OptionSpan& o) {
    if ((o.type == kIpv4OptLsrr || o.type == kIpv4OptSsrr) && o.length >= 7) {
      const uint8_t pointer = options[o.offset + 2];
      if (pointer <= o.length) final_dst = &options[o.offset + o.length - 4];
    }
  });
  if (!status.ok()) return AhInputResult::malformed;

  em.keep_until(1);   // version, IHL
  em.zero_field(1);   // DSCP/ECN
  em.keep_until(6);   // Total Length, Identification
  em.zero_field(2);   // flags + fragment offset
  em.zero_field(1);   // TTL
  em.keep_until(10);  // Protocol
  em.zero_field(2);   // header checksum
  em.keep_until(16);  // source
  if (final_dst) em.replace(ConstBytes(final_dst, 4));
  else em.keep_until(20);
  bool ended = false;
  walk_ipv4_options(options, kIpv4MinHeader, [&](const OptionSpan& o) {
    if (ended) return;
    if (o.type == kIpv4OptEnd) {
      ended = true;  // the rest is header padding, kept as sent
      return;
    }
    if (ipv4_option_immutable(o.type)) em.keep_until(kIpv4MinHeader + o.offset + o.length);
    else em.zero_field(o.length);
  });
  em.keep_until(hl);
  return AhInputResult::ok;
}

// Type of the header that follows ext[i] once Fragment headers are left out of the input.
uint8_t next_skipping_fragments(const IpLayout& layout, int i) {
  // i = -1 stands for the fixed header.
  uint32_t j = static_cast<uint32_t>(i + 1);
  while (j < layout.ext_count && layout.ext[j].type == kProtoFragment) ++j;
  if (j < layout.ext_count) return layout.ext[j].type;
  // All remaining headers were fragments: what follows the last one (AH).
  return layout.ext[layout.ext_count - 1].next_header;
}

AhInputResult feed_ipv6(ConstBytes p, const IpLayout& layout, Emitter& em, ParseStatus& status) {
  // Pre-scan: routing header prediction and unsupported headers (OQ-AH-8).
  const ExtensionHeader* rh = nullptr;
  uint32_t rh_n = 0;
  uint32_t rh_left = 0;
  for (uint32_t i = 0; i < layout.ext_count; ++i) {
    const ExtensionHeader& e = layout.ext[i];
    if (e.type == kProtoRouting) {
      const uint8_t routing_type = p[e.offset + 2];
      if (routing_type != 0) {
        status = ParseStatus::fail(PacketError::kUnsupportedHeader, e.offset + 2,
                                   "ipv6.routing.type (only type 0 is modelled before AH, OQ-AH-8)");
        return AhInputResult::malformed;
      }
      const uint8_t hdr_ext_len = p[e.offset + 1];
      if (hdr_ext_len % 2 != 0) {
        status = ParseStatus::fail(PacketError::kBadOption, e.offset + 1, "ipv6.routing0.hdr_ext_len (odd)");
        return AhInputResult::malformed;
      }
      rh_n = hdr_ext_len / 2u;
      rh_left = p[e.offset + 3];
      if (rh_left > rh_n) {
        status = ParseStatus::fail(PacketError::kBadOption, e.offset + 3, "ipv6.routing0.segments_left");
        return AhInputResult::malformed;
      }
      rh = &e;
    } else if (e.type == kProtoHopByHop || e.type == kProtoDestinationOptions) {
      bool home = false;
      walk_ipv6_tlv_options(p.subspan(e.offset, e.length), e.offset, [&](const OptionSpan& o) {
        if (o.type == kIpv6OptHomeAddress) home = true;
      });
      if (home) {
        status = ParseStatus::fail(PacketError::kUnsupportedHeader, e.offset,
                                   "ipv6.option.home_address (not modelled before AH, OQ-AH-8)");
        return AhInputResult::malformed;
      }
    }
  }
  const bool predict = rh != nullptr && rh_left > 0;

  // Fixed header: version 6, traffic class and flow label zero (§6.3).
  static constexpr uint8_t kV6Word0[4] = {0x60, 0, 0, 0};
  em.replace(ConstBytes(kV6Word0, 4));
  em.keep_until(6);  // Payload Length
  if (layout.ext_count > 0 && layout.ext[0].type == kProtoFragment) {
    const uint8_t nh = next_skipping_fragments(layout, -1);
    em.replace(ConstBytes(&nh, 1));
  } else {
    em.keep_until(7);
  }
  em.zero_field(1);   // Hop Limit
  em.keep_until(24);  // source
  if (predict) em.replace(p.subspan(rh->offset + 8 + (rh_n - 1) * 16, 16));
  else em.keep_until(40);

  for (uint32_t i = 0; i < layout.ext_count; ++i) {
    const ExtensionHeader& e = layout.ext[i];
    if (e.type == kProtoFragment) {
      em.skip(e.length);
      continue;
    }
    // Next Header octet, redirected past a following Fragment header.
    if (i + 1 < layout.ext_count && layout.ext[i + 1].type == kProtoFragment) {
      const uint8_t nh = next_skipping_fragments(layout, static_cast<int>(i));
      em.replace(ConstBytes(&nh, 1));
    } else {
      em.keep_until(e.offset + 1);
    }
    if (e.type == kProtoRouting) {
      if (!predict) {
        em.keep_until(e.offset + e.length);
        continue;
      }
      em.keep_until(e.offset + 3);  // Hdr Ext Len, Routing Type
      static constexpr uint8_t kZero = 0;
      em.replace(ConstBytes(&kZero, 1));  // Segments Left as at the final node
      em.keep_until(e.offset + 8);        // reserved
      // Final list = a[0..n-s-1], D, a[n-s..n-2] (§6.4).
      const uint32_t visited = rh_n - rh_left;
      em.keep_until(e.offset + 8 + visited * 16);
      em.replace(p.subspan(24, 16));  // original destination
      // The last listed address became the destination and drops out of the list, so the list
      // keeps its n entries and replace() has consumed exactly the s unvisited slots.
      for (uint32_t k = visited; k + 1 < rh_n; ++k) em.replace(p.subspan(e.offset + 8 + k * 16, 16));
      continue;
    }
    // Hop-by-Hop / Destination Options: data of options with the change-en-route bit zeroed.
    em.keep_until(e.offset + 2);
    walk_ipv6_tlv_options(p.subspan(e.offset, e.length), e.offset, [&](const OptionSpan& o) {
      if (o.type != 0 && (o.type & 0x20) != 0) {
        em.keep_until(e.offset + o.offset + 2);
        em.zero_field(o.length - 2);
      } else {
        em.keep_until(e.offset + o.offset + o.length);
      }
    });
    em.keep_until(e.offset + e.length);
  }
  return AhInputResult::ok;
}

}  // namespace

AhInputResult feed_ah_icv_input(ConstBytes packet, const IpLayout& layout,
                                const AhIcvRegion& region, IcvSink& sink, ParseStatus& status) {
  status = {};
  if (region.ah_offset != layout.payload_offset || region.datagram_length > packet.size() ||
      region.ah_length > region.datagram_length - region.ah_offset ||
      region.icv_offset > region.ah_length || region.icv_length > region.ah_length - region.icv_offset) {
    status = ParseStatus::fail(PacketError::kTruncated, region.ah_offset, "ah.region");
    return AhInputResult::malformed;
  }
  Emitter em(packet, sink);
  const AhInputResult r = layout.version == 4 ? feed_ipv4(packet, layout, em, status)
                                              : feed_ipv6(packet, layout, em, status);
  if (r != AhInputResult::ok) return r;
  // AH: fields and IV as sent, ICV zero, explicit padding as sent (§6.5).
  em.keep_until(region.ah_offset + region.icv_offset);
  em.zero_field(region.icv_length);
  em.keep_until(region.datagram_length);
  em.flush();
  return em.ok() ? AhInputResult::ok : AhInputResult::sink_failed;
}

namespace {
class VectorSink final : public IcvSink {
 public:
  explicit VectorSink(std::vector<uint8_t>& out) : out_(out) {}
  bool put(ConstBytes b) override {
    out_.insert(out_.end(), b.begin(), b.end());
    return true;
  }

 private:
  std::vector<uint8_t>& out_;
};
}  // namespace

ParseStatus build_ah_icv_input(ConstBytes packet, const IpLayout& layout, const AhIcvRegion& region,
                               std::vector<uint8_t>& out) {
  out.clear();
  VectorSink sink(out);
  ParseStatus st;
  feed_ah_icv_input(packet, layout, region, sink, st);
  return st;
}

}  // namespace cts::esp
