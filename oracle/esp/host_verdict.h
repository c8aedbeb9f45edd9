// Per-packet outcome classes of the whole-packet host (esp_host.h) and of AH: the ESP classes of
// the ESP receiver classes (EspVerdict, verdict.h) plus the AH and IP-level classes that
// ESP alone does not need. Every class is distinct so a report can say exactly why a packet was
// refused; each carries a static detail string naming the field or step.
#pragma once

#include <cstdint>
#include <string_view>

#include "oracle/esp/ip_packet.h"
#include "oracle/esp/verdict.h"

namespace cts::esp {

enum class HostVerdict : uint8_t {
  ok = 0,
  unknown_spi,        // UNKNOWN_SPI (RFC 4303 §3.4.2, RFC 4302 §3.4.2)
  fragment,           // FRAGMENT (§3.4.1 of both)
  truncated,          // TRUNCATED: a header or length field points past the end of the buffer;
                      // ESP shorter than header+IV+trailer+ICV, CBC body not whole blocks
  malformed_length,   // MALFORMED_LENGTH: AH Payload Len inconsistent with the SA or past the
                      // datagram (RFC 4302 §3.4)
  malformed_header,   // IP header syntax: version, IHL < 5, Total Length < IHL*4, Hop-by-Hop not
                      // first, extension chain too long (derived)
  bad_option,         // BAD_OPTION: IPv4 option / IPv6 TLV with an impossible length
  unsupported_header, // UNSUPPORTED_HEADER: RH type != 0 or Home Address before AH (OQ-AH-8),
                      // jumbogram, a second VLAN tag
  not_ipsec,          // NOT_IPSEC: no ESP/AH where the packet was expected to carry it (bypass)
  replay,             // REPLAY
  outside_window,     // OUT_OF_WINDOW
  bad_icv,            // BAD_ICV
  bad_padding,        // MALFORMED_PADDING
  dummy,              // DUMMY: not an error, dropped silently (DUMMY-002)
  seq_overflow,       // SEQ_OVERFLOW (sender)
  policy_mismatch,    // POLICY_MISMATCH (RFC 4301 §5.2)
  udp_keepalive,      // UDP_KEEPALIVE: not an error
  ike,                // IKE_ON_4500: not an error; the datagram goes to IKE
  invalid_argument,   // caller error (detail names the field)
  buffer_too_small,
  crypto_error,
};
inline constexpr int kHostVerdictCount = 21;

// "OK", "UNKNOWN_SPI", ..., "MALFORMED_LENGTH", "MALFORMED_HEADER", "BAD_OPTION",
// "UNSUPPORTED_HEADER", "NOT_IPSEC", ... (the AUDIT-002 class names).
std::string_view host_verdict_name(HostVerdict v);
bool host_verdict_from_name(std::string_view name, HostVerdict& out);

constexpr bool is_error(HostVerdict v) {
  return v != HostVerdict::ok && v != HostVerdict::dummy && v != HostVerdict::udp_keepalive &&
         v != HostVerdict::ike;
}

struct HostStatus {
  HostVerdict verdict = HostVerdict::ok;
  const char* detail = "";
  uint32_t offset = 0;  // octet of the packet the failure points at, where that is meaningful

  constexpr bool ok() const { return verdict == HostVerdict::ok; }
  static constexpr HostStatus success() { return {}; }
  static constexpr HostStatus fail(HostVerdict v, const char* why, uint32_t at = 0) {
    return {v, why, at};
  }
};

HostVerdict to_host_verdict(EspVerdict v);
inline HostStatus to_host_status(const EspStatus& s) { return {to_host_verdict(s.verdict), s.detail, 0}; }
// IP-level parse failures: kTruncated -> truncated, kBadOption -> bad_option,
// kUnsupportedHeader -> unsupported_header, everything else -> malformed_header.
HostStatus to_host_status(const ParseStatus& s);

}  // namespace cts::esp
