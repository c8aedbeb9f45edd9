#include "runner/core/label_table.h"

#include <gtest/gtest.h>

#include <map>
#include <string>

namespace cts::core {
namespace {

struct State {
  int value = 0;
};

TEST(LabelTable, FindsWhatWasAddedAndNothingElse) {
  LabelTable<State> t;
  EXPECT_EQ(t.find("a"), nullptr);
  bool fresh = false;
  t.emplace("a", fresh).value = 1;
  EXPECT_TRUE(fresh);
  t.emplace("", fresh).value = 2;  // the empty name is a name like any other
  EXPECT_TRUE(fresh);
  ASSERT_NE(t.find("a"), nullptr);
  EXPECT_EQ(t.find("a")->value, 1);
  EXPECT_EQ(t.find("")->value, 2);
  EXPECT_EQ(t.find("b"), nullptr);
  EXPECT_EQ(t.find("a "), nullptr);
  State& again = t.emplace("a", fresh);
  EXPECT_FALSE(fresh);
  EXPECT_EQ(again.value, 1);
  EXPECT_EQ(t.size(), 2u);
}

TEST(LabelTable, StatesStayPutThroughGrowthAndAgreeWithAReferenceMap) {
  LabelTable<State> t;
  std::map<std::string, int> ref;
  bool fresh = false;
  State* first = &t.emplace("in0", fresh);
  t.reserve(1000);  // a fill announcing its size, then growing past it
  for (int i = 0; i < 300000; ++i) {
    const std::string name = (i % 2 ? "out" : "in") + std::to_string(i / 2);
    t.emplace(name, fresh).value += i;
    ref[name] += i;
  }
  EXPECT_EQ(first, t.find("in0"));
  EXPECT_EQ(t.size(), ref.size());
  for (const auto& [name, v] : ref) {
    ASSERT_NE(t.find(name), nullptr) << name;
    EXPECT_EQ(t.find(name)->value, v) << name;
  }
  size_t visited = 0;
  t.for_each([&](std::string_view name, const State& s) {
    EXPECT_EQ(ref.at(std::string(name)), s.value);
    ++visited;
  });
  EXPECT_EQ(visited, ref.size());
}

}  // namespace
}  // namespace cts::core
