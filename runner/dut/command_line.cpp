#include "runner/dut/command_line.h"

#include <unistd.h>

#include <cstdlib>

namespace cts::dut {
namespace {

DutError invalid(std::string message) {
  return DutError{DutErrorKind::invalid_argument, std::move(message), {}};
}

bool is_blank(char c) { return c == ' ' || c == '\t' || c == '\n'; }

}  // namespace

DutResult<std::vector<std::string>> split_command_line(std::string_view line) {
  std::vector<std::string> words;
  std::string word;
  bool in_word = false;
  for (size_t i = 0; i < line.size(); ++i) {
    const char c = line[i];
    if (is_blank(c)) {
      if (in_word) words.push_back(std::move(word));
      word.clear();
      in_word = false;
      continue;
    }
    in_word = true;
    if (c == '\'') {
      const size_t end = line.find('\'', i + 1);
      if (end == std::string_view::npos) return invalid("unterminated ' in the command line");
      word.append(line.substr(i + 1, end - i - 1));
      i = end;
    } else if (c == '"') {
      size_t j = i + 1;
      for (; j < line.size() && line[j] != '"'; ++j) {
        if (line[j] == '\\' && j + 1 < line.size() && (line[j + 1] == '"' || line[j + 1] == '\\')) ++j;
        word.push_back(line[j]);
      }
      if (j >= line.size()) return invalid("unterminated \" in the command line");
      i = j;
    } else if (c == '\\') {
      if (i + 1 >= line.size()) return invalid("the command line ends with a backslash");
      word.push_back(line[++i]);
    } else {
      word.push_back(c);
    }
  }
  if (in_word) words.push_back(std::move(word));
  if (words.empty()) return invalid("the command line is empty");
  return words;
}

DutResult<std::string> find_program(const std::string& name) {
  if (name.find('/') != std::string::npos) return name;
  const char* path = std::getenv("PATH");
  std::string_view dirs = path ? path : "/usr/local/bin:/usr/bin:/bin";
  while (true) {
    const size_t colon = dirs.find(':');
    const std::string_view dir = dirs.substr(0, colon);
    std::string candidate;
    if (dir.empty()) candidate.push_back('.');  // an empty PATH entry is the current folder
    candidate.append(dir);
    candidate.push_back('/');
    candidate.append(name);
    if (::access(candidate.c_str(), X_OK) == 0) return candidate;
    if (colon == std::string_view::npos) break;
    dirs.remove_prefix(colon + 1);
  }
  std::string message = "cmd: program \"";
  message.append(name);
  message.append("\" not found in PATH (agents are started without a shell; give a path or a "
                 "program on PATH)");
  return DutError{DutErrorKind::device_error, std::move(message), {}};
}

}  // namespace cts::dut
