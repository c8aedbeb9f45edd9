#include "runner/core/wire_judge.h"

#include <gtest/gtest.h>

#include <memory>

#include "oracle/esp/esp_host.h"
#include "runner/core/bundle_material.h"
#include "runner/core/packet_builder.h"

namespace cts::core {
namespace {

// A peer host protects a datagram as a correct NIC would; the judge must accept exactly that and
// name what is wrong with every damaged variant.
struct Fixture {
  esp::EspSaConfig sa;
  std::vector<uint8_t> plain;
  std::vector<uint8_t> framed_stand_in;

  Fixture() {
    sa.spi = 0x1234;
    sa.suite.encryption = esp::EspEncryption::aes_128_gcm;
    std::vector<uint8_t> key(20);
    for (size_t i = 0; i < key.size(); ++i) key[i] = static_cast<uint8_t>(i * 7 + 1);
    sa.encryption_key.assign(key);
    sa.esn = true;
    DatagramSpec d;
    d.src = *parse_address("192.0.2.1", 4);
    d.dst = *parse_address("198.51.100.2", 4);
    d.payload.assign(40, 0xAB);
    plain = build_datagram(d);
  }
  std::vector<uint8_t> protect(uint32_t high, uint32_t low) {
    std::unique_ptr<esp::EspHost> host;
    EXPECT_TRUE(esp::EspHost::create(host).ok());
    esp::HostSaParams p;
    p.esp = sa;
    p.esp->initial_sequence = ((static_cast<uint64_t>(high) << 32) | low) - 1;
    esp::HostSaId id = 0;
    EXPECT_TRUE(host->add_outbound(p, id).ok());
    std::vector<uint8_t> out(plain.size() + 128);
    const auto r = host->protect(id, plain, out);
    EXPECT_TRUE(r.status.ok());
    out.resize(r.length);
    return ethernet_wrap(out, true);
  }
  WireExpectation expectation(uint32_t high, uint32_t low, const std::vector<uint8_t>& framed) {
    WireExpectation e;
    e.sa = sa;
    e.sequence_low = low;
    e.seq_high = high;
    e.framed_frame = framed;
    e.plain_datagram = plain;
    return e;
  }
};

TEST(WireJudge, AcceptsACorrectlyProtectedFrame) {
  Fixture f;
  const auto wire = f.protect(3, 10);
  std::vector<uint8_t> framed(wire.size(), 0);  // same length, different bytes: a NIC filled it
  std::copy(wire.begin(), wire.begin() + 14, framed.begin());
  const auto v = judge_send_output({wire}, f.expectation(3, 10, framed));
  EXPECT_EQ(v.verdict, "protected") << v.detail;
}

TEST(WireJudge, DiagnosesAStaleEsnHighHalf) {
  Fixture f;
  const auto wire = f.protect(2, 10);  // the device used high half 2 ...
  std::vector<uint8_t> framed(wire.size(), 0);
  std::copy(wire.begin(), wire.begin() + 14, framed.begin());
  const auto v = judge_send_output({wire}, f.expectation(3, 10, framed));  // ... the SA holds 3
  EXPECT_EQ(v.verdict, "corrupt");
  ASSERT_TRUE(v.seq_high_used);
  EXPECT_EQ(*v.seq_high_used, 2u);
  EXPECT_NE(v.detail.find("SEND-017"), std::string::npos);
}

TEST(WireJudge, OtherOutcomes) {
  Fixture f;
  const auto wire = f.protect(0, 5);
  std::vector<uint8_t> framed(wire.size(), 0);
  std::copy(wire.begin(), wire.begin() + 14, framed.begin());
  EXPECT_EQ(judge_send_output({}, f.expectation(0, 5, framed)).verdict, "none");
  EXPECT_EQ(judge_send_output({framed}, f.expectation(0, 5, framed)).verdict, "clear");
  EXPECT_EQ(judge_send_output({wire, wire}, f.expectation(0, 5, framed)).verdict, "corrupt");
  auto damaged = wire;
  damaged.back() ^= 1;
  EXPECT_EQ(judge_send_output({damaged}, f.expectation(0, 5, framed)).verdict, "corrupt");
  // The framed sequence number was 6, the device sent 5 (it renumbered: SEND-010).
  const auto v = judge_send_output({wire}, f.expectation(0, 6, framed));
  EXPECT_EQ(v.verdict, "corrupt");
}

// A frame as far as the IV: Ethernet, `esp_offset` octets of IP (and UDP) header, SPI, Sequence
// Number, then the IV; the rest does not matter to the history.
std::vector<uint8_t> frame_with_iv(uint32_t esp_offset, const std::vector<uint8_t>& iv) {
  std::vector<uint8_t> f(14 + esp_offset + 8, 0x55);
  f.insert(f.end(), iv.begin(), iv.end());
  f.resize(f.size() + 40, 0x66);
  return f;
}

esp::EspSuite suite_named(const char* name) {
  esp::EspSuite s;
  EXPECT_TRUE(esp::parse_suite(name, s)) << name;
  return s;
}

TEST(SentIvs, ARepeatUnderOneSaIsNamedWithItsRequirement) {
  struct Row {
    const char* suite;
    size_t iv_size;
    const char* requirement;
  };
  for (const Row& row : {Row{"aes-128-gcm", 8, "GCM-001"}, Row{"aes-256-gmac", 8, "GMAC-001"},
                         Row{"aes-128-cbc-hmac-sha1", 16, "CBC-002"}}) {
    SCOPED_TRACE(row.suite);
    const esp::EspSuite suite = suite_named(row.suite);
    const std::vector<uint8_t> a(row.iv_size, 0xA1), b(row.iv_size, 0xB2);
    SentIvs h;
    EXPECT_FALSE(h.record(frame_with_iv(20, a), 20, suite, 1));
    EXPECT_FALSE(h.record(frame_with_iv(20, b), 20, suite, 2));
    const auto r = h.record(frame_with_iv(20, a), 20, suite, 3);
    ASSERT_TRUE(r);
    EXPECT_EQ(r->requirement, row.requirement);
    EXPECT_EQ(r->iv, a);
    EXPECT_EQ(r->first_sequence, 1u);
  }
}

TEST(SentIvs, ReadsTheIvWhereTheEspHeaderSays) {
  const esp::EspSuite gcm = suite_named("aes-128-gcm");
  SentIvs h;
  // UDP-encapsulated: ESP at 28. The octets at 20 + 8 (inside the ESP header) are the same in
  // both frames; the IVs are not.
  EXPECT_FALSE(h.record(frame_with_iv(28, std::vector<uint8_t>(8, 1)), 28, gcm, 1));
  EXPECT_FALSE(h.record(frame_with_iv(28, std::vector<uint8_t>(8, 2)), 28, gcm, 2));
  // ESN: the same low half under another high half is another sequence number.
  EXPECT_TRUE(h.record(frame_with_iv(28, std::vector<uint8_t>(8, 1)), 28, gcm, (uint64_t{1} << 32) | 1));
}

TEST(SentIvs, NoIvOrARepeatedSequenceNumberIsNotCounted) {
  SentIvs h;
  const esp::EspSuite null_sha = suite_named("null-hmac-sha256");
  EXPECT_FALSE(h.record(frame_with_iv(20, {}), 20, null_sha, 1));
  EXPECT_FALSE(h.record(frame_with_iv(20, {}), 20, null_sha, 2));
  // The transport framed sequence 7 twice: a device deriving IVs from it repeats through no fault.
  const esp::EspSuite gcm = suite_named("aes-128-gcm");
  EXPECT_FALSE(h.record(frame_with_iv(20, std::vector<uint8_t>(8, 7)), 20, gcm, 7));
  EXPECT_FALSE(h.record(frame_with_iv(20, std::vector<uint8_t>(8, 7)), 20, gcm, 7));
  // Too short to hold the IV.
  EXPECT_FALSE(h.record(std::vector<uint8_t>(14 + 20 + 8 + 4, 0), 20, gcm, 8));
}

}  // namespace
}  // namespace cts::core
