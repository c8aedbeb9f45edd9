// The whole-packet IPsec host (RFC 4301/4303/4302/3948): turns plain IP datagrams into protected
// ones and back, the way a host stack would, on top of the ESP core (EspOutbound/EspInbound) and
// AH (AhOutbound/AhInbound). The runner uses it to build traffic for a device and to judge what a
// device sends; the NIC model (nic_model.h) reuses its pieces.
//
//   protect:   plain datagram -> [transport | tunnel] x [IPv4 | IPv6] x [ESP | AH | ESP+AH]
//              (+ RFC 3948 UDP encapsulation for ESP), IP header fix-ups included
//   unprotect: protected datagram -> verdict + restored datagram (transport: headers fixed up;
//              tunnel: the inner packet after the RFC 4301 decapsulation rules) + selector check
//
// SAs are unidirectional and added by parameters. Inbound lookup is by protocol and SPI, plus the
// destination address when the SA names one (an SA with a destination wins over a wildcard one,
// RFC 4303 §2.1 longest match). An [ESP, AH] bundle (NDIS ADD-011 order) is found by its AH SPI.
//
// Buffers: callers own them; protect/unprotect never allocate and never read or write outside the
// spans they are given, whatever the packet bytes. `packet` and `out` must not overlap.
#pragma once

#include <array>
#include <cstddef>
#include <cstdint>
#include <memory>
#include <optional>
#include <unordered_map>
#include <vector>

#include "oracle/crypto/crypto_library.h"
#include "oracle/crypto/random_source.h"
#include "oracle/esp/ah_inbound.h"
#include "oracle/esp/ah_outbound.h"
#include "oracle/esp/ah_sa.h"
#include "oracle/esp/esp_inbound.h"
#include "oracle/esp/esp_outbound.h"
#include "oracle/esp/esp_sa.h"
#include "oracle/esp/host_verdict.h"
#include "oracle/esp/ip_packet.h"
#include "oracle/esp/tunnel.h"
#include "oracle/esp/udp_encap.h"

namespace cts::esp {

enum class IpsecMode : uint8_t { transport, tunnel };

struct IpAddress {
  uint8_t version = 4;
  std::array<uint8_t, 16> bytes{};  // IPv4: first 4 octets

  static IpAddress v4(std::array<uint8_t, 4> a);
  static IpAddress v6(const std::array<uint8_t, 16>& a);
  friend bool operator==(const IpAddress&, const IpAddress&) = default;
};

// An address prefix; prefix_length 0 matches every address of the version.
struct IpPrefix {
  IpAddress address;
  uint8_t prefix_length = 0;
  bool contains(uint8_t version, ConstBytes addr) const;
};

// RFC 4301 §5.2 inbound policy check of the (inner, in tunnel mode) datagram's addresses.
struct TrafficSelectors {
  bool any = true;  // no check
  IpPrefix source;
  IpPrefix destination;
};

// What to do with the upper-layer checksum after UDP-encapsulated transport mode behind a NAT
// (RFC 3948 §3.1.2, UDPENC-007). `none` is right when no NAT rewrote the addresses.
enum class NatChecksumFix : uint8_t { none, recompute };

// One SA bundle in one direction. An SA carries ESP, AH, or both ([ESP, AH]: ESP applied first on
// send, AH verified first on receive, AH-064/065).
struct HostSaParams {
  IpsecMode mode = IpsecMode::transport;
  std::optional<EspSaConfig> esp;
  std::optional<AhSaConfig> ah;
  // RFC 3948 (ESP only; AH is never UDP-encapsulated, AH-075).
  bool udp_encap = false;
  UdpEncapConfig udp;
  NatChecksumFix nat_checksum_fix = NatChecksumFix::none;
  // Tunnel mode: outer header construction and decapsulation knobs.
  TunnelConfig tunnel;
  uint16_t first_ipv4_id = 1;  // outer IPv4 Identification counter start (tunnel mode)
  // Inbound: lookup key and policy.
  std::optional<IpAddress> destination;  // unset: any destination
  TrafficSelectors selectors;
};

using HostSaId = uint32_t;

struct ProtectOptions {
  const uint8_t* esp_iv = nullptr;                      // injected ESP IV (iv_size octets)
  std::optional<std::array<uint8_t, 8>> ah_gmac_iv;     // injected AH-GMAC IV
  std::optional<uint16_t> outer_ipv4_id;                // tunnel mode; default: the SA counter
  size_t tfc_length = 0;                                // ESP TFC padding (RFC 4303 §2.7)
  size_t extra_padding = 0;                             // ESP padding beyond the minimum
  bool malformed_padding = false;                       // test peer: pad octets not 1, 2, 3, ...
  bool damage_esp_icv = false;  // test peer: the ESP ICV's last bit flipped before AH covers it ([ESP, AH])
  bool dummy = false;        // ESP dummy packet (Next Header 59) of dummy_length random octets;
  size_t dummy_length = 0;   // the plain packet then only supplies addresses / traffic class
};

struct ProtectResult {
  HostStatus status;
  size_t length = 0;         // octets written to `out`
  uint64_t esp_sequence = 0;
  uint64_t ah_sequence = 0;
  uint32_t esp_offset = 0;   // of the ESP header in `out` (0 if none)
  uint32_t ah_offset = 0;    // of AH in `out` (0 if none)
};

enum class IpsecLayer : uint8_t { none, ip, udp, ah, esp, inner };

struct UnprotectResult {
  HostStatus status;
  IpsecLayer layer = IpsecLayer::none;  // where processing stopped (the failing layer on error)
  size_t length = 0;          // octets of the restored datagram in `out` (ok only)
  size_t offset = 0;          // where it starts in `out`: 0 except from unprotect_view()
  uint32_t spi = 0;           // SPI of the outermost IPsec header seen
  uint64_t esp_sequence = 0;  // authenticated numbers (ok / dummy)
  uint64_t ah_sequence = 0;
  uint8_t next_header = 0;    // the protected protocol (ESP / AH Next Header)
  IpsecMode mode = IpsecMode::transport;
  bool udp_encapsulated = false;
  bool ecn_ce_propagated = false;  // MODE-008 changed the inner header
  bool ah_over_padded = false;     // OQ-AH-4 form accepted
};

class EspHost {
 public:
  // `rng` (CBC IVs, dummy payloads) must outlive the host; nullptr = an OS-seeded source owned by
  // the host. `lib` nullptr = CryptoLibrary::shared().
  static HostStatus create(std::unique_ptr<EspHost>& out, crypto::RandomSource* rng = nullptr,
                           const crypto::CryptoLibrary* lib = nullptr);

  // Adds an outbound bundle; `id` names it for protect(). Errors: invalid_argument (no element,
  // AH with UDP encapsulation, bad tunnel endpoints, element config refused), crypto_error.
  HostStatus add_outbound(const HostSaParams& params, HostSaId& id);
  // Adds an inbound bundle, keyed by the outermost element's protocol and SPI (+ destination).
  // Errors: invalid_argument (also: the same key already present), crypto_error. A failed add
  // leaves the database unchanged.
  HostStatus add_inbound(const HostSaParams& params);
  bool remove_outbound(HostSaId id);
  bool remove_inbound(uint8_t protocol, uint32_t spi, const std::optional<IpAddress>& destination);
  size_t outbound_count() const;
  size_t inbound_count() const;

  // Protects the plain datagram `packet` (link padding after its length is ignored) with bundle
  // `id` into `out`. Errors: invalid_argument (unknown id, overlapping buffers, options),
  // truncated / malformed_header / bad_option / unsupported_header (the plain datagram does not
  // parse), fragment (transport mode on a fragment, MODE-005), buffer_too_small, seq_overflow,
  // crypto_error.
  ProtectResult protect(HostSaId id, ConstBytes packet, MutableBytes out,
                        const ProtectOptions& options = {});

  // Unprotects the datagram `packet` into `out` (needs packet-length octets). Verdicts, in
  // processing order: truncated / malformed_header / bad_option / unsupported_header (IP level),
  // fragment, not_ipsec (neither ESP, AH nor UDP to the encapsulation port), udp_keepalive, ike,
  // unknown_spi, malformed_length (AH), policy_mismatch (the packet's shape is not the bundle's:
  // ESP alone for an [ESP, AH] SA, AH Next Header not 50, UDP where none was negotiated or the
  // reverse, tunnel payload not an IP packet), replay, outside_window, bad_icv, bad_padding,
  // dummy (silent drop), policy_mismatch (selectors, RFC 4301 §5.2), crypto_error.
  UnprotectResult unprotect(ConstBytes packet, MutableBytes out);
  // The same, but a tunnel's inner datagram stays where decryption left it, at
  // out[offset, offset + length): a verifier that needs only the verdict saves moving it.
  UnprotectResult unprotect_view(ConstBytes packet, MutableBytes out);

  // Inbound state, for tests and reports.
  EspInbound* inbound_esp(uint8_t protocol, uint32_t spi, const std::optional<IpAddress>& dst = {});
  AhInbound* inbound_ah(uint32_t spi, const std::optional<IpAddress>& dst = {});

  ~EspHost();

 private:
  struct Outbound;
  struct Inbound;
  EspHost() = default;
  Inbound* lookup(uint8_t protocol, uint32_t spi, uint8_t version, ConstBytes dst);
  bool admit(ConstBytes packet, IpLayout& L, UnprotectResult& r);
  UnprotectResult unprotect_datagram(const IpLayout& L, MutableBytes d, UnprotectResult r);
  UnprotectResult unprotect_esp(Inbound& sa, MutableBytes out, uint32_t datagram_length,
                                uint32_t esp_offset, uint32_t header_end, uint32_t protocol_field,
                                UnprotectResult r);
  UnprotectResult finish_inner(Inbound& sa, MutableBytes out, uint32_t header_end,
                               uint32_t protocol_field, uint8_t next_header, uint32_t payload_offset,
                               uint32_t payload_length, uint8_t outer_tos, UnprotectResult r);

  const crypto::CryptoLibrary* lib_ = nullptr;
  crypto::RandomSource* rng_ = nullptr;
  std::unique_ptr<crypto::RandomSource> owned_rng_;
  std::vector<std::unique_ptr<Outbound>> outbound_;  // index = HostSaId; nullptr once removed
  std::unordered_multimap<uint64_t, std::unique_ptr<Inbound>> inbound_;  // key: protocol<<32|spi
};

}  // namespace cts::esp
