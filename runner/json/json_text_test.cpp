// Parsing as the results views, the expectations file and the requirement catalogue meet it:
// errors name the origin, the line and the JSON path being read when the parser stopped.
#include "runner/json/json_text.h"

#include <gtest/gtest.h>

namespace cts::strict {
namespace {

TEST(JsonTextDocuments, TruncatedDocumentNamesFileLineAndPath) {
  const std::string text = "{\n  \"cases\": [\n    {\"id\": \"a\"},\n    {\"id\": \"b\", \"findings\": [{\"step\": \"st";
  std::string error;
  EXPECT_FALSE(parse_text(text, "out/results.json", error));
  EXPECT_NE(error.find("out/results.json: not valid JSON"), std::string::npos) << error;
  EXPECT_NE(error.find("line 4"), std::string::npos) << error;
  EXPECT_NE(error.find("(at $.cases[1].findings[0].step)"), std::string::npos) << error;
}

TEST(JsonTextDocuments, SyntaxErrorInsideAnArrayNamesTheElement) {
  std::string error;
  EXPECT_FALSE(parse_text(R"({"run": {"filters": ["a", "b", nope]}})", "r.json", error));
  EXPECT_NE(error.find("(at $.run.filters[2])"), std::string::npos) << error;
}

TEST(JsonTextDocuments, NonJsonAndBadUtf8) {
  std::string error;
  EXPECT_FALSE(parse_text("<html>", "page.html", error));
  EXPECT_EQ(error.rfind("page.html: not valid JSON", 0), 0u) << error;
  EXPECT_FALSE(parse_text("{\"a\": \"\xFF\"}", "bytes.json", error));
  EXPECT_EQ(error.rfind("bytes.json: not valid JSON", 0), 0u) << error;
}

TEST(JsonTextDocuments, NestingUpToTheLimitIsRead) {
  std::string error;
  const std::string ok = std::string(kMaxDepth - 1, '[') + std::string(kMaxDepth - 1, ']');
  EXPECT_TRUE(parse_text(ok, "ok.json", error)) << error;
  const std::string deep = std::string(kMaxDepth + 1, '[') + std::string(kMaxDepth + 1, ']');
  EXPECT_FALSE(parse_text(deep, "deep.json", error));
  EXPECT_NE(error.find("nested deeper than"), std::string::npos) << error;
}

TEST(JsonTextDocuments, PathsOfMembersAndIndices) {
  EXPECT_EQ(path_member("$", "cases"), "$.cases");
  EXPECT_EQ(path_index("$.cases", 3), "$.cases[3]");
  EXPECT_EQ(path_member("$.requirements", "ADD-006"), "$.requirements[\"ADD-006\"]");
}

}  // namespace
}  // namespace cts::strict
