// The burst calls against the per-packet ones: EspOutbound::protect_burst and
// EspInbound::process_burst must give exactly what protect()/process() give one packet at a time
// (results, packet bytes, sequence numbers, replay window, counters), for every transform kind
// (GCM, GMAC, CBC + HMAC, NULL + HMAC; with and without ESN), across burst boundaries and with
// failures in the middle of a burst: a forged ICV, a duplicate inside the same burst, a packet
// far ahead that pushes later ones out of the window, a truncated packet, a foreign SPI, a
// dummy, malformed padding, an output buffer too small, the sequence counter running out. The
// tests run on each crypto backend (cts_test_other_crypto_backend).
#include <gtest/gtest.h>

#include <vector>

#include "oracle/esp/esp_inbound.h"
#include "oracle/esp/esp_outbound.h"
#include "oracle/esp/esp_test_support.h"

namespace cts::esp {
namespace {

using Bytes = std::vector<uint8_t>;

const char* const kSuites[] = {"aes-128-gcm", "aes-256-gcm", "aes-128-gmac", "aes-128-cbc-hmac-sha1",
                               "aes-256-cbc-hmac-sha256", "null-hmac-sha256"};

EspSaConfig config_for(const char* name, bool esn) {
  EspSuite suite;
  EXPECT_TRUE(parse_suite(name, suite)) << name;
  EspSaConfig c = testing::make_config(suite, 0x0A0B0C0D, esn, 3);
  c.replay_window = 64;
  // ESN: the stream crosses a high-half boundary, so inference changes inside a burst.
  c.initial_sequence = esn ? 0xFFFFFF80ull : 0;
  return c;
}

void expect_same(const InboundResult& a, const InboundResult& b, size_t i) {
  SCOPED_TRACE("packet " + std::to_string(i));
  EXPECT_EQ(a.status.verdict, b.status.verdict);
  EXPECT_STREQ(a.status.detail, b.status.detail);
  EXPECT_EQ(a.spi, b.spi);
  EXPECT_EQ(a.seq, b.seq);
  EXPECT_EQ(a.esn_resynchronised, b.esn_resynchronised);
  EXPECT_EQ(a.next_header, b.next_header);
  EXPECT_EQ(a.pad_length, b.pad_length);
  EXPECT_EQ(a.payload_offset, b.payload_offset);
  EXPECT_EQ(a.payload_length, b.payload_length);
}

// Packets as a receiver meets them: in order mostly, with every kind of failure in the middle.
std::vector<Bytes> arrivals(const EspSaConfig& cfg) {
  auto rng = testing::seeded(99);
  std::unique_ptr<EspOutbound> out;
  EXPECT_TRUE(EspOutbound::create(cfg, testing::library(), *rng, out).ok());
  std::vector<Bytes> sent;
  for (size_t i = 0; i < 200; ++i) {
    const size_t len = (i * 37) % 301;
    Bytes payload(len);
    for (size_t j = 0; j < len; ++j) payload[j] = static_cast<uint8_t>(i + j * 3);
    Bytes pkt(out->packet_size(len) + 16);
    OutboundOptions opt;
    opt.malformed_padding = i == 40;
    const OutboundResult r = i == 30 ? out->protect_dummy(len, pkt, opt) : out->protect(payload, 4, pkt, opt);
    EXPECT_TRUE(r.status.ok()) << r.status.detail;
    pkt.resize(r.length);
    sent.push_back(pkt);
  }
  std::vector<Bytes> a;
  for (size_t i = 0; i < 200; ++i) {
    if (i == 100) a.push_back(sent[190]);  // far ahead: 100..126 fall out of the 64-wide window
    a.push_back(sent[i]);
    if (i == 5 || i == 140) a.push_back(sent[i]);  // duplicate in the same burst
    if (i == 120) a.push_back(sent[2]);            // an old one again
    if (i == 10 || i == 11 || i == 12 || i == 90) a.back()[a.back().size() - 1] ^= 0x40;  // forged ICV
    if (i == 60) a.push_back(Bytes(sent[i].begin(), sent[i].begin() + 6));                 // truncated
    if (i == 70) {
      Bytes foreign = sent[i];
      foreign[0] ^= 0x80;  // another SA's SPI
      a.push_back(foreign);
    }
  }
  return a;
}

TEST(EspBurst, InboundBurstEqualsPacketByPacket) {
  size_t compared = 0;
  for (const char* name : kSuites) {
    for (bool esn : {false, true}) {
      SCOPED_TRACE(std::string(name) + (esn ? "/esn" : ""));
      const EspSaConfig cfg = config_for(name, esn);
      const std::vector<Bytes> in = arrivals(cfg);
      std::unique_ptr<EspInbound> one;
      ASSERT_TRUE(EspInbound::create(cfg, testing::library(), one).ok());
      std::vector<Bytes> by_one = in;
      std::vector<InboundResult> want(in.size());
      for (size_t i = 0; i < in.size(); ++i) want[i] = one->process(by_one[i]);
      for (size_t burst : {size_t{1}, size_t{7}, size_t{64}, in.size()}) {
        SCOPED_TRACE("burst " + std::to_string(burst));
        std::unique_ptr<EspInbound> many;
        ASSERT_TRUE(EspInbound::create(cfg, testing::library(), many).ok());
        std::vector<Bytes> by_burst = in;
        std::vector<crypto::MutableBytes> views(by_burst.begin(), by_burst.end());
        std::vector<InboundResult> got(in.size());
        for (size_t at = 0; at < in.size(); at += burst) {
          const size_t n = std::min(burst, in.size() - at);
          many->process_burst(std::span(views).subspan(at, n), std::span(got).subspan(at, n));
        }
        for (size_t i = 0; i < in.size(); ++i) {
          expect_same(want[i], got[i], i);
          EXPECT_EQ(by_one[i], by_burst[i]) << "packet " << i << " left different bytes";
        }
        EXPECT_EQ(one->counters(), many->counters());
        EXPECT_EQ(one->window().top(), many->window().top());
        for (uint64_t s = one->window().top() - 70; s <= one->window().top(); ++s) {
          EXPECT_EQ(one->window().seen(s), many->window().seen(s)) << "seq " << s;
        }
        ++compared;
      }
      // The stream must hold the failures it is meant to: each class seen at least once.
      const auto& c = one->counters();
      for (EspVerdict v : {EspVerdict::ok, EspVerdict::replay, EspVerdict::truncated, EspVerdict::invalid_argument,
                           EspVerdict::dummy}) {
        EXPECT_GT(c[static_cast<int>(v)], 0u) << verdict_name(v);
      }
      // With ESN a number far behind the window is inferred into the next high half (App. A2.1)
      // and fails its ICV instead.
      if (!esn) {
        EXPECT_GT(c[static_cast<int>(EspVerdict::outside_window)], 0u);
      }
      EXPECT_GT(c[static_cast<int>(EspVerdict::bad_icv)], 0u);
      EXPECT_GT(c[static_cast<int>(EspVerdict::bad_padding)], 0u);
    }
  }
  EXPECT_EQ(compared, std::size(kSuites) * 2 * 4);
}

TEST(EspBurst, OutboundBurstEqualsPacketByPacket) {
  for (const char* name : kSuites) {
    for (bool esn : {false, true}) {
      SCOPED_TRACE(std::string(name) + (esn ? "/esn" : ""));
      EspSaConfig cfg = config_for(name, esn);
      // 32-bit numbers run out inside the stream: the last packets are refused (SEQ_OVERFLOW).
      if (!esn) cfg.initial_sequence = 0xFFFFFFFFull - 150;
      auto rng_one = testing::seeded(5), rng_many = testing::seeded(5);
      std::unique_ptr<EspOutbound> one, many;
      ASSERT_TRUE(EspOutbound::create(cfg, testing::library(), *rng_one, one).ok());
      ASSERT_TRUE(EspOutbound::create(cfg, testing::library(), *rng_many, many).ok());
      constexpr size_t kCount = 170;
      std::vector<Bytes> payloads(kCount);
      for (size_t i = 0; i < kCount; ++i) {
        payloads[i].resize((i * 53) % 1500);
        for (size_t j = 0; j < payloads[i].size(); ++j) payloads[i][j] = static_cast<uint8_t>(i * 7 + j);
      }
      auto buffers = [&] {
        std::vector<Bytes> b(kCount);
        for (size_t i = 0; i < kCount; ++i) b[i].assign(one->packet_size(payloads[i].size()) + 8, 0xEE);
        b[33].resize(8);  // too small: refused without burning a number
        return b;
      };
      std::vector<Bytes> a = buffers(), b = buffers();
      std::vector<OutboundResult> want(kCount), got(kCount);
      for (size_t i = 0; i < kCount; ++i) want[i] = one->protect(payloads[i], 17, a[i]);
      std::vector<crypto::ByteView> pv(payloads.begin(), payloads.end());
      std::vector<crypto::MutableBytes> ov(b.begin(), b.end());
      for (size_t at = 0; at < kCount; at += 50) {
        const size_t n = std::min<size_t>(50, kCount - at);
        many->protect_burst(std::span(pv).subspan(at, n), 17, std::span(ov).subspan(at, n),
                            std::span(got).subspan(at, n));
      }
      size_t refused = 0;
      for (size_t i = 0; i < kCount; ++i) {
        SCOPED_TRACE("packet " + std::to_string(i));
        EXPECT_EQ(want[i].status.verdict, got[i].status.verdict);
        EXPECT_STREQ(want[i].status.detail, got[i].status.detail);
        EXPECT_EQ(want[i].seq, got[i].seq);
        EXPECT_EQ(want[i].length, got[i].length);
        EXPECT_EQ(want[i].pad_length, got[i].pad_length);
        EXPECT_EQ(a[i], b[i]);
        refused += !want[i].status.ok();
      }
      EXPECT_EQ(want[33].status.verdict, EspVerdict::buffer_too_small);
      if (!esn) {
        EXPECT_EQ(want[kCount - 1].status.verdict, EspVerdict::seq_overflow);
      }
      EXPECT_GE(refused, esn ? 1u : 2u);
    }
  }
}

}  // namespace
}  // namespace cts::esp
