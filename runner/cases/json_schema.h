// A validator for the subset of JSON Schema (draft 2020-12) that cases/schema/ uses, so that
// `ipsec-cts lint` checks case files against the committed schema without an external library.
//
// Keywords: type (string or list), properties, required, additionalProperties (bool or schema),
// propertyNames, items, minItems, maxItems, uniqueItems, enum, const, pattern, minLength,
// minimum, maximum, oneOf, anyOf, allOf, $ref ("#/$defs/name"), $defs; annotations ($schema,
// $id, $comment, title, description, examples, default) are ignored. Any other keyword in the
// schema is an error, so the schema cannot silently use something this validator ignores.
#pragma once

#include <map>
#include <regex>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

namespace cts::cases {

struct SchemaViolation {
  std::string path;  // JSON path in the instance ("$.cases[0].steps[1]")
  std::string message;
};

class JsonSchema {
 public:
  // Throws std::invalid_argument naming the schema path of an unsupported keyword or bad $ref.
  explicit JsonSchema(nlohmann::json schema);

  // Empty when the instance is valid.
  std::vector<SchemaViolation> validate(const nlohmann::json& instance) const;

 private:
  void check_schema(const nlohmann::json& s, const std::string& where);
  void validate_at(const nlohmann::json& s, const nlohmann::json& v, const std::string& path,
                   std::vector<SchemaViolation>& out, int depth) const;
  const nlohmann::json& resolve(const std::string& ref) const;

  nlohmann::json root_;
  // Every "pattern" of the schema, compiled once: compiling a std::regex per validated string
  // cost more than the rest of a case file's validation together.
  std::map<std::string, std::regex> patterns_;
};

}  // namespace cts::cases
