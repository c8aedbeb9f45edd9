// The command line of a `cmd:` device, split into an argument vector the way a POSIX shell splits
// words, but with nothing else a shell does: no variables, globs, pipes, redirections or command
// substitution. The agent is started directly (execv), so a device specification can never run a
// second command (docs/process-protocol.md, "Starting an agent").
//
// Quoting: 'single quotes' keep everything literally; "double quotes" keep everything but \" and
// \\; outside quotes a backslash keeps the next character. Words are separated by blanks.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "runner/dut/dut_adapter.h"

namespace cts::dut {

// invalid_argument on an unterminated quote, a trailing backslash or an empty line.
DutResult<std::vector<std::string>> split_command_line(std::string_view line);

// argv[0] as given when it holds a '/', otherwise the first executable of that name in $PATH;
// device_error naming the program when there is none.
DutResult<std::string> find_program(const std::string& name);

}  // namespace cts::dut
