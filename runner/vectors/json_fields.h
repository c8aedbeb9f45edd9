// Strict field access for the data files of this folder (sidecars, known-answer files): every
// read is recorded, and finish() rejects any member nobody read, naming its JSON path. Errors
// unwind as JsonFieldError inside a loader and leave it as a value (file + path + reason); they
// never cross a public function.
#pragma once

#include <cstdint>
#include <optional>
#include <set>
#include <stdexcept>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "runner/json/json_text.h"
#include "runner/json/strict_reader.h"

namespace cts::vectors {

// Reads a whole data file into `text`. On failure `error` says "<path>: cannot open <what>: why"
// or "<path>: is a directory, not a <what>".
bool read_data_file(const std::string& path, const char* what, std::string& text, std::string& error);

// The strict reader's error (path + reason); what() is the reason alone, to_string() both.
class JsonFieldError : public strict::ReadError {
 public:
  JsonFieldError(const std::string& json_path, const std::string& why)
      : strict::ReadError(json_path, why) {}
};

// Parses `text` and hands the document to `read`, which throws at a bad field. Either failure
// comes back as a value: false, and `error` = "<origin>: <JSON path>: <what>" (a syntax error
// names line and column).
template <typename Read>
bool read_json_text(const std::string& text, const std::string& origin, std::string& error, Read&& read) {
  const std::optional<nlohmann::json> j = strict::parse_text(text, origin, error);
  if (!j) return false;
  try {
    read(*j);
    return true;
  } catch (const strict::ReadError& e) {
    error = origin + ": " + e.to_string();
    return false;
  } catch (const nlohmann::json::exception& e) {
    error = origin + ": " + e.what();
    return false;
  }
}

// Typed access over strict::Object, with the conventions of these files: JSON null counts as
// absent, 64-bit words as "0x..." strings, octets as plain hex.
class JsonObject {
 public:
  // `path` is the JSON path of `j` ("$", "$.sas[2]"). Throws when `j` is not an object.
  JsonObject(const nlohmann::json& j, std::string path);

  const std::string& path() const { return object_.path(); }
  std::string child(const std::string& key) const { return object_.child(key); }
  bool has(const std::string& key) const;  // present and not null
  // Marks the key as understood without reading it (informational text fields).
  void allow(const std::string& key);

  const nlohmann::json& required(const std::string& key);
  const nlohmann::json* optional(const std::string& key);  // null when absent or JSON null

  std::string string(const std::string& key);
  std::optional<std::string> optional_string(const std::string& key);
  bool boolean(const std::string& key);
  std::optional<bool> optional_boolean(const std::string& key);
  uint64_t unsigned_int(const std::string& key, uint64_t max);
  std::optional<uint64_t> optional_unsigned(const std::string& key, uint64_t max);
  // "0x" + hex digits (or bare hex), value <= max.
  uint64_t hex_number(const std::string& key, uint64_t max);
  std::optional<uint64_t> optional_hex_number(const std::string& key, uint64_t max);
  // Lower/upper case hex octets without separators; empty string allowed.
  std::vector<uint8_t> hex_bytes(const std::string& key);
  std::optional<std::vector<uint8_t>> optional_hex_bytes(const std::string& key);
  std::vector<std::string> string_array(const std::string& key);

  // Throws for the first member that was neither read nor allowed.
  void finish() const;

 private:
  strict::Object object_;
};

// Helpers for values outside an object.
std::vector<uint8_t> parse_hex_bytes(const std::string& text, const std::string& path);
uint64_t parse_hex_number(const std::string& text, uint64_t max, const std::string& path);
std::string hex_string(const std::vector<uint8_t>& bytes);
std::string hex_number_string(uint64_t value, int digits);  // "0x" + zero-padded lower hex
// The same appended to `out`, allocation-free once `out` has room; `digits` is the minimum width
// (a wider value gets the digits it needs, as with printf's %0*llx).
void append_hex_number(std::string& out, uint64_t value, int digits);

}  // namespace cts::vectors
