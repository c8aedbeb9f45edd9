// NIC model, receive path (RECV-001..020; RFC 4302 §3.4): SA lookup, ICV
// verification with the SA's current high half, in-place decryption, and the OOB words.
#include "oracle/crypto/bytes.h"
#include "oracle/esp/ah_sa.h"
#include "oracle/esp/esp_trailer.h"
#include "oracle/esp/nic_model.h"
#include "oracle/esp/nic_packet.h"

namespace cts::esp {
namespace {

using namespace cts::ndis;

uint32_t current_high(const SaSpec& sa) { return sa.esn ? sa.sequence_number_high_order : 0u; }

bool is_ip_protocol(uint8_t nh) { return nh == kProtoIpv4 || nh == kProtoIpv6; }

ConstBytes destination_of(ConstBytes datagram, const IpLayout& ip) {
  return ip.version == 4 ? datagram.subspan(16, 4) : datagram.subspan(24, 16);
}

// A tunnel portion by the SA's own declaration (UdpEspEncapsulation names a tunnel part).
bool udp_type_says_tunnel(uint32_t type) {
  return type == IPSEC_OFFLOAD_V2_UDP_ESP_ENCAPSULATION_TUNNEL ||
         type == IPSEC_OFFLOAD_V2_TRANSPORT_OVER_UDP_ESP_ENCAPSULATION_TUNNEL;
}

uint16_t ah_failed(bool tunnel) { return tunnel ? CRYPTO_TUNNEL_AH_AUTH_FAILED : CRYPTO_TRANSPORT_AH_AUTH_FAILED; }
uint16_t esp_failed(bool tunnel) {
  return tunnel ? CRYPTO_TUNNEL_ESP_AUTH_FAILED : CRYPTO_TRANSPORT_ESP_AUTH_FAILED;
}

}  // namespace

NicModel::LevelResult NicModel::open_level(MutableBytes datagram, bool inner_level) {
  LevelResult r;
  IpsecLevel lv;
  if (locate_ipsec_level(datagram, lv) != LocateResult::ok) return r;
  const ConstBytes dst = destination_of(datagram, lv.ip);
  const uint32_t op = lv.has_ah ? IPsecOffloadV2Ah : IPsecOffloadV2Esp;
  // RECV-003 / ADD-015: SPI, destination (or a wildcard SA) and protocol.
  sa::InboundMatch m = table_.find_inbound(lv.spi, dst, op);
  if (!m) {
    const uint32_t other = op == IPsecOffloadV2Ah ? IPsecOffloadV2Esp : IPsecOffloadV2Ah;
    const sa::InboundMatch wrong = table_.find_inbound(lv.spi, dst, other);
    if (!wrong) {
      r.note = "no inbound SA for the SPI and destination: indicated untouched (RECV-004)";
      return r;
    }
    r.matched = true;
    r.delete_requested = wrong.bundle->delete_requested;
    r.status = CRYPTO_INVALID_PROTOCOL;  // the SA is AH and the packet ESP, or the reverse
    r.note = "the packet's protocol differs from the SA's (CRYPTO_INVALID_PROTOCOL)";
    return r;
  }
  const sa::StoredBundle& b = *m.bundle;
  const BundleSpec& s = b.spec;
  r.matched = true;
  r.delete_requested = b.delete_requested;  // RECV-018/019: independent of the outcome
  const bool declared_tunnel = !inner_level && udp_type_says_tunnel(s.udp_esp_encapsulation);

  // Shape of the packet against the bundle.
  const bool bundle_has_esp = s.sas[0].operation == IPsecOffloadV2Esp;
  const int ah_index = lv.has_ah ? static_cast<int>(m.sa_index) : -1;
  if ((lv.has_ah && s.num_ext_hdrs == 2 && (!lv.has_esp || lv.esp_spi != s.sas[0].spi)) ||
      (!lv.has_ah && s.num_ext_hdrs == 2) || (lv.has_udp && s.udp_esp_encapsulation == 0) ||
      (!lv.has_udp && s.udp_esp_encapsulation == IPSEC_OFFLOAD_V2_UDP_ESP_ENCAPSULATION_TRANSPORT &&
       !lv.has_ah)) {
    r.status = CRYPTO_INVALID_PROTOCOL;
    r.note = "the packet's IPsec headers are not the bundle's shape (CRYPTO_INVALID_PROTOCOL)";
    return r;
  }

  // AH first (OQ-10: reverse of the send order).
  if (ah_index >= 0) {
    AhTransform* xf = contexts(b).sa[ah_index].ah.get();
    const SaSpec& sa = s.sas[ah_index];
    const bool tunnel = declared_tunnel || (!inner_level && is_ip_protocol(lv.ah_next_header));
    const size_t minimal = ah_length(xf->algorithm(), lv.ip.version);
    const size_t aligned8 = (minimal + 7) / 8 * 8;
    // OQ-AH-4: the minimal form, or the 8-octet aligned IPv4 form Linux sends.
    if (lv.ah_length != minimal && !(lv.ip.version == 4 && lv.ah_length == aligned8)) {
      r.status = CRYPTO_INVALID_PACKET_SYNTAX;
      r.note = "AH Payload Len does not match the SA's algorithm (OQ-AH-9)";
      return r;
    }
    AhIcvRegion region;
    region.ah_offset = lv.ah_offset;
    region.ah_length = lv.ah_length;
    region.icv_offset = static_cast<uint32_t>(kAhFixedSize + xf->iv_size());
    region.icv_length = static_cast<uint32_t>(xf->icv_size());
    region.datagram_length = lv.ip.datagram_length;
    const ConstBytes whole = datagram.first(lv.ip.datagram_length);
    const HostStatus st = xf->verify(whole, lv.ip, region, sa.esn, current_high(sa),
                                     whole.subspan(lv.ah_offset + region.icv_offset, region.icv_length));
    if (st.verdict == HostVerdict::bad_icv) {
      r.status = ah_failed(tunnel);
      r.note = "AH ICV mismatch";
      return r;  // ESP is not processed: the payload stays as received (RFC 4302 §3.4)
    }
    if (!st.ok()) {
      r.status = CRYPTO_INVALID_PACKET_SYNTAX;
      r.note = "AH ICV input could not be formed (malformed header before AH)";
      return r;
    }
    if (!bundle_has_esp) {
      r.ok = true;
      r.inner_ip = is_ip_protocol(lv.ah_next_header);
      r.inner_offset = lv.ah_offset + lv.ah_length;
      r.note = "AH verified";
      return r;
    }
  }

  // ESP.
  EspTransform* xf = contexts(b).sa[0].esp.get();
  const SaSpec& sa = s.sas[0];
  MutableBytes esp = datagram.subspan(lv.esp_offset, lv.esp_length);
  if (xf == nullptr) {
    r.status = CRYPTO_INVALID_PACKET_SYNTAX;
    r.note = "the model could not key the SA's ESP transform (internal: out of memory)";
    return r;
  }
  if (!xf->check_length(esp.size(), false).ok()) {
    r.status = CRYPTO_INVALID_PACKET_SYNTAX;
    r.note = "ESP too short for the SA's IV, trailer and ICV";
    return r;
  }
  // OQ-26: the SA's current high half, no window inference.
  const EspStatus st = xf->open(esp, current_high(sa));
  if (st.verdict == EspVerdict::bad_icv) {
    r.status = esp_failed(declared_tunnel);
    r.note = "ESP ICV mismatch (packet left as received)";
    return r;
  }
  if (!st.ok()) {
    r.status = CRYPTO_INVALID_PACKET_SYNTAX;
    r.note = "ESP could not be opened (length)";
    return r;
  }
  const size_t body = xf->body_offset();
  const ConstBytes plain = esp.subspan(body, esp.size() - body - xf->icv_size());
  TrailerInfo trailer;
  if (!parse_trailer(plain, false, trailer).ok()) {
    r.status = CRYPTO_INVALID_PACKET_SYNTAX;
    r.note = "ESP decrypted but Pad Length exceeds the payload";
    return r;
  }
  r.ok = true;
  r.trailer_valid = true;
  r.next_header = trailer.next_header;
  r.pad_length = trailer.pad_length;
  r.inner_ip = is_ip_protocol(trailer.next_header);
  r.inner_offset = static_cast<uint32_t>(lv.esp_offset + body);
  r.note = "ESP verified and decrypted in place (OQ-15)";
  return r;
}

NicReceiveOutcome NicModel::receive(MutableBytes frame) {
  NicReceiveOutcome out;  // OQ-24: both slots start as whole zero words
  if (!enabled_) {
    out.note = "offload not configured: indicated without IPsec processing (RECV-002)";
    return out;
  }
  EthernetInfo eth;
  if (!parse_ethernet(frame, eth).ok()) {
    out.note = "not an IPv4/IPv6 Ethernet frame: indicated untouched";
    return out;
  }
  MutableBytes datagram = frame.subspan(eth.l3_offset);
  IpsecLevel lv;
  switch (locate_ipsec_level(datagram, lv)) {
    case LocateResult::ok:
      break;
    case LocateResult::ike:
      out.note = "UDP 4500 with the non-ESP marker is IKE: indicated untouched (UDP-002)";
      return out;
    case LocateResult::keepalive:
      out.note = "NAT keepalive on UDP 4500: indicated untouched";
      return out;
    default:
      out.note = "no IPsec header the NIC can parse: indicated untouched";
      return out;
  }
  // RECV-005 / RECV-017: outside the advertised capabilities, the host does the work.
  if (lv.ip.is_fragment) {
    out.note = "fragment: indicated untouched (RECV-017)";
    return out;
  }
  if (lv.ip.version == 6 && !caps_.ipv6_supported) {
    out.note = "IPv6 not advertised: indicated untouched (RECV-005)";
    return out;
  }
  if (lv.ip.version == 4 && lv.ip.header_length > kIpv4MinHeader && !caps_.ipv4_options) {
    out.note = "IPv4 options not advertised: indicated untouched (RECV-005)";
    return out;
  }
  if (lv.ip.version == 6 && lv.ip.ext_count > 0 && !caps_.ipv6_non_ipsec_extension_headers) {
    out.note = "IPv6 extension headers not advertised: indicated untouched (RECV-005)";
    return out;
  }
  if (lv.has_udp && caps_.udp_esp == 0) {
    out.note = "UDP-ESP not advertised: indicated untouched (UDP-001)";
    return out;
  }

  const LevelResult outer = open_level(datagram, false);
  out.note = outer.note;
  if (!outer.matched) return out;  // RECV-004: no OOB information at all
  uint32_t info = NBL_RECV_CRYPTO_DONE;  // RECV-006: at least one payload checked
  if (outer.delete_requested) info |= NBL_RECV_SA_DELETE_REQ;
  uint16_t status = outer.ok ? CRYPTO_SUCCESS : outer.status;
  const LevelResult* trailer_from = outer.trailer_valid ? &outer : nullptr;
  LevelResult inner;
  if (outer.ok && outer.inner_ip && outer.inner_offset < lv.ip.datagram_length) {
    // Transport over tunnel: the decrypted tunnel payload may carry its own IPsec level.
    MutableBytes inner_datagram =
        datagram.subspan(outer.inner_offset, lv.ip.datagram_length - outer.inner_offset);
    inner = open_level(inner_datagram, true);
    if (inner.matched) {
      info |= NBL_RECV_NEXT_CRYPTO_DONE;  // RECV-007/008: both portions checked
      if (inner.delete_requested) info |= NBL_RECV_SA_DELETE_REQ;
      if (!inner.ok) status = inner.status;
      if (inner.trailer_valid) trailer_from = &inner;
      out.note = inner.note;
    }
  }
  info |= uint32_t{status} << NBL_RECV_CRYPTO_STATUS_SHIFT;
  out.oob.ipsec_info = info;  // upper 4 bytes of the x64 slot stay zero (OQ-24)
  if (trailer_from != nullptr) {
    out.oob.header_info = uint32_t{trailer_from->next_header} |
                          (uint32_t{trailer_from->pad_length} << NBL_HDR_PAD_LENGTH_SHIFT) |
                          NBL_HDR_RECV_HEADER_INFO_SET;
  }
  out.processed = true;
  return out;
}

}  // namespace cts::esp
