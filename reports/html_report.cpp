#include "reports/html_report.h"

#include <algorithm>
#include <cctype>
#include <cstdio>
#include <map>
#include <vector>

#include "reports/coverage.h"
#include "reports/html_evidence.h"
#include "reports/html_template.h"
#include "reports/text_escape.h"
#include "reports/text_summary.h"

namespace cts::reports {
namespace {

using nlohmann::json;

constexpr size_t kCasesShownPerRequirement = 6;
constexpr Verdict kVerdicts[] = {Verdict::fail, Verdict::error, Verdict::not_applicable, Verdict::acceptable,
                                  Verdict::pass};
constexpr CoverageStatus kStatuses[] = {CoverageStatus::violated, CoverageStatus::inconclusive, CoverageStatus::met,
                                        CoverageStatus::not_tested, CoverageStatus::not_covered};

std::string h(std::string_view s) { return html_escape(s); }

std::string plural(uint64_t n, const char* one, const char* many) {
  return std::to_string(n) + " " + (n == 1 ? one : many);
}

std::string percent(size_t part, size_t whole) {
  if (whole == 0) return "0";
  char buf[16];
  std::snprintf(buf, sizeof buf, "%.1f", 100.0 * static_cast<double>(part) / static_cast<double>(whole));
  return buf;
}

// Search text of a row: ASCII-lowercased, matched by the filter script.
std::string search_text(std::string s) {
  for (char& c : s) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return s;
}

std::string anchor_href(const std::string& anchor) { return "#" + url_fragment(anchor); }

std::string badge(Verdict v) {
  return std::string("<span class=\"badge ") + verdict_key(v) + "\">" + verdict_name(v) + "</span>";
}

std::string status_badge(CoverageStatus s) {
  return std::string("<span class=\"badge ") + coverage_status_key(s) + "\">" + coverage_status_label(s) + "</span>";
}

std::string requirement_link(const std::string& id, const RequirementCatalogue* catalogue) {
  const Requirement* r = catalogue ? catalogue->find(id) : nullptr;
  std::string title = r ? r->strength + ": " + r->text : (catalogue ? "not in the requirement catalogue" : "");
  return "<a class=\"req-link" + std::string(catalogue && !r ? " unknown" : "") + "\" href=\"" +
         h(anchor_href(requirement_anchor(id))) + "\"" + (title.empty() ? "" : " title=\"" + h(title) + "\"") + ">" +
         h(id) + "</a>";
}

std::string requirement_links(const std::vector<std::string>& ids, const RequirementCatalogue* catalogue) {
  std::string out;
  for (const auto& id : ids) out += requirement_link(id, catalogue);
  return out;
}

// "2026-11-22T18:18:49Z" -> "2026-11-22 18:18:49 UTC"; anything else as recorded.
std::string date_text(const std::string& iso) {
  if (iso.size() == 20 && iso[10] == 'T' && iso[19] == 'Z') return iso.substr(0, 10) + " " + iso.substr(11, 8) + " UTC";
  return iso.empty() ? "not recorded" : iso;
}

std::string duration_text(double ms) {
  char buf[32];
  if (ms < 1000) std::snprintf(buf, sizeof buf, "%.0f ms", ms);
  else std::snprintf(buf, sizeof buf, "%.2f s", ms / 1000.0);
  return buf;
}

// Scalars of a nested object, with dotted paths ("ipsec_offload_v2.esp" -> true).
void flatten(const json& v, const std::string& prefix, std::vector<std::pair<std::string, json>>& out) {
  if (!v.is_object()) {
    out.emplace_back(prefix, v);
    return;
  }
  for (auto it = v.begin(); it != v.end(); ++it) flatten(*it, prefix.empty() ? it.key() : prefix + "." + it.key(), out);
}

std::string short_key(const std::string& path) {
  const std::string p = "ipsec_offload_v2.";
  std::string s = path.rfind(p, 0) == 0 ? path.substr(p.size()) : path;
  std::replace(s.begin(), s.end(), '_', ' ');
  return s;
}

std::string selection_text(const ResultsView& r) {
  std::string s;
  if (!r.filters.empty()) s += "filters " + join(r.filters, ", ");
  if (!r.shard.empty() && r.shard != "1/1") s += (s.empty() ? "" : "; ") + std::string("shard ") + r.shard;
  return s.empty() ? "the whole case library" : s;
}

// ---------------------------------------------------------------- masthead

// A plugin describes itself by its spec ("plugin:libsoftnic.so"): shown once, as the spec.
std::string description_beyond_spec(const ResultsView& r) {
  return r.device_description == r.device_spec ? std::string() : r.device_description;
}

std::string masthead(const ResultsView& r) {
  std::string out = "<div class=\"wrap\"><p class=\"kicker\">IPsec Offload V2 conformance report</p>";
  out += "<h1>" + h(r.device_name.empty() ? "(unnamed device)" : r.device_name) + "</h1>";
  std::string desc = description_beyond_spec(r);
  if (!r.device_spec.empty() && desc.find(r.device_spec) == std::string::npos)
    desc += std::string(desc.empty() ? "" : " · ") + "device under test: " + r.device_spec;
  if (!desc.empty()) out += "<p class=\"device-desc\">" + h(desc) + "</p>";
  size_t files = r.case_files.size();
  auto fact = [&](const char* label, const std::string& value_html) {
    out += std::string("<div><dt>") + label + "</dt><dd>" + value_html + "</dd></div>";
  };
  out += "<dl class=\"facts\">";
  fact("Run started", h(date_text(r.started_at)));
  fact("Seed", r.seed ? "<code>" + std::to_string(*r.seed) + "</code>" : "not recorded");
  fact("Tool", h(r.tool_name + " " + r.tool_version));
  if (r.duration_ms) fact("Duration", h(duration_text(*r.duration_ms)));
  fact("Cases run", h(plural(r.summary.total, "case", "cases") +
                      (files ? " from " + plural(files, "file", "files") : std::string())));
  fact("Selection", h(selection_text(r)));
  out += "</dl></div>";
  return out;
}

// ---------------------------------------------------------------- summary

std::string capability_chips(const ResultsView& r) {
  if (!r.device_capabilities.is_object()) return "<p class=\"more\">The device's capabilities were not recorded.</p>";
  std::vector<std::pair<std::string, json>> flat;
  flatten(r.device_capabilities, "", flat);
  std::string on, off, numbers, names;
  for (const auto& [path, v] : flat) {
    if (v.is_array()) {  // decoded bits of a mask: "encryption algorithm names" -> the names
      std::string list;
      for (const auto& n : v)
        if (n.is_string()) list += (list.empty() ? "" : ", ") + n.get<std::string>();
      std::string label = short_key(path);
      const std::string suffix = " names";
      if (label.size() > suffix.size() && label.compare(label.size() - suffix.size(), suffix.size(), suffix) == 0)
        label.resize(label.size() - suffix.size());
      names += "<li class=\"chip\">" + h(label) + " <b>" + h(list.empty() ? std::string("none") : list) + "</b></li>";
      continue;
    }
    if (v.is_boolean()) {
      (v.get<bool>() ? on : off) += std::string("<li class=\"chip ") + (v.get<bool>() ? "on" : "off") + "\">" +
                                    h(short_key(path)) + (v.get<bool>() ? "" : "<span class=\"visually-hidden\"> (not offered)</span>") +
                                    "</li>";
    } else if (v.is_number()) {
      numbers += "<li class=\"chip\">" + h(short_key(path)) + " <b>" + h(v.dump()) + "</b></li>";
    }
  }
  std::string out;
  if (!on.empty() || !off.empty())
    out += "<ul class=\"chips\" aria-label=\"Capabilities the device reports (struck through: not offered)\">" + on +
           off + "</ul>";
  if (!names.empty()) out += "<ul class=\"chips\" aria-label=\"Algorithms and encapsulations, decoded\">" + names + "</ul>";
  if (!numbers.empty()) out += "<ul class=\"chips\" aria-label=\"Capacities and raw masks\">" + numbers + "</ul>";
  return out;
}

std::string verdict_bar(const SummaryView& s) {
  if (s.total == 0) return {};
  const std::pair<Verdict, uint64_t> parts[] = {{Verdict::pass, s.pass},
                                                {Verdict::acceptable, s.acceptable},
                                                {Verdict::fail, s.fail},
                                                {Verdict::error, s.error},
                                                {Verdict::not_applicable, s.not_applicable}};
  std::string bar = "<div class=\"bar\" aria-hidden=\"true\">", legend = "<ul class=\"legend\">";
  for (const auto& [v, n] : parts) {
    if (n) bar += std::string("<span class=\"") + verdict_key(v) + "\" style=\"width:" + percent(n, s.total) + "%\"></span>";
    legend += std::string("<li><i class=\"") + verdict_key(v) + "\"></i>" + verdict_label(v) + " " + std::to_string(n) +
              " (" + percent(n, s.total) + "%)</li>";
  }
  return bar + "</div>" + legend + "</ul>";
}

// Known failures and waivers (--expectations): shown prominently, each with its reason, so a
// reader sees what the vendor chose to accept and why.
std::string waivers_block(const ResultsView& r) {
  if (r.info.expectations_file.empty()) return {};
  size_t expected = 0, stale = 0;
  for (const auto& c : r.cases)
    if (c.expectation && c.expectation->outcome == results::ExpectationOutcome::expected) ++expected;
  for (const auto& e : r.info.expectations) stale += e.stale ? 1 : 0;
  std::string out = "<div class=\"waivers\" id=\"waivers\"><h3>Expected failures and waivers (" + std::to_string(expected) +
                    " case" + (expected == 1 ? "" : "s") + " accepted by <code>" + h(r.info.expectations_file) +
                    "</code>)</h3><p>These results are not counted against the exit code. A waived failure is still a "
                    "failure: the banner does not hide it.</p><div class=\"table-wrap\"><table><thead><tr><th>Cases</th>"
                    "<th>Expected</th><th>Matched</th><th>Reason</th><th>Link</th></tr></thead><tbody>";
  for (const auto& e : r.info.expectations) {
    out += std::string("<tr") + (e.stale ? " class=\"stale\"" : "") + "><td><code>" + h(e.glob) + "</code></td><td>" +
           badge(e.verdict) + "</td><td class=\"num\">" + std::to_string(e.matched) + (e.stale ? " <b>stale: remove</b>" : "") +
           "</td><td>" + h(e.reason) + "</td><td>" + (e.link.empty() ? "" : "<code>" + h(e.link) + "</code>") + "</td></tr>";
  }
  out += "</tbody></table></div>";
  if (stale) out += "<p class=\"notice\">" + plural(stale, "expectation is", "expectations are") + " stale: the cases they name no longer fail as expected.</p>";
  return out + "</div>";
}

std::string summary_section(const ResultsView& r, const CoverageReport& cov, bool have_catalogue) {
  const SummaryView& s = r.summary;
  std::string out = "<section id=\"summary\" aria-labelledby=\"summary-h\"><h2 id=\"summary-h\">Summary</h2>";
  const uint64_t ran = s.pass + s.acceptable + s.fail + s.error;
  const results::Completeness complete = r.completeness();
  std::string what;
  if (s.fail) what += plural(s.fail, "case failed", "cases failed");
  if (s.error) what += (what.empty() ? "" : " and ") + plural(s.error, "case ended in error", "cases ended in error");
  if (!complete.complete) {
    // No conformance claim without the whole library, every shard, and a verdict for every case.
    out += "<div class=\"conclusion partial\" role=\"status\" data-banner=\"PARTIAL RUN\"><span class=\"mark\">PARTIAL "
           "RUN</span><div><p><strong>This run makes no conformance claim.</strong> ";
    out += what.empty() ? std::string("No case that ran failed.") : h(what) + " out of " + std::to_string(ran) + " run.";
    out += "</p><p>Left out:</p><ul class=\"left-out\">";
    for (const auto& item : complete.left_out) out += "<li>" + h(item) + "</li>";
    out += "</ul></div></div>";
  } else if (s.fail) {
    out += "<div class=\"conclusion bad\" role=\"status\" data-banner=\"NOT CONFORMANT\"><span class=\"mark\">NOT "
           "CONFORMANT</span><div><p><strong>";
    out += h(what) + " out of " + std::to_string(ran) + " run.</strong></p><p>Each is listed under "
           "<a href=\"#failures\">Failures and errors</a> with the step, the field, the expected and actual values, "
           "the requirements concerned and the recorded evidence.</p></div></div>";
  } else {
    out += "<div class=\"conclusion ok\" role=\"status\" data-banner=\"CONFORMANT\"><span class=\"mark\">CONFORMANT</span>"
           "<div><p><strong>All " + plural(s.pass + s.acceptable, "applicable case", "applicable cases") +
           " of the whole library passed.</strong></p><p>The device matched the reference oracle on every observable of "
           "every case that ran" +
           (s.acceptable ? ", except where an open question of the references leaves the choice to the device (" +
                               plural(s.acceptable, "case", "cases") + " acceptable)"
                         : std::string()) +
           ".</p></div></div>";
  }
  if (s.error)
    out += "<p class=\"notice\">An error means the case could not reach a verdict (the device crashed, hung or answered "
           "something unreadable); it is not a pass.</p>";
  if (have_catalogue)
    out += "<p class=\"coverage-figure\" data-covered=\"" + std::to_string(cov.device_side_covered) + "\" data-total=\"" +
           std::to_string(cov.device_side) + "\"><strong>Requirement coverage: " + std::to_string(cov.device_side_covered) +
           " / " + std::to_string(cov.device_side) + "</strong> device-side requirements (MUST, SHOULD, implied) cited by a "
           "case (" + percent(cov.device_side_covered, cov.device_side) + "%); " + std::to_string(cov.covered) + " / " +
           std::to_string(cov.catalogue_size) + " of the whole catalogue; <a href=\"#coverage\">" +
           std::to_string(cov.not_covered) + " not covered</a>.</p>";
  if (s.not_applicable)
    out += "<p class=\"notice info\"><strong>" + plural(s.not_applicable, "case was", "cases were") +
           " not applicable</strong>: they need a capability the device does not report, so they were not run. They "
           "are not counted as passed; see <a href=\"#cases\">All cases</a> for the capability each one needs.</p>";
  if (s.acceptable)
    out += "<p class=\"notice info\"><strong>" + plural(s.acceptable, "case is", "cases are") +
           " acceptable</strong>: where an open question of the references (docs/decisions.md) leaves the choice to "
           "the device, it took an alternative other than the oracle's documented choice. They pass and do not stand "
           "in the way of conformance; each names the question and the alternative (filter <a href=\"#cases\">All "
           "cases</a> by Acceptable).</p>";
  out += waivers_block(r);

  out += "<div class=\"tiles\" role=\"list\">";
  auto tile = [&](const char* cls, uint64_t n, const char* label, const char* href, const std::string& note, bool attention) {
    out += std::string("<a role=\"listitem\" class=\"tile ") + cls + (attention ? " attention" : "") + "\" href=\"" + href +
           "\"><span class=\"n\">" + std::to_string(n) + "</span><span class=\"l\">" + label + "</span>" +
           (note.empty() ? "" : "<span class=\"note\">" + note + "</span>") + "</a>";
  };
  tile("total", s.total, "Cases", "#cases", "", false);
  tile("pass", s.pass, "Pass", "#cases", ran ? percent(s.pass, ran) + "% of those run" : "", false);
  tile("acceptable", s.acceptable, "Acceptable", "#cases", "passes: an alternative an open question allows", false);
  tile("fail", s.fail, "Fail", "#failures", "", s.fail > 0);
  tile("error", s.error, "Error", "#failures", "no verdict reached", s.error > 0);
  tile("not_applicable", s.not_applicable, "Not applicable", "#cases", "not run, not passed", s.not_applicable > 0);
  out += "</div>" + verdict_bar(s);

  out += "<h4>Requirements</h4><p>";
  if (have_catalogue) {
    out += std::to_string(cov.covered) + " of " + std::to_string(cov.catalogue_size) +
           " requirements of the specification are cited by at least one case (" + percent(cov.covered, cov.catalogue_size) +
           "%): " + std::to_string(cov.violated) + " violated, " + std::to_string(cov.inconclusive) + " inconclusive, " +
           std::to_string(cov.met) + " met, " + std::to_string(cov.not_tested) + " not tested on this device; " +
           std::to_string(cov.not_covered) + " not covered by any case. ";
  } else {
    out += std::to_string(cov.rows.size()) + " requirements are cited by the cases (no requirement catalogue was given, "
           "so uncovered requirements cannot be listed). ";
  }
  out += "<a href=\"#coverage\">Requirement coverage</a></p>";
  out += "<h4>Device capabilities</h4>" + capability_chips(r);
  return out + "</section>";
}

// ---------------------------------------------------------------- failures

std::string findings_table(const CaseView& c, const RequirementCatalogue* catalogue) {
  if (c.findings.empty()) return {};
  std::string out =
      "<div class=\"table-wrap\"><table class=\"findings\"><caption class=\"visually-hidden\">Findings of " + h(c.id) +
      "</caption><thead><tr><th scope=\"col\">Step</th><th scope=\"col\">Field</th><th scope=\"col\">Expected</th>"
      "<th scope=\"col\">Actual (device)</th><th scope=\"col\">Requirements</th></tr></thead><tbody>";
  for (const FindingView& f : c.findings) {
    out += "<tr><td><code>" + h(f.step) + "</code></td><td><code>" + h(f.field) + "</code></td><td class=\"expected\"><code>" +
           h(f.expected) + "</code></td><td class=\"actual\"><code>" + h(f.actual) + "</code></td><td>" +
           requirement_links(f.requirements, catalogue) + "</td></tr>";
    if (!f.detail.empty()) out += "<tr class=\"detail\"><td></td><td colspan=\"4\">" + h(f.detail) + "</td></tr>";
  }
  return out + "</tbody></table></div>";
}

std::string case_card(const CaseView& c, const ResultsView& r, const RequirementCatalogue* catalogue) {
  const std::string anchor = case_anchor(c.id);
  std::string out = std::string("<article class=\"case-card ") + verdict_key(c.verdict) + "\" id=\"" + h(anchor) +
                    "\" aria-labelledby=\"" + h(anchor + "-h") + "\"><header>" + badge(c.verdict) + "<h3 id=\"" +
                    h(anchor + "-h") + "\"><code>" + h(c.id) + "</code></h3><a class=\"permalink\" href=\"" +
                    h(anchor_href(anchor)) + "\">link to this case</a></header>";
  out += "<div class=\"case-meta\">";
  if (!c.file.empty()) out += "<span>file <b>" + h(c.file) + "</b></span>";
  if (!c.requirements.empty()) out += "<span>requirements " + requirement_links(c.requirements, catalogue) + "</span>";
  if (!c.flags.empty()) {
    out += "<span>flags ";
    for (const auto& f : c.flags) out += "<span class=\"flag\">" + h(f) + "</span>";
    out += "</span>";
  }
  out += "<span>time <b>" + h(duration_text(c.duration_ms)) + "</b></span></div>";
  if (c.verdict == Verdict::fail && c.findings.empty())
    out += "<p class=\"notice\">The case failed without a recorded finding; see the evidence.</p>";
  if (c.expectation)
    out += std::string("<p class=\"notice") + (c.expectation->outcome == results::ExpectationOutcome::expected ? " info" : "") +
           "\"><strong>Expectation (" + results::expectation_outcome_name(c.expectation->outcome) + ")</strong>: " +
           verdict_name(c.expectation->verdict) + " expected: " + h(c.expectation->reason) + "</p>";
  out += findings_table(c, catalogue);
  if (c.verdict == Verdict::fail || c.verdict == Verdict::error)
    out += "<p class=\"reproduce\"><strong>Reproduce</strong> <code>" + h(results::reproduce_command(r.info, c)) + "</code></p>";
  if (!c.artifacts.empty()) {
    // The pcap and its esp_sa table sit next to results.json; the table holds the SA's keys.
    out += "<p class=\"artifacts\"><strong>Open in Wireshark</strong> ";
    bool secret = false;
    for (const auto& a : c.artifacts) {
      const bool keys = a.kind == "esp_sa";
      secret = secret || keys;
      out += std::string("<a class=\"artifact ") + (keys ? "secret" : "capture") + "\" href=\"" + h(a.path) + "\">" +
             h((keys ? "esp_sa table (keys) of " : "pcap of ") + a.step) + "</a> ";
    }
    if (secret)
      out += "<span class=\"sub\">the esp_sa table holds the SA's keys (secret): share it only with whoever may "
             "decrypt the capture</span>";
    else
      out += "<span class=\"sub\">the esp_sa table that decrypts it holds the SA's keys and is written only on "
             "request: run <code>" + h(results::reproduce_command(r.info, c, " --show-keys")) + "</code></span>";
    out += "</p>";
  }
  if (!c.error.empty() || c.verdict == Verdict::error)
    out += "<div class=\"error-text\"><strong>What the device or the harness reported</strong><pre>" +
           h(c.error.empty() ? "(no message recorded)" : c.error) + "</pre></div>";
  out += render_case_evidence(c, r.name);
  return out + "</article>";
}

std::string failures_section(const ResultsView& r, const RequirementCatalogue* catalogue) {
  const uint64_t n = r.summary.fail + r.summary.error;
  std::string out = "<section id=\"failures\" aria-labelledby=\"failures-h\"><h2 id=\"failures-h\">Failures and errors (" +
                    std::to_string(n) + ")</h2>";
  if (n == 0) return out + "<p class=\"section-intro\">No case failed and none ended in error.</p></section>";
  out += "<p class=\"section-intro\">Failures first, then errors. For each: where the device departs from the "
         "reference oracle (step, field, expected and actual values, requirement), then the evidence recorded at each "
         "step: the request, both answers side by side and the SA tables after the step. The step a finding names is "
         "open.</p>";
  for (Verdict v : {Verdict::fail, Verdict::error})
    for (const CaseView& c : r.cases)
      if (c.verdict == v) out += case_card(c, r, catalogue);
  return out + "</section>";
}

// ---------------------------------------------------------------- coverage

// `print_class`: "screen-only" for a link printing leaves out (the page keeps it).
std::string case_link(const CaseView& c, const char* print_class = "") {
  return std::string("<li") + (*print_class ? std::string(" class=\"") + print_class + "\"" : std::string()) + "><a href=\"" +
         h(anchor_href(case_anchor(c.id))) + "\">" + h(c.id) + "</a> " + badge(c.verdict) + "</li>";
}

std::string strength_badge(const std::string& strength) {
  const char* cls = "neutral";
  if (strength.rfind("MUST", 0) == 0 || strength.rfind("NDIS MUST", 0) == 0) cls = "strength-must";
  else if (strength.rfind("SHOULD", 0) == 0) cls = "strength-should";
  else if (strength.rfind("MAY", 0) == 0) cls = "strength-may";
  return std::string("<span class=\"strength ") + cls + "\">" + h(strength) + "</span>";
}

// `collapsed`: the values whose rows the page opens with hidden (space-separated; the script
// unticks them, so without it every row shows).
std::string filter_bar(const std::string& target, const std::string& label,
                       const std::vector<std::pair<std::string, std::string>>& options, const std::string& placeholder,
                       const std::string& collapsed = "") {
  std::string out = "<form class=\"filter-bar\" data-target=\"" + h(target) + "\" hidden=\"hidden\" aria-label=\"" +
                    h(label) + "\"" + (collapsed.empty() ? "" : " data-collapsed=\"" + h(collapsed) + "\"") +
                    "><fieldset><legend>Show</legend>";
  for (const auto& [value, text] : options)
    out += "<label><input type=\"checkbox\" value=\"" + h(value) + "\" checked=\"checked\" /> " + text + "</label>";
  out += "</fieldset><label><span class=\"visually-hidden\">Search</span><input type=\"search\" placeholder=\"" +
         h(placeholder) + "\" /></label><output aria-live=\"polite\"></output></form>";
  return out;
}

std::string coverage_row(const RequirementCoverage& row) {
  std::string text = row.id;
  if (row.requirement) text += " " + row.requirement->strength + " " + row.requirement->text;
  // The ids of the first cases and of every case that did not pass: a requirement cited by
  // hundreds of passing cases would otherwise repeat them all in the page (search the case table
  // by the requirement id to list them).
  for (size_t i = 0; i < row.cases.size(); ++i)
    if (i < kCasesShownPerRequirement || row.cases[i]->verdict == Verdict::fail || row.cases[i]->verdict == Verdict::error)
      text += " " + row.cases[i]->id;
  text += " " + std::string(coverage_status_label(row.status));
  std::string out = "<tr id=\"" + h(requirement_anchor(row.id)) + "\" data-status=\"" + coverage_status_key(row.status) +
                    "\" data-text=\"" + h(search_text(text)) + "\"><th scope=\"row\"><code>" + h(row.id) + "</code></th><td>" +
                    (row.requirement ? strength_badge(row.requirement->strength) : std::string("<span class=\"null\">—</span>")) +
                    "</td><td>" +
                    (row.requirement ? h(row.requirement->text) + (row.requirement->source.empty() ? "" : "<span class=\"sub\">" + h(row.requirement->source) + "</span>")
                                     : std::string("<span class=\"null\">Not in the requirement catalogue</span>")) +
                    "</td><td>";
  // Printed, a requirement lists at most kCasesShownPerRequirement of the cases that did not pass
  // (each is under Failures and errors) and counts the rest; the page lists them all.
  size_t not_passed = 0;
  auto link = [&](const CaseView& c) {
    const bool bad = c.verdict == Verdict::fail || c.verdict == Verdict::error;
    if (bad) ++not_passed;
    return case_link(c, bad && not_passed <= kCasesShownPerRequirement ? "" : "screen-only");
  };
  if (row.cases.empty()) {
    out += "<span class=\"null\">no case</span>";
  } else {
    out += "<ul class=\"case-list\">";
    for (size_t i = 0; i < row.cases.size() && i < kCasesShownPerRequirement; ++i) out += link(*row.cases[i]);
    out += "</ul>";
    if (row.cases.size() > kCasesShownPerRequirement) {
      // Further cases that did not pass are listed; further passing ones are counted, and the case
      // table filtered by this id lists them.
      std::string more;
      size_t passing = 0, not_applicable = 0;
      for (size_t i = kCasesShownPerRequirement; i < row.cases.size(); ++i) {
        const Verdict v = row.cases[i]->verdict;
        if (v == Verdict::pass) ++passing;
        else if (v == Verdict::not_applicable) ++not_applicable;
        else more += link(*row.cases[i]);
      }
      if (!more.empty()) out += "<ul class=\"case-list\">" + more + "</ul>";
      if (passing || not_applicable)
        out += "<p class=\"more-cases\">and " + std::to_string(passing) + " more pass, " + std::to_string(not_applicable) +
               " more not applicable (filter <a href=\"#cases\">All cases</a> by <code>" + h(row.id) + "</code>)</p>";
    }
  }
  if (not_passed > kCasesShownPerRequirement)
    out += "<p class=\"print-only more\">and " + std::to_string(not_passed - kCasesShownPerRequirement) +
           " more that did not pass, each under Failures and errors</p>";
  out += "</td><td>" + status_badge(row.status);
  if (!row.cases.empty()) {
    std::string counts;
    auto add = [&](size_t n, const char* what) {
      if (n) counts += (counts.empty() ? "" : ", ") + std::to_string(n) + " " + what;
    };
    add(row.pass, "pass");
    add(row.fail, "fail");
    add(row.error, "error");
    add(row.not_applicable, "n/a");
    out += "<span class=\"sub\">" + counts + "</span>";
  }
  return out + "</td></tr>";
}

std::string coverage_section(const CoverageReport& cov, const RequirementCatalogue* catalogue) {
  std::string out = "<section id=\"coverage\" aria-labelledby=\"coverage-h\"><h2 id=\"coverage-h\">Requirement coverage</h2>";
  out += "<p class=\"section-intro\">Each requirement of the specification's catalogue with the cases that cite it. "
         "<b>Met</b>: every citing case that ran passed. <b>Violated</b>: a citing case failed. <b>Inconclusive</b>: a "
         "citing case ended in error. <b>Not tested</b>: the citing cases need a capability this device lacks. "
         "<b>Not covered</b>: no case in this run cites it.</p>";
  if (!catalogue)
    out += "<p class=\"notice\">No requirement catalogue was given (<code>--requirements</code>): only the requirement "
           "ids the cases cite are listed, without their text, and uncovered requirements are unknown.</p>";
  if (!cov.unknown_ids.empty())
    out += "<p class=\"notice\">Cited by cases but absent from the requirement catalogue: " + h(join(cov.unknown_ids, ", ")) +
           ". The case files or the catalogue are out of date.</p>";

  const size_t total = cov.rows.size();
  if (total) {
    const std::pair<CoverageStatus, size_t> parts[] = {{CoverageStatus::met, cov.met},
                                                       {CoverageStatus::violated, cov.violated},
                                                       {CoverageStatus::inconclusive, cov.inconclusive},
                                                       {CoverageStatus::not_tested, cov.not_tested},
                                                       {CoverageStatus::not_covered, cov.not_covered}};
    out += "<div class=\"bar\" aria-hidden=\"true\">";
    for (const auto& [s, n] : parts)
      if (n) out += std::string("<span class=\"") + coverage_status_key(s) + "\" style=\"width:" + percent(n, total) + "%\"></span>";
    out += "</div><ul class=\"legend\">";
    for (const auto& [s, n] : parts)
      out += std::string("<li><i class=\"") + coverage_status_key(s) + "\"></i>" + coverage_status_label(s) + " " +
             std::to_string(n) + "</li>";
    out += "</ul>";
  }

  std::map<CoverageStatus, size_t> counts = {{CoverageStatus::violated, cov.violated},
                                             {CoverageStatus::inconclusive, cov.inconclusive},
                                             {CoverageStatus::met, cov.met},
                                             {CoverageStatus::not_tested, cov.not_tested},
                                             {CoverageStatus::not_covered, cov.not_covered}};
  std::vector<std::pair<std::string, std::string>> options;
  for (CoverageStatus s : kStatuses)
    options.emplace_back(coverage_status_key(s), h(coverage_status_label(s)) + " (" + std::to_string(counts[s]) + ")");
  out += filter_bar("coverage-table", "Filter requirements", options, "Filter by id, text or case");
  out += "<p class=\"print-only note\">Printed, a met or untested requirement shows the number of cases citing it; the "
         "HTML report lists them.</p>";

  out += "<div class=\"table-wrap\"><table id=\"coverage-table\" class=\"coverage\"><caption class=\"visually-hidden\">"
         "Requirement coverage</caption><thead><tr><th scope=\"col\" class=\"c-id\">ID</th>"
         "<th scope=\"col\" class=\"c-strength\">Strength</th><th scope=\"col\" class=\"c-text\">Text</th>"
         "<th scope=\"col\" class=\"c-cases\">Cases citing it</th><th scope=\"col\" class=\"c-status\">Status</th>"
         "</tr></thead>";
  // One group per document (catalogue order), then the ids the catalogue lacks.
  std::vector<std::string> groups;
  std::map<std::string, std::vector<const RequirementCoverage*>> by_group;
  for (const RequirementCoverage& row : cov.rows) {
    const std::string g = row.requirement ? row.requirement->document
                                          : (catalogue ? std::string("Not in the catalogue") : std::string("Cited requirements"));
    if (!by_group.count(g)) groups.push_back(g);
    by_group[g].push_back(&row);
  }
  for (const std::string& g : groups) {
    const auto& rows = by_group[g];
    size_t covered = 0;
    for (const auto* row : rows) covered += row->cases.empty() ? 0 : 1;
    out += "<tbody><tr class=\"group\"><th colspan=\"5\" scope=\"rowgroup\">" + h(g) + "<span class=\"sub\">" +
           std::to_string(covered) + " of " + plural(rows.size(), "requirement", "requirements") +
           " cited</span></th></tr>";
    for (const auto* row : rows) out += coverage_row(*row);
    out += "</tbody>";
  }
  if (groups.empty()) out += "<tbody><tr><td colspan=\"5\">No requirement is cited.</td></tr></tbody>";
  return out + "</table></div></section>";
}

// ---------------------------------------------------------------- all cases

std::string cases_section(const ResultsView& r, const RequirementCatalogue* catalogue) {
  std::string out = "<section id=\"cases\" aria-labelledby=\"cases-h\"><h2 id=\"cases-h\">All cases (" +
                    std::to_string(r.cases.size()) + ")</h2><p class=\"section-intro\">Grouped by case file. A failed "
                    "or errored case links to its findings and evidence above; a case that was not applicable names "
                    "the capability it needs. Passing and not-applicable cases open collapsed into their file's "
                    "tally: tick them to list them.</p><p class=\"print-only note\">Printed, the cases appear as their file's "
                    "tally (each failed or errored case is under Failures and errors); the HTML report lists every "
                    "case.</p>";
  std::map<Verdict, size_t> counts;
  for (const CaseView& c : r.cases) ++counts[c.verdict];
  std::vector<std::pair<std::string, std::string>> options;
  for (Verdict v : kVerdicts)
    options.emplace_back(verdict_key(v), badge(v) + " " + std::to_string(counts[v]));
  out += filter_bar("case-table", "Filter cases", options, "Filter by id, requirement, flag or text",
                    "pass not_applicable");

  std::map<std::string, std::vector<const CaseView*>> by_file;
  for (const CaseView& c : r.cases) by_file[c.file].push_back(&c);
  out += "<div class=\"table-wrap\"><table id=\"case-table\" class=\"cases\"><caption class=\"visually-hidden\">All cases"
         "</caption><thead><tr><th scope=\"col\" class=\"c-id\">Case</th><th scope=\"col\" class=\"c-verdict\">Verdict</th>"
         "<th scope=\"col\" class=\"c-reqs\">Requirements</th><th scope=\"col\">Notes</th>"
         "<th scope=\"col\" class=\"num c-time\">Time</th></tr></thead>";
  for (const auto& [file, cases] : by_file) {
    std::map<Verdict, size_t> fc;
    for (const auto* c : cases) ++fc[c->verdict];
    std::string tally;
    for (Verdict v : kVerdicts)
      if (fc[v]) tally += (tally.empty() ? "" : ", ") + std::to_string(fc[v]) + " " + search_text(verdict_name(v));
    out += "<tbody><tr class=\"group\"><th colspan=\"5\" scope=\"rowgroup\">" + h(file.empty() ? "(no case file)" : file) +
           "<span class=\"sub\">" + plural(cases.size(), "case", "cases") + ": " + h(tally) + "</span></th></tr>";
    for (const CaseView* c : cases) {
      const bool has_card = c->verdict == Verdict::fail || c->verdict == Verdict::error;
      const std::string anchor = case_anchor(c->id);
      const std::string reason = case_reason(*c);
      const std::string text = search_text(c->id + " " + verdict_name(c->verdict) + " " + c->file + " " +
                                           join(c->all_requirements(), " ") + " " + join(c->flags, " ") + " " + reason);
      out += std::string("<tr") + (has_card ? "" : " id=\"" + h(anchor) + "\"") + " data-status=\"" +
             verdict_key(c->verdict) + "\" data-text=\"" + h(text) + "\"><th scope=\"row\">";
      out += has_card ? "<a href=\"" + h(anchor_href(anchor)) + "\"><code>" + h(c->id) + "</code></a>"
                      : "<code>" + h(c->id) + "</code>";
      if (!c->flags.empty()) {
        out += "<span class=\"case-flags\">";
        for (const auto& f : c->flags) out += "<span class=\"flag\">" + h(f) + "</span>";
        out += "</span>";
      }
      out += "</th><td>" + badge(c->verdict) + "</td><td>" + requirement_links(c->all_requirements(), catalogue) +
             "</td><td>" + h(reason) + "</td><td class=\"num\">" + h(duration_text(c->duration_ms)) + "</td></tr>";
    }
    out += "</tbody>";
  }
  if (by_file.empty()) out += "<tbody><tr><td colspan=\"5\">No cases.</td></tr></tbody>";
  return out + "</table></div></section>";
}

// ---------------------------------------------------------------- details

std::string details_section(const ResultsView& r, const HtmlOptions& options) {
  std::string out = "<section id=\"run-details\" aria-labelledby=\"details-h\"><h2 id=\"details-h\">Device and run details</h2>";
  out += "<dl class=\"kv\"><dt>Device</dt><dd>" + h(r.device_name) + "</dd>";
  if (!description_beyond_spec(r).empty()) out += "<dt>Description</dt><dd>" + h(r.device_description) + "</dd>";
  if (!r.device_spec.empty()) out += "<dt>Device spec</dt><dd><code>" + h(r.device_spec) + "</code></dd>";
  if (r.device_features.is_object() && !r.device_features.empty()) {
    out += "<dt>Optional operations</dt><dd>";
    for (auto it = r.device_features.begin(); it != r.device_features.end(); ++it) {
      const bool on = it->is_boolean() && it->get<bool>();
      out += std::string("<span class=\"chip ") + (on ? "on" : "off") + "\">" + h(it.key()) +
             (on ? "" : "<span class=\"visually-hidden\"> (not offered)</span>") + "</span> ";
    }
    out += "</dd>";
  }
  out += "<dt>Run started</dt><dd>" + h(date_text(r.started_at)) + "</dd>";
  out += "<dt>Seed</dt><dd>" + (r.seed ? "<code>" + std::to_string(*r.seed) + "</code>" : std::string("not recorded")) + "</dd>";
  out += "<dt>Selection</dt><dd>" + h(selection_text(r)) + "</dd>";
  out += "<dt>Results file</dt><dd>";
  out += options.results_link.empty() ? "<code>" + h(r.name) + "</code>"
                                      : "<a href=\"" + h(options.results_link) + "\"><code>" + h(r.name) + "</code></a>";
  out += " (schema_version " + std::to_string(kResultsSchemaVersion) + ")</dd>";
  if (!options.junit_link.empty())
    out += "<dt>JUnit XML</dt><dd><a href=\"" + h(options.junit_link) + "\"><code>" + h(options.junit_link) + "</code></a></dd>";
  if (r.seed && !r.device_spec.empty())
    out += "<dt>Replay</dt><dd><code>" + h(results::replay_command(r.info)) + "</code></dd>";
  out += "</dl>";

  if (!r.case_files.empty()) {
    out += "<h4>Case files</h4><div class=\"table-wrap\"><table class=\"files\"><thead><tr><th scope=\"col\">File</th>"
           "<th scope=\"col\" class=\"num\">Cases</th><th scope=\"col\">SHA-256</th></tr></thead><tbody>";
    for (const auto& f : r.case_files)
      out += "<tr><td><code>" + h(f.path) + "</code></td><td class=\"num\">" + std::to_string(f.cases) +
             "</td><td><code>" + h(f.sha256) + "</code></td></tr>";
    out += "</tbody></table></div>";
  }
  out += "<h4>Capabilities reported by the device</h4>";
  if (r.device_capabilities.is_object()) {
    std::vector<std::pair<std::string, json>> flat;
    flatten(r.device_capabilities, "", flat);
    out += "<div class=\"table-wrap\"><table class=\"capabilities\"><thead><tr><th scope=\"col\">Capability</th>"
           "<th scope=\"col\">Value</th></tr></thead><tbody>";
    for (const auto& [path, v] : flat)
      out += "<tr><th scope=\"row\"><code>" + h(path) + "</code></th><td>" + render_json_html(v) + "</td></tr>";
    out += "</tbody></table></div>";
  } else {
    out += "<p class=\"more\">Not recorded.</p>";
  }
  return out + "</section>";
}

std::string footer(const ResultsView& r) {
  return "<p>Rendered by " + h(r.tool_name + " " + r.tool_version) + " from <code>" + h(r.name) +
         "</code>, the canonical results of this run; every value on this page comes from that file, which also "
         "holds the complete evidence of every failure.</p><p>Verdicts: PASS — the device matched the reference "
         "oracle on every observable; FAIL — it departed from it (see the findings); ERROR — no verdict could be "
         "reached; NOT_APPLICABLE — the device lacks a capability the case needs.</p>";
}

}  // namespace

std::optional<std::string> render_html(const ResultsView& r, const RequirementCatalogue* catalogue,
                                       const HtmlOptions& options, std::string& error) {
  const CoverageReport cov = compute_coverage(r, catalogue);
  const SummaryView& s = r.summary;
  const uint64_t bad = s.fail + s.error;
  std::map<std::string, std::string> fragments;
  fragments["generator"] = h(r.tool_name + " " + r.tool_version);
  fragments["title"] = h("Conformance report: " + (r.device_name.empty() ? std::string("device") : r.device_name) + " — " +
                         std::to_string(s.pass) + " pass, " +
                         (s.acceptable ? std::to_string(s.acceptable) + " acceptable, " : std::string()) +
                         std::to_string(s.fail) + " fail, " +
                         std::to_string(s.error) + " error, " + std::to_string(s.not_applicable) + " not applicable");
  fragments["css"] = std::string(report_stylesheet());
  fragments["js"] = std::string(report_script());
  fragments["masthead"] = masthead(r);
  fragments["toc_failures"] = bad ? std::string("<span class=\"badge fail count\">") + std::to_string(bad) + "</span>" : "";
  fragments["summary"] = summary_section(r, cov, catalogue != nullptr);
  fragments["failures"] = failures_section(r, catalogue);
  fragments["coverage"] = coverage_section(cov, catalogue);
  fragments["cases"] = cases_section(r, catalogue);
  fragments["details"] = details_section(r, options);
  fragments["footer"] = footer(r);
  return fill_template(report_page_template(), fragments, error);
}

}  // namespace cts::reports
