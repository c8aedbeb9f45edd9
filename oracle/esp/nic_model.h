// The IPsecOV2 NIC as the oracle models it (OQ-14..17, OQ-24, OQ-26; OQ-AH-1..9):
// what a conforming miniport puts on the wire for a framed send, and what it indicates, with which
// OOB words, for a received frame.
//
// Division of labour (SEND-010): the transport frames every packet — IP/AH/ESP/UDP headers, SPI,
// the low 32 bits of the sequence number, ESP padding and trailer (non-LSO), and placeholder room
// for the IV and ICV (OQ-16). The NIC generates the IV, encrypts, and writes the ICV computed with
// the SA's current ESN high half (SEND-017). On receive it finds the SA by SPI and destination
// (RECV-003, ADD-015), verifies the ICV with the SA's current high half (OQ-26, no inference),
// decrypts in place (OQ-15) and reports CryptoDone / NextCryptoDone / CryptoStatus; it never drops
// for replay (RECV-015) and indicates every frame (RECV-012).
//
// Per-SA transforms are keyed once when the bundle is added (SaTableListener) and dropped with it;
// send and receive work in place on the caller's frame and allocate nothing.
//
// Choices the documents leave open, each implemented as stated and cited where it applies:
//  * IVs (OQ-16, OQ-AH-1): GCM/GMAC use the 64-bit sequence number, big-endian (unique per key as
//    long as the transport never repeats a sequence number); CBC IVs come from a DRBG seeded with
//    NicOptions::iv_seed (unpredictable, yet the same seed replays the same run).
//  * Level of a failing portion (CryptoStatus 2/3 versus 4/5): in a packet with two IPsec levels
//    the outer is the tunnel portion and the inner the transport portion; with one level it is the
//    tunnel portion when the SA's UdpEspEncapsulation names a tunnel, or when AH's Next Header /
//    the decrypted ESP Next Header is an IP packet (4, 41); an ESP packet whose ICV fails cannot be
//    looked into and counts as transport (no document says how a v2 NIC would know the mode).
//  * A frame that matches an SA but not its shape (AH-only SA, ESP packet; [ESP, AH] SA without AH;
//    UDP encapsulation disagreeing with the SA's type) is CryptoDone = 1, CRYPTO_INVALID_PROTOCOL.
//  * Lengths that cannot hold the SA's fields, bad ESP padding after a good ICV, an AH whose length
//    disagrees with the SA: CryptoDone = 1, CRYPTO_INVALID_PACKET_SYNTAX (OQ-AH-9).
//  * Header OOB receive view (OQ-15): set (HeaderInfoSet = 1) when an ESP payload was decrypted and
//    its trailer parsed — the innermost such ESP when there are two levels; AH-only leaves it 0.
//  * Send with OOB header offsets (SEND-003): the NIC locates AH/ESP by parsing the frame; non-zero
//    offsets must agree with it (single-level packets), otherwise the NBL fails.
#pragma once

#include <array>
#include <cstddef>
#include <cstdint>
#include <functional>
#include <memory>
#include <vector>

#include "oracle/crypto/crypto_library.h"
#include "oracle/crypto/random_source.h"
#include "oracle/esp/ah_transform.h"
#include "oracle/esp/esp_transform.h"
#include "oracle/esp/ip_packet.h"
#include "oracle/ndis/model.h"
#include "oracle/sa/device_profile.h"
#include "oracle/sa/sa_table.h"

namespace cts::esp {

struct NicOptions {
  uint64_t iv_seed = 0x637473u;  // seeds the CBC IV DRBG (same seed, same run)
};

// A test or harness may impose IVs (e.g. to reproduce a known-answer vector byte for byte): called
// with the SA's SPI, the full 64-bit sequence number and the IV field to fill; return true when it
// filled it, false to let the NIC's own policy choose.
using IvOverride = std::function<bool(uint32_t spi, uint64_t sequence, MutableBytes iv)>;

struct NicSendOutcome {
  ndis::NdisStatus completion_status = ndis::NDIS_STATUS_SUCCESS;  // NBL completion (SEND-006)
  bool ipsec_applied = false;  // false: sent as handed down (zero handle, SEND-005 / SEND-004)
  size_t frame_count = 0;      // frames produced (1 without LSO)
  const char* note = "";       // why, for evidence
};

struct NicReceiveOutcome {
  ndis::ReceiveOob oob;   // slot 1 and slot 12 receive views (whole words written, OQ-24)
  bool processed = false; // the NIC did IPsec work on the frame (CryptoDone)
  const char* note = "";
};

// Where segments of an LSO send go: the model writes segment i into the buffer returned by
// `next(size)` (nullptr: out of room) — callers own all memory.
class SegmentSink {
 public:
  virtual MutableBytes next(size_t size) = 0;

 protected:
  ~SegmentSink() = default;
};

class NicModel final : public sa::SaTableListener {
 public:
  // Attaches to `table` as its listener (keying transforms for bundles already present). `lib`
  // null = CryptoLibrary::shared(). Errors come back through `status` (crypto_error: no library /
  // DRBG); the model is then unusable.
  static std::unique_ptr<NicModel> create(sa::SaTable& table,
                                          const ndis::IpsecOffloadV2Capabilities& caps,
                                          const NicOptions& options, EspStatus& status,
                                          const crypto::CryptoLibrary* lib = nullptr);
  ~NicModel() override;
  NicModel(const NicModel&) = delete;
  NicModel& operator=(const NicModel&) = delete;

  // SEND-004 / RECV-002: with offload not configured, frames pass unprocessed.
  void set_offload_enabled(bool enabled) { enabled_ = enabled; }
  bool offload_enabled() const { return enabled_; }
  void set_iv_override(IvOverride override) { iv_override_ = std::move(override); }
  // Re-seeds the CBC IV DRBG (reset of the facade).
  EspStatus reseed(uint64_t seed);

  // One NBL without LSO, in place: `frame` is the Ethernet frame as the transport framed it; on
  // success it is the wire frame (same length).
  NicSendOutcome send(MutableBytes frame, const ndis::SendOob& oob);
  // One NBL with LSO (oob.lso_mss != 0, SEND-007/011..013): `frame` is the large TCP packet with
  // the ESP header and IV room framed but no trailer (SEND-011), possibly ending with PadLength
  // (header OOB) bytes the NIC discards (SEND-012). Per segment the NIC rewrites IP lengths (and
  // the IPv4 Identification, + i), the TCP sequence number, flags and checksum, builds fresh
  // padding and trailer (Next Header from the header OOB, SEND-013), and encrypts; the ESP
  // sequence number of segment i is the template's + i (OQ-17), the 64-bit number on an ESN SA, so a
  // send that passes 2^32 protects the later segments with the next high half (OQ-CTS-3). Segments
  // go through `sink`.
  // Modelled: ESP transport mode over IPv4 (options allowed) or IPv6 without extension headers;
  // other shapes (AH, UDP-ESP, zero handle) complete with NDIS_STATUS_FAILURE and a note.
  NicSendOutcome send_lso(ConstBytes frame, const ndis::SendOob& oob, SegmentSink& sink);

  // One received frame, in place (decrypted payload replaces the ciphertext, OQ-15).
  NicReceiveOutcome receive(MutableBytes frame);

  // SaTableListener: transforms keyed once per SA.
  bool on_bundle_adding(const sa::StoredBundle& bundle, std::string& refusal_reason) override;
  void on_bundle_removed(const sa::StoredBundle& bundle) override;

 private:
  struct SaContext {
    std::unique_ptr<EspTransform> esp;
    std::unique_ptr<AhTransform> ah;
  };
  struct SlotContexts {
    std::array<SaContext, 2> sa;
  };
  NicModel(sa::SaTable& table, const ndis::IpsecOffloadV2Capabilities& caps,
           const crypto::CryptoLibrary& lib);
  // The bundle's per-SA contexts. ESP transforms are keyed here on the bundle's first packet, not
  // at ADD (on_bundle_adding only checks that they can be), so a table filled to a million
  // bundles holds keys, not a million key schedules.
  SlotContexts& contexts(const sa::StoredBundle& bundle);

  // Send helpers (nic_send.cpp).
  const char* seal_level(MutableBytes datagram, const sa::StoredBundle& bundle, bool check_oob,
                         uint32_t header_info);
  // `carry`: added to the SA's ESN high half for this packet only (an LSO segment whose sequence
  // number passed 2^32 within the send, OQ-CTS-3); the SA's stored high half does not move.
  const char* seal_esp(MutableBytes esp, const sa::StoredBundle& bundle, uint32_t sa_index, uint32_t carry = 0);
  const char* seal_ah(MutableBytes datagram, const IpLayout& layout, uint32_t ah_offset,
                      const sa::StoredBundle& bundle, uint32_t sa_index);

  // Receive helpers (nic_receive.cpp). Each processes one IPsec level of the datagram in place
  // and reports into `out`; `level_tunnel` says which CryptoStatus family applies.
  struct LevelResult {
    bool matched = false;      // an inbound SA claimed the level (CryptoDone)
    bool ok = false;           // every check of the level passed
    bool inner_ip = false;     // the protected payload is an IP packet (tunnel portion)
    uint32_t inner_offset = 0; // of that IP packet inside the datagram
    uint16_t status = 0;       // CryptoStatus for this level when !ok
    bool delete_requested = false;
    bool trailer_valid = false;
    uint8_t next_header = 0;
    uint8_t pad_length = 0;
    const char* note = "";
  };
  LevelResult open_level(MutableBytes datagram, bool outer_of_two);

  sa::SaTable& table_;
  ndis::IpsecOffloadV2Capabilities caps_;
  const crypto::CryptoLibrary& lib_;
  std::unique_ptr<crypto::SeededRandomSource> rng_;
  std::vector<SlotContexts> contexts_;  // index = bundle slot
  IvOverride iv_override_;
  bool enabled_ = true;
};

}  // namespace cts::esp
