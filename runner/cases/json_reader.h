// Strict reading of JSON data files: every value is read through a reader that knows its JSON
// path, and every object must be finished with done(), which rejects any key nobody read (a data
// attribute nobody reads is an error: a typo must never turn a check into a no-op).
#pragma once

#include <cstdint>
#include <optional>
#include <set>
#include <stdexcept>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "runner/cases/expression.h"

namespace cts::cases {

// Thrown while reading; the loader turns it into a LoadError with file and case id.
struct ReadError : std::runtime_error {
  ReadError(std::string json_path, const std::string& message)
      : std::runtime_error(message), path(std::move(json_path)) {}
  std::string path;
};

// Appends a member or index to a JSON path: "$.cases[3].steps[0]".
std::string json_path_member(const std::string& path, const std::string& key);
std::string json_path_index(const std::string& path, size_t index);

class JsonValue {
 public:
  JsonValue(const nlohmann::json& value, std::string path) : v_(&value), path_(std::move(path)) {}

  const std::string& path() const { return path_; }
  const nlohmann::json& raw() const { return *v_; }
  [[noreturn]] void fail(const std::string& message) const { throw ReadError(path_, message); }

  bool is_string() const { return v_->is_string(); }
  bool is_integer() const { return v_->is_number_integer(); }
  bool is_array() const { return v_->is_array(); }
  bool is_object() const { return v_->is_object(); }
  bool is_bool() const { return v_->is_boolean(); }
  bool is_null() const { return v_->is_null(); }

  std::string as_string() const;  // non-empty not required
  std::string as_nonempty_string() const;
  bool as_bool() const;
  int64_t as_int(int64_t min, int64_t max) const;
  // An integer, or a string holding an expression (expression.h).
  Expr as_expr() const;
  StringTemplate as_template() const;
  std::vector<JsonValue> as_array() const;  // elements with their paths
  std::vector<std::string> as_string_array() const;
  std::vector<uint8_t> as_hex() const;  // "00 11 aa" or "0011aa"

 private:
  const nlohmann::json* v_;
  std::string path_;
};

class JsonObject {
 public:
  explicit JsonObject(const JsonValue& value);

  const std::string& path() const { return value_.path(); }
  [[noreturn]] void fail(const std::string& message) const { value_.fail(message); }
  bool has(const std::string& key) const;
  JsonValue required(const std::string& key);
  std::optional<JsonValue> optional(const std::string& key);
  // Rejects every key not read (with the list of keys that are allowed here).
  void done() const;

 private:
  JsonValue value_;
  std::set<std::string> read_;  // every key asked for, present or not
};

}  // namespace cts::cases
