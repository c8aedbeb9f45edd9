#include "reports/views.h"

#include <filesystem>
#include <fstream>

#include "reports/html_report.h"
#include "runner/json/json_text.h"
#include "reports/junit_report.h"

namespace cts::reports {
namespace {

namespace fs = std::filesystem;

// `target` as seen from the folder holding `from_file` (both as given; relative when they share
// a root), so the views link to each other and to results.json wherever the folder is moved.
std::string link_from(const std::string& from_file, const std::string& target) {
  std::error_code ec;
  const fs::path base = fs::absolute(fs::path(from_file), ec).parent_path();
  const fs::path to = fs::absolute(fs::path(target), ec);
  if (ec) return target;
  const fs::path rel = to.lexically_normal().lexically_relative(base.lexically_normal());
  return rel.empty() ? target : rel.generic_string();
}

}  // namespace

bool write_view_files(const ResultsView& run, const RequirementCatalogue* catalogue, const ViewFiles& files,
                      std::string& error) {
  if (!files.html.empty()) {
    HtmlOptions options;
    options.results_link = link_from(files.html, run.origin);
    if (!files.junit.empty()) options.junit_link = link_from(files.html, files.junit);
    auto html = render_html(run, catalogue, options, error);
    if (!html || !write_file_atomically(files.html, *html, error)) return false;
  }
  if (!files.junit.empty()) {
    JunitOptions options;
    if (!files.html.empty()) options.html_report = link_from(files.junit, files.html);
    if (!write_file_atomically(files.junit, render_junit(run, catalogue, options), error)) return false;
  }
  return true;
}

bool write_views(const nlohmann::json& results, const RequirementCatalogue* catalogue, const std::string& out_dir,
                 std::string& error) {
  const std::string dir = out_dir.empty() ? std::string(".") : out_dir;
  const std::string results_path = (fs::path(dir) / "results.json").string();
  auto run = results_view_from_json(results, results_path, error);
  if (!run) return false;
  std::error_code ec;
  fs::create_directories(dir, ec);
  if (ec) {
    error = dir + ": cannot create the output directory: " + ec.message();
    return false;
  }
  return write_view_files(*run, catalogue, {(fs::path(dir) / "report.html").string(), (fs::path(dir) / "junit.xml").string()},
                          error);
}

bool write_views_beside(const std::string& results_path, const RequirementCatalogue* catalogue, std::string& error) {
  auto run = load_results_file(results_path, error);
  if (!run) return false;
  const fs::path dir = fs::path(results_path).parent_path();
  return write_view_files(*run, catalogue, {(dir / "report.html").string(), (dir / "junit.xml").string()}, error);
}

}  // namespace cts::reports
