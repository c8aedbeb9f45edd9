#include "runner/json/strict_reader.h"

#include "runner/json/json_text.h"

namespace cts::strict {

const char* type_name(const nlohmann::json& v) {
  if (v.is_null()) return "null";
  if (v.is_boolean()) return "a boolean";
  if (v.is_number_integer()) return "an integer";
  if (v.is_number()) return "a number";
  if (v.is_string()) return "a string";
  if (v.is_array()) return "an array";
  if (v.is_binary()) return "binary data";
  return "an object";
}

std::string Value::as_string() const {
  if (!v_->is_string()) fail(std::string("expected a string, found ") + type_name(*v_));
  return v_->get<std::string>();
}

std::string Value::as_nonempty_string() const {
  std::string s = as_string();
  if (s.empty()) fail("must not be empty");
  return s;
}

bool Value::as_bool() const {
  if (!v_->is_boolean()) fail(std::string("expected true or false, found ") + type_name(*v_));
  return v_->get<bool>();
}

int64_t Value::as_int(int64_t min, int64_t max) const {
  if (!v_->is_number_integer()) fail(std::string("expected an integer, found ") + type_name(*v_));
  int64_t v = 0;
  if (v_->is_number_unsigned()) {
    const uint64_t u = v_->get<uint64_t>();
    if (u > static_cast<uint64_t>(INT64_MAX)) fail("integer out of range");
    v = static_cast<int64_t>(u);
  } else {
    v = v_->get<int64_t>();
  }
  if (v < min || v > max)
    fail("value " + std::to_string(v) + " outside [" + std::to_string(min) + ", " +
         std::to_string(max) + "]");
  return v;
}

uint64_t Value::as_uint(uint64_t max) const {
  if (!v_->is_number_unsigned() && !(v_->is_number_integer() && v_->get<int64_t>() >= 0)) {
    fail(std::string("expected a non-negative integer, found ") +
         (v_->is_number() ? v_->dump() : type_name(*v_)));
  }
  const uint64_t n = v_->get<uint64_t>();
  if (n > max) fail("value " + std::to_string(n) + " above the maximum " + std::to_string(max));
  return n;
}

std::vector<Value> Value::as_array() const {
  if (!v_->is_array()) fail(std::string("expected an array, found ") + type_name(*v_));
  std::vector<Value> out;
  out.reserve(v_->size());
  for (size_t i = 0; i < v_->size(); ++i) out.emplace_back((*v_)[i], path_index(path_, i));
  return out;
}

std::vector<std::string> Value::as_string_array() const {
  std::vector<std::string> out;
  for (const auto& e : as_array()) out.push_back(e.as_nonempty_string());
  return out;
}

Object::Object(const Value& value) : value_(value) {
  if (!value.is_object()) value.fail(std::string("expected an object, found ") + type_name(value.raw()));
}

std::string Object::child(const std::string& key) const { return path_member(path(), key); }

bool Object::has(const std::string& key) const { return value_.raw().contains(key); }

Value Object::required(const std::string& key) {
  read_.insert(key);
  const auto it = value_.raw().find(key);
  if (it == value_.raw().end()) throw ReadError(child(key), "missing required field");
  return Value(*it, child(key));
}

std::optional<Value> Object::optional(const std::string& key) {
  read_.insert(key);
  const auto it = value_.raw().find(key);
  if (it == value_.raw().end()) return std::nullopt;
  return Value(*it, child(key));
}

void Object::done() const {
  for (auto it = value_.raw().begin(); it != value_.raw().end(); ++it) {
    if (read_.count(it.key())) continue;
    std::string allowed;
    for (const auto& k : read_) allowed += (allowed.empty() ? "" : ", ") + k;
    throw ReadError(child(it.key()), "unknown field \"" + it.key() + "\" (known here: " +
                                         (allowed.empty() ? "none" : allowed) + ")");
  }
}

}  // namespace cts::strict
