// getaddrinfo-based connect/listen for the process protocol's TCP transport.
#include "runner/dut/tcp.h"

#include <arpa/inet.h>
#include <fcntl.h>
#include <netdb.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>

namespace cts::dut {
namespace {

DutError invalid(std::string message) {
  return DutError{DutErrorKind::invalid_argument, std::move(message), {}};
}

struct AddrInfoList {
  addrinfo* list = nullptr;
  ~AddrInfoList() {
    if (list != nullptr) freeaddrinfo(list);
  }
};

std::string endpoint_text(const HostPort& where) {
  const bool v6 = where.host.find(':') != std::string::npos;
  return (v6 ? "[" + where.host + "]" : where.host) + ":" + std::to_string(where.port);
}

// The first address of the list that is not loopback, as text; empty when all are loopback.
std::string first_remote(const addrinfo* list) {
  for (const addrinfo* ai = list; ai != nullptr; ai = ai->ai_next) {
    if (is_loopback(ai->ai_addr)) continue;
    char text[INET6_ADDRSTRLEN] = {0};
    const void* raw = ai->ai_family == AF_INET
                          ? static_cast<const void*>(&reinterpret_cast<const sockaddr_in*>(ai->ai_addr)->sin_addr)
                          : static_cast<const void*>(&reinterpret_cast<const sockaddr_in6*>(ai->ai_addr)->sin6_addr);
    ::inet_ntop(ai->ai_family, raw, text, sizeof(text));
    return text[0] != 0 ? std::string(text) : std::string("?");
  }
  return {};
}

}  // namespace

bool is_loopback(const sockaddr* address) {
  if (address == nullptr) return false;
  if (address->sa_family == AF_INET) {
    const auto* a = reinterpret_cast<const sockaddr_in*>(address);
    return (ntohl(a->sin_addr.s_addr) >> 24) == 127;
  }
  if (address->sa_family == AF_INET6) {
    const auto* a = reinterpret_cast<const sockaddr_in6*>(address);
    if (IN6_IS_ADDR_LOOPBACK(&a->sin6_addr)) return true;
    return IN6_IS_ADDR_V4MAPPED(&a->sin6_addr) && a->sin6_addr.s6_addr[12] == 127;
  }
  return false;
}

DutResult<HostPort> parse_host_port(std::string_view text, std::string_view default_host) {
  HostPort out;
  std::string_view port_text;
  if (!text.empty() && text.front() == '[') {
    const size_t close = text.find(']');
    if (close == std::string_view::npos || close + 1 >= text.size() || text[close + 1] != ':') {
      return invalid("'" + std::string(text) + "': expected [IPV6]:PORT");
    }
    out.host = std::string(text.substr(1, close - 1));
    port_text = text.substr(close + 2);
  } else if (const size_t colon = text.rfind(':'); colon != std::string_view::npos) {
    out.host = std::string(text.substr(0, colon));
    port_text = text.substr(colon + 1);
    if (out.host.find(':') != std::string::npos) {
      return invalid("'" + std::string(text) + "': write IPv6 addresses as [ADDR]:PORT");
    }
  } else if (!default_host.empty()) {
    out.host = std::string(default_host);
    port_text = text;
  } else {
    return invalid("'" + std::string(text) + "': expected HOST:PORT");
  }
  if (out.host.empty()) return invalid("'" + std::string(text) + "': empty host");
  if (port_text.empty() || port_text.size() > 5) {
    return invalid("'" + std::string(text) + "': port must be a number in [0, 65535]");
  }
  unsigned long port = 0;
  for (char c : port_text) {
    if (c < '0' || c > '9') return invalid("'" + std::string(text) + "': port is not a number");
    port = port * 10 + static_cast<unsigned long>(c - '0');
  }
  if (port > 65535) return invalid("'" + std::string(text) + "': port exceeds 65535");
  out.port = static_cast<uint16_t>(port);
  return out;
}

namespace {

// Resolves where.host for a connect; the loopback rule applied.
DutStatus resolve_for_connect(const HostPort& where, AddrInfoList& found) {
  addrinfo hints{};
  hints.ai_family = AF_UNSPEC;
  hints.ai_socktype = SOCK_STREAM;
  const std::string port = std::to_string(where.port);
  if (const int rc = getaddrinfo(where.host.c_str(), port.c_str(), &hints, &found.list); rc != 0) {
    return DutError{DutErrorKind::device_error,
                    "tcp:" + endpoint_text(where) + ": cannot resolve: " + gai_strerror(rc), {}};
  }
  if (!where.allow_remote) {
    if (const std::string remote = first_remote(found.list); !remote.empty()) {
      return invalid("tcp:" + endpoint_text(where) + ": " + remote +
                     " is not a loopback address; the process protocol is unauthenticated and "
                     "carries SA keys in clear, so a remote device needs --allow-remote-device");
    }
  }
  return Done{};
}

}  // namespace

DutStatus check_connect_address(const HostPort& where) {
  AddrInfoList found;
  return resolve_for_connect(where, found);
}

DutResult<int> tcp_connect(const HostPort& where, Deadline deadline) {
  AddrInfoList found;
  if (auto resolved = resolve_for_connect(where, found); !resolved) return resolved.error();
  std::string last_reason = "no address";
  for (addrinfo* ai = found.list; ai != nullptr; ai = ai->ai_next) {
    const int fd = ::socket(ai->ai_family, ai->ai_socktype | SOCK_CLOEXEC | SOCK_NONBLOCK,
                            ai->ai_protocol);
    if (fd < 0) {
      last_reason = std::strerror(errno);
      continue;
    }
    int rc = ::connect(fd, ai->ai_addr, ai->ai_addrlen);
    if (rc != 0 && errno == EINPROGRESS) {
      pollfd p{fd, POLLOUT, 0};
      int timeout = -1;
      if (deadline) {
        const auto left =
            std::chrono::duration_cast<std::chrono::milliseconds>(*deadline - Clock::now());
        timeout = static_cast<int>(std::max<long long>(0, left.count()));
      }
      int ready;
      do {
        ready = ::poll(&p, 1, timeout);
      } while (ready < 0 && errno == EINTR);
      if (ready == 0) {
        ::close(fd);
        return DutError{DutErrorKind::timeout, "tcp:" + endpoint_text(where) + ": connect timed out", {}};
      }
      int so_error = 0;
      socklen_t len = sizeof(so_error);
      ::getsockopt(fd, SOL_SOCKET, SO_ERROR, &so_error, &len);
      rc = so_error == 0 ? 0 : -1;
      errno = so_error;
    }
    if (rc == 0) {
      const int one = 1;
      ::setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof(one));
      return fd;
    }
    last_reason = std::strerror(errno);
    ::close(fd);
  }
  return DutError{DutErrorKind::closed, "tcp:" + endpoint_text(where) + ": cannot connect: " + last_reason, {}};
}

DutResult<int> tcp_listen(HostPort& where) {
  addrinfo hints{};
  hints.ai_family = AF_UNSPEC;
  hints.ai_socktype = SOCK_STREAM;
  hints.ai_flags = AI_PASSIVE | AI_NUMERICSERV;
  AddrInfoList found;
  const std::string port = std::to_string(where.port);
  if (const int rc = getaddrinfo(where.host.c_str(), port.c_str(), &hints, &found.list); rc != 0) {
    return invalid("listen " + endpoint_text(where) + ": cannot resolve: " + gai_strerror(rc));
  }
  if (!where.allow_remote) {
    if (const std::string remote = first_remote(found.list); !remote.empty()) {
      return invalid("listen " + endpoint_text(where) + ": " + remote +
                     " is not a loopback address; the process protocol is unauthenticated and "
                     "carries SA keys in clear, so listening beyond this machine needs "
                     "--allow-remote");
    }
  }
  std::string last_reason = "no address";
  for (addrinfo* ai = found.list; ai != nullptr; ai = ai->ai_next) {
    const int fd = ::socket(ai->ai_family, ai->ai_socktype | SOCK_CLOEXEC, ai->ai_protocol);
    if (fd < 0) {
      last_reason = std::strerror(errno);
      continue;
    }
    const int one = 1;
    ::setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof(one));
    if (::bind(fd, ai->ai_addr, ai->ai_addrlen) != 0 || ::listen(fd, 4) != 0) {
      last_reason = std::strerror(errno);
      ::close(fd);
      continue;
    }
    sockaddr_storage bound{};
    socklen_t len = sizeof(bound);
    ::getsockname(fd, reinterpret_cast<sockaddr*>(&bound), &len);
    char host[INET6_ADDRSTRLEN] = {0};
    if (bound.ss_family == AF_INET) {
      const auto* a = reinterpret_cast<const sockaddr_in*>(&bound);
      ::inet_ntop(AF_INET, &a->sin_addr, host, sizeof(host));
      where.port = ntohs(a->sin_port);
    } else {
      const auto* a = reinterpret_cast<const sockaddr_in6*>(&bound);
      ::inet_ntop(AF_INET6, &a->sin6_addr, host, sizeof(host));
      where.port = ntohs(a->sin6_port);
    }
    where.host = host;
    return fd;
  }
  return DutError{DutErrorKind::device_error,
                  "listen " + endpoint_text(where) + ": " + last_reason, {}};
}

}  // namespace cts::dut
