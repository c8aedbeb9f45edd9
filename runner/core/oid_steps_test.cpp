// OID steps against a fake device whose answers each test scripts: how the engine judges a
// status and the handles written back, which handle of which side reaches the device in later
// steps, and when another alternative of an open question makes a case ACCEPTABLE.
#include <gtest/gtest.h>

#include "oracle/ndis/byte_access.h"
#include "oracle/ndis/constants.h"
#include "oracle/ndis/field_paths.h"
#include "runner/core/fake_device_test_support.h"

namespace cts::core {
namespace {

using testing::FakeDevice;
using testing::FakeOid;
using testing::FakeScript;

using testing::first_finding;
using testing::names_requirement;
using testing::run_on_fake;

// An element the request itself makes invalid (Operation 7 is neither AH nor ESP, ADD-024): the
// oracle refuses it, so the case may expect failure.
std::string refused_add(const char* oid) {
  return std::string(R"({"id": "test.engine.refused", "comment": "c", "flags": ["T"], "requirements": ["ADD-006"],
    "steps": [{"op": "oid", "oid": ")") + oid + R"(", "sas": [
      {"label": "a", "direction": "inbound", "esp": {"spi": "0x1001", "encryption": "AES_GCM_128"}}],
      "edits": [{"element": 0, "field": "SecAssoc[0].Operation", "value": 7}],
      "expect": {"status": "failure"}}]})";
}

TEST(OidSteps, ExpectedFailureWithANullHandlePasses) {
  FakeScript script;
  script.oids = {FakeOid{ndis::NDIS_STATUS_INVALID_DATA, {0}}};
  const CaseResult r = run_on_fake(script, refused_add("ADD_SA"));
  EXPECT_EQ(r.verdict, Verdict::pass) << first_finding(r);
  ASSERT_EQ(script.oid_requests.size(), 1u);
  EXPECT_EQ(script.oid_requests[0].first, ndis::OID_TCP_TASK_IPSEC_OFFLOAD_V2_ADD_SA);
}

TEST(OidSteps, SuccessWhereFailureIsExpectedFailsOnTheStatus) {
  FakeScript script;
  script.oids = {FakeOid{ndis::NDIS_STATUS_SUCCESS, {0xDEAD0001}}};
  const CaseResult r = run_on_fake(script, refused_add("ADD_SA"));
  ASSERT_EQ(r.verdict, Verdict::fail) << r.error;
  EXPECT_EQ(r.findings[0].step, "steps[0]");
  EXPECT_EQ(r.findings[0].field, "status");
}

// ADD-006: an element that could not be offloaded gets OffloadHandle = NULL; ADDEX-004 the same
// for ADD_SA_EX.
TEST(OidSteps, NonNullHandleOnAFailedAddFailsNamingTheNullHandleRequirement) {
  {
    FakeScript script;
    script.oids = {FakeOid{ndis::NDIS_STATUS_INVALID_DATA, {0xDEAD0001}}};
    const CaseResult r = run_on_fake(script, refused_add("ADD_SA"));
    ASSERT_EQ(r.verdict, Verdict::fail) << r.error;
    EXPECT_EQ(r.findings[0].field, "handles[0]");
    EXPECT_TRUE(names_requirement(r.findings[0], "ADD-006")) << first_finding(r);
  }
  {
    FakeScript script;
    script.oids = {FakeOid{ndis::NDIS_STATUS_INVALID_DATA, {0xDEAD0001}}};
    const CaseResult r = run_on_fake(script, refused_add("ADD_SA_EX"));
    ASSERT_EQ(r.verdict, Verdict::fail) << r.error;
    EXPECT_EQ(r.findings[0].field, "handles[0]");
    EXPECT_TRUE(names_requirement(r.findings[0], "ADDEX-004")) << first_finding(r);
  }
}

uint64_t handle_in(const std::vector<uint8_t>& request, uint32_t oid, size_t element_offset) {
  const auto at = ndis::find_field(oid, ndis::Abi::x64, "OffloadHandle");
  EXPECT_TRUE(at);
  return ndis::bytes::load_le(request, element_offset + at->offset, at->width);
}

// Later steps name a bundle by its label; the device gets the handle it returned, the oracle
// its own.
TEST(OidSteps, LaterStepsCarryTheDevicesOwnHandles) {
  const char* c = R"({"id": "test.engine.handles", "comment": "c", "flags": ["T"], "requirements": ["ADD-003"],
    "steps": [
      {"op": "oid", "oid": "ADD_SA", "sas": [
        {"label": "in", "direction": "inbound", "esp": {"spi": "0x1001", "encryption": "AES_GCM_128", "esn": true}},
        {"label": "out", "direction": "outbound", "esp": {"spi": "0x2001", "encryption": "AES_GCM_128", "esn": true}}],
       "expect": {"status": "SUCCESS", "handles": ["non_null", "non_null"]}},
      {"op": "oid", "oid": "UPDATE_SA", "handle": "out", "seq_high": 1, "expect": {"status": "SUCCESS"}},
      {"op": "oid", "oid": "DELETE_SA", "handles": ["out", "in"], "expect": {"status": "SUCCESS"}}]})";
  FakeScript script;
  script.oids = {FakeOid{ndis::NDIS_STATUS_SUCCESS, {0xDEAD0001, 0xDEAD0002}}, FakeOid{}, FakeOid{}};
  const CaseResult r = run_on_fake(script, c);
  ASSERT_EQ(r.verdict, Verdict::pass) << first_finding(r);
  ASSERT_EQ(script.oid_requests.size(), 3u);
  const auto& [update_oid, update] = script.oid_requests[1];
  EXPECT_EQ(update_oid, ndis::OID_TCP_TASK_IPSEC_OFFLOAD_V2_UPDATE_SA);
  EXPECT_EQ(handle_in(update, update_oid, 0), 0xDEAD0002u);
  const auto& [delete_oid, del] = script.oid_requests[2];
  EXPECT_EQ(delete_oid, ndis::OID_TCP_TASK_IPSEC_OFFLOAD_V2_DELETE_SA);
  const auto elements = ndis::list_element_offsets(del, delete_oid, ndis::Abi::x64, ndis::NextLinks{0});
  ASSERT_EQ(elements.size(), 2u);
  EXPECT_EQ(handle_in(del, delete_oid, elements[0]), 0xDEAD0002u);
  EXPECT_EQ(handle_in(del, delete_oid, elements[1]), 0xDEAD0001u);
}

// Handles a device returns twice in one list, or returns again while the first is live, name
// two bundles with one value (ADD-003).
TEST(OidSteps, AHandleAlreadyLiveFails) {
  const char* c = R"({"id": "test.engine.reuse", "comment": "c", "flags": ["T"], "requirements": ["ADD-003"],
    "steps": [
      {"op": "oid", "oid": "ADD_SA", "sas": [
        {"label": "a", "direction": "inbound", "esp": {"spi": "0x1001", "encryption": "AES_GCM_128"}}],
       "expect": {"status": "SUCCESS"}},
      {"op": "oid", "oid": "ADD_SA", "sas": [
        {"label": "b", "direction": "inbound", "esp": {"spi": "0x1002", "encryption": "AES_GCM_128"}}],
       "expect": {"status": "SUCCESS"}}]})";
  {
    FakeScript script;
    script.oids = {FakeOid{ndis::NDIS_STATUS_SUCCESS, {0xDEAD0001}}, FakeOid{ndis::NDIS_STATUS_SUCCESS, {0xDEAD0002}}};
    EXPECT_EQ(run_on_fake(script, c).verdict, Verdict::pass);
  }
  {
    FakeScript script;
    script.oids = {FakeOid{ndis::NDIS_STATUS_SUCCESS, {0xDEAD0001}}, FakeOid{ndis::NDIS_STATUS_SUCCESS, {0xDEAD0001}}};
    const CaseResult r = run_on_fake(script, c);
    ASSERT_EQ(r.verdict, Verdict::fail) << r.error;
    EXPECT_EQ(r.findings[0].step, "steps[1]");
    EXPECT_EQ(r.findings[0].field, "handles[0]");
    EXPECT_TRUE(names_requirement(r.findings[0], "ADD-003")) << first_finding(r);
  }
}

// OQ-03: with one bad element in a list, the oracle offloads the good one and succeeds; a device
// may instead fail the whole list, NULL handles throughout. That is ACCEPTABLE, naming OQ-03;
// failing the list but leaving a handle is not.
const char* kMixedList = R"({"id": "test.engine.mixed", "comment": "c", "flags": ["T"], "requirements": ["ADD-004"],
  "steps": [{"op": "oid", "oid": "ADD_SA", "sas": [
      {"label": "g", "direction": "inbound", "esp": {"spi": "0x1001", "encryption": "AES_GCM_128"}},
      {"label": "b", "direction": "inbound", "esp": {"spi": "0x1002", "encryption": "AES_GCM_128"}}],
    "edits": [{"element": 1, "field": "SecAssoc[0].Operation", "value": 7}],
    "expect": {"status": ["SUCCESS", "failure"], "open_question": "OQ-03"}}]})";

TEST(OidSteps, TheOraclesChoiceOfAnOpenQuestionPasses) {
  FakeScript script;
  script.oids = {FakeOid{ndis::NDIS_STATUS_SUCCESS, {0xDEAD0001, 0}}};
  const CaseResult r = run_on_fake(script, kMixedList);
  EXPECT_EQ(r.verdict, Verdict::pass) << first_finding(r);
  EXPECT_TRUE(r.acceptances.empty());
}

TEST(OidSteps, AnotherAlternativeOfAnOpenQuestionIsAcceptable) {
  FakeScript script;
  script.oids = {FakeOid{ndis::NDIS_STATUS_INVALID_DATA, {0, 0}}};
  const CaseResult r = run_on_fake(script, kMixedList);
  ASSERT_EQ(r.verdict, Verdict::acceptable) << first_finding(r);
  ASSERT_EQ(r.acceptances.size(), 1u);
  EXPECT_EQ(r.acceptances[0].question, "OQ-03");
  EXPECT_EQ(r.acceptances[0].step, "steps[0]");
  EXPECT_NE(r.acceptances[0].device.find("INVALID_DATA"), std::string::npos) << r.acceptances[0].device;
}

TEST(OidSteps, AFailedListThatKeepsAHandleIsNotAcceptable) {
  FakeScript script;
  script.oids = {FakeOid{ndis::NDIS_STATUS_INVALID_DATA, {0xDEAD0001, 0}}};
  const CaseResult r = run_on_fake(script, kMixedList);
  ASSERT_EQ(r.verdict, Verdict::fail) << r.error;
  EXPECT_TRUE(r.acceptances.empty());
  EXPECT_EQ(r.findings[0].field, "handles[0]");
  EXPECT_TRUE(names_requirement(r.findings[0], "ADD-006")) << first_finding(r);
}

// A device error is the device's, not a finding: ERROR, and the engine says the device failed
// so the session restarts it.
TEST(OidSteps, ADeviceErrorMidCaseIsAnErrorNamingTheOperation) {
  FakeScript script;
  script.caps = testing::default_fake_capabilities();
  script.oids = {FakeOid{ndis::NDIS_STATUS_SUCCESS, {0xDEAD0001}},
                 dut::DutError{dut::DutErrorKind::crashed, "oid_set: the agent died", ""}};
  FakeDevice device(script);
  Oracle oracle(profile_from_capabilities(script.caps, device.name()), OracleOptions{});
  CaseRunner runner(device, oracle, script.caps, CaseRunnerConfig{});
  const CaseResult r = runner.run(testing::load_one_case(R"({"id": "test.engine.crash", "comment": "c", "flags": ["T"],
    "requirements": ["DEL-004"], "steps": [
      {"op": "oid", "oid": "ADD_SA", "sas": [
        {"label": "a", "direction": "inbound", "esp": {"spi": "0x1001", "encryption": "AES_GCM_128"}}],
       "expect": {"status": "SUCCESS"}},
      {"op": "oid", "oid": "DELETE_SA", "handles": ["a"], "expect": {"status": "SUCCESS"}}]})"));
  EXPECT_EQ(r.verdict, Verdict::error);
  EXPECT_TRUE(r.findings.empty());
  EXPECT_NE(r.error.find("DELETE_SA"), std::string::npos) << r.error;
  EXPECT_NE(r.error.find("crashed"), std::string::npos) << r.error;
  EXPECT_TRUE(runner.device_failed());
}

}  // namespace
}  // namespace cts::core
