// The capacity cases fill a pool with SPIs 0x10000 + i and add other inbound bundles beside the
// fill. Were one of those to share the SPI of a fill bundle (same destination, same protocol),
// receive traffic meant for it would reach the earlier bundle (RECV-003: the earliest added wins)
// and fail its ICV: at 262,144 bundles "again" (SPI 0x20001) met "in65537", an ERROR no smaller
// device showed. This walks every capacity case at every device size up to softnic's largest and
// checks that no two inbound SPIs of one case can coincide, whatever was deleted in between.
#include <gtest/gtest.h>

#include <algorithm>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <string>
#include <vector>

#include "runner/cases/case_loader.h"

namespace cts::cases {
namespace {

struct SpiRange {
  int64_t low = 0, high = 0;  // inclusive
  std::string where;
};

// Every inbound SPI the steps can add, as ranges (a repeat over an affine SPI gives one range).
void collect(const std::vector<Step>& steps, ExprEnv env, const std::string& where, std::vector<SpiRange>& out) {
  for (const Step& step : steps) {
    if (const auto* r = std::get_if<RepeatStep>(&step.body)) {
      const int64_t from = r->from.eval(env), to = r->to.eval(env);
      if (to <= from) continue;
      std::vector<SpiRange> first, second, last;
      env.set(r->var, from);
      collect(r->steps, env, where + step.path + ".", first);
      env.set(r->var, std::min(from + 1, to - 1));
      collect(r->steps, env, where + step.path + ".", second);
      env.set(r->var, to - 1);
      collect(r->steps, env, where + step.path + ".", last);
      for (size_t k = 0; k < first.size(); ++k) {
        // Affine in the loop variable: first, second and last lie on one line.
        const int64_t stride = second[k].low - first[k].low;
        const int64_t span = to - 1 - from;
        EXPECT_EQ(last[k].low, first[k].low + stride * span) << first[k].where << ": SPI not affine in " << r->var;
        out.push_back({std::min(first[k].low, last[k].low), std::max(first[k].high, last[k].high), first[k].where});
      }
      continue;
    }
    const auto* o = std::get_if<OidStep>(&step.body);
    if (o == nullptr) continue;
    for (const BundleDef& b : o->sas) {
      if (!b.inbound || !b.vector.empty()) continue;
      for (const SecAssocDef& sa : b.sas) {
        const int64_t spi = sa.spi.eval(env);
        out.push_back({spi, spi, where + step.path + " " + b.label.text()});
      }
    }
  }
}

// The first pair of overlapping ranges of a case at this size, or "".
std::string collision(const Case& c, int64_t capacity) {
  ExprEnv env;
  for (const std::string& v : profile_variables()) env.set(v, capacity);
  std::vector<SpiRange> ranges;
  collect(c.steps, env, "", ranges);
  for (size_t a = 0; a < ranges.size(); ++a)
    for (size_t b = a + 1; b < ranges.size(); ++b)
      if (ranges[a].low <= ranges[b].high && ranges[b].low <= ranges[a].high)
        return c.id + " at " + std::to_string(capacity) + " bundles: " + ranges[a].where + " and " + ranges[b].where;
  return "";
}

const std::vector<int64_t> kSizes = {8, 1024, 65536, 65538, 262144, 1048576, 1 << 24};

TEST(CapacitySpiLayout, NoCapacityCaseRepeatsAnInboundSpiAtAnySize) {
  const LoadResult loaded = load_case_paths({std::string(CTS_SOURCE_ROOT) + "/cases/addsa/capacity.json"});
  ASSERT_TRUE(loaded.ok());
  size_t checked = 0;
  for (const CaseFile& f : loaded.files)
    for (const Case& c : f.cases) {
      for (int64_t n : kSizes) EXPECT_EQ(collision(c, n), "");
      ++checked;
    }
  EXPECT_GE(checked, 10u);
}

// The layout the capacity cases had before: fill 0x10000 + i, the bundle added after the
// overflow at 0x20001. Harmless up to 65,537 bundles, a collision from then on.
TEST(CapacitySpiLayout, TheFormerLayoutIsCaughtAboveSixtyFiveThousandBundles) {
  const std::string path = std::string(CTS_BINARY_DIR) + "/capacity_spi_former_layout.json";
  std::ofstream(path) << R"({"format": 1, "area": "addsa", "description": "former layout", "notes": {},
  "cases": [{"id": "addsa.capacity.former_layout", "comment": "the former SPI layout", "flags": [], "requirements": ["ADD-007"], "capabilities": ["add_sa_ex"],
    "steps": [
      {"op": "repeat", "to": "inbound_capacity", "steps": [
        {"op": "oid", "oid": "ADD_SA_EX", "sas": [{"label": "in{i}", "direction": "inbound",
          "esp": {"spi": "0x10000 + i", "encryption": "AES_GCM_128"}}]}]},
      {"op": "oid", "oid": "DELETE_SA", "handles": ["in0"]},
      {"op": "oid", "oid": "ADD_SA_EX", "sas": [{"label": "again", "direction": "inbound",
        "esp": {"spi": "0x20001", "encryption": "AES_GCM_128"}}]}]}]})";
  const LoadResult loaded = load_case_paths({path});
  for (const auto& e : loaded.errors) ADD_FAILURE() << e.to_string();
  ASSERT_EQ(loaded.files.size(), 1u);
  ASSERT_EQ(loaded.files[0].cases.size(), 1u);
  const Case& c = loaded.files[0].cases[0];
  EXPECT_EQ(collision(c, 1024), "");
  EXPECT_EQ(collision(c, 65536), "");
  EXPECT_NE(collision(c, 65538), "");
  EXPECT_NE(collision(c, 262144), "");
  std::filesystem::remove(path);
}

}  // namespace
}  // namespace cts::cases
