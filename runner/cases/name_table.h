// One table of names per closed set of values in the case model. The loader turns a name into
// its enum through the table, the runner turns an enum back into the name a person reads, and
// an error lists the accepted names in table order, so a value added to a set is added once.
#pragma once

#include <array>
#include <cstddef>
#include <optional>
#include <string>
#include <string_view>

namespace cts::cases {

template <typename E>
struct NamedValue {
  E value;
  std::string_view name;
};

template <typename E, size_t N>
class NameTable {
 public:
  constexpr explicit NameTable(std::array<NamedValue<E>, N> entries) : entries_(entries) {}

  std::optional<E> find(std::string_view name) const {
    for (const auto& e : entries_)
      if (e.name == name) return e.value;
    return std::nullopt;
  }

  // The name of a value; empty for a value the table does not list (a sentinel such as "none").
  std::string_view name(E value) const {
    for (const auto& e : entries_)
      if (e.value == value) return e.name;
    return {};
  }

  // "a, b, c": the accepted names, for an error message.
  std::string list(std::string_view separator = ", ") const {
    std::string out;
    for (const auto& e : entries_) {
      if (!out.empty()) out += separator;
      out += e.name;
    }
    return out;
  }

  // "\"a\", \"b\" or \"c\"": the accepted names quoted, for "x must be ..." messages.
  std::string quoted_alternatives() const {
    std::string out;
    for (size_t i = 0; i < N; ++i) {
      if (i > 0) out += i + 1 == N ? " or " : ", ";
      out += "\"" + std::string(entries_[i].name) + "\"";
    }
    return out;
  }

  const std::array<NamedValue<E>, N>& entries() const { return entries_; }

 private:
  std::array<NamedValue<E>, N> entries_;
};

}  // namespace cts::cases
