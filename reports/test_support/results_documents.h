// Hand-written results documents for the tests of the views (shape: runner/core/results.h).
#pragma once

#include <string>

#include <nlohmann/json.hpp>

namespace cts::reports::testing {

// A device string a hostile device could answer: markup, quotes, an ampersand, control
// characters and a byte that is not UTF-8.
inline const std::string kHostile = "<script>alert('x')</script><img src=x onerror=\"alert(1)\"> & \x01\x1b[0m \xFF";

// Five cases over two files: PASS, FAIL (two findings), ERROR, NOT_APPLICABLE, PASS.
inline nlohmann::json small_results() {
  using nlohmann::json;
  json cases = json::array();
  cases.push_back({{"id", "addsa.basic.one"}, {"file", "cases/addsa.json"}, {"verdict", "PASS"},
                   {"requirements", {"REQ-001"}}, {"flags", json::array()}, {"duration_ms", 1.5}});
  cases.push_back({{"id", "addsa.capacity.overflow"}, {"file", "cases/addsa.json"}, {"verdict", "FAIL"},
                   {"requirements", {"REQ-001", "REQ-002"}}, {"flags", {"capacity"}}, {"duration_ms", 12.25},
                   {"findings",
                    {{{"step", "steps[1]"}, {"field", "handles[0]"}, {"expected", "NULL (the request failed)"},
                      {"actual", "0x00000009"}, {"requirements", {"REQ-002"}}},
                     {{"step", "steps[1]"}, {"field", "status"}, {"expected", "NDIS_STATUS_RESOURCES (0xc000009a)"},
                      {"actual", kHostile}, {"requirements", {"REQ-003", "UNKNOWN-9"}},
                      {"detail", "device said " + kHostile}}}},
                   {"evidence",
                    {{{"step", "steps[1]"}, {"op", "oid ADD_SA"}, {"request", "0100000000000000aabbccddeeff0011"},
                      {"oracle", {{"status", "NDIS_STATUS_RESOURCES (0xc000009a)"}, {"handles", {"NULL"}}}},
                      {"device", {{"status", kHostile}, {"handles", {"0x00000009"}}}},
                      {"oracle_table",
                       {{"bundle_count", 1},
                        {"pools", {{{"name", "inbound"}, {"used", 1}, {"limit", 1}}}},
                        {"bundles",
                         {{{"handle", "0x00010001"}, {"direction", "inbound"},
                           {"sas", {{{"operation", "ESP"}, {"spi", "0x00001000"}, {"esn", false}}}}}}}}},
                      {"device_table", kHostile}}}}});
  cases.push_back({{"id", "esn.update.timeout"}, {"file", "cases/esn.json"}, {"verdict", "ERROR"},
                   {"requirements", {"REQ-004"}}, {"flags", json::array()}, {"duration_ms", 10000.0},
                   {"error", "device: timeout; it said " + kHostile}});
  cases.push_back({{"id", "esn.update.wrap[dir=in,ip=6]"}, {"file", "cases/esn.json"}, {"verdict", "PASS"},
                   {"requirements", {"REQ-004"}}, {"flags", json::array()}, {"duration_ms", 2.0}});
  cases.push_back({{"id", "udpesp.basic.encap"}, {"file", "cases/esn.json"}, {"verdict", "NOT_APPLICABLE"},
                   {"requirements", {"REQ-005"}}, {"flags", json::array()}, {"duration_ms", 0},
                   {"missing_capability", "udp_esp"}});
  json run = {{"seed", 42},
              {"device",
               {{"spec", "softnic"}, {"name", "softnic <b>bold</b>"}, {"description", "sample & test"},
                {"features", {{"dump", true}, {"request_sa_delete", false}}},
                {"capabilities", {{"ipsec_offload_v2", {{"esp", true}, {"ah", false}}}, {"inbound_bundle_capacity", 8}}}}},
              {"case_files",
               {{{"path", "cases/addsa.json"}, {"sha256", "ab"}, {"cases", 2}},
                {{"path", "cases/esn.json"}, {"sha256", "cd"}, {"cases", 3}}}},
              {"filters", json::array()},
              {"library", true},
              {"case_set_cases", 5},
              {"shard", "1/1"},
              {"started_at", "2026-11-22T18:18:49Z"},
              {"duration_ms", 10020}};
  return {{"schema_version", 1},
          {"tool", {{"name", "ipsec-cts"}, {"version", "0.1.0"}}},
          {"run", run},
          {"summary", {{"total", 5}, {"pass", 2}, {"fail", 1}, {"not_applicable", 1}, {"error", 1}}},
          {"cases", cases}};
}

// A catalogue of six requirements in two documents; REQ-006 is cited by no case.
inline std::string small_catalogue_text() {
  return R"({
  "schema_version": 1,
  "provenance": "test",
  "documents": [{"file": "spec/first.md"}, {"file": "spec/second.md"}],
  "requirements": {
    "REQ-001": {"document": "first.md", "source": "[A]", "strength": "MUST", "text": "One."},
    "REQ-002": {"document": "first.md", "source": "[A]", "strength": "SHOULD", "text": "Two <b>&amp;</b>."},
    "REQ-003": {"document": "second.md", "source": "[B]", "strength": "MUST", "text": "Three."},
    "REQ-004": {"document": "second.md", "source": "[B]", "strength": "MAY", "text": "Four."},
    "REQ-005": {"document": "second.md", "source": "[B]", "strength": "MUST", "text": "Five."},
    "REQ-006": {"document": "first.md", "source": "[A]", "strength": "MUST NOT", "text": "Six."}
  }
})";
}

inline std::string sample_results_path() { return std::string(CTS_SOURCE_ROOT) + "/reports/testdata/results_sample.json"; }
inline std::string repository_catalogue_path() { return std::string(CTS_SOURCE_ROOT) + "/cases/requirements.json"; }

}  // namespace cts::reports::testing
