// Runs a shell command line (the CLI under test) and captures its output and exit code.
#pragma once

#include <sys/wait.h>

#include <cstdio>
#include <string>

namespace cts::test {

struct CliResult {
  int exit_code = -1;
  std::string out;
};

inline CliResult run_command_line(const std::string& command_line) {
  CliResult r;
  FILE* p = popen(command_line.c_str(), "r");
  if (p == nullptr) return r;
  char buf[4096];
  size_t n;
  while ((n = fread(buf, 1, sizeof buf, p)) > 0) r.out.append(buf, n);
  const int status = pclose(p);
  r.exit_code = WIFEXITED(status) ? WEXITSTATUS(status) : -1;
  return r;
}

}  // namespace cts::test
