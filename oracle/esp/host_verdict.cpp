#include "oracle/esp/host_verdict.h"

namespace cts::esp {

namespace {
constexpr std::string_view kNames[kHostVerdictCount] = {
    "OK",          "UNKNOWN_SPI",   "FRAGMENT",          "TRUNCATED",       "MALFORMED_LENGTH",
    "MALFORMED_HEADER", "BAD_OPTION", "UNSUPPORTED_HEADER", "NOT_IPSEC",    "REPLAY",
    "OUT_OF_WINDOW", "BAD_ICV",     "MALFORMED_PADDING", "DUMMY",           "SEQ_OVERFLOW",
    "POLICY_MISMATCH", "UDP_KEEPALIVE", "IKE_ON_4500",   "INVALID_ARGUMENT", "BUFFER_TOO_SMALL",
    "CRYPTO_ERROR",
};
}  // namespace

std::string_view host_verdict_name(HostVerdict v) {
  const auto i = static_cast<size_t>(v);
  return i < std::size(kNames) ? kNames[i] : std::string_view("UNKNOWN");
}

bool host_verdict_from_name(std::string_view name, HostVerdict& out) {
  for (size_t i = 0; i < std::size(kNames); ++i) {
    if (kNames[i] == name) {
      out = static_cast<HostVerdict>(i);
      return true;
    }
  }
  return false;
}

HostVerdict to_host_verdict(EspVerdict v) {
  switch (v) {
    case EspVerdict::ok: return HostVerdict::ok;
    case EspVerdict::unknown_spi: return HostVerdict::unknown_spi;
    case EspVerdict::fragment: return HostVerdict::fragment;
    case EspVerdict::truncated: return HostVerdict::truncated;
    case EspVerdict::replay: return HostVerdict::replay;
    case EspVerdict::outside_window: return HostVerdict::outside_window;
    case EspVerdict::bad_icv: return HostVerdict::bad_icv;
    case EspVerdict::bad_padding: return HostVerdict::bad_padding;
    case EspVerdict::dummy: return HostVerdict::dummy;
    case EspVerdict::seq_overflow: return HostVerdict::seq_overflow;
    case EspVerdict::policy_mismatch: return HostVerdict::policy_mismatch;
    case EspVerdict::udp_keepalive: return HostVerdict::udp_keepalive;
    case EspVerdict::ike: return HostVerdict::ike;
    case EspVerdict::invalid_argument: return HostVerdict::invalid_argument;
    case EspVerdict::buffer_too_small: return HostVerdict::buffer_too_small;
    case EspVerdict::crypto_error: return HostVerdict::crypto_error;
  }
  return HostVerdict::crypto_error;
}

HostStatus to_host_status(const ParseStatus& s) {
  HostVerdict v = HostVerdict::malformed_header;
  switch (s.error) {
    case PacketError::kNone: return HostStatus::success();
    case PacketError::kTruncated: v = HostVerdict::truncated; break;
    case PacketError::kBadOption: v = HostVerdict::bad_option; break;
    case PacketError::kUnsupportedHeader: v = HostVerdict::unsupported_header; break;
    case PacketError::kBadEtherType: v = HostVerdict::not_ipsec; break;
    default: break;
  }
  return HostStatus::fail(v, s.field, s.offset);
}

}  // namespace cts::esp
