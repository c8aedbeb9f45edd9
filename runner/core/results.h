// The runner's side of the results model (runner/results): the types under their runner names,
// and the journal of a run. Every case result is appended to <out>/results.partial.jsonl and
// flushed as soon as it is known, so a run that is killed (SIGKILL, a crashing plugin, a power
// cut) keeps every finished case and can be continued with --resume; results.json is written
// at the end through a temporary name and a rename, so it is either whole or absent.
//
// The journal: line 1 is {"run": <run record>}, every further line one case result in its
// results.json form. A torn last line (the process died mid-write) is ignored on resume.
#pragma once

#include <cstdio>
#include <optional>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "runner/results/atomic_file.h"
#include "runner/results/results_json.h"
#include "runner/results/results_model.h"

namespace cts::core {

using results::CaseResult;
using results::Finding;
using results::Verdict;
using results::verdict_name;
using RunSummary = results::Summary;

inline constexpr const char* kJournalName = "results.partial.jsonl";

using results::write_file_atomically;

class ResultsJournal {
 public:
  ResultsJournal() = default;
  ResultsJournal(const ResultsJournal&) = delete;
  ResultsJournal& operator=(const ResultsJournal&) = delete;
  ~ResultsJournal();

  // Starts a new journal in `out_dir` (created if needed), or, with `append`, continues the one
  // there (--resume).
  bool open(const std::string& out_dir, const results::RunInfo& run, bool append, std::string& error);
  // One line, written and flushed to the kernel before it returns (a killed process loses
  // nothing it appended).
  bool append(const CaseResult& r, std::string& error);
  // Writes results.json atomically and removes the journal.
  bool finish(const results::Results& all, std::string& error);

 private:
  std::string dir_;
  int fd_ = -1;
};

// What an interrupted run left in `out_dir`: its run record and every whole case line.
struct JournalContents {
  results::RunInfo run;
  std::vector<CaseResult> cases;
  size_t torn_lines = 0;  // an incomplete last line, dropped
};
std::optional<JournalContents> read_journal(const std::string& out_dir, std::string& error);

}  // namespace cts::core
