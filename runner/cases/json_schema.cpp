#include "runner/cases/json_schema.h"

#include <regex>
#include <set>
#include <stdexcept>

namespace cts::cases {

namespace {
const std::set<std::string>& known_keywords() {
  static const std::set<std::string> k = {
      "type", "properties", "required", "additionalProperties", "propertyNames", "items",
      "minItems", "maxItems", "uniqueItems", "enum", "const", "pattern", "minLength", "minimum",
      "maximum", "oneOf", "anyOf", "allOf", "$ref", "$defs", "$schema", "$id", "$comment",
      "title", "description", "examples", "default"};
  return k;
}

bool has_type(const nlohmann::json& v, const std::string& t) {
  if (t == "object") return v.is_object();
  if (t == "array") return v.is_array();
  if (t == "string") return v.is_string();
  if (t == "integer") return v.is_number_integer();
  if (t == "number") return v.is_number();
  if (t == "boolean") return v.is_boolean();
  if (t == "null") return v.is_null();
  return false;
}
}  // namespace

JsonSchema::JsonSchema(nlohmann::json schema) : root_(std::move(schema)) { check_schema(root_, "#"); }

void JsonSchema::check_schema(const nlohmann::json& s, const std::string& where) {
  if (s.is_boolean()) return;
  if (!s.is_object()) throw std::invalid_argument(where + ": a schema must be an object or boolean");
  for (auto it = s.begin(); it != s.end(); ++it) {
    if (!known_keywords().count(it.key()))
      throw std::invalid_argument(where + ": unsupported keyword \"" + it.key() + "\"");
  }
  if (s.contains("$ref")) resolve(s["$ref"].get<std::string>());
  for (const char* k : {"properties", "$defs"})
    if (s.contains(k))
      for (auto it = s[k].begin(); it != s[k].end(); ++it)
        check_schema(it.value(), where + "/" + k + "/" + it.key());
  for (const char* k : {"items", "additionalProperties", "propertyNames"})
    if (s.contains(k)) check_schema(s[k], where + "/" + k);
  for (const char* k : {"oneOf", "anyOf", "allOf"})
    if (s.contains(k))
      for (size_t i = 0; i < s[k].size(); ++i) check_schema(s[k][i], where + "/" + k + "/" + std::to_string(i));
  if (s.contains("pattern")) {
    const std::string pattern = s["pattern"].get<std::string>();
    patterns_.emplace(pattern, std::regex(pattern));
  }
}

const nlohmann::json& JsonSchema::resolve(const std::string& ref) const {
  const std::string prefix = "#/$defs/";
  if (ref.rfind(prefix, 0) != 0) throw std::invalid_argument("$ref \"" + ref + "\": only #/$defs/ references");
  const std::string name = ref.substr(prefix.size());
  if (!root_.contains("$defs") || !root_["$defs"].contains(name))
    throw std::invalid_argument("$ref \"" + ref + "\" does not resolve");
  return root_["$defs"][name];
}

std::vector<SchemaViolation> JsonSchema::validate(const nlohmann::json& instance) const {
  std::vector<SchemaViolation> out;
  validate_at(root_, instance, "$", out, 0);
  return out;
}

void JsonSchema::validate_at(const nlohmann::json& s, const nlohmann::json& v, const std::string& path,
                             std::vector<SchemaViolation>& out, int depth) const {
  if (depth > 64) {
    out.push_back({path, "schema recursion too deep"});
    return;
  }
  if (s.is_boolean()) {
    if (!s.get<bool>()) out.push_back({path, "not allowed here"});
    return;
  }
  if (s.contains("$ref")) validate_at(resolve(s["$ref"].get<std::string>()), v, path, out, depth + 1);
  if (s.contains("type")) {
    bool ok = false;
    std::string names;
    if (s["type"].is_array()) {
      for (const auto& t : s["type"]) {
        ok = ok || has_type(v, t.get<std::string>());
        names += (names.empty() ? "" : " or ") + t.get<std::string>();
      }
    } else {
      ok = has_type(v, s["type"].get<std::string>());
      names = s["type"].get<std::string>();
    }
    if (!ok) {
      out.push_back({path, "expected " + names});
      return;  // other keywords would only repeat the type error
    }
  }
  if (s.contains("enum")) {
    bool found = false;
    for (const auto& e : s["enum"]) found = found || e == v;
    if (!found) out.push_back({path, "value " + v.dump() + " not one of " + s["enum"].dump()});
  }
  if (s.contains("const") && s["const"] != v)
    out.push_back({path, "value " + v.dump() + " must be " + s["const"].dump()});
  if (v.is_string()) {
    const std::string str = v.get<std::string>();
    if (s.contains("minLength") && str.size() < s["minLength"].get<size_t>())
      out.push_back({path, "string shorter than " + s["minLength"].dump()});
    if (s.contains("pattern") && !std::regex_search(str, patterns_.at(s["pattern"].get<std::string>())))
      out.push_back({path, "\"" + str + "\" does not match " + s["pattern"].get<std::string>()});
  }
  if (v.is_number()) {
    if (s.contains("minimum") && v.get<double>() < s["minimum"].get<double>())
      out.push_back({path, v.dump() + " < minimum " + s["minimum"].dump()});
    if (s.contains("maximum") && v.get<double>() > s["maximum"].get<double>())
      out.push_back({path, v.dump() + " > maximum " + s["maximum"].dump()});
  }
  if (v.is_array()) {
    if (s.contains("minItems") && v.size() < s["minItems"].get<size_t>())
      out.push_back({path, "fewer than " + s["minItems"].dump() + " items"});
    if (s.contains("maxItems") && v.size() > s["maxItems"].get<size_t>())
      out.push_back({path, "more than " + s["maxItems"].dump() + " items"});
    if (s.contains("uniqueItems") && s["uniqueItems"].get<bool>()) {
      std::set<std::string> seen;
      for (const auto& e : v)
        if (!seen.insert(e.dump()).second) out.push_back({path, "duplicate item " + e.dump()});
    }
    if (s.contains("items"))
      for (size_t i = 0; i < v.size(); ++i)
        validate_at(s["items"], v[i], path + "[" + std::to_string(i) + "]", out, depth + 1);
  }
  if (v.is_object()) {
    if (s.contains("required"))
      for (const auto& r : s["required"])
        if (!v.contains(r.get<std::string>()))
          out.push_back({path, "missing required field \"" + r.get<std::string>() + "\""});
    for (auto it = v.begin(); it != v.end(); ++it) {
      const std::string child = path + "." + it.key();
      if (s.contains("propertyNames"))
        validate_at(s["propertyNames"], nlohmann::json(it.key()), child, out, depth + 1);
      if (s.contains("properties") && s["properties"].contains(it.key())) {
        validate_at(s["properties"][it.key()], it.value(), child, out, depth + 1);
      } else if (s.contains("additionalProperties")) {
        const auto& ap = s["additionalProperties"];
        if (ap.is_boolean() && !ap.get<bool>())
          out.push_back({child, "unknown field \"" + it.key() + "\""});
        else
          validate_at(ap, it.value(), child, out, depth + 1);
      }
    }
  }
  if (s.contains("allOf"))
    for (const auto& sub : s["allOf"]) validate_at(sub, v, path, out, depth + 1);
  if (s.contains("anyOf") || s.contains("oneOf")) {
    const bool one = s.contains("oneOf");
    const auto& list = one ? s["oneOf"] : s["anyOf"];
    size_t matches = 0;
    std::vector<SchemaViolation> best;
    for (const auto& sub : list) {
      std::vector<SchemaViolation> trial;
      validate_at(sub, v, path, trial, depth + 1);
      if (trial.empty()) ++matches;
      else if (best.empty() || trial.size() < best.size()) best = std::move(trial);
    }
    if (matches == 0) {
      // Report the closest alternative's violations: the most useful message for an author.
      for (auto& b : best) out.push_back(std::move(b));
      if (best.empty()) out.push_back({path, "matches none of the alternatives"});
    } else if (one && matches > 1) {
      out.push_back({path, "matches " + std::to_string(matches) + " alternatives of oneOf, expected 1"});
    }
  }
}

}  // namespace cts::cases
