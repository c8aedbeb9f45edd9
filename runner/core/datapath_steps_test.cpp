// Data-path steps against a fake device whose answers each test scripts: which handle the engine
// puts in the send OOB, how a send completion is judged, and how the receive OOB words a device
// reports are judged, each proven by a device answer that passes and one that fails.
#include <gtest/gtest.h>

#include "oracle/ndis/constants.h"
#include "runner/core/fake_device_test_support.h"

namespace cts::core {
namespace {

using testing::FakeDevice;
using testing::FakeOid;
using testing::FakeReceive;
using testing::FakeScript;

using testing::first_finding;
using testing::names_requirement;
using testing::run_on_fake;

// A send on a deleted SA: the device gets the handle it returned for that bundle (never the
// oracle's) and must not protect the packet (SEND-006, DEL-009).
const char* kSendOnDeleted = R"({"id": "test.engine.send_deleted", "comment": "c", "flags": ["T"], "requirements": ["SEND-006"],
  "steps": [
    {"op": "oid", "oid": "ADD_SA", "sas": [
      {"label": "out", "direction": "outbound", "esp": {"spi": "0x2001", "encryption": "AES_GCM_128"}}],
     "expect": {"status": "SUCCESS"}},
    {"op": "oid", "oid": "DELETE_SA", "handles": ["out"], "expect": {"status": "SUCCESS"}},
    {"op": "send", "sa": "out", "expect": {"completion": "failure", "verdict": "none"}}]})";

TEST(DatapathSteps, SendOnADeletedSaCarriesTheDevicesHandleAndPassesWhenRefused) {
  FakeScript script;
  script.oids = {FakeOid{ndis::NDIS_STATUS_SUCCESS, {0xDEAD0007}}, FakeOid{}};
  script.sends = {dut::SendReply{ndis::NDIS_STATUS_INVALID_PARAMETER, {}}};
  const CaseResult r = run_on_fake(script, kSendOnDeleted);
  EXPECT_EQ(r.verdict, Verdict::pass) << first_finding(r);
  ASSERT_EQ(script.send_oobs.size(), 1u);
  EXPECT_EQ(script.send_oobs[0].offload_handle, 0xDEAD0007u);
}

TEST(DatapathSteps, SendOnADeletedSaThatCompletesFailsNamingTheDeletedHandleRules) {
  FakeScript script;
  script.oids = {FakeOid{ndis::NDIS_STATUS_SUCCESS, {0xDEAD0007}}, FakeOid{}};
  script.sends = {dut::SendReply{ndis::NDIS_STATUS_SUCCESS, {}}};
  const CaseResult r = run_on_fake(script, kSendOnDeleted);
  ASSERT_EQ(r.verdict, Verdict::fail) << r.error;
  EXPECT_EQ(r.findings[0].step, "steps[2]");
  EXPECT_EQ(r.findings[0].field, "completion_status");
  EXPECT_TRUE(names_requirement(r.findings[0], "SEND-006")) << first_finding(r);
  EXPECT_TRUE(names_requirement(r.findings[0], "DEL-009")) << first_finding(r);
}

// A packet whose SPI names no SA: the device indicates it untouched, CryptoDone clear (RECV-004,
// RECV-010). The OOB words are the device's answer as scripted.
const char* kUnknownSpi = R"({"id": "test.engine.unknown_spi", "comment": "c", "flags": ["T"], "requirements": ["RECV-004"],
  "steps": [
    {"op": "oid", "oid": "ADD_SA", "sas": [
      {"label": "in", "direction": "inbound", "esp": {"spi": "0x1001", "encryption": "AES_GCM_128"}}],
     "expect": {"status": "SUCCESS"}},
    {"op": "receive", "sa": "in", "corrupt": "spi",
     "expect": {"indicated": true, "crypto_done": false, "frame": "unchanged"}}]})";

TEST(DatapathSteps, UnprocessedPacketIndicatedUntouchedPasses) {
  FakeScript script;
  script.oids = {FakeOid{ndis::NDIS_STATUS_SUCCESS, {0xDEAD0001}}};
  script.receives = {FakeReceive{}};
  const CaseResult r = run_on_fake(script, kUnknownSpi);
  EXPECT_EQ(r.verdict, Verdict::pass) << first_finding(r);
  EXPECT_EQ(script.received_frames.size(), 1u);
}

TEST(DatapathSteps, CryptoDoneOnAPacketNoSaMatchesFailsOnTheOobWord) {
  FakeScript script;
  script.oids = {FakeOid{ndis::NDIS_STATUS_SUCCESS, {0xDEAD0001}}};
  FakeReceive claimed;
  claimed.ipsec_info = ndis::NBL_RECV_CRYPTO_DONE;  // CryptoStatus 0: "verified"
  script.receives = {claimed};
  const CaseResult r = run_on_fake(script, kUnknownSpi);
  ASSERT_EQ(r.verdict, Verdict::fail) << r.error;
  EXPECT_EQ(r.findings[0].step, "steps[1]");
  EXPECT_EQ(r.findings[0].field, "oob.CryptoDone");
  EXPECT_TRUE(names_requirement(r.findings[0], "RECV-004")) << first_finding(r);
}

TEST(DatapathSteps, ReservedReceiveBitsFail) {
  FakeScript script;
  script.oids = {FakeOid{ndis::NDIS_STATUS_SUCCESS, {0xDEAD0001}}};
  FakeReceive dirty;
  dirty.ipsec_info = 0x8;  // the lowest bit of Reserved (3.10)
  script.receives = {dirty};
  const CaseResult r = run_on_fake(script, kUnknownSpi);
  ASSERT_EQ(r.verdict, Verdict::fail) << r.error;
  EXPECT_EQ(r.findings[0].field, "oob.Reserved");
  EXPECT_TRUE(names_requirement(r.findings[0], "RECV-020")) << first_finding(r);
}

TEST(DatapathSteps, ADeviceErrorOnReceiveIsAnError) {
  FakeScript script;
  script.oids = {FakeOid{ndis::NDIS_STATUS_SUCCESS, {0xDEAD0001}}};
  script.receives = {dut::DutError{dut::DutErrorKind::timeout, "receive: no answer within 10 ms", ""}};
  const CaseResult r = run_on_fake(script, kUnknownSpi);
  EXPECT_EQ(r.verdict, Verdict::error);
  EXPECT_TRUE(r.findings.empty());
  EXPECT_NE(r.error.find("timeout"), std::string::npos) << r.error;
}

}  // namespace
}  // namespace cts::core
