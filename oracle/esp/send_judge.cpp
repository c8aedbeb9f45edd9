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

uint32_t current_high(const ndis::SaSpec& sa, std::optional<uint32_t> expected) {
  if (!sa.esn) return 0u;
  return expected ? *expected : sa.sequence_number_high_order;
}

void mark(std::vector<uint8_t>& may_differ, size_t from, size_t n) {
  for (size_t i = from; i < from + n && i < may_differ.size(); ++i) may_differ[i] = 1;
}

template <typename Ids>
void add_ids(std::vector<std::string>& to, const Ids& ids) {
  for (const char* id : ids) {
    if (id != nullptr && std::find(to.begin(), to.end(), id) == to.end()) to.emplace_back(id);
  }
}
void add_ids(std::vector<std::string>& to, std::initializer_list<const char*> ids) {
  add_ids<std::initializer_list<const char*>>(to, ids);
}

// A frame that is not what the send should have produced.
void corrupt(SendJudgement& out, std::string finding, std::initializer_list<const char*> ids) {
  out.pass = false;
  out.verdict = PacketVerdict::corrupt;
  out.findings.push_back(std::move(finding));
  add_ids(out.requirements, ids);
}

// The high halves a device that mishandled ESN most likely used: none at all, a value of the
// last few UPDATE_SAs (one it never applied), the next ones (App. A inference gone wrong), the
// one the SA was framed with when the case states another, and the current high half of another
// live SA of the table (an UPDATE_SA applied to the wrong SA). Tried only for an ICV that
// failed; a bounded number of SAs, so a million-bundle table costs nothing here.
std::vector<uint32_t> high_candidates(uint32_t high, uint32_t framed_with, const sa::SaTable& table) {
  std::vector<uint32_t> c = {0u, high + 1, high + 2, framed_with};
  for (uint32_t back = 1; back <= 16; ++back) c.push_back(high - back);
  size_t visited = 0;
  table.for_each([&](const sa::StoredBundle& b) {
    if (++visited > 64) return;
    for (uint32_t i = 0; i < b.sa_count() && i < b.spec.sas.size(); ++i)
      if (b.spec.sas[i].esn) c.push_back(b.spec.sas[i].sequence_number_high_order);
  });
  std::sort(c.begin(), c.end());
  c.erase(std::unique(c.begin(), c.end()), c.end());
  return c;
}

}  // namespace

std::string SendJudgement::detail() const {
  std::string d;
  for (const auto& f : findings) d += (d.empty() ? "" : "; ") + f;
  return d;
}

std::unique_ptr<SendJudge> SendJudge::create(const sa::SaTable& table, const crypto::CryptoLibrary* lib) {
  return create(table, Options{}, lib);
}

std::unique_ptr<SendJudge> SendJudge::create(const sa::SaTable& table, Options options,
                                             const crypto::CryptoLibrary* lib) {
  if (lib == nullptr) lib = crypto::CryptoLibrary::shared();
  if (lib == nullptr) return nullptr;
  std::unique_ptr<SendJudge> j(new SendJudge(table, *lib, options));
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

SendJudge::Keyed* SendJudge::keyed_for(const ndis::SaSpec& sa, Fingerprint& id, std::string& error) {
  EspSaConfig ecfg;
  AhSaConfig acfg;
  crypto::ByteView key;
  const bool is_esp = sa.operation == ndis::IPsecOffloadV2Esp;
  if (is_esp) {
    if (!esp_config_from_sa(sa, ecfg).ok()) {
      error = "judge: the ESP SA has no host transform";
      return nullptr;
    }
    key = ecfg.encryption_key.view();
  } else {
    if (!ah_config_from_sa(sa, acfg).ok()) {
      error = "judge: the AH SA has no host transform";
      return nullptr;
    }
    key = acfg.key.view();
  }
  // Everything that shapes the transform goes into the fingerprint with the key, so two SAs
  // share transforms (and IV history) only when they would compute the same bytes.
  uint8_t tag[12] = {static_cast<uint8_t>(sa.operation), static_cast<uint8_t>(sa.esn)};
  const uint32_t words[] = {sa.encryption_algorithm, sa.authentication_algorithm, sa.icv_length};
  for (size_t i = 0; i < 3; ++i) tag[2 + i] = static_cast<uint8_t>(words[i] & 0xFF);
  const crypto::ByteView auth_key = is_esp ? ecfg.integrity_key.view() : crypto::ByteView();
  const crypto::ByteView parts[] = {crypto::ByteView(tag, sizeof tag), key, auth_key};
  if (!fingerprint_->compute(parts, id).ok()) {
    error = "judge: key fingerprint failed";
    return nullptr;
  }
  Keyed& k = keyed_[id];
  if (is_esp && !k.esp) {
    if (!EspTransform::create(ecfg, lib_, k.esp).ok()) {
      error = "judge: cannot key the ESP SA";
      return nullptr;
    }
  } else if (!is_esp && !k.ah) {
    if (!AhTransform::create(acfg, lib_, k.ah).ok()) {
      error = "judge: cannot key the AH SA";
      return nullptr;
    }
  }
  return &k;
}

void SendJudge::record_iv(const Fingerprint& key, const char* requirement, bool nonce_critical, ConstBytes iv,
                          uint64_t sequence, const char* what, SendJudgement& out) {
  if (options_.skip_repeated_sequences && !sequences_[key].insert(sequence).second) return;
  const std::optional<uint64_t> first = ivs_[key].record(iv, sequence);
  if (!first) return;
  out.pass = false;
  IvRepeat r;
  r.requirement = requirement;
  r.critical = nonce_critical;
  r.iv.assign(iv.begin(), iv.end());
  r.first_sequence = *first;
  out.iv_repeats.push_back(std::move(r));
  if (nonce_critical) {
    out.critical = true;
    out.findings.push_back(std::string("CRITICAL: ") + what + " IV " + crypto::to_hex(iv) +
                           " reused under the same key (nonce reuse breaks GCM/GMAC, RFC 4106 §3.1, " +
                           requirement + ")");
  } else {
    out.findings.push_back(std::string(what) + " IV " + crypto::to_hex(iv) +
                           " repeated under the same key (CBC IVs must be unpredictable, RFC 3602 §3, " +
                           requirement + ")");
  }
}

void SendJudge::check_cbc_iv(const Fingerprint& key, ConstBytes esp, size_t iv_size, size_t icv_size,
                             uint64_t sequence, SendJudgement& out) {
  const ConstBytes iv = esp.subspan(EspTransform::kHeader, iv_size);
  // The last ciphertext block ends where the ICV starts.
  const ConstBytes last = esp.subspan(esp.size() - icv_size - iv_size, iv_size);
  CbcState& state = cbc_[key];
  const CbcIvFlaw flaw = state.tracker.next(iv, last);
  const uint64_t previous = state.last_sequence;
  state.last_sequence = sequence;
  if (flaw == CbcIvFlaw::none) return;
  out.pass = false;
  IvRepeat r;
  r.requirement = "CBC-002";
  r.iv.assign(iv.begin(), iv.end());
  r.first_sequence = previous;
  r.predictable = cbc_iv_flaw_text(flaw);
  out.iv_repeats.push_back(std::move(r));
  out.findings.push_back("ESP CBC IV " + crypto::to_hex(iv) + " is " + cbc_iv_flaw_text(flaw) +
                         " (sequence " + std::to_string(previous) +
                         "): CBC IVs must be unpredictable, RFC 3602 §3, CBC-002");
}

void SendJudge::add_field(size_t from, size_t length, const char* name, const char* id1, const char* id2) {
  fields_.push_back(FramedField{from, length, name, {id1, id2}});
}

void SendJudge::judge_level(MutableBytes datagram, uint32_t base, const ndis::BundleSpec& s,
                            std::optional<uint32_t> seq_high, std::vector<uint8_t>& may_differ,
                            SendJudgement& out, uint32_t& inner_offset) {
  IpsecLevel lv;
  if (locate_ipsec_level(datagram, lv) != LocateResult::ok) {
    corrupt(out, "no AH/ESP header where the bundle needs one", {"SEND-009"});
    return;
  }
  const int esp_i = s.sas[0].operation == ndis::IPsecOffloadV2Esp ? 0 : -1;
  const int ah_i = esp_i == 0 ? (s.num_ext_hdrs == 2 ? 1 : -1) : 0;
  // The IP header as framed (mutable fields included: the NIC changes none of them).
  add_field(base, lv.ip.version == 6 ? 40 : 20, "IP header", "SEND-010");
  // AH first (OQ-10): it covers the ESP bytes as sent.
  if (ah_i >= 0) {
    std::string error;
    Fingerprint key_id{};
    const ndis::SaSpec& sa = s.sas[ah_i];
    Keyed* k = keyed_for(sa, key_id, error);
    if (k == nullptr) {
      corrupt(out, error, {"SEND-009"});
      return;
    }
    AhTransform& xf = *k->ah;
    if (!lv.has_ah) {
      corrupt(out, "AH with SPI " + hex32(sa.spi) + " missing from the sent frame", {"SEND-009", "AH-070"});
      return;
    }
    if (lv.spi != sa.spi) {
      corrupt(out, "AH SPI " + hex32(lv.spi) + ", the SA's " + hex32(sa.spi), {"SEND-010"});
      return;
    }
    AhIcvRegion region;
    region.ah_offset = lv.ah_offset;
    region.ah_length = lv.ah_length;
    region.icv_offset = static_cast<uint32_t>(kAhFixedSize + xf.iv_size());
    region.icv_length = static_cast<uint32_t>(xf.icv_size());
    region.datagram_length = lv.ip.datagram_length;
    const size_t at = base + lv.ah_offset;
    add_field(at, 1, "AH Next Header", "SEND-010", "AH-002");
    add_field(at + 1, 1, "AH Payload Len", "SEND-010", "AH-003");
    add_field(at + 2, 2, "AH Reserved", "SEND-010", "AH-005");
    add_field(at + 8, 4, "AH Sequence Number", "SEND-010", "AH-009");
    add_field(at + region.icv_offset + region.icv_length,
          region.ah_length > region.icv_offset + region.icv_length ? region.ah_length - region.icv_offset - region.icv_length : 0,
          "AH padding", "SEND-010", "AH-019");
    if (region.ah_length < region.icv_offset + region.icv_length) {
      corrupt(out, "AH Payload Len " + std::to_string(datagram[lv.ah_offset + 1]) +
                       " leaves no room for the SA's IV and ICV", {"SEND-010", "AH-003"});
      return;
    }
    const ConstBytes whole = datagram.first(lv.ip.datagram_length);
    if (xf.iv_size() != 0) {
      const ConstBytes iv = whole.subspan(lv.ah_offset + kAhFixedSize, xf.iv_size());
      const uint64_t seq = (uint64_t{current_high(sa, seq_high)} << 32) | wire::get32(&whole[lv.ah_offset + 8]);
      record_iv(key_id, "AH-056", true, iv, seq, "AH-GMAC", out);
      mark(may_differ, base + lv.ah_offset + kAhFixedSize, xf.iv_size());
    }
    const uint32_t high = current_high(sa, seq_high);
    const ConstBytes icv = whole.subspan(lv.ah_offset + region.icv_offset, region.icv_length);
    const HostStatus st = xf.verify(whole, lv.ip, region, sa.esn, high, icv);
    if (st.ok()) {
      if (sa.esn) out.seq_high_used = high;
    } else {
      bool named = false;
      if (sa.esn) {
        for (uint32_t c : high_candidates(high, sa.sequence_number_high_order, table_)) {
          if (c != high && xf.verify(whole, lv.ip, region, true, c, icv).ok()) {
            corrupt(out, "AH ICV (SPI " + hex32(sa.spi) + ") verifies with ESN high half " + hex32(c) +
                             " instead of the SA's " + hex32(high) + " (SEND-017)",
                    {"SEND-017", "AH-031"});
            out.seq_high_used = c;
            named = true;
            break;
          }
        }
      }
      if (!named) {
        corrupt(out, "AH ICV (SPI " + hex32(sa.spi) + ") does not verify with the SA's key and ESN high half " +
                         hex32(high) + ": " + st.detail, {"SEND-009", "AH-070"});
      }
    }
    mark(may_differ, base + lv.ah_offset + region.icv_offset, region.icv_length);
    inner_offset = lv.ah_offset + lv.ah_length;
  }
  if (esp_i >= 0) {
    std::string error;
    Fingerprint key_id{};
    const ndis::SaSpec& sa = s.sas[0];
    Keyed* k = keyed_for(sa, key_id, error);
    if (k == nullptr) {
      corrupt(out, error, {"SEND-009"});
      return;
    }
    EspTransform& xf = *k->esp;
    if (!lv.has_esp) {
      corrupt(out, "ESP with SPI " + hex32(sa.spi) + " missing from the sent frame", {"SEND-009"});
      return;
    }
    if (lv.esp_spi != sa.spi) {
      corrupt(out, "ESP SPI " + hex32(lv.esp_spi) + ", the SA's " + hex32(sa.spi), {"SEND-010"});
      return;
    }
    MutableBytes esp = datagram.subspan(lv.esp_offset, lv.esp_length);
    if (!xf.check_length(esp.size(), false).ok()) {
      corrupt(out, "ESP too short for the SA's IV, trailer and ICV", {"SEND-010"});
      return;
    }
    const size_t esp_at = base + lv.esp_offset;
    add_field(esp_at + 4, 4, "ESP Sequence Number", "SEND-010");
    const uint32_t high = current_high(sa, seq_high);
    if (xf.iv_size() != 0) {
      const bool combined = is_combined(xf.suite().encryption);
      const char* req = is_gcm(xf.suite().encryption) ? "GCM-001" : is_gmac(xf.suite().encryption) ? "GMAC-001" : "CBC-002";
      const uint64_t seq = (uint64_t{high} << 32) | wire::get32(&esp[4]);
      record_iv(key_id, req, combined, esp.subspan(EspTransform::kHeader, xf.iv_size()), seq,
                combined ? "ESP GCM/GMAC" : "ESP CBC", out);
      if (!combined) check_cbc_iv(key_id, esp, xf.iv_size(), xf.icv_size(), seq, out);
      mark(may_differ, esp_at + EspTransform::kHeader, xf.iv_size());
    }
    mark(may_differ, esp_at + esp.size() - xf.icv_size(), xf.icv_size());
    if (lv.has_udp) {
      // The NIC changed the payload under the UDP checksum (IV, ICV, ciphertext), so it must
      // refresh it: zero is accepted (RFC 3948 §2.1 for IPv4; over IPv6 OQ-ESP-1), a stale or
      // wrong non-zero value makes a checksum-verifying receiver drop the packet (UDPENC-006).
      const uint32_t udp_len = lv.ip.datagram_length - lv.udp_offset;
      if (!udp_checksum_acceptable(datagram.first(lv.ip.datagram_length), lv.ip.version, lv.udp_offset, udp_len)) {
        corrupt(out, "UDP checksum " + hex16(wire::get16(&datagram[lv.udp_offset + 6])) +
                         " of the UDP-encapsulated ESP packet is neither zero nor correct after the NIC "
                         "filled it in (UDPENC-006)", {"UDPENC-006"});
      }
      mark(may_differ, base + lv.udp_offset + 6, 2);
    }
    std::vector<uint8_t> sent(esp.begin(), esp.end());  // for the diagnosis below
    const EspStatus st = xf.open(esp, high);
    if (!st.ok()) {
      if (sa.esn && st.verdict == EspVerdict::bad_icv) {
        for (uint32_t c : high_candidates(high, sa.sequence_number_high_order, table_)) {
          std::vector<uint8_t> trial = sent;
          if (c != high && xf.open(trial, c).ok()) {
            const char* rule = is_gcm(xf.suite().encryption) ? "GCM-004" : is_gmac(xf.suite().encryption) ? "GMAC-002" : "ESN-004";
            out.pass = false;
            out.verdict = PacketVerdict::corrupt;
            out.findings.push_back("ESP ICV (SPI " + hex32(sa.spi) + ") verifies with ESN high half " + hex32(c) +
                                   " instead of the SA's " + hex32(high) + " (SEND-017)");
            add_ids(out.requirements, {"SEND-017"});
            if (std::find(out.requirements.begin(), out.requirements.end(), rule) == out.requirements.end())
              out.requirements.emplace_back(rule);
            out.seq_high_used = c;
            return;
          }
        }
      }
      if (sa.esn && st.verdict == EspVerdict::bad_icv) {
        // The ICV computed as for a non-ESN SA: the high half left out of it altogether (the
        // 8-octet AAD of GCM/GMAC; no appended word for HMAC), which no candidate above covers.
        ndis::SaSpec without = sa;
        without.esn = false;
        Fingerprint without_id{};
        std::string ignored;
        Keyed* wk = keyed_for(without, without_id, ignored);
        std::vector<uint8_t> trial = sent;
        if (wk != nullptr && wk->esp && wk->esp->open(trial, 0).ok()) {
          const char* rule = is_gcm(xf.suite().encryption) ? "GCM-004" : is_gmac(xf.suite().encryption) ? "GMAC-002" : "ESN-004";
          corrupt(out, "ESP ICV (SPI " + hex32(sa.spi) + ") verifies only with the ESN high half left out, as for a "
                       "non-ESN SA (SEND-017, " + rule + ")", {"SEND-017", rule});
          return;
        }
      }
      // The ICV does not verify: the NIC's cryptographic operation is wrong (SEND-009). Which
      // input it got wrong (key, salt, nonce, what the ICV covers) the frame does not tell.
      corrupt(out, "ESP ICV (SPI " + hex32(sa.spi) + ") does not verify with the SA's key and ESN high half " +
                       hex32(high) + ": " + st.detail, {"SEND-009"});
      return;
    }
    if (sa.esn) out.seq_high_used = high;
    // The trailer the transport framed (RFC 4303 §2.4): padding, Pad Length, Next Header.
    const size_t trailer_end = esp_at + esp.size() - xf.icv_size();
    const size_t pad_length =
        std::min<size_t>(esp[esp.size() - xf.icv_size() - 2], esp.size() - xf.icv_size() - 2 - xf.body_offset());
    add_field(trailer_end - 1, 1, "ESP Next Header", "SEND-010");
    add_field(trailer_end - 2, 1, "ESP Pad Length", "SEND-010", "PAD-003");
    add_field(trailer_end - 2 - pad_length, pad_length, "ESP padding", "SEND-010", "PAD-003");
    inner_offset = static_cast<uint32_t>(lv.esp_offset + xf.body_offset());
  }
}

void SendJudge::judge_frame(ConstBytes framed, ConstBytes wire, const SendExpectation& expect, SendJudgement& out) {
  if (wire.size() != framed.size()) {
    corrupt(out, "the sent frame is " + std::to_string(wire.size()) + " bytes, the framed one " +
                     std::to_string(framed.size()) + " (without LSO the NIC changes no length)",
            {"SEND-010"});
    return;
  }
  fields_.clear();
  std::vector<uint8_t> copy(wire.begin(), wire.end());
  std::vector<uint8_t> may_differ(copy.size(), 0);
  add_field(0, std::min<size_t>(14, copy.size()), "Ethernet header", "SEND-010");
  if (expect.bundle != nullptr) {
    EthernetInfo eth;
    if (!parse_ethernet(copy, eth).ok()) {
      corrupt(out, "the sent frame is not an IPv4/IPv6 Ethernet frame", {"SEND-010"});
      return;
    }
    MutableBytes datagram = MutableBytes(copy).subspan(eth.l3_offset);
    uint32_t inner = 0;
    if (expect.tunnel != nullptr) {
      judge_level(datagram, eth.l3_offset, *expect.tunnel, expect.seq_high, may_differ, out, inner);
      if (out.verdict == PacketVerdict::protected_frame && inner != 0 && inner < datagram.size()) {
        uint32_t unused = 0;
        judge_level(datagram.subspan(inner), eth.l3_offset + inner, *expect.bundle, expect.seq_high, may_differ,
                    out, unused);
      }
    } else {
      judge_level(datagram, eth.l3_offset, *expect.bundle, expect.seq_high, may_differ, out, inner);
    }
    if (out.verdict != PacketVerdict::protected_frame) return;
  }
  // SEND-005 / SEND-010: everything the transport framed travels unchanged; each field that
  // differs is named with the rule it breaks.
  struct Diff {
    const FramedField* field = nullptr;
    size_t count = 0;
    size_t first = 0;
  };
  std::vector<Diff> diffs;
  size_t other = 0, other_first = 0;
  for (size_t i = 0; i < copy.size(); ++i) {
    if (may_differ[i] || copy[i] == framed[i]) continue;
    const FramedField* f = nullptr;
    for (auto it = fields_.rbegin(); it != fields_.rend(); ++it) {
      if (i >= it->from && i < it->from + it->length) {
        f = &*it;
        break;
      }
    }
    if (f == nullptr) {
      if (other++ == 0) other_first = i;
      continue;
    }
    auto d = std::find_if(diffs.begin(), diffs.end(), [&](const Diff& x) { return x.field == f; });
    if (d == diffs.end()) diffs.push_back(Diff{f, 1, i});
    else ++d->count;
  }
  const char* send005 = expect.bundle == nullptr ? "SEND-005" : nullptr;
  for (const Diff& d : diffs) {
    const size_t n = std::min<size_t>(d.field->length, 4);
    std::string sent_hex, framed_hex;
    for (size_t i = 0; i < n; ++i) {
      char b[4];
      std::snprintf(b, sizeof b, "%02x", copy[d.field->from + i]);
      sent_hex += b;
      std::snprintf(b, sizeof b, "%02x", framed[d.field->from + i]);
      framed_hex += b;
    }
    out.pass = false;
    out.verdict = PacketVerdict::corrupt;
    out.findings.push_back(std::string(d.field->name) + " changed: " + std::to_string(d.count) +
                           " byte(s) from offset " + std::to_string(d.first) + " (sent " + sent_hex + ", framed " +
                           framed_hex + (d.field->length > 4 ? "..." : "") + ")");
    if (send005) add_ids(out.requirements, {send005});
    else add_ids(out.requirements, d.field->ids);
  }
  if (other != 0) {
    out.pass = false;
    out.verdict = PacketVerdict::corrupt;
    out.findings.push_back(std::to_string(other) + " byte(s) differ from what the transport framed "
                           "(after decryption; IV/ICV excluded) from offset(s) " + std::to_string(other_first));
    add_ids(out.requirements, {send005 ? send005 : "SEND-010"});
  }
}

SendJudgement SendJudge::judge_frames(ConstBytes framed, std::span<const std::vector<uint8_t>> frames,
                                      const SendExpectation& expect) {
  SendJudgement out;
  const bool want_protected = expect.bundle != nullptr;
  if (frames.empty()) {
    out.verdict = PacketVerdict::none;
    out.pass = false;
    out.findings.push_back("no frame on the wire");
    out.requirements = {want_protected ? "SEND-008" : "SEND-005"};
    return out;
  }
  if (frames.size() > 1) {
    corrupt(out, std::to_string(frames.size()) + " frames for one non-LSO send", {"SEND-008"});
    return out;
  }
  const ConstBytes wire(frames[0]);
  if (std::equal(wire.begin(), wire.end(), framed.begin(), framed.end())) {
    out.verdict = PacketVerdict::clear;
    if (want_protected) {
      out.pass = false;
      out.findings.push_back("the frame left exactly as the transport framed it (no IPsec processing)");
      out.requirements = {"SEND-008", "SEND-009"};
    }
    return out;
  }
  judge_frame(framed, wire, expect, out);
  if (!want_protected && out.verdict == PacketVerdict::protected_frame) {
    // (judge_frame found no difference it could name; cannot happen for unequal frames)
    corrupt(out, "the frame sent without a handle was changed", {"SEND-005"});
  }
  return out;
}

SendJudgement SendJudge::judge(ConstBytes framed, const ndis::SendOob& oob, ConstBytes wire) {
  SendExpectation expect;
  if (oob.offload_handle != 0) {
    const sa::StoredBundle* bundle = table_.find(oob.offload_handle);
    const sa::StoredBundle* tunnel = oob.tunnel_handle ? table_.find(oob.tunnel_handle) : nullptr;
    if (bundle == nullptr || (oob.tunnel_handle != 0 && tunnel == nullptr)) {
      SendJudgement out;
      corrupt(out, "a handle of the send names no offloaded SA: the NBL should have "
                   "completed with NDIS_STATUS_FAILURE (SEND-006)", {"SEND-006"});
      return out;
    }
    expect.bundle = &bundle->spec;
    expect.tunnel = tunnel ? &tunnel->spec : nullptr;
  }
  const std::vector<uint8_t> one(wire.begin(), wire.end());
  return judge_frames(framed, std::span<const std::vector<uint8_t>>(&one, 1), expect);
}

}  // namespace cts::esp
