#include "oracle/esp/packet_verdict.h"

#include <array>

namespace cts::esp {
namespace {

constexpr std::array<std::string_view, kPacketVerdictCount> kNames = {"protected", "clear", "none", "corrupt"};

}  // namespace

std::string_view packet_verdict_name(PacketVerdict v) {
  const auto i = static_cast<size_t>(v);
  return i < kNames.size() ? kNames[i] : std::string_view("?");
}

bool packet_verdict_from_name(std::string_view name, PacketVerdict& out) {
  for (size_t i = 0; i < kNames.size(); ++i) {
    if (kNames[i] == name) {
      out = static_cast<PacketVerdict>(i);
      return true;
    }
  }
  return false;
}

}  // namespace cts::esp
