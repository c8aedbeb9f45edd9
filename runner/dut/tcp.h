// TCP plumbing of the process protocol: HOST:PORT parsing, a connect with a deadline, and a
// listening socket bound to loopback unless told otherwise.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

#include "runner/dut/dut_adapter.h"
#include "runner/dut/line_channel.h"

namespace cts::dut {

struct HostPort {
  std::string host;
  uint16_t port = 0;
};

// "HOST:PORT", "[V6ADDR]:PORT", or (when default_host is not empty) a bare "PORT".
// invalid_argument naming the problem.
DutResult<HostPort> parse_host_port(std::string_view text, std::string_view default_host);

// A connected socket (close-on-exec, non-blocking), or closed/timeout/device_error.
DutResult<int> tcp_connect(const HostPort& where, Deadline deadline);

// A listening socket (SO_REUSEADDR). Port 0 asks for an ephemeral port; the bound address is
// written back into `where`.
DutResult<int> tcp_listen(HostPort& where);

}  // namespace cts::dut
