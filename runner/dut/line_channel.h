// Newline-framed text over a pair of file descriptors (pipes or one socket), with a deadline on
// every read and write (poll()), a cap on the line length, and the draining of a side channel
// (a child's stderr) while waiting, so a chatty child can never block on a full stderr pipe.
// Writes never raise SIGPIPE in the calling process.
#pragma once

#include <chrono>
#include <cstddef>
#include <functional>
#include <optional>
#include <string>
#include <string_view>

namespace cts::dut {

using Clock = std::chrono::steady_clock;
using Deadline = std::optional<Clock::time_point>;  // nullopt: wait as long as it takes

struct ChannelStatus {
  enum class Kind { ok, eof, timeout, too_long, io_error };
  Kind kind = Kind::ok;
  std::string detail;  // strerror text for io_error
  bool ok() const { return kind == Kind::ok; }
};

class LineChannel {
 public:
  // The channel does not own the descriptors. in_fd == out_fd for a socket.
  LineChannel(int in_fd, int out_fd, size_t max_line_bytes);

  // Bytes of a side channel are read whenever they arrive during a wait and passed to `sink`.
  void set_side_channel(int fd, std::function<void(std::string_view)> sink);

  ChannelStatus write_line(std::string_view line, Deadline deadline);  // appends '\n'
  ChannelStatus read_line(std::string& line, Deadline deadline);       // strips '\n' (and '\r')

  // Bytes received after the last complete line (what a device said before it went quiet).
  std::string_view pending() const { return buffer_; }

 private:
  int wait_timeout_ms(Deadline deadline) const;
  bool drain_side_channel();

  int in_fd_;
  int out_fd_;
  bool out_is_socket_;
  size_t max_line_;
  std::string buffer_;
  size_t scanned_ = 0;  // bytes of buffer_ already searched for '\n'
  int side_fd_ = -1;
  std::function<void(std::string_view)> side_sink_;
};

}  // namespace cts::dut
