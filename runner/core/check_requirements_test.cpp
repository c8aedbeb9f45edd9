// Findings name what was broken: the requirement lists of the runner's checks exist in the
// catalogue, and a faulty device's findings name only requirements its fault violates, never the
// rest of what the case cites.
#include "runner/core/check_requirements.h"

#include <set>

#include <gtest/gtest.h>

#include "oracle/ndis/codec.h"
#include "oracle/ndis/constants.h"
#include "runner/cases/case_names.h"
#include "runner/cases/requirement_catalogue.h"
#include "runner/core/scripted_device_test_support.h"

namespace cts::core {
namespace {

using testing::Script;

TEST(CitedRequirements, ReadsCatalogueShapedIdsOnce) {
  EXPECT_EQ(cited_requirements("Operation 3 is not AH or ESP (ADD-024); see ADD-024, OQ-04 and SEND-017."),
            (RequirementIds{"ADD-024", "SEND-017"}));
  EXPECT_TRUE(cited_requirements("OQ-04 NOT_SUPPORTED, x-123, AB-12, AB-1234").empty());
  EXPECT_EQ(cited_requirements("(ADDEX-004)"), (RequirementIds{"ADDEX-004"}));
}

TEST(CheckRequirements, EveryListNamesCatalogueIds) {
  std::string error;
  auto cat = cases::RequirementCatalogue::load(std::string(CTS_SOURCE_ROOT) + "/cases/requirements.json", error);
  ASSERT_TRUE(cat) << error;
  std::vector<RequirementIds> all;
  const cases::OidKind oids[] = {cases::OidKind::add_sa, cases::OidKind::add_sa_ex, cases::OidKind::delete_sa,
                                 cases::OidKind::update_sa};
  for (auto oid : oids) {
    for (bool a : {false, true})
      for (bool b : {false, true})
        for (bool c : {false, true}) all.push_back(oid_status_requirements(oid, a, b, "", c));
    for (auto h : {HandleCheck::non_null_on_failure, HandleCheck::all_null_on_success, HandleCheck::reused_live,
                   HandleCheck::null_expected, HandleCheck::non_null_expected, HandleCheck::identity})
      all.push_back(handle_requirements(oid, h));
    for (auto ch : {TableChange::extra, TableChange::missing, TableChange::field})
      for (const char* f : {"table.x.sas[0].sequence_number_high_order", "table.x.sas[0].esn", "table.x.sas[0].spi",
                            "table.x.sas[0].operation", "table.x.direction", "table.bundle_count"})
        for (bool dev_failed : {false, true})
          for (bool oracle_failed : {false, true})
            all.push_back(table_requirements(&oid, ch, f, StepRequestOutcome{dev_failed, oracle_failed, {}}));
  }
  for (auto ch : {TableChange::extra, TableChange::missing}) all.push_back(table_requirements(nullptr, ch, "t"));
  for (bool held_more : {false, true}) all.push_back(add_refused_for_room_requirements(held_more));
  for (const auto& f : cases::kCapabilityFlagNames.entries()) all.push_back(capability_flag_requirements(f.value));
  for (auto st : {SendHandleState::live, SendHandleState::zero, SendHandleState::deleted, SendHandleState::never_issued}) {
    all.push_back(send_refusal_requirements(st));
    all.push_back(send_completion_requirements(st));
  }
  for (auto sa : {ReceiveSaState::live, ReceiveSaState::deleted, ReceiveSaState::request_failed,
                  ReceiveSaState::element_refused})
    for (auto c : {cases::Corruption::none, cases::Corruption::spi, cases::Corruption::dst, cases::Corruption::icv,
                   cases::Corruption::clear}) {
      for (bool changed : {false, true}) {
        all.push_back(crypto_done_requirements(false, c, sa, changed));
        all.push_back(crypto_done_requirements(true, c, sa, changed));
        all.push_back(crypto_status_requirements(c, sa, changed));
      }
    }
  for (const auto& ids : all) {
    EXPECT_FALSE(ids.empty());
    for (const auto& id : ids) EXPECT_TRUE(cat->find(id)) << id << " is not in the catalogue";
  }
}

// ---- Each check names its own rule, by what the device showed ----------------------------------

TEST(CheckRequirements, TableAfterAnAddNamesHowEachSideEndedTheRequest) {
  const auto add = cases::OidKind::add_sa;
  // Left behind by a request the device failed; offloaded although refused in one it completed.
  EXPECT_EQ(table_requirements(&add, TableChange::extra, "table.x", {true, false, {}}), (RequirementIds{"ADD-005"}));
  EXPECT_EQ(table_requirements(&add, TableChange::extra, "table.x", {false, true, {}}), (RequirementIds{"ADD-006"}));
  // Missing because the device failed a request that had to succeed; missing behind a handle.
  EXPECT_EQ(table_requirements(&add, TableChange::missing, "table.x", {true, false, {}}), (RequirementIds{"ADD-004"}));
  EXPECT_EQ(table_requirements(&add, TableChange::missing, "table.x", {false, false, {}}), (RequirementIds{"ADD-003"}));
  // A DELETE_SA carried out although it had to be refused names the refusal's rule, not DEL-006.
  const auto del = cases::OidKind::delete_sa;
  EXPECT_EQ(table_requirements(&del, TableChange::missing, "table.x", {false, true, {"GEN-011"}}),
            (RequirementIds{"GEN-011"}));
  EXPECT_EQ(table_requirements(&del, TableChange::missing, "table.x", {false, false, {}}), (RequirementIds{"DEL-006"}));
}

TEST(CheckRequirements, StatusNamesTheRefusalsRuleOrTheCode) {
  using cases::OidKind;
  // Accepted what the oracle refused for a cited rule: that rule, not GEN-004 beside it.
  EXPECT_EQ(oid_status_requirements(OidKind::add_sa, false, true, "not advertised (ADD-025)", false),
            (RequirementIds{"ADD-025"}));
  EXPECT_EQ(oid_status_requirements(OidKind::add_sa, false, true, "no rule cited", false), (RequirementIds{"GEN-004"}));
  // Refused as the oracle did, with another code: the code's rule only.
  EXPECT_EQ(oid_status_requirements(OidKind::add_sa, false, false, "(ADD-024)", true), (RequirementIds{"GEN-005"}));
  EXPECT_EQ(oid_status_requirements(OidKind::update_sa, false, false, "(UPD-009)", false), (RequirementIds{"UPD-005"}));
  EXPECT_EQ(oid_status_requirements(OidKind::update_sa, false, true, "header (GEN-011)", false),
            (RequirementIds{"GEN-011"}));
  EXPECT_EQ(oid_status_requirements(OidKind::update_sa, false, true, "no SA", false), (RequirementIds{"UPD-004"}));
  EXPECT_EQ(add_refused_for_room_requirements(false), (RequirementIds{"CAP-010"}));
  EXPECT_EQ(add_refused_for_room_requirements(true), (RequirementIds{"DEL-003"}));
}

TEST(CheckRequirements, OobOnAPacketOfNoSaNamesTheLookupUnlessTheSaWasUsed) {
  using cases::Corruption;
  // Flagged but left as it came: a lookup miss with OOB data.
  EXPECT_FALSE(device_processed_packet(false, 1));  // CRYPTO_GENERIC_ERROR
  EXPECT_EQ(crypto_done_requirements(false, Corruption::none, ReceiveSaState::deleted, false),
            (RequirementIds{"RECV-004", "RECV-010"}));
  // Decrypted, or its ICV checked: the deleted SA is still in use.
  EXPECT_TRUE(device_processed_packet(false, 3));  // CRYPTO_TRANSPORT_ESP_AUTH_FAILED
  EXPECT_TRUE(device_processed_packet(true, 0));
  EXPECT_EQ(crypto_done_requirements(false, Corruption::none, ReceiveSaState::deleted, true),
            (RequirementIds{"RECV-004", "DEL-009"}));
  // A packet to a destination no SA has, decrypted: the lookup matched where it must not.
  EXPECT_EQ(crypto_done_requirements(false, Corruption::dst, ReceiveSaState::live, true),
            (RequirementIds{"RECV-003", "RECV-004"}));
  // Damaged padding under a valid ICV answered with neither accepted code: the code (RECV-009).
  EXPECT_EQ(crypto_status_requirements(Corruption::pad_bytes, ReceiveSaState::live), (RequirementIds{"RECV-009"}));
}

// ---- A faulty device's findings name only what its fault violates --------------------------------

// Every finding of `r` names at least one requirement, and only requirements in `allowed`.
void expect_findings_within(const CaseResult& r, const std::set<std::string>& allowed) {
  ASSERT_EQ(r.verdict, Verdict::fail) << r.error;
  ASSERT_FALSE(r.findings.empty());
  for (const auto& f : r.findings) {
    EXPECT_FALSE(f.requirements.empty()) << f.step << " " << f.field;
    for (const auto& id : f.requirements)
      EXPECT_TRUE(allowed.count(id)) << f.step << " " << f.field << " names " << id
                                     << ", which the injected fault does not violate";
  }
}

// An outbound ESN SA whose case cites much more than the one fault exercised.
const char* kEsnOutboundCase = R"({
  "id": "test.esn.outbound", "comment": "c", "flags": ["T"],
  "requirements": ["GCM-001", "GCM-002", "GCM-006", "ADD-022", "ADDEX-003", "UPD-002", "UPD-003", "SEND-017",
                   "ESN-004", "SEND-009", "SEND-010", "ICV-001"],
  "steps": [
    {"op": "oid", "oid": "ADD_SA_EX", "sas": [{"label": "s", "direction": "outbound",
      "esp": {"spi": "0x2001", "encryption": "AES_GCM_128", "esn": true}}],
     "expect": {"status": "SUCCESS", "handles": ["non_null"]}},
    {"op": "send", "sa": "s", "expect": {"completion": "SUCCESS", "verdict": "protected", "seq_high": 0}},
    {"op": "oid", "oid": "UPDATE_SA", "handle": "s", "seq_high": 3, "expect": {"status": "SUCCESS"}},
    {"op": "send", "sa": "s", "expect": {"completion": "SUCCESS", "verdict": "protected", "seq_high": 3}}
  ]})";

TEST(PreciseFindings, IgnoredUpdateNamesTheHighHalfNotTheRestOfTheCase) {
  for (bool dump : {true, false}) {
    Script script;
    script.before_oid = [](uint32_t oid, std::span<const uint8_t>) -> std::optional<dut::OidReply> {
      if (oid != ndis::OID_TCP_TASK_IPSEC_OFFLOAD_V2_UPDATE_SA) return std::nullopt;
      return dut::OidReply{};  // SUCCESS, nothing changed
    };
    script.offers_dump = dump;
    const CaseResult r = testing::run_scripted(script, testing::load_one_case(kEsnOutboundCase));
    // With a dump the table differs (UPD-003); without, the stale ICV shows it (SEND-017 with
    // GCM-004, the AAD rule that carries the high half).
    expect_findings_within(r, {"UPD-003", "SEND-017", "GCM-004"});
  }
}

TEST(PreciseFindings, CorruptIcvOnSendNamesTheIcvNotTheIv) {
  Script script;
  script.after_send = [](dut::SendReply& r) {
    if (!r.frames.empty()) r.frames[0].back() ^= 0x01;
  };
  const CaseResult r = testing::run_scripted(script, testing::load_one_case(kEsnOutboundCase));
  expect_findings_within(r, {"SEND-009"});
}

const char* kFailedAddCase = R"({
  "id": "test.addsa.failed", "comment": "c", "flags": ["T"],
  "requirements": ["ADD-003", "ADD-004", "ADD-005", "ADD-006", "ADD-024", "GEN-004", "RECV-004", "RECV-006", "SEND-006"],
  "steps": [
    {"op": "oid", "oid": "ADD_SA", "sas": [
      {"label": "bad", "direction": "inbound", "esp": {"spi": "0x1002", "encryption": "AES_GCM_128"}}],
     "edits": [{"element": 0, "field": "SecAssoc[0].Operation", "value": 7}],
     "expect": {"status": "INVALID_DATA", "handles": ["null"]}},
    {"op": "probe", "sa": "bad", "expect": "dead"}
  ]})";

TEST(PreciseFindings, NonNullHandleOnFailedAddNamesAdd005And006) {
  Script script;
  script.after_oid = [](uint32_t oid, dut::OidReply& r) {
    if (oid != ndis::OID_TCP_TASK_IPSEC_OFFLOAD_V2_ADD_SA || r.buffer.size() < 8) return;
    const size_t at = ndis::offload_handle_offset(oid, ndis::Abi::x64);
    r.buffer[at] = 0x42;  // element 0 gets a handle although the request failed
  };
  const CaseResult r = testing::run_scripted(script, testing::load_one_case(kFailedAddCase));
  expect_findings_within(r, {"ADD-005", "ADD-006"});
}

TEST(PreciseFindings, AcceptedInvalidOperationNamesTheRuleTheOracleCites) {
  Script script;
  // The device ignores Operation: it offloads a request the specification refuses.
  script.before_oid = [](uint32_t, std::span<const uint8_t>) -> std::optional<dut::OidReply> {
    dut::OidReply r;
    r.status = ndis::NDIS_STATUS_SUCCESS;
    return r;
  };
  script.offers_dump = false;
  const CaseResult r = testing::run_scripted(script, testing::load_one_case(kFailedAddCase));
  expect_findings_within(r, {"ADD-024", "GEN-004", "ADD-006", "ADD-003", "ADD-004"});
}

const char* kDeleteThenUseCase = R"({
  "id": "test.delsa.dead", "comment": "c", "flags": ["T"],
  "requirements": ["DEL-003", "DEL-009", "SEND-006", "RECV-004", "GCM-001", "ADD-003"],
  "steps": [
    {"op": "oid", "oid": "ADD_SA", "sas": [
      {"label": "in", "direction": "inbound", "esp": {"spi": "0x1001", "encryption": "AES_GCM_128"}},
      {"label": "out", "direction": "outbound", "esp": {"spi": "0x2001", "encryption": "AES_GCM_128"}}],
     "expect": {"status": "SUCCESS", "handles": ["non_null", "non_null"]}},
    {"op": "oid", "oid": "DELETE_SA", "handles": ["in", "out"], "expect": {"status": "SUCCESS"}},
    {"op": "send", "sa": "out", "expect": {"completion": "FAILURE", "verdict": "none"}},
    {"op": "receive", "sa": "in", "expect": {"crypto_done": false, "indicated": true}}
  ]})";

TEST(PreciseFindings, IgnoredDeleteIsProvenOnTheDataPathWithoutDump) {
  for (bool dump : {true, false}) {
    Script script;
    script.before_oid = [](uint32_t oid, std::span<const uint8_t>) -> std::optional<dut::OidReply> {
      if (oid != ndis::OID_TCP_TASK_IPSEC_OFFLOAD_V2_DELETE_SA) return std::nullopt;
      return dut::OidReply{};
    };
    script.offers_dump = dump;
    const CaseResult r = testing::run_scripted(script, testing::load_one_case(kDeleteThenUseCase), dump);
    expect_findings_within(r, {"DEL-003", "SEND-006", "DEL-009"});
    if (!dump) {
      ASSERT_FALSE(r.findings.empty());
      EXPECT_EQ(r.findings[0].field, "completion_status");  // the send, not a table diff
    }
  }
}

TEST(PreciseFindings, WrongCryptoStatusNamesRecv009) {
  const char* c = R"({
    "id": "test.recv.icv", "comment": "c", "flags": ["T"],
    "requirements": ["RECV-006", "RECV-009", "RECV-013", "ICV-001", "GCM-002"],
    "steps": [
      {"op": "oid", "oid": "ADD_SA", "sas": [
        {"label": "in", "direction": "inbound", "esp": {"spi": "0x1001", "encryption": "AES_GCM_128"}}],
       "expect": {"status": "SUCCESS"}},
      {"op": "receive", "sa": "in", "corrupt": "icv", "expect": {"crypto_done": true}}
    ]})";
  Script script;
  script.after_receive = [](dut::ReceiveReply& r) {
    if (r.oob.crypto_status() != 0) r.oob.ipsec_info = (r.oob.ipsec_info & ~(uint64_t{0xFFFF} << 16)) | (uint64_t{1} << 16);
  };
  const CaseResult r = testing::run_scripted(script, testing::load_one_case(c));
  expect_findings_within(r, {"RECV-009"});
}

}  // namespace
}  // namespace cts::core
