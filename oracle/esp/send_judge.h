// The one judge of what a device puts on the wire for a send (ESP, AH and ESP+AH bundles,
// transport, tunnel and transport-over-tunnel), used by the runner's send and probe steps, by
// the oracle's own tests and against the oracle's output. The bytes may legitimately differ
// from the oracle's (IVs are the NIC's choice, OQ-16 / OQ-AH-1), so instead of comparing
// ciphertext the judge opens the device's frame with the SA's keys and checks every field.
//
// For a frame that should be protected it checks, per IPsec level (tunnel level first, then the
// transport level; within a level AH first because it covers the ESP bytes as sent, OQ-10):
//   * AH and ESP are where the bundle needs them, with the SA's SPI (SEND-009, SEND-010);
//   * the AH ICV verifies over the datagram with mutable fields zeroed (RFC 4302 §3.3.3) and the
//     ESP ICV verifies, each with the SA's current ESN high half or the one the caller expects
//     (SEND-017); when not, the judge tries the neighbouring high halves and names the one the
//     device used (SEND-017 with ESN-004 / GCM-004 / GMAC-002 / AH-031);
//   * the decrypted frame equals the frame the transport handed down, byte for byte, except the
//     IV and ICV fields (and a UDP checksum the NIC had to refresh): headers, SPI, sequence
//     numbers, AH Next Header / Payload Len / Reserved / padding, payload, ESP padding and
//     trailer are the transport's (SEND-010; each field that differs is named);
//   * IV uniqueness under one key (separate from the frame's verdict): a GCM/GMAC IV seen twice
//     under the same key is a critical failure (GCM-001 / GMAC-001 / AH-056, nonce reuse), a
//     repeated CBC IV a failure (CBC-002), and so is a predictable one (the previous packet's last
//     ciphertext block, a counter, a low Hamming distance: cbc_iv_check.h). Keys are recognised
//     by a keyed fingerprint, so an SA re-added with the same key shares the history.
// Frames sent with a zero handle must be exactly what was handed down (SEND-005).
#pragma once

#include <array>
#include <cstdint>
#include <map>
#include <memory>
#include <optional>
#include <set>
#include <span>
#include <string>
#include <vector>

#include "oracle/crypto/crypto_library.h"
#include "oracle/crypto/hmac.h"
#include "oracle/esp/ah_transform.h"
#include "oracle/esp/cbc_iv_check.h"
#include "oracle/esp/esp_transform.h"
#include "oracle/esp/ip_packet.h"
#include "oracle/esp/iv_history.h"
#include "oracle/esp/packet_verdict.h"
#include "oracle/ndis/model.h"
#include "oracle/ndis/validate.h"
#include "oracle/sa/sa_table.h"

namespace cts::esp {

struct IvRepeat {
  std::string requirement;        // "GCM-001", "GMAC-001", "AH-056", "CBC-002"
  bool critical = false;          // nonce reuse (GCM / GMAC)
  std::vector<uint8_t> iv;
  uint64_t first_sequence = 0;    // the sequence number that first carried it
  // CBC only: empty for a repeat; else how the IV was predictable from the packet sent before
  // it under the key (cbc_iv_check.h), and that packet's sequence number in first_sequence.
  std::string predictable;
};

struct SendJudgement {
  PacketVerdict verdict = PacketVerdict::protected_frame;
  bool pass = true;                    // protected (or clear where no handle was given) and no IV repeat
  bool critical = false;               // GCM/GMAC IV reuse
  std::vector<std::string> findings;   // one readable line per problem, empty when pass
  // The requirement ids of the checks that made the frame other than protected (empty when it
  // is protected): the precise ids of what went wrong.
  std::vector<std::string> requirements;
  std::optional<uint32_t> seq_high_used;  // the ESN high half the ICV verified with, when found
  std::vector<IvRepeat> iv_repeats;       // judged apart from the verdict

  // The findings on one line, or a summary of a protected frame.
  std::string detail() const;
};

// What a send should have produced: the bundle(s) whose keys protect it, as the SA table holds
// them (sas[i].sequence_number_high_order = the current high half, the ESN flag, the keys).
struct SendExpectation {
  const ndis::BundleSpec* bundle = nullptr;  // the transport-level (or only) bundle; null: clear send
  const ndis::BundleSpec* tunnel = nullptr;  // transport-over-tunnel: the tunnel-level bundle
  // The high half every ICV of the send must cover, instead of each SA's current one (a case
  // that states it, SEND-017).
  std::optional<uint32_t> seq_high;
};

class SendJudge {
 public:
  struct Options {
    // A frame whose sequence number (per key) the transport had already framed is not counted
    // for IV uniqueness: a device deriving IVs from the sequence number then repeats through no
    // fault of its own. The runner sets this; the oracle's own tests count every frame.
    bool skip_repeated_sequences = false;
  };

  // `table` is the oracle's SA table (keys, current ESN high halves) for judge(framed, oob, wire);
  // it must outlive the judge. lib null = CryptoLibrary::shared(). Construction fails (nullptr)
  // without a crypto library.
  static std::unique_ptr<SendJudge> create(const sa::SaTable& table,
                                           const crypto::CryptoLibrary* lib = nullptr);
  static std::unique_ptr<SendJudge> create(const sa::SaTable& table, Options options,
                                           const crypto::CryptoLibrary* lib = nullptr);

  // `framed`: the Ethernet frame handed to the device; `oob`: its send OOB, whose handles name
  // bundles of the table; `wire`: the frame the device sent (one frame; no LSO).
  SendJudgement judge(ConstBytes framed, const ndis::SendOob& oob, ConstBytes wire);

  // Every frame the device sent for one non-LSO send, against what the send should have been:
  // none (nothing sent), clear (sent unchanged), protected (opens under `expect`) or corrupt.
  SendJudgement judge_frames(ConstBytes framed, std::span<const std::vector<uint8_t>> frames,
                             const SendExpectation& expect);

  // Distinct (key, IV) pairs recorded so far.
  size_t ivs_recorded() const;

 private:
  using Fingerprint = std::array<uint8_t, 32>;
  // A stretch of the frame the transport framed and the NIC must leave alone (SEND-010): a byte
  // that differs there is reported by the field's name and the rules it breaks.
  struct FramedField {
    size_t from = 0;
    size_t length = 0;
    const char* name = "";
    std::array<const char*, 2> ids{};
  };
  struct Keyed {
    std::unique_ptr<EspTransform> esp;
    std::unique_ptr<AhTransform> ah;
  };

  SendJudge(const sa::SaTable& table, const crypto::CryptoLibrary& lib, Options options)
      : table_(table), lib_(lib), options_(options) {}
  Keyed* keyed_for(const ndis::SaSpec& sa, Fingerprint& id, std::string& error);
  void judge_frame(ConstBytes framed, ConstBytes wire, const SendExpectation& expect, SendJudgement& out);
  void judge_level(MutableBytes datagram, uint32_t datagram_base, const ndis::BundleSpec& bundle,
                   std::optional<uint32_t> seq_high, std::vector<uint8_t>& may_differ,
                   SendJudgement& out, uint32_t& inner_offset);
  void add_field(size_t from, size_t length, const char* name, const char* id1, const char* id2 = nullptr);
  void record_iv(const Fingerprint& key, const char* requirement, bool nonce_critical, ConstBytes iv,
                 uint64_t sequence, const char* what, SendJudgement& out);
  // CBC-002 beyond repeats: `esp` is the ESP packet as sent (ciphertext), `iv_size` its IV.
  void check_cbc_iv(const Fingerprint& key, ConstBytes esp, size_t iv_size, size_t icv_size, uint64_t sequence,
                    SendJudgement& out);

  const sa::SaTable& table_;
  const crypto::CryptoLibrary& lib_;
  Options options_;
  std::unique_ptr<crypto::Hmac> fingerprint_;
  std::map<Fingerprint, Keyed> keyed_;
  std::vector<FramedField> fields_;  // of the frame being judged
  std::map<Fingerprint, IvHistory> ivs_;
  std::map<Fingerprint, std::set<uint64_t>> sequences_;
  struct CbcState {
    CbcIvTracker tracker;
    uint64_t last_sequence = 0;
  };
  std::map<Fingerprint, CbcState> cbc_;
};

}  // namespace cts::esp
