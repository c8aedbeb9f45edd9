#include "runner/cases/expression.h"

#include <gtest/gtest.h>

namespace cts::cases {
namespace {

ExprEnv env() {
  ExprEnv e;
  e.set("capacity", 1024);
  e.set("i", 7);
  return e;
}

TEST(Expression, ArithmeticFollowsCPrecedence) {
  EXPECT_EQ(Expr::parse("capacity + 1").eval(env()), 1025);
  EXPECT_EQ(Expr::parse("2 + 3 * 4").eval(env()), 14);
  EXPECT_EQ(Expr::parse("(2 + 3) * 4").eval(env()), 20);
  EXPECT_EQ(Expr::parse("0x1000 + i").eval(env()), 0x1007);
  EXPECT_EQ(Expr::parse("-i % 4").eval(env()), -3);
  EXPECT_EQ(Expr::parse("i / 2").eval(env()), 3);
  EXPECT_EQ(Expr::parse("min(capacity, 8, i)").eval(env()), 7);
  EXPECT_EQ(Expr::parse("max(1, capacity - 1)").eval(env()), 1023);
  EXPECT_EQ(Expr::parse("4294967295 + 1").eval(env()), 4294967296);
}

TEST(Expression, ReportsVariables) {
  const auto vars = Expr::parse("min(capacity, i) + x").variables();
  EXPECT_EQ(vars, (std::set<std::string>{"capacity", "i", "x"}));
  EXPECT_TRUE(Expr::parse("3 * (4 + 1)").is_constant());
}

TEST(Expression, RejectsBadSyntaxWithPosition) {
  for (const char* bad : {"", "1 +", "(1", "1)", "capacity capacity", "0x", "09a", "foo(1)", "1 $ 2"}) {
    EXPECT_THROW(Expr::parse(bad), ExprError) << bad;
  }
  try {
    Expr::parse("1 + ");
    FAIL();
  } catch (const ExprError& e) {
    EXPECT_NE(std::string(e.what()).find("column"), std::string::npos);
  }
}

TEST(Expression, EvaluationErrorsAreValuesNotCrashes) {
  EXPECT_THROW(Expr::parse("unknown + 1").eval(env()), ExprError);
  EXPECT_THROW(Expr::parse("1 / (i - 7)").eval(env()), ExprError);
  EXPECT_THROW(Expr::parse("9223372036854775807 + 1").eval(env()), ExprError);
  EXPECT_THROW(Expr::parse("99999999999999999999"), ExprError);
}

TEST(StringTemplate, RendersExpressions) {
  EXPECT_EQ(StringTemplate::parse("in{i}").render(env()), "in7");
  EXPECT_EQ(StringTemplate::parse("10.1.{i / 256}.{i % 256 + 1}").render(env()), "10.1.0.8");
  EXPECT_EQ(StringTemplate::parse("plain").render(env()), "plain");
  EXPECT_EQ(StringTemplate::parse("a{i}{i}").variables(), (std::set<std::string>{"i"}));
  EXPECT_THROW(StringTemplate::parse("in{i"), ExprError);
  EXPECT_THROW(StringTemplate::parse("in}"), ExprError);
}

}  // namespace
}  // namespace cts::cases
