// DutAdapter over the process protocol (docs/process-protocol.md): an agent started as a child
// process speaking on its stdio (cmd:, and plugins hosted with DutOptions::isolate), or an agent
// reached over TCP (tcp:).
//
// Failure handling: each request has a deadline (poll()); a child that dies is `crashed` (with
// how it ended), one that closes its stdout while alive is `closed`, a deadline passed is
// `timeout` (the child is killed), an answer that is not one JSON object with the request's id,
// `ok` and a well-formed `result` is `protocol_error`, and a line longer than the cap is
// `protocol_error` without reading further. Every such error carries what the device said (the
// offending line or the partial output, and the tail of the child's stderr) and leaves the
// adapter `closed` until restart() starts a fresh child or connection. An error object sent by
// the agent (`ok: false`) is just that operation's error; the session continues.
#pragma once

#include <chrono>
#include <memory>
#include <string>
#include <vector>

#include "runner/dut/dut_adapter.h"
#include "runner/dut/tcp.h"

namespace cts::dut {

struct ProcessEndpoint {
  enum class Kind : uint8_t { argv, shell, tcp };
  Kind kind = Kind::shell;
  std::vector<std::string> argv;  // argv: argv[0] is the executable path
  std::string command;            // shell: /bin/sh -c command
  HostPort address;               // tcp
  std::string description;        // for reports ("cmd:...", "tcp:127.0.0.1:4000")
};

struct ProcessOptions {
  std::chrono::milliseconds request_timeout{10000};
  std::string config_json;  // sent as hello.config when not empty (must be a JSON object)
  size_t max_line_bytes = 64u << 20;
};

// Starts (or connects to) the agent and performs the hello exchange.
DutResult<std::unique_ptr<DutAdapter>> open_process(const ProcessEndpoint& endpoint,
                                                    const ProcessOptions& options);

}  // namespace cts::dut
