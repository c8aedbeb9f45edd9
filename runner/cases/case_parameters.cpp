#include "runner/cases/case_parameters.h"

#include <algorithm>
#include <map>
#include <regex>

namespace cts::cases {

namespace {

struct Parameter {
  std::string name;
  std::vector<nlohmann::json> values;
  std::vector<std::string> value_names;
};

struct Failure {
  ParameterError error;
};

std::string scalar_text(const nlohmann::json& v) {
  if (v.is_string()) return v.get<std::string>();
  if (v.is_boolean()) return v.get<bool>() ? "true" : "false";
  return v.dump();
}

class Substitution {
 public:
  explicit Substitution(const std::map<std::string, const nlohmann::json*>& values) : values_(values) {}

  nlohmann::json apply(const nlohmann::json& v, const std::string& path) const {
    if (v.is_string()) return apply_string(v.get<std::string>(), path);
    if (v.is_array()) {
      nlohmann::json out = nlohmann::json::array();
      for (size_t i = 0; i < v.size(); ++i) {
        const std::string p = path + "[" + std::to_string(i) + "]";
        nlohmann::json e = apply(v[i], p);
        if (v[i].is_string() && whole_reference(v[i].get<std::string>()) && e.is_array()) {
          for (auto& x : e) out.push_back(std::move(x));  // splice
        } else {
          out.push_back(std::move(e));
        }
      }
      return out;
    }
    if (v.is_object()) {
      nlohmann::json out = nlohmann::json::object();
      for (auto it = v.begin(); it != v.end(); ++it) out[it.key()] = apply(it.value(), path + "." + it.key());
      return out;
    }
    return v;
  }

 private:
  static bool whole_reference(const std::string& s) {
    return s.size() > 3 && s.compare(0, 2, "${") == 0 && s.back() == '}' && s.find('}') == s.size() - 1;
  }

  const nlohmann::json& lookup(const std::string& ref, const std::string& path) const {
    const size_t dot = ref.find('.');
    const std::string name = ref.substr(0, dot);
    auto it = values_.find(name);
    if (it == values_.end()) throw Failure{{path, "\"${" + ref + "}\" names no parameter of this case"}};
    const nlohmann::json* v = it->second;
    if (dot == std::string::npos) {
      if (v->is_object()) return v->at("name");
      return *v;
    }
    const std::string field = ref.substr(dot + 1);
    if (!v->is_object() || !v->contains(field))
      throw Failure{{path, "\"${" + ref + "}\": the value of parameter " + name + " has no field \"" + field + "\""}};
    return v->at(field);
  }

  nlohmann::json apply_string(const std::string& s, const std::string& path) const {
    if (s.find("${") == std::string::npos) return s;
    if (whole_reference(s)) return lookup(s.substr(2, s.size() - 3), path);
    std::string out;
    size_t i = 0;
    while (i < s.size()) {
      const size_t at = s.find("${", i);
      if (at == std::string::npos) {
        out += s.substr(i);
        break;
      }
      out += s.substr(i, at - i);
      const size_t end = s.find('}', at);
      if (end == std::string::npos) throw Failure{{path, "unterminated \"${\" in \"" + s + "\""}};
      const nlohmann::json& v = lookup(s.substr(at + 2, end - at - 2), path);
      if (v.is_object() || v.is_array())
        throw Failure{{path, "\"" + s.substr(at, end - at + 1) + "\" is not a scalar and cannot be part of a text"}};
      out += scalar_text(v);
      i = end + 1;
    }
    return out;
  }

  const std::map<std::string, const nlohmann::json*>& values_;
};

std::vector<Parameter> read_parameters(const nlohmann::json& list) {
  static const std::regex name_re("[a-z][a-z0-9_]*");
  static const std::regex value_re("[a-z0-9_.\\-]+");
  if (!list.is_array() || list.empty()) throw Failure{{"$.parameters", "a non-empty array of {name, values}"}};
  std::vector<Parameter> out;
  for (size_t i = 0; i < list.size(); ++i) {
    const std::string p = "$.parameters[" + std::to_string(i) + "]";
    const auto& o = list[i];
    if (!o.is_object() || !o.contains("name") || !o.contains("values") || o.size() != 2)
      throw Failure{{p, "a parameter is {\"name\": ..., \"values\": [...]}"}};
    Parameter par;
    if (!o["name"].is_string() || !std::regex_match(o["name"].get<std::string>(), name_re))
      throw Failure{{p + ".name", "a parameter name is lower-case letters, digits and '_'"}};
    par.name = o["name"].get<std::string>();
    for (const auto& q : out)
      if (q.name == par.name) throw Failure{{p + ".name", "parameter " + par.name + " given twice"}};
    const auto& values = o["values"];
    if (!values.is_array() || values.empty()) throw Failure{{p + ".values", "a non-empty array"}};
    for (size_t k = 0; k < values.size(); ++k) {
      const std::string vp = p + ".values[" + std::to_string(k) + "]";
      const auto& v = values[k];
      std::string vname;
      if (v.is_object()) {
        if (!v.contains("name") || !v["name"].is_string()) throw Failure{{vp, "an object value needs a \"name\" string"}};
        vname = v["name"].get<std::string>();
      } else if (v.is_string() || v.is_number_integer() || v.is_boolean()) {
        vname = scalar_text(v);
      } else {
        throw Failure{{vp, "a value is a string, an integer, a boolean or an object with a name"}};
      }
      if (!std::regex_match(vname, value_re))
        throw Failure{{vp, "value name \"" + vname + "\" is not lower-case letters, digits, '_', '.', '-'"}};
      for (const auto& n : par.value_names)
        if (n == vname) throw Failure{{vp, "value " + vname + " given twice"}};
      par.values.push_back(v);
      par.value_names.push_back(vname);
    }
    out.push_back(std::move(par));
  }
  return out;
}

}  // namespace

std::vector<ExpandedCase> expand_case_parameters(const nlohmann::json& case_object, ParameterError& error) {
  if (!case_object.is_object() || !case_object.contains("parameters")) {
    if (case_object.is_object() && case_object.contains("exclude")) {
      error = {"$.exclude", "\"exclude\" without \"parameters\""};
      return {};
    }
    return {ExpandedCase{case_object, ""}};
  }
  try {
    const std::vector<Parameter> params = read_parameters(case_object["parameters"]);
    std::vector<std::map<std::string, std::string>> excludes;
    if (case_object.contains("exclude")) {
      const auto& ex = case_object["exclude"];
      if (!ex.is_array()) throw Failure{{"$.exclude", "an array of {parameter: value name} objects"}};
      for (size_t i = 0; i < ex.size(); ++i) {
        const std::string p = "$.exclude[" + std::to_string(i) + "]";
        if (!ex[i].is_object() || ex[i].empty()) throw Failure{{p, "a non-empty {parameter: value name} object"}};
        std::map<std::string, std::string> m;
        for (auto it = ex[i].begin(); it != ex[i].end(); ++it) {
          const Parameter* par = nullptr;
          for (const auto& q : params)
            if (q.name == it.key()) par = &q;
          if (!par) throw Failure{{p + "." + it.key(), "no parameter " + it.key()}};
          const std::string v = scalar_text(it.value());
          if (std::find(par->value_names.begin(), par->value_names.end(), v) == par->value_names.end())
            throw Failure{{p + "." + it.key(), "parameter " + it.key() + " has no value " + v}};
          m[it.key()] = v;
        }
        excludes.push_back(std::move(m));
      }
    }
    nlohmann::json base = case_object;
    base.erase("parameters");
    base.erase("exclude");
    std::vector<ExpandedCase> out;
    std::vector<size_t> index(params.size(), 0);
    while (true) {
      std::map<std::string, const nlohmann::json*> values;
      std::map<std::string, std::string> names;
      std::string suffix;
      for (size_t i = 0; i < params.size(); ++i) {
        values[params[i].name] = &params[i].values[index[i]];
        names[params[i].name] = params[i].value_names[index[i]];
        suffix += (i ? "," : "") + params[i].name + "=" + params[i].value_names[index[i]];
      }
      bool excluded = false;
      for (const auto& e : excludes) {
        bool all = true;
        for (const auto& [k, v] : e) all = all && names[k] == v;
        excluded = excluded || all;
      }
      if (!excluded) {
        ExpandedCase c;
        c.object = Substitution(values).apply(base, "$");
        c.parameters = suffix;
        if (c.object.contains("id") && c.object["id"].is_string())
          c.object["id"] = c.object["id"].get<std::string>() + "[" + suffix + "]";
        out.push_back(std::move(c));
      }
      size_t k = params.size();
      while (k > 0) {
        --k;
        if (++index[k] < params[k].values.size()) break;
        index[k] = 0;
        if (k == 0) return out;
      }
      if (params.empty()) return out;
    }
  } catch (const Failure& f) {
    error = f.error;
    return {};
  }
}

nlohmann::json expand_document_cases(nlohmann::json document) {
  if (!document.is_object() || !document.contains("cases") || !document["cases"].is_array()) return document;
  nlohmann::json expanded = nlohmann::json::array();
  for (const auto& c : document["cases"]) {
    ParameterError error;
    auto list = expand_case_parameters(c, error);
    if (list.empty()) {
      expanded.push_back(c);
      continue;
    }
    for (auto& one : list) expanded.push_back(std::move(one.object));
  }
  document["cases"] = std::move(expanded);
  return document;
}

}  // namespace cts::cases
