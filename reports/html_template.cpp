#include "reports/html_template.h"

#include <set>

#include "reports/template_report_css.h"
#include "reports/template_report_html.h"
#include "reports/template_report_js.h"

namespace cts::reports {

std::optional<std::string> fill_template(std::string_view tpl, const std::map<std::string, std::string>& fragments,
                                         std::string& error) {
  std::string out;
  out.reserve(tpl.size());
  std::set<std::string> used;
  size_t pos = 0;
  while (pos < tpl.size()) {
    const size_t open = tpl.find("{{", pos);
    if (open == std::string_view::npos) {
      out.append(tpl.substr(pos));
      break;
    }
    out.append(tpl.substr(pos, open - pos));
    const size_t close = tpl.find("}}", open + 2);
    if (close == std::string_view::npos) {
      error = "template: unclosed \"{{\" at byte " + std::to_string(open);
      return std::nullopt;
    }
    const std::string name(tpl.substr(open + 2, close - open - 2));
    auto it = fragments.find(name);
    if (it == fragments.end()) {
      error = "template: no fragment for slot {{" + name + "}}";
      return std::nullopt;
    }
    out += it->second;
    used.insert(name);
    pos = close + 2;
  }
  for (const auto& [name, fragment] : fragments) {
    if (!used.count(name)) {
      error = "template: fragment \"" + name + "\" has no slot";
      return std::nullopt;
    }
  }
  return out;
}

std::string_view report_page_template() { return templates::kTemplate_report_html; }
std::string_view report_stylesheet() { return templates::kTemplate_report_css; }
std::string_view report_script() { return templates::kTemplate_report_js; }

}  // namespace cts::reports
