#include "runner/cases/case_loader.h"

#include <gtest/gtest.h>

#include <nlohmann/json.hpp>

namespace cts::cases {
namespace {

using nlohmann::json;

json minimal_file() {
  return json::parse(R"({
    "format": 1, "area": "t", "description": "d",
    "notes": {"F": {"bug_class": "b", "checks": "c", "impact": "i", "requirements": ["ADD-006"]}},
    "cases": [{
      "id": "t.group.one", "comment": "c", "flags": ["F"], "requirements": ["ADD-006"],
      "capabilities": ["add_sa", "enc:AES_GCM_128", "!esn"],
      "steps": [
        {"op": "oid", "oid": "ADD_SA",
         "sas": [{"label": "in{i}", "direction": "inbound", "ip": 6,
                  "esp": {"spi": "0x1000 + capacity", "encryption": "AES_GCM_128", "esn": true, "seq_high": 3}}],
         "edits": [{"field": "SecAssoc[0].Operation", "value": 3},
                   {"truncate": "length - 1"}],
         "expect": {"status": ["SUCCESS", "failure"], "open_question": "OQ-03", "handles": ["null"]}},
        {"op": "repeat", "to": "capacity", "steps": [
          {"op": "oid", "oid": "DELETE_SA", "handles": ["in{i}", "@bogus", 0], "expect": {"status": "SUCCESS"}}]},
        {"op": "receive", "sa": "in1", "corrupt": "icv",
         "expect": {"open_question": "OQ-CTS-1", "crypto_status": ["CRYPTO_TRANSPORT_ESP_AUTH_FAILED", 5], "crypto_done": true}}
      ]}]
  })");
}

LoadResult load(const json& j) { return load_case_text(j.dump(), "mem.json"); }

std::string first_error(const LoadResult& r) { return r.errors.empty() ? "" : r.errors[0].to_string(); }

TEST(CaseLoader, LoadsAWellFormedFile) {
  json j = minimal_file();
  // `i` is not in scope at the top level: fix the label for this test.
  j["cases"][0]["steps"][0]["sas"][0]["label"] = "in1";
  const LoadResult r = load(j);
  ASSERT_TRUE(r.ok()) << first_error(r);
  ASSERT_EQ(r.files.size(), 1u);
  const Case& c = r.files[0].cases.at(0);
  EXPECT_EQ(c.id, "t.group.one");
  ASSERT_EQ(c.steps.size(), 3u);
  const auto& add = std::get<OidStep>(c.steps[0].body);
  EXPECT_EQ(add.sas.at(0).ip_version, 6);
  EXPECT_EQ(add.sas[0].sas.at(0).encryption, 0x8u);
  ExprEnv env;
  env.set("capacity", 16);
  EXPECT_EQ(add.sas[0].sas[0].spi.eval(env), 0x1010);
  ASSERT_EQ(add.edits.size(), 2u);
  EXPECT_EQ(add.edits[1].kind, RawEdit::Kind::truncate);
  ASSERT_EQ(add.expect.status->any_of.size(), 2u);
  EXPECT_EQ(add.expect.status->any_of[1].kind, StatusAlternative::Kind::failure);
  const auto& rep = std::get<RepeatStep>(c.steps[1].body);
  const auto& del = std::get<OidStep>(rep.steps.at(0).body);
  EXPECT_EQ(del.handles.at(1).kind, HandleRef::Kind::bogus);
  EXPECT_EQ(del.handles.at(2).kind, HandleRef::Kind::raw);
  const auto& rx = std::get<ReceiveStep>(c.steps[2].body);
  EXPECT_EQ(*rx.expect.crypto_status, (std::vector<uint16_t>{3, 5}));
}

TEST(CaseLoader, RejectsUnknownFieldWithFileCaseAndPath) {
  json j = minimal_file();
  j["cases"][0]["steps"][0]["sas"][0]["label"] = "in1";
  j["cases"][0]["steps"][0]["sas"][0]["esp"]["esm"] = true;  // a typo
  const LoadResult r = load(j);
  ASSERT_EQ(r.errors.size(), 1u);
  EXPECT_EQ(r.errors[0].file, "mem.json");
  EXPECT_EQ(r.errors[0].case_id, "t.group.one");
  EXPECT_EQ(r.errors[0].path, "$.cases[0].steps[0].sas[0].esp.esm");
  EXPECT_NE(r.errors[0].message.find("unknown field"), std::string::npos);
}

TEST(CaseLoader, RejectsBadTypesWithPath) {
  struct Mutation {
    const char* pointer;
    json value;
    const char* path;
  };
  const Mutation mutations[] = {
      {"/cases/0/steps/0/sas/0/direction", 1, "$.cases[0].steps[0].sas[0].direction"},
      {"/cases/0/steps/0/sas/0/esp/spi", true, "$.cases[0].steps[0].sas[0].esp.spi"},
      {"/cases/0/steps/0/sas/0/esp/spi", "0x10 +", "$.cases[0].steps[0].sas[0].esp.spi"},
      {"/cases/0/steps/0/sas/0/esp/encryption", "AES_GCM_512", "$.cases[0].steps[0].sas[0].esp.encryption"},
      {"/cases/0/steps/0/expect/status", "NDIS_STATUS_NOPE", "$.cases[0].steps[0].expect.status"},
      {"/cases/0/steps/0/edits/0/field", "SecAssoc[2].Spi", "$.cases[0].steps[0].edits[0].field"},
      {"/cases/0/steps/0/oid", "ADD", "$.cases[0].steps[0].oid"},
      {"/cases/0/steps/2/expect/crypto_status", "CRYPTO_MAYBE", "$.cases[0].steps[2].expect.crypto_status"},
      {"/cases/0/capabilities/0", "warp_drive", "$.cases[0].capabilities[0]"},
      {"/cases/0/id", "NotHierarchical", "$.cases[0].id"},
      {"/cases/0/steps/0/sas/0/esp/spi", "capacity + j", "$.cases[0].steps[0].sas[0].esp.spi"},
  };
  for (const auto& m : mutations) {
    json j = minimal_file();
    j["cases"][0]["steps"][0]["sas"][0]["label"] = "in1";
    j[json::json_pointer(m.pointer)] = m.value;
    const LoadResult r = load(j);
    ASSERT_EQ(r.errors.size(), 1u) << m.pointer;
    EXPECT_EQ(r.errors[0].path, m.path) << r.errors[0].to_string();
  }
}

TEST(CaseLoader, LoopVariableOnlyInsideTheLoop) {
  const LoadResult r = load(minimal_file());  // label "in{i}" outside any repeat
  ASSERT_EQ(r.errors.size(), 1u);
  EXPECT_EQ(r.errors[0].path, "$.cases[0].steps[0].sas[0].label");
  EXPECT_NE(r.errors[0].message.find("unknown variable 'i'"), std::string::npos);
}

TEST(CaseLoader, OneBadCaseDoesNotHideTheOthers) {
  json j = minimal_file();
  j["cases"][0]["steps"][0]["sas"][0]["label"] = "in1";
  json second = j["cases"][0];
  second["id"] = "t.group.two";
  second["bogus"] = 1;
  j["cases"].push_back(second);
  const LoadResult r = load(j);
  ASSERT_EQ(r.errors.size(), 1u);
  EXPECT_EQ(r.errors[0].case_id, "t.group.two");
  ASSERT_EQ(r.files.size(), 1u);
  EXPECT_EQ(r.files[0].cases.size(), 1u);
}

TEST(CaseLoader, FileLevelErrors) {
  EXPECT_EQ(load_case_text("{not json", "x.json").errors.size(), 1u);
  json j = minimal_file();
  j["format"] = 2;
  EXPECT_EQ(load(j).errors.at(0).path, "$.format");
  j = minimal_file();
  j["notes"]["F"]["impact"] = 3;
  EXPECT_EQ(load(j).errors.at(0).path, "$.notes.F.impact");
  j = minimal_file();
  j["extra"] = 1;
  j["cases"][0]["steps"][0]["sas"][0]["label"] = "in1";
  EXPECT_EQ(load(j).errors.at(0).path, "$.extra");
}

TEST(CaseLoader, AddSaExCarriesExactlyOneBundle) {
  json j = minimal_file();
  j["cases"][0]["steps"][0]["sas"][0]["label"] = "in1";
  j["cases"][0]["steps"][0]["oid"] = "ADD_SA_EX";
  j["cases"][0]["steps"][0]["sas"].push_back(j["cases"][0]["steps"][0]["sas"][0]);
  EXPECT_EQ(load(j).errors.at(0).path, "$.cases[0].steps[0].sas");
}

TEST(CaseLoader, OptionalFeatureOnlyOnAddStepsAndNamed) {
  json base = minimal_file();
  base["cases"][0]["steps"][0]["sas"][0]["label"] = "in1";  // no loop variable outside a loop
  json j = base;
  j["cases"][0]["steps"][0]["expect"]["optional_feature"] = "zero endpoint addresses (OQ-28)";
  LoadResult ok = load(j);
  ASSERT_TRUE(ok.errors.empty()) << first_error(ok);
  const auto& step = std::get<OidStep>(ok.files.at(0).cases.at(0).steps.at(0).body);
  EXPECT_EQ(step.expect.optional_feature, "zero endpoint addresses (OQ-28)");

  json empty = base;
  empty["cases"][0]["steps"][0]["expect"]["optional_feature"] = "";
  EXPECT_EQ(load(empty).errors.at(0).path, "$.cases[0].steps[0].expect.optional_feature");

  json on_delete = base;
  on_delete["cases"][0]["steps"][1]["steps"][0]["expect"]["optional_feature"] = "x";
  EXPECT_EQ(load(on_delete).errors.at(0).path, "$.cases[0].steps[1].steps[0].expect.optional_feature");
}

// A bundle may take its SA from a vector's sidecar, and a receive step a record of that vector.
json vector_file() {
  return json::parse(R"({
    "format": 1, "area": "t", "description": "d",
    "notes": {"F": {"bug_class": "b", "checks": "c", "impact": "i", "requirements": ["RECV-006"]}},
    "cases": [{
      "id": "t.vectors.one", "comment": "c", "flags": ["F"], "requirements": ["RECV-006"],
      "capabilities": ["add_sa"],
      "steps": [
        {"op": "oid", "oid": "ADD_SA",
         "sas": [{"label": "in", "direction": "inbound",
                  "vector_sa": {"vector": "generated/esn-wrap-gcm", "sa": "esn"}}]},
        {"op": "receive", "sa": "in", "packet": {"vector": "generated/esn-wrap-gcm", "packet": 3},
         "corrupt": "icv", "expect": {"crypto_done": true}}
      ]}]
  })");
}

TEST(CaseLoader, VectorSaAndVectorRecord) {
  const LoadResult r = load(vector_file());
  ASSERT_TRUE(r.ok()) << first_error(r);
  const Case& c = r.files.at(0).cases.at(0);
  const auto& add = std::get<OidStep>(c.steps.at(0).body);
  EXPECT_EQ(add.sas.at(0).vector, "generated/esn-wrap-gcm");
  EXPECT_EQ(add.sas[0].vector_sa_id, "esn");
  EXPECT_TRUE(add.sas[0].sas.empty());
  const auto& rx = std::get<ReceiveStep>(c.steps.at(1).body);
  EXPECT_EQ(rx.packet.vector, "generated/esn-wrap-gcm");
  EXPECT_EQ(rx.packet.vector_packet, 3u);
  EXPECT_EQ(rx.corrupt, Corruption::icv);
}

TEST(CaseLoader, VectorFieldsRefuseSecondSources) {
  auto expect_error = [](json j, const std::string& fragment) {
    const LoadResult r = load(j);
    ASSERT_FALSE(r.ok()) << fragment;
    EXPECT_NE(first_error(r).find(fragment), std::string::npos) << first_error(r);
  };
  json j = vector_file();
  j["cases"][0]["steps"][0]["sas"][0]["esp"] = {{"spi", 1}, {"encryption", "AES_GCM_128"}};
  expect_error(j, "\"esp\" comes from the vector's SA");
  j = vector_file();
  j["cases"][0]["steps"][0]["sas"][0]["direction"] = "outbound";
  expect_error(j, "for inbound bundles");
  j = vector_file();
  j["cases"][0]["steps"][0]["sas"][0]["vector_sa"]["spi"] = 5;  // unknown key
  expect_error(j, "spi");
  j = vector_file();
  j["cases"][0]["steps"][1]["packet"]["payload_size"] = 10;
  expect_error(j, "either a \"vector\" or a description");
  j = vector_file();
  j["cases"][0]["steps"][1]["packet"].erase("vector");
  expect_error(j, "needs \"vector\"");
  j = vector_file();
  j["cases"][0]["steps"][1]["packet"]["packet"] = -1;
  expect_error(j, "packet");
  j = vector_file();
  j["cases"][0]["steps"][1]["seq"] = 7;
  expect_error(j, "fixed by the vector record");
  j = vector_file();
  j["cases"][0]["steps"][1]["corrupt"] = "spi";
  expect_error(j, "intact or with");
  j = vector_file();
  j["cases"][0]["steps"][1]["expect"]["frame"] = "decrypted";
  expect_error(j, "does not carry");
}

TEST(CaseLoader, RepositoryLibraryLoads) {
  const LoadResult r = load_case_paths({std::string(CTS_SOURCE_ROOT) + "/cases"});
  for (const auto& e : r.errors) ADD_FAILURE() << e.to_string();
  size_t n = 0;
  for (const auto& f : r.files) n += f.cases.size();
  EXPECT_GT(n, 0u);
}


// ESP trailer shapes (RFC 4303 2.4, 2.7): pad_length, "max", tfc and the pad_bytes corruption.
TEST(CaseLoader, ReadsTrailerShapes) {
  json j = minimal_file();
  j["cases"][0]["steps"][0]["sas"][0]["label"] = "in1";
  j["cases"][0]["steps"][2] = json::parse(R"({"op": "receive", "sa": "in1", "corrupt": "pad_bytes",
      "packet": {"payload_size": 7, "pad_length": "15 + 16 * 2", "tfc": 96}})");
  j["cases"][0]["steps"].push_back(json::parse(R"({"op": "send", "sa": "in1",
      "packet": {"mode": "tunnel", "pad_length": "max", "tfc": 32}})"));
  const LoadResult r = load(j);
  ASSERT_TRUE(r.ok()) << first_error(r);
  const Case& c = r.files[0].cases.at(0);
  const auto& rx = std::get<ReceiveStep>(c.steps.at(2).body);
  EXPECT_EQ(rx.corrupt, Corruption::pad_bytes);
  ExprEnv env;
  ASSERT_TRUE(rx.packet.pad_length.has_value());
  EXPECT_EQ(rx.packet.pad_length->eval(env), 47);
  EXPECT_FALSE(rx.packet.pad_max);
  EXPECT_EQ(rx.packet.tfc->eval(env), 96);
  const auto& tx = std::get<SendStep>(c.steps.at(3).body);
  EXPECT_TRUE(tx.packet.pad_max);
  EXPECT_FALSE(tx.packet.pad_length.has_value());
  EXPECT_EQ(tx.packet.tfc->eval(env), 32);
}

TEST(CaseLoader, RejectsTrailerShapesThatCannotBeBuilt) {
  struct Bad {
    const char* packet;
    const char* message;
  } bad[] = {
      // TFC needs a payload that carries its own length (RFC 4303 2.7, TFC-003).
      {R"({"protocol": "tcp", "tfc": 16})", "tfc needs a payload that carries its length"},
      // A vector record is a fixed frame: its trailer is the vector's.
      {R"({"vector": "v", "pad_length": 15})", "\"pad_length\""},
      // A misspelt field is named.
      {R"({"pad_lenght": 15})", "pad_lenght"},
  };
  for (const auto& b : bad) {
    json j = minimal_file();
    j["cases"][0]["steps"][0]["sas"][0]["label"] = "in1";
    j["cases"][0]["steps"][2] = json{{"op", "receive"}, {"sa", "in1"}, {"packet", json::parse(b.packet)}};
    const LoadResult r = load(j);
    ASSERT_FALSE(r.ok()) << b.packet;
    EXPECT_NE(first_error(r).find(b.message), std::string::npos) << first_error(r);
    EXPECT_NE(first_error(r).find("steps[2].packet"), std::string::npos) << first_error(r);
  }
  json j = minimal_file();
  j["cases"][0]["steps"][0]["sas"][0]["label"] = "in1";
  j["cases"][0]["steps"][2]["corrupt"] = "pad_byte";
  const LoadResult r = load(j);
  ASSERT_FALSE(r.ok());
  EXPECT_NE(first_error(r).find("pad_bytes"), std::string::npos) << first_error(r);
}


// UDP-ESP checksum choice, IPv4 options, IPv6 extension headers, fragments, and the receive
// damage of those families.
TEST(CaseLoader, ReadsIpAndUdpShapes) {
  json j = minimal_file();
  j["cases"][0]["steps"][0]["sas"][0]["label"] = "in1";
  j["cases"][0]["steps"][2] = json::parse(R"({"op": "receive", "sa": "in1", "corrupt": "udp_ike",
      "packet": {"udp_checksum": "computed", "ip": 6, "ipv6_ext": ["hop_by_hop", "destination", "routing", "destination"],
                 "fragment": "last"}})");
  j["cases"][0]["steps"].push_back(json::parse(R"({"op": "send", "sa": "in1",
      "packet": {"ip": 4, "ipv4_options": "4 * 10", "ipv4_option": "experimental", "udp_checksum": "zero"}})"));
  const LoadResult r = load(j);
  ASSERT_TRUE(r.ok()) << first_error(r);
  const Case& c = r.files[0].cases.at(0);
  const auto& rx = std::get<ReceiveStep>(c.steps.at(2).body);
  EXPECT_EQ(rx.corrupt, Corruption::udp_ike);
  EXPECT_EQ(rx.packet.udp_checksum, std::optional<bool>(true));
  EXPECT_EQ(rx.packet.ipv6_ext, (std::vector<uint8_t>{0, 60, 43, 60}));
  EXPECT_EQ(rx.packet.fragment, PacketDef::Fragment::last);
  const auto& tx = std::get<SendStep>(c.steps.at(3).body);
  ExprEnv env;
  EXPECT_EQ(tx.packet.ipv4_options->eval(env), 40);
  EXPECT_EQ(tx.packet.ipv4_option, PacketDef::Ipv4Option::experimental);
  EXPECT_EQ(rx.packet.ipv4_option, PacketDef::Ipv4Option::router_alert);
  EXPECT_EQ(tx.packet.udp_checksum, std::optional<bool>(false));
}

TEST(CaseLoader, RejectsIpShapesThatCannotExist) {
  struct Bad {
    const char* packet;
    const char* message;
  } bad[] = {
      {R"({"ipv6_ext": ["routing", "hop_by_hop"]})", "hop_by_hop must come first"},
      {R"({"ipv6_ext": ["routing", "routing"]})", "appears too often"},
      {R"({"ipv6_ext": ["mobility"]})", "unknown IPv6 extension header \"mobility\""},
      {R"({"ip": 4, "ipv6_ext": ["hop_by_hop"]})", "ipv6_ext needs an IPv6 packet"},
      {R"({"ip": 6, "ipv4_options": 4})", "ipv4_options needs an IPv4 packet"},
      {R"({"ipv4_option": "experimental"})", "\"ipv4_options\", which is missing"},
      {R"({"ipv4_options": 4, "ipv4_option": "timestamp"})", "ipv4_option must be \"router_alert\" or \"experimental\""},
      {R"({"fragment": "middle"})", "fragment must be \"first\" or \"last\""},
      {R"({"udp_checksum": "none"})", "udp_checksum must be \"zero\" or \"computed\""},
      {R"({"vector": "v", "fragment": "first"})", "\"fragment\""},
  };
  for (const auto& b : bad) {
    json j = minimal_file();
    j["cases"][0]["steps"][0]["sas"][0]["label"] = "in1";
    j["cases"][0]["steps"][2] = json{{"op", "receive"}, {"sa", "in1"}, {"packet", json::parse(b.packet)}};
    const LoadResult r = load(j);
    ASSERT_FALSE(r.ok()) << b.packet;
    EXPECT_NE(first_error(r).find(b.message), std::string::npos) << first_error(r);
  }
}

}  // namespace
}  // namespace cts::cases
