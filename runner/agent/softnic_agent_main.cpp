// softnic-agent: the softnic sample device (duts/softnic, linked in statically) served over the
// process protocol, so the process path is tested end to end with a real device.
#include <CLI/CLI.hpp>

#include "runner/agent/agent_cli.h"
#include "ipsec_cts/dut.h"
#include "runner/dut/agent_server.h"

int main(int argc, char** argv) {
  CLI::App app{"Serve the softnic sample device over the ipsec-cts process protocol"};
  cts::agent::AgentCommandLine options;
  cts::agent::add_agent_options(app, options);
  try {
    app.parse(argc, argv);
  } catch (const CLI::ParseError& e) {
    const int rc = app.exit(e);
    return rc == 0 ? 0 : 2;
  }
  const ipsec_cts_dut_vtable* vtable = ipsec_cts_dut_entry(IPSEC_CTS_DUT_ABI_VERSION);
  return cts::agent::run_agent(cts::dut::vtable_opener(vtable, "softnic (linked in)"), options);
}
