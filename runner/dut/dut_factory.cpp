// parse_dut_spec / make_dut: the one place that knows every kind of device.
#include <sys/stat.h>

#include "runner/dut/command_line.h"
#include "runner/dut/dut_adapter.h"
#include "runner/dut/oracle_adapter.h"
#include "runner/dut/plugin_adapter.h"
#include "runner/dut/process_adapter.h"
#include "runner/dut/tcp.h"

namespace cts::dut {
namespace {

constexpr std::string_view kForms =
    "expected softnic, softnic-full, oracle, plugin:PATH, cmd:'COMMAND LINE' or tcp:HOST:PORT, each optionally after "
    "no-dump:";

DutError invalid(std::string message) {
  return DutError{DutErrorKind::invalid_argument, std::move(message), {}};
}

bool starts_with(std::string_view text, std::string_view prefix) {
  return text.substr(0, prefix.size()) == prefix;
}

// One level of quotes around the whole command is the user's quoting, not part of the command:
// --dut "cmd:'agent --x'" arrives with them.
std::string unquote(std::string_view text) {
  if (text.size() >= 2 && (text.front() == '\'' || text.front() == '"') &&
      text.back() == text.front()) {
    return std::string(text.substr(1, text.size() - 2));
  }
  return std::string(text);
}

DutResult<std::unique_ptr<DutAdapter>> open_isolated(const std::string& library,
                                                     const DutOptions& options,
                                                     const std::string& description) {
  ProcessEndpoint endpoint;
  endpoint.kind = ProcessEndpoint::Kind::argv;
  const std::string agent =
      options.agent_path.empty() ? executable_directory() + "/ipsec-cts-agent" : options.agent_path;
  endpoint.argv = {agent, "--plugin", library};
  endpoint.description = description + " (isolated in " + agent + ")";
  return open_process(endpoint,
                      ProcessOptions{options.request_timeout, options.config_json,
                                     options.max_line_bytes});
}

}  // namespace

DutResult<DutSpec> parse_dut_spec(std::string_view spec) {
  DutSpec out;
  constexpr std::string_view kNoDump = "no-dump:";
  while (starts_with(spec, kNoDump)) {
    out.ignore_dump = true;
    spec.remove_prefix(kNoDump.size());
  }
  if (spec == "softnic") {
    out.kind = DutSpec::Kind::softnic;
    out.path = executable_directory() + "/../lib/libipsec_cts_softnic.so";
    return out;
  }
  if (spec == "softnic-full") {  // the SOFTNIC_FULL build: every algorithm, UDP-ESP
    out.kind = DutSpec::Kind::softnic;
    out.path = executable_directory() + "/../lib/libipsec_cts_softnic_full.so";
    return out;
  }
  if (spec == "oracle") {
    out.kind = DutSpec::Kind::oracle;
    return out;
  }
  if (starts_with(spec, "plugin:")) {
    out.kind = DutSpec::Kind::plugin;
    out.path = unquote(spec.substr(7));
    if (out.path.empty()) return invalid("--dut plugin: needs a library path");
    return out;
  }
  if (starts_with(spec, "cmd:")) {
    out.kind = DutSpec::Kind::command;
    out.command = unquote(spec.substr(4));
    if (out.command.find_first_not_of(" \t") == std::string::npos) {
      return invalid("--dut cmd: needs a command line");
    }
    if (auto words = split_command_line(out.command); !words) {
      return invalid("--dut cmd:" + out.command + ": " + words.error().message);
    }
    return out;
  }
  if (starts_with(spec, "tcp:")) {
    out.kind = DutSpec::Kind::tcp;
    auto where = parse_host_port(spec.substr(4), "");
    if (!where) return invalid("--dut " + std::string(spec) + ": " + where.error().message);
    if (where->port == 0) return invalid("--dut " + std::string(spec) + ": port 0");
    out.host = where->host;
    out.port = where->port;
    return out;
  }
  return invalid("--dut '" + std::string(spec) + "': " + std::string(kForms));
}

DutResult<std::unique_ptr<DutAdapter>> make_dut(std::string_view spec, const DutOptions& options) {
  auto parsed = parse_dut_spec(spec);
  if (!parsed) return parsed.error();
  return make_dut(*parsed, options);
}

DutResult<std::unique_ptr<DutAdapter>> make_dut(const DutSpec& spec, const DutOptions& options) {
  switch (spec.kind) {
    case DutSpec::Kind::softnic:
    case DutSpec::Kind::plugin: {
      const std::string description =
          spec.kind == DutSpec::Kind::softnic ? "softnic (" + spec.path + ")" : "plugin:" + spec.path;
      struct stat st {};
      if (::stat(spec.path.c_str(), &st) != 0) {
        return DutError{DutErrorKind::device_error,
                        description + ": no such file" +
                            (spec.kind == DutSpec::Kind::softnic
                                 ? std::string(" (build the target ipsec_cts_softnic)")
                                 : std::string()),
                        {}};
      }
      if (options.isolate) return open_isolated(spec.path, options, description);
      return open_plugin(spec.path, options.config_json);
    }
    case DutSpec::Kind::oracle:
      return open_oracle(options.oracle_profile_json, options.oracle_profile_origin);
    case DutSpec::Kind::command: {
      // Started without a shell: the words of the command line are the argument vector.
      auto words = split_command_line(spec.command);
      if (!words) return invalid("cmd:" + spec.command + ": " + words.error().message);
      auto program = find_program(words->front());
      if (!program) return program.error();
      ProcessEndpoint endpoint;
      endpoint.kind = ProcessEndpoint::Kind::argv;
      endpoint.argv = std::move(*words);
      endpoint.argv.front() = *program;
      endpoint.description = "cmd:" + spec.command;
      return open_process(endpoint, ProcessOptions{options.request_timeout, options.config_json,
                                                   options.max_line_bytes});
    }
    case DutSpec::Kind::tcp: {
      ProcessEndpoint endpoint;
      endpoint.kind = ProcessEndpoint::Kind::tcp;
      endpoint.address = HostPort{spec.host, spec.port, options.allow_remote_device};
      endpoint.description = "tcp:" + spec.host + ":" + std::to_string(spec.port);
      return open_process(endpoint, ProcessOptions{options.request_timeout, options.config_json,
                                                   options.max_line_bytes});
    }
  }
  return invalid("unknown device kind");
}

}  // namespace cts::dut
