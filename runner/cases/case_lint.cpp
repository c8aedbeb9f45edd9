#include "runner/cases/case_lint.h"

#include <fstream>
#include <map>
#include <set>
#include <sstream>

#include "runner/cases/case_parameters.h"
#include "runner/cases/json_schema.h"
#include "runner/results/requirement_catalogue.h"

namespace cts::cases {

using results::RequirementCatalogue;

std::string LintFinding::to_string() const {
  std::string s = std::string(error ? "error: " : "warning: ") + file;
  if (!case_id.empty()) s += ": case " + case_id;
  if (!path.empty()) s += ": " + path;
  return s + ": " + message;
}

size_t LintReport::errors() const {
  size_t n = 0;
  for (const auto& f : findings) n += f.error ? 1 : 0;
  return n;
}

namespace {

bool read_file(const std::string& path, std::string& out) {
  std::ifstream in(path, std::ios::binary);
  if (!in) return false;
  std::ostringstream ss;
  ss << in.rdbuf();
  out = ss.str();
  return true;
}

// Walks a case's steps in order, tracking which constant labels earlier ADD steps defined.
class LabelCheck {
 public:
  LabelCheck(const Case& c, std::vector<LintFinding>& out) : c_(c), out_(out) {}

  void run() { walk(c_.steps, false); }

 private:
  void walk(const std::vector<Step>& steps, bool in_loop) {
    for (const auto& s : steps) {
      if (const auto* o = std::get_if<OidStep>(&s.body)) {
        for (const auto& h : o->handles) ref(h, s.path);
        if (o->oid == OidKind::update_sa) ref(o->handle, s.path);
        for (const auto& b : o->sas) define(b.label);  // an element may name an earlier one
        for (const auto& h : o->expect.handles)
          if (h.kind == HandleExpect::Kind::same_as || h.kind == HandleExpect::Kind::not_same_as)
            use(h.label, s.path);
        if (o->expect.table) table(*o->expect.table, s.path);
      } else if (const auto* snd = std::get_if<SendStep>(&s.body)) {
        use(snd->sa, s.path);
        if (snd->handle) ref(*snd->handle, s.path);
      } else if (const auto* rcv = std::get_if<ReceiveStep>(&s.body)) {
        use(rcv->sa, s.path);
      } else if (const auto* rd = std::get_if<RequestDeleteStep>(&s.body)) {
        use(rd->sa, s.path);
      } else if (const auto* pr = std::get_if<ProbeStep>(&s.body)) {
        use(pr->sa, s.path);
      } else if (const auto* t = std::get_if<TableStep>(&s.body)) {
        table(t->expect, s.path);
      } else if (const auto* r = std::get_if<RepeatStep>(&s.body)) {
        walk(r->steps, true);
      }
    }
    (void)in_loop;
  }
  void define(const StringTemplate& t) {
    if (t.variables().empty()) defined_.insert(t.text());
    else templated_ = true;
  }
  void ref(const HandleRef& h, const std::string& path) {
    if (h.kind == HandleRef::Kind::label) use(h.label, path);
  }
  void table(const TableExpect& t, const std::string& path) {
    for (const auto& l : t.present) use(l, path);
    for (const auto& l : t.absent) use(l, path);
  }
  void use(const StringTemplate& t, const std::string& path) {
    // Templated labels can only be checked when run; a constant label must have been defined
    // by an earlier ADD, unless a templated ADD might have produced it.
    if (!t.variables().empty() || defined_.count(t.text()) || templated_) return;
    out_.push_back({true, c_.file, c_.id, path,
                    "label \"" + t.text() + "\" is not defined by an earlier ADD step"});
  }

  const Case& c_;
  std::vector<LintFinding>& out_;
  std::set<std::string> defined_;
  bool templated_ = false;
};

void collect_vectors(const std::vector<Step>& steps, std::vector<std::pair<std::string, std::string>>& out) {
  for (const auto& s : steps) {
    if (const auto* oid = std::get_if<OidStep>(&s.body)) {
      for (const auto& b : oid->sas)
        if (!b.vector.empty()) out.emplace_back(b.vector, b.path);
    } else if (const auto* snd = std::get_if<SendStep>(&s.body)) {
      if (!snd->packet.vector.empty()) out.emplace_back(snd->packet.vector, s.path);
    } else if (const auto* rcv = std::get_if<ReceiveStep>(&s.body)) {
      if (!rcv->packet.vector.empty()) out.emplace_back(rcv->packet.vector, s.path);
    } else if (const auto* r = std::get_if<RepeatStep>(&s.body)) {
      collect_vectors(r->steps, out);
    }
  }
}

}  // namespace

LintReport lint_case_paths(const std::vector<std::string>& paths, const LintOptions& options) {
  LintReport report;
  auto& out = report.findings;

  std::optional<JsonSchema> schema;
  {
    std::string text;
    if (!read_file(options.schema_path, text)) {
      out.push_back({true, options.schema_path, "", "", "cannot read the case schema"});
    } else {
      try {
        schema.emplace(nlohmann::json::parse(text));
      } catch (const std::exception& e) {
        out.push_back({true, options.schema_path, "", "", std::string("unusable schema: ") + e.what()});
      }
    }
  }
  std::string req_error;
  auto catalogue = RequirementCatalogue::load(options.requirements_path, req_error);
  if (!catalogue) out.push_back({true, options.requirements_path, "", "", req_error});

  std::vector<LoadError> find_errors;
  const auto files = find_case_files(paths, find_errors);
  for (const auto& e : find_errors) out.push_back({true, e.file, "", "", e.message});

  std::map<std::string, std::string> first_file_of_id;
  for (const auto& path : files) {
    ++report.files;
    std::string text;
    if (!read_file(path, text)) {
      out.push_back({true, path, "", "", "cannot open the file"});
      continue;
    }
    if (schema) {
      try {
        // Parameterised cases are judged in their expanded form (case_parameters.h).
        const nlohmann::json doc = expand_document_cases(nlohmann::json::parse(text));
        for (const auto& v : schema->validate(doc)) {
          std::string where = v.path;
          // Name the case, since an expanded index is not a position in the file.
          std::string case_id;
          if (where.rfind("$.cases[", 0) == 0) {
            const size_t close = where.find(']');
            const size_t k = std::stoul(where.substr(8, close - 8));
            if (k < doc["cases"].size() && doc["cases"][k].contains("id") && doc["cases"][k]["id"].is_string())
              case_id = doc["cases"][k]["id"].get<std::string>();
          }
          out.push_back({true, path, case_id, where, "schema: " + v.message});
        }
      } catch (const nlohmann::json::exception&) {
        // the loader reports the syntax error with its position
      }
    }
    LoadResult loaded = load_case_text(text, path);
    for (const auto& e : loaded.errors) out.push_back({true, e.file, e.case_id, e.path, e.message});
    for (const auto& file : loaded.files) {
      std::set<std::string> used_flags;
      for (const auto& [flag, note] : file.notes)
        for (const auto& r : note.requirements)
          if (catalogue && !catalogue->find(r))
            out.push_back({true, path, "", "$.notes." + flag,
                           "requirement " + r + " is not in the catalogue"});
      for (const auto& c : file.cases) {
        ++report.cases;
        const std::string case_path = "$.cases[" + std::to_string(c.index) + "]";
        auto [it, fresh] = first_file_of_id.emplace(c.id, path);
        if (!fresh)
          out.push_back({true, path, c.id, case_path + ".id",
                         "duplicate case id (first defined in " + it->second + ")"});
        std::set<std::string> seen_reqs;
        for (const auto& r : c.requirements) {
          if (catalogue && !catalogue->find(r))
            out.push_back({true, path, c.id, case_path + ".requirements",
                           "requirement " + r + " is not in the catalogue"});
          if (!seen_reqs.insert(r).second)
            out.push_back({true, path, c.id, case_path + ".requirements", "requirement " + r + " listed twice"});
        }
        for (const auto& f : c.flags) {
          used_flags.insert(f);
          if (!file.notes.count(f))
            out.push_back({true, path, c.id, case_path + ".flags",
                           "flag \"" + f + "\" is not explained in the file's notes"});
        }
        std::vector<std::pair<std::string, std::string>> vectors;
        collect_vectors(c.steps, vectors);
        for (const auto& [name, where] : vectors)
          if (!options.vector_exists || !options.vector_exists(name))
            out.push_back({true, path, c.id, where, "vector \"" + name + "\" not found"});
        LabelCheck(c, out).run();
      }
      for (const auto& [flag, note] : file.notes)
        if (!used_flags.count(flag))
          out.push_back({false, path, "", "$.notes." + flag, "flag explained but used by no case"});
    }
  }
  return report;
}

}  // namespace cts::cases
