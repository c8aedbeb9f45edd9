// Per-packet outcome classes of the ESP datapath (AUDIT-002), plus the
// few caller/environment errors an API call can return. Every class is distinct so a conformance
// report can say exactly why a packet was refused.
#pragma once

#include <cstdint>
#include <string_view>

namespace cts::esp {

enum class EspVerdict : uint8_t {
  ok = 0,           // processed (inbound: authenticated, decrypted, trailer valid; outbound: built)
  unknown_spi,      // UNKNOWN_SPI: no SA for the SPI (RFC 4303 §3.4.2; ESP-010)
  fragment,         // FRAGMENT: still a fragment when offered to ESP (§3.4.1; ESP-009)
  truncated,        // TRUNCATED / MALFORMED_LENGTH: too short, CBC body not whole blocks, or the
                    // pre-ICV part not 4-octet aligned (§2.4; derived)
  replay,           // REPLAY: duplicate inside the window (§3.4.3)
  outside_window,   // OUT_OF_WINDOW: left of the window, or sequence number 0 (§3.4.3; SEQ-007)
  bad_icv,          // BAD_ICV: ICV / tag mismatch, including a wrong ESN high half (§3.4.4)
  bad_padding,      // MALFORMED_PADDING: Pad Length too large or pad bytes not 1,2,3.. (§2.4)
  dummy,            // DUMMY: Next Header 59 after a good ICV; dropped silently, not an error (§2.6)
  seq_overflow,     // SEQ_OVERFLOW (sender): the next packet would cycle the counter (§3.3.3)
  policy_mismatch,  // POLICY_MISMATCH: inner packet outside the SA selectors (RFC 4301 §5.2)
  udp_keepalive,    // UDP_KEEPALIVE: single 0xFF on port 4500 (RFC 3948 §2.3); not an error
  ike,              // IKE_ON_4500: non-ESP marker, handed to IKE (RFC 3948 §2.2); not an error
  // Caller / environment errors (not packet classes):
  invalid_argument,  // bad SA configuration or call arguments (detail names the field)
  buffer_too_small,  // the output buffer cannot hold the result
  crypto_error,      // OpenSSL failed or an algorithm is unavailable (detail names the step)
};
inline constexpr int kEspVerdictCount = 16;

// Printable name as in the spec's §13 table: "OK", "UNKNOWN_SPI", "FRAGMENT", "TRUNCATED",
// "REPLAY", "OUT_OF_WINDOW", "BAD_ICV", "MALFORMED_PADDING", "DUMMY", "SEQ_OVERFLOW",
// "POLICY_MISMATCH", "UDP_KEEPALIVE", "IKE_ON_4500", "INVALID_ARGUMENT", "BUFFER_TOO_SMALL",
// "CRYPTO_ERROR".
std::string_view verdict_name(EspVerdict v);
// Accepts the printable name or the enumerator spelling ("outside_window"); false if unknown.
bool verdict_from_name(std::string_view name, EspVerdict& out);

// True for the classes that are auditable failures (everything except ok, dummy, udp_keepalive,
// ike). A dummy packet is dropped but is not an error (DUMMY-002).
constexpr bool is_error(EspVerdict v) {
  return v != EspVerdict::ok && v != EspVerdict::dummy && v != EspVerdict::udp_keepalive &&
         v != EspVerdict::ike;
}

// A verdict with a static string naming the step or field ("ESP inbound: ICV mismatch").
struct EspStatus {
  EspVerdict verdict = EspVerdict::ok;
  const char* detail = "";

  constexpr bool ok() const { return verdict == EspVerdict::ok; }
  static constexpr EspStatus success() { return {}; }
  static constexpr EspStatus fail(EspVerdict v, const char* why) { return {v, why}; }
};

}  // namespace cts::esp
