// The one-line text report of a verified packet, as `vectors verify` prints it:
//   #17 PASS ok spi=0x00004242 seq=0x0000000000000012 esn_high=0x00000000
//       window[top=0x0000000000000012 size=1024] inner=4 expected=ok
// (on one line). Formatted by hand into a caller's buffer: a 1 GB capture has most of a million
// lines, and the report must not cost more than verifying the packet did.
#pragma once

#include <string>

#include "runner/vectors/capture_verifier.h"

namespace cts::vectors {

// Appends the line for `r`, newline included, to `out` (no allocation once `out` has room).
void append_packet_line(const PacketReport& r, std::string& out);

}  // namespace cts::vectors
