// The two crypto backends (crypto/crypto_backend.h) against each other: for every suite, with and
// without ESN, at several sizes, the same SA and the same IV must seal to the same bytes on both;
// each must open what the other sealed; a flipped ICV bit must give bad_icv on both with the
// packet left unchanged. The published vectors are checked on each backend by the other tests of
// this folder (registered once per backend); this test pins byte-for-byte agreement on inputs no
// vector file covers.
#include <gtest/gtest.h>

#include <vector>

#include "oracle/crypto/crypto_backend.h"
#include "oracle/crypto/crypto_library.h"
#include "oracle/esp/esp_test_support.h"
#include "oracle/esp/esp_transform.h"

namespace cts::esp {
namespace {

using Bytes = std::vector<uint8_t>;

const crypto::CryptoLibrary* library_on(crypto::CryptoBackend b) {
  static std::unique_ptr<crypto::CryptoLibrary> libs[2];
  auto& slot = libs[b == crypto::CryptoBackend::ipsec_mb ? 1 : 0];
  if (!slot && !crypto::CryptoLibrary::create(slot, b).ok()) return nullptr;
  return slot.get();
}

Bytes framed(const EspTransform& t, size_t body, uint32_t seq, uint8_t salt) {
  Bytes p(EspTransform::kHeader + t.iv_size() + body + t.icv_size());
  crypto::store_be32(p.data(), t.spi());
  crypto::store_be32(p.data() + 4, seq);
  for (size_t i = 8; i < p.size(); ++i) p[i] = static_cast<uint8_t>(i * 29 + salt);
  return p;
}

TEST(CryptoBackendAgreement, EverySuiteSealsAndOpensTheSameBytes) {
  if (!crypto::ipsec_mb_usable()) {
    GTEST_SKIP() << "ipsec-mb backend not built in or not runnable on this CPU: nothing to compare";
  }
  const crypto::CryptoLibrary* ossl = library_on(crypto::CryptoBackend::openssl);
  const crypto::CryptoLibrary* mb = library_on(crypto::CryptoBackend::ipsec_mb);
  ASSERT_TRUE(ossl && mb);
  size_t compared = 0;
  for (const EspSuite& suite : all_suites()) {
    for (bool esn : {false, true}) {
      SCOPED_TRACE(format_suite(suite) + (esn ? "/esn" : ""));
      const EspSaConfig cfg = testing::make_config(suite, 0x01020304, esn, 7);
      std::unique_ptr<EspTransform> a, b;
      const EspStatus sa = EspTransform::create(cfg, *ossl, a);
      const EspStatus sb = EspTransform::create(cfg, *mb, b);
      ASSERT_EQ(sa.ok(), sb.ok()) << sa.detail << " / " << sb.detail;
      if (!sa.ok()) continue;  // e.g. DES without the legacy provider: refused by both alike
      for (size_t body : {16u, 32u, 48u, 64u, 1024u, 1408u}) {
        const uint32_t high = 0x89ABCDEFu;
        Bytes pa = framed(*a, body, 0x11223344u + static_cast<uint32_t>(body), static_cast<uint8_t>(body));
        Bytes pb = pa;
        ASSERT_TRUE(a->seal(pa, high).ok());
        ASSERT_TRUE(b->seal(pb, high).ok());
        ASSERT_EQ(pa, pb) << "sealed bytes differ at body " << body;
        Bytes x = pa, y = pb;
        const EspStatus oa = a->open(y, high);  // OpenSSL opens what ipsec-mb sealed
        const EspStatus ob = b->open(x, high);  // and the other way round
        ASSERT_TRUE(oa.ok()) << oa.detail;
        ASSERT_TRUE(ob.ok()) << ob.detail;
        ASSERT_EQ(x, y) << "opened bytes differ at body " << body;
        if (a->icv_size() != 0) {
          Bytes ta = pa;
          ta[ta.size() - 1] ^= 0x01;
          Bytes tb = ta;
          EXPECT_EQ(a->open(ta, high).verdict, EspVerdict::bad_icv);
          EXPECT_EQ(b->open(tb, high).verdict, EspVerdict::bad_icv);
          Bytes want = pa;
          want[want.size() - 1] ^= 0x01;
          EXPECT_EQ(ta, want) << "OpenSSL changed a packet it refused";
          EXPECT_EQ(tb, want) << "ipsec-mb changed a packet it refused";
          if (esn) {  // the high half is authenticated although it is never sent
            Bytes tc = pa;
            EXPECT_EQ(b->open(tc, high + 1).verdict, EspVerdict::bad_icv);
            EXPECT_EQ(tc, pa);
          }
        }
        ++compared;
      }
    }
  }
  EXPECT_GT(compared, 100u);
}

TEST(CryptoBackendAgreement, LibraryReportsItsBackend) {
  const crypto::CryptoLibrary* ossl = library_on(crypto::CryptoBackend::openssl);
  ASSERT_NE(ossl, nullptr);
  EXPECT_EQ(ossl->backend(), crypto::CryptoBackend::openssl);
  std::unique_ptr<crypto::CryptoLibrary> mb;
  const crypto::CryptoStatus s = crypto::CryptoLibrary::create(mb, crypto::CryptoBackend::ipsec_mb);
  EXPECT_EQ(s.ok(), crypto::ipsec_mb_usable()) << s.context;
  if (s.ok()) {
    EXPECT_EQ(mb->backend(), crypto::CryptoBackend::ipsec_mb);
  }
}

}  // namespace
}  // namespace cts::esp
