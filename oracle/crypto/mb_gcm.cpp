#include "oracle/crypto/mb_gcm.h"

#include <openssl/crypto.h>

#include <cstring>
#include <new>

#include "oracle/crypto/mb_manager.h"

#ifdef CTS_HAVE_IPSEC_MB
#include <intel-ipsec-mb.h>
#endif

namespace cts::crypto {

#ifdef CTS_HAVE_IPSEC_MB
struct alignas(64) MbGcm::Impl {
  gcm_key_data key;  // first: the library wants it 64-octet aligned
  gcm_context_data stream;
  aes_gcm_enc_dec_t enc = nullptr;
  aes_gcm_enc_dec_t dec = nullptr;
  aes_gmac_init_t gmac_init = nullptr;
  aes_gmac_update_t gmac_update = nullptr;
  aes_gmac_finalize_t gmac_finalize = nullptr;
};

namespace {
// Joins AAD pieces on the stack unless there is only one. Returns false when too long.
bool contiguous_aad(std::span<const ByteView> aad, uint8_t (&joined)[MbGcm::kMaxJoinedAad],
                    const uint8_t*& data, size_t& len) {
  static const uint8_t kNone[1] = {0};
  if (aad.size() == 1) {
    data = aad[0].empty() ? kNone : aad[0].data();
    len = aad[0].size();
    return true;
  }
  len = 0;
  for (const ByteView& p : aad) {
    if (p.size() > sizeof(joined) - len) return false;
    if (!p.empty()) std::memcpy(joined + len, p.data(), p.size());
    len += p.size();
  }
  data = joined;
  return true;
}
}  // namespace

CryptoStatus MbGcm::create(ByteView key, std::unique_ptr<MbGcm>& out) {
  if (key.size() != 16 && key.size() != 24 && key.size() != 32) {
    return CryptoStatus::fail(CryptoErrc::invalid_key_length, "AES-GCM (ipsec-mb): key must be 16, 24 or 32 octets");
  }
  IMB_MGR* mgr = mb_direct_manager();
  if (mgr == nullptr) {
    return CryptoStatus::fail(CryptoErrc::algorithm_unavailable, "AES-GCM (ipsec-mb): the CPU cannot run libipsec-mb");
  }
  Impl* impl = new (std::nothrow) Impl();
  if (impl == nullptr) return CryptoStatus::fail(CryptoErrc::openssl_failure, "AES-GCM (ipsec-mb): out of memory");
  if (key.size() == 16) {
    IMB_AES128_GCM_PRE(mgr, key.data(), &impl->key);
    impl->enc = mgr->gcm128_enc;
    impl->dec = mgr->gcm128_dec;
    impl->gmac_init = mgr->gmac128_init;
    impl->gmac_update = mgr->gmac128_update;
    impl->gmac_finalize = mgr->gmac128_finalize;
  } else if (key.size() == 24) {
    IMB_AES192_GCM_PRE(mgr, key.data(), &impl->key);
    impl->enc = mgr->gcm192_enc;
    impl->dec = mgr->gcm192_dec;
    impl->gmac_init = mgr->gmac192_init;
    impl->gmac_update = mgr->gmac192_update;
    impl->gmac_finalize = mgr->gmac192_finalize;
  } else {
    IMB_AES256_GCM_PRE(mgr, key.data(), &impl->key);
    impl->enc = mgr->gcm256_enc;
    impl->dec = mgr->gcm256_dec;
    impl->gmac_init = mgr->gmac256_init;
    impl->gmac_update = mgr->gmac256_update;
    impl->gmac_finalize = mgr->gmac256_finalize;
  }
  out.reset(new MbGcm(impl));
  return CryptoStatus::success();
}

MbGcm::~MbGcm() {
  // The expanded round keys and hash-key powers are key material (brief: keys cleansed on delete).
  OPENSSL_cleanse(impl_, sizeof(Impl));
  delete impl_;
}

CryptoStatus MbGcm::encrypt(const uint8_t* nonce, std::span<const ByteView> aad, const uint8_t* in,
                            uint8_t* out, size_t len, uint8_t* tag, size_t tag_len) const {
  uint8_t joined[kMaxJoinedAad];
  const uint8_t* a = nullptr;
  size_t alen = 0;
  if (!contiguous_aad(aad, joined, a, alen)) {
    return CryptoStatus::fail(CryptoErrc::invalid_length, "AES-GCM encrypt (ipsec-mb): AAD pieces longer than 256 octets");
  }
  gcm_context_data ctx;
  static uint8_t none[1];
  impl_->enc(&impl_->key, &ctx, len ? out : none, len ? in : none, len, nonce, a, alen, tag, tag_len);
  return CryptoStatus::success();
}

CryptoStatus MbGcm::decrypt(const uint8_t* nonce, std::span<const ByteView> aad, const uint8_t* in,
                            uint8_t* out, size_t len, uint8_t* computed_tag, size_t tag_len) const {
  uint8_t joined[kMaxJoinedAad];
  const uint8_t* a = nullptr;
  size_t alen = 0;
  if (!contiguous_aad(aad, joined, a, alen)) {
    return CryptoStatus::fail(CryptoErrc::invalid_length, "AES-GCM decrypt (ipsec-mb): AAD pieces longer than 256 octets");
  }
  gcm_context_data ctx;
  static uint8_t none[1];
  impl_->dec(&impl_->key, &ctx, len ? out : none, len ? in : none, len, nonce, a, alen,
             computed_tag, tag_len);
  return CryptoStatus::success();
}

void MbGcm::seal_in_place(const uint8_t* nonce, const uint8_t* aad, size_t aad_len, uint8_t* data,
                          size_t len, uint8_t* tag, size_t tag_len) const {
  static uint8_t none[1];
  gcm_context_data ctx;
  uint8_t* d = len ? data : none;
  impl_->enc(&impl_->key, &ctx, d, d, len, nonce, aad_len ? aad : none, aad_len, tag, tag_len);
}

bool MbGcm::open_in_place(const uint8_t* nonce, const uint8_t* aad, size_t aad_len, uint8_t* data,
                          size_t len, const uint8_t* tag, size_t tag_len) const {
  static uint8_t none[1];
  gcm_context_data ctx;
  uint8_t computed[16];
  uint8_t* d = len ? data : none;
  const uint8_t* a = aad_len ? aad : none;
  impl_->dec(&impl_->key, &ctx, d, d, len, nonce, a, aad_len, computed, tag_len);
  if (CRYPTO_memcmp(computed, tag, tag_len) == 0) return true;
  // No unauthenticated plaintext may remain (RFC 4303 §3.4.4.1, ICV-004): encrypting under the
  // same nonce is the same CTR XOR and gives the ciphertext back.
  if (len != 0) impl_->enc(&impl_->key, &ctx, d, d, len, nonce, a, aad_len, computed, tag_len);
  return false;
}

void MbGcm::gmac_begin(const uint8_t* nonce) {
  impl_->gmac_init(&impl_->key, &impl_->stream, nonce, 12);
}

void MbGcm::gmac_update(ByteView aad) {
  if (!aad.empty()) impl_->gmac_update(&impl_->key, &impl_->stream, aad.data(), aad.size());
}

void MbGcm::gmac_finish(uint8_t* tag, size_t tag_len) {
  impl_->gmac_finalize(&impl_->key, &impl_->stream, tag, tag_len);
}
#else
struct MbGcm::Impl {};

CryptoStatus MbGcm::create(ByteView, std::unique_ptr<MbGcm>&) {
  return CryptoStatus::fail(CryptoErrc::algorithm_unavailable, "AES-GCM (ipsec-mb): not built in (libipsec-mb-dev absent)");
}
MbGcm::~MbGcm() = default;
CryptoStatus MbGcm::encrypt(const uint8_t*, std::span<const ByteView>, const uint8_t*, uint8_t*,
                            size_t, uint8_t*, size_t) const {
  return CryptoStatus::fail(CryptoErrc::algorithm_unavailable, "AES-GCM (ipsec-mb): not built in");
}
CryptoStatus MbGcm::decrypt(const uint8_t*, std::span<const ByteView>, const uint8_t*, uint8_t*,
                            size_t, uint8_t*, size_t) const {
  return CryptoStatus::fail(CryptoErrc::algorithm_unavailable, "AES-GCM (ipsec-mb): not built in");
}
void MbGcm::seal_in_place(const uint8_t*, const uint8_t*, size_t, uint8_t*, size_t, uint8_t*, size_t) const {}
bool MbGcm::open_in_place(const uint8_t*, const uint8_t*, size_t, uint8_t*, size_t, const uint8_t*, size_t) const {
  return false;
}
void MbGcm::gmac_begin(const uint8_t*) {}
void MbGcm::gmac_update(ByteView) {}
void MbGcm::gmac_finish(uint8_t*, size_t) {}
#endif

}  // namespace cts::crypto
