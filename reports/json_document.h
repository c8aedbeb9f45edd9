// Reading a JSON document that may be anything: truncated, malformed, nested a million levels
// deep. Errors name the origin, the line and column, and the JSON path being read when the
// parser stopped ("results.json: line 40, column 3, at $.cases[2].findings[0]: syntax error ...").
#pragma once

#include <cstddef>
#include <optional>
#include <string>

#include <nlohmann/json.hpp>

namespace cts::reports {

// Deeper documents are rejected: rendering recurses, and no results document nests this far.
inline constexpr size_t kMaxJsonDepth = 256;

// `origin` names the text in messages (a file path). Never throws.
std::optional<nlohmann::json> parse_json_document(const std::string& text, const std::string& origin,
                                                  std::string& error);

// Reads and parses a file; a missing or unreadable file is an error naming the path.
std::optional<nlohmann::json> read_json_file(const std::string& path, std::string& error);

// "$.cases[3].id" style: `parent` + ".key", or + "[\"odd key\"]" when the key is not an
// identifier.
std::string json_path_member(const std::string& parent, const std::string& key);
std::string json_path_index(const std::string& parent, size_t index);

}  // namespace cts::reports
