#include "runner/core/results.h"

#include <fcntl.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <sstream>

#include "runner/json/json_text.h"

namespace cts::core {

using results::write_all;

ResultsJournal::~ResultsJournal() {
  if (fd_ >= 0) ::close(fd_);
}

bool ResultsJournal::open(const std::string& out_dir, const results::RunInfo& run, bool append, std::string& error) {
  dir_ = out_dir;
  std::error_code ec;
  std::filesystem::create_directories(out_dir, ec);
  if (ec) {
    error = out_dir + ": cannot create the output directory: " + ec.message();
    return false;
  }
  const std::string path = out_dir + "/" + kJournalName;
  fd_ = ::open(path.c_str(), O_WRONLY | O_CREAT | O_CLOEXEC | (append ? O_APPEND : O_TRUNC), 0644);
  if (fd_ < 0) {
    error = path + ": cannot write: " + std::strerror(errno);
    return false;
  }
  if (append) {
    // A torn last line from the killed run must not glue onto the first new one.
    const auto size = std::filesystem::file_size(path, ec);
    if (!ec && size > 0) {
      std::ifstream in(path, std::ios::binary);
      in.seekg(static_cast<std::streamoff>(size) - 1);
      if (in.get() != '\n' && !write_all(fd_, "\n")) {
        error = path + ": write failed: " + std::strerror(errno);
        return false;
      }
    }
    return true;
  }
  if (!write_all(fd_, results::line_dump({{"run", results::run_to_json(run)}}) + "\n")) {
    error = path + ": write failed: " + std::strerror(errno);
    return false;
  }
  return true;
}

bool ResultsJournal::append(const CaseResult& r, std::string& error) {
  if (fd_ < 0) return true;
  // One write per line: the kernel has it when this returns, so SIGKILL loses nothing. (fsync
  // would guard against a power cut too, at a cost per case that is not worth it here.)
  if (!write_all(fd_, results::line_dump(results::case_to_json(r)) + "\n")) {
    error = dir_ + "/" + kJournalName + ": write failed: " + std::strerror(errno);
    return false;
  }
  return true;
}

bool ResultsJournal::finish(const results::Results& all, std::string& error) {
  if (!write_file_atomically(dir_ + "/results.json", results::canonical_dump(results::results_to_json(all)), error))
    return false;
  if (fd_ >= 0) ::close(fd_);
  fd_ = -1;
  std::error_code ec;
  std::filesystem::remove(dir_ + "/" + kJournalName, ec);
  return true;
}

std::optional<JournalContents> read_journal(const std::string& out_dir, std::string& error) {
  const std::string path = out_dir + "/" + kJournalName;
  std::ifstream in(path, std::ios::binary);
  if (!in) {
    error = path + ": cannot open (is " + out_dir + " the --out folder of an interrupted run?)";
    return std::nullopt;
  }
  std::ostringstream ss;
  ss << in.rdbuf();
  const std::string text = ss.str();
  JournalContents out;
  size_t line_no = 0, pos = 0;
  bool have_run = false;
  while (pos < text.size()) {
    const size_t nl = text.find('\n', pos);
    const bool whole = nl != std::string::npos;
    const std::string line = text.substr(pos, whole ? nl - pos : std::string::npos);
    pos = whole ? nl + 1 : text.size();
    ++line_no;
    if (line.empty()) continue;
    const std::string where = path + ": line " + std::to_string(line_no);
    std::string parse_error;
    auto parsed = strict::parse_text(line, where, parse_error);
    if (!parsed) {
      // Only a last line may be torn (the process died while writing it); a bad line in the
      // middle is a damaged journal.
      if (!whole || text.find_first_not_of('\n', pos) == std::string::npos) {
        ++out.torn_lines;
        continue;
      }
      error = parse_error;
      return std::nullopt;
    }
    const nlohmann::json doc = std::move(*parsed);
    if (!have_run) {
      if (!doc.is_object() || !doc.contains("run")) {
        error = where + ": expected the run record {\"run\": ...} first";
        return std::nullopt;
      }
      auto run = results::run_from_json(doc["run"], where, error);
      if (!run) return std::nullopt;
      out.run = std::move(*run);
      have_run = true;
      continue;
    }
    auto c = results::case_from_json(doc, where, error);
    if (!c) return std::nullopt;
    out.cases.push_back(std::move(*c));
  }
  if (!have_run) {
    error = path + ": empty journal (no run record)";
    return std::nullopt;
  }
  return out;
}

}  // namespace cts::core
