// A whole run against a fake device whose answers the test scripts: a device error in one case
// gives that case ERROR, the device is restarted and the next case runs; a case whose capability
// the device does not advertise is NOT_APPLICABLE and never reaches the device.
#include "runner/core/run_session.h"

#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <map>
#include <sstream>

#include "runner/core/fake_device_test_support.h"
#include "runner/core/results.h"
#include "runner/results/results_json.h"

namespace cts::core {
namespace {

namespace fs = std::filesystem;
using testing::FakeDevice;
using testing::FakeOid;
using testing::FakeScript;

const char* kCases = R"({"format": 1, "area": "test", "description": "engine session",
  "notes": {"T": {"bug_class": "b", "checks": "c", "impact": "i", "requirements": []}},
  "cases": [
    {"id": "test.engine.a_crashes", "comment": "c", "flags": ["T"], "requirements": ["DEL-004"], "steps": [
      {"op": "oid", "oid": "ADD_SA", "sas": [
        {"label": "a", "direction": "inbound", "esp": {"spi": "0x1001", "encryption": "AES_GCM_128"}}],
       "expect": {"status": "SUCCESS"}},
      {"op": "oid", "oid": "DELETE_SA", "handles": ["a"], "expect": {"status": "SUCCESS"}}]},
    {"id": "test.engine.b_after", "comment": "c", "flags": ["T"], "requirements": ["ADD-003"], "steps": [
      {"op": "oid", "oid": "ADD_SA", "sas": [
        {"label": "b", "direction": "inbound", "esp": {"spi": "0x1002", "encryption": "AES_GCM_128"}}],
       "expect": {"status": "SUCCESS", "handles": ["non_null"]}}]},
    {"id": "test.engine.c_ah", "comment": "c", "flags": ["T"], "requirements": ["ADD-019"], "capabilities": ["ah"], "steps": [
      {"op": "oid", "oid": "ADD_SA", "sas": [
        {"label": "h", "direction": "inbound", "ah": {"spi": "0x3001", "authentication": "SHA_1"}}],
       "expect": {"status": "SUCCESS"}}]}
  ]})";

struct Session {
  int exit_code = -1;
  std::map<std::string, CaseResult> cases;
  std::string out, err;
};

Session run_session(FakeScript& script, const std::string& name) {
  const fs::path dir = fs::path(::testing::TempDir()) / ("run_session_" + name);
  fs::remove_all(dir);
  fs::create_directories(dir);
  std::ofstream(dir / "cases.json") << kCases;
  RunOptions o;
  o.dut = "fake";
  o.case_paths = {(dir / "cases.json").string()};
  o.out_dir = (dir / "out").string();
  o.seed = 3;
  o.open_device = [&script]() -> dut::DutResult<std::unique_ptr<dut::DutAdapter>> {
    return std::unique_ptr<dut::DutAdapter>(new FakeDevice(script));
  };
  std::ostringstream out, err;
  Session s;
  s.exit_code = run_suite(o, out, err);
  s.out = out.str();
  s.err = err.str();
  std::ifstream in(dir / "out" / "results.json");
  const auto doc = nlohmann::json::parse(in, nullptr, false);
  std::string error;
  const auto results = results::results_from_json(doc, "results.json", error);
  EXPECT_TRUE(results) << error << "\n" << s.err;
  if (results)
    for (const auto& c : results->cases) s.cases[c.id] = c;
  return s;
}

TEST(RunSession, ADeviceErrorEndsOnlyItsCaseAndTheDeviceIsRestarted) {
  FakeScript script;
  script.caps = testing::default_fake_capabilities();
  script.oids = {FakeOid{ndis::NDIS_STATUS_SUCCESS, {0xDEAD0001}},
                 dut::DutError{dut::DutErrorKind::crashed, "oid_set: the agent died", ""},
                 FakeOid{ndis::NDIS_STATUS_SUCCESS, {0xDEAD0002}}};
  const Session s = run_session(script, "crash");
  EXPECT_EQ(s.exit_code, 1) << s.err;  // an unexpected ERROR
  ASSERT_EQ(s.cases.size(), 3u) << s.out << s.err;
  EXPECT_EQ(s.cases.at("test.engine.a_crashes").verdict, Verdict::error);
  EXPECT_NE(s.cases.at("test.engine.a_crashes").error.find("crashed"), std::string::npos) << s.cases.at("test.engine.a_crashes").error;
  EXPECT_EQ(s.cases.at("test.engine.b_after").verdict, Verdict::pass) << s.cases.at("test.engine.b_after").error;
  EXPECT_EQ(script.restarts, 1u);
  EXPECT_EQ(script.oid_requests.size(), 3u);  // the AH case never reached the device
  EXPECT_TRUE(script.oids.empty());
}

TEST(RunSession, ACaseNeedingAnUnadvertisedCapabilityIsNotApplicable) {
  FakeScript script;
  script.caps = testing::default_fake_capabilities();
  ASSERT_FALSE(script.caps.ipsec_offload_v2.ah);
  script.oids = {FakeOid{ndis::NDIS_STATUS_SUCCESS, {0xDEAD0001}}, FakeOid{},
                 FakeOid{ndis::NDIS_STATUS_SUCCESS, {0xDEAD0002}}};
  const Session s = run_session(script, "no_ah");
  EXPECT_EQ(s.exit_code, 0) << s.err;
  ASSERT_EQ(s.cases.size(), 3u);
  EXPECT_EQ(s.cases.at("test.engine.c_ah").verdict, Verdict::not_applicable);
  EXPECT_NE(s.cases.at("test.engine.c_ah").missing_capability.find("ah"), std::string::npos)
      << s.cases.at("test.engine.c_ah").missing_capability;
  EXPECT_EQ(script.oid_requests.size(), 3u);
  EXPECT_EQ(script.restarts, 0u);
}

TEST(RunSession, TheSameCaseRunsOnADeviceThatAdvertisesTheCapability) {
  FakeScript script;
  script.caps = testing::default_fake_capabilities();
  script.caps.ipsec_offload_v2.ah = true;
  script.oids = {FakeOid{ndis::NDIS_STATUS_SUCCESS, {0xDEAD0001}}, FakeOid{},
                 FakeOid{ndis::NDIS_STATUS_SUCCESS, {0xDEAD0002}}, FakeOid{ndis::NDIS_STATUS_SUCCESS, {0xDEAD0003}}};
  const Session s = run_session(script, "ah");
  ASSERT_EQ(s.cases.size(), 3u) << s.err;
  EXPECT_EQ(s.cases.at("test.engine.c_ah").verdict, Verdict::pass) << s.cases.at("test.engine.c_ah").error;
  EXPECT_EQ(script.oid_requests.size(), 4u);
}

}  // namespace
}  // namespace cts::core
