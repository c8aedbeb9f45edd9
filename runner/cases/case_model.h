// The case model: what a case file says, after loading and validation (case_loader.h).
//
// A case file groups related cases of one area. Each case has a stable hierarchical id
// ("addsa.capacity.fill_then_overflow"), a comment, flags explained in the file's notes table,
// the requirement IDs it traces (cases/requirements.json), the capabilities it needs, and steps.
// Steps drive the device and the oracle identically; expectations come from the specification.
//
// Numbers that depend on the run (capacities, loop indexes) are Expr; labels and addresses that
// vary inside a loop are StringTemplate. Every element remembers the JSON path it came from, so
// the runner can name "steps[3].sas[1]" in a verdict.
#pragma once

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <variant>
#include <vector>

#include "oracle/esp/packet_verdict.h"
#include "oracle/ndis/constants.h"
#include "runner/cases/expression.h"

namespace cts::cases {

// ---- Closed sets of values (one name table each: case_names.h) ---------------------------------

// Damage a receive step applies to the protected frame; `clear` sends the inner packet unprotected;
// `pad_bytes` has the peer write padding octets that are not 1, 2, 3, ... under a valid ICV
// (PAD-004, OQ-CTS-2); `esp_icv`, on an [ESP, AH] bundle, damages the ESP ICV before the peer
// computes AH, so only the inner ESP fails. On a UDP-ESP bundle, `udp_ike` replaces the ESP packet by IKE behind the
// non-ESP marker (UDP-002) and `udp_keepalive` by a NAT-keepalive octet 0xFF (UDPENC-005), both on
// port 4500. `fragment` delivers only the first fragment of the protected datagram (RECV-017).
enum class Corruption {
  none, icv, payload, spi, dst, truncate, esp_header_only, clear, pad_bytes, esp_icv, udp_ike,
  udp_keepalive, fragment
};

// What the indicated frame of a receive must be: the original plaintext in place of the
// ciphertext (OQ-15 in-place form), or exactly the frame given to the device.
enum class ReceivedFrame { decrypted, unchanged };

// The wire verdict a send expects is the send judge's own enum (oracle/esp/packet_verdict.h):
// protected (opens under the SA to the inner packet with the expected SPI/sequence/high half),
// clear (sent without IPsec processing), none (nothing on the wire). "corrupt" is what a judge
// finds, never what a case expects, so the case language's table leaves it out.
using SendVerdict = esp::PacketVerdict;

// The booleans of NDIS_IPSEC_OFFLOAD_V2 a query step can expect.
enum class CapabilityFlag {
  ipv6_supported, ipv4_options, ipv6_non_ipsec_extension_headers, ah, esp, ah_esp_combined,
  transport, tunnel, transport_tunnel_combined, lso_supported, extended_sequence_numbers
};

// NDIS_ENCAPSULATION_* bits a query step can expect in the capabilities' Encapsulation mask.
enum class Encapsulation : uint32_t {
  ieee_802_3 = ndis::NDIS_ENCAPSULATION_IEEE_802_3,
  null = ndis::NDIS_ENCAPSULATION_NULL,
  ieee_802_3_p_and_q = ndis::NDIS_ENCAPSULATION_IEEE_802_3_P_AND_Q,
  ieee_802_3_p_and_q_in_oob = ndis::NDIS_ENCAPSULATION_IEEE_802_3_P_AND_Q_IN_OOB,
  ieee_llc_snap_routed = ndis::NDIS_ENCAPSULATION_IEEE_LLC_SNAP_ROUTED,
};

// What a capability token of a case's `capabilities` names (capability_tokens.h).
enum class CapabilityKind {
  esp, ah, ah_esp_combined, esn, ipv6, ipv4_options, ipv6_extension_headers, transport, tunnel,
  transport_tunnel_combined, lso, udp_esp_transport, udp_esp_tunnel, udp_esp_transport_over_udp_tunnel,
  udp_esp_udp_transport_over_tunnel, add_sa, add_sa_ex, dump, request_sa_delete, inbound_pool,
  outbound_pool, dest_address_pool,
  encryption,      // enc:<NAME>: an encryption algorithm bit
  authentication,  // auth:<NAME>: an authentication algorithm bit
};

struct CapabilityToken {
  bool negated = false;
  CapabilityKind kind = CapabilityKind::esp;
  uint32_t algorithm = 0;  // encryption / authentication: the identifier bit
  std::string text;        // as written in the case ("enc:AES_GCM_192", "!esn")
};

// ---- SA bundles (the logical fields of one ADD_SA / ADD_SA_EX element) --------------------------

struct SecAssocDef {              // one IPSEC_OFFLOAD_V2_SECURITY_ASSOCIATION
  uint32_t operation = 2;         // IPsecOffloadV2Esp / IPsecOffloadV2Ah
  Expr spi;
  uint32_t encryption = 0;        // single NDIS identifier, 0 = not used (OQ-08)
  uint32_t authentication = 0;    // single identifier, 0 = not used
  std::optional<Expr> encryption_key_length;      // default: the algorithm's (OQ-07 salt per device)
  std::optional<Expr> authentication_key_length;  // default: the algorithm's
  std::optional<Expr> icv_length;                 // GCM AdditionalInfo (ADD-022); default 16
  bool esn = false;               // IPSEC_OFFLOAD_V2_ESN_SA
  Expr seq_high;                  // SequenceNumberHighOrder (ADD-023)
};

// Where the keys lie in the element's key block (ADD-017/018, ADDEX-006/007): by default the
// block starts right after the structure and holds each SA's encryption key, then its
// authentication key, with nothing between. `key_offset` (ADD_SA_EX only) moves the block
// (KeyOffset, from the start of the structure); `authentication_first` swaps the two keys of
// each SA; `lead`, `gap` and `tail` put that many filler octets before the first key, between
// keys and after the last one. Every such block is valid: the keys are found through
// KeyOffsetBytes / KeyLength alone.
struct KeyBlockDef {
  std::optional<Expr> key_offset;
  bool authentication_first = false;
  Expr lead = Expr::constant(0);
  Expr gap = Expr::constant(0);
  Expr tail = Expr::constant(0);
};

struct BundleDef {
  std::string path;               // JSON path, for messages
  StringTemplate label;           // names the bundle for later steps ("handle of label X")
  bool inbound = false;
  int ip_version = 4;
  StringTemplate src;             // empty text = default for the direction and IP version
  StringTemplate dst;
  uint32_t udp_esp = 0;           // UdpEspEncapsulation
  std::vector<SecAssocDef> sas;   // ESP first, then AH (ADD-011); 1 or 2 entries
  KeyBlockDef key_block;
  // "vector_sa": the bundle is one ESP SA whose SPI, suite, keys, endpoints, ESN flag and high
  // half come from SA `vector_sa_id` of the committed vector `vector` (its sidecar); then `sas`,
  // `ip`, `src`, `dst` and `udp_esp` are not written in the case.
  std::string vector;
  std::string vector_sa_id;
};

// ---- Handles ---------------------------------------------------------------------------------------

struct HandleRef {
  enum class Kind { label, null, bogus, raw } kind = Kind::label;
  StringTemplate label;  // Kind::label: the handle the device returned for this label
  uint64_t raw = 0;      // Kind::raw
  std::string text;      // as written, for messages
};

// ---- Raw edits of an encoded OID buffer ------------------------------------------------------------

struct RawEdit {
  enum class Kind { field, bytes, truncate, next } kind = Kind::field;
  std::string path;
  uint32_t element = 0;       // list element the field / next edit applies to
  std::string field;          // Kind::field: ndis.h field path ("SecAssoc[0].Operation", "Header.Size")
  Expr value;                 // Kind::field: the new value (little-endian, field width)
  Expr offset;                // Kind::bytes: absolute byte offset in the buffer
  std::vector<uint8_t> bytes; // Kind::bytes
  Expr length;                // Kind::truncate: new InformationBufferLength (variable `length`)
  enum class NextTarget { loop, outside, element } next = NextTarget::loop;  // Kind::next
  uint32_t next_element = 0;  // NextTarget::element
};

// ---- Expectations ------------------------------------------------------------------------------------

// One acceptable status: an exact NDIS_STATUS, or a class (any success / any NT_ERROR failure).
struct StatusAlternative {
  enum class Kind { exact, success, failure } kind = Kind::exact;
  uint32_t value = 0;
};
struct StatusExpect {  // satisfied by any alternative (OQ-03, OQ-04)
  std::vector<StatusAlternative> any_of;
  std::string text;
};

// The open questions (docs/decisions.md) that let an expectation list alternatives. A list of
// more than one alternative (status, completion, crypto_status) must cite one: the references
// leave that choice to the device. When the device takes an alternative other than the oracle's
// documented choice, the case is ACCEPTABLE, naming the question and the alternative.
struct OpenQuestion {
  std::vector<std::string> ids;  // "OQ-03"
  std::string alternative;       // the case's words for the device's departure (optional)
  bool empty() const { return ids.empty(); }
  std::string text() const {
    std::string s;
    for (const auto& id : ids) s += (s.empty() ? "" : ", ") + id;
    return s;
  }
};

struct HandleExpect {
  enum class Kind { null, non_null, same_as, not_same_as } kind = Kind::non_null;
  StringTemplate label;
};

struct TableExpect {
  std::optional<Expr> bundles, inbound, outbound;
  std::vector<StringTemplate> present, absent;
};

struct OidExpect {
  std::optional<StatusExpect> status;
  std::vector<HandleExpect> handles;  // per element (ADD_SA list order)
  std::optional<TableExpect> table;
  // ADD steps for a feature a conforming device may lack (an open question's alternative, such
  // as OQ-28 wildcards): when the device refuses the whole request cleanly (failure status,
  // every handle NULL) while the oracle accepts it, the case ends NOT_APPLICABLE with this
  // reason instead of FAIL. Empty: a refusal is judged like any other answer.
  std::string optional_feature;
  OpenQuestion open_question;
};

struct ReceiveExpect {
  std::optional<bool> indicated;
  std::optional<bool> crypto_done;
  std::optional<bool> next_crypto_done;
  std::optional<bool> sa_delete_req;
  std::optional<std::vector<uint16_t>> crypto_status;  // acceptable values (OQ-CTS-1: {3, 5})
  std::optional<bool> header_info_set;
  std::optional<Expr> next_header;
  std::optional<Expr> pad_length;
  std::optional<ReceivedFrame> frame;
  std::optional<TableExpect> table;
  OpenQuestion open_question;
};

struct SendExpect {
  std::optional<StatusExpect> completion;
  std::optional<SendVerdict> verdict;
  std::optional<Expr> seq_high;       // the ESN high half the ICV must have used (SEND-017)
  std::optional<std::vector<uint8_t>> wire;  // exact wire bytes (deterministic constructions only)
  std::optional<TableExpect> table;
  OpenQuestion open_question;
};

struct QueryExpect {
  std::map<CapabilityFlag, bool> flags;         // "tunnel": true, ...
  std::vector<Encapsulation> encapsulation_includes;  // "IEEE_802_3"
  bool masks_defined_only = false;              // CAP-012 / CAP-013
  std::optional<Expr> min_capacity;             // SaOffloadCapacity >= this (CAP-010)
};

// ---- Steps -----------------------------------------------------------------------------------------

enum class OidKind { add_sa, add_sa_ex, delete_sa, update_sa };

enum class HeaderSize { documented, sizeof_struct };  // OQ-01 variants

struct OidStep {
  OidKind oid = OidKind::add_sa;
  bool x86 = false;                    // encode-only check against the oracle (device ABI is x64)
  HeaderSize header_size = HeaderSize::documented;
  std::vector<BundleDef> sas;          // ADD_SA (list) / ADD_SA_EX (exactly one)
  std::vector<HandleRef> handles;      // DELETE_SA (list)
  HandleRef handle;                    // UPDATE_SA
  uint32_t operation = 2;              // UPDATE_SA Operation
  std::optional<Expr> spi;             // UPDATE_SA Spi (default: that of the SA selected)
  Expr seq_high;                       // UPDATE_SA SequenceNumberHighOrder
  std::vector<RawEdit> edits;
  OidExpect expect;
};

// The inner packet a send or receive carries.
struct PacketDef {
  std::optional<int> ip_version;       // default: the SA's
  StringTemplate src, dst;             // default: the SA's endpoints
  uint8_t protocol = 17;               // upper-layer protocol (transport) / inner payload protocol
  Expr payload_size = Expr::constant(64);
  enum class Pattern { counter, zero, ones, random } pattern = Pattern::counter;
  bool tunnel = false;                 // tunnel mode: the inner packet is a whole IP datagram
  std::optional<int> inner_ip_version; // tunnel: inner IP version (default: outer)
  std::string vector;                  // a named pcap vector instead of a description
  uint64_t vector_packet = 0;          // zero-based record of `vector` (receive steps)
  // ESP trailer shape (RFC 4303 2.4, 2.7). `pad_length`: the Pad Length the packet carries (the
  // transport frames it on send, the peer writes it on receive); it must be at least the
  // suite's minimum and differ from it by a multiple of the suite's padding modulus, the engine
  // says which when it does not. `pad_max`: the largest such value <= 255. Neither: minimal.
  std::optional<Expr> pad_length;
  bool pad_max = false;
  // TFC padding octets (zeros) after the payload, before the padding (RFC 4303 2.7). Only for
  // payloads that carry their own length: tunnel mode, or UDP in transport mode (TFC-003).
  std::optional<Expr> tfc;
  // UDP-ESP bundles (RFC 3948): whether the UDP checksum in front of ESP is computed ("computed")
  // or zero ("zero"). Default: zero over IPv4 (UDPENC-002), computed over IPv6 (OQ-ESP-1). On
  // send the transport frames it and the NIC must refresh or zero it; on receive the peer sends it.
  std::optional<bool> udp_checksum;
  // IP header shapes (RECV-005, SEND-016, MODE-005) of the packet ESP protects (transport mode:
  // the outer header the NIC parses; tunnel mode: the inner datagram). `ipv4_options`: octets of
  // options (`ipv4_option` first, then No Operation; a multiple of 4 up to 40); `ipv4_option`:
  // Router Alert (RFC 2113, one a NIC knows) or the RFC 4727 experimental option 158 with non-zero
  // data (one no NIC knows: AH zeroes it whole by its length octet, AH-026). `ipv6_ext`: extension
  // headers in wire order, by protocol number: 0 Hop-by-Hop, 43 Routing, 60 Destination Options,
  // 44 Fragment. ESP goes after the headers a router or the destination must see (RFC 4303
  // 3.1.1). `fragment`: the packet is the first or the last fragment of a larger datagram.
  std::optional<Expr> ipv4_options;
  enum class Ipv4Option { router_alert, experimental } ipv4_option = Ipv4Option::router_alert;
  std::vector<uint8_t> ipv6_ext;
  enum class Fragment { none, first, last } fragment = Fragment::none;
};

// Large send offload over IPsec (SEND-007, SEND-011..013): the packet is one large TCP packet
// the NIC cuts into segments of `mss` payload octets, each with its own ESP sequence number
// (OQ-17), trailer and ICV; the NET_BUFFER ends with `discard` octets of padding the header
// OOB's PadLength announces and the NIC drops (SEND-012).
struct LsoDef {
  Expr mss;
  Expr discard = Expr::constant(0);
};

struct SendStep {
  StringTemplate sa;                   // outbound bundle whose SPI/keys frame the packet
  std::optional<HandleRef> handle;     // OOB OffloadHandle; default: handle of `sa`
  std::optional<Expr> seq;             // ESP sequence number (low 32 bits); default: next
  Expr count = Expr::constant(1);      // consecutive packets (seq, seq+1, ...); LSO: sends
  std::optional<LsoDef> lso;           // an LSO send (transport-mode TCP only)
  PacketDef packet;
  SendExpect expect;
};

struct ReceiveStep {
  StringTemplate sa;                   // inbound bundle the peer protects with (SPI, keys)
  std::optional<Expr> seq;             // default: next
  std::optional<Expr> seq_high;        // high half the sender used (default: the SA's current)
  Expr count = Expr::constant(1);
  PacketDef packet;
  Corruption corrupt = Corruption::none;
  ReceiveExpect expect;
};

struct QueryStep {
  QueryExpect expect;
};

struct RequestDeleteStep {
  StringTemplate sa;                   // inbound bundle whose SPI the device is asked to flag
};

struct TableStep {
  TableExpect expect;
};

// Proves from traffic alone whether the device holds a bundle (black box: no dump needed).
// Inbound: a packet the peer protects with the bundle's keys must come back verified and
// decrypted (live) or untouched without CryptoDone (dead, RECV-004). Outbound: a send with the
// device's handle must be protected (live) or completed with a failure status and nothing on
// the wire (dead: the handle was deleted, SEND-006 / DEL-009); a bundle the device never gave a
// handle has nothing to send with, and is probed by the OID answers alone.
// "as_reported": what the device's own answers said (live iff it returned a handle, the request
// succeeded and no DELETE_SA named it since), for lists where the specification lets the device
// choose the outcome (OQ-03).
struct ProbeStep {
  StringTemplate sa;
  enum class Expect { live, dead, as_reported } expect = Expect::as_reported;
};

struct Step;

struct RepeatStep {
  std::string var = "i";
  Expr from = Expr::constant(0);
  Expr to;                             // exclusive
  std::vector<Step> steps;
};

struct Step {
  std::string path;                    // "steps[3]" (JSON path inside the case)
  std::string comment;
  std::variant<OidStep, SendStep, ReceiveStep, QueryStep, RequestDeleteStep, TableStep, RepeatStep, ProbeStep>
      body;
};

// ---- Cases and files -------------------------------------------------------------------------------

struct Case {
  std::string id;
  std::string comment;
  std::vector<std::string> flags;
  std::vector<std::string> requirements;
  std::vector<CapabilityToken> capabilities;  // capability_tokens.h
  std::vector<Step> steps;
  std::string file;                       // the file it came from
  size_t index = 0;                       // position in the file's "cases" array
};

struct FlagNote {
  std::string bug_class;
  std::string checks;
  std::string impact;
  std::vector<std::string> requirements;
};

struct CaseFile {
  std::string path;
  std::string area;
  std::string description;
  std::map<std::string, FlagNote> notes;
  std::vector<Case> cases;
  std::string sha256;  // of the file bytes, for run metadata
};

}  // namespace cts::cases
