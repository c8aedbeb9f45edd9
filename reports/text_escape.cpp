#include "reports/text_escape.h"

#include <cstdint>
#include <cstdio>

namespace cts::reports {
namespace {

constexpr uint32_t kReplacement = 0xFFFD;

// Decodes one code point at `in[i]`; advances `i` past it, or past the maximal subpart of an
// ill-formed sequence (then returns U+FFFD). Ranges from Unicode 15 Table 3-7.
uint32_t next_code_point(std::string_view in, size_t& i) {
  const auto byte = [&](size_t k) { return static_cast<uint8_t>(in[k]); };
  const uint8_t b0 = byte(i);
  if (b0 < 0x80) {
    ++i;
    return b0;
  }
  size_t need = 0;
  uint8_t lo = 0x80, hi = 0xBF;  // allowed range of the second byte
  uint32_t cp = 0;
  if (b0 >= 0xC2 && b0 <= 0xDF) {
    need = 1;
    cp = b0 & 0x1Fu;
  } else if (b0 >= 0xE0 && b0 <= 0xEF) {
    need = 2;
    cp = b0 & 0x0Fu;
    if (b0 == 0xE0) lo = 0xA0;  // no overlong forms
    if (b0 == 0xED) hi = 0x9F;  // no surrogates
  } else if (b0 >= 0xF0 && b0 <= 0xF4) {
    need = 3;
    cp = b0 & 0x07u;
    if (b0 == 0xF0) lo = 0x90;  // no overlong forms
    if (b0 == 0xF4) hi = 0x8F;  // nothing above U+10FFFF
  } else {
    ++i;  // a continuation byte without a lead, or C0, C1, F5..FF
    return kReplacement;
  }
  size_t k = i + 1;
  for (size_t n = 0; n < need; ++n, ++k) {
    const uint8_t first_lo = n == 0 ? lo : 0x80;
    const uint8_t first_hi = n == 0 ? hi : 0xBF;
    if (k >= in.size() || byte(k) < first_lo || byte(k) > first_hi) {
      i = k;  // the maximal subpart ends before the offending byte
      return kReplacement;
    }
    cp = (cp << 6) | (byte(k) & 0x3Fu);
  }
  i = k;
  return cp;
}

void append_utf8(std::string& out, uint32_t cp) {
  if (cp < 0x80) {
    out += static_cast<char>(cp);
  } else if (cp < 0x800) {
    out += static_cast<char>(0xC0 | (cp >> 6));
    out += static_cast<char>(0x80 | (cp & 0x3F));
  } else if (cp < 0x10000) {
    out += static_cast<char>(0xE0 | (cp >> 12));
    out += static_cast<char>(0x80 | ((cp >> 6) & 0x3F));
    out += static_cast<char>(0x80 | (cp & 0x3F));
  } else {
    out += static_cast<char>(0xF0 | (cp >> 18));
    out += static_cast<char>(0x80 | ((cp >> 12) & 0x3F));
    out += static_cast<char>(0x80 | ((cp >> 6) & 0x3F));
    out += static_cast<char>(0x80 | (cp & 0x3F));
  }
}

bool must_be_shown_as_escape(uint32_t cp) {
  if (cp < 0x20) return cp != '\t' && cp != '\n' && cp != '\r';
  if (cp >= 0x7F && cp <= 0x9F) return true;
  return cp == 0xFFFE || cp == 0xFFFF;
}

void append_visible_escape(std::string& out, uint32_t cp) {
  char buf[8];
  std::snprintf(buf, sizeof buf, "\\u%04X", static_cast<unsigned>(cp));
  out += buf;
}

enum class Markup { none, html, xml_text, xml_attribute };

std::string transform(std::string_view in, Markup markup) {
  std::string out;
  out.reserve(in.size() + in.size() / 8);
  size_t i = 0;
  while (i < in.size()) {
    const uint32_t cp = next_code_point(in, i);
    if (must_be_shown_as_escape(cp)) {
      append_visible_escape(out, cp);
      continue;
    }
    if (markup != Markup::none) {
      switch (cp) {
        case '&': out += "&amp;"; continue;
        case '<': out += "&lt;"; continue;
        case '>': out += "&gt;"; continue;
        default: break;
      }
    }
    if (markup == Markup::html || markup == Markup::xml_attribute) {
      if (cp == '"') {
        out += "&quot;";
        continue;
      }
      if (cp == '\'') {
        out += "&#39;";
        continue;
      }
    }
    if (markup == Markup::xml_attribute) {
      if (cp == '\t') {
        out += "&#9;";
        continue;
      }
      if (cp == '\n') {
        out += "&#10;";
        continue;
      }
      if (cp == '\r') {
        out += "&#13;";
        continue;
      }
    }
    append_utf8(out, cp);
  }
  return out;
}

}  // namespace

std::string printable_text(std::string_view in) { return transform(in, Markup::none); }
std::string html_escape(std::string_view in) { return transform(in, Markup::html); }
std::string xml_text(std::string_view in) { return transform(in, Markup::xml_text); }
std::string xml_attribute(std::string_view in) { return transform(in, Markup::xml_attribute); }

std::string url_fragment(std::string_view in) {
  static const char* digits = "0123456789ABCDEF";
  std::string out;
  for (char ch : in) {
    const auto c = static_cast<unsigned char>(ch);
    const bool unreserved = (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') ||
                            c == '-' || c == '.' || c == '_' || c == '~';
    if (unreserved) {
      out += static_cast<char>(c);
    } else {
      out += '%';
      out += digits[c >> 4];
      out += digits[c & 15];
    }
  }
  return out;
}

}  // namespace cts::reports
