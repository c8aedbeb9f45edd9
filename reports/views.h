// Writing the views of a run to disk: the HTML compliance report and the JUnit XML, both
// rendered from the results document. This is what `ipsec-cts run` calls after writing
// results.json, and what `ipsec-cts report` calls on an existing file.
#pragma once

#include <string>

#include <nlohmann/json.hpp>

#include "runner/results/requirement_catalogue.h"
#include "reports/results_view.h"
#include "runner/results/atomic_file.h"

namespace cts::reports {

// Writes <out_dir>/report.html and <out_dir>/junit.xml from `results` (the document the run
// wrote as <out_dir>/results.json; the views link to it by that name). `catalogue` may be null
// (coverage then lists only the requirement ids the cases cite).
// Returns false with `error` set when the document is not a usable results document
// ("results.json: $.cases[3].verdict: unknown verdict ...") or a file cannot be written
// ("<path>: cannot write: ..."); files are replaced atomically, never left half-written.
bool write_views(const nlohmann::json& results, const RequirementCatalogue* catalogue, const std::string& out_dir,
                 std::string& error);

// Reads <dir>/results.json (`results_path`) and writes report.html and junit.xml beside it: the
// call for a run that has just written its results file. Errors as write_views, plus
// "<path>: cannot open" / "<path>: not valid JSON: ... (at $...)".
bool write_views_beside(const std::string& results_path, const RequirementCatalogue* catalogue, std::string& error);

// The files to write; an empty path is skipped.
struct ViewFiles {
  std::string html;   // "out/report.html"
  std::string junit;  // "out/junit.xml"
};

// Lower level: an already-loaded run (run.origin names its file, which the views link to).
bool write_view_files(const ResultsView& run, const RequirementCatalogue* catalogue, const ViewFiles& files,
                      std::string& error);

using results::write_file_atomically;  // runner/results/atomic_file.h

}  // namespace cts::reports
