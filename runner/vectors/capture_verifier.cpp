#include "runner/vectors/capture_verifier.h"

#include "oracle/esp/esn.h"
#include "oracle/esp/ip_packet.h"
#include "runner/vectors/host_setup.h"
#include "runner/vectors/link_frame.h"

namespace cts::vectors {

namespace {
constexpr size_t kMaxDatagram = 65536 + 64;
}  // namespace

bool peek_esp(std::span<const uint8_t> ip, uint32_t& spi, uint32_t& seq_low) {
  esp::IpLayout layout;
  if (!esp::parse_ip(ip, layout).ok()) return false;
  uint32_t off = layout.payload_offset;
  const uint32_t end = std::min<uint32_t>(layout.datagram_length, static_cast<uint32_t>(ip.size()));
  if (layout.payload_protocol == esp::kProtoUdp) off += 8;
  else if (layout.payload_protocol != esp::kProtoEsp) return false;
  if (off + 8 > end) return false;
  spi = esp::wire::get32(&ip[off]);
  seq_low = esp::wire::get32(&ip[off + 4]);
  return spi != 0;
}

std::string mismatch_text(uint32_t f) {
  std::string s;
  auto add = [&](uint32_t bit, const char* name) {
    if (f & bit) s += (s.empty() ? "" : ", ") + std::string(name);
  };
  add(kMismatchVerdict, "verdict");
  add(kMismatchEsnHigh, "esn_high");
  add(kMismatchInnerProtocol, "inner_protocol");
  add(kMismatchUnexpected, "no expectation for this record");
  add(kMismatchNotOk, "not ok");
  return s;
}

bool CaptureVerifier::create(const Sidecar& sidecar, const VerifyOptions& options,
                             std::unique_ptr<CaptureVerifier>& out, std::string& error) {
  std::unique_ptr<CaptureVerifier> v(new CaptureVerifier());
  v->sidecar_ = &sidecar;
  v->options_ = options;
  if (!make_inbound_host(sidecar, v->host_, error)) return false;
  for (const auto& sa : sidecar.sas) {
    esp::IpAddress dst;
    if (!parse_ip_address(sa.destination, sa.ip_version, dst)) continue;
    v->sa_states_.push_back(SaState{sa.spi, sa.esn, v->host_->inbound_esp(esp::kProtoEsp, sa.spi, dst)});
  }
  v->out_.resize(kMaxDatagram);
  v->summary_.expected_packets = sidecar.packets.size();
  out = std::move(v);
  return true;
}

void CaptureVerifier::judge(PacketReport& r) {
  const auto& expectations = sidecar_->packets;
  r.mismatch = kMismatchNone;
  r.expected = nullptr;
  if (!expectations.empty()) {
    if (r.index >= expectations.size()) {
      r.mismatch |= kMismatchUnexpected;
    } else {
      const SidecarPacket& e = expectations[r.index];
      r.expected = &e;
      if (r.verdict != e.expect) r.mismatch |= kMismatchVerdict;
      // The high half in force: checked wherever the receiver reached ESN inference.
      if (e.esn_high && r.has_esp && r.esn && r.verdict != PacketVerdict::unknown_spi &&
          r.verdict != PacketVerdict::truncated && static_cast<uint32_t>(r.seq >> 32) != *e.esn_high)
        r.mismatch |= kMismatchEsnHigh;
      if (e.inner_protocol && r.verdict == PacketVerdict::ok && r.inner_protocol != e.inner_protocol)
        r.mismatch |= kMismatchInnerProtocol;
    }
  } else {
    const bool acceptable = r.verdict == PacketVerdict::ok || r.verdict == PacketVerdict::dummy ||
                            r.verdict == PacketVerdict::udp_keepalive || r.verdict == PacketVerdict::ike ||
                            (options_.allow_non_esp && r.verdict == PacketVerdict::not_esp);
    if (!acceptable) r.mismatch |= kMismatchNotOk;
  }
  ++summary_.packets;
  ++summary_.by_verdict[static_cast<size_t>(r.verdict)];
  if (r.passed()) ++summary_.passed;
  else ++summary_.failed;
}

const PacketReport& CaptureVerifier::verify_ip(uint64_t index, std::span<const uint8_t> ip) {
  report_ = PacketReport{};
  report_.index = index;
  const esp::UnprotectResult u = host_->unprotect_view(ip, std::span<uint8_t>(out_.data(), out_.size()));
  uint32_t spi = 0;
  uint32_t seq_low = 0;
  const bool ok = u.status.verdict == esp::HostVerdict::ok || u.status.verdict == esp::HostVerdict::dummy;
  const bool peeked = !ok && peek_esp(ip, spi, seq_low);  // the packet itself is untouched
  return report(u, peeked, spi, seq_low);
}

const PacketReport& CaptureVerifier::report(const esp::UnprotectResult& u, bool peeked, uint32_t spi,
                                            uint32_t seq_low) {
  PacketReport& r = report_;
  r.verdict = from_host_verdict(u.status.verdict);
  r.detail = u.status.detail;
  if (r.verdict == PacketVerdict::ok || r.verdict == PacketVerdict::dummy) {
    // Fast path: the oracle authenticated the packet and says which SPI and number it had.
    r.has_esp = true;
    r.spi = u.spi;
    r.seq_low = static_cast<uint32_t>(u.esp_sequence);
  } else {
    r.has_esp = peeked;
    r.spi = spi;
    r.seq_low = seq_low;
    if (u.spi != 0) r.spi = u.spi;
  }
  if (r.has_esp) {
    // The receive state of this SA after the packet (unchanged unless it was accepted).
    esp::EspInbound* in = nullptr;
    for (const SaState& st : sa_states_) {
      if (st.spi == r.spi && st.inbound != nullptr) {
        in = st.inbound;
        r.esn = st.esn;
        break;
      }
    }
    if (in != nullptr) {
      r.window_top = in->window().top();
      r.window_size = in->window().size();
      if (r.verdict == PacketVerdict::ok || r.verdict == PacketVerdict::dummy) {
        r.seq = u.esp_sequence;
      } else if (r.esn) {
        // Failure: the window did not move, so A2.1 on the current T gives the number the
        // receiver used for this packet.
        r.seq = esp::infer_esn(r.window_top, r.window_size, r.seq_low).seq;
      } else {
        r.seq = r.seq_low;
      }
    } else {
      r.seq = r.seq_low;
    }
  }
  if (r.verdict == PacketVerdict::ok) r.inner_protocol = u.next_header;
  judge(r);
  return r;
}

const PacketReport& CaptureVerifier::verify_non_ip(uint64_t index, PacketVerdict verdict, const char* detail) {
  PacketReport& r = report_;
  r = PacketReport{};
  r.index = index;
  r.verdict = verdict;
  r.detail = detail;
  judge(r);
  return r;
}

bool verify_capture(const std::string& pcap_path, const Sidecar& sidecar, const VerifyOptions& options,
                    const std::function<void(const PacketReport&)>& on_packet, VerifySummary& summary,
                    std::string& error) {
  auto reader = PcapReader::open(pcap_path, error);
  if (!reader) return false;
  std::unique_ptr<CaptureVerifier> verifier;
  if (!CaptureVerifier::create(sidecar, options, verifier, error)) return false;
  PcapRecord rec;
  std::string why;
  for (;;) {
    const ReadStatus st = reader->next(rec);
    if (st == ReadStatus::kEnd) break;
    if (st == ReadStatus::kError) {
      verifier->summary().read_error = reader->error();
      break;
    }
    if (rec.capture_truncated()) {
      on_packet(verifier->verify_non_ip(rec.index, PacketVerdict::truncated, "record cut by the capture's snap length"));
      continue;
    }
    IpInRecord ip;
    if (!ip_from_record(reader->link_type(), rec.data, ip, why)) {
      on_packet(verifier->verify_non_ip(rec.index, PacketVerdict::not_esp, "record holds no IP packet"));
      continue;
    }
    const PacketReport& report = verifier->verify_ip(rec.index, ip.ip);
    if (!reader->intact()) {  // judged on octets the file no longer has: not reported
      verifier->summary().read_error = reader->shrunk_error();
      break;
    }
    on_packet(report);
  }
  VerifySummary& s = verifier->summary();
  if (!sidecar.packets.empty() && s.packets < sidecar.packets.size() && s.read_error.empty()) s.capture_short = true;
  if (!sidecar.packets.empty() && s.packets < sidecar.packets.size() && !s.read_error.empty()) s.capture_short = true;
  summary = s;
  return true;
}

}  // namespace cts::vectors
