#include "oracle/esp/send_judge.h"

#include <algorithm>
#include <cstdio>

#include "oracle/esp/nic_packet.h"
#include "oracle/esp/nic_sa_config.h"

namespace cts::esp {
namespace {

std::string hex32(uint32_t v) {
  char b[16];
  std::snprintf(b, sizeof b, "0x%08x", v);
  return b;
}

std::string hex16(uint16_t v) {
  char b[8];
  std::snprintf(b, sizeof b, "0x%04x", v);
  return b;
}

uint32_t current_high(const ndis::SaSpec& sa) { return sa.esn ? sa.sequence_number_high_order : 0u; }

void mark(std::vector<uint8_t>& may_differ, size_t from, size_t n) {
  for (size_t i = from; i < from + n && i < may_differ.size(); ++i) may_differ[i] = 1;
}

}  // namespace

std::unique_ptr<SendJudge> SendJudge::create(const sa::SaTable& table,
                                             const crypto::CryptoLibrary* lib) {
  if (lib == nullptr) lib = crypto::CryptoLibrary::shared();
  if (lib == nullptr) return nullptr;
  std::unique_ptr<SendJudge> j(new SendJudge(table, *lib));
  // Keys are remembered only as keyed fingerprints, never as key bytes.
  static constexpr uint8_t kLabel[] = "ipsec-cts send judge key fingerprint";
  if (!crypto::Hmac::create(*lib, crypto::HmacAlgorithm::sha256, crypto::ByteView(kLabel, sizeof kLabel),
                            32, j->fingerprint_)
           .ok()) {
    return nullptr;
  }
  return j;
}

size_t SendJudge::ivs_recorded() const {
  size_t n = 0;
  for (const auto& [key, history] : ivs_) n += history.size();
  return n;
}

SendJudge::Keyed* SendJudge::keyed_for(const sa::StoredBundle& bundle, std::string& error) {
  Keyed& k = keyed_[bundle.handle];
  if (k.serial == bundle.serial) return &k;
  k = Keyed{};
  for (uint32_t i = 0; i < bundle.spec.num_ext_hdrs && i < 2; ++i) {
    const ndis::SaSpec& sa = bundle.spec.sas[i];
    crypto::ByteView key;
    uint8_t tag[2] = {static_cast<uint8_t>(sa.operation), 0};
    EspSaConfig ecfg;
    AhSaConfig acfg;
    if (sa.operation == ndis::IPsecOffloadV2Esp) {
      if (!esp_config_from_sa(sa, ecfg).ok() || !EspTransform::create(ecfg, lib_, k.esp[i]).ok()) {
        error = "judge: cannot key the ESP SA";
        return nullptr;
      }
      key = ecfg.encryption_key.view();
      tag[1] = static_cast<uint8_t>(ecfg.suite.encryption);
    } else {
      if (!ah_config_from_sa(sa, acfg).ok() || !AhTransform::create(acfg, lib_, k.ah[i]).ok()) {
        error = "judge: cannot key the AH SA";
        return nullptr;
      }
      key = acfg.key.view();
      tag[1] = static_cast<uint8_t>(acfg.algorithm);
    }
    const crypto::ByteView parts[] = {crypto::ByteView(tag, 2), key};
    if (!fingerprint_->compute(parts, k.key_id[i]).ok()) {
      error = "judge: key fingerprint failed";
      return nullptr;
    }
  }
  k.serial = bundle.serial;
  return &k;
}

void SendJudge::record_iv(const Fingerprint& key, bool nonce_critical, ConstBytes iv, uint64_t sequence,
                          const char* what, SendJudgement& out) {
  if (ivs_[key].record(iv, sequence)) {
    out.pass = false;
    if (nonce_critical) {
      out.critical = true;
      out.findings.push_back(std::string("CRITICAL: ") + what + " IV " + crypto::to_hex(iv) +
                             " reused under the same key (nonce reuse breaks GCM/GMAC, RFC 4106 §3.1)");
    } else {
      out.findings.push_back(std::string(what) + " IV " + crypto::to_hex(iv) +
                             " repeated under the same key (CBC IVs must be unpredictable, RFC 3602 §3)");
    }
  }
}

void SendJudge::judge_level(MutableBytes datagram, uint32_t base, const sa::StoredBundle& bundle,
                            std::vector<uint8_t>& may_differ, SendJudgement& out,
                            uint32_t& inner_offset) {
  std::string error;
  Keyed* k = keyed_for(bundle, error);
  if (k == nullptr) {
    out.pass = false;
    out.findings.push_back(error);
    return;
  }
  IpsecLevel lv;
  if (locate_ipsec_level(datagram, lv) != LocateResult::ok) {
    out.pass = false;
    out.findings.push_back("no AH/ESP header where the bundle " + hex32(static_cast<uint32_t>(bundle.handle)) +
                           " needs one");
    return;
  }
  const ndis::BundleSpec& s = bundle.spec;
  const int esp_i = s.sas[0].operation == ndis::IPsecOffloadV2Esp ? 0 : -1;
  const int ah_i = esp_i == 0 ? (s.num_ext_hdrs == 2 ? 1 : -1) : 0;
  // AH first (OQ-10): it covers the ESP bytes as sent.
  if (ah_i >= 0) {
    AhTransform& xf = *k->ah[ah_i];
    const ndis::SaSpec& sa = s.sas[ah_i];
    if (!lv.has_ah || lv.spi != sa.spi) {
      out.pass = false;
      out.findings.push_back("AH with SPI " + hex32(sa.spi) + " missing from the sent frame");
      return;
    }
    AhIcvRegion region;
    region.ah_offset = lv.ah_offset;
    region.ah_length = lv.ah_length;
    region.icv_offset = static_cast<uint32_t>(kAhFixedSize + xf.iv_size());
    region.icv_length = static_cast<uint32_t>(xf.icv_size());
    region.datagram_length = lv.ip.datagram_length;
    if (region.ah_length < region.icv_offset + region.icv_length) {
      out.pass = false;
      out.findings.push_back("AH shorter than the SA's IV and ICV");
      return;
    }
    const ConstBytes whole = datagram.first(lv.ip.datagram_length);
    if (xf.iv_size() != 0) {
      const ConstBytes iv = whole.subspan(lv.ah_offset + kAhFixedSize, xf.iv_size());
      record_iv(k->key_id[ah_i], true, iv, wire::get32(&whole[lv.ah_offset + 8]), "AH-GMAC", out);
      mark(may_differ, base + lv.ah_offset + kAhFixedSize, xf.iv_size());
    }
    const HostStatus st = xf.verify(whole, lv.ip, region, sa.esn, current_high(sa),
                                    whole.subspan(lv.ah_offset + region.icv_offset, region.icv_length));
    if (!st.ok()) {
      out.pass = false;
      out.findings.push_back("AH ICV (SPI " + hex32(sa.spi) + ") does not verify with the SA's current ESN "
                             "high half " + hex32(current_high(sa)) + " (SEND-017): " + st.detail);
    }
    mark(may_differ, base + lv.ah_offset + region.icv_offset, region.icv_length);
    inner_offset = lv.ah_offset + lv.ah_length;
  }
  if (esp_i >= 0) {
    EspTransform& xf = *k->esp[0];
    const ndis::SaSpec& sa = s.sas[0];
    if (!lv.has_esp || lv.esp_spi != sa.spi) {
      out.pass = false;
      out.findings.push_back("ESP with SPI " + hex32(sa.spi) + " missing from the sent frame");
      return;
    }
    MutableBytes esp = datagram.subspan(lv.esp_offset, lv.esp_length);
    if (!xf.check_length(esp.size(), false).ok()) {
      out.pass = false;
      out.findings.push_back("ESP too short for the SA's IV, trailer and ICV");
      return;
    }
    if (xf.iv_size() != 0) {
      const bool combined = is_combined(xf.suite().encryption);
      record_iv(k->key_id[0], combined, esp.subspan(EspTransform::kHeader, xf.iv_size()), wire::get32(&esp[4]),
                combined ? "ESP GCM/GMAC" : "ESP CBC", out);
      mark(may_differ, base + lv.esp_offset + EspTransform::kHeader, xf.iv_size());
    }
    mark(may_differ, base + lv.esp_offset + esp.size() - xf.icv_size(), xf.icv_size());
    if (lv.has_udp) {
      // The NIC changed the payload under the UDP checksum (IV, ICV, ciphertext), so it must
      // refresh it: zero is accepted (RFC 3948 §2.1 for IPv4; over IPv6 OQ-ESP-1), a stale or
      // wrong non-zero value makes a checksum-verifying receiver drop the packet (UDPENC-006).
      const uint32_t udp_len = lv.ip.datagram_length - lv.udp_offset;
      if (!udp_checksum_acceptable(datagram.first(lv.ip.datagram_length), lv.ip.version, lv.udp_offset, udp_len)) {
        out.pass = false;
        out.findings.push_back("UDP checksum " + hex16(wire::get16(&datagram[lv.udp_offset + 6])) +
                               " of the UDP-encapsulated ESP packet is neither zero nor correct after the NIC "
                               "filled it in (UDPENC-006)");
      }
      mark(may_differ, base + lv.udp_offset + 6, 2);
    }
    const EspStatus st = xf.open(esp, current_high(sa));
    if (!st.ok()) {
      out.pass = false;
      out.findings.push_back("ESP ICV (SPI " + hex32(sa.spi) + ") does not verify with the SA's current ESN "
                             "high half " + hex32(current_high(sa)) + " (SEND-017): " + st.detail);
      return;
    }
    inner_offset = static_cast<uint32_t>(lv.esp_offset + xf.body_offset());
  }
}

SendJudgement SendJudge::judge(ConstBytes framed, const ndis::SendOob& oob, ConstBytes wire) {
  SendJudgement out;
  if (wire.size() != framed.size()) {
    out.pass = false;
    out.findings.push_back("the sent frame is " + std::to_string(wire.size()) + " bytes, the framed one " +
                           std::to_string(framed.size()) + " (without LSO the NIC changes no length)");
    return out;
  }
  std::vector<uint8_t> copy(wire.begin(), wire.end());
  std::vector<uint8_t> may_differ(copy.size(), 0);
  if (oob.offload_handle != 0) {
    const sa::StoredBundle* bundle = table_.find(oob.offload_handle);
    const sa::StoredBundle* tunnel = oob.tunnel_handle ? table_.find(oob.tunnel_handle) : nullptr;
    if (bundle == nullptr || (oob.tunnel_handle != 0 && tunnel == nullptr)) {
      out.pass = false;
      out.findings.push_back("a handle of the send names no offloaded SA: the NBL should have "
                             "completed with NDIS_STATUS_FAILURE (SEND-006)");
      return out;
    }
    EthernetInfo eth;
    if (!parse_ethernet(copy, eth).ok()) {
      out.pass = false;
      out.findings.push_back("the sent frame is not an IPv4/IPv6 Ethernet frame");
      return out;
    }
    MutableBytes datagram = MutableBytes(copy).subspan(eth.l3_offset);
    uint32_t inner = 0;
    if (tunnel != nullptr) {
      judge_level(datagram, eth.l3_offset, *tunnel, may_differ, out, inner);
      if (out.pass && inner != 0 && inner < datagram.size()) {
        uint32_t unused = 0;
        judge_level(datagram.subspan(inner), eth.l3_offset + inner, *bundle, may_differ, out, unused);
      }
    } else {
      judge_level(datagram, eth.l3_offset, *bundle, may_differ, out, inner);
    }
    if (!out.pass) return out;
  }
  // SEND-005 / SEND-010: everything the transport framed travels unchanged.
  size_t shown = 0;
  size_t differing = 0;
  std::string list;
  for (size_t i = 0; i < copy.size(); ++i) {
    if (may_differ[i] || copy[i] == framed[i]) continue;
    ++differing;
    if (shown++ < 8) list += " " + std::to_string(i);
  }
  if (differing != 0) {
    out.pass = false;
    out.findings.push_back(std::to_string(differing) + " byte(s) differ from what the transport framed "
                           "(after decryption; IV/ICV excluded) at offset(s)" + list +
                           (differing > 8 ? " ..." : ""));
  }
  return out;
}

}  // namespace cts::esp
