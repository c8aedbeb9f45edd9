// `vectors verify --jobs N`: the verifier on N worker threads, with the output of one.
//
// SAs are independent (each has its own replay window and ESN state), so every record goes to
// the worker its SPI hashes to, and each worker owns a CaptureVerifier (its own oracle host with
// every SA of the sidecar) that sees its SPIs' packets in capture order — per-SA order is kept,
// and a worker's verdicts are exactly those of a single verifier. Records without an SPI (not
// IP, not ESP, cut by the snap length) are judged by worker 0.
//
// The reading thread walks records into one of two chunks (kChunkRecords records, kChunkBytes
// octets of capture) while the workers verify the other, then hands out the reports of the
// finished chunk in capture order, so `on_packet` sees the same sequence as verify_capture gives,
// byte for byte, and memory stays bounded whatever the capture's size. Records of the mapped
// classic pcap are handed to the workers as views into the mapping (PcapRecord::stable), never
// copied; only records libpcap reads (pcapng, unusual files) are copied into the chunk.
//
// A caller whose per-packet output is text (the CLI's lines or JSON) gives a PacketOutput instead
// of `on_packet`: the workers format each report where they made it, and the reading thread only
// writes the finished text in capture order, so formatting is spread over the workers too.
#pragma once

#include <cstddef>
#include <functional>
#include <string>
#include <string_view>

#include "runner/vectors/capture_verifier.h"

namespace cts::vectors {

inline constexpr size_t kChunkRecords = 8192;
inline constexpr size_t kChunkBytes = size_t{16} << 20;
// Workers at most (a worker's index is kept in a byte of each record's entry).
inline constexpr unsigned kMaxJobs = 64;

// jobs == 0: one worker per hardware thread; jobs == 1: verify_capture itself. Same contract and
// errors as verify_capture. `chunk_records` (1..kChunkRecords) is smaller only in tests, to cross
// chunk boundaries on small captures.
bool verify_capture_jobs(const std::string& pcap_path, const Sidecar& sidecar,
                         const VerifyOptions& options, unsigned jobs,
                         const std::function<void(const PacketReport&)>& on_packet,
                         VerifySummary& summary, std::string& error,
                         size_t chunk_records = kChunkRecords);

struct PacketOutput {
  // On a worker thread (several at once): appends the report's text to `out`, or nothing.
  std::function<void(const PacketReport&, std::string& out)> format;
  // On the calling thread, in capture order: the text `format` made for one report (not called
  // when it made none).
  std::function<void(std::string_view text)> write;
};

// The same, with the output formatted on the workers. With jobs == 1, format and write alternate
// on the calling thread.
bool verify_capture_jobs(const std::string& pcap_path, const Sidecar& sidecar,
                         const VerifyOptions& options, unsigned jobs, const PacketOutput& output,
                         VerifySummary& summary, std::string& error,
                         size_t chunk_records = kChunkRecords);

// The worker a datagram goes to: by SPI (ESP directly or in UDP, RFC 3948), 0 without one.
unsigned worker_of(std::span<const uint8_t> ip, unsigned workers);

}  // namespace cts::vectors
