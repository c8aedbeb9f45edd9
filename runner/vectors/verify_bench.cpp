// `vectors verify` end to end, as a vendor capture is checked: libpcap read of a capture on disk
// (page cache), link decoding, SA lookup, ESN/replay, ICV, decryption, decapsulation and the
// comparison with the sidecar, one packet per iteration.
//   VectorsVerify/aes-128-gcm/1400: AES-128-GCM tunnel mode, 1400-octet ESP payload (the inner
//   datagram), the same unit as EspInbound/ipsec-mb/aes-128-gcm/1400 of oracle/esp/esp_bench.cpp, which
//   runs in the same executable: the ratio of the two bytes_per_second is the verifier's cost.
//   Wall-clock time: the reader's page-mapping helper thread (mapped_capture.h) works beside the
//   verifying thread, and a slow helper shows as waiting here.
#include <benchmark/benchmark.h>

#include <filesystem>
#include <string>
#include <vector>

#include <sys/resource.h>
#include <unistd.h>

#include "oracle/crypto/crypto_library.h"
#include "oracle/crypto/random_source.h"
#include "oracle/esp/esp_host.h"
#include "runner/vectors/capture_verifier.h"
#include "runner/vectors/host_setup.h"
#include "runner/vectors/link_frame.h"
#include "runner/vectors/pcap_reader.h"
#include "runner/vectors/pcap_writer.h"
#include "runner/vectors/plain_packets.h"

namespace cts::vectors {
namespace {

constexpr size_t kPackets = 65536;

Sidecar bench_sidecar(const std::string& suite) {
  Sidecar s;
  s.name = "bench";
  s.provenance.kind = "generated";
  SidecarSa sa;
  sa.id = "sa";
  sa.spi = 0x4242;
  sa.mode = SaMode::tunnel;
  sa.ip_version = 4;
  sa.source = "198.51.100.1";
  sa.destination = "198.51.100.2";
  esp::parse_suite(suite, sa.suite);
  sa.encryption_key.assign(esp::cipher_key_size(sa.suite.encryption), 0x11);
  if (esp::is_combined(sa.suite.encryption)) sa.salt.assign(4, 0x33);
  sa.integrity_key.assign(esp::integrity_key_size(sa.suite.integrity), 0x22);
  sa.replay_window = 1024;
  s.sas.push_back(sa);
  return s;
}

// Writes kPackets protected packets of `payload` ESP payload octets; returns the path or "".
std::string make_capture(const Sidecar& s, size_t payload, std::string& error) {
  const crypto::CryptoLibrary* lib = crypto::CryptoLibrary::shared();
  std::unique_ptr<crypto::SeededRandomSource> rng;
  std::unique_ptr<esp::EspHost> host;
  if (lib == nullptr || !crypto::SeededRandomSource::create(*lib, 7, rng).ok() ||
      !esp::EspHost::create(host, rng.get(), lib).ok())
    return error = "oracle setup", "";
  esp::HostSaParams p;
  if (!host_params(s.sas[0], p, error)) return "";
  esp::HostSaId id = 0;
  if (!host->add_outbound(p, id).ok()) return error = "add_outbound", "";
  PlainUdp u;
  u.source = esp::IpAddress::v4({10, 0, 1, 1});
  u.destination = esp::IpAddress::v4({10, 0, 2, 1});
  const std::vector<uint8_t> data(payload - 28, 0x5A);  // inner IPv4 (20) + UDP (8) + data
  const std::vector<uint8_t> plain = make_udp_datagram(u, data);
  const std::string path =
      (std::filesystem::temp_directory_path() / ("cts_verify_bench_" + std::to_string(::getpid()) + ".pcap")).string();
  auto w = PcapWriter::create(path, LinkType::kEthernet, error);
  if (!w) return "";
  std::vector<uint8_t> out(plain.size() + 256), frame;
  for (size_t i = 0; i < kPackets; ++i) {
    const esp::ProtectResult r = host->protect(id, plain, out);
    if (!r.status.ok()) return error = r.status.detail, "";
    frame.clear();
    append_ethernet_frame(std::span<const uint8_t>(out.data(), r.length), frame);
    if (!w->write(frame, 0, static_cast<int64_t>(i), error)) return "";
  }
  if (!w->close(error)) return "";
  return path;
}

void vectors_verify(benchmark::State& state, std::string suite, size_t payload) {
  const Sidecar sidecar = bench_sidecar(suite);
  std::string error;
  const std::string path = make_capture(sidecar, payload, error);
  if (path.empty()) {
    state.SkipWithError(error.c_str());
    return;
  }
  std::unique_ptr<PcapReader> reader;
  std::unique_ptr<CaptureVerifier> verifier;
  auto restart = [&] {
    reader = PcapReader::open(path, error);
    return reader && CaptureVerifier::create(sidecar, VerifyOptions{}, verifier, error);
  };
  if (!restart()) {
    state.SkipWithError(error.c_str());
    return;
  }
  PcapRecord rec;
  std::string why;
  // Page faults taken by this (the verifying) thread: near zero when the reader's helper keeps
  // the mapping ahead of the walk.
  struct rusage ru0 {};
  getrusage(RUSAGE_THREAD, &ru0);
  for (auto _ : state) {
    ReadStatus st = reader->next(rec);
    if (st != ReadStatus::kRecord) {
      state.PauseTiming();  // a fresh receiver (window) for the next pass over the capture
      const bool ok = restart();
      state.ResumeTiming();
      if (!ok || (st = reader->next(rec)) != ReadStatus::kRecord) {
        state.SkipWithError("capture re-read failed");
        break;
      }
    }
    IpInRecord ip;
    if (!ip_from_record(reader->link_type(), rec.data, ip, why)) {
      state.SkipWithError("record without IP");
      break;
    }
    const PacketReport& r = verifier->verify_ip(rec.index, ip.ip);
    benchmark::DoNotOptimize(r.verdict);
    if (!r.passed()) {
      state.SkipWithError(r.detail);
      break;
    }
  }
  struct rusage ru1 {};
  getrusage(RUSAGE_THREAD, &ru1);
  state.counters["faults_per_packet"] =
      static_cast<double>(ru1.ru_minflt - ru0.ru_minflt) / static_cast<double>(state.iterations());
  state.SetBytesProcessed(static_cast<int64_t>(state.iterations() * payload));
  state.SetItemsProcessed(static_cast<int64_t>(state.iterations()));
  std::filesystem::remove(path);
}

int register_all() {
  for (size_t bytes : {size_t{576}, size_t{1400}}) {
    benchmark::RegisterBenchmark(("VectorsVerify/aes-128-gcm/" + std::to_string(bytes)).c_str(),
                                 [bytes](benchmark::State& s) { vectors_verify(s, "aes-128-gcm", bytes); })
        ->UseRealTime();
  }
  return 0;
}
const int registered = register_all();

}  // namespace
}  // namespace cts::vectors
