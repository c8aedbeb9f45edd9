// Judge of what a device puts on the wire for a send, where the bytes may legitimately differ from
// the oracle's (IVs are the NIC's choice, OQ-16 / OQ-AH-1): instead of comparing ciphertext, the
// judge opens the device's frame with the SA's keys and checks every field.
//
// For each frame it checks, per IPsec level of the handle(s) in the send OOB:
//   * the ICV verifies with the SA's current ESN high half (SEND-017) — AH first, then ESP
//     (OQ-10), the tunnel level before the transport level;
//   * the decrypted frame equals the frame the transport handed down, byte for byte, except the
//     IV and ICV fields (and a UDP checksum the NIC had to refresh) — headers, SPI, sequence
//     number, payload, padding and trailer are the transport's (SEND-010);
//   * IV uniqueness under one key across the whole run: a GCM/GMAC IV seen twice under the same key
//     is a critical failure (nonce reuse: RFC 4106 §3.1, RFC 4543 §3.1); a repeated CBC IV is a
//     failure (RFC 3602 §3: IVs must be unpredictable). Keys are recognised by a keyed
//     fingerprint, so an SA re-added with the same key shares the history.
// Frames sent with a zero handle must be exactly what was handed down (SEND-005).
#pragma once

#include <array>
#include <cstdint>
#include <map>
#include <memory>
#include <string>
#include <vector>

#include "oracle/crypto/crypto_library.h"
#include "oracle/crypto/hmac.h"
#include "oracle/esp/ah_transform.h"
#include "oracle/esp/esp_transform.h"
#include "oracle/esp/ip_packet.h"
#include "oracle/esp/iv_history.h"
#include "oracle/ndis/model.h"
#include "oracle/sa/sa_table.h"

namespace cts::esp {

struct SendJudgement {
  bool pass = true;
  bool critical = false;               // GCM/GMAC IV reuse
  std::vector<std::string> findings;   // one readable line per problem, empty when pass
};

class SendJudge {
 public:
  // `table` is the oracle's SA table (keys, current ESN high halves); it must outlive the judge.
  // lib null = CryptoLibrary::shared(). Construction fails (nullptr) without a crypto library.
  static std::unique_ptr<SendJudge> create(const sa::SaTable& table,
                                           const crypto::CryptoLibrary* lib = nullptr);

  // `framed`: the Ethernet frame handed to the device; `oob`: its send OOB; `wire`: the frame the
  // device sent (one frame; no LSO).
  SendJudgement judge(ConstBytes framed, const ndis::SendOob& oob, ConstBytes wire);

  // Distinct (key, IV) pairs recorded so far.
  size_t ivs_recorded() const;

 private:
  struct Keyed {
    uint64_t serial = 0;  // the bundle these transforms were keyed for
    std::array<std::unique_ptr<EspTransform>, 2> esp;
    std::array<std::unique_ptr<AhTransform>, 2> ah;
    std::array<std::array<uint8_t, 32>, 2> key_id{};  // fingerprint of each SA's key
  };
  using Fingerprint = std::array<uint8_t, 32>;

  SendJudge(const sa::SaTable& table, const crypto::CryptoLibrary& lib) : table_(table), lib_(lib) {}
  Keyed* keyed_for(const sa::StoredBundle& bundle, std::string& error);
  void judge_level(MutableBytes datagram, uint32_t datagram_base, const sa::StoredBundle& bundle,
                   std::vector<uint8_t>& may_differ, SendJudgement& out, uint32_t& inner_offset);
  void record_iv(const Fingerprint& key, bool nonce_critical, ConstBytes iv, uint64_t sequence,
                 const char* what, SendJudgement& out);

  const sa::SaTable& table_;
  const crypto::CryptoLibrary& lib_;
  std::unique_ptr<crypto::Hmac> fingerprint_;
  std::map<sa::Handle, Keyed> keyed_;
  std::map<Fingerprint, IvHistory> ivs_;
};

}  // namespace cts::esp
