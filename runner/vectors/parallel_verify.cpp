#include "runner/vectors/parallel_verify.h"

#include <algorithm>
#include <condition_variable>
#include <cstring>
#include <mutex>
#include <thread>
#include <vector>

#include "runner/vectors/link_frame.h"

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

struct Entry {
  uint64_t index = 0;
  size_t offset = 0;  // of the IP datagram in Chunk::bytes
  size_t length = 0;
  RecordKind kind = RecordKind::ip;
  unsigned worker = 0;
};

struct Chunk {
  std::vector<uint8_t> bytes;
  size_t used = 0;
  std::vector<Entry> entries;
  std::vector<PacketReport> reports;

  Chunk() {
    bytes.resize(kChunkBytes);
    entries.reserve(kChunkRecords);
    reports.resize(kChunkRecords);
  }
  void clear() {
    used = 0;
    entries.clear();
  }
};

class Pipeline {
 public:
  Pipeline(unsigned workers, std::vector<std::unique_ptr<CaptureVerifier>> verifiers)
      : workers_(workers), verifiers_(std::move(verifiers)) {
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
      for (size_t i = 0; i < c.entries.size(); ++i) {
        const Entry& e = c.entries[i];
        if (e.worker != w) continue;
        switch (e.kind) {
          case RecordKind::ip:
            c.reports[i] = v.verify_ip(e.index, std::span<const uint8_t>(c.bytes.data() + e.offset, e.length));
            break;
          case RecordKind::cut:
            c.reports[i] = v.verify_non_ip(e.index, PacketVerdict::truncated, "record cut by the capture's snap length");
            break;
          case RecordKind::not_ip:
            c.reports[i] = v.verify_non_ip(e.index, PacketVerdict::not_esp, "record holds no IP packet");
            break;
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
  Chunk chunks_[2];
  std::vector<std::thread> threads_;
  std::mutex mu_;
  std::condition_variable cv_work_;
  std::condition_variable cv_done_;
  uint64_t published_ = 0;
  unsigned remaining_[2] = {0, 0};
  bool stop_ = false;
};

// Reads records into `c` until it is full or the capture ends. A record read but not placed (the
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
      Entry e;
      e.index = rec_.index;
      if (rec_.capture_truncated()) {
        e.kind = RecordKind::cut;
      } else if (IpInRecord ip; !ip_from_record(reader_.link_type(), rec_.data, ip, why_)) {
        e.kind = RecordKind::not_ip;
      } else {
        if (ip.ip.size() > c.bytes.size() - c.used) {
          carry_ = true;  // full: this record opens the next chunk
          return true;
        }
        e.offset = c.used;
        e.length = ip.ip.size();
        if (e.length != 0) std::memcpy(c.bytes.data() + c.used, ip.ip.data(), e.length);
        c.used += e.length;
        e.worker = worker_of(ip.ip, workers_);
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

}  // namespace

bool verify_capture_jobs(const std::string& pcap_path, const Sidecar& sidecar,
                         const VerifyOptions& options, unsigned jobs,
                         const std::function<void(const PacketReport&)>& on_packet,
                         VerifySummary& summary, std::string& error, size_t chunk_records) {
  if (jobs == 0) jobs = std::max(1u, std::thread::hardware_concurrency());
  if (jobs == 1) return verify_capture(pcap_path, sidecar, options, on_packet, summary, error);
  auto reader = PcapReader::open(pcap_path, error);
  if (!reader) return false;
  std::vector<std::unique_ptr<CaptureVerifier>> verifiers(jobs);
  for (auto& v : verifiers) {
    if (!CaptureVerifier::create(sidecar, options, v, error)) return false;
  }
  ChunkFiller filler(*reader, jobs, std::clamp<size_t>(chunk_records, 1, kChunkRecords));
  VerifySummary s;
  {
    auto pipeline = std::make_unique<Pipeline>(jobs, std::move(verifiers));
    bool more = filler.fill(pipeline->chunk(0));
    if (!pipeline->chunk(0).entries.empty()) pipeline->publish(0);
    for (uint64_t seq = 0; !pipeline->chunk(seq).entries.empty(); ++seq) {
      Chunk& next = pipeline->chunk(seq + 1);
      next.clear();
      if (more) more = filler.fill(next);
      pipeline->wait_done(seq);
      if (!next.entries.empty()) pipeline->publish(seq + 1);
      const Chunk& done = pipeline->chunk(seq);
      for (size_t i = 0; i < done.entries.size(); ++i) on_packet(done.reports[i]);
    }
    s = pipeline->merged_summary();
  }
  s.read_error = filler.read_error();
  if (!sidecar.packets.empty() && s.packets < sidecar.packets.size()) s.capture_short = true;
  summary = s;
  return true;
}

}  // namespace cts::vectors
