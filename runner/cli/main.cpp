// ipsec-cts: one executable, one subcommand per task (decode, run, list, lint, vectors, report).
#include <algorithm>
#include <exception>
#include <iostream>
#include <map>

#include "runner/cli/command_registry.h"

namespace cts::cli {
std::vector<Command>& command_registry() {
  static std::vector<Command> registry;
  return registry;
}
}  // namespace cts::cli

int main(int argc, char** argv) {
  CLI::App app{"ipsec-cts: conformance suite and reference oracle for NDIS IPsec Offload V2"};
  app.set_version_flag("--version", CTS_VERSION);
  app.require_subcommand(1);
  auto& registry = cts::cli::command_registry();
  std::sort(registry.begin(), registry.end(),
            [](const auto& a, const auto& b) { return a.name < b.name; });
  std::map<std::string, std::function<int()>> runners;
  for (auto& command : registry) runners[command.name] = command.install(app);
  try {
    app.parse(argc, argv);
  } catch (const CLI::ParseError& e) {
    const int code = app.exit(e);
    return code == 0 ? 0 : 2;  // usage errors are "unusable input"
  }
  for (auto* sub : app.get_subcommands()) {
    auto it = runners.find(sub->get_name());
    if (it == runners.end()) continue;
    try {
      return it->second();
    } catch (const std::exception& e) {
      std::cerr << "ipsec-cts " << sub->get_name() << ": " << e.what() << "\n";
      return 2;
    }
  }
  return 2;
}
