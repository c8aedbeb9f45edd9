// softnic_bench.cpp — softnic's datapath cost per packet through the plugin function table:
// send (IV generation, encryption, ICV) and receive (lookup, ICV check, decryption), for the
// two algorithm families it offers, at 64 and 1400 bytes of payload.
#include <benchmark/benchmark.h>

#include <cstdint>
#include <cstring>
#include <vector>

#include "duts/softnic/softnic.h"

namespace {

using Bytes = std::vector<uint8_t>;

enum class Alg { gcm128, cbc_sha256 };

// One ADD_SA_EX (x64 offsets) for SPI 0x100, 10.0.0.1 -> 10.0.0.2.
Bytes add_sa_ex(Alg alg, bool inbound) {
  const Bytes keys = alg == Alg::gcm128 ? Bytes(20, 0x11) : Bytes(16 + 32, 0x22);
  Bytes b(176 + keys.size(), 0);
  auto put32 = [&](size_t at, uint32_t v) { std::memcpy(b.data() + at, &v, 4); };
  b[0] = 0x80;
  b[1] = 1;
  b[2] = 170;
  put32(4, 1);                    // NumExtHdrs
  put32(8, inbound ? 1u : 0u);    // Flags
  const uint8_t src[4] = {10, 0, 0, 1}, dst[4] = {10, 0, 0, 2};
  std::memcpy(b.data() + 12, src, 4);  // IPv4Endpoints.SrcAddr
  std::memcpy(b.data() + 16, dst, 4);  // IPv4Endpoints.DestAddr
  put32(60 + 4, 2);               // SecAssoc[0].Operation ESP
  put32(60 + 8, 0x100);           // Spi
  if (alg == Alg::gcm128) {
    put32(60 + 28, 0x8);          // EncryptionAlgorithm AES_GCM_128
    put32(60 + 32, 20);
    put32(60 + 40, 16);           // ICV
  } else {
    put32(60 + 28, 0x40);         // AES_CBC_128
    put32(60 + 32, 16);
    put32(60 + 12, 0x4);          // AuthenticationAlgorithm SHA_256
    put32(60 + 16, 32);
    put32(60 + 20, 16);
  }
  put32(156, static_cast<uint32_t>(keys.size()));
  put32(160, 176);
  std::memcpy(b.data() + 176, keys.data(), keys.size());
  return b;
}

// Ethernet + IPv4 + ESP as the transport frames it, for `payload` bytes.
Bytes frame(Alg alg, size_t payload) {
  const size_t iv = alg == Alg::gcm128 ? 8 : 16, icv = 16, block = alg == Alg::gcm128 ? 4 : 16;
  size_t pad = 0;
  while ((payload + pad + 2) % block) ++pad;
  const size_t esp = 8 + iv + payload + pad + 2 + icv;
  Bytes f(14 + 20 + esp, 0);
  f[12] = 0x08;
  uint8_t* ip = f.data() + 14;
  ip[0] = 0x45;
  ip[2] = static_cast<uint8_t>((20 + esp) >> 8);
  ip[3] = static_cast<uint8_t>(20 + esp);
  ip[8] = 64;
  ip[9] = 50;
  const uint8_t addrs[8] = {10, 0, 0, 1, 10, 0, 0, 2};
  std::memcpy(ip + 12, addrs, 8);
  uint8_t* e = ip + 20;
  e[2] = 0x01;  // SPI 0x100
  e[7] = 1;     // sequence number 1
  for (size_t i = 0; i < payload; ++i) e[8 + iv + i] = static_cast<uint8_t>(i);
  for (size_t i = 1; i <= pad; ++i) e[8 + iv + payload + i - 1] = static_cast<uint8_t>(i);
  e[8 + iv + payload + pad] = static_cast<uint8_t>(pad);
  e[8 + iv + payload + pad + 1] = 17;
  return f;
}

struct Device {
  const ipsec_cts_dut_vtable* vt = ipsec_cts_softnic_vtable();
  ipsec_cts_dut* dut = nullptr;
  uint64_t out_handle = 0;

  explicit Device(Alg alg) {
    vt->open("{}", &dut, nullptr, 0);
    for (bool inbound : {false, true}) {
      Bytes b = add_sa_ex(alg, inbound);
      uint32_t status = 0, read = 0, needed = 0;
      vt->oid_set(dut, 0xFC030205u, b.data(), static_cast<uint32_t>(b.size()), &status, &read,
                  &needed);
      if (!inbound) std::memcpy(&out_handle, b.data() + 48, 8);
    }
  }
  ~Device() { vt->close(dut); }
};

void BM_SoftnicSend(benchmark::State& state, Alg alg) {
  Device d(alg);
  const Bytes f = frame(alg, static_cast<size_t>(state.range(0)));
  Bytes out(f.size());
  size_t len = 0;
  ipsec_cts_send_oob oob{d.out_handle, 0, 5u << 24, 0};
  for (auto _ : state) {
    ipsec_cts_frame_list list{out.data(), out.size(), &len, 1, 0};
    uint32_t completion = 1;
    d.vt->send(d.dut, f.data(), f.size(), &oob, &list, &completion);
    if (completion != 0) state.SkipWithError("send failed");
    benchmark::DoNotOptimize(out.data());
  }
  state.SetItemsProcessed(static_cast<int64_t>(state.iterations()));
  state.SetBytesProcessed(static_cast<int64_t>(state.iterations()) * state.range(0));
}

void BM_SoftnicReceive(benchmark::State& state, Alg alg) {
  Device d(alg);
  const Bytes f = frame(alg, static_cast<size_t>(state.range(0)));
  Bytes wire(f.size());
  size_t len = 0;
  ipsec_cts_send_oob oob{d.out_handle, 0, 5u << 24, 0};
  ipsec_cts_frame_list list{wire.data(), wire.size(), &len, 1, 0};
  uint32_t completion = 1;
  d.vt->send(d.dut, f.data(), f.size(), &oob, &list, &completion);
  Bytes out(wire.size());
  for (auto _ : state) {
    size_t out_len = 0;
    ipsec_cts_receive_result r{};
    d.vt->receive(d.dut, wire.data(), wire.size(), out.data(), out.size(), &out_len, &r);
    if (r.ipsec_info != 0x2u) state.SkipWithError("receive did not verify");
    benchmark::DoNotOptimize(out.data());
  }
  state.SetItemsProcessed(static_cast<int64_t>(state.iterations()));
  state.SetBytesProcessed(static_cast<int64_t>(state.iterations()) * state.range(0));
}

BENCHMARK_CAPTURE(BM_SoftnicSend, gcm128, Alg::gcm128)->Arg(64)->Arg(1400);
BENCHMARK_CAPTURE(BM_SoftnicSend, cbc_sha256, Alg::cbc_sha256)->Arg(64)->Arg(1400);
BENCHMARK_CAPTURE(BM_SoftnicReceive, gcm128, Alg::gcm128)->Arg(64)->Arg(1400);
BENCHMARK_CAPTURE(BM_SoftnicReceive, cbc_sha256, Alg::cbc_sha256)->Arg(64)->Arg(1400);

}  // namespace
