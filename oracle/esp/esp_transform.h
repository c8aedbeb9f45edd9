// The keyed cryptographic core of one ESP SA, working on a framed ESP packet in place:
//
//   esp = SPI(4) ‖ Seq_low(4) ‖ IV(iv_size) ‖ body ‖ ICV(icv_size)
//   body = payload ‖ TFC ‖ padding ‖ Pad Length ‖ Next Header   (ciphertext after seal)
//
// seal() encrypts the body and writes the ICV; open() checks the ICV first (constant time) and
// only then decrypts. Neither looks at sequence-number policy, replay state or padding content:
// EspOutbound / EspInbound add those (host side, RFC 4303), and the IPsecOV2 NIC model uses this
// class directly (the transport frames the packet, the NIC fills the IV, encrypts and writes the
// ICV with the SA's current high half, SEND-017 / OQ-26).
//
// Integrity input per algorithm (RFC 4106 §5, RFC 4543 §3.3, RFC 4303 §2.8):
//   HMAC:  ICV = trunc(HMAC(SPI ‖ Seq_low ‖ IV ‖ body [‖ Seq_high if ESN]))      RFC 4303 §3.3.2.1
//   GCM:   AAD = SPI ‖ [Seq_high ‖] Seq_low; nonce = salt ‖ IV; tag = ICV         RFC 4106 §5
//   GMAC:  AAD = SPI ‖ [Seq_high ‖] Seq_low ‖ IV ‖ body; empty plaintext          RFC 4543 §3.3
//          (the high word sits right after the SPI, never after the trailer — not DPDK's layout)
//
// Keyed once at create(); per packet no allocation and no algorithm or parameter lookup. The
// library's backend (crypto/crypto_backend.h) decides the engine: on ipsec-mb, GCM/GMAC run
// through AesGcm's ipsec-mb engine and AES-CBC/HMAC through one MbCbcHmac job per packet; DES and
// 3DES stay on OpenSSL. Both give the same bytes and the same verdicts.
#pragma once

#include <cstddef>
#include <cstdint>
#include <memory>

#include "oracle/crypto/aes_gcm.h"
#include "oracle/crypto/bytes.h"
#include "oracle/crypto/cbc_cipher.h"
#include "oracle/crypto/crypto_library.h"
#include "oracle/crypto/hmac.h"
#include "oracle/crypto/mb_cbc_hmac.h"
#include "oracle/crypto/random_source.h"
#include "oracle/esp/esp_sa.h"
#include "oracle/esp/verdict.h"

namespace cts::esp {

// How an outbound IV is produced when the caller does not supply one (RFC 3602 §3, RFC 4106 §3.1).
enum class IvPolicy : uint8_t {
  sequence_number,  // GCM/GMAC: the 64-bit sequence number, big-endian (unique per key while the
                    // counter never cycles; RFC 4106 §3.1). Refused for CBC (RFC 3602 §3).
  random,           // from the RandomSource: required for CBC, allowed for GCM/GMAC
};
// sequence_number for GCM/GMAC, random for CBC (and for null, which has no IV).
IvPolicy default_iv_policy(const EspSuite& suite);

// The HMAC behind an ESP integrity transform (its hash; the truncation is the suite's ICV size).
// `none` has no HMAC: callers check has_integrity first.
crypto::HmacAlgorithm hmac_algorithm_of(EspIntegrity i);

class EspTransform {
 public:
  // Validates the config (validate_sa_config) and keys the adapters once.
  // Errors: invalid_argument (detail names the field), crypto_error (e.g. DES-CBC without the
  // OpenSSL legacy provider).
  static EspStatus create(const EspSaConfig& cfg, const crypto::CryptoLibrary& lib,
                          std::unique_ptr<EspTransform>& out);
  ~EspTransform();
  EspTransform(const EspTransform&) = delete;
  EspTransform& operator=(const EspTransform&) = delete;

  uint32_t spi() const { return spi_; }
  const EspSuite& suite() const { return suite_; }
  bool esn() const { return esn_; }
  size_t iv_size() const { return iv_size_; }
  size_t icv_size() const { return icv_size_; }
  size_t pad_modulus() const { return pad_modulus_; }
  // Offset of the body (first octet after the IV).
  size_t body_offset() const { return kHeader + iv_size_; }
  // Smallest well-formed packet: header, IV, the shortest padded trailer, ICV.
  size_t min_packet_size() const;

  // Length sanity of a framed packet (RFC 4303 §3.4, §2.4): at least min_packet_size(); CBC body a
  // non-zero multiple of the block size; with require_aligned the pre-ICV part is a multiple of 4
  // octets (ESP-006). Errors: truncated (detail says which rule).
  EspStatus check_length(size_t esp_len, bool require_aligned) const;

  // Writes the IV field of a framed packet: a copy of `explicit_iv` (iv_size() octets) if given,
  // else per `policy` (sequence_number: seq64 big-endian; random: from `rng`). Errors:
  // invalid_argument (policy not allowed for the algorithm, rng missing), truncated, crypto_error.
  EspStatus fill_iv(crypto::MutableBytes esp, uint64_t seq64, IvPolicy policy,
                    crypto::RandomSource* rng, const uint8_t* explicit_iv = nullptr) const;

  // Encrypts the body in place and writes the ICV. The IV must already be in the packet; the
  // SPI/Seq fields are taken as they are (seq_high is used only with ESN). Errors: truncated,
  // crypto_error.
  EspStatus seal(crypto::MutableBytes esp, uint32_t seq_high);

  // Verifies the ICV (constant time), then decrypts the body in place. On bad_icv the packet is
  // byte-for-byte unchanged. Errors: truncated, bad_icv, crypto_error. Encryption-only SAs (no
  // integrity) just decrypt.
  EspStatus open(crypto::MutableBytes esp, uint32_t seq_high);
  // open() for a caller that has just passed check_length on this packet (EspInbound): the
  // same result without checking the length twice.
  EspStatus open_length_checked(crypto::MutableBytes esp, uint32_t seq_high);

  // seal / open_length_checked of n framed packets (each has passed check_length), seq_high[i]
  // each packet's ESN high half, statuses to status[i]: the same bytes and statuses as the calls
  // one after another. On ipsec-mb the AES-CBC + HMAC jobs of the burst are submitted together
  // (the manager's lanes full); every other transform is one call per packet. The packets must
  // not overlap. n at most kMaxBurst.
  static constexpr size_t kMaxBurst = 64;
  void seal_burst(size_t n, const crypto::MutableBytes* packets, const uint32_t* seq_high, EspStatus* status);
  void open_burst(size_t n, const crypto::MutableBytes* packets, const uint32_t* seq_high, EspStatus* status);

  static constexpr size_t kHeader = 8;

 private:
  EspTransform() = default;
  EspStatus seal_hmac(crypto::MutableBytes esp, uint32_t seq_high);
  EspStatus open_hmac(crypto::MutableBytes esp, uint32_t seq_high);
  // Writes the GCM AAD of `esp` into `aad` and returns the part in use (8 or 12 octets).
  crypto::ByteView gcm_aad(crypto::ByteView esp, uint32_t seq_high, uint8_t (&aad)[12]) const;
  EspStatus seal_gcm(crypto::MutableBytes esp, uint32_t seq_high);
  EspStatus open_gcm(crypto::MutableBytes esp, uint32_t seq_high);
  EspStatus seal_gmac(crypto::MutableBytes esp, uint32_t seq_high);
  EspStatus open_gmac(crypto::MutableBytes esp, uint32_t seq_high);

  uint32_t spi_ = 0;
  EspSuite suite_;
  bool esn_ = false;
  size_t iv_size_ = 0;
  size_t icv_size_ = 0;
  size_t pad_modulus_ = 4;
  std::unique_ptr<crypto::CbcCipher> cbc_;
  std::unique_ptr<crypto::AesGcm> gcm_;
  std::unique_ptr<crypto::Hmac> hmac_;
  std::unique_ptr<crypto::MbCbcHmac> mb_;  // ipsec-mb backend: cipher and MAC in one job
  size_t cbc_block_ = 0;                   // CBC block size, 0 without a CBC cipher
};

}  // namespace cts::esp
