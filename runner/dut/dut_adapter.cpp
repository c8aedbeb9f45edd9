// Names of error kinds and the locating of bundled files next to the running executable.
#include "runner/dut/dut_adapter.h"

#include <unistd.h>

#include <climits>

namespace cts::dut {

std::string_view to_string(DutErrorKind kind) {
  switch (kind) {
    case DutErrorKind::unsupported: return "unsupported";
    case DutErrorKind::invalid_argument: return "invalid_argument";
    case DutErrorKind::device_error: return "device_error";
    case DutErrorKind::crashed: return "crashed";
    case DutErrorKind::timeout: return "timeout";
    case DutErrorKind::protocol_error: return "protocol_error";
    case DutErrorKind::closed: return "closed";
  }
  return "unknown";
}

std::string DutError::to_string() const {
  std::string text(cts::dut::to_string(kind));
  text += ": ";
  text += message;
  if (!raw.empty()) {
    text += " [device said: ";
    text += raw;
    text += "]";
  }
  return text;
}

std::string executable_directory() {
  char path[PATH_MAX];
  const ssize_t n = ::readlink("/proc/self/exe", path, sizeof(path) - 1);
  if (n <= 0) return ".";
  std::string exe(path, static_cast<size_t>(n));
  const size_t slash = exe.rfind('/');
  if (slash == std::string::npos) return ".";
  if (slash == 0) return "/";
  return exe.substr(0, slash);
}

}  // namespace cts::dut
