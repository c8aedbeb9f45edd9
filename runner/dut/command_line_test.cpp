#include "runner/dut/command_line.h"

#include <gtest/gtest.h>

namespace cts::dut {
namespace {

std::vector<std::string> split(std::string_view line) {
  auto r = split_command_line(line);
  EXPECT_TRUE(r) << r.error().message;
  return r ? *r : std::vector<std::string>{};
}

TEST(CommandLine, SplitsLikeAShellWithoutExpanding) {
  using V = std::vector<std::string>;
  EXPECT_EQ(split("agent --listen 1234"), (V{"agent", "--listen", "1234"}));
  EXPECT_EQ(split("  a\t b  "), (V{"a", "b"}));
  EXPECT_EQ(split("agent --config '{\"x\": 1}'"), (V{"agent", "--config", "{\"x\": 1}"}));
  EXPECT_EQ(split("a \"b c\" d\\ e"), (V{"a", "b c", "d e"}));
  EXPECT_EQ(split("a \"q\\\"x\\\\\""), (V{"a", "q\"x\\"}));
  EXPECT_EQ(split("a 'x'\"y\"z"), (V{"a", "xyz"}));
  EXPECT_EQ(split("a ''"), (V{"a", ""}));
  // What a shell would run or expand stays one literal word.
  EXPECT_EQ(split("agent; rm -rf / $HOME `id` | cat"),
            (V{"agent;", "rm", "-rf", "/", "$HOME", "`id`", "|", "cat"}));
}

TEST(CommandLine, RefusesWhatCannotBeSplit) {
  for (const char* bad : {"", "   ", "a 'b", "a \"b", "a \\"}) {
    auto r = split_command_line(bad);
    ASSERT_FALSE(r) << bad;
    EXPECT_EQ(r.error().kind, DutErrorKind::invalid_argument);
  }
}

TEST(CommandLine, FindsProgramsOnPathOnly) {
  auto sh = find_program("sh");
  ASSERT_TRUE(sh) << sh.error().message;
  EXPECT_EQ(sh->back(), 'h');
  EXPECT_EQ(*find_program("./x"), "./x");
  auto none = find_program("no-such-agent-xyz");
  ASSERT_FALSE(none);
  EXPECT_NE(none.error().message.find("not found in PATH"), std::string::npos);
}

}  // namespace
}  // namespace cts::dut
