#include "reports/text_summary.h"

#include <gtest/gtest.h>

namespace cts::reports {
namespace {

TEST(TextSummary, FindingLineAndReason) {
  FindingView f{"steps[3]", "status", "NDIS_STATUS_SUCCESS (0x00000000)", "NDIS_STATUS_FAILURE (0xc0000001)",
                {"ADD-004", "ADD-005"}, ""};
  EXPECT_EQ(finding_line(f),
            "steps[3] status: expected NDIS_STATUS_SUCCESS (0x00000000), got NDIS_STATUS_FAILURE (0xc0000001) "
            "[ADD-004 ADD-005]");
  CaseView c;
  c.verdict = Verdict::fail;
  c.findings = {f, f, f};
  EXPECT_EQ(case_reason(c), finding_line(f) + " (and 2 more findings)");
  c.findings.clear();
  EXPECT_EQ(case_reason(c), "failed (no finding recorded)");
  c.verdict = Verdict::not_applicable;
  c.missing_capability = "ah";
  EXPECT_EQ(case_reason(c), "missing capability: ah");
  c.verdict = Verdict::pass;
  EXPECT_EQ(case_reason(c), "");
}

TEST(TextSummary, TruncateKeepsWholeCharacters) {
  EXPECT_EQ(truncate_utf8("abc", 3), "abc");
  EXPECT_EQ(truncate_utf8("abcd", 3), "abc\xE2\x80\xA6");
  EXPECT_EQ(truncate_utf8("a\xC3\xA9z", 2), "a\xE2\x80\xA6");  // never half of "é"
}

TEST(TextSummary, SecondsAndAnchors) {
  EXPECT_EQ(seconds_text(1500), "1.500");
  EXPECT_EQ(seconds_text(0), "0.000");
  EXPECT_EQ(case_anchor("esp.roundtrip[alg=aes-128-gcm]"), "case-esp.roundtrip[alg=aes-128-gcm]");
  EXPECT_EQ(case_anchor("a b\x01"), "case-a_b_");
  EXPECT_EQ(requirement_anchor("ADD-006"), "req-ADD-006");
}

}  // namespace
}  // namespace cts::reports
