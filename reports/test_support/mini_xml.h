// A small, strict XML reader for the tests of the views: well-formedness as XML 1.0 defines it
// for the subset the views write (elements, attributes in quotes, character and the five
// predefined entity references, comments, a prolog, a doctype), plus an HTML mode in which
// <script> and <style> hold raw text and void elements may omit "/>". It rejects what a
// hostile string could smuggle in: a stray "<" or "&", an unbalanced or misnested tag, a
// duplicate attribute, a character XML forbids, bytes that are not UTF-8.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace cts::reports::testing {

struct XmlNode {
  std::string name;
  std::vector<std::pair<std::string, std::string>> attributes;  // decoded values
  std::vector<XmlNode> children;
  std::string text;  // decoded character data directly inside (all runs concatenated)

  const std::string* attribute(std::string_view n) const {
    for (const auto& [k, v] : attributes)
      if (k == n) return &v;
    return nullptr;
  }
  // Depth-first, self included.
  template <typename F>
  void visit(F&& f) const {
    f(*this);
    for (const auto& c : children) c.visit(f);
  }
  std::vector<const XmlNode*> find_all(std::string_view n) const {
    std::vector<const XmlNode*> out;
    visit([&](const XmlNode& x) {
      if (x.name == n) out.push_back(&x);
    });
    return out;
  }
  std::vector<const XmlNode*> children_named(std::string_view n) const {
    std::vector<const XmlNode*> out;
    for (const auto& c : children)
      if (c.name == n) out.push_back(&c);
    return out;
  }
};

class MiniXml {
 public:
  MiniXml(std::string_view doc, bool html) : s_(doc), html_(html) {}

  std::optional<XmlNode> parse(std::string& error) {
    try {
      check_characters();
      skip_prolog();
      XmlNode root = element();
      skip_misc();
      if (p_ != s_.size()) fail("content after the root element");
      return root;
    } catch (const Failure& f) {
      error = f.message + " at byte " + std::to_string(f.at);
    }
    return std::nullopt;
  }

 private:
  struct Failure {
    std::string message;
    size_t at;
  };
  [[noreturn]] void fail(const std::string& m) const { throw Failure{m, p_}; }

  bool starts(std::string_view t) const { return s_.substr(p_, t.size()) == t; }
  void expect(std::string_view t) {
    if (!starts(t)) fail("expected \"" + std::string(t) + "\"");
    p_ += t.size();
  }
  static bool space(char c) { return c == ' ' || c == '\t' || c == '\n' || c == '\r'; }
  void skip_space() {
    while (p_ < s_.size() && space(s_[p_])) ++p_;
  }
  static bool name_char(char c) {
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '-' || c == '_' ||
           c == ':' || c == '.';
  }
  std::string name() {
    const size_t b = p_;
    while (p_ < s_.size() && name_char(s_[p_])) ++p_;
    if (b == p_) fail("expected a name");
    return std::string(s_.substr(b, p_ - b));
  }

  // XML 1.0 §2.2 Char, on the whole document, and UTF-8 well-formedness.
  void check_characters() {
    for (size_t i = 0; i < s_.size();) {
      const auto b = static_cast<uint8_t>(s_[i]);
      uint32_t cp = 0;
      size_t n = 0;
      if (b < 0x80) {
        cp = b;
        n = 1;
      } else if ((b & 0xE0) == 0xC0 && b >= 0xC2) {
        cp = b & 0x1Fu;
        n = 2;
      } else if ((b & 0xF0) == 0xE0) {
        cp = b & 0x0Fu;
        n = 3;
      } else if ((b & 0xF8) == 0xF0 && b <= 0xF4) {
        cp = b & 0x07u;
        n = 4;
      } else {
        p_ = i;
        fail("byte that is not UTF-8");
      }
      for (size_t k = 1; k < n; ++k) {
        if (i + k >= s_.size() || (static_cast<uint8_t>(s_[i + k]) & 0xC0) != 0x80) {
          p_ = i;
          fail("truncated UTF-8 sequence");
        }
        cp = (cp << 6) | (static_cast<uint8_t>(s_[i + k]) & 0x3Fu);
      }
      const bool overlong = (n == 3 && cp < 0x800) || (n == 4 && cp < 0x10000);
      const bool allowed = cp == 0x9 || cp == 0xA || cp == 0xD || (cp >= 0x20 && cp <= 0xD7FF) ||
                           (cp >= 0xE000 && cp <= 0xFFFD) || (cp >= 0x10000 && cp <= 0x10FFFF);
      if (overlong || !allowed) {
        p_ = i;
        fail("character not allowed in XML 1.0 (U+" + std::to_string(cp) + ")");
      }
      if (html_ && ((cp >= 0x7F && cp <= 0x9F) || cp == 0xFFFE || cp == 0xFFFF)) {
        p_ = i;
        fail("control character in HTML");
      }
      i += n;
    }
  }

  void skip_comment() {
    expect("<!--");
    const size_t e = s_.find("-->", p_);
    if (e == std::string_view::npos) fail("unclosed comment");
    p_ = e + 3;
  }
  void skip_misc() {
    for (;;) {
      skip_space();
      if (starts("<!--")) skip_comment();
      else return;
    }
  }
  void skip_prolog() {
    if (starts("<?xml")) {
      const size_t e = s_.find("?>", p_);
      if (e == std::string_view::npos) fail("unclosed XML declaration");
      p_ = e + 2;
    }
    skip_misc();
    if (starts("<!DOCTYPE")) {
      const size_t e = s_.find('>', p_);
      if (e == std::string_view::npos) fail("unclosed doctype");
      p_ = e + 1;
    }
    skip_misc();
  }

  // One reference after '&'; appends its character.
  void reference(std::string& out) {
    expect("&");
    const size_t semi = s_.find(';', p_);
    if (semi == std::string_view::npos || semi - p_ > 10) fail("\"&\" that starts no reference");
    const std::string_view ref = s_.substr(p_, semi - p_);
    p_ = semi + 1;
    if (ref == "amp") out += '&';
    else if (ref == "lt") out += '<';
    else if (ref == "gt") out += '>';
    else if (ref == "quot") out += '"';
    else if (ref == "apos") out += '\'';
    else if (ref.size() > 1 && ref[0] == '#') {
      uint32_t cp = 0;
      const bool hex = ref[1] == 'x';
      for (size_t i = hex ? 2 : 1; i < ref.size(); ++i) {
        const char c = ref[i];
        uint32_t d;
        if (c >= '0' && c <= '9') d = static_cast<uint32_t>(c - '0');
        else if (hex && c >= 'a' && c <= 'f') d = static_cast<uint32_t>(c - 'a' + 10);
        else if (hex && c >= 'A' && c <= 'F') d = static_cast<uint32_t>(c - 'A' + 10);
        else fail("bad character reference");
        cp = cp * (hex ? 16 : 10) + d;
      }
      const bool allowed = cp == 0x9 || cp == 0xA || cp == 0xD || (cp >= 0x20 && cp <= 0xD7FF) ||
                           (cp >= 0xE000 && cp <= 0xFFFD) || (cp >= 0x10000 && cp <= 0x10FFFF);
      if (!allowed) fail("character reference to a character XML forbids");
      if (cp < 0x80) out += static_cast<char>(cp);
      else if (cp < 0x800) {
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
    } else {
      fail("unknown entity &" + std::string(ref) + ";");
    }
  }

  static bool is_void(const std::string& n) {
    return n == "meta" || n == "input" || n == "br" || n == "img" || n == "link" || n == "hr" || n == "col";
  }

  XmlNode element() {
    expect("<");
    XmlNode node;
    node.name = name();
    for (;;) {
      const bool had_space = p_ < s_.size() && space(s_[p_]);
      skip_space();
      if (starts("/>")) {
        p_ += 2;
        return node;
      }
      if (starts(">")) {
        ++p_;
        break;
      }
      if (!had_space) fail("expected whitespace before an attribute");
      const std::string key = name();
      if (node.attribute(key)) fail("duplicate attribute " + key);
      skip_space();
      expect("=");
      skip_space();
      if (p_ >= s_.size() || (s_[p_] != '"' && s_[p_] != '\'')) fail("attribute value not in quotes");
      const char q = s_[p_++];
      std::string value;
      while (p_ < s_.size() && s_[p_] != q) {
        if (s_[p_] == '<') fail("\"<\" in an attribute value");
        if (s_[p_] == '&') reference(value);
        else value += s_[p_++];
      }
      expect(std::string_view(&q, 1));
      node.attributes.emplace_back(key, std::move(value));
    }
    if (html_ && is_void(node.name)) return node;
    if (html_ && (node.name == "script" || node.name == "style")) {
      const std::string close = "</" + node.name;
      const size_t e = s_.find(close, p_);
      if (e == std::string_view::npos) fail("unclosed <" + node.name + ">");
      node.text = std::string(s_.substr(p_, e - p_));
      p_ = e + close.size();
      skip_space();
      expect(">");
      return node;
    }
    for (;;) {
      if (p_ >= s_.size()) fail("unclosed <" + node.name + ">");
      if (starts("</")) {
        p_ += 2;
        const std::string end = name();
        if (end != node.name) fail("</" + end + "> closes <" + node.name + ">");
        skip_space();
        expect(">");
        return node;
      }
      if (starts("<!--")) {
        skip_comment();
        continue;
      }
      if (starts("<![CDATA[")) fail("CDATA section (the views never write one)");
      if (starts("<")) {
        node.children.push_back(element());
        continue;
      }
      if (s_[p_] == '&') {
        reference(node.text);
        continue;
      }
      if (starts("]]>")) fail("\"]]>\" in character data");
      node.text += s_[p_++];
    }
  }

  std::string_view s_;
  size_t p_ = 0;
  bool html_;
};

inline std::optional<XmlNode> parse_xml(std::string_view doc, std::string& error) {
  return MiniXml(doc, false).parse(error);
}
inline std::optional<XmlNode> parse_html(std::string_view doc, std::string& error) {
  return MiniXml(doc, true).parse(error);
}

}  // namespace cts::reports::testing
