// NIC model, send path (SEND-001..017; OQ-16, OQ-17): IV generation, encryption and ICVs over a frame the
// transport has framed.
#include "oracle/crypto/bytes.h"
#include "oracle/esp/nic_model.h"
#include "oracle/esp/nic_packet.h"
#include "oracle/esp/udp_encap.h"
#include "oracle/esp/esp_trailer.h"
#include "oracle/esp/ip_fixup.h"

#include <algorithm>

namespace cts::esp {
namespace {

NicSendOutcome failure(const char* why) {
  NicSendOutcome o;
  o.completion_status = ndis::NDIS_STATUS_FAILURE;
  o.note = why;
  return o;
}

uint32_t current_high(const ndis::SaSpec& sa) { return sa.esn ? sa.sequence_number_high_order : 0u; }

}  // namespace

const char* NicModel::seal_esp(MutableBytes esp, const sa::StoredBundle& bundle, uint32_t i, uint32_t carry) {
  EspTransform* xf = contexts(bundle).sa[i].esp.get();
  if (xf == nullptr) return "send: no ESP transform for the SA (internal)";
  const EspStatus len = xf->check_length(esp.size(), true);
  if (!len.ok()) return "send: the framed ESP packet is too short or misaligned for the SA (OQ-16)";
  const ndis::SaSpec& sa = bundle.spec.sas[i];
  // SEND-017: the high half from ADD / the last UPDATE (plus an LSO send's carry, OQ-CTS-3).
  const uint32_t high = current_high(sa) + (sa.esn ? carry : 0u);
  const uint64_t seq = (uint64_t{high} << 32) | crypto::load_be32(esp.data() + 4);
  if (xf->iv_size() != 0) {
    MutableBytes iv = esp.subspan(EspTransform::kHeader, xf->iv_size());
    const bool imposed = iv_override_ && iv_override_(sa.spi, seq, iv);
    if (!imposed) {
      // OQ-16: GCM/GMAC IV = the 64-bit sequence number (unique per key); CBC IV from the DRBG.
      const EspStatus st = xf->fill_iv(esp, seq, default_iv_policy(xf->suite()), rng_.get());
      if (!st.ok()) return st.detail;
    }
  }
  const EspStatus st = xf->seal(esp, high);
  return st.ok() ? nullptr : st.detail;
}

const char* NicModel::seal_ah(MutableBytes datagram, const IpLayout& layout, uint32_t ah_offset,
                              const sa::StoredBundle& bundle, uint32_t i) {
  AhTransform* xf = contexts(bundle).sa[i].ah.get();
  if (xf == nullptr) return "send: no AH transform for the SA (internal)";
  const ndis::SaSpec& sa = bundle.spec.sas[i];
  AhIcvRegion region;
  region.ah_offset = ah_offset;
  region.ah_length = (uint32_t{datagram[ah_offset + 1]} + 2u) * 4u;
  region.icv_offset = static_cast<uint32_t>(kAhFixedSize + xf->iv_size());
  region.icv_length = static_cast<uint32_t>(xf->icv_size());
  region.datagram_length = layout.datagram_length;
  if (region.ah_length < region.icv_offset + region.icv_length ||
      region.ah_length > layout.datagram_length - ah_offset) {
    return "send: the framed AH is too short for the SA's ICV (Payload Len)";
  }
  const uint32_t high = current_high(sa);
  const uint64_t seq = (uint64_t{high} << 32) | crypto::load_be32(&datagram[ah_offset + 8]);
  if (xf->iv_size() != 0) {
    MutableBytes iv = datagram.subspan(ah_offset + kAhFixedSize, xf->iv_size());
    if (!(iv_override_ && iv_override_(sa.spi, seq, iv))) {
      crypto::store_be64(iv.data(), seq);  // OQ-AH-1: the sequence number as GMAC IV
    }
  }
  MutableBytes icv = datagram.subspan(ah_offset + region.icv_offset, region.icv_length);
  for (uint8_t& b : icv) b = 0;  // OQ-AH-2: the placeholder content is ignored
  const HostStatus st = xf->compute(datagram.first(layout.datagram_length), layout, region, sa.esn,
                                    high, icv);
  return st.ok() ? nullptr : st.detail;
}

const char* NicModel::seal_level(MutableBytes datagram, const sa::StoredBundle& bundle,
                                 bool check_oob, uint32_t header_info) {
  IpsecLevel lv;
  const LocateResult where = locate_ipsec_level(datagram, lv);
  if (where == LocateResult::bad_ip) return "send: the IP datagram does not parse";
  if (where != LocateResult::ok) return "send: no AH/ESP header where the SA needs one";
  if (lv.ip.is_fragment) return "send: fragments are not IPsec-offloaded (SEND-016)";
  const ndis::BundleSpec& s = bundle.spec;
  int esp_i = -1;
  int ah_i = -1;
  if (s.sas[0].operation == ndis::IPsecOffloadV2Esp) {
    esp_i = 0;
    if (s.num_ext_hdrs == 2) ah_i = 1;
  } else {
    ah_i = 0;
  }
  if (esp_i >= 0 && (!lv.has_esp || lv.esp_spi != s.sas[esp_i].spi)) {
    return "send: the packet's ESP header does not carry the SPI of the handle's SA";
  }
  if (ah_i >= 0 && (!lv.has_ah || lv.spi != s.sas[ah_i].spi)) {
    return "send: the packet's AH does not carry the SPI of the handle's SA";
  }
  if (ah_i < 0 && lv.has_ah) return "send: AH in the packet but the bundle has no AH SA";
  if (esp_i < 0 && lv.has_esp) return "send: ESP in the packet but the bundle has no ESP SA";
  if (lv.has_udp && s.udp_esp_encapsulation == 0) {
    return "send: UDP-encapsulated ESP on a bundle without UdpEspEncapsulation";
  }
  if (check_oob) {
    // SEND-003: offsets in 4-byte units from the IP header; 0 = not supplied.
    const uint32_t esp_units = (header_info >> ndis::NBL_HDR_ESP_OFFSET_SHIFT) & 0xFFu;
    const uint32_t ah_units = (header_info >> ndis::NBL_HDR_AH_OFFSET_SHIFT) & 0xFFu;
    if (esp_units != 0 && (!lv.has_esp || esp_units * 4 != lv.esp_offset)) {
      return "send: header OOB EspHeaderOffset disagrees with the packet (SEND-003)";
    }
    if (ah_units != 0 && (!lv.has_ah || ah_units * 4 != lv.ah_offset)) {
      return "send: header OOB AhHeaderOffset disagrees with the packet (SEND-003)";
    }
  }
  // ESP first, then AH over the finished ESP packet (ADD-011, RFC 4301 §4.5).
  if (esp_i >= 0) {
    if (const char* e = seal_esp(datagram.subspan(lv.esp_offset, lv.esp_length), bundle,
                                 static_cast<uint32_t>(esp_i))) {
      return e;
    }
    if (lv.has_udp) {
      // The payload changed under the UDP checksum: recompute it if the transport used one (IPv6
      // always needs one); a zero IPv4 checksum stays zero (RFC 3948 §2.1).
      const uint16_t given = wire::get16(&datagram[lv.udp_offset + 6]);
      const uint32_t udp_len = lv.ip.datagram_length - lv.udp_offset;
      finish_udp_checksum(datagram.first(lv.ip.datagram_length), lv.ip.version, lv.udp_offset,
                          udp_len,
                          (given != 0 || lv.ip.version == 6) ? UdpChecksumMode::kCompute
                                                              : UdpChecksumMode::kZero);
    }
  }
  if (ah_i >= 0) {
    if (const char* e = seal_ah(datagram, lv.ip, lv.ah_offset, bundle, static_cast<uint32_t>(ah_i))) {
      return e;
    }
  }
  return nullptr;
}

NicSendOutcome NicModel::send(MutableBytes frame, const ndis::SendOob& oob) {
  NicSendOutcome out;
  out.frame_count = 1;
  if (!enabled_) {
    out.note = "offload not configured: sent without IPsec processing (SEND-004, OQ-23)";
    return out;
  }
  if (oob.lso_mss != 0) return failure("send: an LSO request goes through send_lso (SEND-007)");
  if (oob.offload_handle == 0) {
    if (oob.tunnel_handle != 0) return failure("send: TunnelHandle without an OffloadHandle");
    out.note = "zero OffloadHandle: no IPsec processing (SEND-005)";
    return out;
  }
  const sa::StoredBundle* bundle = table_.find(oob.offload_handle);
  if (bundle == nullptr) return failure("send: OffloadHandle names no offloaded SA (SEND-006)");
  if (bundle->inbound()) return failure("send: OffloadHandle names an inbound bundle (SEND-006)");
  const sa::StoredBundle* tunnel = nullptr;
  if (oob.tunnel_handle != 0) {
    tunnel = table_.find(oob.tunnel_handle);
    if (tunnel == nullptr) return failure("send: TunnelHandle names no offloaded SA (SEND-006)");
    if (tunnel->inbound()) return failure("send: TunnelHandle names an inbound bundle (SEND-006)");
  }
  EthernetInfo eth;
  if (!parse_ethernet(frame, eth).ok()) return failure("send: not an IPv4/IPv6 Ethernet frame");
  MutableBytes datagram = frame.subspan(eth.l3_offset);
  if (tunnel == nullptr) {
    if (const char* e = seal_level(datagram, *bundle, true, oob.header_info)) return failure(e);
  } else {
    // Transport over tunnel (SEND-002): the inner (transport) level first, then the outer.
    IpsecLevel outer;
    if (locate_ipsec_level(datagram, outer) != LocateResult::ok) {
      return failure("send: transport-over-tunnel packet without an outer AH/ESP");
    }
    uint32_t inner = 0;
    if (outer.has_esp) {
      const auto& ctx = contexts(*tunnel).sa[0];
      if (!ctx.esp) return failure("send: the tunnel bundle's first SA is not ESP but the packet's is");
      inner = static_cast<uint32_t>(outer.esp_offset + EspTransform::kHeader + ctx.esp->iv_size());
    } else {
      inner = outer.ah_offset + outer.ah_length;
    }
    if (inner >= outer.ip.datagram_length) return failure("send: no inner packet behind the tunnel header");
    if (const char* e = seal_level(datagram.subspan(inner, outer.ip.datagram_length - inner), *bundle,
                                   false, 0)) {
      return failure(e);
    }
    if (const char* e = seal_level(datagram, *tunnel, false, 0)) return failure(e);
  }
  out.ipsec_applied = true;
  out.note = "IPsec applied";
  return out;
}

NicSendOutcome NicModel::send_lso(ConstBytes frame, const ndis::SendOob& oob, SegmentSink& sink) {
  // Modelled shape: Ethernet | IPv4 (options allowed) or IPv6 (no extension headers) | ESP
  // (transport mode, no UDP encapsulation, no AH: SEND-014 keeps tunnels away from LSO) | TCP |
  // payload | PadLength octets the NIC discards (SEND-012). No trailer, no ICV (SEND-011).
  if (!enabled_) return failure("send_lso: offload not configured; LSO without IPsec is not modelled");
  if (oob.lso_mss == 0) return failure("send_lso: LsoV2 MSS is 0 (SEND-007)");
  if (oob.offload_handle == 0 || oob.tunnel_handle != 0) {
    return failure("send_lso: only ESP transport-mode LSO is modelled (zero or tunnel handle given)");
  }
  const sa::StoredBundle* bundle = table_.find(oob.offload_handle);
  if (bundle == nullptr || bundle->inbound()) return failure("send: OffloadHandle names no outbound SA (SEND-006)");
  const ndis::BundleSpec& s = bundle->spec;
  if (s.num_ext_hdrs != 1 || s.sas[0].operation != ndis::IPsecOffloadV2Esp || s.udp_esp_encapsulation != 0) {
    return failure("send_lso: only single-SA ESP bundles without UDP encapsulation are modelled");
  }
  EspTransform* xf = contexts(*bundle).sa[0].esp.get();
  if (xf == nullptr) return failure("send_lso: no ESP transform for the SA (internal)");
  EthernetInfo eth;
  if (!parse_ethernet(frame, eth).ok()) return failure("send_lso: not an IPv4/IPv6 Ethernet frame");
  const size_t l3 = eth.l3_offset;
  const uint32_t discard = (oob.header_info >> ndis::NBL_HDR_PAD_LENGTH_SHIFT) & 0xFFu;  // SEND-012
  uint8_t next_header = static_cast<uint8_t>(oob.header_info & ndis::NBL_HDR_NEXT_HEADER_MASK);
  if (next_header == 0) next_header = kProtoTcp;
  if (frame.size() < l3 + kIpv4MinHeader + discard) return failure("send_lso: frame too short");
  const size_t total = frame.size() - l3 - discard;  // the NET_BUFFER, not the IP length field
  const uint8_t version = static_cast<uint8_t>(frame[l3] >> 4);
  size_t ip_hlen = 0;
  if (version == 4) {
    ip_hlen = size_t{frame[l3] & 0x0Fu} * 4;
    if (ip_hlen < kIpv4MinHeader || frame[l3 + 9] != kProtoEsp) return failure("send_lso: IPv4 header is not followed by ESP");
  } else if (version == 6) {
    ip_hlen = kIpv6Header;
    if (frame[l3 + 6] != kProtoEsp) return failure("send_lso: IPv6 header is not directly followed by ESP");
  } else {
    return failure("send_lso: not IPv4 or IPv6");
  }
  const size_t esp_off = ip_hlen;
  const size_t tcp_off = esp_off + EspTransform::kHeader + xf->iv_size();
  if (total < tcp_off + 20) return failure("send_lso: no TCP header behind ESP");
  if (crypto::load_be32(&frame[l3 + esp_off]) != s.sas[0].spi) {
    return failure("send: the packet's ESP header does not carry the SPI of the handle's SA");
  }
  const size_t tcp_hlen = size_t{static_cast<uint8_t>(frame[l3 + tcp_off + 12] >> 4)} * 4;
  if (tcp_hlen < 20 || total < tcp_off + tcp_hlen) return failure("send_lso: bad TCP data offset");
  const size_t payload = total - tcp_off - tcp_hlen;
  const size_t mss = oob.lso_mss;
  const size_t segments = payload == 0 ? 1 : (payload + mss - 1) / mss;
  const uint32_t seq_low0 = crypto::load_be32(&frame[l3 + esp_off + 4]);
  const uint32_t tcp_seq0 = crypto::load_be32(&frame[l3 + tcp_off + 4]);
  const uint16_t ipv4_id0 = version == 4 ? wire::get16(&frame[l3 + 4]) : 0;
  const uint8_t flags0 = frame[l3 + tcp_off + 13];
  const size_t modulus = xf->pad_modulus();

  NicSendOutcome out;
  for (size_t i = 0; i < segments; ++i) {
    const size_t chunk = std::min(mss, payload - std::min(payload, i * mss));
    const size_t covered = tcp_hlen + chunk;
    size_t pad = 0;
    while ((covered + pad + 2) % modulus != 0) ++pad;  // SEND-013: fresh padding per segment
    const size_t esp_len = EspTransform::kHeader + xf->iv_size() + covered + pad + 2 + xf->icv_size();
    const size_t seg_size = l3 + ip_hlen + esp_len;
    MutableBytes seg = sink.next(seg_size);
    if (seg.size() < seg_size) return failure("send_lso: no room for the next segment");
    seg = seg.first(seg_size);
    std::copy_n(frame.begin(), l3 + tcp_off + tcp_hlen, seg.begin());
    std::copy_n(frame.begin() + static_cast<long>(l3 + tcp_off + tcp_hlen + i * mss), chunk,
                seg.begin() + static_cast<long>(l3 + tcp_off + tcp_hlen));
    MutableBytes ip = seg.subspan(l3);
    // ESP: sequence number of segment i = template + i (OQ-17); on an ESN SA the 64-bit number,
    // so segments past 2^32 carry into the high half (OQ-CTS-3).
    crypto::store_be32(&ip[esp_off + 4], static_cast<uint32_t>(seq_low0 + i));
    const uint32_t carry = static_cast<uint32_t>((uint64_t{seq_low0} + i) >> 32);
    // TCP: sequence number, flags (FIN/PSH on the last segment only, CWR on the first only).
    MutableBytes tcp = ip.subspan(tcp_off, covered);
    crypto::store_be32(&tcp[4], static_cast<uint32_t>(tcp_seq0 + i * mss));
    uint8_t flags = flags0;
    if (i + 1 != segments) flags = static_cast<uint8_t>(flags & ~0x09u);  // FIN 0x01, PSH 0x08
    if (i != 0) flags = static_cast<uint8_t>(flags & ~0x80u);             // CWR
    tcp[13] = flags;
    tcp[16] = tcp[17] = 0;
    uint8_t addresses[32];
    const size_t alen = version == 4 ? 8 : 32;
    std::copy_n(ip.begin() + (version == 4 ? 12 : 8), alen, addresses);
    wire::put16(&tcp[16], l4_checksum(version, ConstBytes(addresses, alen), kProtoTcp, tcp));
    // Trailer and ICV room (SEND-011: the NIC builds them per segment).
    uint8_t* t = &ip[tcp_off + covered];
    write_default_padding(t, pad);
    t[pad] = static_cast<uint8_t>(pad);
    t[pad + 1] = next_header;
    std::fill_n(t + pad + 2, xf->icv_size(), uint8_t{0});
    // IP lengths (and a fresh IPv4 Identification per segment).
    if (version == 4) {
      wire::put16(&ip[4], static_cast<uint16_t>(ipv4_id0 + i));
      ipv4_set_total_length(ip.first(ip_hlen), static_cast<uint16_t>(ip_hlen + esp_len));
    } else {
      ipv6_set_payload_length(ip.first(kIpv6Header), static_cast<uint16_t>(esp_len));
    }
    if (const char* e = seal_esp(ip.subspan(esp_off, esp_len), *bundle, 0, carry)) return failure(e);
    ++out.frame_count;
  }
  out.ipsec_applied = true;
  out.note = "LSO: segmented, each segment framed, encrypted and authenticated by the NIC";
  return out;
}

}  // namespace cts::esp
