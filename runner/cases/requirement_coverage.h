// `ipsec-cts lint --coverage`: which requirements of the catalogue the case library covers, per
// family (the ID prefix: ADD, ESN, RECV, ...), and whether every requirement whose subject is
// the device is covered by at least one case or listed in cases/uncovered.json with a reason.
//
// Device-side: strength MUST, SHOULD, MUST NOT, SHOULD NOT or implied (in any spelling of the
// catalogues: "NDIS MUST", "MUST (lc)", "implied (OQ-02)", "(no keyword) / MUST"), except the
// duties of the transport ("(transport)"). MAY, descriptive and derived entries are counted but
// need neither a case nor a reason.
//
// cases/uncovered.json: {"format": 1, "description": "...", "categories": {"irql": "why this
// kind of duty shows at no interface", ...}, "uncovered": [{"id": "GEN-003", "category": "irql",
// "reason": "..."}]}. Every category used is explained; a reason is a sentence a reviewer can
// judge (at least 40 characters); an ID listed there that a case covers is reported as stale.
#pragma once

#include <map>
#include <string>
#include <vector>

#include "runner/cases/case_model.h"
#include "runner/cases/requirement_catalogue.h"

namespace cts::cases {

bool is_device_side(const Requirement& r);

struct Waiver {
  std::string id, category, reason;
};

struct WaiverFile {
  std::map<std::string, std::string> categories;  // name -> explanation
  std::vector<Waiver> waivers;
};

// Strict reading: unknown fields, missing fields, unexplained categories and short reasons are
// errors naming the JSON path.
bool load_waivers(const std::string& path, WaiverFile& out, std::vector<std::string>& errors);

struct FamilyCoverage {
  std::string family;
  size_t total = 0;        // IDs in the catalogue
  size_t device_side = 0;  // of which device-side
  size_t covered = 0;      // device-side IDs cited by a case
  size_t waived = 0;       // device-side IDs listed in uncovered.json (and not covered)
  size_t other_cited = 0;  // non-device-side IDs cited by a case
  std::vector<std::string> missing;  // device-side, neither covered nor waived
};

struct CoverageReport {
  std::vector<FamilyCoverage> families;  // sorted by family
  std::vector<std::string> errors;       // missing coverage, bad waivers
  std::vector<std::string> warnings;     // stale waivers
  size_t total = 0, device_side = 0, covered = 0, waived = 0;
  std::map<std::string, size_t> cases_per_requirement;
  std::map<std::string, size_t> waived_by_category;  // device-side waivers per category
};

CoverageReport compute_coverage(const std::vector<CaseFile>& files, const RequirementCatalogue& catalogue,
                                const WaiverFile& waivers);

// The per-family table and the summary lines, as `lint --coverage` prints them.
std::string format_coverage(const CoverageReport& report);

}  // namespace cts::cases
