#include "runner/results/requirement_catalogue.h"

#include <algorithm>
#include <cctype>

#include <nlohmann/json.hpp>

#include <fstream>
#include <sstream>

#include "runner/json/json_text.h"
#include "runner/results/results_json.h"

namespace cts::results {
namespace {

struct CatalogueError {
  std::string path;
  std::string message;
};

const nlohmann::json& member(const nlohmann::json& o, const std::string& path, const char* key) {
  auto it = o.find(key);
  if (it == o.end()) throw CatalogueError{path, std::string("missing \"") + key + "\""};
  return *it;
}

std::string string_member(const nlohmann::json& o, const std::string& path, const char* key) {
  const nlohmann::json& v = member(o, path, key);
  if (!v.is_string()) throw CatalogueError{strict::path_member(path, key), "expected a string"};
  return v.get<std::string>();
}

// "spec/ndis-ipsecov2.md" -> "ndis-ipsecov2.md": requirements name their document by file name.
std::string base_name(const std::string& path) {
  const auto slash = path.find_last_of('/');
  return slash == std::string::npos ? path : path.substr(slash + 1);
}

}  // namespace

std::optional<RequirementCatalogue> RequirementCatalogue::load(const std::string& path, std::string& error) {
  std::string text;
  if (!strict::read_text_file(path, text, error, "requirement catalogue")) return std::nullopt;
  return parse(text, path, error);
}

std::optional<RequirementCatalogue> RequirementCatalogue::parse(const std::string& text, const std::string& origin,
                                                                std::string& error) {
  auto doc = strict::parse_text(text, origin, error);
  if (!doc) return std::nullopt;
  return from_document(*doc, origin, error);
}

std::optional<RequirementCatalogue> RequirementCatalogue::from_document(const nlohmann::json& doc,
                                                                        const std::string& origin,
                                                                        std::string& error) {
  try {
    if (!doc.is_object()) throw CatalogueError{"$", "expected an object"};
    const nlohmann::json& version = member(doc, "$", "schema_version");
    if (!version.is_number_integer()) throw CatalogueError{"$.schema_version", "expected an integer"};
    if (version.get<int64_t>() != 1)
      throw CatalogueError{"$.schema_version", "unsupported " + version.dump() + " (this version reads 1)"};
    RequirementCatalogue cat;
    const nlohmann::json& documents = member(doc, "$", "documents");
    if (!documents.is_array()) throw CatalogueError{"$.documents", "expected an array"};
    for (size_t i = 0; i < documents.size(); ++i) {
      const std::string p = strict::path_index("$.documents", i);
      if (!documents[i].is_object()) throw CatalogueError{p, "expected an object"};
      cat.documents_.push_back(base_name(string_member(documents[i], p, "file")));
    }
    const nlohmann::json& reqs = member(doc, "$", "requirements");
    if (!reqs.is_object()) throw CatalogueError{"$.requirements", "expected an object"};
    for (auto it = reqs.begin(); it != reqs.end(); ++it) {
      const std::string p = strict::path_member("$.requirements", it.key());
      if (!it->is_object()) throw CatalogueError{p, "expected an object"};
      Requirement r;
      r.id = it.key();
      r.strength = string_member(*it, p, "strength");
      r.text = string_member(*it, p, "text");
      r.source = it->contains("source") ? string_member(*it, p, "source") : std::string();
      r.document = string_member(*it, p, "document");
      if (std::find(cat.documents_.begin(), cat.documents_.end(), r.document) == cat.documents_.end())
        cat.documents_.push_back(r.document);  // listed after the declared ones
      cat.ordered_.push_back(std::move(r));
    }
    auto doc_rank = [&](const std::string& d) {
      return std::find(cat.documents_.begin(), cat.documents_.end(), d) - cat.documents_.begin();
    };
    std::stable_sort(cat.ordered_.begin(), cat.ordered_.end(), [&](const Requirement& a, const Requirement& b) {
      const auto ra = doc_rank(a.document), rb = doc_rank(b.document);
      return ra != rb ? ra < rb : a.id < b.id;
    });
    for (size_t i = 0; i < cat.ordered_.size(); ++i) cat.index_[cat.ordered_[i].id] = i;
    return cat;
  } catch (const CatalogueError& e) {
    error = origin + ": " + e.path + ": " + e.message;
  }
  return std::nullopt;
}

bool device_side(const Requirement& r) {
  std::string s = r.strength;
  for (auto& ch : s) ch = static_cast<char>(std::tolower(static_cast<unsigned char>(ch)));
  if (s.find("(transport)") != std::string::npos) return false;
  return s.find("must") != std::string::npos || s.find("should") != std::string::npos ||
         s.find("implied") != std::string::npos;
}

const Requirement* RequirementCatalogue::find(const std::string& id) const {
  auto it = index_.find(id);
  return it == index_.end() ? nullptr : &ordered_[it->second];
}

}  // namespace cts::results
