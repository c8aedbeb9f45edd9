// The keyed integrity engine of one AH SA: an HMAC (RFC 2403/2404/4868) or AES-GMAC
// (RFC 4543 §4) context from oracle/crypto, keyed once at SA creation, fed the ICV input of
// ah_icv_input.h piece by piece and finished with the ESN high word appended when ESN is on
// (RFC 4302 §3.3.3.2.2: after the last octet of the datagram, for HMAC and GMAC alike).
#pragma once

#include <cstdint>
#include <memory>

#include "oracle/crypto/aes_gcm.h"
#include "oracle/crypto/crypto_library.h"
#include "oracle/crypto/hmac.h"
#include "oracle/esp/ah_icv_input.h"
#include "oracle/esp/ah_sa.h"
#include "oracle/esp/host_verdict.h"

namespace cts::esp {

class AhTransform {
 public:
  // Errors: invalid_argument (config), crypto_error (OpenSSL / library unavailable).
  static HostStatus create(const AhSaConfig& cfg, const crypto::CryptoLibrary& lib,
                           std::unique_ptr<AhTransform>& out);

  AhAlgorithm algorithm() const { return alg_; }
  size_t icv_size() const { return icv_size_; }
  size_t iv_size() const { return iv_size_; }

  // Computes the ICV of the datagram `packet` (with AH at region.ah_offset) into `icv`
  // (icv_size() octets). `esn_high` is appended when `esn` is true.
  HostStatus compute(ConstBytes packet, const IpLayout& layout, const AhIcvRegion& region,
                     bool esn, uint32_t esn_high, MutableBytes icv);
  // Verifies `received_icv` (constant time) -> ok or bad_icv.
  HostStatus verify(ConstBytes packet, const IpLayout& layout, const AhIcvRegion& region,
                    bool esn, uint32_t esn_high, ConstBytes received_icv);

 private:
  AhTransform() = default;
  HostStatus run(ConstBytes packet, const IpLayout& layout, const AhIcvRegion& region, bool esn,
                 uint32_t esn_high);

  AhAlgorithm alg_ = AhAlgorithm::hmac_sha256_128;
  size_t icv_size_ = 0;
  size_t iv_size_ = 0;
  std::unique_ptr<crypto::Hmac> hmac_;
  std::unique_ptr<crypto::AesGcm> gmac_;
};

}  // namespace cts::esp
