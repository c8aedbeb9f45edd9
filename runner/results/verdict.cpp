#include "runner/results/verdict.h"

namespace cts::results {

const char* verdict_name(Verdict v) {
  switch (v) {
    case Verdict::pass: return "PASS";
    case Verdict::fail: return "FAIL";
    case Verdict::not_applicable: return "NOT_APPLICABLE";
    case Verdict::error: return "ERROR";
    case Verdict::acceptable: return "ACCEPTABLE";
  }
  return "?";
}

const char* verdict_label(Verdict v) {
  switch (v) {
    case Verdict::pass: return "Pass";
    case Verdict::fail: return "Fail";
    case Verdict::not_applicable: return "Not applicable";
    case Verdict::error: return "Error";
    case Verdict::acceptable: return "Acceptable";
  }
  return "?";
}

const char* verdict_key(Verdict v) {
  switch (v) {
    case Verdict::pass: return "pass";
    case Verdict::fail: return "fail";
    case Verdict::not_applicable: return "not_applicable";
    case Verdict::error: return "error";
    case Verdict::acceptable: return "acceptable";
  }
  return "unknown";
}

std::optional<Verdict> verdict_from_name(std::string_view name) {
  for (Verdict v : kVerdicts)
    if (name == verdict_name(v)) return v;
  return std::nullopt;
}

}  // namespace cts::results
