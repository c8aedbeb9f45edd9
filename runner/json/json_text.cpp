#include "runner/json/json_text.h"

#include <sys/stat.h>

#include <cerrno>
#include <cstring>
#include <fstream>
#include <sstream>
#include <vector>

namespace cts::strict {
namespace {

// Where the parser is: one frame per open object or array.
struct Frame {
  bool array = false;
  size_t index = 0;  // arrays: the element being read
  std::string key;   // objects: the member being read
  bool has_key = false;
};

struct TooDeep {};

std::string path_of(const std::vector<Frame>& frames) {
  std::string path = "$";
  for (const Frame& f : frames) {
    if (f.array) path = path_index(path, f.index);
    else if (f.has_key) path = path_member(path, f.key);
  }
  return path;
}

// nlohmann's messages start with "[json.exception.parse_error.101] parse error at line 1, column 2:".
std::string strip_exception_prefix(const std::string& what) {
  const auto close = what.find("] ");
  std::string s = close == std::string::npos ? what : what.substr(close + 2);
  const std::string p = "parse error at ";
  if (s.rfind(p, 0) == 0) s = s.substr(p.size());
  return s;
}

bool is_identifier(const std::string& key) {
  if (key.empty()) return false;
  for (size_t i = 0; i < key.size(); ++i) {
    const char c = key[i];
    const bool ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '_' ||
                    (i > 0 && c >= '0' && c <= '9');
    if (!ok) return false;
  }
  return true;
}

std::string kind_of(std::string_view what) { return what.empty() ? "JSON file" : std::string(what); }

}  // namespace

std::string path_member(const std::string& parent, const std::string& key) {
  if (is_identifier(key)) return parent + "." + key;
  // The key comes from the document: ASCII, JSON-quoted, bad UTF-8 replaced.
  return parent + "[" +
         nlohmann::json(key).dump(-1, ' ', true, nlohmann::json::error_handler_t::replace) + "]";
}

std::string path_index(const std::string& parent, size_t index) {
  return parent + "[" + std::to_string(index) + "]";
}

std::optional<nlohmann::json> parse_text(std::string_view text, const std::string& origin,
                                         std::string& error) {
  std::vector<Frame> frames;
  auto element_done = [&] {
    if (frames.empty()) return;
    Frame& top = frames.back();
    if (top.array) ++top.index;
    else top.has_key = false;
  };
  const nlohmann::json::parser_callback_t track =
      [&](int depth, nlohmann::json::parse_event_t event, nlohmann::json& parsed) -> bool {
    using E = nlohmann::json::parse_event_t;
    switch (event) {
      case E::object_start:
      case E::array_start:
        if (static_cast<size_t>(depth) >= kMaxDepth) throw TooDeep{};
        frames.push_back({event == E::array_start, 0, {}, false});
        break;
      case E::key:
        if (!frames.empty()) {
          frames.back().key = parsed.is_string() ? parsed.get<std::string>() : std::string();
          frames.back().has_key = true;
        }
        break;
      case E::object_end:
      case E::array_end:
        if (!frames.empty()) frames.pop_back();
        element_done();
        break;
      case E::value:
        element_done();
        break;
    }
    return true;
  };
  if (text.empty()) {
    error = origin + ": not valid JSON: the document is empty";
    return std::nullopt;
  }
  try {
    return nlohmann::json::parse(text.begin(), text.end(), track, true, false);
  } catch (const nlohmann::json::parse_error& e) {
    error = origin + ": not valid JSON: " + strip_exception_prefix(e.what()) + " (at " +
            path_of(frames) + ")";
  } catch (const TooDeep&) {
    error = origin + ": " + path_of(frames) + ": nested deeper than " + std::to_string(kMaxDepth) +
            " levels";
  } catch (const nlohmann::json::exception& e) {
    error = origin + ": not valid JSON: " + strip_exception_prefix(e.what()) + " (at " +
            path_of(frames) + ")";
  } catch (const std::exception& e) {
    error = origin + ": cannot parse: " + e.what();
  }
  return std::nullopt;
}

bool read_text_file(const std::string& path, std::string& text, std::string& error,
                    std::string_view what) {
  struct stat st {};
  if (::stat(path.c_str(), &st) != 0) {
    error = path + ": cannot open " + kind_of(what) + ": " + std::strerror(errno);
    return false;
  }
  if (S_ISDIR(st.st_mode)) {
    error = path + ": is a directory, not a " + kind_of(what);
    return false;
  }
  if (S_ISREG(st.st_mode) && static_cast<uint64_t>(st.st_size) > kMaxFileBytes) {
    error = path + ": " + std::to_string(st.st_size) + " bytes, larger than any " + kind_of(what) +
            " (at most " + std::to_string(kMaxFileBytes) + ")";
    return false;
  }
  std::ifstream in(path, std::ios::binary);
  if (!in) {
    error = path + ": cannot open " + kind_of(what) + ": " + std::strerror(errno);
    return false;
  }
  std::ostringstream ss;
  ss << in.rdbuf();
  if (in.bad()) {
    error = path + ": read error";
    return false;
  }
  text = ss.str();
  return true;
}

std::optional<nlohmann::json> read_file(const std::string& path, std::string& error,
                                        std::string_view what) {
  std::string text;
  if (!read_text_file(path, text, error, what)) return std::nullopt;
  return parse_text(text, path, error);
}

}  // namespace cts::strict
