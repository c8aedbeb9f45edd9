#include "reports/results_view.h"

#include "runner/json/json_text.h"

namespace cts::reports {

ResultsView results_view_from_model(results::Results m, const std::string& origin) {
  ResultsView v;
  v.origin = origin;
  const auto slash = origin.find_last_of('/');
  v.name = slash == std::string::npos ? origin : origin.substr(slash + 1);
  v.tool_name = m.tool_name;
  v.tool_version = m.tool_version;
  v.seed = m.run.seed;
  v.device_spec = m.run.device.spec;
  v.device_name = m.run.device.name;
  v.device_description = m.run.device.description;
  v.device_capabilities = m.run.device.capabilities;
  v.device_features = m.run.device.features;
  v.case_files = m.run.case_files;
  v.filters = m.run.filters;
  v.shard = m.run.shard;
  v.started_at = m.run.started_at;
  v.duration_ms = m.run.duration_ms;
  v.summary = m.summary;
  v.info = std::move(m.run);
  v.cases.reserve(m.cases.size());
  for (size_t i = 0; i < m.cases.size(); ++i) {
    CaseView c;
    static_cast<results::CaseResult&>(c) = std::move(m.cases[i]);
    c.index = i;
    if (c.verdict == Verdict::fail || c.verdict == Verdict::error) c.reproduce = results::reproduce_command(v.info, c);
    v.cases.push_back(std::move(c));
  }
  return v;
}

results::Results ResultsView::model() const {
  results::Results m;
  m.tool_name = tool_name;
  m.tool_version = tool_version;
  m.run = info;
  m.summary = summary;
  for (const auto& c : cases) m.cases.push_back(c);
  return m;
}

results::Completeness ResultsView::completeness() const {
  // Only the run record and the counts matter; the cases' contents do not.
  results::Results m;
  m.run = info;
  m.summary = summary;
  m.cases.resize(cases.size());
  return results::assess_completeness(m);
}

bool ResultsView::partial_run() const { return !completeness().complete; }

bool ResultsView::conformant() const { return !partial_run() && summary.fail == 0; }

std::optional<ResultsView> results_view_from_json(const nlohmann::json& doc, const std::string& origin,
                                                  std::string& error) {
  auto model = results::results_from_json(doc, origin, error);
  if (!model) return std::nullopt;
  return results_view_from_model(std::move(*model), origin);
}

std::optional<ResultsView> load_results_file(const std::string& path, std::string& error) {
  auto doc = strict::read_file(path, error, "results file");
  if (!doc) return std::nullopt;
  return results_view_from_json(*doc, path, error);
}

}  // namespace cts::reports
