// Known-answer reader: the committed copy of the published file loads completely; the reader is
// strict about members it does not understand.
#include "runner/vectors/known_answer_file.h"

#include <gtest/gtest.h>

#include <nlohmann/json.hpp>

namespace cts::vectors {
namespace {

const std::string kCommitted = std::string(CTS_SOURCE_ROOT) + "/vectors/known-answers/esp-known-answers.json";

TEST(KnownAnswerFile, CommittedCopyLoadsEveryVector) {
  KnownAnswerFile f;
  std::string error;
  ASSERT_TRUE(load_known_answers(kCommitted, f, error)) << error;
  EXPECT_EQ(f.vectors.size(), 62u);
  const KnownAnswer* v = f.find("mcgrew-gcm-test-01-gcm128-esn");
  ASSERT_NE(v, nullptr);
  EXPECT_EQ(v->category, KatCategory::esp_packet);
  EXPECT_TRUE(v->esn);
  EXPECT_EQ(*v->seq, 0x8765432100000000ull);
  EXPECT_EQ(*v->spi, 0x4321u);
  EXPECT_EQ(v->salt.size(), 4u);
  const KnownAnswer* r = f.find("odp-replay-window32-scenario");
  ASSERT_NE(r, nullptr);
  EXPECT_EQ(r->packets.size(), 4u);
  EXPECT_EQ(r->expected_results[3], KatExpectedResult::reject_out_of_window);
}

TEST(KnownAnswerFile, UnknownMembersAreRejectedWithPath) {
  const std::string text = R"({"count": 1, "vectors": [{"name": "x", "source": {"document": "d"},
    "category": "mac-primitive", "algorithm": {"integrity": "HMAC-SHA1-96"}, "expected_result": "match",
    "keys": {"auth_key": "00", "extra_key": "11"}}]})";
  KnownAnswerFile f;
  std::string error;
  EXPECT_FALSE(parse_known_answers(text, "k.json", f, error));
  EXPECT_NE(error.find("k.json: $.vectors[0].keys.extra_key: unknown field"), std::string::npos) << error;
}

TEST(KnownAnswerFile, CountAndReferencesAreChecked) {
  KnownAnswerFile f;
  std::string error;
  EXPECT_FALSE(parse_known_answers(R"({"count": 2, "vectors": []})", "k.json", f, error));
  EXPECT_NE(error.find("$.count"), std::string::npos) << error;
  const std::string dangling = R"({"vectors": [{"name": "s", "source": {}, "category": "replay-scenario",
     "algorithm": {}, "packets": [{"seq": "01", "packet_vector": "missing"}], "expected_results": ["accept"]}]})";
  EXPECT_FALSE(parse_known_answers(dangling, "k.json", f, error));
  EXPECT_NE(error.find("packet_vector"), std::string::npos) << error;
  EXPECT_FALSE(parse_known_answers(R"({"vectors": [{"name": "h", "source": {}, "category": "mac-primitive",
     "algorithm": {}, "expected_result": "maybe"}]})", "k.json", f, error));
  EXPECT_NE(error.find("$.vectors[0].expected_result"), std::string::npos) << error;
}

}  // namespace
}  // namespace cts::vectors
