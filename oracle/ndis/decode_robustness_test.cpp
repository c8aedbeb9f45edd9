// Randomised robustness of the decoders and of validation (the normal-build counterpart of
// fuzz/ndis_decode_fuzz.cpp): mutated and random buffers of every OID, both ABIs. Properties:
// nothing crashes or reads outside the buffer (each input sits in an exactly-sized heap block,
// so a sanitizer build flags any overrun); every rejection names a status and a field; whatever
// decodes re-encodes to a buffer that decodes to the same model; validation never hands out a
// key longer than its slot. The seed is printed and can be replayed with CTS_SEED=<n>.
#include <gtest/gtest.h>

#include <cstdlib>
#include <memory>
#include <random>

#include "oracle/ndis/codec.h"
#include "oracle/ndis/test_requests.h"
#include "oracle/ndis/validate.h"

namespace cts::ndis {
namespace {

uint64_t seed_from_env() {
  if (const char* s = std::getenv("CTS_SEED")) return std::strtoull(s, nullptr, 0);
  return 0x1D15C0DEull;
}

template <typename T>
void expect_named_rejection(const Decoded<T>& d) {
  if (const auto* e = std::get_if<DecodeError>(&d)) {
    EXPECT_TRUE(ndis_failed(e->status)) << e->message;
    EXPECT_FALSE(ndis_status_name(e->status).empty());
    EXPECT_FALSE(e->message.empty());
  }
}

void check_validation(const AddSaElement& e) {
  for (bool salt : {true, false}) {
    ValidationOptions o;
    o.gcm_key_includes_salt = salt;
    auto v = validate_add_element(e, 0, o);
    if (const auto* err = std::get_if<DecodeError>(&v)) {
      EXPECT_TRUE(err->status == NDIS_STATUS_INVALID_DATA ||
                  err->status == NDIS_STATUS_NOT_SUPPORTED ||
                  err->status == NDIS_STATUS_INVALID_LENGTH)
          << err->field;
      EXPECT_FALSE(err->field.empty());
      continue;
    }
    const BundleSpec& b = std::get<BundleSpec>(v);
    EXPECT_TRUE(b.num_ext_hdrs == 1 || b.num_ext_hdrs == 2);
    for (uint32_t i = 0; i < b.num_ext_hdrs; ++i) {
      EXPECT_LE(b.sas[i].keys.encryption_key_length, 32);
      EXPECT_LE(b.sas[i].keys.authentication_key_length, 32);
      EXPECT_NE(b.sas[i].spi, 0u);
    }
  }
}

// Decodes `bytes` as every structure on both ABIs and checks the properties above.
void exercise(const std::vector<uint8_t>& bytes) {
  // Exactly-sized copy: one byte past the end is outside the allocation.
  std::unique_ptr<uint8_t[]> heap(new uint8_t[bytes.size() + (bytes.empty() ? 1 : 0)]);
  std::copy(bytes.begin(), bytes.end(), heap.get());
  const std::span<const uint8_t> b(heap.get(), bytes.size());
  for (Abi abi : {Abi::x64, Abi::x86}) {
    auto add = decode_add_sa(b, abi, {});
    expect_named_rejection(add);
    if (auto* r = std::get_if<AddSaRequest>(&add)) {
      EXPECT_EQ(list_element_offsets(b, OID_TCP_TASK_IPSEC_OFFLOAD_V2_ADD_SA, abi, {}).size(),
                r->elements.size());
      for (const auto& e : r->elements) check_validation(e);
      auto again = decode_add_sa(encode_add_sa(*r, abi, {}), abi, {});
      ASSERT_TRUE(std::holds_alternative<AddSaRequest>(again));
      EXPECT_EQ(std::get<AddSaRequest>(again), *r);
    }
    auto ex = decode_add_sa_ex(b, abi);
    expect_named_rejection(ex);
    if (auto* r = std::get_if<AddSaExRequest>(&ex)) {
      check_validation(r->element);
      auto again = decode_add_sa_ex(encode_add_sa_ex(*r, abi), abi);
      ASSERT_TRUE(std::holds_alternative<AddSaExRequest>(again));
      EXPECT_EQ(std::get<AddSaExRequest>(again), *r);
    }
    auto del = decode_delete_sa(b, abi, {});
    expect_named_rejection(del);
    if (auto* r = std::get_if<DeleteSaRequest>(&del)) {
      auto again = decode_delete_sa(encode_delete_sa(*r, abi, {}), abi, {});
      ASSERT_TRUE(std::holds_alternative<DeleteSaRequest>(again));
      EXPECT_EQ(std::get<DeleteSaRequest>(again), *r);
    }
    auto upd = decode_update_sa(b, abi);
    expect_named_rejection(upd);
    if (auto* r = std::get_if<UpdateSaRequest>(&upd)) (void)validate_update_request(*r);
    std::vector<uint8_t> copy(bytes);
    (void)rebase_next_links(copy, OID_TCP_TASK_IPSEC_OFFLOAD_V2_ADD_SA, abi, {}, {0x1000});
    (void)rebase_next_links(copy, OID_TCP_TASK_IPSEC_OFFLOAD_V2_DELETE_SA, abi, {}, {0x1000});
  }
  auto caps = decode_capabilities(b);
  expect_named_rejection(caps);
  if (auto* c = std::get_if<IpsecOffloadV2Capabilities>(&caps)) (void)check_capabilities(*c);
}

std::vector<std::vector<uint8_t>> seeds() {
  std::vector<std::vector<uint8_t>> out;
  for (Abi abi : {Abi::x64, Abi::x86}) {
    out.push_back(encode_add_sa({{testing::esp_cbc_sha1(), testing::esp_gcm_esn(),
                                  testing::esp_then_ah()}},
                                abi, {}));
    out.push_back(encode_add_sa_ex({testing::esp_then_ah()}, abi));
    DeleteSaRequest d;
    d.elements.resize(3);
    out.push_back(encode_delete_sa(d, abi, {}));
    UpdateSaRequest u;
    u.offload_handle = 9;
    u.spi = 9;
    out.push_back(encode_update_sa(u, abi));
  }
  const auto caps = encode_capabilities({});
  out.emplace_back(caps.begin(), caps.end());
  return out;
}

TEST(DecodeRobustness, MutatedBuffersNeverCrashAndRoundTrip) {
  const uint64_t seed = seed_from_env();
  std::cout << "[ seed ] CTS_SEED=" << seed << "\n";
  std::mt19937_64 rng(seed);
  const auto base = seeds();
  const uint32_t interesting[] = {0, 1, 2, 0x80, 0xFF, 0xFFFF, 0xFFFFFFFF, 8, 16, 24, 156, 168,
                                  169, 170, 176, 208};
  for (int iteration = 0; iteration < 20000; ++iteration) {
    std::vector<uint8_t> b = base[rng() % base.size()];
    const int mutations = 1 + static_cast<int>(rng() % 6);
    for (int m = 0; m < mutations && !b.empty(); ++m) {
      const size_t at = rng() % b.size();
      switch (rng() % 5) {
        case 0: b[at] ^= static_cast<uint8_t>(1u << (rng() % 8)); break;
        case 1: b[at] = static_cast<uint8_t>(rng()); break;
        case 2: {  // a little-endian 32-bit interesting value at a 4-aligned offset
          const uint32_t v = interesting[rng() % std::size(interesting)];
          const size_t w = at & ~size_t{3};
          for (size_t i = 0; i < 4 && w + i < b.size(); ++i) {
            b[w + i] = static_cast<uint8_t>(v >> (8 * i));
          }
          break;
        }
        case 3: b.resize(rng() % (b.size() + 1)); break;
        default: b.resize(b.size() + rng() % 64, static_cast<uint8_t>(rng())); break;
      }
    }
    exercise(b);
    if (::testing::Test::HasFailure()) {
      FAIL() << "iteration " << iteration << " (replay with CTS_SEED=" << seed << ")";
    }
  }
}

TEST(DecodeRobustness, RandomBuffersNeverCrash) {
  const uint64_t seed = seed_from_env() + 1;
  std::cout << "[ seed ] CTS_SEED=" << seed - 1 << "\n";
  std::mt19937_64 rng(seed);
  for (int iteration = 0; iteration < 5000; ++iteration) {
    std::vector<uint8_t> b(rng() % 512);
    for (auto& x : b) x = static_cast<uint8_t>(rng());
    if (b.size() >= 4 && (rng() & 1)) {  // often a valid header, to reach deeper checks
      b[0] = 0x80;
      b[1] = 1;
      b[2] = 176;
      b[3] = 0;
    }
    exercise(b);
    if (::testing::Test::HasFailure()) FAIL() << "iteration " << iteration;
  }
}

}  // namespace
}  // namespace cts::ndis
