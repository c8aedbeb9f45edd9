// The evidence of a case as HTML, readable without the suite: per step the request decoded field
// by field (its bytes one click away), the oracle's and the device's answers side by side, each
// packet's outcome and OOB words decoded on both sides, and the SA tables of both after the step
// in one radix. Rows and cells where the sides differ, or that a finding names, are marked. The
// SA tables are whatever a device answered, so every shape is accepted and every string escaped.
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
// fall back to render_json_html. `where` is the JSON path for the "more rows" pointer. With
// `other` (the other side's dump after the same step), both are shown in one radix (SPIs and
// handles hex, other numbers decimal) and the cells whose values differ from the bundle of the
// same direction and SPI there are marked.
std::string render_sa_table_html(const nlohmann::json& dump, const std::string& caption, const std::string& where,
                                 const nlohmann::json* other = nullptr);

}  // namespace cts::reports
