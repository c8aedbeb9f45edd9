// The requirement catalogue as data (cases/requirements.json, built by
// scripts/build_requirements.py from the catalogues of the specification documents).
#pragma once

#include <map>
#include <optional>
#include <string>

namespace cts::cases {

struct Requirement {
  std::string id;        // "ADD-006"
  std::string text;
  std::string strength;  // "MUST", "SHOULD", "MAY", "implied", ...
  std::string source;
  std::string document;  // "ndis-ipsecov2.md"
};

class RequirementCatalogue {
 public:
  // Errors name the file and what is wrong; the catalogue is left empty then.
  static std::optional<RequirementCatalogue> load(const std::string& path, std::string& error);
  static std::optional<RequirementCatalogue> parse(const std::string& text, const std::string& origin,
                                                   std::string& error);

  const Requirement* find(const std::string& id) const;
  size_t size() const { return by_id_.size(); }
  const std::map<std::string, Requirement>& all() const { return by_id_; }

 private:
  std::map<std::string, Requirement> by_id_;
};

}  // namespace cts::cases
