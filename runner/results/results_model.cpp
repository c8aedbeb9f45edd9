#include "runner/results/results_model.h"

#include <cctype>
#include <set>

namespace cts::results {

std::string CaseResult::group() const {
  const std::string base = id.substr(0, id.find('['));
  const auto dot = base.rfind('.');
  return dot == std::string::npos ? std::string() : id.substr(0, dot);
}

std::string CaseResult::leaf() const {
  const std::string base = id.substr(0, id.find('['));
  const auto dot = base.rfind('.');
  return dot == std::string::npos ? id : id.substr(dot + 1);
}

std::vector<std::string> CaseResult::all_requirements() const {
  std::vector<std::string> out;
  std::set<std::string> seen;
  auto add = [&](const std::string& r) {
    if (seen.insert(r).second) out.push_back(r);
  };
  for (const auto& r : requirements) add(r);
  for (const auto& f : findings)
    for (const auto& r : f.requirements) add(r);
  return out;
}

const char* expectation_outcome_name(ExpectationOutcome o) {
  switch (o) {
    case ExpectationOutcome::expected: return "expected";
    case ExpectationOutcome::stale: return "stale";
    case ExpectationOutcome::unexpected: return "unexpected";
  }
  return "?";
}

bool CaseResult::unexpected() const {
  if (verdict != Verdict::fail && verdict != Verdict::error) return false;
  return !expectation || expectation->outcome != ExpectationOutcome::expected;
}

void Summary::add(Verdict v) {
  ++total;
  switch (v) {
    case Verdict::pass: ++pass; break;
    case Verdict::fail: ++fail; break;
    case Verdict::not_applicable: ++not_applicable; break;
    case Verdict::error: ++error; break;
    case Verdict::acceptable: ++acceptable; break;
  }
}

uint64_t Summary::count(Verdict v) const {
  switch (v) {
    case Verdict::pass: return pass;
    case Verdict::fail: return fail;
    case Verdict::not_applicable: return not_applicable;
    case Verdict::error: return error;
    case Verdict::acceptable: return acceptable;
  }
  return 0;
}

Summary summarize(const std::vector<CaseResult>& cases) {
  Summary s;
  for (const auto& c : cases) s.add(c.verdict);
  return s;
}

Completeness assess_completeness(const Results& r) {
  Completeness c;
  const RunInfo& run = r.run;
  if (!run.library) c.left_out.push_back("the case set is not the suite's whole library (--cases named other files)");
  for (const auto& f : run.filters) c.left_out.push_back("only cases matching --filter " + f);
  if (run.shard != "1/1") {
    std::string which;
    for (const auto& s : run.merged_shards) which += (which.empty() ? "" : ", ") + s;
    c.left_out.push_back("only shard" + std::string(run.merged_shards.size() > 1 ? "s " : " ") +
                         (which.empty() ? run.shard : which) + " (merge every shard with `ipsec-cts report merge`)");
  }
  if (!run.rerun_of.empty()) c.left_out.push_back("a re-run of the failing cases of " + run.rerun_of + " only");
  if (!run.stopped.empty()) c.left_out.push_back("stopped early: " + run.stopped);
  if (run.case_set_cases > r.cases.size())
    c.left_out.push_back(std::to_string(run.case_set_cases - r.cases.size()) + " of the " +
                         std::to_string(run.case_set_cases) + " cases of the case set did not run");
  if (r.summary.error > 0)
    c.left_out.push_back(std::to_string(r.summary.error) + " case(s) ended in ERROR, so their requirements were not judged");
  if (r.cases.empty()) c.left_out.push_back("no case ran");
  c.complete = c.left_out.empty();
  return c;
}

namespace {
// Single-quoted for a POSIX shell.
std::string shell_quote(const std::string& s) {
  std::string out = "'";
  for (char ch : s) {
    if (ch == '\'') out += "'\\''";
    else out += ch;
  }
  return out + "'";
}
bool shell_safe(const std::string& s) {
  if (s.empty()) return false;
  for (char ch : s)
    if (!(std::isalnum(static_cast<unsigned char>(ch)) || ch == '-' || ch == '_' || ch == '.' || ch == '/' || ch == ':' ||
          ch == '='))
      return false;
  return true;
}
std::string arg(const std::string& s) { return shell_safe(s) ? s : shell_quote(s); }
}  // namespace

std::string without_machine_paths(const std::string& text) {
  auto starts_token = [&](size_t i) {
    if (i == 0) return true;
    const char b = text[i - 1];
    return std::isspace(static_cast<unsigned char>(b)) || b == ':' || b == '(' || b == '=' || b == '\'' || b == '"' ||
           b == '[' || b == ',';
  };
  auto ends_token = [](char c) {
    return std::isspace(static_cast<unsigned char>(c)) || c == '\'' || c == '"' || c == ')' || c == ']' || c == ',' ||
           c == ';';
  };
  std::string out;
  size_t i = 0;
  while (i < text.size()) {
    if (text[i] == '/' && starts_token(i)) {
      size_t end = i;
      while (end < text.size() && !ends_token(text[end])) ++end;
      std::string token = text.substr(i, end - i);
      // A trailing ':' belongs to the sentence ("/x/y.so: cannot open"), not to the path.
      std::string tail;
      while (!token.empty() && (token.back() == ':' || token.back() == '.')) {
        tail.insert(tail.begin(), token.back());
        token.pop_back();
      }
      const auto last = token.find_last_of('/');
      if (token.find('/', 1) != std::string::npos && last + 1 < token.size()) out += token.substr(last + 1) + tail;
      else out += token + tail;
      i = end;
      continue;
    }
    out += text[i++];
  }
  return out;
}

namespace {
// Outside a whole-library run a case file is named as a command line from the repository root
// reaches it ("cases/recv/oob.json"); a file of an absolute --cases folder is named relative to
// that folder, which `note` (a shell comment) says, since no view records this machine's paths.
std::string cases_argument(const RunInfo& run, const std::string& file, std::string& note) {
  const CaseFileInfo* info = nullptr;
  for (const auto& f : run.case_files)
    if (f.path == file) info = &f;
  if (info && !info->root.empty()) {
    if (info->root != "cases" && note.empty()) note = "  # --cases relative to the folder the run was started in";
    return " --cases " + arg(info->root == "." ? file : info->root + "/" + file);
  }
  if (note.empty() || note.find("started in") != std::string::npos)
    note = "  # --cases relative to the case folder the run was given";
  return " --cases " + arg(file);
}
}  // namespace

std::string replay_command(const RunInfo& run) {
  std::string cmd = "ipsec-cts run --dut " + arg(run.device.spec.empty() ? run.device.name : run.device.spec);
  std::string note;
  if (!run.library)
    for (const auto& f : run.case_files) cmd += cases_argument(run, f.path, note);
  if (run.seed) cmd += " --seed " + std::to_string(*run.seed);
  for (const auto& f : run.filters) cmd += " --filter " + arg(f);
  if (!run.shard.empty() && run.shard != "1/1") cmd += " --shard " + arg(run.shard);
  return cmd + note;
}

std::string reproduce_command(const RunInfo& run, const CaseResult& c, const std::string& extra) {
  // A capture's verification (vectors verify --results) runs again as itself.
  const std::string capture = "capture:";
  if (run.device.spec.rfind(capture, 0) == 0)
    return "ipsec-cts vectors verify " + arg(run.device.spec.substr(capture.size())) + " --sa " + arg(c.file) + extra;
  std::string cmd = "ipsec-cts run --dut " + arg(run.device.spec.empty() ? run.device.name : run.device.spec);
  std::string note;
  if (!run.library && !c.file.empty()) cmd += cases_argument(run, c.file, note);
  if (run.seed) cmd += " --seed " + std::to_string(*run.seed);
  // An exact id selects itself even though its brackets would read as a glob class.
  cmd += " --filter " + arg(c.id);
  return cmd + extra + note;
}

}  // namespace cts::results
