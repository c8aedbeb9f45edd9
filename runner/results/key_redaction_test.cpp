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
  c.evidence = nlohmann::json::array({{{"step", "steps[0]"}, {"request", "00" + kKeyHex},
                                       {"device", {{"frames", {kKeyHex}}}}}});
  EXPECT_EQ(r.redact(c), 5u);
  const std::string all = c.error + c.findings[0].actual + c.findings[0].detail + c.evidence.dump();
  EXPECT_EQ(all.find(kKeyHex), std::string::npos) << all;
  EXPECT_TRUE(c.evidence[0].contains("keys_redacted"));
}

}  // namespace
}  // namespace cts::results
