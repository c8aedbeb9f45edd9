// fork/exec with pipes, an exec-failure report pipe and process-group teardown.
#include "runner/dut/child_process.h"

#include <fcntl.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <thread>

namespace cts::dut {
namespace {

DutError spawn_error(const std::string& what, int error) {
  return DutError{DutErrorKind::device_error, what + ": " + std::strerror(error), {}};
}

void close_fd(int& fd) {
  if (fd >= 0) ::close(fd);
  fd = -1;
}

std::string describe_status(int status) {
  if (WIFSIGNALED(status)) {
    const int sig = WTERMSIG(status);
    const char* name = strsignal(sig);
    return "terminated by signal " + std::to_string(sig) + " (" + (name ? name : "?") + ")";
  }
  if (WIFEXITED(status)) {
    const int code = WEXITSTATUS(status);
    std::string text = "exited with status " + std::to_string(code);
    // A shell (cmd:) reports a command killed by signal N as status 128 + N.
    if (code > 128 && code < 128 + 32) {
      const char* name = strsignal(code - 128);
      text += " (a shell's report of signal " + std::to_string(code - 128) + " (" +
              (name ? name : "?") + ") in the command)";
    }
    return text;
  }
  return "ended (wait status " + std::to_string(status) + ")";
}

}  // namespace

DutResult<std::unique_ptr<ChildProcess>> ChildProcess::spawn_shell(const std::string& command) {
  return spawn({"/bin/sh", "-c", command});
}

DutResult<std::unique_ptr<ChildProcess>> ChildProcess::spawn(const std::vector<std::string>& argv) {
  if (argv.empty()) return DutError{DutErrorKind::invalid_argument, "spawn: empty argv", {}};
  // Everything the child needs is prepared before fork(): after it only async-signal-safe calls.
  std::vector<char*> args;
  for (const std::string& a : argv) args.push_back(const_cast<char*>(a.c_str()));
  args.push_back(nullptr);

  int in[2], out[2], err[2], report[2];
  if (::pipe2(in, O_CLOEXEC) != 0) return spawn_error("pipe", errno);
  if (::pipe2(out, O_CLOEXEC) != 0) {
    const int e = errno;
    ::close(in[0]); ::close(in[1]);
    return spawn_error("pipe", e);
  }
  if (::pipe2(err, O_CLOEXEC) != 0) {
    const int e = errno;
    ::close(in[0]); ::close(in[1]); ::close(out[0]); ::close(out[1]);
    return spawn_error("pipe", e);
  }
  if (::pipe2(report, O_CLOEXEC) != 0) {
    const int e = errno;
    for (int fd : {in[0], in[1], out[0], out[1], err[0], err[1]}) ::close(fd);
    return spawn_error("pipe", e);
  }

  const pid_t pid = ::fork();
  if (pid < 0) {
    const int e = errno;
    for (int fd : {in[0], in[1], out[0], out[1], err[0], err[1], report[0], report[1]}) ::close(fd);
    return spawn_error("fork", e);
  }
  if (pid == 0) {
    ::setpgid(0, 0);
    sigset_t none;
    sigemptyset(&none);
    ::sigprocmask(SIG_SETMASK, &none, nullptr);
    ::signal(SIGPIPE, SIG_DFL);
    if (::dup2(in[0], 0) < 0 || ::dup2(out[1], 1) < 0 || ::dup2(err[1], 2) < 0) {
      const int e = errno;
      (void)!::write(report[1], &e, sizeof(e));
      ::_exit(127);
    }
    ::execv(args[0], args.data());
    const int e = errno;
    (void)!::write(report[1], &e, sizeof(e));
    ::_exit(127);
  }
  ::setpgid(pid, pid);  // also from the parent, so the group exists before we may kill it
  ::close(in[0]);
  ::close(out[1]);
  ::close(err[1]);
  ::close(report[1]);

  int exec_errno = 0;
  ssize_t n;
  do {
    n = ::read(report[0], &exec_errno, sizeof(exec_errno));
  } while (n < 0 && errno == EINTR);
  ::close(report[0]);

  std::unique_ptr<ChildProcess> child(new ChildProcess());
  child->pid_ = pid;
  child->in_ = in[1];
  child->out_ = out[0];
  child->err_ = err[0];
  for (int fd : {child->in_, child->out_, child->err_}) {
    ::fcntl(fd, F_SETFL, ::fcntl(fd, F_GETFL) | O_NONBLOCK);
  }
  if (n == static_cast<ssize_t>(sizeof(exec_errno))) {
    child->kill_and_reap();
    return spawn_error("cannot execute " + argv[0], exec_errno);
  }
  return child;
}

ChildProcess::~ChildProcess() { kill_and_reap(); }

void ChildProcess::append_stderr(std::string_view bytes) {
  tail_.append(bytes);
  if (tail_.size() > kStderrTail) tail_.erase(0, tail_.size() - kStderrTail);
}

void ChildProcess::drain_stderr() {
  if (err_ < 0) return;
  char chunk[4096];
  for (;;) {
    const ssize_t n = ::read(err_, chunk, sizeof(chunk));
    if (n > 0) {
      append_stderr(std::string_view(chunk, static_cast<size_t>(n)));
      continue;
    }
    if (n < 0 && errno == EINTR) continue;
    return;
  }
}

std::optional<std::string> ChildProcess::wait_exit(std::chrono::milliseconds wait) {
  if (reaped_) return exit_description_;
  const auto until = std::chrono::steady_clock::now() + wait;
  for (;;) {
    int status = 0;
    const pid_t r = ::waitpid(pid_, &status, WNOHANG);
    if (r == pid_) {
      reaped_ = true;
      exit_description_ = describe_status(status);
      return exit_description_;
    }
    if (r < 0 && errno != EINTR) {
      reaped_ = true;
      exit_description_ = "ended (not waitable)";
      return exit_description_;
    }
    if (std::chrono::steady_clock::now() >= until) return std::nullopt;
    std::this_thread::sleep_for(std::chrono::milliseconds(5));
  }
}

void ChildProcess::close_stdin() { close_fd(in_); }

void ChildProcess::kill_and_reap() {
  if (pid_ > 0 && !group_killed_) {
    ::kill(-pid_, SIGKILL);  // the whole group: a shell and what it started
    group_killed_ = true;
  }
  if (pid_ > 0 && !reaped_) {
    ::kill(pid_, SIGKILL);
    int status = 0;
    while (::waitpid(pid_, &status, 0) < 0 && errno == EINTR) {
    }
    reaped_ = true;
    exit_description_ = describe_status(status);
  }
  close_fd(in_);
  close_fd(out_);
  close_fd(err_);
}

}  // namespace cts::dut
