// `ipsec-cts lint`, references: every open-question identifier written in the repository
// (OQ-07, OQ-AH-4, OQ-CTS-1 ...) names an entry of docs/decisions.md, and no text cites a
// numbered section of a document the repository does not hold (the word "spec" or a reference
// document's file name followed by a section number): a reader must be able to follow every
// reference without material from elsewhere.
#pragma once

#include <set>
#include <string>
#include <string_view>
#include <vector>

namespace cts::cases {

struct ReferenceFinding {
  bool error = true;  // false: a warning (a reference to an identifier only reserved so far)
  std::string file;  // as given (relative to the scanned root when walking)
  size_t line = 0;   // 1-based
  std::string reference;
  std::string message;
  std::string to_string() const;
};

// The identifiers a decisions document defines: Markdown headings (any level) that begin with
// one, e.g. "### OQ-07 AES-GCM and AES-GMAC key material".
std::set<std::string> decision_ids(std::string_view decisions_markdown);

// Identifiers a decisions document reserves for an entry still to be written: a line holding
// "reserved: OQ-..." (in the document, an HTML comment marking the place). A reference to one is
// a warning, not an error, until its heading exists.
std::set<std::string> reserved_ids(std::string_view decisions_markdown);

// The findings of one text: open-question identifiers not in `ids`, and, when
// `check_sections`, citations of numbered sections of documents outside the repository.
std::vector<ReferenceFinding> check_references(std::string_view text, std::string_view file,
                                               const std::set<std::string>& ids,
                                               bool check_sections = true,
                                               const std::set<std::string>& reserved = {});

// Which parts of a repository are scanned: these folders (recursively) and files, relative to
// the root; only text files (source, CMake, scripts, Markdown, JSON). Generated output
// (build*/) and binary data (pcap, bin) are never read.
std::vector<std::string> default_reference_scope();

struct ReferenceLintResult {
  std::vector<ReferenceFinding> findings;  // errors and warnings
  size_t errors() const;
  size_t files = 0;
  std::string error;  // the decisions file could not be read: nothing was checked
};

// Reads `decisions_path`, then checks every text file of `scope` under `root`. The requirement
// catalogue (cases/requirements.json) is checked for identifiers only: its texts quote the
// reference catalogues, section numbers included, as data.
ReferenceLintResult lint_references(const std::string& root, const std::string& decisions_path,
                                    const std::vector<std::string>& scope);

}  // namespace cts::cases
