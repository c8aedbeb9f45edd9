#include "reports/junit_report.h"

#include <map>

#include "reports/text_escape.h"
#include "reports/text_summary.h"

namespace cts::reports {
namespace {

// Attribute values are shown on one line in CI pages; the element text carries everything.
constexpr size_t kMaxMessageBytes = 1000;

struct Suite {
  std::string name;
  std::vector<const CaseView*> cases;
  size_t failures = 0, errors = 0, skipped = 0;
  double ms = 0;
};

std::string attr(const char* name, const std::string& value) {
  return std::string(" ") + name + "=\"" + xml_attribute(value) + "\"";
}

// The Ant JUnit schema's timestamp is an ISO 8601 date-time without a zone; results hold UTC.
std::string junit_timestamp(const std::string& started_at) {
  std::string t = started_at;
  if (!t.empty() && t.back() == 'Z') t.pop_back();
  return t;
}

void property(std::string& out, const std::string& name, const std::string& value) {
  out += "      <property" + attr("name", name) + attr("value", value) + "/>\n";
}

}  // namespace

std::string render_junit(const ResultsView& run, const RequirementCatalogue* catalogue, const JunitOptions& options) {
  std::map<std::string, Suite> suites;  // by case file, sorted
  for (const CaseView& c : run.cases) {
    Suite& s = suites[c.file];
    s.name = c.file.empty() ? "(no case file)" : c.file;
    s.cases.push_back(&c);
    s.ms += c.duration_ms;
    if (c.verdict == Verdict::fail) ++s.failures;
    if (c.verdict == Verdict::error) ++s.errors;
    if (c.verdict == Verdict::not_applicable) ++s.skipped;
  }
  double total_ms = 0;
  for (const auto& [file, s] : suites) total_ms += s.ms;

  std::string out = "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n";
  out += "<testsuites" + attr("name", "ipsec-cts: " + run.device_name) +
         attr("tests", std::to_string(run.summary.total)) + attr("failures", std::to_string(run.summary.fail)) +
         attr("errors", std::to_string(run.summary.error)) +
         attr("time", seconds_text(run.duration_ms ? *run.duration_ms : total_ms)) + ">\n";
  size_t suite_id = 0;
  for (const auto& [file, s] : suites) {
    out += "  <testsuite" + attr("name", s.name) + attr("tests", std::to_string(s.cases.size())) +
           attr("failures", std::to_string(s.failures)) + attr("errors", std::to_string(s.errors)) +
           attr("skipped", std::to_string(s.skipped)) + attr("time", seconds_text(s.ms)) +
           attr("id", std::to_string(suite_id++));
    if (!run.started_at.empty()) out += attr("timestamp", junit_timestamp(run.started_at));
    out += ">\n    <properties>\n";
    property(out, "device", run.device_name);
    if (!run.device_spec.empty()) property(out, "device.spec", run.device_spec);
    if (run.seed) property(out, "seed", std::to_string(*run.seed));
    property(out, "tool", run.tool_name + " " + run.tool_version);
    if (!run.started_at.empty()) property(out, "started_at", run.started_at);
    if (!run.shard.empty()) property(out, "shard", run.shard);
    property(out, "results", run.name);
    out += "    </properties>\n";
    for (const CaseView* c : s.cases) {
      out += "    <testcase" + attr("name", c->leaf()) + attr("classname", c->group().empty() ? c->leaf() : c->group()) +
             attr("time", seconds_text(c->duration_ms));
      if (c->verdict == Verdict::pass) {
        out += "/>\n";
        continue;
      }
      if (c->verdict == Verdict::acceptable) {
        // A passing testcase: CI counts it with the passes; the open question and the alternative
        // the device took stay readable in its properties and output.
        out += ">\n      <properties>\n";
        property(out, "verdict", "ACCEPTABLE");
        for (const auto& a : c->acceptances) property(out, "accepted." + a.step + "." + a.field, a.question + ": " + a.device);
        out += "      </properties>\n      <system-out>" +
               xml_text(case_account(*c, catalogue, run.name, std::string())) + "</system-out>\n    </testcase>\n";
        continue;
      }
      out += ">\n";
      const std::string message = truncate_utf8(printable_text(case_reason(*c)), kMaxMessageBytes);
      const std::string link =
          options.html_report.empty() ? std::string() : options.html_report + "#" + url_fragment(case_anchor(c->id));
      const std::string body = case_account(*c, catalogue, run.name, link);
      switch (c->verdict) {
        case Verdict::fail:
          out += "      <failure" + attr("message", message) + attr("type", "FAIL") + ">" + xml_text(body) +
                 "</failure>\n";
          break;
        case Verdict::error:
          out += "      <error" + attr("message", message) + attr("type", "ERROR") + ">" + xml_text(body) +
                 "</error>\n";
          break;
        case Verdict::not_applicable:
          out += "      <skipped" + attr("message", message) + "/>\n";
          break;
        case Verdict::pass:
        case Verdict::acceptable: break;
      }
      out += "    </testcase>\n";
    }
    out += "  </testsuite>\n";
  }
  out += "</testsuites>\n";
  return out;
}

}  // namespace cts::reports
