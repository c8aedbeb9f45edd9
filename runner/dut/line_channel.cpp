// poll()-driven line I/O (see line_channel.h).
#include "runner/dut/line_channel.h"

#include <poll.h>
#include <signal.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <ctime>

namespace cts::dut {
namespace {

constexpr size_t kReadChunk = 65536;

// write() on a pipe whose reader is gone raises SIGPIPE, which would end the runner. Block the
// signal for this thread around the write and consume it if the write raised it (the technique
// of libcurl and OpenSSL's s_client); sockets use MSG_NOSIGNAL instead.
ssize_t write_without_sigpipe(int fd, const char* data, size_t size, bool is_socket) {
  if (is_socket) return ::send(fd, data, size, MSG_NOSIGNAL);
  sigset_t pipe_set;
  sigset_t old_set;
  sigemptyset(&pipe_set);
  sigaddset(&pipe_set, SIGPIPE);
  sigset_t pending;
  sigemptyset(&pending);
  sigpending(&pending);
  const bool was_pending = sigismember(&pending, SIGPIPE) == 1;
  pthread_sigmask(SIG_BLOCK, &pipe_set, &old_set);
  const ssize_t n = ::write(fd, data, size);
  const int saved = errno;
  if (n < 0 && saved == EPIPE && !was_pending) {
    const timespec zero{0, 0};
    while (sigtimedwait(&pipe_set, nullptr, &zero) < 0 && errno == EINTR) {
    }
  }
  pthread_sigmask(SIG_SETMASK, &old_set, nullptr);
  errno = saved;
  return n;
}

}  // namespace

LineChannel::LineChannel(int in_fd, int out_fd, size_t max_line_bytes)
    : in_fd_(in_fd), out_fd_(out_fd), max_line_(max_line_bytes) {
  struct stat st {};
  out_is_socket_ = ::fstat(out_fd, &st) == 0 && S_ISSOCK(st.st_mode);
}

void LineChannel::set_side_channel(int fd, std::function<void(std::string_view)> sink) {
  side_fd_ = fd;
  side_sink_ = std::move(sink);
}

int LineChannel::wait_timeout_ms(Deadline deadline) const {
  if (!deadline) return -1;
  const auto left = std::chrono::duration_cast<std::chrono::milliseconds>(*deadline - Clock::now());
  if (left.count() <= 0) return 0;
  return static_cast<int>(std::min<long long>(left.count() + 1, 1 << 30));
}

bool LineChannel::drain_side_channel() {
  char chunk[4096];
  const ssize_t n = ::read(side_fd_, chunk, sizeof(chunk));
  if (n > 0) {
    if (side_sink_) side_sink_(std::string_view(chunk, static_cast<size_t>(n)));
    return true;
  }
  if (n == 0 || (errno != EAGAIN && errno != EINTR)) side_fd_ = -1;  // closed: stop watching
  return false;
}

ChannelStatus LineChannel::write_line(std::string_view line, Deadline deadline) {
  std::string framed(line);
  framed.push_back('\n');
  size_t done = 0;
  while (done < framed.size()) {
    pollfd fds[2] = {{out_fd_, POLLOUT, 0}, {side_fd_, POLLIN, 0}};
    const nfds_t count = side_fd_ >= 0 ? 2 : 1;
    const int timeout = wait_timeout_ms(deadline);
    const int ready = ::poll(fds, count, timeout);
    if (ready < 0) {
      if (errno == EINTR) continue;
      return {ChannelStatus::Kind::io_error, std::strerror(errno)};
    }
    if (ready == 0) return {ChannelStatus::Kind::timeout, {}};
    if (count == 2 && (fds[1].revents & (POLLIN | POLLHUP)) != 0) drain_side_channel();
    if ((fds[0].revents & POLLOUT) != 0) {
      const ssize_t n =
          write_without_sigpipe(out_fd_, framed.data() + done, framed.size() - done, out_is_socket_);
      if (n < 0) {
        if (errno == EAGAIN || errno == EINTR) continue;
        if (errno == EPIPE || errno == ECONNRESET) return {ChannelStatus::Kind::eof, {}};
        return {ChannelStatus::Kind::io_error, std::strerror(errno)};
      }
      done += static_cast<size_t>(n);
    } else if ((fds[0].revents & (POLLERR | POLLHUP | POLLNVAL)) != 0) {
      return {ChannelStatus::Kind::eof, {}};
    }
  }
  return {};
}

ChannelStatus LineChannel::read_line(std::string& line, Deadline deadline) {
  for (;;) {
    const size_t newline = buffer_.find('\n', scanned_);
    if (newline != std::string::npos) {
      if (newline > max_line_) return {ChannelStatus::Kind::too_long, {}};
      size_t end = newline;
      if (end > 0 && buffer_[end - 1] == '\r') --end;
      line.assign(buffer_, 0, end);
      buffer_.erase(0, newline + 1);
      scanned_ = 0;
      return {};
    }
    scanned_ = buffer_.size();
    if (buffer_.size() > max_line_) return {ChannelStatus::Kind::too_long, {}};

    pollfd fds[2] = {{in_fd_, POLLIN, 0}, {side_fd_, POLLIN, 0}};
    const nfds_t count = side_fd_ >= 0 ? 2 : 1;
    const int ready = ::poll(fds, count, wait_timeout_ms(deadline));
    if (ready < 0) {
      if (errno == EINTR) continue;
      return {ChannelStatus::Kind::io_error, std::strerror(errno)};
    }
    if (ready == 0) return {ChannelStatus::Kind::timeout, {}};
    if (count == 2 && (fds[1].revents & (POLLIN | POLLHUP | POLLERR)) != 0) drain_side_channel();
    if ((fds[0].revents & (POLLIN | POLLHUP | POLLERR | POLLNVAL)) == 0) continue;
    const size_t old = buffer_.size();
    buffer_.resize(old + kReadChunk);
    const ssize_t n = ::read(in_fd_, buffer_.data() + old, kReadChunk);
    if (n < 0) {
      buffer_.resize(old);
      if (errno == EAGAIN || errno == EINTR) continue;
      if (errno == ECONNRESET) return {ChannelStatus::Kind::eof, {}};
      return {ChannelStatus::Kind::io_error, std::strerror(errno)};
    }
    buffer_.resize(old + static_cast<size_t>(n));
    if (n == 0) return {ChannelStatus::Kind::eof, {}};
  }
}

}  // namespace cts::dut
