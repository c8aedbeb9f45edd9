#include "runner/vectors/verify_results.h"

#include <algorithm>
#include <filesystem>

#include "runner/vectors/json_fields.h"

namespace cts::vectors {

namespace {

std::string file_name(const std::string& path) { return std::filesystem::path(path).filename().string(); }

void add_unique(std::vector<std::string>& to, const std::vector<std::string>& ids) {
  for (const auto& id : ids)
    if (std::find(to.begin(), to.end(), id) == to.end()) to.push_back(id);
}

std::string packet_facts(const PacketReport& r) {
  std::string s;
  if (r.detail && *r.detail) s += r.detail;
  if (r.has_esp) {
    s += std::string(s.empty() ? "" : "; ") + "SPI " + hex_number_string(r.spi, 8) + ", sequence " +
         hex_number_string(r.seq, r.esn ? 16 : 8);
  }
  if (r.inner_protocol) s += "; inner protocol " + std::to_string(*r.inner_protocol);
  return s;
}

}  // namespace

VerifyResults::VerifyResults(const Sidecar& sidecar, const std::string& capture, const std::string& sidecar_path)
    : sidecar_(sidecar), capture_name_(file_name(capture)), sidecar_name_(file_name(sidecar_path)) {
  for (const auto& sa : sidecar.sas) cases_[sa.id];  // every SA has its case, packets or not
}

std::string VerifyResults::case_id(const std::string& leaf) const {
  return "capture." + (sidecar_.name.empty() ? std::string("vector") : sidecar_.name) + "." + leaf;
}

VerifyResults::SaCase& VerifyResults::case_of(const PacketReport& r) {
  if (r.expected) return cases_[r.expected->sa];
  if (r.has_esp)
    for (const auto& sa : sidecar_.sas)
      if (sa.spi == r.spi) return cases_[sa.id];
  return cases_[""];
}

void VerifyResults::add(const PacketReport& r) {
  SaCase& c = case_of(r);
  ++c.packets;
  if (r.expected) add_unique(c.requirements, r.expected->requirements);
  if (r.passed()) return;
  ++c.failed;
  if (c.findings.size() >= kMaxFindingsPerCase) return;
  results::Finding f;
  f.step = "packet[" + std::to_string(r.index) + "]";
  f.field = mismatch_text(r.mismatch);
  if (r.expected) {
    f.expected = verdict_label(r.expected->expect);
    if ((r.mismatch & kMismatchEsnHigh) && r.expected->esn_high)
      f.expected += ", ESN high " + hex_number_string(*r.expected->esn_high, 8);
    if ((r.mismatch & kMismatchInnerProtocol) && r.expected->inner_protocol)
      f.expected += ", inner protocol " + std::to_string(*r.expected->inner_protocol);
    f.requirements = r.expected->requirements;
  } else {
    f.expected = (r.mismatch & kMismatchUnexpected) ? "no record (the sidecar describes fewer packets)" : "ok";
  }
  f.actual = verdict_label(r.verdict);
  if (r.esn) f.actual += ", ESN high " + hex_number_string(r.seq >> 32, 8);
  f.detail = packet_facts(r);
  c.findings.push_back(std::move(f));
}

results::Results VerifyResults::finish(const VerifySummary& summary, const std::string& started_at, double duration_ms,
                                       const std::string& tool_version) const {
  results::Results out;
  out.tool_version = tool_version;
  results::RunInfo& run = out.run;
  run.device.spec = "capture:" + capture_name_;
  run.device.name = "capture " + capture_name_;
  run.device.description = "offline verification of a capture against the sidecar " + sidecar_name_ +
                           " by the oracle's ESP receiver";
  run.case_files.push_back({sidecar_name_, "", static_cast<uint64_t>(cases_.size()) + 1, ""});
  run.started_at = started_at;
  run.duration_ms = duration_ms;
  const double per_packet = summary.packets ? duration_ms / static_cast<double>(summary.packets) : 0;
  for (const auto& [sa, c] : cases_) {
    if (sa.empty() && c.packets == 0) continue;  // every record explained: no "unmatched" case
    results::CaseResult r;
    r.id = case_id(sa.empty() ? "unmatched" : sa);
    r.file = sidecar_name_;
    r.requirements = c.requirements;
    r.findings = c.findings;
    if (c.failed > c.findings.size()) {
      results::Finding more;
      more.step = "packets";
      more.field = "verdict";
      more.expected = "as the sidecar says";
      more.actual = std::to_string(c.failed - c.findings.size()) + " more failing packets of this SA";
      more.detail = "listed by ipsec-cts vectors verify --failures-only";
      r.findings.push_back(std::move(more));
    }
    r.verdict = c.failed ? results::Verdict::fail : results::Verdict::pass;
    if (c.failed && r.requirements.empty()) r.flags.push_back("no-expectations");
    r.duration_ms = per_packet * static_cast<double>(c.packets);
    out.cases.push_back(std::move(r));
  }
  if (summary.expected_packets) {
    results::CaseResult r;
    r.id = case_id("length");
    r.file = sidecar_name_;
    r.verdict = summary.capture_short ? results::Verdict::fail : results::Verdict::pass;
    if (summary.capture_short)
      r.findings.push_back({"capture", "records", std::to_string(summary.expected_packets) + " (the sidecar's packets)",
                            std::to_string(summary.packets), {}, "the capture ends before the sidecar's last packet"});
    out.cases.push_back(std::move(r));
  }
  if (!summary.read_error.empty()) {
    results::CaseResult r;
    r.id = case_id("read");
    r.file = sidecar_name_;
    r.verdict = results::Verdict::error;
    r.error = results::without_machine_paths(summary.read_error);
    out.cases.push_back(std::move(r));
  }
  std::sort(out.cases.begin(), out.cases.end(), [](const auto& a, const auto& b) { return a.id < b.id; });
  run.case_files[0].cases = out.cases.size();
  run.case_set_cases = out.cases.size();
  out.summary = results::summarize(out.cases);
  return out;
}

}  // namespace cts::vectors
