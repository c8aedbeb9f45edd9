// libFuzzer target: arbitrary octets as a received Ethernet frame through the IPsecOV2 NIC model's
// receive path (NicModel::receive), with inbound SAs for ESP transport (AES-GCM), ESP over UDP
// (NULL + HMAC-SHA-256), IPv6 ESP (AES-CBC + HMAC-SHA1) and AH, all towards 192.0.2.2 / 2001:db8::2.
// The frame is an exactly sized heap copy so any read or write past it is caught.
#include <cstddef>
#include <cstdint>
#include <cstring>
#include <memory>
#include <vector>

#include "oracle/esp/nic_model.h"
#include "oracle/sa/sa_device.h"

namespace {

using namespace cts;

ndis::AddSaElement inbound_v4(uint32_t spi) {
  ndis::AddSaElement e;
  e.flags = ndis::IPSEC_OFFLOAD_V2_INBOUND;
  e.endpoints = ndis::Endpoints::ipv4({192, 0, 2, 1}, {192, 0, 2, 2});
  e.sec_assoc[0].spi = spi;
  return e;
}

struct Rig {
  sa::SaDevice dev{sa::full_profile()};
  std::unique_ptr<esp::NicModel> nic;

  Rig() {
    esp::EspStatus st;
    nic = esp::NicModel::create(dev.table(), dev.profile().capabilities, {}, st);
    if (!nic) return;
    // ESP transport, AES-GCM-128 (key || salt, OQ-07), ESN.
    ndis::AddSaElement gcm = inbound_v4(0x100);
    gcm.sec_assoc[0].operation = ndis::IPsecOffloadV2Esp;
    gcm.sec_assoc[0].flags = ndis::IPSEC_OFFLOAD_V2_ESN_SA;
    gcm.sec_assoc[0].encryption = {ndis::IPSEC_OFFLOAD_V2_ENCRYPTION_AES_GCM_128, 20, 0, 16};
    gcm.key_data.assign(20, 0x11);
    dev.add_element(gcm, 0);
    // ESP over UDP (RFC 3948), NULL encryption + HMAC-SHA-256.
    ndis::AddSaElement udp = inbound_v4(0x101);
    udp.udp_esp_encapsulation = ndis::IPSEC_OFFLOAD_V2_UDP_ESP_ENCAPSULATION_TRANSPORT;
    udp.sec_assoc[0].operation = ndis::IPsecOffloadV2Esp;
    udp.sec_assoc[0].encryption = {ndis::IPSEC_OFFLOAD_V2_ENCRYPTION_NONE, 0, 0, 0};
    udp.sec_assoc[0].authentication = {ndis::IPSEC_OFFLOAD_V2_AUTHENTICATION_SHA_256, 32, 0, 0};
    udp.key_data.assign(32, 0x22);
    dev.add_element(udp, 0);
    // IPv6 ESP, AES-CBC-128 + HMAC-SHA1.
    ndis::AddSaElement v6;
    v6.flags = ndis::IPSEC_OFFLOAD_V2_INBOUND | ndis::IPSEC_OFFLOAD_V2_IPv6;
    std::array<uint8_t, 16> s{0x20, 0x01, 0x0d, 0xb8}, d{0x20, 0x01, 0x0d, 0xb8};
    s[15] = 1;
    d[15] = 2;
    v6.endpoints = ndis::Endpoints::ipv6(s, d);
    v6.sec_assoc[0].spi = 0x102;
    v6.sec_assoc[0].operation = ndis::IPsecOffloadV2Esp;
    v6.sec_assoc[0].encryption = {ndis::IPSEC_OFFLOAD_V2_ENCRYPTION_AES_CBC_128, 16, 0, 0};
    v6.sec_assoc[0].authentication = {ndis::IPSEC_OFFLOAD_V2_AUTHENTICATION_SHA_1, 20, 16, 0};
    v6.key_data.assign(36, 0x33);
    dev.add_element(v6, 0);
    // AH, HMAC-SHA1.
    ndis::AddSaElement ah = inbound_v4(0x103);
    ah.sec_assoc[0].operation = ndis::IPsecOffloadV2Ah;
    ah.sec_assoc[0].authentication = {ndis::IPSEC_OFFLOAD_V2_AUTHENTICATION_SHA_1, 20, 0, 0};
    ah.key_data.assign(20, 0x44);
    dev.add_element(ah, 0);
  }
};

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  static Rig rig;
  if (!rig.nic) return 0;
  std::unique_ptr<uint8_t[]> frame(new uint8_t[size ? size : 1]);
  if (size) std::memcpy(frame.get(), data, size);
  (void)rig.nic->receive(esp::MutableBytes(frame.get(), size));
  return 0;
}
