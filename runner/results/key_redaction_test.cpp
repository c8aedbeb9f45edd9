#include "runner/results/key_redaction.h"

#include <gtest/gtest.h>

namespace cts::results {
namespace {

const std::vector<uint8_t> kKey = {0xc3, 0x7e, 0x19, 0xa4, 0x5d, 0x88, 0x2f, 0xe1,
                                   0x94, 0x06, 0xbb, 0x71, 0x3a, 0xd2, 0x6c, 0x8f};
const std::string kKeyHex = "c37e19a45d882fe19406bb713ad26c8f";

TEST(KeyRedactor, ZeroesAKeyInsideABufferAndKeepsItHex) {
  KeyRedactor r;
  r.add(kKey);
  std::string buffer = "0102" + kKeyHex + "0304";
  EXPECT_EQ(r.redact(buffer), 1u);
  EXPECT_EQ(buffer, "0102" + std::string(32, '0') + "0304");
}

TEST(KeyRedactor, FindsUpperCaseAndMarksKeysInText) {
  KeyRedactor r;
  r.add(kKey);
  std::string upper = kKeyHex;
  for (char& c : upper) c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
  std::string text = "device said: key " + upper + " rejected";
  EXPECT_EQ(r.redact(text), 1u);
  EXPECT_EQ(text, "device said: key [key redacted] rejected");
}

TEST(KeyRedactor, BuffersMatchOnByteBoundariesOnly) {
  KeyRedactor r;
  r.add(kKey);
  std::string shifted = "1" + kKeyHex + "0";  // the key's digits at an odd offset: other bytes
  EXPECT_EQ(r.redact(shifted), 0u);
}

TEST(KeyRedactor, CutBuffersAndShortKeys) {
  KeyRedactor r;
  r.add(kKey);
  r.add(std::vector<uint8_t>{0x01, 0x02, 0x03});  // too short to search for
  std::string cut = kKeyHex + "010203...(9000 bytes)";
  EXPECT_EQ(r.redact(cut), 1u);
  EXPECT_EQ(cut, std::string(32, '0') + "010203...(9000 bytes)");
  EXPECT_EQ(r.size(), 1u);
}

// A key of 1-3 octets is found only with the request bytes around it, and only its own octets
// are zeroed (or marked in text): the same three octets elsewhere stay.
TEST(KeyRedactor, ShortKeyInItsContext) {
  KeyRedactor r;
  const std::vector<uint8_t> context = {0x10, 0x00, 0x00, 0x00, 0x03, 0x00, 0x00, 0x00, 0xab, 0xcd, 0xef, 0x00};
  r.add_in_context(context, 8, 3);
  std::string buffer = "abcdef" "ffff" "10000000" "03000000" "abcdef" "00" "abcdef";
  EXPECT_EQ(r.redact(buffer), 1u);
  EXPECT_EQ(buffer, "abcdef" "ffff" "10000000" "03000000" "000000" "00" "abcdef");
  std::string text = "device echoed 1000000003000000abcdef00 back";
  EXPECT_EQ(r.redact(text), 1u);
  EXPECT_EQ(text, "device echoed 1000000003000000[key redacted]00 back");
  // A context that does not hold the key whole is refused.
  r.add_in_context(context, 10, 3);
  EXPECT_EQ(r.size(), 1u);
}

TEST(KeyRedactor, LongestKeyWinsAmongSharedPrefixes) {
  KeyRedactor r;
  r.add(std::vector<uint8_t>(kKey.begin(), kKey.begin() + 8));
  r.add(kKey);
  std::string buffer = kKeyHex;
  EXPECT_EQ(r.redact(buffer), 1u);
  EXPECT_EQ(buffer, std::string(32, '0'));
}

TEST(KeyRedactor, EveryTextOfACaseResult) {
  KeyRedactor r;
  r.add(kKey);
  CaseResult c;
  c.error = "device: oid_set: answer buffer " + kKeyHex;
  c.findings.push_back({"steps[0]", "wire", "no key", kKeyHex, {"SEC-001"}, "saw " + kKeyHex});
  StepEvidence step;
  step.step = "steps[0]";
  step.op = "oid ADD_SA";
  step.request = "00" + kKeyHex;
  step.request_fields.push_back({"elements[0].KeyData", kKeyHex});
  PacketEvidence packet;
  packet.frame = "0000";
  packet.device = PacketAnswer{};
  packet.device->wire = kKeyHex + "00";
  step.packets.push_back(packet);
  c.evidence.push_back(step);
  EXPECT_EQ(r.redact(c), 6u);
  std::string all = c.error + c.findings[0].actual + c.findings[0].detail;
  for (const auto& e : c.evidence) all += step_evidence_to_json(e).dump();
  EXPECT_EQ(all.find(kKeyHex), std::string::npos) << all;
  EXPECT_EQ(c.evidence[0].request, "00" + std::string(32, '0'));
  EXPECT_NE(c.evidence[0].note.find("--show-keys"), std::string::npos);
}

}  // namespace
}  // namespace cts::results
