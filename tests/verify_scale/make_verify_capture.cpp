// Writes a large capture and its sidecar for measuring `vectors verify --jobs N`: AES-128-GCM
// tunnel-mode ESP over IPv4 on `sas` SAs, packets taken from the SAs in turn (each SA's numbers
// in order), every packet valid, so a verifier must report each one ok. The sidecar carries the
// SAs and no per-packet expectations (a capture of millions of packets would make a sidecar of
// gigabytes): `vectors verify` then fails the run on any packet that is not ok.
//
// usage: make_verify_capture OUT.pcap OUT.json MEGABYTES [PAYLOAD] [SAS]
#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <memory>
#include <string>
#include <vector>

#include "oracle/crypto/crypto_library.h"
#include "oracle/crypto/random_source.h"
#include "oracle/esp/esp_host.h"
#include "runner/vectors/host_setup.h"
#include "runner/vectors/link_frame.h"
#include "runner/vectors/pcap_writer.h"
#include "runner/vectors/plain_packets.h"
#include "runner/vectors/sidecar.h"

using namespace cts;
using namespace cts::vectors;

int main(int argc, char** argv) {
  if (argc < 4) {
    std::fprintf(stderr, "usage: %s OUT.pcap OUT.json MEGABYTES [PAYLOAD=1400] [SAS=64]\n", argv[0]);
    return 2;
  }
  const std::string pcap_path = argv[1], sidecar_path = argv[2];
  const uint64_t target = std::strtoull(argv[3], nullptr, 10) << 20;
  const size_t payload = argc > 4 ? std::strtoul(argv[4], nullptr, 10) : 1400;
  const unsigned sa_count = argc > 5 ? static_cast<unsigned>(std::strtoul(argv[5], nullptr, 10)) : 64;
  if (payload < 28 || payload > 9000 || sa_count == 0 || sa_count > 4096 || target == 0) {
    std::fprintf(stderr, "make_verify_capture: PAYLOAD 28..9000, SAS 1..4096, MEGABYTES > 0\n");
    return 2;
  }
  Sidecar s;
  s.name = "verify-scale";
  s.provenance.kind = "generated";
  s.provenance.seed = 7;  // the seed of the random source below (IVs)
  for (unsigned i = 0; i < sa_count; ++i) {
    SidecarSa sa;
    sa.id = "sa" + std::to_string(i);
    sa.spi = 0x1000 + i;
    sa.mode = SaMode::tunnel;
    sa.ip_version = 4;
    sa.source = "198.51.100.1";
    sa.destination = "198.51.100.2";
    esp::parse_suite("aes-128-gcm", sa.suite);
    sa.encryption_key.assign(16, static_cast<uint8_t>(0x11 + i));
    sa.salt.assign(4, static_cast<uint8_t>(0x33 + i));
    sa.integrity_key.clear();
    sa.replay_window = 1024;
    s.sas.push_back(sa);
  }
  const crypto::CryptoLibrary* lib = crypto::CryptoLibrary::shared();
  std::unique_ptr<crypto::SeededRandomSource> rng;
  std::unique_ptr<esp::EspHost> host;
  std::string error;
  if (lib == nullptr || !crypto::SeededRandomSource::create(*lib, 7, rng).ok() ||
      !esp::EspHost::create(host, rng.get(), lib).ok()) {
    std::fprintf(stderr, "make_verify_capture: oracle setup failed\n");
    return 2;
  }
  std::vector<esp::HostSaId> ids(sa_count);
  for (unsigned i = 0; i < sa_count; ++i) {
    esp::HostSaParams p;
    if (!host_params(s.sas[i], p, error) || !host->add_outbound(p, ids[i]).ok()) {
      std::fprintf(stderr, "make_verify_capture: SA %u: %s\n", i, error.c_str());
      return 2;
    }
  }
  PlainUdp u;
  u.source = esp::IpAddress::v4({10, 0, 1, 1});
  u.destination = esp::IpAddress::v4({10, 0, 2, 1});
  const std::vector<uint8_t> data(payload - 28, 0x5A);  // inner IPv4 (20) + UDP (8) + data
  const std::vector<uint8_t> plain = make_udp_datagram(u, data);
  auto w = PcapWriter::create(pcap_path, LinkType::kEthernet, error);
  if (!w) {
    std::fprintf(stderr, "make_verify_capture: %s\n", error.c_str());
    return 2;
  }
  std::vector<uint8_t> out(plain.size() + 256), frame;
  uint64_t written = 24, packets = 0;
  while (written < target) {
    const esp::ProtectResult r = host->protect(ids[packets % sa_count], plain, out);
    if (!r.status.ok()) {
      std::fprintf(stderr, "make_verify_capture: protect: %s\n", r.status.detail);
      return 2;
    }
    frame.clear();
    append_ethernet_frame(std::span<const uint8_t>(out.data(), r.length), frame);
    if (!w->write(frame, static_cast<int64_t>(packets / 1000000), static_cast<int64_t>(packets % 1000000), error)) {
      std::fprintf(stderr, "make_verify_capture: %s\n", error.c_str());
      return 2;
    }
    written += 16 + frame.size();
    ++packets;
  }
  if (!w->close(error)) {
    std::fprintf(stderr, "make_verify_capture: %s\n", error.c_str());
    return 2;
  }
  std::ofstream js(sidecar_path, std::ios::binary | std::ios::trunc);
  js << sidecar_to_json(s);
  if (!js) {
    std::fprintf(stderr, "make_verify_capture: %s: write failed\n", sidecar_path.c_str());
    return 2;
  }
  std::printf("%llu packets, %llu octets, %u SAs\n", static_cast<unsigned long long>(packets),
              static_cast<unsigned long long>(written), sa_count);
  return 0;
}
