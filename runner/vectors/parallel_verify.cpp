#include "runner/vectors/parallel_verify.h"

#include <algorithm>
#include <condition_variable>
#include <cstring>
#include <mutex>
#include <thread>
#include <vector>

#include "runner/vectors/link_frame.h"
#include "runner/vectors/pcap_record_walk.h"

namespace cts::vectors {

unsigned worker_of(std::span<const uint8_t> ip, unsigned workers) {
  uint32_t spi = 0;
  uint32_t seq_low = 0;
  if (workers <= 1 || !peek_esp(ip, spi, seq_low)) return 0;
  // Fibonacci hashing: consecutive SPIs (as generators and IKE daemons hand them out) spread evenly.
  return static_cast<unsigned>((uint64_t{spi} * 0x9E3779B97F4A7C15ull >> 32) % workers);
}

namespace {

enum class RecordKind : uint8_t { ip, cut, not_ip };

// A full-size Ethernet datagram.
constexpr uint32_t kPrefetchBytes = 2048;

struct Entry {
  uint64_t index = 0;
  const uint8_t* ip = nullptr;  // the IP datagram: in the mapping, or in Chunk::bytes
  uint32_t length = 0;
  RecordKind kind = RecordKind::ip;
  uint8_t worker = 0;
  // The text the worker formatted for it: Chunk::text[worker][text_at, text_at + text_length).
  uint32_t text_length = 0;
  size_t text_at = 0;
};

struct Chunk {
  std::vector<uint8_t> bytes;  // copies of records that are not stable; sized on first need
  size_t used = 0;             // of `bytes`
  size_t span = 0;             // capture octets the chunk's records cover
  std::vector<Entry> entries;
  std::vector<PacketReport> reports;
  std::vector<std::string> text;  // per worker

  explicit Chunk(unsigned workers) : text(workers) {
    entries.reserve(kChunkRecords);
    reports.resize(kChunkRecords);
  }
  void clear() {
    used = 0;
    span = 0;
    entries.clear();
    for (auto& t : text) t.clear();
  }
};

class Pipeline {
 public:
  Pipeline(unsigned workers, std::vector<std::unique_ptr<CaptureVerifier>> verifiers, const PacketOutput* output)
      : workers_(workers), verifiers_(std::move(verifiers)), output_(output), chunks_{Chunk(workers), Chunk(workers)} {
    for (unsigned w = 0; w < workers_; ++w) threads_.emplace_back([this, w] { work(w); });
  }
  ~Pipeline() {
    {
      std::lock_guard<std::mutex> lk(mu_);
      stop_ = true;
    }
    cv_work_.notify_all();
    for (auto& t : threads_) t.join();
  }

  Chunk& chunk(uint64_t seq) { return chunks_[seq % 2]; }

  void publish(uint64_t seq) {
    {
      std::lock_guard<std::mutex> lk(mu_);
      remaining_[seq % 2] = workers_;
      published_ = seq + 1;
    }
    cv_work_.notify_all();
  }

  void wait_done(uint64_t seq) {
    std::unique_lock<std::mutex> lk(mu_);
    cv_done_.wait(lk, [&] { return remaining_[seq % 2] == 0; });
  }

  VerifySummary merged_summary() const {
    VerifySummary s;
    for (const auto& v : verifiers_) {
      const VerifySummary& w = v->summary();
      s.packets += w.packets;
      s.passed += w.passed;
      s.failed += w.failed;
      for (size_t i = 0; i < s.by_verdict.size(); ++i) s.by_verdict[i] += w.by_verdict[i];
      s.expected_packets = w.expected_packets;
    }
    return s;
  }

 private:
  void work(unsigned w) {
    CaptureVerifier& v = *verifiers_[w];
    for (uint64_t seq = 0;; ++seq) {
      {
        std::unique_lock<std::mutex> lk(mu_);
        cv_work_.wait(lk, [&] { return stop_ || seq < published_; });
        if (seq >= published_) return;
      }
      Chunk& c = chunk(seq);
      std::string& text = c.text[w];
      size_t ahead = 0;  // the next entry of this worker, whose datagram is being prefetched
      for (size_t i = 0; i < c.entries.size(); ++i) {
        Entry& e = c.entries[i];
        if (e.worker != w) continue;
        // The datagrams of one worker are not contiguous in the capture, so the hardware's
        // stream prefetch does not see them coming: the next one is fetched while this one is
        // verified.
        for (ahead = std::max(ahead, i + 1); ahead < c.entries.size() && c.entries[ahead].worker != w; ++ahead) {
        }
        if (ahead < c.entries.size() && c.entries[ahead].ip != nullptr) {
          const uint8_t* p = c.entries[ahead].ip;
          for (uint32_t at = 0; at < c.entries[ahead].length && at < kPrefetchBytes; at += 64) __builtin_prefetch(p + at);
        }
        const PacketReport* r = nullptr;
        switch (e.kind) {
          case RecordKind::ip: r = &v.verify_ip(e.index, std::span<const uint8_t>(e.ip, e.length)); break;
          case RecordKind::cut:
            r = &v.verify_non_ip(e.index, PacketVerdict::truncated, "record cut by the capture's snap length");
            break;
          case RecordKind::not_ip:
            r = &v.verify_non_ip(e.index, PacketVerdict::not_esp, "record holds no IP packet");
            break;
        }
        if (output_ != nullptr) {
          e.text_at = text.size();
          output_->format(*r, text);
          e.text_length = static_cast<uint32_t>(text.size() - e.text_at);
        } else {
          c.reports[i] = *r;
        }
      }
      bool last = false;
      {
        std::lock_guard<std::mutex> lk(mu_);
        last = --remaining_[seq % 2] == 0;
      }
      if (last) cv_done_.notify_one();
    }
  }

  unsigned workers_;
  std::vector<std::unique_ptr<CaptureVerifier>> verifiers_;
  const PacketOutput* output_;
  Chunk chunks_[2];
  std::vector<std::thread> threads_;
  std::mutex mu_;
  std::condition_variable cv_work_;
  std::condition_variable cv_done_;
  uint64_t published_ = 0;
  unsigned remaining_[2] = {0, 0};
  bool stop_ = false;
};

// Walks records into `c` until it is full or the capture ends. A record read but not placed (the
// chunk was full) waits in `carry` for the next chunk; its bytes stay valid because the reader is
// not called again before then. Returns false once the capture is exhausted (end or error).
class ChunkFiller {
 public:
  ChunkFiller(PcapReader& reader, unsigned workers, size_t chunk_records)
      : reader_(reader), workers_(workers), chunk_records_(chunk_records) {}

  bool fill(Chunk& c) {
    while (c.entries.size() < chunk_records_) {
      if (!carry_) {
        const ReadStatus st = reader_.next(rec_);
        if (st == ReadStatus::kEnd) return false;
        if (st == ReadStatus::kError) {
          read_error_ = reader_.error();
          return false;
        }
      }
      carry_ = false;
      // A chunk covers at most kChunkBytes of capture, so what the workers read is still mapped
      // (the reader keeps two chunks behind it, see verify_capture_jobs).
      if (!c.entries.empty() && c.span + rec_.data.size() + kPcapRecordHeaderSize > kChunkBytes) {
        carry_ = true;
        return true;
      }
      c.span += rec_.data.size() + kPcapRecordHeaderSize;
      Entry e;
      e.index = rec_.index;
      if (rec_.capture_truncated()) {
        e.kind = RecordKind::cut;
      } else if (IpInRecord ip; !ip_from_record(reader_.link_type(), rec_.data, ip, why_)) {
        e.kind = RecordKind::not_ip;
      } else {
        e.length = static_cast<uint32_t>(ip.ip.size());
        if (rec_.stable) {
          e.ip = ip.ip.data();  // a view into the mapping: no copy
        } else {
          if (c.bytes.empty()) c.bytes.resize(kChunkBytes);
          if (ip.ip.size() > c.bytes.size() - c.used) {
            carry_ = true;  // full: this record opens the next chunk
            c.span -= rec_.data.size() + kPcapRecordHeaderSize;
            return true;
          }
          if (e.length != 0) std::memcpy(c.bytes.data() + c.used, ip.ip.data(), e.length);
          e.ip = c.bytes.data() + c.used;
          c.used += e.length;
        }
        e.worker = static_cast<uint8_t>(worker_of(ip.ip, workers_));
      }
      c.entries.push_back(e);
    }
    return true;
  }

  const std::string& read_error() const { return read_error_; }

 private:
  PcapReader& reader_;
  unsigned workers_;
  size_t chunk_records_;
  PcapRecord rec_;
  bool carry_ = false;
  std::string why_;
  std::string read_error_;
};

bool run_pipeline(const std::string& pcap_path, const Sidecar& sidecar, const VerifyOptions& options,
                  unsigned jobs, const std::function<void(const PacketReport&)>* on_packet,
                  const PacketOutput* output, VerifySummary& summary, std::string& error, size_t chunk_records) {
  auto reader = PcapReader::open(pcap_path, error);
  if (!reader) return false;
  // Two chunks in flight behind the reader stay mapped.
  reader->keep_behind(3 * kChunkBytes);
  std::vector<std::unique_ptr<CaptureVerifier>> verifiers(jobs);
  for (auto& v : verifiers) {
    if (!CaptureVerifier::create(sidecar, options, v, error)) return false;
  }
  ChunkFiller filler(*reader, jobs, std::clamp<size_t>(chunk_records, 1, kChunkRecords));
  VerifySummary s;
  std::string shrunk;
  {
    auto pipeline = std::make_unique<Pipeline>(jobs, std::move(verifiers), output);
    bool more = filler.fill(pipeline->chunk(0));
    if (!pipeline->chunk(0).entries.empty()) pipeline->publish(0);
    for (uint64_t seq = 0; !pipeline->chunk(seq).entries.empty(); ++seq) {
      Chunk& next = pipeline->chunk(seq + 1);
      next.clear();
      if (more && shrunk.empty()) more = filler.fill(next);
      pipeline->wait_done(seq);
      // Judged on octets the file may no longer have: nothing of this chunk is reported.
      if (shrunk.empty() && !reader->intact()) {
        shrunk = reader->shrunk_error();
        more = false;
      }
      if (!next.entries.empty() && shrunk.empty()) pipeline->publish(seq + 1);
      else next.entries.clear();
      if (!shrunk.empty()) break;
      const Chunk& done = pipeline->chunk(seq);
      for (size_t i = 0; i < done.entries.size(); ++i) {
        if (output != nullptr) {
          const Entry& e = done.entries[i];
          if (e.text_length != 0) output->write(std::string_view(done.text[e.worker]).substr(e.text_at, e.text_length));
        } else {
          (*on_packet)(done.reports[i]);
        }
      }
    }
    s = pipeline->merged_summary();
  }
  s.read_error = shrunk.empty() ? filler.read_error() : shrunk;
  if (!sidecar.packets.empty() && s.packets < sidecar.packets.size()) s.capture_short = true;
  summary = s;
  return true;
}

}  // namespace

bool verify_capture_jobs(const std::string& pcap_path, const Sidecar& sidecar,
                         const VerifyOptions& options, unsigned jobs,
                         const std::function<void(const PacketReport&)>& on_packet,
                         VerifySummary& summary, std::string& error, size_t chunk_records) {
  if (jobs == 0) jobs = std::max(1u, std::thread::hardware_concurrency());
  if (jobs == 1) return verify_capture(pcap_path, sidecar, options, on_packet, summary, error);
  return run_pipeline(pcap_path, sidecar, options, std::min(jobs, kMaxJobs), &on_packet, nullptr, summary, error,
                      chunk_records);
}

bool verify_capture_jobs(const std::string& pcap_path, const Sidecar& sidecar,
                         const VerifyOptions& options, unsigned jobs, const PacketOutput& output,
                         VerifySummary& summary, std::string& error, size_t chunk_records) {
  if (jobs == 0) jobs = std::max(1u, std::thread::hardware_concurrency());
  if (jobs == 1) {
    std::string text;
    return verify_capture(
        pcap_path, sidecar, options,
        [&](const PacketReport& r) {
          text.clear();
          output.format(r, text);
          if (!text.empty()) output.write(text);
        },
        summary, error);
  }
  return run_pipeline(pcap_path, sidecar, options, std::min(jobs, kMaxJobs), nullptr, &output, summary, error,
                      chunk_records);
}

}  // namespace cts::vectors
