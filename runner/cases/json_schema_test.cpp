#include "runner/cases/json_schema.h"

#include <gtest/gtest.h>

#include <fstream>
#include <sstream>

#include "runner/cases/case_loader.h"
#include "runner/cases/case_parameters.h"

namespace cts::cases {
namespace {

using nlohmann::json;

TEST(JsonSchema, CoreKeywords) {
  const JsonSchema s(json::parse(R"({
    "type": "object", "additionalProperties": false, "required": ["a"],
    "properties": {
      "a": {"type": "integer", "minimum": 1, "maximum": 9},
      "b": {"type": "array", "items": {"enum": ["x", "y"]}, "minItems": 1, "uniqueItems": true},
      "c": {"$ref": "#/$defs/c"}},
    "$defs": {"c": {"oneOf": [{"type": "string", "pattern": "^z+$"}, {"const": 7}]}}})"));
  EXPECT_TRUE(s.validate(json::parse(R"({"a": 3, "b": ["x"], "c": "zz"})")).empty());
  EXPECT_TRUE(s.validate(json::parse(R"({"a": 3, "c": 7})")).empty());
  const auto v = s.validate(json::parse(R"({"a": 0, "b": ["x", "x", "q"], "c": "y", "d": 1})"));
  std::set<std::string> paths;
  for (const auto& x : v) paths.insert(x.path);
  EXPECT_TRUE(paths.count("$.a"));
  EXPECT_TRUE(paths.count("$.b"));
  EXPECT_TRUE(paths.count("$.b[2]"));
  EXPECT_TRUE(paths.count("$.c"));
  EXPECT_TRUE(paths.count("$.d"));
  EXPECT_FALSE(s.validate(json::parse(R"({"b": []})")).empty());
}

TEST(JsonSchema, RefusesKeywordsItDoesNotImplement) {
  EXPECT_THROW(JsonSchema(json::parse(R"({"type": "object", "if": {}})")), std::invalid_argument);
  EXPECT_THROW(JsonSchema(json::parse(R"({"$ref": "#/$defs/missing"})")), std::invalid_argument);
}

TEST(JsonSchema, CaseSchemaAcceptsTheLibraryAndRejectsTypos) {
  std::ifstream in(std::string(CTS_SOURCE_ROOT) + "/cases/schema/case_file.schema.json");
  ASSERT_TRUE(in);
  std::stringstream ss;
  ss << in.rdbuf();
  const JsonSchema schema(json::parse(ss.str()));
  std::vector<LoadError> errors;
  const auto files = find_case_files({std::string(CTS_SOURCE_ROOT) + "/cases"}, errors);
  ASSERT_FALSE(files.empty());
  for (const auto& f : files) {
    std::ifstream cf(f);
    std::stringstream cs;
    cs << cf.rdbuf();
    json doc = expand_document_cases(json::parse(cs.str()));
    for (const auto& v : schema.validate(doc)) ADD_FAILURE() << f << ": " << v.path << ": " << v.message;
    // The same file with a misspelt step field must be refused by the schema too.
    doc["cases"][0]["steps"][0]["expectt"] = json::object();
    EXPECT_FALSE(schema.validate(doc).empty()) << f;
  }
}

}  // namespace
}  // namespace cts::cases
