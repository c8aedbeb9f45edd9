// Turning text or a file into a JSON document, whatever it holds: truncated, malformed, nested a
// million levels deep, a directory, a file that vanished. Errors name the origin, the line and
// column, and the JSON path being read when the parser stopped:
//   "results.json: not valid JSON: line 40, column 3: syntax error ... (at $.cases[2].id)".
// Nothing here throws.
#pragma once

#include <cstddef>
#include <optional>
#include <string>
#include <string_view>

#include <nlohmann/json.hpp>

namespace cts::strict {

// Deeper documents are rejected: every reader recurses, and no data file of the suite nests this far.
inline constexpr size_t kMaxDepth = 256;
// Larger files are refused before they are read (the largest committed data file is ~1 MB).
inline constexpr size_t kMaxFileBytes = size_t{256} << 20;

// `origin` names the text in messages (a file path, "<inline>").
std::optional<nlohmann::json> parse_text(std::string_view text, const std::string& origin,
                                         std::string& error);

// Reads a whole file: "PATH: is a directory, not a JSON file", "PATH: cannot open: No such file
// or directory", "PATH: larger than 268435456 bytes". `what` names the kind of file in those
// messages ("case file", "sidecar"); empty: "JSON file".
bool read_text_file(const std::string& path, std::string& text, std::string& error,
                    std::string_view what = {});
std::optional<nlohmann::json> read_file(const std::string& path, std::string& error,
                                        std::string_view what = {});

// "$.cases[3].id" style: `parent` + ".key", or + "[\"odd key\"]" when the key is not an
// identifier (printable and JSON-quoted).
std::string path_member(const std::string& parent, const std::string& key);
std::string path_index(const std::string& parent, size_t index);

}  // namespace cts::strict
