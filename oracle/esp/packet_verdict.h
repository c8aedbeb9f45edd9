// The verdict on what a device put on the wire for one send, shared by the oracle's send judge,
// the runner's send and probe steps, the case language ("expect": {"verdict": ...}) and the
// tests: a frame is judged by property (it opens under the SA's keys), never by its bytes.
#pragma once

#include <cstdint>
#include <string_view>

namespace cts::esp {

enum class PacketVerdict : uint8_t {
  protected_frame,  // "protected": every IPsec level verifies and gives back the framed packet
  clear,            // "clear": the frame left exactly as the transport framed it (no IPsec work)
  none,             // "none": nothing on the wire
  corrupt,          // "corrupt": anything else (the finding says what)
};
inline constexpr int kPacketVerdictCount = 4;

// "protected", "clear", "none", "corrupt": the spelling of the case language and the evidence.
std::string_view packet_verdict_name(PacketVerdict v);
// False for any other text.
bool packet_verdict_from_name(std::string_view name, PacketVerdict& out);

}  // namespace cts::esp
