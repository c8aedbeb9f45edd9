// The view model of one run: the results model (runner/results) read from a results document,
// with what the views add (where each case sits in $.cases, the origin for messages). A view
// never renders a document the shared reader does not accept.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "runner/results/requirement_catalogue.h"
#include "runner/results/results_json.h"
#include "runner/results/results_model.h"

namespace cts::reports {

inline constexpr int64_t kResultsSchemaVersion = results::kSchemaVersion;

using results::Verdict;
using results::verdict_key;
using results::verdict_label;
using results::verdict_name;
using results::Requirement;
using results::RequirementCatalogue;
using FindingView = results::Finding;
using CaseFileView = results::CaseFileInfo;
using SummaryView = results::Summary;

struct CaseView : results::CaseResult {
  size_t index = 0;  // position in $.cases, for JSON paths into the evidence
  // FAIL and ERROR: the one command line that runs the case again (results::reproduce_command).
  std::string reproduce;
};

struct ResultsView {
  std::string origin;  // the file it came from, for messages and links
  std::string name;    // its file name: what the views show (never this machine's paths)
  std::string tool_name;
  std::string tool_version;
  results::RunInfo info;  // the whole run record
  // run (the members every view shows, from `info`)
  std::optional<uint64_t> seed;
  std::string device_spec, device_name, device_description;
  nlohmann::json device_capabilities;  // object or null
  nlohmann::json device_features;      // object or null
  std::vector<CaseFileView> case_files;
  std::vector<std::string> filters;
  std::string shard;       // "1/1"
  std::string started_at;  // "2026-11-22T18:18:49Z"
  std::optional<double> duration_ms;
  SummaryView summary;
  std::vector<CaseView> cases;  // document order (sorted by id in a canonical document)

  // Whether the run may claim conformance (results::assess_completeness) and, if not, why.
  results::Completeness completeness() const;
  // True when anything was left out (filters, a shard, missing cases, ERROR, a custom case set).
  bool partial_run() const;
  // A complete run with no FAIL: the only one the banner calls CONFORMANT.
  bool conformant() const;
  // The model again, for the functions of runner/results.
  results::Results model() const;
};

ResultsView results_view_from_model(results::Results model, const std::string& origin);
// From a parsed document. `origin` names it in errors. Never throws.
std::optional<ResultsView> results_view_from_json(const nlohmann::json& doc, const std::string& origin,
                                                  std::string& error);
// Reads, parses and checks a results file.
std::optional<ResultsView> load_results_file(const std::string& path, std::string& error);

}  // namespace cts::reports
