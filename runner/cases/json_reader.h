// The case loader's view of the strict reader (runner/json/strict_reader.h): the same Value and
// Object, plus what only case files hold — expressions, string templates and spaced hex.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "runner/cases/expression.h"
#include "runner/json/strict_reader.h"

namespace cts::cases {

// Thrown while reading; the loader turns it into a LoadError with file and case id.
using ReadError = strict::ReadError;

class JsonValue : public strict::Value {
 public:
  using strict::Value::Value;
  JsonValue(const strict::Value& value) : strict::Value(value) {}  // NOLINT: a view of the same

  // An integer, or a string holding an expression (expression.h).
  Expr as_expr() const;
  StringTemplate as_template() const;
  std::vector<uint8_t> as_hex() const;  // "00 11 aa", "00:11:aa" or "0011aa"
  std::vector<JsonValue> as_array() const;
};

class JsonObject : public strict::Object {
 public:
  explicit JsonObject(const JsonValue& value) : strict::Object(value) {}

  JsonValue required(const std::string& key) { return strict::Object::required(key); }
  std::optional<JsonValue> optional(const std::string& key) {
    auto v = strict::Object::optional(key);
    if (!v) return std::nullopt;
    return JsonValue(*v);
  }
};

}  // namespace cts::cases
