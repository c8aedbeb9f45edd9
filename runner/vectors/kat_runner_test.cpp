// Known-answer runner: every committed vector passes; sender choices recorded in a vector (the UDP
// checksum over IPv4 and IPv6) are honoured on encrypt; the receiver policy a vector names is
// applied on decrypt; every documented field is checked, so a vector whose field disagrees with
// its packet fails naming that field.
#include "runner/vectors/kat_runner.h"

#include <gtest/gtest.h>

#include <algorithm>

namespace cts::vectors {
namespace {

const std::string kCommitted = std::string(CTS_SOURCE_ROOT) + "/vectors/known-answers/esp-known-answers.json";
constexpr const char* kIpv6Udp = "odp-ipv6-hbh-udp-encap-transport-null-hmac-sha256";

const KnownAnswerFile& committed() {
  static const KnownAnswerFile f = [] {
    KnownAnswerFile file;
    std::string error;
    EXPECT_TRUE(load_known_answers(kCommitted, file, error)) << error;
    return file;
  }();
  return f;
}

KnownAnswer vector_named(const std::string& name) {
  const KnownAnswer* v = committed().find(name);
  EXPECT_NE(v, nullptr) << name;
  return v ? *v : KnownAnswer{};
}

KatOutcome run_one(const KnownAnswer& v) {
  KnownAnswerFile f;
  f.vectors.push_back(v);
  std::vector<KatOutcome> out = run_known_answers(f);
  EXPECT_EQ(out.size(), 1u);
  return out.empty() ? KatOutcome{} : out[0];
}

bool checked(const KatOutcome& o, const std::string& what) {
  return std::find(o.checks.begin(), o.checks.end(), what) != o.checks.end();
}

TEST(KatRunner, EveryCommittedVectorPasses) {
  const std::vector<KatOutcome> out = run_known_answers(committed());
  ASSERT_EQ(out.size(), committed().vectors.size());
  for (const auto& o : out) EXPECT_TRUE(o.passed) << o.name << ": " << o.failure;
}

TEST(KatRunner, Ipv6ZeroUdpChecksumIsTheSendersChoiceOnEncrypt) {
  const KatOutcome o = run_one(vector_named(kIpv6Udp));
  EXPECT_TRUE(o.passed) << o.failure;
  EXPECT_TRUE(checked(o, "encrypt: ip_packet"));
  EXPECT_TRUE(checked(o, "decrypt: verdict OK"));
}

TEST(KatRunner, ComputedUdpChecksumIsHonouredForBothIpVersions) {
  for (const char* name : {"odp-ipv6-hbh-udp-encap-transport-null-hmac-sha256-udp-checksum",
                           "odp-ipv4-udp-encap-transport-null-hmac-sha256-udp-checksum"}) {
    const KatOutcome o = run_one(vector_named(name));
    EXPECT_TRUE(o.passed) << name << ": " << o.failure;
    EXPECT_TRUE(checked(o, "encrypt: ip_packet")) << name;
  }
}

TEST(KatRunner, AChangedChecksumOctetIsStillCaughtOnEncrypt) {
  KnownAnswer v = vector_named(kIpv6Udp);
  (*v.expected.ip_packet)[55] = 0x01;  // a non-zero checksum that is not the right one
  const KatOutcome o = run_one(v);
  EXPECT_FALSE(o.passed);
  EXPECT_NE(o.failure.find("encrypt: ip_packet: differs at octet 54"), std::string::npos) << o.failure;
}

TEST(KatRunner, ReceiverPolicyDecidesTheZeroChecksumOutcome) {
  const KatOutcome strict = run_one(vector_named(std::string(kIpv6Udp) + "-strict-receiver"));
  EXPECT_TRUE(strict.passed) << strict.failure;
  EXPECT_TRUE(checked(strict, "decrypt: refused at the UDP layer"));
  // The same packet expected to be accepted by a discarding receiver must fail: the policy is applied.
  KnownAnswer v = vector_named(kIpv6Udp);
  v.receiver_policy.ipv6_udp_zero_checksum = KatIpv6ZeroChecksum::discard;
  const KatOutcome o = run_one(v);
  EXPECT_FALSE(o.passed);
  EXPECT_NE(o.failure.find("decrypt: verdict MALFORMED_HEADER"), std::string::npos) << o.failure;
  // A computed checksum passes a discarding receiver.
  const KatOutcome computed = run_one(vector_named(std::string(kIpv6Udp) + "-udp-checksum-strict-receiver"));
  EXPECT_TRUE(computed.passed) << computed.failure;
}

TEST(KatRunner, IcvInputIsCheckedAgainstThePacketAndTheHmac) {
  KnownAnswer v = vector_named(kIpv6Udp);
  ASSERT_TRUE(v.icv_input.has_value());
  EXPECT_TRUE(checked(run_one(v), "HMAC(auth_key, icv_input) = ICV"));
  v.icv_input->back() ^= 1;
  const KatOutcome o = run_one(v);
  EXPECT_FALSE(o.passed);
  EXPECT_NE(o.failure.find("icv_input = esp_packet without ICV"), std::string::npos) << o.failure;
}

TEST(KatRunner, EachDocumentedFieldDisagreeingWithThePacketFails) {
  struct Edit {
    const char* vector;
    const char* field;
    void (*apply)(KnownAnswer&);
  };
  const Edit edits[] = {
      {"mcgrew-gcm-test-01-gcm128-esn", "keys.keymat", [](KnownAnswer& v) { v.keymat.back() ^= 1; }},
      {"mcgrew-gcm-test-01-gcm128-esn", "nonce", [](KnownAnswer& v) { v.nonce->front() ^= 1; }},
      {"mcgrew-gcm-test-01-gcm128-esn", "aad", [](KnownAnswer& v) { v.aad->back() ^= 1; }},
      {"mcgrew-gcm-test-01-gcm128-esn", "seq_on_wire", [](KnownAnswer& v) { *v.seq_on_wire ^= 1; }},
      {"mcgrew-gcm-test-01-gcm128-esn", "expected.icv", [](KnownAnswer& v) { v.expected.icv->back() ^= 1; }},
      {"mcgrew-gcm-test-01-gcm128-esn", "algorithm.iv_bytes", [](KnownAnswer& v) { v.algorithm.iv_bytes = 16; }},
      {"odp-ipv4-transport-null-aes128-gmac", "aad", [](KnownAnswer& v) { v.aad->back() ^= 1; }},
      {kIpv6Udp, "expected.cleartext_body", [](KnownAnswer& v) { v.expected.cleartext_body->front() ^= 1; }},
      {kIpv6Udp, "esp_plaintext", [](KnownAnswer& v) { v.esp_plaintext->front() ^= 1; }},
  };
  for (const Edit& e : edits) {
    KnownAnswer v = vector_named(e.vector);
    const KatOutcome before = run_one(v);
    ASSERT_TRUE(before.passed) << e.vector << ": " << before.failure;
    e.apply(v);
    const KatOutcome o = run_one(v);
    EXPECT_FALSE(o.passed) << e.vector << " with " << e.field << " changed";
    EXPECT_NE(o.failure.find(e.field), std::string::npos) << e.field << " not named in: " << o.failure;
  }
}

TEST(KatRunner, ReceiverPolicyIsReadStrictly) {
  const std::string text = R"({"vectors": [{"name": "x", "source": {"document": "d"}, "category": "ip-packet",
    "algorithm": {"encryption": "NULL"}, "expected_result": "accept",
    "receiver_policy": {"ipv6_udp_zero_checksum": "sometimes"}}]})";
  KnownAnswerFile f;
  std::string error;
  EXPECT_FALSE(parse_known_answers(text, "k.json", f, error));
  EXPECT_NE(error.find("k.json: $.vectors[0].receiver_policy.ipv6_udp_zero_checksum"), std::string::npos) << error;
}

}  // namespace
}  // namespace cts::vectors
