// `ipsec-cts agent-check DEVICE [--timeout-ms N] [--round-trips N] [--config JSON] [--agent PATH]`:
// checks that an agent speaks the process protocol (runner/agent/agent_check.h). DEVICE takes the
// --dut forms of `run` that reach an agent: cmd:'COMMAND', tcp:HOST:PORT, and plugin:PATH or
// softnic (served by ipsec-cts-agent). Exit 0: the protocol is spoken correctly; 1: violations;
// 2: unusable arguments.
#include <iostream>
#include <memory>

#include <nlohmann/json.hpp>

#include "runner/agent/agent_check.h"
#include "runner/cli/command_registry.h"
#include "runner/dut/command_line.h"
#include "runner/dut/dut_adapter.h"
#include "runner/dut/tcp.h"

namespace cts::cli {
namespace {

struct AgentCheckArgs {
  std::string device;
  uint64_t timeout_ms = 5000;
  size_t round_trips = 200;
  std::string config;
  std::string agent;
  bool allow_remote = false;
};

int run(const AgentCheckArgs& a) {
  auto spec = dut::parse_dut_spec(a.device);
  if (!spec) {
    std::cerr << "agent-check: " << spec.error().message << "\n";
    return 2;
  }
  dut::ProcessEndpoint endpoint;
  switch (spec->kind) {
    case dut::DutSpec::Kind::oracle:
      std::cerr << "agent-check: the oracle runs in-process and speaks no protocol; give "
                   "cmd:'AGENT', tcp:HOST:PORT, plugin:PATH or softnic\n";
      return 2;
    case dut::DutSpec::Kind::softnic:
    case dut::DutSpec::Kind::plugin: {
      const std::string agent =
          a.agent.empty() ? dut::executable_directory() + "/ipsec-cts-agent" : a.agent;
      endpoint.kind = dut::ProcessEndpoint::Kind::argv;
      endpoint.argv = {agent, "--plugin", spec->path};
      endpoint.description = a.device + " (served by " + agent + ")";
      break;
    }
    case dut::DutSpec::Kind::command: {
      // Started as `run` starts it: no shell, the words of the command line are the argv.
      auto words = dut::split_command_line(spec->command);
      if (!words) {
        std::cerr << "agent-check: cmd:" << spec->command << ": " << words.error().message << "\n";
        return 2;
      }
      auto program = dut::find_program(words->front());
      if (!program) {
        std::cerr << "agent-check: " << program.error().message << "\n";
        return 2;
      }
      endpoint.kind = dut::ProcessEndpoint::Kind::argv;
      endpoint.argv = std::move(*words);
      endpoint.argv.front() = *program;
      endpoint.description = "cmd:" + spec->command;
      break;
    }
    case dut::DutSpec::Kind::tcp:
      endpoint.kind = dut::ProcessEndpoint::Kind::tcp;
      endpoint.address = dut::HostPort{spec->host, spec->port, a.allow_remote};
      if (auto allowed = dut::check_connect_address(endpoint.address); !allowed) {
        std::cerr << "agent-check: " << allowed.error().message << "\n";
        return 2;
      }
      endpoint.description = "tcp:" + spec->host + ":" + std::to_string(spec->port);
      break;
  }
  if (!a.config.empty()) {
    const auto config = nlohmann::json::parse(a.config, nullptr, false);
    if (config.is_discarded() || !config.is_object()) {
      std::cerr << "agent-check: --config: not a JSON object: " << a.config << "\n";
      return 2;
    }
  }
  agent::AgentCheckOptions options;
  options.timeout = std::chrono::milliseconds(a.timeout_ms);
  options.round_trips = a.round_trips;
  options.config_json = a.config;
  const auto report = agent::run_agent_check(endpoint, options);
  std::cout << agent::format_report(report);
  return report.violations() == 0 ? 0 : 1;
}

const RegisterCommand kRegister{Command{
    "agent-check", [](CLI::App& app) -> std::function<int()> {
      auto a = std::make_shared<AgentCheckArgs>();
      auto* sub = app.add_subcommand(
          "agent-check",
          "Check that an agent speaks the process protocol (docs/process-protocol.md): every "
          "message type with valid and malformed requests, answer shapes, ids, round-trip time, "
          "and which operations it implements. Exit 0 only when the protocol is spoken correctly.");
      sub->add_option("device", a->device,
                      "cmd:'COMMAND', tcp:HOST:PORT, plugin:PATH or softnic (as --dut of run)")
          ->required();
      sub->add_option("--timeout-ms", a->timeout_ms, "Per-request timeout (default 5000)");
      sub->add_option("--round-trips", a->round_trips, "query_capabilities calls timed (default 200)");
      sub->add_option("--config", a->config, "JSON object sent as hello.config");
      sub->add_flag("--allow-remote-device", a->allow_remote,
                    "Let tcp:HOST:PORT reach a non-loopback address (unauthenticated, keys in clear)");
      sub->add_option("--agent", a->agent, "Agent serving plugin:/softnic (default: ipsec-cts-agent beside this program)");
      return [a] { return run(*a); };
    }}};

}  // namespace
}  // namespace cts::cli
