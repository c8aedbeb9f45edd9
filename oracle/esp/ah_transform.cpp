#include "oracle/esp/ah_transform.h"

namespace cts::esp {

namespace {

crypto::HmacAlgorithm hmac_of(AhAlgorithm a) {
  switch (a) {
    case AhAlgorithm::hmac_md5_96: return crypto::HmacAlgorithm::md5;
    case AhAlgorithm::hmac_sha1_96: return crypto::HmacAlgorithm::sha1;
    case AhAlgorithm::hmac_sha384_192: return crypto::HmacAlgorithm::sha384;
    case AhAlgorithm::hmac_sha512_256: return crypto::HmacAlgorithm::sha512;
    default: return crypto::HmacAlgorithm::sha256;
  }
}

class HmacSink final : public IcvSink {
 public:
  explicit HmacSink(crypto::Hmac& h) : h_(h) {}
  bool put(ConstBytes b) override { return h_.update(b).ok(); }

 private:
  crypto::Hmac& h_;
};

class GmacSink final : public IcvSink {
 public:
  explicit GmacSink(crypto::AesGcm& g) : g_(g) {}
  bool put(ConstBytes b) override { return g_.gmac_update(b).ok(); }

 private:
  crypto::AesGcm& g_;
};

HostStatus from_input(AhInputResult r, const ParseStatus& st) {
  if (r == AhInputResult::sink_failed)
    return HostStatus::fail(HostVerdict::crypto_error, "AH ICV: MAC update failed");
  return to_host_status(st);
}

}  // namespace

HostStatus AhTransform::create(const AhSaConfig& cfg, const crypto::CryptoLibrary& lib,
                               std::unique_ptr<AhTransform>& out) {
  const EspStatus v = validate_ah_config(cfg);
  if (!v.ok()) return to_host_status(v);
  std::unique_ptr<AhTransform> t(new AhTransform());
  t->alg_ = cfg.algorithm;
  t->icv_size_ = ah_icv_size(cfg.algorithm);
  t->iv_size_ = ah_iv_size(cfg.algorithm);
  if (is_gmac(cfg.algorithm)) {
    const crypto::ByteView key = cfg.key.view();
    const size_t aes = key.size() - crypto::kGcmSaltSize;
    const crypto::CryptoStatus st =
        crypto::AesGcm::create(lib, key.first(aes), key.subspan(aes), t->icv_size_, t->gmac_);
    if (!st.ok()) return HostStatus::fail(HostVerdict::crypto_error, st.context);
  } else {
    const crypto::CryptoStatus st =
        crypto::Hmac::create(lib, hmac_of(cfg.algorithm), cfg.key.view(), t->icv_size_, t->hmac_);
    if (!st.ok()) return HostStatus::fail(HostVerdict::crypto_error, st.context);
  }
  out = std::move(t);
  return HostStatus::success();
}

HostStatus AhTransform::run(ConstBytes packet, const IpLayout& layout, const AhIcvRegion& region,
                            bool esn, uint32_t esn_high) {
  uint8_t high[4];
  wire::put32(high, esn_high);
  ParseStatus st;
  AhInputResult r;
  if (gmac_) {
    // RFC 4543 §3.2: nonce = salt || IV, the IV as carried in the Authentication Data field.
    const ConstBytes iv = packet.subspan(region.ah_offset + kAhFixedSize, iv_size_);
    if (!gmac_->gmac_begin(iv).ok()) return HostStatus::fail(HostVerdict::crypto_error, "AH GMAC: begin");
    GmacSink sink(*gmac_);
    r = feed_ah_icv_input(packet, layout, region, sink, st);
    if (r == AhInputResult::ok && esn && !gmac_->gmac_update(ConstBytes(high, 4)).ok())
      r = AhInputResult::sink_failed;
  } else {
    if (!hmac_->begin().ok()) return HostStatus::fail(HostVerdict::crypto_error, "AH HMAC: begin");
    HmacSink sink(*hmac_);
    r = feed_ah_icv_input(packet, layout, region, sink, st);
    if (r == AhInputResult::ok && esn && !hmac_->update(ConstBytes(high, 4)).ok())
      r = AhInputResult::sink_failed;
  }
  if (r != AhInputResult::ok) return from_input(r, st);
  return HostStatus::success();
}

HostStatus AhTransform::compute(ConstBytes packet, const IpLayout& layout, const AhIcvRegion& region,
                                bool esn, uint32_t esn_high, MutableBytes icv) {
  HostStatus s = run(packet, layout, region, esn, esn_high);
  if (!s.ok()) return s;
  const crypto::CryptoStatus c = gmac_ ? gmac_->gmac_finish(icv.first(icv_size_))
                                       : hmac_->finish(icv.first(icv_size_));
  if (!c.ok()) return HostStatus::fail(HostVerdict::crypto_error, c.context);
  return HostStatus::success();
}

HostStatus AhTransform::verify(ConstBytes packet, const IpLayout& layout, const AhIcvRegion& region,
                               bool esn, uint32_t esn_high, ConstBytes received_icv) {
  HostStatus s = run(packet, layout, region, esn, esn_high);
  if (!s.ok()) return s;
  const crypto::CryptoStatus c = gmac_ ? gmac_->gmac_finish_verify(received_icv)
                                       : hmac_->finish_verify(received_icv);
  if (c.code == crypto::CryptoErrc::authentication_failed)
    return HostStatus::fail(HostVerdict::bad_icv, "AH: ICV mismatch (RFC 4302 §3.4.4)");
  if (!c.ok()) return HostStatus::fail(HostVerdict::crypto_error, c.context);
  return HostStatus::success();
}

}  // namespace cts::esp
