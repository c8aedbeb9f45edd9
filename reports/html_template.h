// The page template of the HTML report (reports/templates/report.html, embedded at build time)
// and the slot filler: "{{name}}" in the template is replaced by the fragment given for `name`.
// Fragments are inserted as they are (they are already-escaped HTML) and never re-scanned, so a
// device string that reads "{{css}}" stays text.
#pragma once

#include <map>
#include <optional>
#include <string>
#include <string_view>

namespace cts::reports {

// Errors (a slot without a fragment, a fragment without a slot, an unclosed "{{") name the slot;
// they are mistakes in this program, caught by the tests, never caused by a results document.
std::optional<std::string> fill_template(std::string_view tpl, const std::map<std::string, std::string>& fragments,
                                         std::string& error);

// The embedded templates.
std::string_view report_page_template();  // report.html, with slots {{css}} and {{js}} among others
std::string_view report_stylesheet();     // report.css
std::string_view report_script();         // report.js

}  // namespace cts::reports
