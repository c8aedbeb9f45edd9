// `ipsec-cts list [--cases DIR|FILE...] [--filter GLOB...]`: prints every case id with the
// requirement IDs it traces, one per line. Exit 2 when the case files do not load.
#include <iostream>
#include <memory>

#include "runner/cases/case_loader.h"
#include "runner/cli/command_registry.h"
#include "runner/core/case_selection.h"

namespace cts::cli {
namespace {

struct ListArgs {
  std::vector<std::string> cases;
  std::vector<std::string> filters;
};

int run(const ListArgs& a) {
  const auto paths = a.cases.empty() ? std::vector<std::string>{std::string(CTS_SOURCE_ROOT) + "/cases"} : a.cases;
  const auto loaded = cases::load_case_paths(paths);
  for (const auto& e : loaded.errors) std::cerr << "error: " << e.to_string() << "\n";
  if (!loaded.ok()) return 2;
  const auto selected = core::select_cases(loaded.files, a.filters, core::Shard{});
  for (const auto* c : selected) {
    std::cout << c->id << "  ";
    for (size_t i = 0; i < c->requirements.size(); ++i) std::cout << (i ? "," : "") << c->requirements[i];
    std::cout << "\n";
  }
  std::cerr << selected.size() << " case(s)\n";
  return 0;
}

const RegisterCommand kRegister{Command{
    "list", [](CLI::App& app) -> std::function<int()> {
      auto a = std::make_shared<ListArgs>();
      auto* sub = app.add_subcommand("list", "Print case ids with their requirement IDs.");
      sub->add_option("--cases", a->cases, "Case files or folders (default: the repository's cases/)");
      sub->add_option("--filter", a->filters, "Glob(s) on case ids");
      return [a] { return run(*a); };
    }}};

}  // namespace
}  // namespace cts::cli
