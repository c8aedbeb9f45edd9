#include "runner/core/results.h"

#include <algorithm>
#include <cmath>
#include <filesystem>

namespace cts::core {

const char* verdict_name(Verdict v) {
  switch (v) {
    case Verdict::pass: return "PASS";
    case Verdict::fail: return "FAIL";
    case Verdict::not_applicable: return "NOT_APPLICABLE";
    case Verdict::error: return "ERROR";
  }
  return "?";
}

void RunSummary::add(Verdict v) {
  ++total;
  switch (v) {
    case Verdict::pass: ++pass; break;
    case Verdict::fail: ++fail; break;
    case Verdict::not_applicable: ++not_applicable; break;
    case Verdict::error: ++error; break;
  }
}

nlohmann::json finding_to_json(const Finding& f) {
  nlohmann::json j = {{"step", f.step}, {"field", f.field}, {"expected", f.expected},
                      {"actual", f.actual}, {"requirements", f.requirements}};
  if (!f.detail.empty()) j["detail"] = f.detail;
  return j;
}

nlohmann::json case_result_to_json(const CaseResult& r) {
  nlohmann::json j = {{"id", r.id}, {"file", r.file}, {"verdict", verdict_name(r.verdict)},
                      {"requirements", r.requirements}, {"flags", r.flags},
                      {"duration_ms", std::round(r.duration_ms * 1000.0) / 1000.0}};
  if (!r.missing_capability.empty()) j["missing_capability"] = r.missing_capability;
  if (!r.error.empty()) j["error"] = r.error;
  if (!r.findings.empty()) {
    j["findings"] = nlohmann::json::array();
    for (const auto& f : r.findings) j["findings"].push_back(finding_to_json(f));
  }
  if (r.verdict != Verdict::pass && r.verdict != Verdict::not_applicable && !r.evidence.empty())
    j["evidence"] = r.evidence;
  return j;
}

nlohmann::json results_document(const nlohmann::json& run, const std::vector<CaseResult>& results) {
  std::vector<const CaseResult*> sorted;
  for (const auto& r : results) sorted.push_back(&r);
  std::sort(sorted.begin(), sorted.end(), [](const auto* a, const auto* b) { return a->id < b->id; });
  RunSummary s;
  nlohmann::json cases = nlohmann::json::array();
  for (const auto* r : sorted) {
    s.add(r->verdict);
    cases.push_back(case_result_to_json(*r));
  }
  return {{"schema_version", 1},
          {"tool", {{"name", "ipsec-cts"}, {"version", CTS_CORE_VERSION}}},
          {"run", run},
          {"summary",
           {{"total", s.total}, {"pass", s.pass}, {"fail", s.fail},
            {"not_applicable", s.not_applicable}, {"error", s.error}}},
          {"cases", cases}};
}

std::string canonical_dump(const nlohmann::json& doc) {
  // nlohmann::json objects are std::map-ordered: keys come out sorted.
  return doc.dump(2, ' ', false, nlohmann::json::error_handler_t::replace) + "\n";
}

bool IncrementalResults::open(const std::string& out_dir, const nlohmann::json& run, std::string& error) {
  dir_ = out_dir;
  std::error_code ec;
  std::filesystem::create_directories(out_dir, ec);
  if (ec) {
    error = out_dir + ": cannot create the output directory: " + ec.message();
    return false;
  }
  partial_.open(out_dir + "/results.partial.jsonl", std::ios::trunc);
  if (!partial_) {
    error = out_dir + "/results.partial.jsonl: cannot write";
    return false;
  }
  partial_ << nlohmann::json{{"run", run}}.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace) << "\n";
  partial_.flush();
  return true;
}

void IncrementalResults::append(const CaseResult& r) {
  if (!partial_) return;
  partial_ << case_result_to_json(r).dump(-1, ' ', false, nlohmann::json::error_handler_t::replace) << "\n";
  partial_.flush();
}

bool IncrementalResults::finish(const nlohmann::json& run, const std::vector<CaseResult>& results,
                                std::string& error) {
  const std::string path = dir_ + "/results.json";
  const std::string tmp = path + ".tmp";
  {
    std::ofstream out(tmp, std::ios::trunc);
    if (!out) {
      error = tmp + ": cannot write";
      return false;
    }
    out << canonical_dump(results_document(run, results));
    if (!out) {
      error = tmp + ": write failed";
      return false;
    }
  }
  std::error_code ec;
  std::filesystem::rename(tmp, path, ec);
  if (ec) {
    error = path + ": " + ec.message();
    return false;
  }
  partial_.close();
  std::filesystem::remove(dir_ + "/results.partial.jsonl", ec);
  return true;
}

}  // namespace cts::core
