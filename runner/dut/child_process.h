// A child process with its stdin, stdout and stderr on pipes, in its own process group (so a
// shell command and everything it started can be killed together), remembering the tail of what
// it wrote on stderr for error reports.
#pragma once

#include <sys/types.h>

#include <chrono>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "runner/dut/dut_adapter.h"

namespace cts::dut {

class ChildProcess {
 public:
  // Runs argv[0] (a path, not searched in PATH) with argv. device_error when it cannot start,
  // with the reason from the child (exec errno).
  static DutResult<std::unique_ptr<ChildProcess>> spawn(const std::vector<std::string>& argv);
  // /bin/sh -c command
  static DutResult<std::unique_ptr<ChildProcess>> spawn_shell(const std::string& command);

  ~ChildProcess();  // kill_and_reap()
  ChildProcess(const ChildProcess&) = delete;
  ChildProcess& operator=(const ChildProcess&) = delete;

  pid_t pid() const { return pid_; }
  int stdin_fd() const { return in_; }    // non-blocking, close-on-exec
  int stdout_fd() const { return out_; }  // non-blocking, close-on-exec
  int stderr_fd() const { return err_; }  // non-blocking, close-on-exec

  // Keeps the last kStderrTail bytes.
  void append_stderr(std::string_view bytes);
  // Reads whatever stderr holds now (non-blocking) into the tail.
  void drain_stderr();
  std::string stderr_tail() const { return tail_; }

  // Waits up to `wait` for the process to end. Returns how it ended ("terminated by signal 11
  // (Segmentation fault)", "exited with status 3"), or nullopt if it is still running.
  std::optional<std::string> wait_exit(std::chrono::milliseconds wait);

  // Closes our end of its stdin (a polite "you are done").
  void close_stdin();

  // SIGKILL to the whole process group, then reaps the process. Idempotent.
  void kill_and_reap();

  static constexpr size_t kStderrTail = 4096;

 private:
  ChildProcess() = default;
  pid_t pid_ = -1;
  int in_ = -1;
  int out_ = -1;
  int err_ = -1;
  bool reaped_ = false;
  bool group_killed_ = false;
  std::string exit_description_;
  std::string tail_;
};

}  // namespace cts::dut
