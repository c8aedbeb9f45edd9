#include "runner/cases/requirement_catalogue.h"

#include <fstream>
#include <sstream>

#include <nlohmann/json.hpp>

#include "runner/cases/json_reader.h"

namespace cts::cases {

std::optional<RequirementCatalogue> RequirementCatalogue::load(const std::string& path,
                                                               std::string& error) {
  std::ifstream in(path, std::ios::binary);
  if (!in) {
    error = path + ": cannot open the requirement catalogue";
    return std::nullopt;
  }
  std::ostringstream ss;
  ss << in.rdbuf();
  return parse(ss.str(), path, error);
}

std::optional<RequirementCatalogue> RequirementCatalogue::parse(const std::string& text,
                                                                const std::string& origin,
                                                                std::string& error) {
  try {
    const nlohmann::json doc = nlohmann::json::parse(text);
    JsonObject o(JsonValue(doc, "$"));
    if (o.required("schema_version").as_int(0, 1000) != 1)
      o.fail("unsupported schema_version (expected 1)");
    o.required("provenance").as_string();
    o.required("documents").as_array();
    const JsonValue reqs = o.required("requirements");
    JsonObject ro(reqs);
    RequirementCatalogue cat;
    for (auto it = reqs.raw().begin(); it != reqs.raw().end(); ++it) {
      JsonObject r(ro.required(it.key()));
      Requirement req;
      req.id = it.key();
      req.text = r.required("text").as_string();
      req.strength = r.required("strength").as_string();
      req.source = r.required("source").as_string();
      req.document = r.required("document").as_string();
      r.done();
      cat.by_id_[req.id] = std::move(req);
    }
    o.done();
    return cat;
  } catch (const nlohmann::json::exception& e) {
    error = origin + ": not valid JSON: " + e.what();
  } catch (const ReadError& e) {
    error = origin + ": " + e.path + ": " + e.what();
  }
  return std::nullopt;
}

const Requirement* RequirementCatalogue::find(const std::string& id) const {
  auto it = by_id_.find(id);
  return it == by_id_.end() ? nullptr : &it->second;
}

}  // namespace cts::cases
