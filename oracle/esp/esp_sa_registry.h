// Inbound SA lookup by SPI (RFC 4303 §2.1, §3.4.2): the host-side receiver owns one EspInbound
// per SPI; a packet whose SPI is unknown is UNKNOWN_SPI (ESP-010). The whole-packet layer strips
// IP/UDP and passes the ESP bytes here.
#pragma once

#include <cstdint>
#include <memory>
#include <unordered_map>

#include "oracle/crypto/bytes.h"
#include "oracle/crypto/crypto_library.h"
#include "oracle/esp/esp_inbound.h"
#include "oracle/esp/esp_sa.h"
#include "oracle/esp/verdict.h"

namespace cts::esp {

class EspSaRegistry {
 public:
  explicit EspSaRegistry(const crypto::CryptoLibrary& lib) : lib_(&lib) {}

  // Errors: invalid_argument (SPI already present, or the config is refused), crypto_error.
  // A failed add leaves the registry unchanged.
  EspStatus add(const EspSaConfig& cfg);
  // Removes and destroys the SA (keys cleansed). False if the SPI is unknown.
  bool remove(uint32_t spi);
  EspInbound* find(uint32_t spi);
  size_t size() const { return sas_.size(); }

  // Looks the SPI up and processes the packet in place. truncated if fewer than 8 octets,
  // unknown_spi if no SA; otherwise as EspInbound::process.
  InboundResult process(crypto::MutableBytes esp, const InboundOptions& opt = {});

 private:
  const crypto::CryptoLibrary* lib_;
  std::unordered_map<uint32_t, std::unique_ptr<EspInbound>> sas_;
};

}  // namespace cts::esp
