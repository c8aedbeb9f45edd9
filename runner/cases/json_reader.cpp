#include "runner/cases/json_reader.h"

#include <cctype>

namespace cts::cases {

Expr JsonValue::as_expr() const {
  if (raw().is_number_integer()) return Expr::constant(as_int(INT64_MIN, INT64_MAX));
  if (!raw().is_string()) {
    fail(std::string("expected an integer or an expression string, found ") +
         strict::type_name(raw()));
  }
  try {
    return Expr::parse(raw().get<std::string>());
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
  std::vector<JsonValue> out;
  for (const strict::Value& v : strict::Value::as_array()) out.emplace_back(v);
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

}  // namespace cts::cases
