// A capture's verification (`ipsec-cts vectors verify CAPTURE --sa SIDECAR --results DIR`) in
// the results model of a run, so it has the same results.json, JUnit and HTML views: one case
// per SA of the sidecar ("capture.<vector>.<sa>", its packets judged together), one for records
// no SA of the sidecar explains ("capture.<vector>.unmatched"), one for the capture's length
// against the sidecar ("capture.<vector>.length") and one for a capture that cannot be read to its
// end ("capture.<vector>.read", ERROR). Every failing packet is a finding of its SA's case that
// names the packet, what the sidecar expected and what the oracle found, and the packet's
// requirement ids; the reproducing command is `ipsec-cts vectors verify` itself.
#pragma once

#include <cstdint>
#include <map>
#include <string>
#include <vector>

#include "runner/results/results_model.h"
#include "runner/vectors/capture_verifier.h"

namespace cts::vectors {

// A case lists at most this many packet findings; the rest are counted in one more finding.
inline constexpr size_t kMaxFindingsPerCase = 1000;

class VerifyResults {
 public:
  // `capture` and `sidecar_path` as given on the command line (only their file names are kept).
  VerifyResults(const Sidecar& sidecar, const std::string& capture, const std::string& sidecar_path);

  // Every packet, in capture order (PacketReport as the verifier hands it over).
  void add(const PacketReport& r);

  // The whole results model. `started_at` "2026-11-22T18:18:49Z"; `duration_ms` of the verification.
  results::Results finish(const VerifySummary& summary, const std::string& started_at, double duration_ms,
                          const std::string& tool_version) const;

 private:
  struct SaCase {
    uint64_t packets = 0, failed = 0;
    std::vector<std::string> requirements;
    std::vector<results::Finding> findings;
  };
  SaCase& case_of(const PacketReport& r);
  std::string case_id(const std::string& leaf) const;  // "capture.<vector>.<leaf>"

  const Sidecar& sidecar_;
  std::string capture_name_, sidecar_name_;
  std::map<std::string, SaCase> cases_;  // by SA id ("" : unmatched)
};

}  // namespace cts::vectors
