// libFuzzer target: arbitrary text as a case file, through both readers `lint` applies: the
// committed JSON Schema (cases/schema/case_file.schema.json) and the strict case loader. Either
// may refuse; every refusal must name the file and a JSON path.
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <fstream>
#include <memory>
#include <sstream>
#include <string>

#include <nlohmann/json.hpp>

#include "runner/cases/case_loader.h"
#include "runner/cases/json_schema.h"

namespace {

std::unique_ptr<cts::cases::JsonSchema> load_schema() {
  std::ifstream in(std::string(CTS_SOURCE_ROOT) + "/cases/schema/case_file.schema.json");
  std::stringstream ss;
  ss << in.rdbuf();
  return std::make_unique<cts::cases::JsonSchema>(nlohmann::json::parse(ss.str()));
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  static const std::unique_ptr<cts::cases::JsonSchema> schema = load_schema();
  const std::string text(reinterpret_cast<const char*>(data), size);
  const nlohmann::json doc = nlohmann::json::parse(text, nullptr, false);
  if (!doc.is_discarded()) {
    for (const auto& v : schema->validate(doc)) {
      if (v.path.rfind("$", 0) != 0 || v.message.empty()) std::abort();
    }
  }
  const cts::cases::LoadResult r = cts::cases::load_case_text(text, "fuzz.json");
  for (const auto& e : r.errors) {
    if (e.file != "fuzz.json" || e.message.empty()) std::abort();
  }
  return 0;
}
