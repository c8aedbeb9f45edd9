#include "runner/cases/requirement_coverage.h"

#include <algorithm>
#include <cctype>
#include <fstream>
#include <set>
#include <sstream>

#include <nlohmann/json.hpp>

namespace cts::cases {

namespace {

constexpr size_t kMinReason = 40;

}  // namespace

bool is_device_side(const Requirement& r) { return results::device_side(r); }

bool load_waivers(const std::string& path, WaiverFile& out, std::vector<std::string>& errors) {
  std::ifstream in(path, std::ios::binary);
  if (!in) {
    errors.push_back(path + ": cannot open the file");
    return false;
  }
  std::ostringstream ss;
  ss << in.rdbuf();
  nlohmann::json doc = nlohmann::json::parse(ss.str(), nullptr, false);
  const size_t before = errors.size();
  auto err = [&](const std::string& where, const std::string& what) { errors.push_back(path + ": " + where + ": " + what); };
  if (!doc.is_object()) {
    err("$", "not a JSON object");
    return false;
  }
  for (auto it = doc.begin(); it != doc.end(); ++it)
    if (it.key() != "format" && it.key() != "description" && it.key() != "categories" && it.key() != "uncovered")
      err("$." + it.key(), "unknown field");
  if (!doc.contains("format") || doc["format"] != 1) err("$.format", "must be 1");
  if (!doc.contains("description") || !doc["description"].is_string()) err("$.description", "a string is required");
  if (!doc.contains("categories") || !doc["categories"].is_object()) {
    err("$.categories", "an object of category -> explanation is required");
  } else {
    for (auto it = doc["categories"].begin(); it != doc["categories"].end(); ++it) {
      if (!it.value().is_string() || it.value().get<std::string>().size() < kMinReason)
        err("$.categories." + it.key(), "an explanation of at least 40 characters");
      else out.categories[it.key()] = it.value().get<std::string>();
    }
  }
  if (!doc.contains("uncovered") || !doc["uncovered"].is_array()) {
    err("$.uncovered", "an array is required");
  } else {
    std::set<std::string> seen;
    for (size_t i = 0; i < doc["uncovered"].size(); ++i) {
      const auto& w = doc["uncovered"][i];
      const std::string p = "$.uncovered[" + std::to_string(i) + "]";
      if (!w.is_object()) {
        err(p, "an object {id, category, reason}");
        continue;
      }
      for (auto it = w.begin(); it != w.end(); ++it)
        if (it.key() != "id" && it.key() != "category" && it.key() != "reason") err(p + "." + it.key(), "unknown field");
      Waiver x;
      if (w.contains("id") && w["id"].is_string()) x.id = w["id"].get<std::string>();
      else err(p + ".id", "a requirement ID is required");
      if (w.contains("category") && w["category"].is_string()) x.category = w["category"].get<std::string>();
      else err(p + ".category", "a category is required");
      if (w.contains("reason") && w["reason"].is_string()) x.reason = w["reason"].get<std::string>();
      if (x.reason.size() < kMinReason) err(p + ".reason", "a reason a reviewer can judge (at least 40 characters)");
      if (!x.category.empty() && !out.categories.count(x.category))
        err(p + ".category", "category \"" + x.category + "\" is not explained in $.categories");
      if (!x.id.empty() && !seen.insert(x.id).second) err(p + ".id", x.id + " listed twice");
      out.waivers.push_back(std::move(x));
    }
  }
  return errors.size() == before;
}

CoverageReport compute_coverage(const std::vector<CaseFile>& files, const RequirementCatalogue& catalogue,
                                const WaiverFile& waivers) {
  CoverageReport rep;
  for (const auto& f : files)
    for (const auto& c : f.cases)
      for (const auto& id : c.requirements) ++rep.cases_per_requirement[id];
  std::map<std::string, const Waiver*> waived;
  for (const auto& w : waivers.waivers) {
    if (!catalogue.find(w.id)) {
      rep.errors.push_back("uncovered.json: " + w.id + " is not in the requirement catalogue");
      continue;
    }
    waived[w.id] = &w;
  }
  std::map<std::string, FamilyCoverage> fams;
  std::map<std::string, const Requirement*> by_id;
  for (const auto& r : catalogue.requirements()) by_id[r.id] = &r;
  for (const auto& [id, rp] : by_id) {
    const Requirement& r = *rp;
    const std::string family = id.substr(0, id.find('-'));
    FamilyCoverage& fc = fams[family];
    fc.family = family;
    ++fc.total;
    ++rep.total;
    const bool cited = rep.cases_per_requirement.count(id) > 0;
    if (cited && waived.count(id))
      rep.warnings.push_back("uncovered.json lists " + id + ", which " +
                             std::to_string(rep.cases_per_requirement[id]) + " case(s) now cover: remove it");
    if (!is_device_side(r)) {
      fc.other_cited += cited ? 1 : 0;
      continue;
    }
    ++fc.device_side;
    ++rep.device_side;
    if (cited) {
      ++fc.covered;
      ++rep.covered;
    } else if (waived.count(id)) {
      ++fc.waived;
      ++rep.waived;
      ++rep.waived_by_category[waived[id]->category];
    } else {
      fc.missing.push_back(id);
      rep.errors.push_back(id + " (" + r.strength + ", " + r.document + "): covered by no case and not in "
                           "cases/uncovered.json: \"" + r.text + "\"");
    }
  }
  for (auto& [name, fc] : fams) rep.families.push_back(std::move(fc));
  return rep;
}

std::string format_coverage(const CoverageReport& rep) {
  std::ostringstream o;
  char line[200];
  std::snprintf(line, sizeof line, "%-8s %5s %7s %8s %7s %8s  %s\n", "family", "ids", "device", "covered", "waived",
                "missing", "coverage of device-side");
  o << line;
  for (const auto& f : rep.families) {
    const double pct = f.device_side ? 100.0 * static_cast<double>(f.covered) / static_cast<double>(f.device_side) : 100.0;
    std::snprintf(line, sizeof line, "%-8s %5zu %7zu %8zu %7zu %8zu  %5.1f%%", f.family.c_str(), f.total,
                  f.device_side, f.covered, f.waived, f.missing.size(), pct);
    o << line;
    if (!f.missing.empty()) {
      o << "  missing:";
      for (const auto& m : f.missing) o << " " << m;
    }
    o << "\n";
  }
  std::snprintf(line, sizeof line, "coverage: %zu of %zu device-side requirements covered by a case, %zu listed in "
                "uncovered.json, %zu missing; %zu catalogue IDs in all\n",
                rep.covered, rep.device_side, rep.waived, rep.device_side - rep.covered - rep.waived, rep.total);
  o << line;
  if (!rep.waived_by_category.empty()) {
    o << "waived by category:";
    for (const auto& [cat, n] : rep.waived_by_category) o << " " << cat << " " << n;
    o << "\n";
  }
  return o.str();
}

}  // namespace cts::cases
