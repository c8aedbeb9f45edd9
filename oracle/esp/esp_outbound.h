// RFC 4303 outbound processing for one SA (§3.3): sequence number, padding, Pad Length, Next
// Header, optional TFC padding, dummy packets, IV, encryption and ICV. Produces the ESP part only
// (SPI..ICV); IP framing is the caller's (esp_host).
#pragma once

#include <cstddef>
#include <cstdint>
#include <memory>

#include "oracle/crypto/bytes.h"
#include "oracle/crypto/crypto_library.h"
#include "oracle/crypto/random_source.h"
#include "oracle/esp/esp_sa.h"
#include "oracle/esp/esp_transform.h"
#include "oracle/esp/sequence.h"
#include "oracle/esp/verdict.h"

namespace cts::esp {

struct OutboundOptions {
  // Explicit IV (iv_size() octets) for reproducible output (RFC 4303 §3.3.2: the harness must be able to
  // inject the IV); nullptr = the SA's IV policy.
  const uint8_t* iv = nullptr;
  // TFC padding octets (zeros) after the payload (RFC 4303 §2.7). Allowed only when the payload
  // carries its own length; that is the caller's policy (TFC-003).
  size_t tfc_length = 0;
  // Padding beyond the minimum, in octets: must be a multiple of pad_modulus() and keep the total
  // pad length <= 255 (PAD-001, §2.4).
  size_t extra_padding = 0;
  // Test peer only: padding octets that are not 1, 2, 3, ... (each one off by 0x80), so a
  // receiver's handling of malformed default padding can be exercised under a valid ICV
  // (PAD-004, docs/decisions.md OQ-CTS-2).
  bool malformed_padding = false;
};

struct OutboundResult {
  EspStatus status;
  uint64_t seq = 0;        // full sequence number used (ESN: Seqh:Seql)
  size_t length = 0;       // octets written (SPI..ICV)
  uint8_t pad_length = 0;  // the Pad Length written
};

class EspOutbound {
 public:
  // `rng` must outlive the object (CBC IVs, dummy payloads, IvPolicy::random).
  // Errors: as EspTransform::create.
  static EspStatus create(const EspSaConfig& cfg, const crypto::CryptoLibrary& lib,
                          crypto::RandomSource& rng, std::unique_ptr<EspOutbound>& out);

  // Exact output size for a payload of `payload_length` octets with these options.
  size_t packet_size(size_t payload_length, const OutboundOptions& opt = {}) const;

  // Builds SPI ‖ Seq ‖ IV ‖ E(payload ‖ TFC ‖ 1,2,3.. ‖ PadLen ‖ NH) ‖ ICV into `out`.
  // `payload` may alias any part of `out` (it is moved first). Errors: seq_overflow (counter
  // unchanged, SEQ-004), buffer_too_small, invalid_argument (options), crypto_error. On error
  // `out` content is unspecified but nothing outside it is touched. Argument and size errors are
  // found before a sequence number is taken; only a random-source or OpenSSL failure after that
  // point consumes one (never reused, so IV uniqueness is kept).
  OutboundResult protect(crypto::ByteView payload, uint8_t next_header, crypto::MutableBytes out,
                         const OutboundOptions& opt = {});
  // Dummy packet (RFC 4303 §2.6, DUMMY-001/003): `payload_length` random octets, Next Header 59,
  // every ESP field present and the ICV computed as for any packet.
  OutboundResult protect_dummy(size_t payload_length, crypto::MutableBytes out,
                               const OutboundOptions& opt = {});

  // protect() of payloads[i] into outs[i], results[i] for i < n (n = the smallest of the three
  // sizes): the same packets, sequence numbers, IVs and results as protect() on each in turn,
  // with the encryption and ICVs of the burst handed to the crypto library together
  // (EspTransform::seal_burst). No output may overlap another packet's payload or output.
  void protect_burst(std::span<const crypto::ByteView> payloads, uint8_t next_header,
                     std::span<const crypto::MutableBytes> outs, std::span<OutboundResult> results,
                     const OutboundOptions& opt = {});

  SequenceCounter& sequence() { return seq_; }
  const SequenceCounter& sequence() const { return seq_; }
  EspTransform& transform() { return *xf_; }
  IvPolicy iv_policy() const { return iv_policy_; }
  // Errors: invalid_argument (sequence_number IVs for CBC).
  EspStatus set_iv_policy(IvPolicy policy);

 private:
  EspOutbound(std::unique_ptr<EspTransform> xf, crypto::RandomSource& rng, SequenceCounter seq);
  // Everything of protect() before encryption: number, payload, padding, trailer, IV. On success
  // r.length, r.seq and r.pad_length describe the framed packet.
  OutboundResult frame(crypto::ByteView payload, bool random_payload, size_t payload_length,
                       uint8_t next_header, crypto::MutableBytes out, const OutboundOptions& opt);
  // frame() then seal: on a seal failure only the status is set, as before any framing.
  OutboundResult build(crypto::ByteView payload, bool random_payload, size_t payload_length,
                       uint8_t next_header, crypto::MutableBytes out, const OutboundOptions& opt);

  std::unique_ptr<EspTransform> xf_;
  crypto::RandomSource* rng_;
  SequenceCounter seq_;
  IvPolicy iv_policy_;
};

}  // namespace cts::esp
