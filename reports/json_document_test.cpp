#include "reports/json_document.h"

#include <gtest/gtest.h>

namespace cts::reports {
namespace {

TEST(ParseJsonDocument, ParsesAValidDocument) {
  std::string error;
  auto doc = parse_json_document(R"({"a": [1, {"b": "c"}]})", "x.json", error);
  ASSERT_TRUE(doc) << error;
  EXPECT_EQ((*doc)["a"][1]["b"], "c");
}

TEST(ParseJsonDocument, TruncatedDocumentNamesFileLineAndPath) {
  const std::string text = "{\n  \"cases\": [\n    {\"id\": \"a\"},\n    {\"id\": \"b\", \"findings\": [{\"step\": \"st";
  std::string error;
  EXPECT_FALSE(parse_json_document(text, "out/results.json", error));
  EXPECT_NE(error.find("out/results.json: not valid JSON"), std::string::npos) << error;
  EXPECT_NE(error.find("line 4"), std::string::npos) << error;
  EXPECT_NE(error.find("(at $.cases[1].findings[0].step)"), std::string::npos) << error;
}

TEST(ParseJsonDocument, SyntaxErrorInsideAnArrayNamesTheElement) {
  std::string error;
  EXPECT_FALSE(parse_json_document(R"({"run": {"filters": ["a", "b", nope]}})", "r.json", error));
  EXPECT_NE(error.find("(at $.run.filters[2])"), std::string::npos) << error;
}

TEST(ParseJsonDocument, EmptyAndNonJsonInput) {
  std::string error;
  EXPECT_FALSE(parse_json_document("", "empty.json", error));
  EXPECT_NE(error.find("empty.json: not valid JSON"), std::string::npos) << error;
  EXPECT_FALSE(parse_json_document("<html>", "page.html", error));
  EXPECT_NE(error.find("page.html"), std::string::npos);
  EXPECT_FALSE(parse_json_document("{\"a\": \"\xFF\"}", "bytes.json", error));  // not UTF-8
  EXPECT_NE(error.find("bytes.json: not valid JSON"), std::string::npos) << error;
}

TEST(ParseJsonDocument, RejectsDeepNestingWithoutRecursing) {
  const std::string deep = std::string(100000, '[') + std::string(100000, ']');
  std::string error;
  EXPECT_FALSE(parse_json_document(deep, "deep.json", error));
  EXPECT_NE(error.find("nested deeper than"), std::string::npos) << error;
  const std::string ok = std::string(kMaxJsonDepth - 1, '[') + std::string(kMaxJsonDepth - 1, ']');
  EXPECT_TRUE(parse_json_document(ok, "ok.json", error)) << error;
}

TEST(ReadJsonFile, MissingFileAndDirectory) {
  std::string error;
  EXPECT_FALSE(read_json_file("/nonexistent/results.json", error));
  EXPECT_EQ(error, "/nonexistent/results.json: cannot open");
  EXPECT_FALSE(read_json_file("/", error));
  EXPECT_NE(error.find("is a directory"), std::string::npos);
}

TEST(JsonPath, MembersAndIndices) {
  EXPECT_EQ(json_path_member("$", "cases"), "$.cases");
  EXPECT_EQ(json_path_index("$.cases", 3), "$.cases[3]");
  EXPECT_EQ(json_path_member("$.requirements", "ADD-006"), "$.requirements[\"ADD-006\"]");
  EXPECT_EQ(json_path_member("$", "a\"b\x01"), "$[\"a\\\"b\\\\u0001\"]");
}

}  // namespace
}  // namespace cts::reports
