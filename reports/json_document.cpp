#include "reports/json_document.h"

#include <filesystem>
#include <fstream>
#include <sstream>
#include <vector>

#include "reports/text_escape.h"

namespace cts::reports {
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
    if (f.array) path = json_path_index(path, f.index);
    else if (f.has_key) path = json_path_member(path, f.key);
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
    const bool ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '_' || (i > 0 && c >= '0' && c <= '9');
    if (!ok) return false;
  }
  return true;
}

}  // namespace

std::string json_path_member(const std::string& parent, const std::string& key) {
  if (is_identifier(key)) return parent + "." + key;
  // The key comes from the document: printable, JSON-quoted.
  return parent + "[" + nlohmann::json(printable_text(key)).dump() + "]";
}

std::string json_path_index(const std::string& parent, size_t index) {
  return parent + "[" + std::to_string(index) + "]";
}

std::optional<nlohmann::json> parse_json_document(const std::string& text, const std::string& origin,
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
        if (static_cast<size_t>(depth) >= kMaxJsonDepth) throw TooDeep{};
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
  try {
    nlohmann::json doc = nlohmann::json::parse(text, track, true, false);
    return doc;
  } catch (const nlohmann::json::parse_error& e) {
    error = origin + ": not valid JSON: " + strip_exception_prefix(e.what()) + " (at " + path_of(frames) + ")";
  } catch (const TooDeep&) {
    error = origin + ": " + path_of(frames) + ": nested deeper than " + std::to_string(kMaxJsonDepth) +
            " levels; not a results document";
  } catch (const nlohmann::json::exception& e) {
    error = origin + ": not valid JSON: " + strip_exception_prefix(e.what()) + " (at " + path_of(frames) + ")";
  } catch (const std::exception& e) {
    error = origin + ": cannot parse: " + e.what();
  }
  return std::nullopt;
}

std::optional<nlohmann::json> read_json_file(const std::string& path, std::string& error) {
  std::error_code ec;
  if (std::filesystem::is_directory(path, ec)) {
    error = path + ": is a directory, not a JSON file";
    return std::nullopt;
  }
  std::ifstream in(path, std::ios::binary);
  if (!in) {
    error = path + ": cannot open";
    return std::nullopt;
  }
  std::ostringstream ss;
  ss << in.rdbuf();
  if (in.bad()) {
    error = path + ": read error";
    return std::nullopt;
  }
  return parse_json_document(ss.str(), path, error);
}

}  // namespace cts::reports
