#include "runner/vectors/json_fields.h"

#include <cstdio>

#include "oracle/crypto/bytes.h"

namespace cts::vectors {

bool read_data_file(const std::string& path, const char* what, std::string& text, std::string& error) {
  return strict::read_text_file(path, text, error, what);
}

namespace {
using crypto::hex_digit_value;

const char* type_name(const nlohmann::json& j) { return j.type_name(); }
}  // namespace

std::vector<uint8_t> parse_hex_bytes(const std::string& text, const std::string& path) {
  if (text.size() % 2 != 0) throw JsonFieldError(path, "hex string of odd length " + std::to_string(text.size()));
  std::vector<uint8_t> out(text.size() / 2);
  for (size_t i = 0; i < out.size(); ++i) {
    const int hi = hex_digit_value(text[2 * i]);
    const int lo = hex_digit_value(text[2 * i + 1]);
    if (hi < 0 || lo < 0) throw JsonFieldError(path, "not a hex digit at position " + std::to_string(hi < 0 ? 2 * i : 2 * i + 1));
    out[i] = static_cast<uint8_t>(hi * 16 + lo);
  }
  return out;
}

uint64_t parse_hex_number(const std::string& text, uint64_t max, const std::string& path) {
  std::string digits = text;
  if (digits.size() > 2 && digits[0] == '0' && (digits[1] == 'x' || digits[1] == 'X')) digits = digits.substr(2);
  if (digits.empty() || digits.size() > 16) throw JsonFieldError(path, "expected a hex number, got \"" + text + "\"");
  uint64_t v = 0;
  for (char c : digits) {
    const int d = hex_digit_value(c);
    if (d < 0) throw JsonFieldError(path, "expected a hex number, got \"" + text + "\"");
    v = (v << 4) | static_cast<uint64_t>(d);
  }
  if (v > max) throw JsonFieldError(path, "value " + text + " out of range");
  return v;
}

std::string hex_string(const std::vector<uint8_t>& bytes) { return crypto::to_hex(bytes); }

void append_hex_number(std::string& out, uint64_t value, int digits) {
  static constexpr char kDigits[] = "0123456789abcdef";
  char buf[2 + 16];
  digits = digits < 1 ? 1 : digits > 16 ? 16 : digits;
  while (digits < 16 && (value >> (4 * digits)) != 0) ++digits;  // never cut a value short
  buf[0] = '0';
  buf[1] = 'x';
  for (int i = digits - 1; i >= 0; --i) {
    buf[2 + i] = kDigits[value & 0xF];
    value >>= 4;
  }
  out.append(buf, static_cast<size_t>(2 + digits));
}

std::string hex_number_string(uint64_t value, int digits) {
  std::string s;
  append_hex_number(s, value, digits);
  return s;
}

JsonObject::JsonObject(const nlohmann::json& j, std::string path) : object_(j, std::move(path)) {}

bool JsonObject::has(const std::string& key) const {
  auto it = object_.raw().find(key);
  return it != object_.raw().end() && !it->is_null();
}

void JsonObject::allow(const std::string& key) { object_.allow(key); }

const nlohmann::json& JsonObject::required(const std::string& key) {
  return object_.required(key).raw();
}

const nlohmann::json* JsonObject::optional(const std::string& key) {
  const auto v = object_.optional(key);
  if (!v || v->is_null()) return nullptr;
  return &v->raw();
}

std::string JsonObject::string(const std::string& key) {
  const auto& v = required(key);
  if (!v.is_string()) throw JsonFieldError(child(key), std::string("expected a string, got ") + type_name(v));
  return v.get<std::string>();
}

std::optional<std::string> JsonObject::optional_string(const std::string& key) {
  const auto* v = optional(key);
  if (v == nullptr) return std::nullopt;
  if (!v->is_string()) throw JsonFieldError(child(key), std::string("expected a string, got ") + type_name(*v));
  return v->get<std::string>();
}

bool JsonObject::boolean(const std::string& key) {
  const auto& v = required(key);
  if (!v.is_boolean()) throw JsonFieldError(child(key), std::string("expected true or false, got ") + type_name(v));
  return v.get<bool>();
}

std::optional<bool> JsonObject::optional_boolean(const std::string& key) {
  const auto* v = optional(key);
  if (v == nullptr) return std::nullopt;
  if (!v->is_boolean()) throw JsonFieldError(child(key), std::string("expected true or false, got ") + type_name(*v));
  return v->get<bool>();
}

uint64_t JsonObject::unsigned_int(const std::string& key, uint64_t max) {
  const auto& v = required(key);
  if (!v.is_number_unsigned() && !(v.is_number_integer() && v.get<int64_t>() >= 0))
    throw JsonFieldError(child(key), std::string("expected a non-negative integer, got ") + (v.is_number() ? v.dump() : type_name(v)));
  const uint64_t n = v.get<uint64_t>();
  if (n > max) throw JsonFieldError(child(key), "value " + std::to_string(n) + " above the maximum " + std::to_string(max));
  return n;
}

std::optional<uint64_t> JsonObject::optional_unsigned(const std::string& key, uint64_t max) {
  if (!has(key)) {
    object_.allow(key);
    return std::nullopt;
  }
  return unsigned_int(key, max);
}

uint64_t JsonObject::hex_number(const std::string& key, uint64_t max) {
  return parse_hex_number(string(key), max, child(key));
}

std::optional<uint64_t> JsonObject::optional_hex_number(const std::string& key, uint64_t max) {
  auto s = optional_string(key);
  if (!s) return std::nullopt;
  return parse_hex_number(*s, max, child(key));
}

std::vector<uint8_t> JsonObject::hex_bytes(const std::string& key) { return parse_hex_bytes(string(key), child(key)); }

std::optional<std::vector<uint8_t>> JsonObject::optional_hex_bytes(const std::string& key) {
  auto s = optional_string(key);
  if (!s) return std::nullopt;
  return parse_hex_bytes(*s, child(key));
}

std::vector<std::string> JsonObject::string_array(const std::string& key) {
  const auto& v = required(key);
  if (!v.is_array()) throw JsonFieldError(child(key), std::string("expected an array, got ") + type_name(v));
  std::vector<std::string> out;
  for (size_t i = 0; i < v.size(); ++i) {
    if (!v[i].is_string()) throw JsonFieldError(child(key) + "[" + std::to_string(i) + "]", "expected a string");
    out.push_back(v[i].get<std::string>());
  }
  return out;
}

void JsonObject::finish() const { object_.done(); }

}  // namespace cts::vectors
