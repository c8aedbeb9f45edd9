// libFuzzer target: arbitrary octets as the request lines an agent reads (the agent end of the
// process protocol, runner/dut/agent_server.h), served by the oracle device. Whatever arrives,
// the agent answers each line or ends the session; it never crashes.
#include <sys/mman.h>
#include <fcntl.h>
#include <unistd.h>

#include <cstddef>
#include <cstdint>

#include "runner/dut/agent_server.h"
#include "runner/dut/oracle_adapter.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  static const int sink = ::open("/dev/null", O_WRONLY | O_CLOEXEC);
  const int in = ::memfd_create("requests", MFD_CLOEXEC);
  if (in < 0 || sink < 0) return 0;
  size_t written = 0;
  while (written < size) {
    const ssize_t n = ::write(in, data + written, size - written);
    if (n <= 0) break;
    written += static_cast<size_t>(n);
  }
  ::lseek(in, 0, SEEK_SET);
  cts::dut::AgentOptions options;
  options.max_line_bytes = 1u << 16;
  cts::dut::AgentServer server([](const std::string&) { return cts::dut::open_oracle(""); },
                               options);
  (void)server.serve(in, sink);
  ::close(in);
  return 0;
}
