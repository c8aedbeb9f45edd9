// The command line shared by the agent executables (ipsec-cts-agent, softnic-agent):
//   [--listen [HOST:]PORT [--allow-remote]] [--config JSON] [--sessions N] [--max-line BYTES]
// Without --listen the agent serves one session on stdin/stdout. With it, it listens on TCP
// (127.0.0.1 unless HOST is given; a HOST that is not loopback needs --allow-remote; port 0
// picks a free port), prints
// "listening on HOST:PORT" on stdout, and serves connections one after another.
#pragma once

#include <string>

#include <CLI/CLI.hpp>

#include "runner/dut/agent_server.h"

namespace cts::agent {

struct AgentCommandLine {
  std::string listen;  // empty: stdio
  bool allow_remote = false;  // --listen may name a non-loopback address
  std::string config;  // default config for sessions whose hello has none
  size_t sessions = 0;
  size_t max_line_bytes = 64u << 20;
};

// Adds the shared options to `app`.
void add_agent_options(CLI::App& app, AgentCommandLine& options);

// Serves `opener` as the options say. Returns the process exit code (0 ok, 1 I/O failure,
// 2 unusable arguments such as a bad --listen or --config).
int run_agent(const dut::DeviceOpener& opener, const AgentCommandLine& options);

}  // namespace cts::agent
