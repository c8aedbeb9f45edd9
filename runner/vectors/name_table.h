// Two-way lookup in a constant table of enumerators and their names in the vector files
// ("bad-icv", "esp-packet", ...): one table per enumeration, no second copy of the names.
#pragma once

#include <cstddef>
#include <string_view>

namespace cts::vectors {

template <typename E>
struct NamedValue {
  E value;
  const char* name;
};

template <typename E, size_t N>
const char* name_of(const NamedValue<E> (&table)[N], E value) {
  for (const auto& entry : table)
    if (entry.value == value) return entry.name;
  return "unknown";
}

// False, `out` untouched, for a name the table does not hold.
template <typename E, size_t N>
bool value_of(const NamedValue<E> (&table)[N], std::string_view name, E& out) {
  for (const auto& entry : table)
    if (name == entry.name) {
      out = entry.value;
      return true;
    }
  return false;
}

}  // namespace cts::vectors
