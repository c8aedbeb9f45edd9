#include "oracle/esp/esp_sa_registry.h"

namespace cts::esp {

EspStatus EspSaRegistry::add(const EspSaConfig& cfg) {
  if (sas_.count(cfg.spi) != 0) {
    return EspStatus::fail(EspVerdict::invalid_argument, "registry: an SA with this SPI already exists");
  }
  std::unique_ptr<EspInbound> sa;
  if (auto s = EspInbound::create(cfg, *lib_, sa); !s.ok()) return s;  // validate, then commit
  sas_.emplace(cfg.spi, std::move(sa));
  return EspStatus::success();
}

bool EspSaRegistry::remove(uint32_t spi) { return sas_.erase(spi) != 0; }

EspInbound* EspSaRegistry::find(uint32_t spi) {
  auto it = sas_.find(spi);
  return it == sas_.end() ? nullptr : it->second.get();
}

InboundResult EspSaRegistry::process(crypto::MutableBytes esp, const InboundOptions& opt) {
  InboundResult r;
  if (esp.size() < 8) {
    r.status = EspStatus::fail(EspVerdict::truncated, "ESP inbound: shorter than SPI + Sequence Number");
    return r;
  }
  r.spi = crypto::load_be32(esp.data());
  EspInbound* sa = find(r.spi);
  if (sa == nullptr) {
    r.status = EspStatus::fail(EspVerdict::unknown_spi, "ESP inbound: no SA for this SPI (RFC 4303 §3.4.2)");
    return r;
  }
  return sa->process(esp, opt);
}

}  // namespace cts::esp
