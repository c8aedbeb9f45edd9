// The agent side of the process protocol: serves any device (a plugin's ipsec_cts_dut_vtable,
// or any DutAdapter) on a pair of descriptors (stdio) or on TCP connections.
//
// The served device sits behind the plugin adapter, so an agent applies the same checks as the
// in-process runner (Next links, buffer bounds, result codes) and reports a misbehaving device
// as an error object instead of forwarding garbage. Each session opens a fresh device instance
// on `hello` (with hello.config, or the agent's default config) and closes it at the end.
#pragma once

#include <cstddef>
#include <functional>
#include <memory>
#include <string>

#include "ipsec_cts/dut.h"
#include "runner/dut/dut_adapter.h"

namespace cts::dut {

// Opens a device instance with a JSON config text ("" = the device's default).
using DeviceOpener =
    std::function<DutResult<std::unique_ptr<DutAdapter>>(const std::string& config_json)>;

DeviceOpener vtable_opener(const ipsec_cts_dut_vtable* vtable, std::string description);
DeviceOpener plugin_opener(std::string path);

struct AgentOptions {
  std::string default_config;       // used when hello carries no config
  size_t max_line_bytes = 64u << 20;  // longest request accepted
};

class AgentServer {
 public:
  AgentServer(DeviceOpener opener, AgentOptions options);

  // One session: requests from in_fd, answers on out_fd, until `close` or end of input.
  // Returns 0 after `close` or EOF, 1 after an I/O error or an over-long request line.
  int serve(int in_fd, int out_fd);

 private:
  DeviceOpener opener_;
  AgentOptions options_;
};

// Serves the connections of a listening socket one after another (each a session with a fresh
// device). Stops after `max_sessions` sessions (0 = never) or when accept() fails; returns 0 or 1.
int serve_tcp(AgentServer& server, int listen_fd, size_t max_sessions);

}  // namespace cts::dut
