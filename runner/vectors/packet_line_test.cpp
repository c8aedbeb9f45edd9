// The text line of `vectors verify`, field by field, against lines typed out by hand.
#include "runner/vectors/packet_line.h"

#include <gtest/gtest.h>

namespace cts::vectors {
namespace {

TEST(PacketLine, AcceptedEsnPacketWithItsExpectation) {
  SidecarPacket expected;
  expected.expect = PacketVerdict::ok;
  PacketReport r;
  r.index = 17;
  r.verdict = PacketVerdict::ok;
  r.has_esp = true;
  r.spi = 0x4242;
  r.esn = true;
  r.seq = 0x00000001FFFFFFFEull;
  r.window_top = 0x00000001FFFFFFFEull;
  r.window_size = 1024;
  r.inner_protocol = 4;
  r.expected = &expected;
  std::string line;
  append_packet_line(r, line);
  EXPECT_EQ(line,
            "#17 PASS ok spi=0x00004242 seq=0x00000001fffffffe esn_high=0x00000001 "
            "window[top=0x00000001fffffffe size=1024] inner=4 expected=ok\n");
}

TEST(PacketLine, FailureNamesTheMismatchAndTheOraclesReason) {
  SidecarPacket expected;
  expected.expect = PacketVerdict::ok;
  PacketReport r;
  r.index = 0;
  r.verdict = PacketVerdict::bad_icv;
  r.detail = "ESP: ICV mismatch";
  r.has_esp = true;
  r.spi = 0xDEADBEEF;
  r.seq = 5;
  r.window_top = 4;
  r.window_size = 64;
  r.expected = &expected;
  r.mismatch = kMismatchVerdict;
  std::string line = "kept:";
  append_packet_line(r, line);
  EXPECT_EQ(line,
            "kept:#0 FAIL bad-icv spi=0xdeadbeef seq=0x00000005 window[top=0x00000004 size=64] "
            "expected=ok mismatch: verdict (ESP: ICV mismatch)\n");
}

TEST(PacketLine, RecordWithoutEsp) {
  PacketReport r;
  r.index = 123456789;
  r.verdict = PacketVerdict::not_esp;
  r.detail = "record holds no IP packet";
  r.mismatch = kMismatchNotOk;
  std::string line;
  append_packet_line(r, line);
  EXPECT_EQ(line, "#123456789 FAIL not-esp mismatch: not ok (record holds no IP packet)\n");
}

}  // namespace
}  // namespace cts::vectors
