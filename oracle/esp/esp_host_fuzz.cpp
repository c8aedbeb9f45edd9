// libFuzzer target: arbitrary octets through EspHost::unprotect against a fixed set of inbound
// SAs (ESP transport/tunnel, UDP-ESP, AH, [ESP, AH]), then the same octets as a plain datagram
// through protect. Built only by fuzz/ (clang -fsanitize=fuzzer); the oracle must never crash or
// touch memory outside the spans, whatever the input.
#include <cstddef>
#include <cstdint>
#include <memory>
#include <vector>

#include "oracle/esp/esp_host.h"

namespace {

using namespace cts::esp;

EspSaConfig esp_config(const char* suite, uint32_t spi) {
  EspSaConfig c;
  parse_suite(suite, c.suite);
  c.spi = spi;
  const size_t enc = cipher_key_size(c.suite.encryption) + (is_combined(c.suite.encryption) ? 4 : 0);
  c.encryption_key.assign(std::vector<uint8_t>(enc, 0x11));
  c.integrity_key.assign(std::vector<uint8_t>(integrity_key_size(c.suite.integrity), 0x22));
  c.anti_replay = has_integrity(c.suite);
  return c;
}

struct Harness {
  std::unique_ptr<EspHost> host;
  HostSaId out_esp = 0;
  HostSaId out_ah = 0;

  Harness() {
    if (!EspHost::create(host).ok()) return;
    HostSaParams a;
    a.esp = esp_config("aes-128-gcm", 0x100);
    host->add_inbound(a);
    HostSaParams b;
    b.mode = IpsecMode::tunnel;
    b.esp = esp_config("aes-128-cbc-hmac-sha1", 0x101);
    b.esp->replay_window = 32;
    host->add_inbound(b);
    host->add_outbound(b, out_esp);
    HostSaParams c;
    c.esp = esp_config("null-hmac-sha256", 0x102);
    c.udp_encap = true;
    host->add_inbound(c);
    HostSaParams d;
    d.ah = AhSaConfig{};
    d.ah->spi = 0x103;
    d.ah->algorithm = AhAlgorithm::aes_128_gmac;
    d.ah->key.assign(std::vector<uint8_t>(20, 0x33));
    d.ah->esn = true;
    host->add_inbound(d);
    host->add_outbound(d, out_ah);
    HostSaParams e;
    e.ah = AhSaConfig{};
    e.ah->spi = 0x104;
    e.ah->key.assign(std::vector<uint8_t>(32, 0x44));
    e.esp = esp_config("aes-256-cbc", 0x105);
    host->add_inbound(e);
  }
};

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  static Harness h;
  if (!h.host) return 0;
  // Exactly sized copies so any overread is caught by the sanitizer.
  std::unique_ptr<uint8_t[]> in(new uint8_t[size ? size : 1]);
  for (size_t i = 0; i < size; ++i) in[i] = data[i];
  std::vector<uint8_t> out(size + 512);
  h.host->unprotect(ConstBytes(in.get(), size), out);
  h.host->unprotect_view(ConstBytes(in.get(), size), out);
  h.host->protect(h.out_esp, ConstBytes(in.get(), size), out);
  h.host->protect(h.out_ah, ConstBytes(in.get(), size), out);
  return 0;
}
