// The labels of one running case, by name. A capacity case adds a label per bundle of a device of
// a million and looks a handful of them up again; a node-based hash map spent a node, a string
// and a bucket (about 100 bytes) per label beside the state itself. Here the states live in
// chunks that never move (pointers to them stay valid while the table lives), the names in one
// character arena, and the index is a flat open-addressing array of state numbers.
//
// Labels are never removed (a case only ever learns them); adding a known name again returns its
// state for the caller to overwrite.
#pragma once

#include <cstddef>
#include <cstdint>
#include <deque>
#include <stdexcept>
#include <string>
#include <string_view>
#include <vector>

namespace cts::core {

template <typename State>
class LabelTable {
 public:
  State* find(std::string_view name) {
    const uint32_t n = lookup(name);
    return n ? &states_[n - 1] : nullptr;
  }
  const State* find(std::string_view name) const { return const_cast<LabelTable*>(this)->find(name); }

  // The state of `name`; value-initialized and `fresh` set when the name is new.
  State& emplace(std::string_view name, bool& fresh) {
    if (const uint32_t n = lookup(name)) {
      fresh = false;
      return states_[n - 1];
    }
    if ((states_.size() + 1) * 10 > slots_.size() * 7) rehash(slots_.empty() ? 64 : slots_.size() * 2);
    if (states_.size() >= UINT32_MAX - 1 || names_.size() + name.size() > UINT32_MAX)
      throw std::length_error("label table: too many labels");
    fresh = true;
    names_.append(name);
    name_ends_.push_back(static_cast<uint32_t>(names_.size()));
    states_.emplace_back();
    place(name, static_cast<uint32_t>(states_.size()));
    return states_.back();
  }

  // Makes room for `n` labels in all, so a fill of a million does not rehash twenty times.
  void reserve(size_t n) {
    size_t want = slots_.empty() ? 64 : slots_.size();
    while ((n + 1) * 10 > want * 7) want *= 2;
    if (want != slots_.size()) rehash(want);
    name_ends_.reserve(n);
  }

  size_t size() const { return states_.size(); }

  // Visits every label in the order it was first added: f(std::string_view name, const State&).
  template <typename F>
  void for_each(F&& f) const {
    for (size_t i = 0; i < states_.size(); ++i) f(name(static_cast<uint32_t>(i)), states_[i]);
  }

 private:
  std::string_view name(uint32_t i) const {
    const uint32_t begin = i == 0 ? 0 : name_ends_[i - 1];
    return std::string_view(names_).substr(begin, name_ends_[i] - begin);
  }
  static size_t hash(std::string_view s) { return std::hash<std::string_view>{}(s); }
  // The 1-based number of the state named `name`, 0 when there is none.
  uint32_t lookup(std::string_view s) const {
    if (slots_.empty()) return 0;
    const size_t mask = slots_.size() - 1;
    for (size_t i = hash(s) & mask;; i = (i + 1) & mask) {
      const uint32_t n = slots_[i];
      if (n == 0) return 0;
      if (name(n - 1) == s) return n;
    }
  }
  void place(std::string_view s, uint32_t n) {
    const size_t mask = slots_.size() - 1;
    size_t i = hash(s) & mask;
    while (slots_[i] != 0) i = (i + 1) & mask;
    slots_[i] = n;
  }
  void rehash(size_t capacity) {
    slots_.assign(capacity, 0);
    for (uint32_t n = 1; n <= states_.size(); ++n) place(name(n - 1), n);
  }

  std::deque<State> states_;
  std::string names_;                // every name, back to back
  std::vector<uint32_t> name_ends_;  // where name i ends in names_
  std::vector<uint32_t> slots_;      // power-of-two open addressing; 0 = free, else state number
};

}  // namespace cts::core
