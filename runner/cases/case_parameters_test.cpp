#include "runner/cases/case_parameters.h"

#include <gtest/gtest.h>

#include "runner/cases/case_loader.h"

namespace cts::cases {
namespace {

nlohmann::json parse(const char* text) { return nlohmann::json::parse(text); }

TEST(CaseParameters, CaseWithoutParametersIsUnchanged) {
  ParameterError e;
  auto c = parse(R"({"id": "a.b.c", "comment": "${not} substituted"})");
  auto out = expand_case_parameters(c, e);
  ASSERT_EQ(out.size(), 1u);
  EXPECT_EQ(out[0].object, c);
  EXPECT_EQ(out[0].parameters, "");
}

TEST(CaseParameters, ExpandsInOrderWrittenWithTypedWholeReferencesAndSplices) {
  ParameterError e;
  auto out = expand_case_parameters(parse(R"({
    "id": "a.b.c",
    "parameters": [
      {"name": "alg", "values": [{"name": "gcm", "enc": "AES_GCM_128", "caps": ["enc:AES_GCM_128"]},
                                 {"name": "cbc", "enc": "AES_CBC_128", "caps": ["enc:AES_CBC_128", "auth:SHA_1_96"]}]},
      {"name": "ip", "values": [4, 6]}],
    "exclude": [{"alg": "cbc", "ip": 6}],
    "comment": "${alg} over IPv${ip}",
    "capabilities": ["add_sa", "${alg.caps}"],
    "steps": [{"ip": "${ip}", "encryption": "${alg.enc}"}]})"), e);
  ASSERT_EQ(out.size(), 3u) << e.message;
  EXPECT_EQ(out[0].object["id"], "a.b.c[alg=gcm,ip=4]");
  EXPECT_EQ(out[1].object["id"], "a.b.c[alg=gcm,ip=6]");
  EXPECT_EQ(out[2].object["id"], "a.b.c[alg=cbc,ip=4]");
  EXPECT_EQ(out[1].object["comment"], "gcm over IPv6");
  EXPECT_EQ(out[1].object["steps"][0]["ip"], 6);  // a number stays a number
  EXPECT_EQ(out[2].object["capabilities"], parse(R"(["add_sa", "enc:AES_CBC_128", "auth:SHA_1_96"])"));
  EXPECT_FALSE(out[0].object.contains("parameters"));
  EXPECT_FALSE(out[0].object.contains("exclude"));
}

TEST(CaseParameters, ErrorsNameThePlace) {
  ParameterError e;
  EXPECT_TRUE(expand_case_parameters(parse(R"({"id": "a.b.c", "parameters": [{"name": "x", "values": [1]}],
                                               "comment": "${y}"})"), e).empty());
  EXPECT_EQ(e.path, "$.comment");
  EXPECT_NE(e.message.find("names no parameter"), std::string::npos);
  EXPECT_TRUE(expand_case_parameters(parse(R"({"parameters": [{"name": "x", "values": [1, 1]}]})"), e).empty());
  EXPECT_EQ(e.path, "$.parameters[0].values[1]");
  EXPECT_TRUE(expand_case_parameters(parse(R"({"parameters": [{"name": "x", "values": [1]}],
                                               "exclude": [{"x": 2}]})"), e).empty());
  EXPECT_EQ(e.path, "$.exclude[0].x");
  EXPECT_TRUE(expand_case_parameters(parse(R"({"parameters": [{"name": "x", "values": [{"name": "a"}]}],
                                               "comment": "${x.missing}"})"), e).empty());
  EXPECT_NE(e.message.find("no field"), std::string::npos);
}

TEST(CaseParameters, LoaderReadsEachCombinationAsItsOwnCase) {
  const char* text = R"({"format": 1, "area": "t", "description": "d",
    "notes": {"F": {"bug_class": "b", "checks": "c", "impact": "i", "requirements": []}},
    "cases": [{"id": "t.p.c", "parameters": [{"name": "n", "values": [1, 2, 3]}],
               "comment": "n=${n}", "flags": ["F"], "requirements": ["ADD-003"],
               "steps": [{"op": "oid", "oid": "DELETE_SA", "handles": ["@null"], "expect": {"status": "${n}"}}]}]})";
  LoadResult r = load_case_text(text, "t.json");
  ASSERT_TRUE(r.ok()) << r.errors[0].to_string();
  ASSERT_EQ(r.files[0].cases.size(), 3u);
  EXPECT_EQ(r.files[0].cases[2].id, "t.p.c[n=3]");
  EXPECT_EQ(r.files[0].cases[2].index, 0u);  // the position in the file
  // A bad combination is reported under its own path.
  const char* bad = R"({"format": 1, "area": "t", "description": "d", "notes": {},
    "cases": [{"id": "t.p.c", "parameters": [{"name": "n", "values": ["x", "y"]}],
               "comment": "c", "flags": [], "requirements": ["ADD-003"],
               "steps": [{"op": "${n}"}]}]})";
  r = load_case_text(bad, "t.json");
  ASSERT_EQ(r.errors.size(), 2u);
  EXPECT_NE(r.errors[0].path.find("[n=x]"), std::string::npos) << r.errors[0].path;
}

}  // namespace
}  // namespace cts::cases
