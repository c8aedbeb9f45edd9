#include "oracle/esp/verdict.h"

namespace cts::esp {

namespace {
struct VerdictNames {
  EspVerdict v;
  std::string_view printable;
  std::string_view enumerator;
};
constexpr VerdictNames kNames[] = {
    {EspVerdict::ok, "OK", "ok"},
    {EspVerdict::unknown_spi, "UNKNOWN_SPI", "unknown_spi"},
    {EspVerdict::fragment, "FRAGMENT", "fragment"},
    {EspVerdict::truncated, "TRUNCATED", "truncated"},
    {EspVerdict::replay, "REPLAY", "replay"},
    {EspVerdict::outside_window, "OUT_OF_WINDOW", "outside_window"},
    {EspVerdict::bad_icv, "BAD_ICV", "bad_icv"},
    {EspVerdict::bad_padding, "MALFORMED_PADDING", "bad_padding"},
    {EspVerdict::dummy, "DUMMY", "dummy"},
    {EspVerdict::seq_overflow, "SEQ_OVERFLOW", "seq_overflow"},
    {EspVerdict::policy_mismatch, "POLICY_MISMATCH", "policy_mismatch"},
    {EspVerdict::udp_keepalive, "UDP_KEEPALIVE", "udp_keepalive"},
    {EspVerdict::ike, "IKE_ON_4500", "ike"},
    {EspVerdict::invalid_argument, "INVALID_ARGUMENT", "invalid_argument"},
    {EspVerdict::buffer_too_small, "BUFFER_TOO_SMALL", "buffer_too_small"},
    {EspVerdict::crypto_error, "CRYPTO_ERROR", "crypto_error"},
};
static_assert(sizeof(kNames) / sizeof(kNames[0]) == kEspVerdictCount);
}  // namespace

std::string_view verdict_name(EspVerdict v) {
  for (const auto& n : kNames) {
    if (n.v == v) return n.printable;
  }
  return "UNKNOWN_VERDICT";
}

bool verdict_from_name(std::string_view name, EspVerdict& out) {
  for (const auto& n : kNames) {
    if (n.printable == name || n.enumerator == name) {
      out = n.v;
      return true;
    }
  }
  if (name == "MALFORMED_LENGTH") {  // both names are in use for one class
    out = EspVerdict::truncated;
    return true;
  }
  return false;
}

}  // namespace cts::esp
