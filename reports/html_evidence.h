// The evidence of a case as HTML, readable without the suite: per step the request bytes, the
// oracle's and the device's answers side by side (differences marked), the SA tables of both
// after the step, and any other recorded value. The evidence is whatever the runner recorded
// (and a device answered), so every shape is accepted and every string escaped.
#pragma once

#include <string>

#include <nlohmann/json.hpp>

#include "reports/results_view.h"

namespace cts::reports {

// The evidence section of a case card ("" when the case has none). `origin` names the results
// file for pointers into it ("results.json $.cases[3].evidence[1].oracle_table").
std::string render_case_evidence(const CaseView& c, const std::string& origin);

// Any JSON value as HTML (scalars inline, objects as key/value lists, arrays of objects as
// tables, deep values as pretty-printed JSON).
std::string render_json_html(const nlohmann::json& value);

// An SA-table dump ({"bundles": [{...}, ...], "pools": [...], ...}) as a table; other shapes
// fall back to render_json_html. `where` is the JSON path for the "more rows" pointer.
std::string render_sa_table_html(const nlohmann::json& dump, const std::string& caption, const std::string& where);

}  // namespace cts::reports
