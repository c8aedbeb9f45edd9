#include "reports/html_evidence.h"

#include <gtest/gtest.h>

#include "reports/test_support/mini_xml.h"

namespace cts::reports {
namespace {

using nlohmann::json;

json dump_with(size_t bundles) {
  json d = {{"bundle_count", bundles}, {"bundles", json::array()}};
  for (size_t i = 0; i < bundles; ++i)
    d["bundles"].push_back({{"slot", i}, {"handle", "0x" + std::to_string(1000 + i)}, {"direction", "inbound"},
                            {"sas", {{{"spi", "0x1000"}, {"operation", "ESP"}, {"esn", true}}}}});
  return d;
}

TEST(HtmlEvidence, SaTableColumnsInReadingOrder) {
  const std::string html = render_sa_table_html(dump_with(2), "Oracle", "r.json $.x");
  std::string error;
  ASSERT_TRUE(testing::parse_html("<div>" + html + "</div>", error)) << error;
  EXPECT_LT(html.find(">handle<"), html.find(">slot<"));
  EXPECT_LT(html.find(">slot<"), html.find(">direction<"));
  EXPECT_NE(html.find("<b>ESP</b> · SPI 0x00001000 · ESN"), std::string::npos);  // one radix and width
}

TEST(HtmlEvidence, LargeTablesPointIntoTheResultsFile) {
  const std::string html = render_sa_table_html(dump_with(250), "Oracle", "r.json $.cases[1].evidence[0].oracle_table");
  EXPECT_NE(html.find("… and 50 more bundles, all in <code>r.json $.cases[1].evidence[0].oracle_table.bundles</code>"),
            std::string::npos);
}

TEST(HtmlEvidence, NonDumpIsShownAsText) {
  const std::string html = render_sa_table_html("<b>not a dump</b>", "Device", "w");
  EXPECT_NE(html.find("Not an SA-table dump"), std::string::npos);
  EXPECT_NE(html.find("&lt;b&gt;not a dump&lt;/b&gt;"), std::string::npos);
}

results::StepEvidence send_step(const std::string& oracle_wire, const std::string& device_wire) {
  results::StepEvidence ev;
  ev.step = "steps[0]";
  ev.op = "send";
  results::PacketEvidence p;
  p.frame = "0200000000010200000000020800450000804000";
  p.device = results::PacketAnswer{};
  p.device->verdict = "clear";
  p.device->wire = device_wire;
  p.oracle = results::PacketAnswer{};
  p.oracle->verdict = "protected";
  p.oracle->wire = oracle_wire;
  ev.packets = {p};
  return ev;
}

TEST(HtmlEvidence, AnswersComparedByWhatMatters) {
  CaseView c;
  c.id = "x.y.z";
  c.verdict = Verdict::fail;
  c.findings = {{"steps[0]", "wire", "a", "b", {}, ""}};
  results::StepEvidence ev = send_step("450000880001000040320000200000000001abababab", "450000880001000040320000200000000001abababcd");
  ev.oracle = results::OidAnswer{"NDIS_STATUS_SUCCESS (0x00000000)", std::nullopt, std::nullopt, {"0x00010001"}, "", {}};
  ev.device = results::OidAnswer{"NDIS_STATUS_SUCCESS (0x00000000)", std::nullopt, std::nullopt, {"0x00000007"}, "", {}};
  c.evidence = {ev};
  const std::string html = render_case_evidence(c, "r.json");
  std::string error;
  ASSERT_TRUE(testing::parse_html("<div>" + html + "</div>", error)) << error;
  // Two non-NULL handles from two namespaces are not a difference; the wire verdict is, and the
  // finding names the wire row.
  EXPECT_EQ(html.find("<tr class=\"differs\"><th scope=\"row\">handles"), std::string::npos);
  EXPECT_NE(html.find("<tr class=\"differs\"><th scope=\"row\">wire verdict"), std::string::npos);
  EXPECT_NE(html.find("<tr class=\"differs\"><th scope=\"row\">wire<"), std::string::npos);
  EXPECT_NE(html.find("first difference at byte 21: oracle ab, device cd"), std::string::npos);
  EXPECT_NE(html.find("open=\"open\""), std::string::npos);  // the step of the finding
}

TEST(HtmlEvidence, NullHandleAgainstHandleIsADifference) {
  CaseView c;
  c.id = "x";
  c.verdict = Verdict::fail;
  results::StepEvidence ev;
  ev.step = "steps[0]";
  ev.oracle = results::OidAnswer{"S", std::nullopt, std::nullopt, {"NULL"}, "", {}};
  ev.device = results::OidAnswer{"S", std::nullopt, std::nullopt, {"0x00000007"}, "", {}};
  c.evidence = {ev};
  EXPECT_NE(render_case_evidence(c, "r.json").find("<tr class=\"differs\"><th scope=\"row\">handles (NULL or set)"),
            std::string::npos);
}

TEST(HtmlEvidence, OobWordsDecodedSideBySideWithTheDifferingFieldMarked) {
  CaseView c;
  c.id = "recv.oob.icv_failure";
  c.verdict = Verdict::fail;
  c.findings = {{"steps[1]", "oob.CryptoStatus", "CRYPTO_TRANSPORT_ESP_AUTH_FAILED (3)", "CRYPTO_GENERIC_ERROR (1)",
                 {"RECV-009"}, ""}};
  results::StepEvidence ev;
  ev.step = "steps[1]";
  ev.op = "receive";
  results::PacketEvidence p;
  p.frame = "02000000000102000000000208004500";
  p.device = results::PacketAnswer{};
  p.device->indicated = true;
  p.device->ipsec_info = 0x10002;
  p.device->header_info = 0;
  p.device->oob = {{"CryptoDone", "0"}, {"CryptoStatus", "CRYPTO_GENERIC_ERROR(1)"}, {"HeaderInfoSet", "0"}};
  p.oracle = results::PacketAnswer{};
  p.oracle->indicated = true;
  p.oracle->ipsec_info = 0x30002;
  p.oracle->header_info = 0;
  p.oracle->oob = {{"CryptoDone", "0"}, {"CryptoStatus", "CRYPTO_TRANSPORT_ESP_AUTH_FAILED(3)"}, {"HeaderInfoSet", "0"}};
  ev.packets = {p};
  c.evidence = {ev};
  const std::string html = render_case_evidence(c, "r.json");
  std::string error;
  ASSERT_TRUE(testing::parse_html("<div>" + html + "</div>", error)) << error;
  EXPECT_NE(html.find("<tr class=\"differs\"><th scope=\"row\">CryptoStatus<span class=\"visually-hidden\"> (differs)</span>"
                      "</th><td>CRYPTO_TRANSPORT_ESP_AUTH_FAILED(3)</td><td>CRYPTO_GENERIC_ERROR(1)</td>"),
            std::string::npos)
      << html;
  EXPECT_NE(html.find("<tr><th scope=\"row\">CryptoDone</th>"), std::string::npos);  // equal: not marked
  // The raw words one click away.
  EXPECT_NE(html.find("<details class=\"raw\"><summary>Raw frame and OOB words (hex)</summary>"), std::string::npos);
  EXPECT_NE(html.find("0x0000000000030002 0x00000000"), std::string::npos);
  EXPECT_NE(html.find("0x0000000000010002 0x00000000"), std::string::npos);
}

TEST(HtmlEvidence, DecodedRequestOfBothSidesWithTheirHandlesApart) {
  CaseView c;
  c.id = "x";
  c.verdict = Verdict::fail;
  results::StepEvidence ev;
  ev.step = "steps[2]";
  ev.op = "oid DELETE_SA";
  ev.abi = "x64";
  ev.request = "0100000000000000";
  ev.device_request = "0200000000000000";
  ev.request_fields = {{"elements[0].OffloadHandle", "0x1"}, {"elements[0].Header.Revision", "1"}};
  ev.device_request_fields = {{"elements[0].OffloadHandle", "0x80001000"}, {"elements[0].Header.Revision", "1"}};
  c.evidence = {ev};
  const std::string html = render_case_evidence(c, "r.json");
  EXPECT_NE(html.find("<caption>Request DELETE_SA (x64), decoded</caption>"), std::string::npos) << html;
  EXPECT_NE(html.find("<tr class=\"differs\"><th scope=\"row\">elements[0].OffloadHandle"), std::string::npos);
  EXPECT_NE(html.find("<tr><th scope=\"row\">elements[0].Header.Revision</th>"), std::string::npos);
  EXPECT_NE(html.find("Raw request bytes (hex)"), std::string::npos);
}

TEST(HtmlEvidence, SaTablesInOneRadixWithDifferingCellsMarked) {
  const json oracle = {{"bundles",
                        {{{"handle", "0x00000005"}, {"direction", "inbound"},
                          {"sas", {{{"operation", "ESP"}, {"spi", "0x00001001"}, {"esn", true},
                                    {"sequence_number_high_order", 0}}}}}}}};
  const json device = {{"bundles",
                        {{{"handle", "0x80001000"}, {"direction", "inbound"},
                          {"sas", {{{"operation", "esp"}, {"spi", 4097}, {"esn", true},
                                    {"sequence_number_high_order", "0x2"}}}}}}}};
  const std::string d = render_sa_table_html(device, "Device", "w", &oracle);
  std::string error;
  ASSERT_TRUE(testing::parse_html("<div>" + d + "</div>", error)) << error;
  EXPECT_NE(d.find("SPI 0x00001001"), std::string::npos) << d;  // 4097 in the oracle's radix
  EXPECT_EQ(d.find("4097"), std::string::npos);
  // The high half differs (2 against 0); the operation's spelling and the handle do not count.
  EXPECT_NE(d.find("<mark class=\"differs\" title=\"the other side: ESN high 0\">ESN high 2</mark>"), std::string::npos) << d;
  EXPECT_EQ(d.find("<mark class=\"differs\" title=\"the other side: operation"), std::string::npos);
  EXPECT_NE(d.find("1 bundle(s) differ from the other side"), std::string::npos);
  const std::string o = render_sa_table_html(oracle, "Oracle", "w", &device);
  EXPECT_NE(o.find("<mark class=\"differs\" title=\"the other side: ESN high 2\">ESN high 0</mark>"), std::string::npos) << o;
}

TEST(HtmlEvidence, FailWithoutEvidenceSaysSo) {
  CaseView c;
  c.verdict = Verdict::error;
  EXPECT_NE(render_case_evidence(c, "r.json").find("No evidence was recorded"), std::string::npos);
  c.verdict = Verdict::pass;
  EXPECT_EQ(render_case_evidence(c, "r.json"), "");
}

}  // namespace
}  // namespace cts::reports
