#include "oracle/esp/esp_host.h"

#include <cstring>

#include "oracle/crypto/bytes.h"
#include "oracle/esp/ip_fixup.h"

namespace cts::esp {

IpAddress IpAddress::v4(std::array<uint8_t, 4> a) {
  IpAddress r;
  r.version = 4;
  std::memcpy(r.bytes.data(), a.data(), 4);
  return r;
}

IpAddress IpAddress::v6(const std::array<uint8_t, 16>& a) {
  IpAddress r;
  r.version = 6;
  r.bytes = a;
  return r;
}

bool IpPrefix::contains(uint8_t version, ConstBytes addr) const {
  if (version != address.version) return false;
  const uint32_t bits = version == 4 ? 32u : 128u;
  const uint32_t n = prefix_length > bits ? bits : prefix_length;
  for (uint32_t i = 0; i < n; ++i) {
    const uint8_t mask = static_cast<uint8_t>(0x80u >> (i % 8));
    if ((addr[i / 8] & mask) != (address.bytes[i / 8] & mask)) return false;
  }
  return true;
}

struct EspHost::Outbound {
  HostSaParams params;
  std::unique_ptr<EspOutbound> esp;
  std::unique_ptr<AhOutbound> ah;
  uint16_t next_ipv4_id = 1;
};

struct EspHost::Inbound {
  HostSaParams params;
  uint8_t protocol = kProtoEsp;
  bool esp_of_bundle = false;  // marker entry: the ESP SPI of an [ESP, AH] bundle
  std::unique_ptr<EspInbound> esp;
  std::unique_ptr<AhInbound> ah;
};

EspHost::~EspHost() = default;

namespace {

uint64_t inbound_key(uint8_t protocol, uint32_t spi) { return (uint64_t{protocol} << 32) | spi; }

// Keys live on only inside the keyed EVP contexts; the stored copy of the parameters drops them.
void drop_keys(HostSaParams& p) {
  if (p.esp) {
    p.esp->encryption_key.clear();
    p.esp->integrity_key.clear();
  }
  if (p.ah) p.ah->key.clear();
}

HostStatus check_shape(const HostSaParams& p) {
  if (!p.esp && !p.ah) return HostStatus::fail(HostVerdict::invalid_argument, "SA: neither ESP nor AH given");
  if (p.ah && p.udp_encap)
    return HostStatus::fail(HostVerdict::invalid_argument, "SA: AH is never UDP-encapsulated (AH-075)");
  if (p.mode == IpsecMode::tunnel && p.tunnel.outer_version != 4 && p.tunnel.outer_version != 6)
    return HostStatus::fail(HostVerdict::invalid_argument, "SA: tunnel.outer_version must be 4 or 6");
  if (p.destination && p.destination->version != 4 && p.destination->version != 6)
    return HostStatus::fail(HostVerdict::invalid_argument, "SA: destination.version must be 4 or 6");
  return HostStatus::success();
}

bool selectors_allow(const TrafficSelectors& s, ConstBytes datagram, uint8_t version) {
  if (s.any) return true;
  const ConstBytes a = ip_addresses(datagram, version);
  const size_t n = version == 4 ? 4 : 16;
  return s.source.contains(version, a.first(n)) && s.destination.contains(version, a.subspan(n, n));
}

}  // namespace

HostStatus EspHost::create(std::unique_ptr<EspHost>& out, crypto::RandomSource* rng,
                           const crypto::CryptoLibrary* lib) {
  if (!lib) lib = crypto::CryptoLibrary::shared();
  if (!lib) return HostStatus::fail(HostVerdict::crypto_error, "host: crypto library unavailable");
  std::unique_ptr<EspHost> h(new EspHost());
  h->lib_ = lib;
  if (rng) {
    h->rng_ = rng;
  } else {
    h->owned_rng_ = std::make_unique<crypto::OsRandomSource>(*lib);
    h->rng_ = h->owned_rng_.get();
  }
  out = std::move(h);
  return HostStatus::success();
}

HostStatus EspHost::add_outbound(const HostSaParams& params, HostSaId& id) {
  HostStatus s = check_shape(params);
  if (!s.ok()) return s;
  auto sa = std::make_unique<Outbound>();
  if (params.esp) {
    const EspStatus e = EspOutbound::create(*params.esp, *lib_, *rng_, sa->esp);
    if (!e.ok()) return to_host_status(e);
  }
  if (params.ah) {
    s = AhOutbound::create(*params.ah, sa->ah, lib_);
    if (!s.ok()) return s;
  }
  sa->params = params;
  drop_keys(sa->params);
  sa->next_ipv4_id = params.first_ipv4_id;
  id = static_cast<HostSaId>(outbound_.size());
  outbound_.push_back(std::move(sa));
  return HostStatus::success();
}

HostStatus EspHost::add_inbound(const HostSaParams& params) {
  HostStatus s = check_shape(params);
  if (!s.ok()) return s;
  const uint8_t protocol = params.ah ? kProtoAh : kProtoEsp;
  const uint32_t spi = params.ah ? params.ah->spi : params.esp->spi;
  auto clash = [&](uint8_t proto, uint32_t key_spi) {
    auto range = inbound_.equal_range(inbound_key(proto, key_spi));
    for (auto it = range.first; it != range.second; ++it)
      if (it->second->params.destination == params.destination) return true;
    return false;
  };
  if (clash(protocol, spi) || (params.ah && params.esp && clash(kProtoEsp, params.esp->spi)))
    return HostStatus::fail(HostVerdict::invalid_argument, "SA: an inbound SA with this SPI and destination exists");
  auto sa = std::make_unique<Inbound>();
  sa->protocol = protocol;
  if (params.esp) {
    const EspStatus e = EspInbound::create(*params.esp, *lib_, sa->esp);
    if (!e.ok()) return to_host_status(e);
  }
  if (params.ah) {
    s = AhInbound::create(*params.ah, sa->ah, lib_);
    if (!s.ok()) return s;
  }
  sa->params = params;
  drop_keys(sa->params);
  if (params.ah && params.esp) {
    auto marker = std::make_unique<Inbound>();
    marker->params = sa->params;
    marker->protocol = kProtoEsp;
    marker->esp_of_bundle = true;
    inbound_.emplace(inbound_key(kProtoEsp, params.esp->spi), std::move(marker));
  }
  inbound_.emplace(inbound_key(protocol, spi), std::move(sa));
  return HostStatus::success();
}

bool EspHost::remove_outbound(HostSaId id) {
  if (id >= outbound_.size() || !outbound_[id]) return false;
  outbound_[id].reset();
  return true;
}

bool EspHost::remove_inbound(uint8_t protocol, uint32_t spi, const std::optional<IpAddress>& destination) {
  auto range = inbound_.equal_range(inbound_key(protocol, spi));
  for (auto it = range.first; it != range.second; ++it) {
    Inbound& sa = *it->second;
    if (sa.esp_of_bundle || sa.params.destination != destination) continue;
    if (sa.ah && sa.esp) {
      auto inner = inbound_.equal_range(inbound_key(kProtoEsp, sa.params.esp->spi));
      for (auto jt = inner.first; jt != inner.second; ++jt) {
        if (jt->second->esp_of_bundle && jt->second->params.destination == destination) {
          inbound_.erase(jt);
          break;
        }
      }
    }
    inbound_.erase(it);
    return true;
  }
  return false;
}

size_t EspHost::outbound_count() const {
  size_t n = 0;
  for (const auto& o : outbound_) n += o != nullptr;
  return n;
}

size_t EspHost::inbound_count() const {
  size_t n = 0;
  for (const auto& kv : inbound_) n += !kv.second->esp_of_bundle;
  return n;
}

EspHost::Inbound* EspHost::lookup(uint8_t protocol, uint32_t spi, uint8_t version, ConstBytes dst) {
  Inbound* wildcard = nullptr;
  auto range = inbound_.equal_range(inbound_key(protocol, spi));
  for (auto it = range.first; it != range.second; ++it) {
    Inbound* sa = it->second.get();
    const auto& d = sa->params.destination;
    if (!d) {
      wildcard = sa;
    } else if (d->version == version && std::memcmp(d->bytes.data(), dst.data(), dst.size()) == 0) {
      return sa;  // a destination match wins over a wildcard (RFC 4303 §2.1 longest match)
    }
  }
  return wildcard;
}

EspInbound* EspHost::inbound_esp(uint8_t protocol, uint32_t spi, const std::optional<IpAddress>& dst) {
  auto range = inbound_.equal_range(inbound_key(protocol, spi));
  for (auto it = range.first; it != range.second; ++it)
    if (!it->second->esp_of_bundle && it->second->params.destination == dst) return it->second->esp.get();
  return nullptr;
}

AhInbound* EspHost::inbound_ah(uint32_t spi, const std::optional<IpAddress>& dst) {
  auto range = inbound_.equal_range(inbound_key(kProtoAh, spi));
  for (auto it = range.first; it != range.second; ++it)
    if (it->second->params.destination == dst) return it->second->ah.get();
  return nullptr;
}

// ---------------------------------------------------------------------------------------------
// protect

ProtectResult EspHost::protect(HostSaId id, ConstBytes packet, MutableBytes out,
                               const ProtectOptions& o) {
  ProtectResult r;
  if (id >= outbound_.size() || !outbound_[id]) {
    r.status = HostStatus::fail(HostVerdict::invalid_argument, "protect: unknown outbound SA id");
    return r;
  }
  if (crypto::ranges_overlap(packet.data(), packet.size(), out.data(), out.size())) {
    r.status = HostStatus::fail(HostVerdict::invalid_argument, "protect: packet and out overlap");
    return r;
  }
  Outbound& sa = *outbound_[id];
  IpLayout L;
  const ParseStatus ps = parse_ip(packet, L);
  if (!ps.ok()) {
    r.status = to_host_status(ps);
    return r;
  }
  const bool tunnel = sa.params.mode == IpsecMode::tunnel;
  if (!tunnel && L.is_fragment) {
    r.status = HostStatus::fail(HostVerdict::fragment, "protect: transport mode applies to whole datagrams only (MODE-005)");
    return r;
  }
  const uint32_t dlen = L.datagram_length;
  uint8_t version = L.version;
  uint32_t hdr_len = 0;
  uint32_t proto_field = 0;
  ConstBytes payload;
  uint8_t next_header = 0;
  if (tunnel) {
    version = sa.params.tunnel.outer_version;
    hdr_len = outer_header_length(version);
    proto_field = version == 4 ? 9 : 6;
    payload = packet.first(dlen);
    next_header = L.version == 4 ? kProtoIpv4 : kProtoIpv6;
  } else {
    const InsertionPoint ip = transport_insertion_point(L);
    hdr_len = ip.offset;
    proto_field = ip.protocol_field_offset;
    payload = packet.subspan(ip.offset, dlen - ip.offset);
    next_header = ip.protected_protocol;
  }
  const uint32_t max_datagram = version == 4 ? kIpv4MaxDatagram : kIpv6MaxDatagram;
  const uint16_t ipv4_id = o.outer_ipv4_id ? *o.outer_ipv4_id : sa.next_ipv4_id;

  size_t total = 0;
  if (sa.esp) {
    const size_t udp = sa.params.udp_encap ? kUdpHeader : 0;
    OutboundOptions eo;
    eo.iv = o.esp_iv;
    eo.tfc_length = o.tfc_length;
    eo.extra_padding = o.extra_padding;
    eo.malformed_padding = o.malformed_padding;
    const size_t esp_size = sa.esp->packet_size(o.dummy ? o.dummy_length : payload.size(), eo);
    total = hdr_len + udp + esp_size;
    if (total > max_datagram) {
      r.status = HostStatus::fail(HostVerdict::invalid_argument, "protect: protected datagram would exceed the IP length field");
      return r;
    }
    if (total > out.size()) {
      r.status = HostStatus::fail(HostVerdict::buffer_too_small, "protect: output buffer too small");
      return r;
    }
    const uint8_t outer_proto = udp ? kProtoUdp : kProtoEsp;
    if (tunnel) {
      write_outer_header(out, sa.params.tunnel, packet, L.version, outer_proto, static_cast<uint32_t>(total), ipv4_id);
    } else {
      std::memcpy(out.data(), packet.data(), hdr_len);
    }
    const MutableBytes esp_out = out.subspan(hdr_len + udp, esp_size);
    const OutboundResult er = o.dummy ? sa.esp->protect_dummy(o.dummy_length, esp_out, eo)
                                      : sa.esp->protect(payload, next_header, esp_out, eo);
    if (!er.status.ok()) {
      r.status = to_host_status(er.status);
      return r;
    }
    if (er.length != esp_size) {
      r.status = HostStatus::fail(HostVerdict::crypto_error, "protect: ESP length differs from packet_size()");
      return r;
    }
    if (o.damage_esp_icv) esp_out[esp_size - 1] ^= 0x01;  // before AH, which then covers the damage
    if (!tunnel) finalize_ip_header(out.first(total), version, proto_field, outer_proto, static_cast<uint32_t>(total));
    if (udp) {
      const uint32_t udp_len = static_cast<uint32_t>(udp + esp_size);
      write_udp_header(out.subspan(hdr_len), sa.params.udp.source_port, sa.params.udp.destination_port,
                       static_cast<uint16_t>(udp_len));
      finish_udp_checksum(out.first(total), version, hdr_len, udp_len,
                          version == 4 ? sa.params.udp.ipv4_checksum : sa.params.udp.ipv6_checksum);
    }
    r.esp_offset = static_cast<uint32_t>(hdr_len + udp);
    r.esp_sequence = er.seq;
  } else {
    // AH only: the datagram AH will be inserted into (tunnel: outer header + IP-in-IP).
    total = tunnel ? hdr_len + dlen : dlen;
    if (total > max_datagram) {
      r.status = HostStatus::fail(HostVerdict::invalid_argument, "protect: protected datagram would exceed the IP length field");
      return r;
    }
    if (total > out.size()) {
      r.status = HostStatus::fail(HostVerdict::buffer_too_small, "protect: output buffer too small");
      return r;
    }
    if (tunnel) {
      write_outer_header(out, sa.params.tunnel, packet, L.version, next_header, static_cast<uint32_t>(total), ipv4_id);
      std::memcpy(out.data() + hdr_len, packet.data(), dlen);
    } else {
      std::memcpy(out.data(), packet.data(), dlen);
    }
  }
  if (sa.ah) {
    AhSendOptions ao;
    ao.gmac_iv = o.ah_gmac_iv;
    AhSendResult ar;
    const HostStatus s = sa.ah->protect(out, total, ao, ar);
    if (!s.ok()) {
      r.status = s;
      return r;
    }
    total = ar.length;
    r.ah_offset = ar.ah_offset;
    r.ah_sequence = ar.sequence;
    if (r.esp_offset) r.esp_offset += ar.ah_length;
  }
  if (tunnel && !o.outer_ipv4_id) ++sa.next_ipv4_id;
  r.length = total;
  r.status = HostStatus::success();
  return r;
}

// ---------------------------------------------------------------------------------------------
// unprotect

UnprotectResult EspHost::unprotect(ConstBytes packet, MutableBytes out) {
  UnprotectResult r = unprotect_view(packet, out);
  if (r.status.ok() && r.offset != 0) {
    std::memmove(out.data(), out.data() + r.offset, r.length);
    r.offset = 0;
  }
  return r;
}

// The IP-level checks that come before any IPsec processing; false with r.status set on failure.
bool EspHost::admit(ConstBytes packet, IpLayout& L, UnprotectResult& r) {
  r.layer = IpsecLayer::ip;
  const ParseStatus ps = parse_ip(packet, L);
  if (!ps.ok()) {
    r.status = to_host_status(ps);
    return false;
  }
  // The IP layer drops an IPv4 header whose checksum is wrong before IPsec sees it (RFC 1122
  // §3.2.1.2); the oracle reports it as a header error.
  if (L.version == 4 && !ipv4_header_checksum_ok(packet.first(L.header_length))) {
    r.status = HostStatus::fail(HostVerdict::malformed_header, "ipv4.header_checksum", 10);
    return false;
  }
  // RFC 4303 §3.4.1 / RFC 4302 §3.4.1: reassembly comes first; a fragment is discarded.
  if (L.is_fragment) {
    r.status = HostStatus::fail(HostVerdict::fragment, "unprotect: datagram is a fragment (ESP-009, AH-036)");
    return false;
  }
  return true;
}

UnprotectResult EspHost::unprotect_view(ConstBytes packet, MutableBytes out) {
  UnprotectResult r;
  r.layer = IpsecLayer::ip;  // also for the overlap refusal below, before admit() runs
  if (crypto::ranges_overlap(packet.data(), packet.size(), out.data(), out.size())) {
    r.status = HostStatus::fail(HostVerdict::invalid_argument, "unprotect: packet and out overlap");
    return r;
  }
  IpLayout L;
  if (!admit(packet, L, r)) return r;
  if (out.size() < L.datagram_length) {
    r.status = HostStatus::fail(HostVerdict::buffer_too_small, "unprotect: output buffer shorter than the datagram");
    return r;
  }
  std::memcpy(out.data(), packet.data(), L.datagram_length);
  return unprotect_datagram(L, out.first(L.datagram_length), r);
}

UnprotectResult EspHost::unprotect_datagram(const IpLayout& L, MutableBytes d, UnprotectResult r) {
  const uint32_t dlen = L.datagram_length;
  const uint8_t version = L.version;
  const ConstBytes dst = version == 4 ? ConstBytes(d).subspan(16, 4) : ConstBytes(d).subspan(24, 16);
  const uint32_t off = L.payload_offset;
  const uint32_t pf = L.protocol_field_offset;
  const uint8_t outer_tos = ip_traffic_class(d, version);

  if (L.payload_protocol == kProtoAh) {
    r.layer = IpsecLayer::ah;
    if (dlen - off < kAhFixedSize) {
      r.status = HostStatus::fail(HostVerdict::malformed_length, "AH header runs past the datagram", off);
      return r;
    }
    r.spi = wire::get32(&d[off + 4]);
    Inbound* sa = lookup(kProtoAh, r.spi, version, dst);
    if (!sa) {
      r.status = HostStatus::fail(HostVerdict::unknown_spi, "AH: no inbound SA for the SPI (+destination)", off + 4);
      return r;
    }
    AhReceiveResult ar;
    const HostStatus s = sa->ah->verify(d, L, ar);
    if (!s.ok()) {
      r.status = s;
      return r;
    }
    r.ah_sequence = ar.sequence;
    r.ah_over_padded = ar.over_padded;
    r.next_header = ar.next_header;
    // Remove AH: restore the Next Header and the lengths (RFC 4302 §3.4).
    const uint32_t new_len = dlen - ar.ah_length;
    std::memmove(d.data() + off, d.data() + off + ar.ah_length, dlen - off - ar.ah_length);
    finalize_ip_header(d.first(new_len), version, pf, ar.next_header, new_len);
    if (sa->esp) {
      if (ar.next_header != kProtoEsp) {
        r.status = HostStatus::fail(HostVerdict::policy_mismatch, "bundle: AH Next Header is not ESP", off);
        return r;
      }
      r.layer = IpsecLayer::esp;
      if (new_len - off < 8) {
        r.status = HostStatus::fail(HostVerdict::truncated, "ESP header runs past the datagram", off);
        return r;
      }
      if (wire::get32(&d[off]) != sa->params.esp->spi) {
        r.status = HostStatus::fail(HostVerdict::policy_mismatch, "bundle: ESP SPI is not the bundle's", off);
        return r;
      }
      return unprotect_esp(*sa, d, new_len, off, off, pf, r);
    }
    return finish_inner(*sa, d, off, pf, ar.next_header, off, new_len - off, outer_tos, r);
  }

  if (L.payload_protocol == kProtoEsp) {
    r.layer = IpsecLayer::esp;
    if (dlen - off < 8) {
      r.status = HostStatus::fail(HostVerdict::truncated, "ESP header runs past the datagram", off);
      return r;
    }
    r.spi = wire::get32(&d[off]);
    Inbound* sa = lookup(kProtoEsp, r.spi, version, dst);
    if (!sa) {
      r.status = HostStatus::fail(HostVerdict::unknown_spi, "ESP: no inbound SA for the SPI (+destination)", off);
      return r;
    }
    if (sa->esp_of_bundle) {
      r.status = HostStatus::fail(HostVerdict::policy_mismatch, "bundle: ESP arrived without the bundle's AH", off);
      return r;
    }
    if (sa->params.udp_encap) {
      r.status = HostStatus::fail(HostVerdict::policy_mismatch, "ESP: SA negotiated UDP encapsulation (RFC 3948)", off);
      return r;
    }
    return unprotect_esp(*sa, d, dlen, off, off, pf, r);
  }

  if (L.payload_protocol == kProtoUdp) {
    r.layer = IpsecLayer::udp;
    if (dlen - off < kUdpHeader) {
      r.status = HostStatus::fail(HostVerdict::truncated, "UDP header runs past the datagram", off);
      return r;
    }
    const uint32_t udp_len = wire::get16(&d[off + 4]);
    if (wire::get16(&d[off + 2]) != kNatTPort) {
      r.status = HostStatus::fail(HostVerdict::not_ipsec, "UDP: not the encapsulation port 4500", off + 2);
      return r;
    }
    if (udp_len < kUdpHeader || udp_len > dlen - off) {
      r.status = HostStatus::fail(HostVerdict::truncated, "UDP: length field outside the datagram", off + 4);
      return r;
    }
    r.udp_encapsulated = true;
    const ConstBytes up = ConstBytes(d).subspan(off + kUdpHeader, udp_len - kUdpHeader);
    switch (classify_udp_encap_payload(up)) {
      case UdpPayloadKind::kKeepalive:
        r.status = HostStatus::fail(HostVerdict::udp_keepalive, "UDP: NAT-keepalive (RFC 3948 §2.3)", off);
        return r;
      case UdpPayloadKind::kIke:
        r.status = HostStatus::fail(HostVerdict::ike, "UDP: non-ESP marker, IKE (RFC 3948 §2.2)", off);
        return r;
      case UdpPayloadKind::kTruncated:
        r.status = HostStatus::fail(HostVerdict::truncated, "UDP: payload too short for ESP", off + kUdpHeader);
        return r;
      case UdpPayloadKind::kEsp:
        break;
    }
    r.layer = IpsecLayer::esp;
    r.spi = wire::get32(&d[off + kUdpHeader]);
    Inbound* sa = lookup(kProtoEsp, r.spi, version, dst);
    if (!sa) {
      r.status = HostStatus::fail(HostVerdict::unknown_spi, "UDP-ESP: no inbound SA for the SPI (+destination)", off + kUdpHeader);
      return r;
    }
    if (sa->esp_of_bundle || !sa->params.udp_encap) {
      r.status = HostStatus::fail(HostVerdict::policy_mismatch, "UDP-ESP: SA did not negotiate UDP encapsulation", off);
      return r;
    }
    if (version == 6 && sa->params.udp.ipv6_zero_checksum == Ipv6ZeroChecksumRx::kDiscard &&
        udp_checksum_is_zero(d, off)) {
      r.layer = IpsecLayer::udp;
      r.status = HostStatus::fail(HostVerdict::malformed_header,
                                  "UDP: zero checksum over IPv6 refused by this receiver (RFC 8200 §8.1, OQ-ESP-1)",
                                  off + 6);
      return r;
    }
    if (sa->params.udp.verify_received_checksum && !udp_checksum_acceptable(d, version, off, udp_len)) {
      r.layer = IpsecLayer::udp;
      r.status = HostStatus::fail(HostVerdict::malformed_header, "UDP: checksum wrong", off + 6);
      return r;
    }
    return unprotect_esp(*sa, d, off + udp_len, off + kUdpHeader, off, pf, r);
  }

  r.status = HostStatus::fail(HostVerdict::not_ipsec, "datagram carries neither ESP, AH nor UDP-ESP", pf);
  return r;
}

UnprotectResult EspHost::unprotect_esp(Inbound& sa, MutableBytes out, uint32_t datagram_end,
                                       uint32_t esp_offset, uint32_t header_end,
                                       uint32_t protocol_field, UnprotectResult r) {
  const uint8_t version = out[0] >> 4;
  const uint8_t outer_tos = ip_traffic_class(out, version);
  const InboundResult ir = sa.esp->process(out.subspan(esp_offset, datagram_end - esp_offset));
  r.esp_sequence = ir.seq;
  if (ir.status.verdict == EspVerdict::dummy) {
    r.status = to_host_status(ir.status);
    r.next_header = ir.next_header;
    return r;
  }
  if (!ir.status.ok()) {
    r.status = to_host_status(ir.status);
    r.status.offset = esp_offset;
    return r;
  }
  r.next_header = ir.next_header;
  return finish_inner(sa, out, header_end, protocol_field, ir.next_header,
                      static_cast<uint32_t>(esp_offset + ir.payload_offset),
                      static_cast<uint32_t>(ir.payload_length), outer_tos, r);
}

UnprotectResult EspHost::finish_inner(Inbound& sa, MutableBytes out, uint32_t header_end,
                                      uint32_t protocol_field, uint8_t next_header,
                                      uint32_t payload_offset, uint32_t payload_length,
                                      uint8_t outer_tos, UnprotectResult r) {
  const uint8_t version = out[0] >> 4;
  if (sa.params.mode == IpsecMode::tunnel) {
    r.layer = IpsecLayer::inner;
    r.mode = IpsecMode::tunnel;
    if (next_header != kProtoIpv4 && next_header != kProtoIpv6) {
      r.status = HostStatus::fail(HostVerdict::policy_mismatch, "tunnel SA: protected payload is not an IP packet", payload_offset);
      return r;
    }
    IpLayout IL;
    const ParseStatus ps = parse_ip(ConstBytes(out).subspan(payload_offset, payload_length), IL);
    if (!ps.ok()) {
      r.status = to_host_status(ps);
      r.status.offset += payload_offset;
      return r;
    }
    if ((IL.version == 4) != (next_header == kProtoIpv4)) {
      r.status = HostStatus::fail(HostVerdict::policy_mismatch, "tunnel: inner IP version differs from Next Header", payload_offset);
      return r;
    }
    // The inner length field drops any TFC padding (RFC 4303 §3.4.4.1 step 5, TFC-002).
    const uint32_t len = IL.datagram_length;
    const MutableBytes inner = out.subspan(payload_offset, len);
    r.ecn_ce_propagated = apply_decapsulation_rules(inner, IL.version, outer_tos, sa.params.tunnel);
    if (!selectors_allow(sa.params.selectors, inner, IL.version)) {
      r.status = HostStatus::fail(HostVerdict::policy_mismatch, "tunnel: inner addresses outside the SA selectors (RFC 4301 §5.2)");
      return r;
    }
    r.offset = payload_offset;
    r.length = len;
    r.status = HostStatus::success();
    return r;
  }
  r.layer = IpsecLayer::inner;
  r.mode = IpsecMode::transport;
  // TFC padding in transport mode is only possible when the upper layer carries its length
  // (RFC 4303 §2.7); UDP does, so its own length trims it.
  if (next_header == kProtoUdp && payload_length >= kUdpHeader) {
    const uint32_t ul = wire::get16(&out[payload_offset + 4]);
    if (ul >= kUdpHeader && ul <= payload_length) payload_length = ul;
  }
  const uint32_t len = header_end + payload_length;
  std::memmove(out.data() + header_end, out.data() + payload_offset, payload_length);
  if (!finalize_ip_header(out.first(len), version, protocol_field, next_header, len)) {
    r.status = HostStatus::fail(HostVerdict::malformed_header, "transport: restored datagram does not fit the IP length field");
    return r;
  }
  if (r.udp_encapsulated && sa.params.nat_checksum_fix == NatChecksumFix::recompute &&
      (next_header == kProtoTcp || next_header == kProtoUdp)) {
    // RFC 3948 §3.1.2 option 2: recompute the upper-layer checksum over the received addresses.
    const uint32_t csum_off = next_header == kProtoTcp ? 16u : 6u;
    if (payload_length >= csum_off + 2 && !(next_header == kProtoUdp && wire::get16(&out[header_end + 6]) == 0)) {
      out[header_end + csum_off] = 0;
      out[header_end + csum_off + 1] = 0;
      uint16_t c = l4_checksum(version, ip_addresses(out, version), next_header,
                               ConstBytes(out).subspan(header_end, payload_length));
      if (next_header == kProtoUdp && c == 0) c = 0xFFFF;
      wire::put16(&out[header_end + csum_off], c);
    }
  }
  if (!selectors_allow(sa.params.selectors, out.first(len), version)) {
    r.status = HostStatus::fail(HostVerdict::policy_mismatch, "transport: addresses outside the SA selectors (RFC 4301 §5.2)");
    return r;
  }
  r.length = len;
  r.status = HostStatus::success();
  return r;
}

}  // namespace cts::esp
