#include "runner/cases/expression.h"

#include <cctype>
#include <limits>

namespace cts::cases {

std::optional<int64_t> ExprEnv::get(const std::string& name) const {
  auto it = values_.find(name);
  if (it == values_.end()) return std::nullopt;
  return it->second;
}

struct Expr::Node {
  enum class Kind { number, variable, neg, add, sub, mul, div, mod, min, max } kind = Kind::number;
  int64_t value = 0;
  std::string name;
  std::vector<std::shared_ptr<const Node>> args;
};

namespace {

using NodePtr = std::shared_ptr<const Expr::Node>;
using Kind = Expr::Node::Kind;

class Parser {
 public:
  explicit Parser(const std::string& text) : s_(text) {}

  NodePtr parse_all() {
    NodePtr n = expr();
    skip_space();
    if (pos_ != s_.size()) fail("unexpected '" + std::string(1, s_[pos_]) + "'");
    return n;
  }

 private:
  [[noreturn]] void fail(const std::string& what) const {
    throw ExprError("expression \"" + s_ + "\" at column " + std::to_string(pos_ + 1) + ": " + what);
  }
  void skip_space() {
    while (pos_ < s_.size() && std::isspace(static_cast<unsigned char>(s_[pos_]))) ++pos_;
  }
  bool accept(char c) {
    skip_space();
    if (pos_ < s_.size() && s_[pos_] == c) {
      ++pos_;
      return true;
    }
    return false;
  }
  static NodePtr make(Kind k, std::vector<NodePtr> args) {
    auto n = std::make_shared<Expr::Node>();
    n->kind = k;
    n->args = std::move(args);
    return n;
  }
  NodePtr expr() {
    NodePtr left = term();
    for (;;) {
      if (accept('+')) left = make(Kind::add, {left, term()});
      else if (accept('-')) left = make(Kind::sub, {left, term()});
      else return left;
    }
  }
  NodePtr term() {
    NodePtr left = unary();
    for (;;) {
      if (accept('*')) left = make(Kind::mul, {left, unary()});
      else if (accept('/')) left = make(Kind::div, {left, unary()});
      else if (accept('%')) left = make(Kind::mod, {left, unary()});
      else return left;
    }
  }
  NodePtr unary() {
    if (accept('-')) return make(Kind::neg, {unary()});
    return primary();
  }
  NodePtr primary() {
    skip_space();
    if (pos_ >= s_.size()) fail("expression ends too early");
    const char c = s_[pos_];
    if (c == '(') {
      ++pos_;
      NodePtr inner = expr();
      if (!accept(')')) fail("expected ')'");
      return inner;
    }
    if (std::isdigit(static_cast<unsigned char>(c))) return number();
    if (std::isalpha(static_cast<unsigned char>(c)) || c == '_') {
      const size_t start = pos_;
      while (pos_ < s_.size() &&
             (std::isalnum(static_cast<unsigned char>(s_[pos_])) || s_[pos_] == '_'))
        ++pos_;
      std::string name = s_.substr(start, pos_ - start);
      if (accept('(')) {
        Kind k;
        if (name == "min") k = Kind::min;
        else if (name == "max") k = Kind::max;
        else fail("unknown function '" + name + "' (known: min, max)");
        std::vector<NodePtr> args{expr()};
        while (accept(',')) args.push_back(expr());
        if (!accept(')')) fail("expected ')' after the arguments of " + name);
        return make(k, std::move(args));
      }
      auto n = std::make_shared<Expr::Node>();
      n->kind = Kind::variable;
      n->name = std::move(name);
      return n;
    }
    fail("unexpected '" + std::string(1, c) + "'");
  }
  NodePtr number() {
    const size_t start = pos_;
    int base = 10;
    if (s_.compare(pos_, 2, "0x") == 0 || s_.compare(pos_, 2, "0X") == 0) {
      base = 16;
      pos_ += 2;
    }
    const size_t digits = pos_;
    uint64_t v = 0;
    while (pos_ < s_.size() && std::isxdigit(static_cast<unsigned char>(s_[pos_]))) {
      const char d = static_cast<char>(std::tolower(static_cast<unsigned char>(s_[pos_])));
      const int dv = std::isdigit(static_cast<unsigned char>(d)) ? d - '0' : d - 'a' + 10;
      if (dv >= base) fail("digit '" + std::string(1, d) + "' in a decimal number");
      if (v > (static_cast<uint64_t>(std::numeric_limits<int64_t>::max()) - static_cast<uint64_t>(dv)) /
                  static_cast<uint64_t>(base))
        fail("number " + s_.substr(start, pos_ - start + 1) + "... does not fit 63 bits");
      v = v * static_cast<uint64_t>(base) + static_cast<uint64_t>(dv);
      ++pos_;
    }
    if (pos_ == digits) fail("hex number without digits");
    auto n = std::make_shared<Expr::Node>();
    n->kind = Kind::number;
    n->value = static_cast<int64_t>(v);
    return n;
  }

  const std::string& s_;
  size_t pos_ = 0;
};

// The builtin runs before its result is read (function arguments have no evaluation order).
template <typename Op>
int64_t checked(Op op, int64_t a, int64_t b, const std::string& text) {
  int64_t r = 0;
  if (op(a, b, &r)) throw ExprError("expression \"" + text + "\": 64-bit overflow");
  return r;
}
bool add_op(int64_t a, int64_t b, int64_t* r) { return __builtin_add_overflow(a, b, r); }
bool sub_op(int64_t a, int64_t b, int64_t* r) { return __builtin_sub_overflow(a, b, r); }
bool mul_op(int64_t a, int64_t b, int64_t* r) { return __builtin_mul_overflow(a, b, r); }

int64_t eval_node(const Expr::Node& n, const ExprEnv& env, const std::string& text) {
  switch (n.kind) {
    case Kind::number:
      return n.value;
    case Kind::variable: {
      auto v = env.get(n.name);
      if (!v) throw ExprError("expression \"" + text + "\": unknown variable '" + n.name + "'");
      return *v;
    }
    case Kind::neg:
      return checked(sub_op, 0, eval_node(*n.args[0], env, text), text);
    case Kind::min:
    case Kind::max: {
      int64_t best = eval_node(*n.args[0], env, text);
      for (size_t i = 1; i < n.args.size(); ++i) {
        const int64_t v = eval_node(*n.args[i], env, text);
        best = n.kind == Kind::min ? std::min(best, v) : std::max(best, v);
      }
      return best;
    }
    default:
      break;
  }
  const int64_t a = eval_node(*n.args[0], env, text);
  const int64_t b = eval_node(*n.args[1], env, text);
  switch (n.kind) {
    case Kind::add:
      return checked(add_op, a, b, text);
    case Kind::sub:
      return checked(sub_op, a, b, text);
    case Kind::mul:
      return checked(mul_op, a, b, text);
    case Kind::div:
    case Kind::mod:
      if (b == 0) throw ExprError("expression \"" + text + "\": division by zero");
      if (a == std::numeric_limits<int64_t>::min() && b == -1)
        throw ExprError("expression \"" + text + "\": 64-bit overflow");
      return n.kind == Kind::div ? a / b : a % b;
    default:
      throw ExprError("expression \"" + text + "\": internal error");
  }
}

void collect(const Expr::Node& n, std::set<std::string>& out) {
  if (n.kind == Kind::variable) out.insert(n.name);
  for (const auto& a : n.args) collect(*a, out);
}

}  // namespace

Expr::Expr() : root_(std::make_shared<Node>()), text_("0") {}

Expr Expr::constant(int64_t value) {
  Expr e;
  auto n = std::make_shared<Node>();
  n->value = value;
  e.root_ = n;
  e.text_ = std::to_string(value);
  return e;
}

Expr Expr::parse(const std::string& text) {
  Expr e;
  e.root_ = Parser(text).parse_all();
  e.text_ = text;
  return e;
}

int64_t Expr::eval(const ExprEnv& env) const { return eval_node(*root_, env, text_); }

std::set<std::string> Expr::variables() const {
  std::set<std::string> out;
  collect(*root_, out);
  return out;
}

bool Expr::is_constant() const { return variables().empty(); }

StringTemplate StringTemplate::parse(const std::string& text) {
  StringTemplate t;
  t.text_ = text;
  std::string literal;
  for (size_t i = 0; i < text.size(); ++i) {
    if (text[i] == '}') throw ExprError("template \"" + text + "\": '}' without '{'");
    if (text[i] != '{') {
      literal += text[i];
      continue;
    }
    const size_t close = text.find('}', i + 1);
    if (close == std::string::npos) throw ExprError("template \"" + text + "\": '{' without '}'");
    if (!literal.empty()) t.parts_.push_back({std::move(literal), std::nullopt});
    literal.clear();
    t.parts_.push_back({"", Expr::parse(text.substr(i + 1, close - i - 1))});
    i = close;
  }
  if (!literal.empty()) t.parts_.push_back({std::move(literal), std::nullopt});
  return t;
}

std::string StringTemplate::render(const ExprEnv& env) const {
  std::string out;
  for (const auto& p : parts_) out += p.expr ? std::to_string(p.expr->eval(env)) : p.literal;
  return out;
}

std::set<std::string> StringTemplate::variables() const {
  std::set<std::string> out;
  for (const auto& p : parts_)
    if (p.expr) out.merge(p.expr->variables());
  return out;
}

}  // namespace cts::cases
