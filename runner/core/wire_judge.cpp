#include "runner/core/wire_judge.h"

#include <memory>

#include "oracle/esp/esp_host.h"
#include "oracle/esp/udp_encap.h"
#include "runner/core/packet_builder.h"

namespace cts::core {

namespace {

std::string hex32(uint32_t v) {
  char buf[16];
  std::snprintf(buf, sizeof buf, "0x%08x", v);
  return buf;
}

// Unprotects with a fresh inbound SA whose state makes RFC 4303 App. A2 infer `high` for
// `low` (T = high:low - 1), so the judge verifies with exactly the high half it is asked about.
esp::UnprotectResult try_unprotect(const WireExpectation& e, uint32_t high, std::span<const uint8_t> datagram,
                                   std::vector<uint8_t>& out) {
  std::unique_ptr<esp::EspHost> host;
  esp::UnprotectResult r;
  if (!esp::EspHost::create(host).ok()) {
    r.status = esp::HostStatus::fail(esp::HostVerdict::crypto_error, "cannot create the host");
    return r;
  }
  esp::HostSaParams p;
  p.mode = e.tunnel ? esp::IpsecMode::tunnel : esp::IpsecMode::transport;
  p.esp = e.sa;
  p.udp_encap = e.udp_encap;
  const uint64_t seq = (e.sa.esn ? (static_cast<uint64_t>(high) << 32) : 0) | e.sequence_low;
  p.esp->initial_sequence = seq == 0 ? 0 : seq - 1;
  if (!e.sa.esn && e.sequence_low == 0) p.esp->anti_replay = false;  // let the ICV speak
  const esp::HostStatus added = host->add_inbound(p);
  if (!added.ok()) {
    r.status = added;
    return r;
  }
  out.assign(datagram.size(), 0);
  return host->unprotect(datagram, out);
}

// The UDP header of a UDP-ESP frame whose ESP verified (RFC 3948 2.1): the transport's ports
// (4500 both ways, UDPENC-001), and a checksum that is zero or correct for the bytes the NIC
// finally sent, never the stale value computed over the placeholders (UDPENC-006, OQ-ESP-1).
std::string udp_problem(const WireExpectation& e, std::span<const uint8_t> datagram) {
  if (!e.udp_encap) return {};
  esp::IpLayout L;
  if (!esp::parse_ip(datagram, L).ok() || L.payload_offset + esp::kUdpHeader > datagram.size()) return "no UDP header";
  const auto framed = ethernet_payload(e.framed_frame);
  const size_t u = L.payload_offset;
  if (framed.size() < u + esp::kUdpHeader || !std::equal(datagram.begin() + static_cast<long>(u),
                                                          datagram.begin() + static_cast<long>(u + 6),
                                                          framed.begin() + static_cast<long>(u)))
    return "UDP ports or length differ from the framed ones (port 4500, RFC 3948 2.1)";
  const uint32_t udp_len = static_cast<uint32_t>(L.datagram_length - u);
  if (!esp::udp_checksum_acceptable(datagram.first(L.datagram_length), L.version, static_cast<uint32_t>(u), udp_len))
    return "UDP checksum " + std::to_string(datagram[u + 6] << 8 | datagram[u + 7]) +
           " is neither zero nor correct for the ESP the NIC sent (stale: computed before IV and ICV were filled)";
  return {};
}

}  // namespace

WireVerdict judge_send_output(const std::vector<std::vector<uint8_t>>& frames, const WireExpectation& e) {
  WireVerdict v;
  if (frames.empty()) {
    v.verdict = "none";
    v.detail = "no frame on the wire";
    v.requirements = {"SEND-008"};
    return v;
  }
  if (frames.size() > 1) {
    v.verdict = "corrupt";
    v.detail = std::to_string(frames.size()) + " frames for one non-LSO send";
    v.requirements = {"SEND-008"};
    return v;
  }
  const auto& frame = frames[0];
  if (frame == e.framed_frame) {
    v.verdict = "clear";
    v.detail = "the frame left exactly as the transport framed it (no IPsec processing)";
    v.requirements = {"SEND-008", "SEND-009"};
    return v;
  }
  if (frame.size() != e.framed_frame.size()) {
    v.verdict = "corrupt";
    v.detail = "frame length " + std::to_string(frame.size()) + ", framed " +
               std::to_string(e.framed_frame.size()) + " (the NIC fills placeholders, SEND-010)";
    v.requirements = {"SEND-010"};
    return v;
  }
  if (!std::equal(frame.begin(), frame.begin() + kEthernetHeaderLength, e.framed_frame.begin())) {
    v.verdict = "corrupt";
    v.detail = "Ethernet header rewritten";
    v.requirements = {"SEND-010"};
    return v;
  }
  const auto datagram = ethernet_payload(frame);
  std::vector<uint8_t> out;
  esp::UnprotectResult r = try_unprotect(e, e.seq_high, datagram, out);
  if (r.status.ok()) {
    const std::span<const uint8_t> restored(out.data(), r.length);
    v.requirements = {"SEND-010"};  // the NIC rewrote what the transport framed
    if (r.spi != e.sa.spi) {
      v.verdict = "corrupt";
      v.detail = "SPI " + hex32(r.spi) + ", framed " + hex32(e.sa.spi) + " (SEND-010)";
    } else if (static_cast<uint32_t>(r.esp_sequence) != e.sequence_low) {
      v.verdict = "corrupt";
      v.detail = "sequence number " + hex32(static_cast<uint32_t>(r.esp_sequence)) + ", framed " +
                 hex32(e.sequence_low) + " (SEND-010)";
    } else if (!std::equal(restored.begin(), restored.end(), e.plain_datagram.begin(), e.plain_datagram.end())) {
      v.verdict = "corrupt";
      v.detail = "decrypts and verifies, but the packet differs from the one framed";
    } else if (std::string udp = udp_problem(e, datagram); !udp.empty()) {
      v.verdict = "corrupt";
      v.detail = udp;
      v.requirements = {"UDPENC-006"};
      if (udp.find("port") != std::string::npos) v.requirements = {"UDPENC-001", "SEND-010"};
    } else {
      v.verdict = "protected";
      v.detail = "decrypts and verifies under SPI " + hex32(e.sa.spi) + ", sequence " +
                 (e.sa.esn ? hex32(e.seq_high) + ":" : std::string()) + hex32(e.sequence_low);
      v.seq_high_used = e.seq_high;
      v.requirements.clear();
    }
    return v;
  }
  if (r.status.verdict == esp::HostVerdict::dummy) {
    // A dummy packet (Next Header 59, RFC 4303 2.6): the host verified its ICV and dropped it, as
    // a receiver must (DUMMY-002), so there is no packet to compare; the SPI and sequence number
    // still must be the framed ones.
    if (r.spi == e.sa.spi && static_cast<uint32_t>(r.esp_sequence) == e.sequence_low) {
      v.verdict = "protected";
      v.detail = "a dummy packet (Next Header 59) that verifies under SPI " + hex32(e.sa.spi);
      v.seq_high_used = e.seq_high;
      return v;
    }
  }
  v.verdict = "corrupt";
  v.detail = std::string(esp::host_verdict_name(r.status.verdict)) + " (" + r.status.detail + ")";
  switch (r.status.verdict) {
    case esp::HostVerdict::bad_icv: v.requirements = {"SEND-009", "ICV-001"}; break;
    case esp::HostVerdict::bad_padding: v.requirements = {"SEND-010", "PAD-003"}; break;
    case esp::HostVerdict::truncated:
    case esp::HostVerdict::malformed_header: v.requirements = {"SEND-010"}; break;
    default: v.requirements = {"SEND-009"}; break;
  }
  if (e.sa.esn && r.status.verdict == esp::HostVerdict::bad_icv) {
    // Diagnose the classic ESN send bug (SEND-017): which high half did the ICV use?
    for (uint32_t candidate : {0u, e.seq_high - 1, e.seq_high + 1, e.seq_high + 2}) {
      if (candidate == e.seq_high) continue;
      std::vector<uint8_t> scratch;
      if (try_unprotect(e, candidate, datagram, scratch).status.ok()) {
        v.detail += "; the ICV verifies with ESN high half " + hex32(candidate) + " instead of " +
                    hex32(e.seq_high) + " (SEND-017)";
        v.seq_high_used = candidate;
        // The ICV used a high half other than the SA's: SEND-017, and the rule that puts the high
        // half into the integrity input (ESN-004 separate integrity; GCM-004 / GMAC-002 AAD).
        v.requirements = {"SEND-017", esp::is_gcm(e.sa.suite.encryption)    ? "GCM-004"
                                      : esp::is_gmac(e.sa.suite.encryption) ? "GMAC-002"
                                                                            : "ESN-004"};
        break;
      }
    }
  }
  return v;
}

std::optional<SentIvs::Repeat> SentIvs::record(std::span<const uint8_t> frame, uint32_t esp_offset,
                                                  const esp::EspSuite& suite, uint64_t sequence) {
  const size_t n = esp::iv_size(suite);
  const size_t at = kEthernetHeaderLength + size_t{esp_offset} + 8;  // after SPI and Sequence Number
  if (n == 0 || frame.size() < at + n) return std::nullopt;
  if (!sequences_.insert(sequence).second) return std::nullopt;  // the transport repeated itself
  const std::span<const uint8_t> iv = frame.subspan(at, n);
  const std::optional<uint64_t> first = ivs_.record(iv, sequence);
  if (!first) return std::nullopt;
  Repeat r;
  r.requirement = esp::is_gcm(suite.encryption) ? "GCM-001" : esp::is_gmac(suite.encryption) ? "GMAC-001" : "CBC-002";
  r.iv.assign(iv.begin(), iv.end());
  r.first_sequence = *first;
  return r;
}

}  // namespace cts::core
