// The case engine (case_runner, oid_steps, datapath_steps, probe_steps) against a scripted fake
// device: a conforming device passes, each injected fault fails where it should, and the engine's
// own contracts hold (no dump read with --no-dump, harness errors never blamed on the device,
// the device's OQ-03 choice followed by probes).
#include "runner/core/case_runner.h"

#include <gtest/gtest.h>

#include <fstream>
#include <iterator>

#include "oracle/ndis/codec.h"
#include "oracle/ndis/constants.h"
#include "oracle/ndis/oob.h"
#include "runner/cases/case_loader.h"
#include "runner/core/scripted_device_test_support.h"

namespace cts::core {
namespace {

using testing::Script;

const char* kEverythingCase = R"({
  "id": "test.engine.all_steps", "comment": "c", "flags": ["T"], "requirements": ["ADD-003"],
  "steps": [
    {"op": "query", "expect": {"esp": true}},
    {"op": "oid", "oid": "ADD_SA", "sas": [
      {"label": "in", "direction": "inbound", "esp": {"spi": "0x1001", "encryption": "AES_GCM_128", "esn": true}},
      {"label": "out", "direction": "outbound", "esp": {"spi": "0x2001", "encryption": "AES_GCM_128", "esn": true}}],
     "expect": {"status": "SUCCESS", "handles": ["non_null", "non_null"], "table": {"bundles": 2}}},
    {"op": "repeat", "var": "i", "from": 1, "to": 4, "steps": [
      {"op": "oid", "oid": "UPDATE_SA", "handle": "out", "seq_high": "i", "expect": {"status": "SUCCESS"}},
      {"op": "send", "sa": "out", "expect": {"completion": "SUCCESS", "verdict": "protected", "seq_high": "i"}},
      {"op": "receive", "sa": "in", "expect": {"crypto_done": true, "crypto_status": "CRYPTO_SUCCESS", "frame": "decrypted"}}]},
    {"op": "probe", "sa": "in", "expect": "live"},
    {"op": "probe", "sa": "out", "expect": "live"},
    {"op": "oid", "oid": "DELETE_SA", "handles": ["in", "out"], "expect": {"status": "SUCCESS"}},
    {"op": "table", "expect": {"bundles": 0, "absent": ["in", "out"]}},
    {"op": "probe", "sa": "in", "expect": "dead"},
    {"op": "probe", "sa": "out", "expect": "dead"}
  ]})";

TEST(CaseEngine, ConformingDevicePassesEveryStepKind) {
  Script script;
  const CaseResult r = testing::run_scripted(script, testing::load_one_case(kEverythingCase));
  EXPECT_EQ(r.verdict, Verdict::pass) << r.error << (r.findings.empty() ? "" : r.findings[0].field);
  EXPECT_GT(script.sends, 3u);
  EXPECT_GT(script.receives, 3u);
  EXPECT_GT(script.dumps, 0u);
  EXPECT_TRUE(r.evidence.empty());  // a passing case keeps no evidence
}

TEST(CaseEngine, NoDumpNeverReadsTheDump) {
  Script script;
  const CaseResult r = testing::run_scripted(script, testing::load_one_case(kEverythingCase), /*use_dump=*/false);
  EXPECT_EQ(r.verdict, Verdict::pass) << r.error;
  EXPECT_EQ(script.dumps, 0u);
}

TEST(CaseEngine, FailureInsideRepeatNamesTheIterationAndKeepsEvidence) {
  Script script;
  int sends = 0;
  script.after_send = [&](dut::SendReply& r) {
    if (++sends == 3 && !r.frames.empty()) r.frames[0][r.frames[0].size() / 2] ^= 0x10;
  };
  const CaseResult r = testing::run_scripted(script, testing::load_one_case(kEverythingCase));
  ASSERT_EQ(r.verdict, Verdict::fail);
  ASSERT_FALSE(r.findings.empty());
  EXPECT_EQ(r.findings[0].step, "steps[2].repeat[i=3].steps[1]");
  EXPECT_EQ(r.findings[0].field, "wire");
  EXPECT_FALSE(r.evidence.empty());
}

TEST(CaseEngine, CaseThatContradictsTheOracleIsAHarnessErrorNotAFinding) {
  Script script;
  const CaseResult r = testing::run_scripted(script, testing::load_one_case(R"({
    "id": "test.engine.wrong_case", "comment": "c", "flags": ["T"], "requirements": ["ADD-003"],
    "steps": [{"op": "oid", "oid": "ADD_SA", "sas": [
      {"label": "in", "direction": "inbound", "esp": {"spi": "0x1001", "encryption": "AES_GCM_128"}}],
      "expect": {"status": "failure"}}]})"));
  EXPECT_EQ(r.verdict, Verdict::error);
  EXPECT_NE(r.error.find("harness"), std::string::npos);
  EXPECT_TRUE(r.findings.empty());
}

// OQ-03: a device may fail a whole list that holds one bad element; the probes then follow its
// answer, and the case passes.
const char* kMixedListCase = R"({
  "id": "test.engine.mixed", "comment": "c", "flags": ["T"], "requirements": ["ADD-004"],
  "steps": [
    {"op": "oid", "oid": "ADD_SA", "sas": [
      {"label": "g", "direction": "inbound", "esp": {"spi": "0x1001", "encryption": "AES_GCM_128"}},
      {"label": "b", "direction": "inbound", "esp": {"spi": "0x1002", "encryption": "AES_GCM_128"}}],
     "edits": [{"element": 1, "field": "SecAssoc[0].Operation", "value": 7}],
     "expect": {"status": ["SUCCESS", "failure"], "open_question": "OQ-03"}},
    {"op": "probe", "sa": "g", "expect": "as_reported"},
    {"op": "probe", "sa": "b", "expect": "dead"}
  ]})";

TEST(CaseEngine, ProbesFollowTheDevicesListChoice) {
  {
    Script script;  // partial success, as the oracle
    EXPECT_EQ(testing::run_scripted(script, testing::load_one_case(kMixedListCase)).verdict, Verdict::pass);
  }
  {
    Script script;  // the whole list refused: legitimate, and g must then be dead
    script.before_oid = [](uint32_t oid, std::span<const uint8_t> req) -> std::optional<dut::OidReply> {
      if (oid != ndis::OID_TCP_TASK_IPSEC_OFFLOAD_V2_ADD_SA) return std::nullopt;
      dut::OidReply r;
      r.status = ndis::NDIS_STATUS_INVALID_DATA;
      r.buffer.assign(req.begin(), req.end());
      return r;
    };
    const CaseResult r = testing::run_scripted(script, testing::load_one_case(kMixedListCase), false);
    // Not the oracle's documented choice (partial success), but one OQ-03 leaves to the device.
    EXPECT_EQ(r.verdict, Verdict::acceptable) << (r.findings.empty() ? r.error : r.findings[0].field);
    ASSERT_EQ(r.acceptances.size(), 1u);
    EXPECT_EQ(r.acceptances[0].step, "steps[0]");
    EXPECT_EQ(r.acceptances[0].field, "status");
    EXPECT_EQ(r.acceptances[0].question, "OQ-03");
    EXPECT_NE(r.acceptances[0].device.find("INVALID_DATA"), std::string::npos) << r.acceptances[0].device;
    EXPECT_NE(r.acceptances[0].oracle.find("SUCCESS"), std::string::npos) << r.acceptances[0].oracle;
  }
  {
    Script script;  // reports failure but keeps the good element: the probe catches it without dump
    script.after_oid = [](uint32_t oid, dut::OidReply& r) {
      if (oid != ndis::OID_TCP_TASK_IPSEC_OFFLOAD_V2_ADD_SA) return;
      r.status = ndis::NDIS_STATUS_INVALID_DATA;
      for (size_t off : ndis::list_element_offsets(r.buffer, oid, ndis::Abi::x64, ndis::NextLinks{0}))
        for (size_t k = 0; k < 8; ++k) r.buffer[off + ndis::offload_handle_offset(oid, ndis::Abi::x64) + k] = 0;
    };
    const CaseResult r = testing::run_scripted(script, testing::load_one_case(kMixedListCase), false);
    ASSERT_EQ(r.verdict, Verdict::fail);
    EXPECT_EQ(r.findings[0].field, "probe.g");
    EXPECT_EQ(r.findings[0].requirements, (std::vector<std::string>{"RECV-004", "ADD-005"}));
  }
}


// ESP trailer shapes (RFC 4303 2.4, 2.7): 255 octets of padding and TFC padding both ways, and
// malformed pad bytes on receive, where a device may pass the packet on or call it malformed
// (OQ-CTS-2).
const char* kTrailerCase = R"({
  "id": "test.engine.trailers", "comment": "c", "flags": ["T"], "requirements": ["PAD-001"],
  "steps": [
    {"op": "oid", "oid": "ADD_SA", "sas": [
      {"label": "in", "direction": "inbound", "esp": {"spi": "0x1001", "encryption": "AES_GCM_128"}},
      {"label": "out", "direction": "outbound", "esp": {"spi": "0x2001", "encryption": "AES_GCM_128"}}],
     "expect": {"status": "SUCCESS"}},
    {"op": "send", "sa": "out", "packet": {"payload_size": 7, "pad_length": "max"},
     "expect": {"completion": "SUCCESS", "verdict": "protected"}},
    {"op": "send", "sa": "out", "packet": {"mode": "tunnel", "payload_size": 3, "tfc": 96, "pad_length": 15},
     "expect": {"completion": "SUCCESS", "verdict": "protected"}},
    {"op": "receive", "sa": "in", "packet": {"payload_size": 7, "pad_length": 255},
     "expect": {"crypto_status": "CRYPTO_SUCCESS", "pad_length": 255, "frame": "decrypted"}},
    {"op": "receive", "sa": "in", "packet": {"payload_size": 7, "tfc": 96, "pad_length": 15},
     "expect": {"crypto_status": "CRYPTO_SUCCESS", "pad_length": 15, "frame": "decrypted"}},
    {"op": "receive", "sa": "in", "packet": {"payload_size": 7, "pad_length": 15}, "corrupt": "pad_bytes",
     "expect": {"indicated": true, "crypto_done": true,
                "open_question": "OQ-CTS-2", "crypto_status": ["CRYPTO_SUCCESS", "CRYPTO_INVALID_PACKET_SYNTAX"]}}
  ]})";

TEST(CaseEngine, TrailerShapesPassOnAConformingDevice) {
  Script script;
  const CaseResult r = testing::run_scripted(script, testing::load_one_case(kTrailerCase));
  EXPECT_EQ(r.verdict, Verdict::pass) << r.error << (r.findings.empty() ? "" : r.findings[0].field);
  EXPECT_EQ(script.sends, 2u);
  EXPECT_EQ(script.receives, 3u);
}

TEST(CaseEngine, LongPaddingCalledMalformedOnReceiveFails) {
  Script script;
  script.after_receive = [](dut::ReceiveReply& r) {
    // A parser that assumes minimal padding calls 255 octets malformed.
    const uint32_t pad = (r.oob.header_info >> ndis::NBL_HDR_PAD_LENGTH_SHIFT) & 0xFF;
    if (pad == 255) {
      r.oob.ipsec_info = (r.oob.ipsec_info & ~(uint64_t{0xFFFF} << ndis::NBL_RECV_CRYPTO_STATUS_SHIFT)) |
                         (uint64_t{ndis::CRYPTO_INVALID_PACKET_SYNTAX} << ndis::NBL_RECV_CRYPTO_STATUS_SHIFT);
    }
  };
  const CaseResult r = testing::run_scripted(script, testing::load_one_case(kTrailerCase));
  ASSERT_EQ(r.verdict, Verdict::fail) << r.error;
  ASSERT_FALSE(r.findings.empty());
  EXPECT_EQ(r.findings[0].step, "steps[3]");
  EXPECT_EQ(r.findings[0].field, "oob.CryptoStatus");
}


std::string full_profile_text() {
  std::ifstream in(std::string(CTS_SOURCE_ROOT) + "/duts/profiles/full.json");
  return std::string(std::istreambuf_iterator<char>(in), {});
}

// UDP-encapsulated ESP (RFC 3948) and IP header shapes: a conforming device passes; one that
// leaves the UDP checksum the transport computed over the placeholders fails with UDPENC-006.
const char* kUdpAndIpShapesCase = R"({
  "id": "test.engine.udp_ip", "comment": "c", "flags": ["T"], "requirements": ["UDPENC-006"],
  "steps": [
    {"op": "oid", "oid": "ADD_SA", "sas": [
      {"label": "in", "direction": "inbound", "udp_esp": "TRANSPORT", "esp": {"spi": "0x1001", "encryption": "AES_GCM_128"}},
      {"label": "out", "direction": "outbound", "udp_esp": "TRANSPORT", "esp": {"spi": "0x2001", "encryption": "AES_GCM_128"}},
      {"label": "in6", "direction": "inbound", "ip": 6, "esp": {"spi": "0x3001", "encryption": "AES_GCM_128"}},
      {"label": "out6", "direction": "outbound", "ip": 6, "esp": {"spi": "0x4001", "encryption": "AES_GCM_128"}}],
     "expect": {"status": "SUCCESS"}},
    {"op": "send", "sa": "out", "packet": {"udp_checksum": "computed"}, "expect": {"completion": "SUCCESS", "verdict": "protected"}},
    {"op": "receive", "sa": "in", "packet": {"udp_checksum": "computed"},
     "expect": {"crypto_status": "CRYPTO_SUCCESS", "frame": "decrypted"}},
    {"op": "receive", "sa": "in", "corrupt": "udp_ike", "expect": {"indicated": true, "crypto_done": false, "frame": "unchanged"}},
    {"op": "receive", "sa": "in", "corrupt": "udp_keepalive", "expect": {"indicated": true, "crypto_done": false, "frame": "unchanged"}},
    {"op": "send", "sa": "out6", "packet": {"ipv6_ext": ["hop_by_hop", "routing", "destination"]},
     "expect": {"completion": "SUCCESS", "verdict": "protected"}},
    {"op": "receive", "sa": "in6", "packet": {"ipv6_ext": ["hop_by_hop", "routing", "destination"]},
     "expect": {"crypto_status": "CRYPTO_SUCCESS", "frame": "decrypted"}},
    {"op": "receive", "sa": "in6", "corrupt": "fragment", "packet": {"payload_size": 200},
     "expect": {"indicated": true, "crypto_done": false, "frame": "unchanged"}},
    {"op": "send", "sa": "out6", "packet": {"fragment": "first"}, "expect": {"completion": "failure", "verdict": "none"}}
  ]})";

TEST(CaseEngine, UdpEspAndIpShapesPassOnAConformingDevice) {
  Script script;
  script.profile = full_profile_text();  // UDP-ESP, IPv6 extension headers
  const CaseResult r = testing::run_scripted(script, testing::load_one_case(kUdpAndIpShapesCase));
  EXPECT_EQ(r.verdict, Verdict::pass) << r.error << (r.findings.empty() ? "" : r.findings[0].field + " " + r.findings[0].step);
}

TEST(CaseEngine, StaleUdpChecksumOnSendFailsNamingUdpenc006) {
  Script script;
  script.profile = full_profile_text();  // UDP-ESP, IPv6 extension headers
  script.after_send = [](dut::SendReply& r) {
    // Off by one from whatever the device wrote: neither zero nor correct.
    if (!r.frames.empty() && r.frames[0].size() > 14 + 28 && r.frames[0][14 + 9] == 17) r.frames[0][14 + 27] ^= 0x01;
  };
  const CaseResult r = testing::run_scripted(script, testing::load_one_case(kUdpAndIpShapesCase));
  ASSERT_EQ(r.verdict, Verdict::fail) << r.error;
  ASSERT_FALSE(r.findings.empty());
  EXPECT_EQ(r.findings[0].step, "steps[1]");
  EXPECT_EQ(r.findings[0].field, "wire");
  EXPECT_EQ(r.findings[0].requirements, (std::vector<std::string>{"UDPENC-006"}));
}

// ACCEPTABLE: a device that takes another alternative an open question allows passes as
// ACCEPTABLE, naming the question and what it did; the oracle's own choice is PASS; a value
// outside the alternatives is FAIL.
const char* kIcvFailureCase = R"({
  "id": "test.engine.icv_status", "comment": "c", "flags": ["T"], "requirements": ["RECV-009"],
  "steps": [
    {"op": "oid", "oid": "ADD_SA", "sas": [
      {"label": "in", "direction": "inbound", "esp": {"spi": "0x1001", "encryption": "AES_GCM_128"}}],
     "expect": {"status": "SUCCESS"}},
    {"op": "receive", "sa": "in", "corrupt": "icv",
     "expect": {"indicated": true, "crypto_done": true, "open_question": "OQ-CTS-1",
                "crypto_status": ["CRYPTO_TRANSPORT_ESP_AUTH_FAILED", "CRYPTO_TUNNEL_ESP_AUTH_FAILED"]}}
  ]})";

void report_crypto_status(testing::Script& script, uint16_t status) {
  script.after_receive = [status](dut::ReceiveReply& r) {
    ndis::ReceiveInfo info = ndis::decode_receive_info(r.oob.ipsec_info).fields;
    info.crypto_status = status;
    r.oob.ipsec_info = ndis::make_receive_info(info);
  };
}

TEST(CaseEngine, AlternativeOfAnOpenQuestionIsAcceptableNotPassOrFail) {
  {
    Script script;  // the oracle's documented choice: 3
    const CaseResult r = testing::run_scripted(script, testing::load_one_case(kIcvFailureCase));
    EXPECT_EQ(r.verdict, Verdict::pass) << r.error;
    EXPECT_TRUE(r.acceptances.empty());
  }
  {
    Script script;
    report_crypto_status(script, ndis::CRYPTO_TUNNEL_ESP_AUTH_FAILED);
    const CaseResult r = testing::run_scripted(script, testing::load_one_case(kIcvFailureCase));
    ASSERT_EQ(r.verdict, Verdict::acceptable) << r.error << (r.findings.empty() ? "" : r.findings[0].field);
    ASSERT_EQ(r.acceptances.size(), 1u);
    EXPECT_EQ(r.acceptances[0].question, "OQ-CTS-1");
    EXPECT_EQ(r.acceptances[0].field, "oob.CryptoStatus");
    EXPECT_EQ(r.acceptances[0].device, "CRYPTO_TUNNEL_ESP_AUTH_FAILED (5)");
    EXPECT_EQ(r.acceptances[0].oracle, "CRYPTO_TRANSPORT_ESP_AUTH_FAILED (3)");
    EXPECT_TRUE(r.findings.empty());
    EXPECT_FALSE(r.evidence.empty());  // which alternative it took stays visible
  }
  {
    Script script;  // outside the alternatives
    report_crypto_status(script, ndis::CRYPTO_INVALID_PACKET_SYNTAX);
    const CaseResult r = testing::run_scripted(script, testing::load_one_case(kIcvFailureCase));
    EXPECT_EQ(r.verdict, Verdict::fail);
    EXPECT_TRUE(r.acceptances.empty());  // a failing case claims no alternative
  }
}

// RFC 4303 Appendix A beside the NDIS choice (OQ-26): a device that infers the next ESN high half
// verifies a packet the oracle (holding the SA's high half until UPDATE_SA) fails; both pass,
// and the device's choice is named.
TEST(CaseEngine, EsnInferenceOfAppendixAIsAcceptable) {
  const char* late = R"J({
    "id": "test.engine.late_update", "comment": "c", "flags": ["T"], "requirements": ["UPD-003"],
    "steps": [
      {"op": "oid", "oid": "ADD_SA", "sas": [
        {"label": "in", "direction": "inbound", "esp": {"spi": "0x1001", "encryption": "AES_GCM_128", "esn": true, "seq_high": 1}}],
       "expect": {"status": "SUCCESS"}},
      {"op": "receive", "sa": "in", "seq_high": 2,
       "expect": {"crypto_done": true, "open_question": ["OQ-CTS-1", "OQ-26"], "alternative": "inferred the high half (RFC 4303 Appendix A)",
                  "crypto_status": ["CRYPTO_TRANSPORT_ESP_AUTH_FAILED", "CRYPTO_TUNNEL_ESP_AUTH_FAILED", "CRYPTO_SUCCESS"]}}
    ]})J";
  Script script;
  report_crypto_status(script, ndis::CRYPTO_SUCCESS);
  const CaseResult r = testing::run_scripted(script, testing::load_one_case(late));
  ASSERT_EQ(r.verdict, Verdict::acceptable) << r.error << (r.findings.empty() ? "" : r.findings[0].field);
  ASSERT_EQ(r.acceptances.size(), 1u);
  EXPECT_EQ(r.acceptances[0].question, "OQ-CTS-1, OQ-26");
  EXPECT_EQ(r.acceptances[0].device, "CRYPTO_SUCCESS (0)");
  EXPECT_EQ(r.acceptances[0].note, "inferred the high half (RFC 4303 Appendix A)");
}

TEST(CaseEngine, AListOfAlternativesMustCiteItsOpenQuestion) {
  const std::string file = R"({"format": 1, "area": "test", "description": "d",
    "notes": {"T": {"bug_class": "b", "checks": "c", "impact": "i", "requirements": []}},
    "cases": [)" + std::string(kIcvFailureCase) + "]}";
  std::string text = file;
  const std::string cite = "\"open_question\": \"OQ-CTS-1\",";
  text.erase(text.find(cite), cite.size());
  const cases::LoadResult r = cases::load_case_text(text, "t.json");
  ASSERT_EQ(r.errors.size(), 1u);
  EXPECT_EQ(r.errors[0].path, "$.cases[0].steps[1].expect");
  EXPECT_NE(r.errors[0].message.find("open question"), std::string::npos) << r.errors[0].message;
}

}  // namespace
}  // namespace cts::core
