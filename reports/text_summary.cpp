#include "reports/text_summary.h"

#include <cstdio>

#include "reports/text_escape.h"

namespace cts::reports {

std::string join(const std::vector<std::string>& items, const char* separator) {
  std::string out;
  for (size_t i = 0; i < items.size(); ++i) {
    if (i) out += separator;
    out += items[i];
  }
  return out;
}

std::string finding_line(const FindingView& f) {
  std::string s = f.step + " " + f.field + ": expected " + f.expected + ", got " + f.actual;
  if (!f.requirements.empty()) s += " [" + join(f.requirements, " ") + "]";
  return s;
}

std::string case_reason(const CaseView& c) {
  switch (c.verdict) {
    case Verdict::pass: return {};
    case Verdict::fail:
      if (c.findings.empty()) return "failed (no finding recorded)";
      return finding_line(c.findings.front()) +
             (c.findings.size() > 1 ? " (and " + std::to_string(c.findings.size() - 1) + " more finding" +
                                          (c.findings.size() > 2 ? "s)" : ")")
                                    : std::string());
    case Verdict::error: return c.error.empty() ? "error (no message recorded)" : c.error;
    case Verdict::acceptable:
      if (c.acceptances.empty()) return "acceptable (no alternative recorded)";
      return "accepted by " + c.acceptances.front().question + ": " + c.acceptances.front().field + " " +
             c.acceptances.front().device + " where the oracle gives " + c.acceptances.front().oracle;
    case Verdict::not_applicable:
      return "missing capability: " + (c.missing_capability.empty() ? std::string("(not recorded)") : c.missing_capability);
  }
  return {};
}

std::string case_account(const CaseView& c, const RequirementCatalogue* catalogue, const std::string& origin,
                         const std::string& report_link) {
  std::string s = "Case: " + c.id + "\nVerdict: " + verdict_name(c.verdict) + "\n";
  if (!c.file.empty()) s += "Case file: " + c.file + "\n";
  if (!c.requirements.empty()) s += "Requirements: " + join(c.requirements, " ") + "\n";
  if (!c.missing_capability.empty()) s += "Missing capability: " + c.missing_capability + "\n";
  if (!c.error.empty()) s += "Error: " + c.error + "\n";
  if (!c.acceptances.empty()) {
    s += "Alternatives the device took, accepted by an open question of docs/decisions.md (" +
         std::to_string(c.acceptances.size()) + "):\n";
    for (size_t i = 0; i < c.acceptances.size(); ++i) {
      const auto& a = c.acceptances[i];
      s += "  " + std::to_string(i + 1) + ". " + a.step + "  field " + a.field + "  (" + a.question + ")\n";
      s += "     device: " + a.device + "\n";
      s += "     oracle: " + a.oracle + " (the documented choice)\n";
      if (!a.note.empty()) s += "     " + a.note + "\n";
    }
  }
  if (!c.findings.empty()) {
    s += "Findings (" + std::to_string(c.findings.size()) + "):\n";
    for (size_t i = 0; i < c.findings.size(); ++i) {
      const FindingView& f = c.findings[i];
      s += "  " + std::to_string(i + 1) + ". " + f.step + "  field " + f.field + "\n";
      s += "     expected: " + f.expected + "\n";
      s += "     actual:   " + f.actual + "\n";
      for (const std::string& r : f.requirements) {
        s += "     requirement " + r;
        if (const Requirement* req = catalogue ? catalogue->find(r) : nullptr)
          s += " (" + req->strength + "): " + req->text;
        s += "\n";
      }
      if (!f.detail.empty()) s += "     detail: " + f.detail + "\n";
    }
  } else if (c.verdict == Verdict::fail) {
    s += "Findings: none recorded\n";
  }
  if (!c.reproduce.empty()) s += "Reproduce: " + c.reproduce + "\n";
  if (!c.evidence.empty())
    s += "Evidence: " + std::to_string(c.evidence.size()) + " step record(s) at " + origin + " $.cases[" +
         std::to_string(c.index) + "].evidence\n";
  if (!report_link.empty()) s += "Report: " + report_link + "\n";
  return s;
}

std::string truncate_utf8(std::string_view s, size_t max_bytes) {
  if (s.size() <= max_bytes) return std::string(s);
  size_t cut = max_bytes;
  // Back off continuation bytes (10xxxxxx) so no character is split.
  while (cut > 0 && (static_cast<unsigned char>(s[cut]) & 0xC0) == 0x80) --cut;
  return std::string(s.substr(0, cut)) + "\xE2\x80\xA6";
}

std::string seconds_text(double ms) {
  char buf[32];
  std::snprintf(buf, sizeof buf, "%.3f", ms / 1000.0);
  return buf;
}

namespace {
std::string anchor_text(std::string_view id) {
  // HTML ids may hold anything but ASCII whitespace (HTML §3.2.6.1); case ids never contain it,
  // but a document might. Controls are replaced too, so the anchor is always printable.
  std::string out;
  for (char ch : id) {
    const auto c = static_cast<unsigned char>(ch);
    out += (c <= 0x20 || c == 0x7F) ? '_' : ch;
  }
  return printable_text(out);
}
}  // namespace

std::string case_anchor(const std::string& id) { return "case-" + anchor_text(id); }
std::string requirement_anchor(const std::string& id) { return "req-" + anchor_text(id); }

}  // namespace cts::reports
