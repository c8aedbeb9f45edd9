#include "oracle/esp/nic_model.h"

#include "oracle/esp/nic_sa_config.h"

namespace cts::esp {

NicModel::NicModel(sa::SaTable& table, const ndis::IpsecOffloadV2Capabilities& caps,
                   const crypto::CryptoLibrary& lib)
    : table_(table), caps_(caps), lib_(lib) {}

std::unique_ptr<NicModel> NicModel::create(sa::SaTable& table,
                                           const ndis::IpsecOffloadV2Capabilities& caps,
                                           const NicOptions& options, EspStatus& status,
                                           const crypto::CryptoLibrary* lib) {
  if (lib == nullptr) lib = crypto::CryptoLibrary::shared();
  if (lib == nullptr) {
    status = EspStatus::fail(EspVerdict::crypto_error, "NIC model: OpenSSL library context unavailable");
    return nullptr;
  }
  std::unique_ptr<NicModel> nic(new NicModel(table, caps, *lib));
  status = nic->reseed(options.iv_seed);
  if (!status.ok()) return nullptr;
  // Slots are stable for the table's life: one context pair per possible bundle, keyed lazily.
  nic->contexts_.resize(table.capacity());
  std::string reason;
  bool keyed = true;
  table.for_each([&](const sa::StoredBundle& b) { keyed = keyed && nic->on_bundle_adding(b, reason); });
  if (!keyed) {
    status = EspStatus::fail(EspVerdict::crypto_error, "NIC model: cannot key a bundle already in the table");
    return nullptr;
  }
  table.set_listener(nic.get());
  status = EspStatus::success();
  return nic;
}

NicModel::~NicModel() { table_.set_listener(nullptr); }

EspStatus NicModel::reseed(uint64_t seed) {
  std::unique_ptr<crypto::SeededRandomSource> rng;
  const crypto::CryptoStatus st = crypto::SeededRandomSource::create(lib_, seed, rng);
  if (!st.ok()) return EspStatus::fail(EspVerdict::crypto_error, "NIC model: IV DRBG");
  rng_ = std::move(rng);
  return EspStatus::success();
}

NicModel::SlotContexts& NicModel::contexts(const sa::StoredBundle& bundle) {
  SlotContexts& c = contexts_[bundle.slot];
  for (uint32_t i = 0; i < bundle.spec.num_ext_hdrs && i < 2; ++i) {
    const ndis::SaSpec& sa = bundle.spec.sas[i];
    if (sa.operation != ndis::IPsecOffloadV2Esp || c.sa[i].esp) continue;
    EspSaConfig cfg;
    // Checked when the bundle was added; a failure here (memory) leaves the transform null,
    // which every caller reports as an internal error of the model.
    if (esp_config_from_sa(sa, cfg).ok()) (void)EspTransform::create(cfg, lib_, c.sa[i].esp);
  }
  return c;
}

bool NicModel::on_bundle_adding(const sa::StoredBundle& bundle, std::string& refusal_reason) {
  if (bundle.slot >= contexts_.size()) contexts_.resize(bundle.slot + 1);
  SlotContexts fresh;
  for (uint32_t i = 0; i < bundle.spec.num_ext_hdrs && i < 2; ++i) {
    const ndis::SaSpec& sa = bundle.spec.sas[i];
    if (sa.operation == ndis::IPsecOffloadV2Esp) {
      EspSaConfig cfg;
      EspStatus st = esp_config_from_sa(sa, cfg);
      if (st.ok()) st = validate_sa_config(cfg);
      if (st.ok() && (cfg.suite.encryption == EspEncryption::des_cbc) && !lib_.legacy_available()) {
        st = EspStatus::fail(EspVerdict::crypto_error, "DES-CBC needs the OpenSSL legacy provider");
      }
      if (!st.ok()) {
        refusal_reason = std::string("ESP transform for SecAssoc[") + std::to_string(i) +
                         "] cannot be keyed: " + st.detail;
        return false;
      }
    } else {
      AhSaConfig cfg;
      EspStatus st = ah_config_from_sa(sa, cfg);
      if (!st.ok()) {
        refusal_reason = std::string("AH SecAssoc[") + std::to_string(i) + "]: " + st.detail;
        return false;
      }
      const HostStatus hs = AhTransform::create(cfg, lib_, fresh.sa[i].ah);
      if (!hs.ok()) {
        refusal_reason = std::string("AH transform for SecAssoc[") + std::to_string(i) +
                         "] cannot be keyed: " + hs.detail;
        return false;
      }
    }
  }
  contexts_[bundle.slot] = std::move(fresh);
  return true;
}

void NicModel::on_bundle_removed(const sa::StoredBundle& bundle) {
  // EVP contexts are cleansed by OpenSSL when freed (DEL-003).
  if (bundle.slot < contexts_.size()) contexts_[bundle.slot] = SlotContexts{};
}

}  // namespace cts::esp
