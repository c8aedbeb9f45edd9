#include "runner/results/key_redaction.h"

#include <algorithm>
#include <cstring>

namespace cts::results {
namespace {

int hex_value(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

// The byte the two hex digits at `at` spell, or -1.
int byte_at(const std::string& text, size_t at) {
  if (at + 1 >= text.size()) return -1;
  const int hi = hex_value(text[at]), lo = hex_value(text[at + 1]);
  return hi < 0 || lo < 0 ? -1 : hi * 16 + lo;
}

// A buffer as the runner writes it: hex digits, perhaps cut short with "...(N bytes)".
bool is_hex_buffer(const std::string& text) {
  const size_t cut = text.find("...(");
  const size_t end = cut == std::string::npos ? text.size() : cut;
  if (end == 0) return false;
  for (size_t i = 0; i < end; ++i)
    if (hex_value(text[i]) < 0) return false;
  return true;
}

}  // namespace

std::span<const uint8_t> KeyRedactor::key(size_t i) const {
  return {bytes_.data() + offsets_[i].first, offsets_[i].second};
}

void KeyRedactor::add(std::span<const uint8_t> k) { add_in_context(k, 0, k.size()); }

void KeyRedactor::add_in_context(std::span<const uint8_t> k, size_t key_at, size_t key_length) {
  if (k.size() < kMinRedactedKeyBytes || key_length == 0 || key_at > k.size() || key_length > k.size() - key_at)
    return;
  const uint32_t prefix = uint32_t{k[0]} << 24 | uint32_t{k[1]} << 16 | uint32_t{k[2]} << 8 | k[3];
  const auto [first, last] = by_prefix_.equal_range(prefix);
  for (auto it = first; it != last; ++it) {
    const auto known = key(it->second);
    if (known.size() == k.size() && std::equal(known.begin(), known.end(), k.begin()) &&
        secret_[it->second] == std::pair<uint32_t, uint32_t>(static_cast<uint32_t>(key_at), static_cast<uint32_t>(key_length)))
      return;
  }
  by_prefix_.emplace(prefix, static_cast<uint32_t>(offsets_.size()));
  offsets_.emplace_back(static_cast<uint32_t>(bytes_.size()), static_cast<uint32_t>(k.size()));
  secret_.emplace_back(static_cast<uint32_t>(key_at), static_cast<uint32_t>(key_length));
  bytes_.insert(bytes_.end(), k.begin(), k.end());
}

size_t KeyRedactor::redact(std::string& text) const {
  if (offsets_.empty() || text.size() < 2 * kMinRedactedKeyBytes) return 0;
  static const std::string kMark = "[key redacted]";
  const bool buffer = is_hex_buffer(text);
  size_t count = 0;
  size_t at = 0;
  while (at + 2 * kMinRedactedKeyBytes <= text.size()) {
    uint32_t prefix = 0;
    bool hex = true;
    for (size_t b = 0; b < 4 && hex; ++b) {
      const int v = byte_at(text, at + 2 * b);
      hex = v >= 0;
      prefix = prefix << 8 | static_cast<uint32_t>(v < 0 ? 0 : v);
    }
    size_t matched = 0;  // hex digits of the longest key found at `at`
    std::pair<uint32_t, uint32_t> secret;  // the part of it to redact, in bytes
    if (hex) {
      const auto [first, last] = by_prefix_.equal_range(prefix);
      for (auto it = first; it != last; ++it) {
        const auto k = key(it->second);
        if (2 * k.size() <= matched || at + 2 * k.size() > text.size()) continue;
        size_t i = 4;
        while (i < k.size() && byte_at(text, at + 2 * i) == k[i]) ++i;
        if (i == k.size()) {
          matched = 2 * k.size();
          secret = secret_[it->second];
        }
      }
    }
    if (matched == 0) {
      at += buffer ? 2 : 1;  // a buffer's bytes sit on even digits
      continue;
    }
    ++count;
    const size_t from = at + 2 * size_t{secret.first}, digits = 2 * size_t{secret.second};
    if (buffer) {
      std::fill_n(text.begin() + static_cast<std::ptrdiff_t>(from), digits, '0');
      at += matched;
    } else {
      text.replace(from, digits, kMark);
      at += matched - digits + kMark.size();
    }
  }
  return count;
}

size_t KeyRedactor::redact_json(nlohmann::json& value) const {
  size_t count = 0;
  if (value.is_string()) {
    count += redact(value.get_ref<std::string&>());
  } else if (value.is_array() || value.is_object()) {
    for (auto& v : value) count += redact_json(v);
  }
  return count;
}

size_t KeyRedactor::redact(CaseResult& result) const {
  if (offsets_.empty()) return 0;
  size_t count = redact(result.error);
  for (Finding& f : result.findings)
    for (std::string* text : {&f.field, &f.expected, &f.actual, &f.detail}) count += redact(*text);
  // Through the step's JSON form: every text member, present and future, is searched.
  for (StepEvidence& step : result.evidence) {
    nlohmann::json doc = step_evidence_to_json(step);
    const size_t n = redact_json(doc);
    if (n == 0) continue;
    step = step_evidence_from_json(doc, "$.evidence");
    step.note += std::string(step.note.empty() ? "" : "; ") +
                 "SA keys zeroed in hex and marked in text (ipsec-cts run --show-keys keeps them)";
    count += n;
  }
  return count;
}

}  // namespace cts::results
