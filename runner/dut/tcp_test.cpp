// The loopback rule of the TCP transport: without allow_remote, neither a connect nor a listen
// reaches beyond this machine, and the refusal names the address and the flag.
#include "runner/dut/tcp.h"

#include <arpa/inet.h>
#include <netinet/in.h>
#include <unistd.h>

#include <gtest/gtest.h>

namespace cts::dut {
namespace {

sockaddr_in v4(const char* text) {
  sockaddr_in a{};
  a.sin_family = AF_INET;
  EXPECT_EQ(::inet_pton(AF_INET, text, &a.sin_addr), 1) << text;
  return a;
}

sockaddr_in6 v6(const char* text) {
  sockaddr_in6 a{};
  a.sin6_family = AF_INET6;
  EXPECT_EQ(::inet_pton(AF_INET6, text, &a.sin6_addr), 1) << text;
  return a;
}

bool loopback4(const char* text) {
  const sockaddr_in a = v4(text);
  return is_loopback(reinterpret_cast<const sockaddr*>(&a));
}

bool loopback6(const char* text) {
  const sockaddr_in6 a = v6(text);
  return is_loopback(reinterpret_cast<const sockaddr*>(&a));
}

TEST(TcpLoopback, ClassifiesAddresses) {
  EXPECT_TRUE(loopback4("127.0.0.1"));
  EXPECT_TRUE(loopback4("127.255.1.2"));
  EXPECT_FALSE(loopback4("0.0.0.0"));
  EXPECT_FALSE(loopback4("192.0.2.1"));
  EXPECT_FALSE(loopback4("128.0.0.1"));
  EXPECT_TRUE(loopback6("::1"));
  EXPECT_TRUE(loopback6("::ffff:127.0.0.1"));
  EXPECT_FALSE(loopback6("::"));
  EXPECT_FALSE(loopback6("2001:db8::1"));
  EXPECT_FALSE(loopback6("::ffff:192.0.2.1"));
  EXPECT_FALSE(is_loopback(nullptr));
}

TEST(TcpLoopback, ConnectRefusesARemoteAddressWithoutTheFlag) {
  HostPort where{"192.0.2.1", 7000};
  const auto started = Clock::now();
  auto fd = tcp_connect(where, Clock::now() + std::chrono::seconds(30));
  ASSERT_FALSE(fd.ok());
  EXPECT_EQ(fd.error().kind, DutErrorKind::invalid_argument);
  EXPECT_NE(fd.error().message.find("192.0.2.1 is not a loopback address"), std::string::npos)
      << fd.error().message;
  EXPECT_NE(fd.error().message.find("--allow-remote-device"), std::string::npos);
  // Refused before any packet: no connect timeout was paid.
  EXPECT_LT(Clock::now() - started, std::chrono::seconds(2));

  where.allow_remote = true;
  fd = tcp_connect(where, Clock::now() + std::chrono::milliseconds(200));
  ASSERT_FALSE(fd.ok());  // nothing listens at TEST-NET-1, but now it was tried
  EXPECT_EQ(fd.error().message.find("not a loopback address"), std::string::npos)
      << fd.error().message;
}

TEST(TcpLoopback, ListenStaysOnLoopbackUnlessAllowed) {
  for (const char* host : {"0.0.0.0", "::"}) {
    HostPort where{host, 0};
    auto fd = tcp_listen(where);
    ASSERT_FALSE(fd.ok()) << host;
    EXPECT_EQ(fd.error().kind, DutErrorKind::invalid_argument);
    EXPECT_NE(fd.error().message.find("--allow-remote"), std::string::npos) << fd.error().message;
  }
  HostPort local{"127.0.0.1", 0};
  auto fd = tcp_listen(local);
  ASSERT_TRUE(fd.ok()) << fd.error().message;
  EXPECT_NE(local.port, 0);
  ::close(*fd);

  HostPort any{"0.0.0.0", 0, true};
  fd = tcp_listen(any);
  ASSERT_TRUE(fd.ok()) << fd.error().message;
  EXPECT_EQ(any.host, "0.0.0.0");
  ::close(*fd);
}

TEST(TcpLoopback, ALoopbackNameConnects) {
  HostPort server{"127.0.0.1", 0};
  auto listener = tcp_listen(server);
  ASSERT_TRUE(listener.ok());
  HostPort by_name{"localhost", server.port};
  auto fd = tcp_connect(by_name, Clock::now() + std::chrono::seconds(5));
  // localhost may also resolve to ::1, where nothing listens; the loopback rule must let it try.
  if (!fd.ok()) {
    EXPECT_EQ(fd.error().message.find("not a loopback address"), std::string::npos)
        << fd.error().message;
  } else {
    ::close(*fd);
  }
  ::close(*listener);
}

}  // namespace
}  // namespace cts::dut
