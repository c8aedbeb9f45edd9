// Integer expressions in case files: "capacity + 1", "0x1000 + i", "min(inbound_capacity, 8)".
//
// A case refers to values that are only known when it runs (the device's capacities, the index
// of a `repeat` loop, the length of an encoded buffer), so numeric fields accept either a JSON
// integer or one of these expressions. They are parsed once when the case file is loaded (a
// syntax error names the file, case and JSON path) and evaluated per step against an ExprEnv.
//
// Grammar (64-bit signed arithmetic, C precedence):
//   expr    := term (('+' | '-') term)*
//   term    := unary (('*' | '/' | '%') unary)*
//   unary   := '-' unary | primary
//   primary := number | identifier | identifier '(' expr (',' expr)* ')' | '(' expr ')'
//   number  := decimal | 0x hex
// Functions: min(a, b, ...), max(a, b, ...).
//
// StringTemplate: text with {expr} parts ("in{i}", "10.1.{i / 256}.{i % 256}") for labels and
// addresses that vary with a loop index.
#pragma once

#include <cstdint>
#include <map>
#include <memory>
#include <optional>
#include <set>
#include <stdexcept>
#include <string>
#include <vector>

namespace cts::cases {

// Variables visible to an expression while a step runs.
class ExprEnv {
 public:
  void set(const std::string& name, int64_t value) { values_[name] = value; }
  std::optional<int64_t> get(const std::string& name) const;

 private:
  std::map<std::string, int64_t> values_;
};

// Thrown by parse (syntax) and eval (unknown variable, division by zero, overflow).
struct ExprError : std::runtime_error {
  using std::runtime_error::runtime_error;
};

class Expr {
 public:
  Expr();  // the constant 0
  static Expr constant(int64_t value);
  static Expr parse(const std::string& text);  // throws ExprError

  int64_t eval(const ExprEnv& env) const;  // throws ExprError
  const std::string& text() const { return text_; }
  // Every variable the expression reads (for load-time scope checks).
  std::set<std::string> variables() const;
  bool is_constant() const;

  struct Node;

 private:
  std::shared_ptr<const Node> root_;
  std::string text_;
};

class StringTemplate {
 public:
  StringTemplate() = default;
  static StringTemplate parse(const std::string& text);  // throws ExprError
  std::string render(const ExprEnv& env) const;           // throws ExprError
  const std::string& text() const { return text_; }
  std::set<std::string> variables() const;

 private:
  struct Part {
    std::string literal;
    std::optional<Expr> expr;
  };
  std::vector<Part> parts_;
  std::string text_;
};

}  // namespace cts::cases
