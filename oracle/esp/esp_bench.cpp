// ESP processing speed, one packet per call, as a packet-by-packet verifier uses it, on each
// crypto backend built in (<backend>: openssl, ipsec-mb; crypto/crypto_backend.h):
//   EspOutbound/<backend>/<alg>/<bytes>  protect(): sequence number, IV, padding, trailer,
//                                        encrypt, ICV
//   EspInbound/<backend>/<alg>/<bytes>   process(): length checks, replay pre-check, ICV, window
//                                        update, decrypt, trailer checks (every packet fresh)
//   EspOutboundBurst/<backend>/<alg>/<bytes>, EspInboundBurst/...  the same through
//                                        protect_burst()/process_burst(), kBurst packets per call
//                                        (as the verifier has them); counted per packet
// <bytes> is the payload handed to ESP; bytes_per_second counts payload octets. Baselines in the
// same run: RawEvp / BulkEvp (oracle/crypto/evp_bench.cpp) and RawMb, the hardware bound
// (oracle/crypto/mb_bench.cpp): EspInbound/ipsec-mb/X/N against RawMb/X/N/open, EspOutbound
// against /seal.
#include <benchmark/benchmark.h>

#include <string>
#include <vector>

#include "oracle/crypto/crypto_backend.h"
#include "oracle/crypto/crypto_library.h"
#include "oracle/crypto/random_source.h"
#include "oracle/esp/esp_inbound.h"
#include "oracle/esp/esp_outbound.h"

namespace cts::esp {
namespace {

EspSaConfig bench_config(const std::string& alg) {
  EspSaConfig c;
  parse_suite(alg, c.suite);
  c.spi = 0x1234;
  std::vector<uint8_t> k(cipher_key_size(c.suite.encryption) + (is_combined(c.suite.encryption) ? 4 : 0), 0x11);
  std::vector<uint8_t> a(integrity_key_size(c.suite.integrity), 0x22);
  c.encryption_key.assign(k);
  c.integrity_key.assign(a);
  c.replay_window = 1024;
  return c;
}

const crypto::CryptoLibrary* library_on(crypto::CryptoBackend b) {
  static std::unique_ptr<crypto::CryptoLibrary> libs[2];
  auto& slot = libs[b == crypto::CryptoBackend::ipsec_mb ? 1 : 0];
  if (!slot && !crypto::CryptoLibrary::create(slot, b).ok()) return nullptr;
  return slot.get();
}

void esp_outbound(benchmark::State& state, crypto::CryptoBackend backend, std::string alg, size_t bytes) {
  const crypto::CryptoLibrary* lib = library_on(backend);
  std::unique_ptr<crypto::SeededRandomSource> rng;
  std::unique_ptr<EspOutbound> out;
  if (lib == nullptr || !crypto::SeededRandomSource::create(*lib, 1, rng).ok() ||
      !EspOutbound::create(bench_config(alg), *lib, *rng, out).ok()) {
    state.SkipWithError("cannot create the SA");
    return;
  }
  std::vector<uint8_t> payload(bytes, 0x5A);
  std::vector<uint8_t> pkt(out->packet_size(bytes));
  for (auto _ : state) {
    const OutboundResult r = out->protect(payload, 4, pkt);
    benchmark::DoNotOptimize(r.length);
    if (!r.status.ok()) {
      state.SkipWithError(r.status.detail);
      break;
    }
  }
  state.SetBytesProcessed(static_cast<int64_t>(state.iterations() * bytes));
  state.SetItemsProcessed(static_cast<int64_t>(state.iterations()));
}

void esp_inbound(benchmark::State& state, crypto::CryptoBackend backend, std::string alg, size_t bytes) {
  const crypto::CryptoLibrary* lib = library_on(backend);
  std::unique_ptr<crypto::SeededRandomSource> rng;
  std::unique_ptr<EspOutbound> out;
  std::unique_ptr<EspInbound> in;
  const EspSaConfig cfg = bench_config(alg);
  if (lib == nullptr || !crypto::SeededRandomSource::create(*lib, 1, rng).ok() ||
      !EspOutbound::create(cfg, *lib, *rng, out).ok() || !EspInbound::create(cfg, *lib, in).ok()) {
    state.SkipWithError("cannot create the SA");
    return;
  }
  // Packets are made in batches outside the timed region; each is processed once, in place.
  constexpr size_t kBatch = 256;
  std::vector<uint8_t> payload(bytes, 0x5A);
  const size_t len = out->packet_size(bytes);
  std::vector<std::vector<uint8_t>> batch(kBatch, std::vector<uint8_t>(len));
  auto refill = [&] {
    for (auto& p : batch) out->protect(payload, 4, p);
  };
  refill();
  size_t next = 0;
  for (auto _ : state) {
    if (next == kBatch) {
      state.PauseTiming();
      refill();
      next = 0;
      state.ResumeTiming();
    }
    const InboundResult r = in->process(batch[next++]);
    benchmark::DoNotOptimize(r.payload_length);
    if (!r.status.ok()) {
      state.SkipWithError(r.status.detail);
      break;
    }
  }
  state.SetBytesProcessed(static_cast<int64_t>(state.iterations() * bytes));
  state.SetItemsProcessed(static_cast<int64_t>(state.iterations()));
}

constexpr size_t kBurst = 32;

void esp_outbound_burst(benchmark::State& state, crypto::CryptoBackend backend, std::string alg, size_t bytes) {
  const crypto::CryptoLibrary* lib = library_on(backend);
  std::unique_ptr<crypto::SeededRandomSource> rng;
  std::unique_ptr<EspOutbound> out;
  if (lib == nullptr || !crypto::SeededRandomSource::create(*lib, 1, rng).ok() ||
      !EspOutbound::create(bench_config(alg), *lib, *rng, out).ok()) {
    state.SkipWithError("cannot create the SA");
    return;
  }
  std::vector<uint8_t> payload(bytes, 0x5A);
  std::vector<std::vector<uint8_t>> pkts(kBurst, std::vector<uint8_t>(out->packet_size(bytes)));
  std::vector<crypto::ByteView> payloads(kBurst, crypto::ByteView(payload));
  std::vector<crypto::MutableBytes> outs(pkts.begin(), pkts.end());
  std::vector<OutboundResult> results(kBurst);
  for (auto _ : state) {
    out->protect_burst(payloads, 4, outs, results);
    benchmark::DoNotOptimize(results[0].length);
    if (!results[kBurst - 1].status.ok()) {
      state.SkipWithError(results[kBurst - 1].status.detail);
      break;
    }
  }
  state.SetBytesProcessed(static_cast<int64_t>(state.iterations() * bytes * kBurst));
  state.SetItemsProcessed(static_cast<int64_t>(state.iterations() * kBurst));
}

void esp_inbound_burst(benchmark::State& state, crypto::CryptoBackend backend, std::string alg, size_t bytes) {
  const crypto::CryptoLibrary* lib = library_on(backend);
  std::unique_ptr<crypto::SeededRandomSource> rng;
  std::unique_ptr<EspOutbound> out;
  std::unique_ptr<EspInbound> in;
  const EspSaConfig cfg = bench_config(alg);
  if (lib == nullptr || !crypto::SeededRandomSource::create(*lib, 1, rng).ok() ||
      !EspOutbound::create(cfg, *lib, *rng, out).ok() || !EspInbound::create(cfg, *lib, in).ok()) {
    state.SkipWithError("cannot create the SA");
    return;
  }
  // As esp_inbound: fresh packets made outside the timed region, kBurst of them per call.
  constexpr size_t kBatch = 256;
  std::vector<uint8_t> payload(bytes, 0x5A);
  const size_t len = out->packet_size(bytes);
  std::vector<std::vector<uint8_t>> batch(kBatch, std::vector<uint8_t>(len));
  std::vector<crypto::MutableBytes> views(batch.begin(), batch.end());
  std::vector<InboundResult> results(kBurst);
  auto refill = [&] {
    for (auto& p : batch) out->protect(payload, 4, p);
  };
  refill();
  size_t next = 0;
  for (auto _ : state) {
    if (next == kBatch) {
      state.PauseTiming();
      refill();
      next = 0;
      state.ResumeTiming();
    }
    in->process_burst(std::span(views).subspan(next, kBurst), results);
    next += kBurst;
    benchmark::DoNotOptimize(results[0].payload_length);
    if (!results[kBurst - 1].status.ok()) {
      state.SkipWithError(results[kBurst - 1].status.detail);
      break;
    }
  }
  state.SetBytesProcessed(static_cast<int64_t>(state.iterations() * bytes * kBurst));
  state.SetItemsProcessed(static_cast<int64_t>(state.iterations() * kBurst));
}

int register_all() {
  for (crypto::CryptoBackend backend : {crypto::CryptoBackend::openssl, crypto::CryptoBackend::ipsec_mb}) {
    if (backend == crypto::CryptoBackend::ipsec_mb && !crypto::ipsec_mb_built_in()) continue;
    const std::string b(crypto::crypto_backend_name(backend));
    for (const char* alg : {"aes-128-gcm", "aes-256-gcm", "aes-128-cbc-hmac-sha1",
                            "aes-128-cbc-hmac-sha256", "null-hmac-sha256"}) {
      for (size_t bytes : {size_t{64}, size_t{576}, size_t{1400}}) {
        const std::string suffix = b + "/" + alg + "/" + std::to_string(bytes);
        benchmark::RegisterBenchmark(("EspOutbound/" + suffix).c_str(), [=](benchmark::State& s) {
          esp_outbound(s, backend, alg, bytes);
        });
        benchmark::RegisterBenchmark(("EspInbound/" + suffix).c_str(), [=](benchmark::State& s) {
          esp_inbound(s, backend, alg, bytes);
        });
        benchmark::RegisterBenchmark(("EspOutboundBurst/" + suffix).c_str(), [=](benchmark::State& s) {
          esp_outbound_burst(s, backend, alg, bytes);
        });
        benchmark::RegisterBenchmark(("EspInboundBurst/" + suffix).c_str(), [=](benchmark::State& s) {
          esp_inbound_burst(s, backend, alg, bytes);
        });
      }
    }
  }
  return 0;
}
const int registered = register_all();

}  // namespace
}  // namespace cts::esp
