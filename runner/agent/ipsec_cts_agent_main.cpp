// ipsec-cts-agent: serves any plugin (a shared library implementing ipsec_cts/dut.h) over the
// process protocol. The runner starts it itself for --isolate; it is also the template for
// running a plugin on another machine (--listen).
#include <CLI/CLI.hpp>

#include "runner/agent/agent_cli.h"
#include "runner/dut/agent_server.h"

int main(int argc, char** argv) {
  CLI::App app{"Serve an ipsec-cts device plugin over the process protocol (stdio or TCP)"};
  std::string plugin;
  app.add_option("--plugin", plugin, "path of the plugin shared library")->required();
  cts::agent::AgentCommandLine options;
  cts::agent::add_agent_options(app, options);
  try {
    app.parse(argc, argv);
  } catch (const CLI::ParseError& e) {
    const int rc = app.exit(e);
    return rc == 0 ? 0 : 2;
  }
  return cts::agent::run_agent(cts::dut::plugin_opener(plugin), options);
}
