#include "oracle/crypto/mb_cbc_hmac.h"

#include <openssl/crypto.h>

#include <cstring>
#include <new>

#include "oracle/crypto/mb_manager.h"

#ifdef CTS_HAVE_IPSEC_MB
#include <intel-ipsec-mb.h>
#endif

namespace cts::crypto {

#ifdef CTS_HAVE_IPSEC_MB
namespace {
constexpr size_t kMaxDigest = 64;
constexpr size_t kMaxBlock = 128;

size_t block_size_of(HmacAlgorithm a) {
  return a == HmacAlgorithm::sha384 || a == HmacAlgorithm::sha512 ? 128 : 64;
}

IMB_HASH_ALG hash_alg_of(HmacAlgorithm a) {
  switch (a) {
    case HmacAlgorithm::md5: return IMB_AUTH_MD5;
    case HmacAlgorithm::sha1: return IMB_AUTH_HMAC_SHA_1;
    case HmacAlgorithm::sha256: return IMB_AUTH_HMAC_SHA_256;
    case HmacAlgorithm::sha384: return IMB_AUTH_HMAC_SHA_384;
    case HmacAlgorithm::sha512: return IMB_AUTH_HMAC_SHA_512;
  }
  return IMB_AUTH_NULL;
}

// The hash state after one block of (key ‖ zeros) XOR pad (RFC 2104), what the job API takes.
void hash_one_block(IMB_MGR* m, HmacAlgorithm a, const uint8_t* block, uint8_t* state) {
  switch (a) {
    case HmacAlgorithm::md5: IMB_MD5_ONE_BLOCK(m, block, state); break;
    case HmacAlgorithm::sha1: IMB_SHA1_ONE_BLOCK(m, block, state); break;
    case HmacAlgorithm::sha256: IMB_SHA256_ONE_BLOCK(m, block, state); break;
    case HmacAlgorithm::sha384: IMB_SHA384_ONE_BLOCK(m, block, state); break;
    case HmacAlgorithm::sha512: IMB_SHA512_ONE_BLOCK(m, block, state); break;
  }
}
}  // namespace

struct MbCbcHmac::Keys {
  alignas(16) uint8_t enc[16 * 15];
  alignas(16) uint8_t dec[16 * 15];
  alignas(16) uint8_t ipad[kMaxDigest];
  alignas(16) uint8_t opad[kMaxDigest];
  bool has_cipher = false;
  uint64_t key_len = 16;
  IMB_HASH_ALG hash = IMB_AUTH_NULL;
  size_t full = 0;  // digest size computed by the job
  size_t icv = 0;   // octets on the wire
};

bool MbCbcHmac::supports(std::optional<CbcAlgorithm> cipher, std::optional<HmacAlgorithm> mac,
                         size_t mac_key_size) {
  if (mb_direct_manager() == nullptr) return false;
  if (!cipher && !mac) return false;
  if (cipher && *cipher != CbcAlgorithm::aes_128 && *cipher != CbcAlgorithm::aes_192 &&
      *cipher != CbcAlgorithm::aes_256) {
    return false;
  }
  return !mac || (mac_key_size > 0 && mac_key_size <= block_size_of(*mac));
}

CryptoStatus MbCbcHmac::create(std::optional<CbcAlgorithm> cipher, ByteView cipher_key,
                               std::optional<HmacAlgorithm> mac, ByteView mac_key, size_t icv_size,
                               std::unique_ptr<MbCbcHmac>& out) {
  if (!supports(cipher, mac, mac_key.size())) {
    return CryptoStatus::fail(CryptoErrc::algorithm_unavailable, "CBC+HMAC (ipsec-mb): combination not carried by this backend");
  }
  if (cipher && cipher_key.size() != cbc_key_size(*cipher)) {
    return CryptoStatus::fail(CryptoErrc::invalid_key_length, "CBC+HMAC (ipsec-mb): AES key size does not match the algorithm");
  }
  if (mac && (icv_size == 0 || icv_size > hmac_full_size(*mac))) {
    return CryptoStatus::fail(CryptoErrc::invalid_tag_length, "CBC+HMAC (ipsec-mb): ICV size outside 1..digest size");
  }
  IMB_MGR* m = mb_direct_manager();
  Keys* k = new (std::nothrow) Keys();
  if (k == nullptr) return CryptoStatus::fail(CryptoErrc::openssl_failure, "CBC+HMAC (ipsec-mb): out of memory");
  if (cipher) {
    k->has_cipher = true;
    k->key_len = cipher_key.size();
    if (k->key_len == 16) IMB_AES_KEYEXP_128(m, cipher_key.data(), k->enc, k->dec);
    else if (k->key_len == 24) IMB_AES_KEYEXP_192(m, cipher_key.data(), k->enc, k->dec);
    else IMB_AES_KEYEXP_256(m, cipher_key.data(), k->enc, k->dec);
  }
  if (mac) {
    k->hash = hash_alg_of(*mac);
    k->full = hmac_full_size(*mac);
    k->icv = icv_size;
    const size_t bs = block_size_of(*mac);
    uint8_t block[kMaxBlock];
    std::memset(block, 0x36, bs);
    for (size_t i = 0; i < mac_key.size(); ++i) block[i] ^= mac_key[i];
    hash_one_block(m, *mac, block, k->ipad);
    std::memset(block, 0x5c, bs);
    for (size_t i = 0; i < mac_key.size(); ++i) block[i] ^= mac_key[i];
    hash_one_block(m, *mac, block, k->opad);
    OPENSSL_cleanse(block, sizeof block);
  }
  out.reset(new MbCbcHmac(k));
  return CryptoStatus::success();
}

MbCbcHmac::~MbCbcHmac() {
  OPENSSL_cleanse(k_, sizeof(Keys));  // round keys and hashed pads are key material
  delete k_;
}

size_t MbCbcHmac::icv_size() const { return k_->icv; }

namespace {
// Runs one job to completion on the calling thread's manager (whose queue is empty between
// calls: every call here drains it).
bool run_job(IMB_MGR* m, IMB_JOB* job) {
  IMB_JOB* done = IMB_SUBMIT_JOB(m);
  if (done == nullptr) done = IMB_FLUSH_JOB(m);
  return done == job && done->status == IMB_STATUS_COMPLETED;
}
}  // namespace

namespace {
// One packet of a burst: where its job writes the digest, and the received ICV (open) whose
// first octets the ESN high half covers while the job runs.
struct BurstSlot {
  alignas(16) uint8_t digest[kMaxDigest];
  uint8_t received[kMaxDigest];
};
}  // namespace

void MbCbcHmac::seal_burst(size_t n, const MutableBytes* packets, size_t iv_at, size_t body_at,
                           const uint8_t* seq_high, CryptoStatus* status) const {
  burst(n, packets, iv_at, body_at, seq_high, status, false);
}

void MbCbcHmac::open_burst(size_t n, const MutableBytes* packets, size_t iv_at, size_t body_at,
                           const uint8_t* seq_high, CryptoStatus* status) const {
  burst(n, packets, iv_at, body_at, seq_high, status, true);
}

void MbCbcHmac::burst(size_t n, const MutableBytes* packets, size_t iv_at, size_t body_at,
                      const uint8_t* seq_high, CryptoStatus* status, bool open) const {
  const Keys& k = *k_;
  IMB_MGR* m = mb_job_manager();
  const bool tail = seq_high && k.full;
  BurstSlot slots[kMaxBurst];
  bool submitted[kMaxBurst] = {};
  auto fill_job = [&k](IMB_JOB* job, uint8_t* p, size_t iv, size_t body, size_t icv_at, bool with_tail,
                       bool decrypt, uint8_t* digest) {
    job->src = p;
    job->dst = p + body;
    job->cipher_mode = k.has_cipher ? IMB_CIPHER_CBC : IMB_CIPHER_NULL;
    job->cipher_direction = decrypt ? IMB_DIR_DECRYPT : IMB_DIR_ENCRYPT;
    job->chain_order = decrypt ? IMB_ORDER_HASH_CIPHER : IMB_ORDER_CIPHER_HASH;
    job->enc_keys = k.enc;
    job->dec_keys = k.dec;
    job->key_len_in_bytes = k.key_len;
    job->iv = p + iv;
    job->iv_len_in_bytes = k.has_cipher ? 16 : 0;
    job->cipher_start_src_offset_in_bytes = body;
    job->msg_len_to_cipher_in_bytes = icv_at - body;
    job->hash_alg = k.full ? k.hash : IMB_AUTH_NULL;
    job->hash_start_src_offset_in_bytes = 0;
    job->msg_len_to_hash_in_bytes = icv_at + (with_tail ? 4 : 0);
    job->auth_tag_output = digest;
    job->auth_tag_output_len_in_bytes = k.full;
    job->u.HMAC._hashed_auth_key_xor_ipad = k.ipad;
    job->u.HMAC._hashed_auth_key_xor_opad = k.opad;
  };
  // Jobs come back in submission order; each is finished here as seal()/open() finish theirs:
  // the ICV octets put back (open) or written (seal), the tag compared in constant time (open).
  auto complete = [&](IMB_JOB* done) {
    const size_t i = reinterpret_cast<uintptr_t>(done->user_data);
    uint8_t* p = packets[i].data();
    const size_t icv_at = packets[i].size() - k.icv;
    if (open && tail) std::memcpy(p + icv_at, slots[i].received, 4);
    if (done->status != IMB_STATUS_COMPLETED) {
      status[i] = CryptoStatus::fail(CryptoErrc::openssl_failure, open ? "CBC+HMAC open (ipsec-mb): job did not complete"
                                                                      : "CBC+HMAC seal (ipsec-mb): job did not complete");
    } else if (!open) {
      if (k.icv) std::memcpy(p + icv_at, slots[i].digest, k.icv);
      status[i] = CryptoStatus::success();
    } else if (k.icv == 0 || CRYPTO_memcmp(slots[i].digest, slots[i].received, k.icv) == 0) {
      status[i] = CryptoStatus::success();
    } else {
      status[i] = CryptoStatus::fail(CryptoErrc::authentication_failed, "CBC+HMAC open (ipsec-mb): ICV mismatch");
    }
  };
  n = std::min(n, kMaxBurst);
  for (size_t i = 0; i < n; ++i) {
    const size_t size = packets[i].size();
    if (m == nullptr) {
      status[i] = CryptoStatus::fail(CryptoErrc::algorithm_unavailable, "CBC+HMAC (ipsec-mb): no job manager");
      continue;
    }
    if (iv_at > body_at || body_at + k.icv > size || (tail && k.icv < 4)) {
      status[i] = CryptoStatus::fail(CryptoErrc::invalid_length, open ? "CBC+HMAC open (ipsec-mb): packet layout out of order"
                                                                      : "CBC+HMAC seal (ipsec-mb): packet layout out of order");
      continue;
    }
    uint8_t* p = packets[i].data();
    const size_t icv_at = size - k.icv;
    if (open && k.icv) std::memcpy(slots[i].received, p + icv_at, k.icv);
    if (tail) std::memcpy(p + icv_at, seq_high + 4 * i, 4);
    IMB_JOB* job = IMB_GET_NEXT_JOB(m);
    fill_job(job, p, iv_at, body_at, icv_at, tail, open, slots[i].digest);
    job->user_data = reinterpret_cast<void*>(static_cast<uintptr_t>(i));
    submitted[i] = true;
    for (IMB_JOB* done = IMB_SUBMIT_JOB(m); done != nullptr; done = IMB_GET_COMPLETED_JOB(m)) complete(done);
  }
  if (m != nullptr) {
    while (IMB_JOB* done = IMB_FLUSH_JOB(m)) {
      complete(done);
      for (IMB_JOB* more = IMB_GET_COMPLETED_JOB(m); more != nullptr; more = IMB_GET_COMPLETED_JOB(m)) complete(more);
    }
  }
  // A failed open gives the ciphertext back, as open() does, now that the queue is empty.
  for (size_t i = 0; open && k.has_cipher && i < n; ++i) {
    if (!submitted[i] || status[i].code != CryptoErrc::authentication_failed) continue;
    uint8_t* p = packets[i].data();
    const size_t icv_at = packets[i].size() - k.icv;
    IMB_JOB* job = IMB_GET_NEXT_JOB(m);
    fill_job(job, p, iv_at, body_at, icv_at, false, false, slots[i].digest);
    job->hash_alg = IMB_AUTH_NULL;
    job->auth_tag_output_len_in_bytes = 0;
    if (!run_job(m, job)) {
      OPENSSL_cleanse(p + body_at, icv_at - body_at);
      status[i] = CryptoStatus::fail(CryptoErrc::openssl_failure, "CBC+HMAC open (ipsec-mb): restoring the ciphertext failed");
    }
  }
}

CryptoStatus MbCbcHmac::seal(MutableBytes packet, size_t iv_at, size_t body_at,
                             const uint8_t* seq_high) const {
  const Keys& k = *k_;
  if (iv_at > body_at || body_at + k.icv > packet.size() || (seq_high && k.full && k.icv < 4)) {
    return CryptoStatus::fail(CryptoErrc::invalid_length, "CBC+HMAC seal (ipsec-mb): packet layout out of order");
  }
  const size_t icv_at = packet.size() - k.icv;
  IMB_MGR* m = mb_job_manager();
  if (m == nullptr) return CryptoStatus::fail(CryptoErrc::algorithm_unavailable, "CBC+HMAC seal (ipsec-mb): no job manager");
  uint8_t* p = packet.data();
  if (seq_high && k.full) std::memcpy(p + icv_at, seq_high, 4);
  alignas(16) uint8_t digest[kMaxDigest];
  IMB_JOB* job = IMB_GET_NEXT_JOB(m);
  job->src = p;
  job->dst = p + body_at;
  job->cipher_mode = k.has_cipher ? IMB_CIPHER_CBC : IMB_CIPHER_NULL;
  job->cipher_direction = IMB_DIR_ENCRYPT;
  job->chain_order = IMB_ORDER_CIPHER_HASH;
  job->enc_keys = k.enc;
  job->dec_keys = k.dec;
  job->key_len_in_bytes = k.key_len;
  job->iv = p + iv_at;
  job->iv_len_in_bytes = k.has_cipher ? 16 : 0;
  job->cipher_start_src_offset_in_bytes = body_at;
  job->msg_len_to_cipher_in_bytes = icv_at - body_at;
  job->hash_alg = k.full ? k.hash : IMB_AUTH_NULL;
  job->hash_start_src_offset_in_bytes = 0;
  job->msg_len_to_hash_in_bytes = icv_at + (seq_high && k.full ? 4 : 0);
  job->auth_tag_output = digest;
  job->auth_tag_output_len_in_bytes = k.full;
  job->u.HMAC._hashed_auth_key_xor_ipad = k.ipad;
  job->u.HMAC._hashed_auth_key_xor_opad = k.opad;
  if (!run_job(m, job)) {
    return CryptoStatus::fail(CryptoErrc::openssl_failure, "CBC+HMAC seal (ipsec-mb): job did not complete");
  }
  if (k.icv) std::memcpy(p + icv_at, digest, k.icv);
  return CryptoStatus::success();
}

CryptoStatus MbCbcHmac::open(MutableBytes packet, size_t iv_at, size_t body_at,
                             const uint8_t* seq_high) const {
  const Keys& k = *k_;
  if (iv_at > body_at || body_at + k.icv > packet.size() || (seq_high && k.full && k.icv < 4)) {
    return CryptoStatus::fail(CryptoErrc::invalid_length, "CBC+HMAC open (ipsec-mb): packet layout out of order");
  }
  const size_t icv_at = packet.size() - k.icv;
  IMB_MGR* m = mb_job_manager();
  if (m == nullptr) return CryptoStatus::fail(CryptoErrc::algorithm_unavailable, "CBC+HMAC open (ipsec-mb): no job manager");
  uint8_t* p = packet.data();
  uint8_t received[kMaxDigest];
  const bool tail = seq_high && k.full;
  if (k.icv) std::memcpy(received, p + icv_at, k.icv);
  if (tail) std::memcpy(p + icv_at, seq_high, 4);
  alignas(16) uint8_t digest[kMaxDigest];
  IMB_JOB* job = IMB_GET_NEXT_JOB(m);
  job->src = p;
  job->dst = p + body_at;
  job->cipher_mode = k.has_cipher ? IMB_CIPHER_CBC : IMB_CIPHER_NULL;
  job->cipher_direction = IMB_DIR_DECRYPT;
  job->chain_order = IMB_ORDER_HASH_CIPHER;
  job->enc_keys = k.enc;
  job->dec_keys = k.dec;
  job->key_len_in_bytes = k.key_len;
  job->iv = p + iv_at;
  job->iv_len_in_bytes = k.has_cipher ? 16 : 0;
  job->cipher_start_src_offset_in_bytes = body_at;
  job->msg_len_to_cipher_in_bytes = icv_at - body_at;
  job->hash_alg = k.full ? k.hash : IMB_AUTH_NULL;
  job->hash_start_src_offset_in_bytes = 0;
  job->msg_len_to_hash_in_bytes = icv_at + (tail ? 4 : 0);
  job->auth_tag_output = digest;
  job->auth_tag_output_len_in_bytes = k.full;
  job->u.HMAC._hashed_auth_key_xor_ipad = k.ipad;
  job->u.HMAC._hashed_auth_key_xor_opad = k.opad;
  const bool ran = run_job(m, job);
  if (tail) std::memcpy(p + icv_at, received, 4);
  if (!ran) {
    return CryptoStatus::fail(CryptoErrc::openssl_failure, "CBC+HMAC open (ipsec-mb): job did not complete");
  }
  if (k.icv == 0 || CRYPTO_memcmp(digest, received, k.icv) == 0) return CryptoStatus::success();
  if (k.has_cipher) {
    // Give the ciphertext back: CBC-encrypting the plaintext under the same IV reproduces it.
    job = IMB_GET_NEXT_JOB(m);
    job->src = p;
    job->dst = p + body_at;
    job->cipher_mode = IMB_CIPHER_CBC;
    job->cipher_direction = IMB_DIR_ENCRYPT;
    job->chain_order = IMB_ORDER_CIPHER_HASH;
    job->enc_keys = k.enc;
    job->dec_keys = k.dec;
    job->key_len_in_bytes = k.key_len;
    job->iv = p + iv_at;
    job->iv_len_in_bytes = 16;
    job->cipher_start_src_offset_in_bytes = body_at;
    job->msg_len_to_cipher_in_bytes = icv_at - body_at;
    job->hash_alg = IMB_AUTH_NULL;
    job->auth_tag_output = digest;
    job->auth_tag_output_len_in_bytes = 0;
    if (!run_job(m, job)) {
      OPENSSL_cleanse(p + body_at, icv_at - body_at);
      return CryptoStatus::fail(CryptoErrc::openssl_failure, "CBC+HMAC open (ipsec-mb): restoring the ciphertext failed");
    }
  }
  return CryptoStatus::fail(CryptoErrc::authentication_failed, "CBC+HMAC open (ipsec-mb): ICV mismatch");
}
#else
struct MbCbcHmac::Keys {};
bool MbCbcHmac::supports(std::optional<CbcAlgorithm>, std::optional<HmacAlgorithm>, size_t) { return false; }
CryptoStatus MbCbcHmac::create(std::optional<CbcAlgorithm>, ByteView, std::optional<HmacAlgorithm>,
                               ByteView, size_t, std::unique_ptr<MbCbcHmac>&) {
  return CryptoStatus::fail(CryptoErrc::algorithm_unavailable, "CBC+HMAC (ipsec-mb): not built in (libipsec-mb-dev absent)");
}
MbCbcHmac::~MbCbcHmac() = default;
size_t MbCbcHmac::icv_size() const { return 0; }
CryptoStatus MbCbcHmac::seal(MutableBytes, size_t, size_t, const uint8_t*) const {
  return CryptoStatus::fail(CryptoErrc::algorithm_unavailable, "CBC+HMAC (ipsec-mb): not built in");
}
CryptoStatus MbCbcHmac::open(MutableBytes, size_t, size_t, const uint8_t*) const {
  return CryptoStatus::fail(CryptoErrc::algorithm_unavailable, "CBC+HMAC (ipsec-mb): not built in");
}
void MbCbcHmac::seal_burst(size_t n, const MutableBytes*, size_t, size_t, const uint8_t*, CryptoStatus* status) const {
  for (size_t i = 0; i < n; ++i) status[i] = seal({}, 0, 0, nullptr);
}
void MbCbcHmac::open_burst(size_t n, const MutableBytes*, size_t, size_t, const uint8_t*, CryptoStatus* status) const {
  for (size_t i = 0; i < n; ++i) status[i] = open({}, 0, 0, nullptr);
}
#endif

}  // namespace cts::crypto
