// Strict reading of a parsed JSON document: every value is read through a Value that knows its
// JSON path, and every object is finished with Object::done(), which rejects any member nobody
// read (a data attribute nobody reads is an error: a typo must never turn a check into a no-op).
//
// Readers throw ReadError (path + reason) on the first problem; the loader at the top catches it
// and returns it as a value with the file name (no exception leaves a loader).
#pragma once

#include <cstdint>
#include <optional>
#include <set>
#include <stdexcept>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

namespace cts::strict {

struct ReadError : std::runtime_error {
  ReadError(std::string json_path, const std::string& message)
      : std::runtime_error(message), path(std::move(json_path)) {}
  std::string path;  // "$.sas[2].spi"
  // "$.sas[2].spi: expected an integer, found a string"
  std::string to_string() const { return path + ": " + what(); }
};

// "null", "a boolean", "an integer", "a number", "a string", "an array", "an object".
const char* type_name(const nlohmann::json& value);

class Value {
 public:
  Value(const nlohmann::json& value, std::string path) : v_(&value), path_(std::move(path)) {}

  const std::string& path() const { return path_; }
  const nlohmann::json& raw() const { return *v_; }
  [[noreturn]] void fail(const std::string& message) const { throw ReadError(path_, message); }

  bool is_string() const { return v_->is_string(); }
  bool is_integer() const { return v_->is_number_integer(); }
  bool is_array() const { return v_->is_array(); }
  bool is_object() const { return v_->is_object(); }
  bool is_bool() const { return v_->is_boolean(); }
  bool is_null() const { return v_->is_null(); }

  std::string as_string() const;
  std::string as_nonempty_string() const;
  bool as_bool() const;
  int64_t as_int(int64_t min, int64_t max) const;
  uint64_t as_uint(uint64_t max) const;
  std::vector<Value> as_array() const;  // elements with their paths
  std::vector<std::string> as_string_array() const;

 private:
  const nlohmann::json* v_;
  std::string path_;
};

class Object {
 public:
  explicit Object(const Value& value);  // throws ReadError when `value` is not an object
  Object(const nlohmann::json& value, std::string path) : Object(Value(value, std::move(path))) {}

  const std::string& path() const { return value_.path(); }
  const nlohmann::json& raw() const { return value_.raw(); }
  std::string child(const std::string& key) const;
  [[noreturn]] void fail(const std::string& message) const { value_.fail(message); }
  bool has(const std::string& key) const;  // present, null or not
  Value required(const std::string& key);
  std::optional<Value> optional(const std::string& key);  // absent: nullopt
  // Marks a member as understood without reading it (free text such as "comment").
  void allow(const std::string& key) { read_.insert(key); }
  // Rejects the first member not read, naming it and the members allowed here.
  void done() const;

 private:
  Value value_;
  std::set<std::string> read_;  // every key asked for, present or not
};

}  // namespace cts::strict
