// Reference lint (reference_lint.h).
#include "runner/cases/reference_lint.h"

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <optional>
#include <regex>
#include <sstream>

namespace cts::cases {
namespace {

namespace fs = std::filesystem;

// OQ-07, OQ-AH-4, OQ-CTS-1: an optional upper-case family, then a number.
const std::regex& oq_pattern() {
  static const std::regex re(R"(\bOQ-(?:[A-Z]+-)?[0-9]+\b)");
  return re;
}

// The word "spec" (or "specification") followed by a section number, with or without "§" or
// "section" between them, and the file names of the reference documents followed by one.
const std::regex& section_pattern() {
  static const std::regex re(
      R"(\b[Ss]pec(?:ification)?\s*(?:§\s*|[Ss]ections?\s+)?[0-9]+(?:\.[0-9]+)*)"
      R"(|\b(?:ndis-ipsecov2|esp-datapath|ah-datapath)(?:\.md)?,?\s*(?:§\s*|[Ss]ections?\s+)?[0-9]+)");
  return re;
}

bool is_text_file(const fs::path& p) {
  static const std::set<std::string> kExtensions = {".h",   ".hpp", ".c",  ".cpp", ".md",
                                                    ".json", ".py", ".sh", ".cmake", ".txt",
                                                    ".html", ".js", ".css", ".in"};
  const std::string name = p.filename().string();
  return name == "CMakeLists.txt" || name == "run" || kExtensions.count(p.extension().string()) > 0;
}

bool skipped_directory(const fs::path& p) {
  const std::string name = p.filename().string();
  return name.rfind("build", 0) == 0 || (!name.empty() && name[0] == '.') || name == "node_modules";
}

std::optional<std::string> read_text(const fs::path& p) {
  std::ifstream in(p, std::ios::binary);
  if (!in) return std::nullopt;
  std::ostringstream s;
  s << in.rdbuf();
  return s.str();
}

}  // namespace

std::string ReferenceFinding::to_string() const {
  return std::string(error ? "error: " : "warning: ") + file + ":" + std::to_string(line) + ": " + reference + ": " + message;
}

std::set<std::string> decision_ids(std::string_view markdown) {
  std::set<std::string> ids;
  static const std::regex heading(R"(^#+\s+(OQ-(?:[A-Z]+-)?[0-9]+)\b)");
  size_t start = 0;
  while (start <= markdown.size()) {
    size_t end = markdown.find('\n', start);
    if (end == std::string_view::npos) end = markdown.size();
    const std::string line(markdown.substr(start, end - start));
    std::smatch m;
    if (std::regex_search(line, m, heading)) ids.insert(m[1].str());
    start = end + 1;
  }
  return ids;
}

std::set<std::string> reserved_ids(std::string_view markdown) {
  std::set<std::string> ids;
  static const std::regex reserved(R"(\breserved:\s*(OQ-(?:[A-Z]+-)?[0-9]+)\b)");
  const std::string text(markdown);
  for (auto it = std::sregex_iterator(text.begin(), text.end(), reserved); it != std::sregex_iterator(); ++it) {
    ids.insert((*it)[1].str());
  }
  return ids;
}

size_t ReferenceLintResult::errors() const {
  return static_cast<size_t>(
      std::count_if(findings.begin(), findings.end(), [](const ReferenceFinding& f) { return f.error; }));
}

std::vector<ReferenceFinding> check_references(std::string_view text, std::string_view file,
                                               const std::set<std::string>& ids,
                                               bool check_sections,
                                               const std::set<std::string>& reserved) {
  std::vector<ReferenceFinding> out;
  size_t start = 0;
  size_t number = 0;
  while (start < text.size()) {
    size_t end = text.find('\n', start);
    if (end == std::string_view::npos) end = text.size();
    ++number;
    const std::string line(text.substr(start, end - start));
    for (auto it = std::sregex_iterator(line.begin(), line.end(), oq_pattern());
         it != std::sregex_iterator(); ++it) {
      const std::string id = it->str();
      if (ids.count(id) != 0) continue;
      if (reserved.count(id) != 0) {
        out.push_back({false, std::string(file), number, id,
                       "reserved in docs/decisions.md; its entry is still to be written"});
      } else {
        out.push_back({true, std::string(file), number, id,
                       "no entry for this open question in docs/decisions.md"});
      }
    }
    if (check_sections) {
      for (auto it = std::sregex_iterator(line.begin(), line.end(), section_pattern());
           it != std::sregex_iterator(); ++it) {
        out.push_back({true, std::string(file), number, it->str(),
                       "cites a section of a document that is not in the repository; name the "
                       "NDIS page or structure, the RFC clause, or the docs/decisions.md entry"});
      }
    }
    start = end + 1;
  }
  return out;
}

std::vector<std::string> default_reference_scope() {
  return {"README.md", "CMakeLists.txt", "bench", "cases",  "cmake",   "docs",  "duts",
          "fuzz",      "oracle",         "reports", "runner", "scripts", "tests", "vectors"};
}

ReferenceLintResult lint_references(const std::string& root, const std::string& decisions_path,
                                    const std::vector<std::string>& scope) {
  ReferenceLintResult result;
  const auto decisions = read_text(decisions_path);
  if (!decisions) {
    result.error = decisions_path + ": cannot read the decisions document";
    return result;
  }
  const std::set<std::string> ids = decision_ids(*decisions);
  const std::set<std::string> reserved = reserved_ids(*decisions);
  if (ids.empty()) {
    result.error = decisions_path + ": defines no open-question entry (no \"## OQ-..\" heading)";
    return result;
  }
  const fs::path base(root);
  const auto check_file = [&](const fs::path& p) {
    if (!is_text_file(p)) return;
    const auto text = read_text(p);
    const std::string rel = p.lexically_relative(base).generic_string();
    if (!text) {
      result.findings.push_back({true, rel, 0, "", "cannot be read"});
      return;
    }
    ++result.files;
    const bool catalogue = p.filename() == "requirements.json";
    auto found = check_references(*text, rel, ids, !catalogue, reserved);
    result.findings.insert(result.findings.end(), found.begin(), found.end());
  };
  for (const std::string& entry : scope) {
    const fs::path p = base / entry;
    std::error_code ec;
    if (fs::is_regular_file(p, ec)) {
      check_file(p);
      continue;
    }
    if (!fs::is_directory(p, ec)) continue;
    std::vector<fs::path> files;
    for (auto it = fs::recursive_directory_iterator(p, ec); !ec && it != fs::recursive_directory_iterator();
         it.increment(ec)) {
      if (it->is_directory() && skipped_directory(it->path())) {
        it.disable_recursion_pending();
        continue;
      }
      if (it->is_regular_file()) files.push_back(it->path());
    }
    std::sort(files.begin(), files.end());
    for (const auto& f : files) check_file(f);
  }
  return result;
}

}  // namespace cts::cases
