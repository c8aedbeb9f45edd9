// TCP plumbing of the process protocol: HOST:PORT parsing, a connect with a deadline, and a
// listening socket. Both stay on loopback unless the HostPort allows a remote address: the
// protocol is unauthenticated and carries SA keys in clear (docs/process-protocol.md §6).
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

#include "runner/dut/dut_adapter.h"
#include "runner/dut/line_channel.h"

struct sockaddr;

namespace cts::dut {

struct HostPort {
  std::string host;
  uint16_t port = 0;
  // false: every address the host resolves to must be loopback (127.0.0.0/8, ::1, an IPv4-mapped
  // 127.x); set only by --allow-remote-device (runner) or --allow-remote (agents).
  bool allow_remote = false;
};

// Whether a socket address is a loopback address.
bool is_loopback(const ::sockaddr* address);

// "HOST:PORT", "[V6ADDR]:PORT", or (when default_host is not empty) a bare "PORT".
// invalid_argument naming the problem.
DutResult<HostPort> parse_host_port(std::string_view text, std::string_view default_host);

// Resolves `where` and refuses (invalid_argument naming the address and --allow-remote-device)
// a non-loopback address it does not allow; device_error when the host does not resolve.
DutStatus check_connect_address(const HostPort& where);

// A connected socket (close-on-exec, non-blocking), or closed/timeout/device_error;
// invalid_argument for a non-loopback address that `where` does not allow.
DutResult<int> tcp_connect(const HostPort& where, Deadline deadline);

// A listening socket (SO_REUSEADDR). Port 0 asks for an ephemeral port; the bound address is
// written back into `where`. invalid_argument for a non-loopback address `where` does not allow
// (0.0.0.0 and :: included).
DutResult<int> tcp_listen(HostPort& where);

}  // namespace cts::dut
