#include "runner/cases/json_reader.h"

#include <cctype>

namespace cts::cases {

std::string json_path_member(const std::string& path, const std::string& key) {
  return path + "." + key;
}
std::string json_path_index(const std::string& path, size_t index) {
  return path + "[" + std::to_string(index) + "]";
}

namespace {
const char* type_name(const nlohmann::json& v) {
  if (v.is_null()) return "null";
  if (v.is_boolean()) return "a boolean";
  if (v.is_number_integer()) return "an integer";
  if (v.is_number()) return "a number";
  if (v.is_string()) return "a string";
  if (v.is_array()) return "an array";
  return "an object";
}
}  // namespace

std::string JsonValue::as_string() const {
  if (!v_->is_string()) fail(std::string("expected a string, found ") + type_name(*v_));
  return v_->get<std::string>();
}

std::string JsonValue::as_nonempty_string() const {
  std::string s = as_string();
  if (s.empty()) fail("must not be empty");
  return s;
}

bool JsonValue::as_bool() const {
  if (!v_->is_boolean()) fail(std::string("expected true or false, found ") + type_name(*v_));
  return v_->get<bool>();
}

int64_t JsonValue::as_int(int64_t min, int64_t max) const {
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

Expr JsonValue::as_expr() const {
  if (v_->is_number_integer()) return Expr::constant(as_int(INT64_MIN, INT64_MAX));
  if (!v_->is_string())
    fail(std::string("expected an integer or an expression string, found ") + type_name(*v_));
  try {
    return Expr::parse(v_->get<std::string>());
  } catch (const ExprError& e) {
    fail(e.what());
  }
}

StringTemplate JsonValue::as_template() const {
  try {
    return StringTemplate::parse(as_string());
  } catch (const ExprError& e) {
    fail(e.what());
  }
}

std::vector<JsonValue> JsonValue::as_array() const {
  if (!v_->is_array()) fail(std::string("expected an array, found ") + type_name(*v_));
  std::vector<JsonValue> out;
  for (size_t i = 0; i < v_->size(); ++i) out.emplace_back((*v_)[i], json_path_index(path_, i));
  return out;
}

std::vector<std::string> JsonValue::as_string_array() const {
  std::vector<std::string> out;
  for (const auto& e : as_array()) out.push_back(e.as_nonempty_string());
  return out;
}

std::vector<uint8_t> JsonValue::as_hex() const {
  const std::string s = as_string();
  std::vector<uint8_t> out;
  int pending = -1;
  for (char c : s) {
    if (c == ' ' || c == ':' || c == '\n') continue;
    if (!std::isxdigit(static_cast<unsigned char>(c))) fail("not a hex string: '" + std::string(1, c) + "'");
    const int d = std::isdigit(static_cast<unsigned char>(c))
                      ? c - '0'
                      : std::tolower(static_cast<unsigned char>(c)) - 'a' + 10;
    if (pending < 0) {
      pending = d;
    } else {
      out.push_back(static_cast<uint8_t>(pending * 16 + d));
      pending = -1;
    }
  }
  if (pending >= 0) fail("hex string with an odd number of digits");
  return out;
}

JsonObject::JsonObject(const JsonValue& value) : value_(value) {
  if (!value.is_object()) value.fail("expected an object");
}

bool JsonObject::has(const std::string& key) const { return value_.raw().contains(key); }

JsonValue JsonObject::required(const std::string& key) {
  read_.insert(key);
  if (!value_.raw().contains(key)) fail("missing required field \"" + key + "\"");
  return JsonValue(value_.raw()[key], json_path_member(path(), key));
}

std::optional<JsonValue> JsonObject::optional(const std::string& key) {
  read_.insert(key);
  if (!value_.raw().contains(key)) return std::nullopt;
  return JsonValue(value_.raw()[key], json_path_member(path(), key));
}

void JsonObject::done() const {
  for (auto it = value_.raw().begin(); it != value_.raw().end(); ++it) {
    if (read_.count(it.key())) continue;
    std::string allowed;
    for (const auto& k : read_) allowed += (allowed.empty() ? "" : ", ") + k;
    throw ReadError(json_path_member(path(), it.key()),
                    "unknown field \"" + it.key() + "\" (known here: " +
                        (allowed.empty() ? "none" : allowed) + ")");
  }
}

}  // namespace cts::cases
