// Helpers shared by the NIC model and send judge tests (header only, never part of the library):
// ADD elements and framed send inputs built from the known-answer vectors, Ethernet framing, and a
// device + NIC model rig.
#pragma once

#include <gtest/gtest.h>

#include <nlohmann/json.hpp>

#include <algorithm>
#include <memory>
#include <string>
#include <vector>

#include "oracle/crypto/bytes.h"
#include "oracle/esp/host_test_support.h"
#include "oracle/esp/ip_fixup.h"
#include "oracle/esp/nic_model.h"
#include "oracle/sa/sa_device.h"

namespace cts::esp::testing {

using json = nlohmann::json;

inline const json& esp_vector(const std::string& name) {
  static const json doc = load_testdata("esp-known-answers.json");
  for (const json& v : doc["vectors"]) {
    if (v["name"] == name) return v;
  }
  ADD_FAILURE() << "no vector " << name;
  static const json none = json::object();
  return none;
}

inline const json& ah_vector(const std::string& name) {
  static const json doc = load_testdata("ah-known-answers.json");
  for (const json& v : doc["vectors"]) {
    if (v["name"] == name) return v;
  }
  ADD_FAILURE() << "no vector " << name;
  static const json none = json::object();
  return none;
}

inline uint32_t spi_of(const json& v) { return static_cast<uint32_t>(std::stoul(v["spi"].get<std::string>(), nullptr, 16)); }
inline uint64_t seq_of(const json& v) { return std::stoull(v["seq"].get<std::string>(), nullptr, 16); }

inline std::vector<uint8_t> ethernet(const std::vector<uint8_t>& ip) {
  std::vector<uint8_t> f = {0x02, 0, 0, 0, 0, 2, 0x02, 0, 0, 0, 0, 1, 0x08, 0x00};
  if ((ip[0] >> 4) == 6) f[13] = 0xDD, f[12] = 0x86;
  f.insert(f.end(), ip.begin(), ip.end());
  return f;
}

// Destination address of an IP datagram (network order).
inline std::vector<uint8_t> ip_dst(const std::vector<uint8_t>& ip) {
  return (ip[0] >> 4) == 4 ? std::vector<uint8_t>(ip.begin() + 16, ip.begin() + 20)
                           : std::vector<uint8_t>(ip.begin() + 24, ip.begin() + 40);
}
inline std::vector<uint8_t> ip_src(const std::vector<uint8_t>& ip) {
  return (ip[0] >> 4) == 4 ? std::vector<uint8_t>(ip.begin() + 12, ip.begin() + 16)
                           : std::vector<uint8_t>(ip.begin() + 8, ip.begin() + 24);
}

// An ESP ADD element carrying the vector's algorithm and keys (GCM/GMAC key block = key ‖ salt,
// OQ-07), endpoints taken from the packet.
inline ndis::AddSaElement esp_element(const json& v, const std::vector<uint8_t>& ip, bool inbound) {
  ndis::AddSaElement e;
  e.flags = inbound ? ndis::IPSEC_OFFLOAD_V2_INBOUND : 0;
  const auto src = ip_src(ip), dst = ip_dst(ip);
  if (src.size() == 16) {
    e.flags |= ndis::IPSEC_OFFLOAD_V2_IPv6;
    std::array<uint8_t, 16> s{}, d{};
    std::copy(src.begin(), src.end(), s.begin());
    std::copy(dst.begin(), dst.end(), d.begin());
    e.endpoints = ndis::Endpoints::ipv6(s, d);
  } else {
    e.endpoints = ndis::Endpoints::ipv4({src[0], src[1], src[2], src[3]}, {dst[0], dst[1], dst[2], dst[3]});
  }
  if (v.contains("udp_encap") && v["udp_encap"].is_boolean() && v["udp_encap"].get<bool>()) {
    e.udp_esp_encapsulation = ndis::IPSEC_OFFLOAD_V2_UDP_ESP_ENCAPSULATION_TRANSPORT;  // RFC 3948 transport
  }
  ndis::SecurityAssociation& sa = e.sec_assoc[0];
  sa.operation = ndis::IPsecOffloadV2Esp;
  sa.spi = spi_of(v);
  if (v["esn"].get<bool>()) {
    sa.flags = ndis::IPSEC_OFFLOAD_V2_ESN_SA;
    sa.sequence_number_high_order = static_cast<uint32_t>(seq_of(v) >> 32);
  }
  const json& alg = v["algorithm"];
  const std::string enc = alg["encryption"];
  const json integ = alg["integrity"];
  const int bits = alg.contains("aes_key_bits") && alg["aes_key_bits"].is_number() ? alg["aes_key_bits"].get<int>() : 0;
  std::vector<uint8_t> keys;
  if (enc == "AES-GCM") {
    sa.encryption = {bits == 256 ? ndis::IPSEC_OFFLOAD_V2_ENCRYPTION_AES_GCM_256 : ndis::IPSEC_OFFLOAD_V2_ENCRYPTION_AES_GCM_128,
                     static_cast<uint32_t>(bits / 8 + 4), 0, static_cast<uint32_t>(alg["icv_bytes"].get<int>())};
    keys = hexfield(v["keys"], "keymat");
  } else {
    uint32_t enc_id = ndis::IPSEC_OFFLOAD_V2_ENCRYPTION_NONE;
    if (enc == "AES-CBC") {
      keys = hexfield(v["keys"], "enc_key");
      enc_id = ndis::IPSEC_OFFLOAD_V2_ENCRYPTION_AES_CBC_128;
      sa.encryption = {enc_id, static_cast<uint32_t>(keys.size()), 0, 0};
    } else {
      sa.encryption = {enc_id, 0, 0, 0};
    }
    const std::string i = integ.is_string() ? integ.get<std::string>() : "";
    const std::vector<uint8_t> ak = hexfield(v["keys"], "auth_key");
    uint32_t auth = 0;
    if (i == "HMAC-SHA1-96") auth = ndis::IPSEC_OFFLOAD_V2_AUTHENTICATION_SHA_1;
    if (i == "HMAC-SHA-256-128") auth = ndis::IPSEC_OFFLOAD_V2_AUTHENTICATION_SHA_256;
    if (auth != 0) {
      sa.authentication = {auth, static_cast<uint32_t>(ak.size()), static_cast<uint32_t>(keys.size()), 0};
      keys.insert(keys.end(), ak.begin(), ak.end());
    }
  }
  e.key_data = keys;
  return e;
}

inline ndis::AddSaElement ah_element(const json& v, const std::vector<uint8_t>& ip, bool inbound) {
  ndis::AddSaElement e;
  e.flags = inbound ? ndis::IPSEC_OFFLOAD_V2_INBOUND : 0;
  const auto src = ip_src(ip), dst = ip_dst(ip);
  e.endpoints = ndis::Endpoints::ipv4({src[0], src[1], src[2], src[3]}, {dst[0], dst[1], dst[2], dst[3]});
  ndis::SecurityAssociation& sa = e.sec_assoc[0];
  sa.operation = ndis::IPsecOffloadV2Ah;
  sa.spi = spi_of(v);
  if (v["esn"].get<bool>()) {
    sa.flags = ndis::IPSEC_OFFLOAD_V2_ESN_SA;
    sa.sequence_number_high_order = static_cast<uint32_t>(seq_of(v) >> 32);
  }
  const std::string i = v["algorithm"]["integrity"];
  const std::vector<uint8_t> ak = hexfield(v["keys"], "auth_key");
  sa.authentication = {i == "HMAC-SHA1-96" ? ndis::IPSEC_OFFLOAD_V2_AUTHENTICATION_SHA_1 : ndis::IPSEC_OFFLOAD_V2_AUTHENTICATION_SHA_256,
                       static_cast<uint32_t>(ak.size()), 0, 0};
  e.key_data = ak;
  return e;
}

// What the transport hands down for the vector's wire packet (OQ-16): same headers, SPI and
// sequence number; plaintext body with padding and trailer; IV and ICV as zero placeholders.
inline std::vector<uint8_t> framed_from(const json& v, const std::vector<uint8_t>& wire_ip, size_t esp_offset) {
  std::vector<uint8_t> f = wire_ip;
  const size_t iv = v["algorithm"]["iv_bytes"].get<size_t>();
  const size_t icv = v["algorithm"]["icv_bytes"].get<size_t>();
  const std::vector<uint8_t> plain = hexfield(v, "esp_plaintext");
  std::fill(f.begin() + static_cast<long>(esp_offset + 8), f.begin() + static_cast<long>(esp_offset + 8 + iv), 0);
  std::copy(plain.begin(), plain.end(), f.begin() + static_cast<long>(esp_offset + 8 + iv));
  std::fill(f.end() - static_cast<long>(icv), f.end(), 0);
  return f;
}

struct Rig {
  sa::SaDevice dev;
  std::unique_ptr<NicModel> nic;
  explicit Rig(sa::DeviceProfile p = sa::full_profile()) : dev(std::move(p)) {
    EspStatus st;
    nic = NicModel::create(dev.table(), dev.profile().capabilities, {}, st);
    EXPECT_TRUE(nic != nullptr) << st.detail;
  }
  sa::Handle add(const ndis::AddSaElement& e) {
    sa::ElementOutcome o = dev.add_element(e, 0);
    EXPECT_NE(o.handle, 0u) << o.field << ": " << o.reason;
    return o.handle;
  }
  // Imposes the vector's IV so the wire bytes can be compared exactly.
  void impose_iv(const std::vector<uint8_t>& iv) {
    nic->set_iv_override([iv](uint32_t, uint64_t, MutableBytes out) {
      if (out.size() != iv.size()) return false;
      std::copy(iv.begin(), iv.end(), out.begin());
      return true;
    });
  }
};

inline ndis::SendOob oob_for(sa::Handle h) {
  ndis::SendOob o;
  o.offload_handle = h;
  return o;
}

inline uint16_t status_of(const ndis::ReceiveOob& o) { return o.crypto_status(); }

// Wraps an SPI..ICV vector (no IP header given) in an outer IPv4 header so it can travel as a
// frame; ESP's ICV does not cover the IP header.
inline std::vector<uint8_t> ipv4_around(const std::vector<uint8_t>& esp) {
  std::vector<uint8_t> ip = {0x45, 0, 0, 0, 0, 1, 0x40, 0, 64, kProtoEsp, 0, 0, 192, 0, 2, 1, 192, 0, 2, 2};
  ip.insert(ip.end(), esp.begin(), esp.end());
  EXPECT_TRUE(finalize_ip_header(ip, 4, 9, kProtoEsp, static_cast<uint32_t>(ip.size())));
  return ip;
}

}  // namespace cts::esp::testing
