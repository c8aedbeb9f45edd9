#include "runner/vectors/known_answer_vectors.h"

#include <filesystem>

#include "oracle/esp/ip_packet.h"
#include "runner/vectors/link_frame.h"

namespace cts::vectors {

namespace {

std::string address_text(const uint8_t* p, uint8_t version) {
  char buf[64];
  if (version == 4) {
    std::snprintf(buf, sizeof buf, "%u.%u.%u.%u", p[0], p[1], p[2], p[3]);
    return buf;
  }
  std::string s;
  for (int i = 0; i < 8; ++i) {
    std::snprintf(buf, sizeof buf, "%s%x", i ? ":" : "", (p[2 * i] << 8) | p[2 * i + 1]);
    s += buf;
  }
  return s;
}

PacketVerdict verdict_for(KatExpectedResult r) {
  switch (r) {
    case KatExpectedResult::accept: return PacketVerdict::ok;
    case KatExpectedResult::accept_then_discard_dummy: return PacketVerdict::dummy;
    case KatExpectedResult::reject_integrity: return PacketVerdict::bad_icv;
    case KatExpectedResult::reject_replay: return PacketVerdict::replay;
    case KatExpectedResult::reject_out_of_window: return PacketVerdict::outside_window;
    case KatExpectedResult::match: return PacketVerdict::ok;
    case KatExpectedResult::reject_udp_checksum: return PacketVerdict::malformed;
  }
  return PacketVerdict::ok;
}

// The sidecar SA for a packet vector; the receiver's T sits just below the vector's number so
// App. A2.1 infers the published high half.
bool sa_for(const KnownAnswer& v, const std::vector<uint8_t>& datagram, SidecarSa& sa, std::string& why) {
  if (!kat_suite(v, sa.suite, why)) return false;
  sa.id = "sa";
  sa.spi = v.spi.value_or(0);
  sa.direction = SaDirection::inbound;
  sa.encryption_key = v.enc_key;
  sa.salt = v.salt;
  sa.integrity_key = v.auth_key;
  sa.esn = v.esn;
  const uint64_t seq = v.seq.value_or(1);
  sa.initial_sequence = seq == 0 ? 0 : (v.esn ? seq - 1 : 0);
  sa.anti_replay = esp::has_integrity(sa.suite);
  sa.replay_window = v.replay_window.value_or(64);
  esp::IpLayout layout;
  if (!esp::parse_ip(datagram, layout).ok()) return why = "datagram does not parse", false;
  sa.ip_version = layout.version;
  const uint32_t addr_off = layout.version == 4 ? 12 : 8;
  const uint32_t alen = layout.version == 4 ? 4 : 16;
  sa.source = address_text(&datagram[addr_off], layout.version);
  sa.destination = address_text(&datagram[addr_off + alen], layout.version);
  if (layout.payload_protocol == esp::kProtoUdp) {
    sa.udp_encap = UdpEncap{esp::wire::get16(&datagram[layout.payload_offset]),
                            esp::wire::get16(&datagram[layout.payload_offset + 2]),
                            v.receiver_policy.ipv6_udp_zero_checksum == KatIpv6ZeroChecksum::discard};
  }
  const bool tunnel = v.mode == "tunnel" ||
                      (v.category == KatCategory::esp_packet && v.inner &&
                       (v.inner->next_header == esp::kProtoIpv4 || v.inner->next_header == esp::kProtoIpv6));
  sa.mode = tunnel ? SaMode::tunnel : SaMode::transport;
  return true;
}

}  // namespace

bool kat_suite(const KnownAnswer& v, esp::EspSuite& out, std::string& why) {
  std::string name;
  const auto& a = v.algorithm;
  const std::string bits = std::to_string(a.aes_key_bits.value_or(128));
  if (a.encryption == "NULL") name = "null";
  else if (a.encryption == "AES-CBC") name = "aes-" + bits + "-cbc";
  else if (a.encryption == "AES-GCM") {
    name = "aes-" + bits + "-gcm";
    if (a.icv_bytes && *a.icv_bytes != 16) name += "-icv" + std::to_string(*a.icv_bytes);
  } else if (a.encryption == "AES-GMAC") name = "aes-" + bits + "-gmac";
  else return why = "encryption \"" + a.encryption + "\" is not an ESP transform of this file format", false;
  if (!a.integrity.empty()) {
    static const std::pair<const char*, const char*> kIntegrity[] = {
        {"HMAC-MD5-96", "hmac-md5"},           {"HMAC-SHA1-96", "hmac-sha1"},
        {"HMAC-SHA-256-128", "hmac-sha256"},   {"HMAC-SHA-384-192", "hmac-sha384"},
        {"HMAC-SHA-512-256", "hmac-sha512"}};
    bool found = false;
    for (const auto& [k, n] : kIntegrity)
      if (a.integrity == k) {
        name += std::string("-") + n;
        found = true;
      }
    if (!found) return why = "integrity \"" + a.integrity + "\" unknown", false;
  }
  if (!esp::parse_suite(name, out)) return why = "suite " + name + " refused by the oracle", false;
  return true;
}

bool kat_datagram(const KnownAnswer& v, std::vector<uint8_t>& d, bool& synthetic, std::string& why) {
  synthetic = false;
  if (v.expected.ip_packet) {
    d = *v.expected.ip_packet;
    return true;
  }
  if (!v.expected.esp_packet) return why = "no expected.esp_packet or expected.ip_packet", false;
  const auto& esp_bytes = *v.expected.esp_packet;
  d.assign(20, 0);
  d[0] = 0x45;
  esp::wire::put16(&d[2], static_cast<uint16_t>(20 + esp_bytes.size()));
  d[8] = 64;
  d[9] = esp::kProtoEsp;
  const uint8_t addrs[8] = {192, 0, 2, 1, 192, 0, 2, 2};
  std::copy(addrs, addrs + 8, d.begin() + 12);
  esp::wire::put16(&d[10], esp::ipv4_header_checksum(std::span<const uint8_t>(d.data(), 20)));
  d.insert(d.end(), esp_bytes.begin(), esp_bytes.end());
  synthetic = true;
  return true;
}

bool published_vectors(const std::string& kat_path, const std::string& tool_version, std::vector<VectorData>& out,
                       std::string& error) {
  KnownAnswerFile file;
  if (!load_known_answers(kat_path, file, error)) return false;
  const std::string rel = "vectors/known-answers/" + std::filesystem::path(kat_path).filename().string();
  auto provenance = [&](const KnownAnswer& v) {
    Provenance p;
    p.kind = "published";
    p.tool = "ipsec-cts vectors generate (conversion)";
    p.tool_version = tool_version;
    p.sources.push_back(ProvenanceSource{v.name, v.document, v.section, v.transcribed_from, rel});
    return p;
  };
  for (const auto& v : file.vectors) {
    if ((v.category == KatCategory::esp_packet || v.category == KatCategory::ip_packet) && v.spi.value_or(0) == 0) {
      // SPI 0 is never sent (RFC 4303 §2.1, ESP-002) and cannot name an SA in a sidecar; `kat`
      // still checks the transform of such a vector (kat_runner.cpp). Listed in vectors/README.md.
      continue;
    }
    if (v.category == KatCategory::esp_packet || v.category == KatCategory::ip_packet) {
      VectorData vd;
      vd.name = "published/" + v.name;
      vd.sidecar.name = v.name;
      std::vector<uint8_t> d;
      bool synthetic = false;
      std::string why;
      if (!kat_datagram(v, d, synthetic, why)) return error = kat_path + ": " + v.name + ": " + why, false;
      SidecarSa sa;
      if (!sa_for(v, d, sa, why)) return error = kat_path + ": " + v.name + ": " + why, false;
      vd.sidecar.description = "Published known answer " + v.name + " (" + v.document + ", " + v.section + ")" +
                               (synthetic ? "; only SPI..ICV is published, the outer IPv4 header is synthetic" : "");
      vd.sidecar.provenance = provenance(v);
      vd.sidecar.sas.push_back(sa);
      SidecarPacket pk;
      pk.index = 0;
      pk.sa = "sa";
      pk.sequence = v.seq.value_or(1);
      if (v.esn) pk.esn_high = static_cast<uint32_t>(pk.sequence >> 32);
      pk.expect = verdict_for(*v.expected_result);
      if (pk.expect == PacketVerdict::ok && v.inner) pk.inner_protocol = v.inner->next_header;
      pk.flags = {"published"};
      pk.comment = v.notes;
      vd.sidecar.packets.push_back(pk);
      std::vector<uint8_t> frame;
      append_ethernet_frame(d, frame);
      vd.frames.push_back(frame);
      out.push_back(std::move(vd));
    } else if (v.category == KatCategory::replay_scenario) {
      VectorData vd;
      vd.name = "published/" + v.name;
      vd.sidecar.name = v.name;
      vd.sidecar.description = "Published replay scenario " + v.name + " (" + v.document + ", " + v.section + ")";
      vd.sidecar.provenance = provenance(v);
      for (size_t i = 0; i < v.packets.size(); ++i) {
        const KnownAnswer* ref = file.find(v.packets[i].packet_vector);
        std::vector<uint8_t> d;
        bool synthetic = false;
        std::string why;
        if (!kat_datagram(*ref, d, synthetic, why)) return error = kat_path + ": " + v.name + ": " + why, false;
        if (i == 0) {
          SidecarSa sa;
          if (!sa_for(*ref, d, sa, why)) return error = kat_path + ": " + v.name + ": " + why, false;
          sa.replay_window = v.replay_window.value_or(64);
          sa.initial_sequence = 0;
          vd.sidecar.sas.push_back(sa);
        }
        SidecarPacket pk;
        pk.index = i;
        pk.sa = "sa";
        pk.sequence = v.packets[i].seq;
        pk.expect = verdict_for(v.expected_results[i]);
        pk.requirements = {"REPLAY-006"};
        pk.flags = {"published"};
        pk.comment = "packet of " + ref->name;
        vd.sidecar.packets.push_back(pk);
        std::vector<uint8_t> frame;
        append_ethernet_frame(d, frame);
        vd.frames.push_back(frame);
      }
      out.push_back(std::move(vd));
    }
  }
  return true;
}

}  // namespace cts::vectors
