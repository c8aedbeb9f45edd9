// The results model of a run, as the runner records it and every view renders it. Its one JSON
// form is results_json.h; its schema reports/schema/results.schema.json.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "runner/results/step_evidence.h"
#include "runner/results/verdict.h"

namespace cts::results {

// One departure from the expected behaviour, with the precise requirement ids of the check.
struct Finding {
  std::string step;   // "steps[3]" / "steps[2].repeat[i=1024].steps[0]"
  std::string field;  // "status", "handles[1]", "oob.CryptoStatus", "wire", "table.in1.sas[0]..."
  std::string expected;
  std::string actual;
  std::vector<std::string> requirements;
  std::string detail;
};

// Where a device took an alternative an open question leaves to it, other than the oracle's
// documented choice (the reason for an ACCEPTABLE verdict).
struct Acceptance {
  std::string step;      // "steps[2]"
  std::string field;     // "oob.CryptoStatus", "status"
  std::string question;  // "OQ-26" (docs/decisions.md), as the case cites it
  std::string device;    // what the device did ("CRYPTO_SUCCESS (0)")
  std::string oracle;    // the oracle's documented choice ("CRYPTO_TRANSPORT_ESP_AUTH_FAILED (3)")
  std::string note;      // the case's words for the device's alternative, or empty
  bool operator==(const Acceptance&) const = default;
};

// A file written next to results.json for one failing step (a pcap of the exchange, the matching
// Wireshark esp_sa table), named relative to the results folder.
struct Artifact {
  std::string kind;  // "pcap", "esp_sa"
  std::string step;
  std::string path;  // "evidence/<case>/steps[3].pcap"
  bool operator==(const Artifact&) const = default;
};

// What an expectations file (--expectations) said about a case, and how the case compared.
enum class ExpectationOutcome {
  expected,    // the verdict is the expected one: a known failure or a waiver
  stale,       // expected a failure, and the case now passes (or is not applicable): remove it
  unexpected,  // expected something else, and the case FAILed or ERRORed
};
const char* expectation_outcome_name(ExpectationOutcome o);  // "expected", "stale", "unexpected"

struct CaseExpectation {
  Verdict verdict = Verdict::fail;
  std::string reason;  // mandatory in the file
  std::string link;    // optional (a bug tracker entry)
  std::string glob;    // the entry that matched
  ExpectationOutcome outcome = ExpectationOutcome::expected;
};

struct CaseResult {
  std::string id;
  std::string file;  // relative to the case root ("addsa_basic.json")
  Verdict verdict = Verdict::pass;
  std::vector<std::string> requirements;
  std::vector<std::string> flags;
  std::string missing_capability;  // NOT_APPLICABLE
  std::string error;               // ERROR: what the device (or the harness) said
  std::vector<Finding> findings;   // FAIL (and findings seen before an ERROR)
  std::vector<Acceptance> acceptances;  // ACCEPTABLE: the alternatives the device took
  std::vector<StepEvidence> evidence;  // per step record, for every non-PASS
  std::vector<Artifact> artifacts;
  std::optional<CaseExpectation> expectation;
  double duration_ms = 0;

  // FAIL or ERROR that no expectation foresaw: what the exit code counts.
  bool unexpected() const;

  // "addsa.capacity" / "fill_then_overflow": the id split before its last component (parameters
  // in brackets stay with the case name). An id of one component has an empty group.
  std::string group() const;
  std::string leaf() const;
  // Every requirement the case cites, its own and its findings', without duplicates, in order.
  std::vector<std::string> all_requirements() const;
};

struct Summary {
  uint64_t total = 0, pass = 0, fail = 0, not_applicable = 0, error = 0, acceptable = 0;
  void add(Verdict v);
  uint64_t count(Verdict v) const;
  bool operator==(const Summary&) const = default;
};

struct CaseFileInfo {
  std::string path;  // relative to the case root
  std::string sha256;
  uint64_t cases = 0;
  // The case root as a command line names it: "cases" for the suite's library (from the
  // repository root), a relative --cases folder as given (from where the run started), or empty
  // when --cases was an absolute path (no view holds this machine's paths).
  std::string root;
  bool operator==(const CaseFileInfo&) const = default;
};

struct DeviceInfo {
  std::string spec;  // as given to --dut, with paths reduced to file names
  std::string name;
  std::string description;
  nlohmann::json features;      // {"dump": bool, "request_sa_delete": bool} or null
  nlohmann::json capabilities;  // decoded capabilities (runner/core), or null
  nlohmann::json add_oids;      // {"add_sa": bool, "add_sa_ex": bool} or null
};

// One entry of the expectations file as the run used it.
struct ExpectationEntry {
  std::string glob;
  Verdict verdict = Verdict::fail;
  std::string reason;
  std::string link;
  uint64_t matched = 0;     // cases it matched in this run
  bool stale = false;       // it matched nothing, or every case it matched no longer fails
};

struct RunInfo {
  std::optional<uint64_t> seed;
  DeviceInfo device;
  nlohmann::json oracle_profile;  // the profile the oracle played, or null
  std::vector<CaseFileInfo> case_files;
  std::string case_set_sha256;  // over the case files' names and digests: equal sets, equal hash
  uint64_t case_set_cases = 0;  // cases in the whole case set (before filter and shard)
  bool library = false;         // the case set is the suite's own library (cases/)
  std::vector<std::string> filters;
  std::string shard = "1/1";
  std::vector<std::string> merged_shards;  // "1/3", "2/3", "3/3" after `report merge`
  std::string rerun_of;                    // --rerun-failed: the results it re-ran
  std::string stopped;                     // why the run ended before its selection (or empty)
  std::string started_at, ended_at;        // "2026-11-22T18:18:49Z"
  std::optional<double> duration_ms;
  std::string host;
  std::string revision;  // the suite's source revision, when known
  std::string expectations_file;  // file name of --expectations (empty: none)
  std::vector<ExpectationEntry> expectations;
};

struct Results {
  std::string tool_name = "ipsec-cts";
  std::string tool_version;
  RunInfo run;
  Summary summary;
  std::vector<CaseResult> cases;  // sorted by id in the canonical form
};

Summary summarize(const std::vector<CaseResult>& cases);

// Whether a run may claim conformance: the whole library, no filter, every shard, every case of
// the case set, nothing stopped early, no ERROR. `left_out` says, for people, what was not done.
struct Completeness {
  bool complete = false;
  std::vector<std::string> left_out;
};
Completeness assess_completeness(const Results& r);

// `text` with every absolute path of this machine reduced to its file name ("cannot open
// /home/ci/build/lib/x.so" -> "cannot open x.so"): results and views never carry the paths of the
// machine that ran the suite.
std::string without_machine_paths(const std::string& text);

// The one command line that runs this case again as it ran ("ipsec-cts run --dut ... --seed N
// --filter '...'"; a capture's verification, device spec "capture:FILE": "ipsec-cts vectors
// verify FILE --sa SIDECAR"), for every failing case in every view.
// `extra` (" --show-keys") goes among the arguments, before any trailing note.
std::string reproduce_command(const RunInfo& run, const CaseResult& c, const std::string& extra = "");
// The command line that runs the whole selection again (device, case files outside a whole-library
// run, seed, filters, shard), named as reproduce_command names them.
std::string replay_command(const RunInfo& run);

}  // namespace cts::results
