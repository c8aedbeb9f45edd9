// Subcommands register themselves here at static-initialisation time, so main.cpp never lists
// them. A command returns the process exit code (0 ok, 1 failed/verdicts, 2 unusable input).
#pragma once

#include <functional>
#include <string>
#include <vector>

#include <CLI/CLI.hpp>

namespace cts::cli {

struct Command {
  std::string name;
  // Adds the subcommand to `app` and returns the callable that runs it after parsing.
  std::function<std::function<int()>(CLI::App& app)> install;
};

std::vector<Command>& command_registry();

struct RegisterCommand {
  explicit RegisterCommand(Command c) { command_registry().push_back(std::move(c)); }
};

}  // namespace cts::cli
