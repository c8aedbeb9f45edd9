#include "runner/json/strict_reader.h"

#include <gtest/gtest.h>

#include <functional>

#include "runner/json/json_text.h"

namespace cts::strict {
namespace {

nlohmann::json parse(const std::string& text) {
  std::string error;
  auto doc = parse_text(text, "t.json", error);
  EXPECT_TRUE(doc) << error;
  return doc ? *doc : nlohmann::json();
}

std::string failure(const std::function<void()>& read) {
  try {
    read();
  } catch (const ReadError& e) {
    return e.to_string();
  }
  return "(no error)";
}

TEST(StrictReader, UnknownFieldIsAnErrorNamingItsPathAndTheKnownOnes) {
  const nlohmann::json doc = parse(R"({"name":"x","sas":[{"spi":1,"spy":2}]})");
  const std::string e = failure([&] {
    Object root(doc, "$");
    EXPECT_EQ(root.required("name").as_string(), "x");
    for (const Value& v : root.required("sas").as_array()) {
      Object sa(v);
      EXPECT_EQ(sa.required("spi").as_uint(0xFFFFFFFF), 1u);
      sa.done();
    }
    root.done();
  });
  EXPECT_EQ(e, "$.sas[0].spy: unknown field \"spy\" (known here: spi)");
}

TEST(StrictReader, TypesAndRangesAreChecked) {
  const nlohmann::json doc = parse(R"({"a":"1","b":-1,"c":300,"d":[1],"odd key":true})");
  Object o(doc, "$");
  EXPECT_EQ(failure([&] { o.required("a").as_int(0, 10); }), "$.a: expected an integer, found a string");
  EXPECT_EQ(failure([&] { o.required("b").as_uint(10); }), "$.b: expected a non-negative integer, found -1");
  EXPECT_EQ(failure([&] { o.required("c").as_int(0, 255); }), "$.c: value 300 outside [0, 255]");
  EXPECT_EQ(failure([&] { o.required("d").as_string_array(); }), "$.d[0]: expected a string, found an integer");
  EXPECT_EQ(failure([&] { o.required("missing"); }), "$.missing: missing required field");
  EXPECT_EQ(failure([&] { o.done(); }).substr(0, 30), "$[\"odd key\"]: unknown field \"o");
  EXPECT_FALSE(o.optional("absent"));
  EXPECT_EQ(failure([&] { Object(doc["a"], "$.a"); }), "$.a: expected an object, found a string");
}

TEST(JsonText, ErrorsNameLineColumnAndPath) {
  std::string error;
  EXPECT_FALSE(parse_text("{\"a\": [1, 2,\n  }", "f.json", error));
  EXPECT_NE(error.find("f.json: not valid JSON: line 2, column 3"), std::string::npos) << error;
  EXPECT_NE(error.find("(at $.a[2])"), std::string::npos) << error;
  EXPECT_FALSE(parse_text("", "e.json", error));
  EXPECT_EQ(error, "e.json: not valid JSON: the document is empty");
  EXPECT_FALSE(parse_text(std::string(100000, '['), "deep.json", error));
  EXPECT_NE(error.find("nested deeper than 256 levels"), std::string::npos) << error;
}

TEST(JsonText, DirectoriesAndMissingFilesAreNamedAsSuch) {
  std::string error;
  EXPECT_FALSE(read_file(CTS_SOURCE_ROOT, error, "case file"));
  EXPECT_EQ(error, std::string(CTS_SOURCE_ROOT) + ": is a directory, not a case file");
  EXPECT_FALSE(read_file(std::string(CTS_SOURCE_ROOT) + "/no-such.json", error));
  EXPECT_EQ(error, std::string(CTS_SOURCE_ROOT) + "/no-such.json: cannot open JSON file: No such file or directory");
  EXPECT_TRUE(read_file(std::string(CTS_SOURCE_ROOT) + "/duts/profiles/softnic.json", error)) << error;
}

}  // namespace
}  // namespace cts::strict
