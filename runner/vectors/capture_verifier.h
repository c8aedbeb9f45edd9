// Offline verification of a capture against a sidecar: every record of the pcap goes through the
// oracle's receive path (esp::EspHost: SA lookup, ESN inference, replay window, ICV, padding,
// decapsulation), in capture order, and its verdict is compared with the sidecar's expectation.
//
// Streams: one record in memory at a time (captures of 1 GB and more), no allocation per packet.
// A read error (truncated or corrupt pcap) ends the stream; the reports already produced stand
// and the summary carries the error with the file and packet index.
#pragma once

#include <array>
#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "oracle/esp/esp_host.h"
#include "runner/vectors/pcap_reader.h"
#include "runner/vectors/sidecar.h"

namespace cts::vectors {

// Which compared fields disagree with the sidecar (bit set).
enum MismatchField : uint32_t {
  kMismatchNone = 0,
  kMismatchVerdict = 1u << 0,        // verdict differs from "expect"
  kMismatchEsnHigh = 1u << 1,        // inferred ESN high half differs from "esn_high"
  kMismatchInnerProtocol = 1u << 2,  // decrypted Next Header differs from "inner_protocol"
  kMismatchUnexpected = 1u << 3,     // no expectation for this record (capture longer than sidecar)
  kMismatchNotOk = 1u << 4,          // no expectations given and the packet is an error class
};
std::string mismatch_text(uint32_t fields);  // "verdict, esn_high"

struct PacketReport {
  uint64_t index = 0;
  PacketVerdict verdict = PacketVerdict::not_esp;
  const char* detail = "";  // the oracle's static text naming the step or field
  bool has_esp = false;     // SPI / sequence below were read from the packet
  uint32_t spi = 0;
  uint32_t seq_low = 0;
  bool esn = false;
  uint64_t seq = 0;         // full sequence number: authenticated (ok/dummy) or inferred (A2.1)
  uint64_t window_top = 0;  // receiver's T after this packet
  uint32_t window_size = 0;
  std::optional<uint8_t> inner_protocol;  // ok only
  const SidecarPacket* expected = nullptr;
  uint32_t mismatch = kMismatchNone;
  bool passed() const { return mismatch == kMismatchNone; }
};

struct VerifySummary {
  uint64_t packets = 0;
  uint64_t passed = 0;
  uint64_t failed = 0;
  std::array<uint64_t, 16> by_verdict{};  // index = PacketVerdict
  uint64_t expected_packets = 0;          // sidecar packets (0: no expectations)
  bool capture_short = false;             // fewer records than the sidecar expects
  std::string read_error;                 // pcap read error (file + packet index), if any
  bool ok() const { return failed == 0 && !capture_short && read_error.empty(); }
};

struct VerifyOptions {
  // Without expectations, records that hold no ESP at all (ARP, plain IP) are reported as
  // "not-esp" and, with this set, do not fail the run (they are still counted).
  bool allow_non_esp = false;
};

class CaptureVerifier {
 public:
  static bool create(const Sidecar& sidecar, const VerifyOptions& options,
                     std::unique_ptr<CaptureVerifier>& out, std::string& error);

  // Judges one IP datagram (the index-th record of the capture).
  const PacketReport& verify_ip(uint64_t index, std::span<const uint8_t> ip);
  // Judges a record that held no IP packet, or was cut by the snap length.
  const PacketReport& verify_non_ip(uint64_t index, PacketVerdict verdict, const char* detail);

  VerifySummary& summary() { return summary_; }

 private:
  CaptureVerifier() = default;
  void judge(PacketReport& r);
  // Fills the report from the oracle's answer; `peeked` tells whether `spi`/`seq_low` could be
  // read from the packet.
  const PacketReport& report(const esp::UnprotectResult& u, bool peeked, uint32_t spi, uint32_t seq_low);

  const Sidecar* sidecar_ = nullptr;
  VerifyOptions options_;
  std::unique_ptr<esp::EspHost> host_;
  // Receive state per SPI, resolved once at create() so the per-packet path does no address
  // parsing or map lookup beyond a short scan.
  struct SaState {
    uint32_t spi = 0;
    bool esn = false;
    esp::EspInbound* inbound = nullptr;
  };
  std::vector<SaState> sa_states_;
  std::vector<uint8_t> out_;  // decapsulation buffer, sized once
  PacketReport report_;
  VerifySummary summary_;
};

// Reads SPI and the low sequence half of the ESP header, if the datagram carries ESP directly
// or in UDP (RFC 3948) and the SPI is not zero; the oracle does the real work, this only labels
// reports and routes records to workers (parallel_verify.h).
bool peek_esp(std::span<const uint8_t> ip, uint32_t& spi, uint32_t& seq_low);

// Streams `pcap_path` through a verifier; `on_packet` sees each report as it is produced.
// Returns false only when the capture or the SAs cannot be used at all (`error` says why); a read
// error mid-stream is in summary.read_error.
bool verify_capture(const std::string& pcap_path, const Sidecar& sidecar, const VerifyOptions& options,
                    const std::function<void(const PacketReport&)>& on_packet, VerifySummary& summary,
                    std::string& error);

}  // namespace cts::vectors
