// Escaping for the views. Every string a report shows may come from a device under test, which
// can answer anything: markup, quotes, control characters, bytes that are not UTF-8. The views
// pass every such string through one of these functions; none of them ever fails.
//
// All outputs are valid UTF-8 (ill-formed sequences become U+FFFD, one per maximal subpart as
// Unicode 15 §3.9 recommends) and contain no character XML 1.0 §2.2 forbids: C0 controls other
// than TAB, LF and CR, and U+FFFE / U+FFFF are shown visibly as "\u0001" ... "\uFFFF". DEL and the
// C1 controls (U+007F..U+009F), allowed in XML but parse errors in HTML (HTML §13.2.5), are shown
// the same way, so a reader sees that the device sent them.
#pragma once

#include <string>
#include <string_view>

namespace cts::reports {

// Valid UTF-8 with the characters above made visible; no markup escaping.
std::string printable_text(std::string_view in);

// For HTML text and double- or single-quoted attribute values: & < > " ' escaped.
std::string html_escape(std::string_view in);

// For XML character data: & < > escaped (">" too, so "]]>" can never appear).
std::string xml_text(std::string_view in);

// For XML attribute values in double quotes: & < > " ' escaped, and TAB, LF, CR written as
// character references so attribute-value normalisation (XML 1.0 §3.3.3) keeps them.
std::string xml_attribute(std::string_view in);

// A URL fragment: unreserved characters (RFC 3986 §2.3) kept, every other byte percent-encoded.
std::string url_fragment(std::string_view in);

}  // namespace cts::reports
