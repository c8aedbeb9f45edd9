// Agent process setup: the protocol gets its own copy of stdout and fd 1 is pointed at stderr,
// so a device that prints to stdout (debug output in a vendor plugin) cannot corrupt the
// protocol stream.
#include "runner/agent/agent_cli.h"

#include <fcntl.h>
#include <signal.h>
#include <unistd.h>

#include <cstdio>
#include <iostream>

#include <nlohmann/json.hpp>

#include "runner/dut/tcp.h"

namespace cts::agent {

void add_agent_options(CLI::App& app, AgentCommandLine& options) {
  app.add_option("--listen", options.listen,
                 "serve TCP on [HOST:]PORT (HOST defaults to 127.0.0.1; PORT 0 = any free port) "
                 "instead of stdin/stdout");
  app.add_flag("--allow-remote", options.allow_remote,
               "let --listen bind a non-loopback address (0.0.0.0, a LAN address): anyone who "
               "reaches it can drive the device and read the SA keys sent in clear");
  app.add_option("--config", options.config,
                 "JSON object passed to the device's open() when hello carries no config");
  app.add_option("--sessions", options.sessions,
                 "with --listen: exit after serving this many connections (0 = never)");
  app.add_option("--max-line", options.max_line_bytes, "longest request line accepted (bytes)");
}

int run_agent(const dut::DeviceOpener& opener, const AgentCommandLine& options) {
  if (!options.config.empty()) {
    const auto config = nlohmann::json::parse(options.config, nullptr, false);
    if (config.is_discarded() || !config.is_object()) {
      std::cerr << "--config: not a JSON object: " << options.config << "\n";
      return 2;
    }
  }
  ::signal(SIGPIPE, SIG_IGN);
  dut::AgentServer server(opener, dut::AgentOptions{options.config, options.max_line_bytes});

  if (options.listen.empty()) {
    const int protocol_out = ::fcntl(1, F_DUPFD_CLOEXEC, 3);
    if (protocol_out < 0 || ::dup2(2, 1) < 0) {
      std::perror("agent: cannot set up stdout");
      return 1;
    }
    const int rc = server.serve(0, protocol_out);
    ::close(protocol_out);
    return rc;
  }

  auto where = dut::parse_host_port(options.listen, "127.0.0.1");
  if (!where) {
    std::cerr << "--listen: " << where.error().message << "\n";
    return 2;
  }
  where->allow_remote = options.allow_remote;
  auto listener = dut::tcp_listen(*where);
  if (!listener) {
    std::cerr << "--listen: " << listener.error().message << "\n";
    return 2;
  }
  const bool v6 = where->host.find(':') != std::string::npos;
  std::cout << "listening on " << (v6 ? "[" + where->host + "]" : where->host) << ":"
            << where->port << std::endl;
  const int rc = dut::serve_tcp(server, *listener, options.sessions);
  ::close(*listener);
  return rc;
}

}  // namespace cts::agent
