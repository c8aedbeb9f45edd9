// The requirement catalogue as the reports read it (cases/requirements.json, built from the
// catalogues of the specification documents): every requirement with its strength and text, in
// document order, so a coverage table can list each one, including those no case cites.
// One reader for the lint (unknown requirement ids), the runner and the views.
#pragma once

#include <map>
#include <optional>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

namespace cts::results {

struct Requirement {
  std::string id;        // "ADD-006"
  std::string strength;  // "MUST", "SHOULD", "MAY", "implied", "MUST (transport)", ...
  std::string text;
  std::string source;    // the clause tags of the spec ("[ADD-OID]")
  std::string document;  // "ndis-ipsecov2.md"
};

// A requirement on the device (MUST, SHOULD or implied, not one on the transport alone): what
// the coverage figure counts against.
bool device_side(const Requirement& r);

class RequirementCatalogue {
 public:
  // Errors: "<path>: cannot open", "<path>: not valid JSON: ...", "<path>: $.requirements[\"X\"].text:
  // expected a string", "<path>: $.schema_version: unsupported 2 (this version reads 1)".
  static std::optional<RequirementCatalogue> load(const std::string& path, std::string& error);
  static std::optional<RequirementCatalogue> parse(const std::string& text, const std::string& origin,
                                                   std::string& error);
  static std::optional<RequirementCatalogue> from_document(const nlohmann::json& doc, const std::string& origin,
                                                           std::string& error);

  const Requirement* find(const std::string& id) const;
  // Grouped by document in the order of the catalogue's "documents" list, then by id.
  const std::vector<Requirement>& requirements() const { return ordered_; }
  // The documents in catalogue order ("ndis-ipsecov2.md", ...).
  const std::vector<std::string>& documents() const { return documents_; }
  size_t size() const { return ordered_.size(); }

 private:
  std::vector<Requirement> ordered_;
  std::vector<std::string> documents_;
  std::map<std::string, size_t> index_;
};

}  // namespace cts::results
