// The hardware bound for the ESP benchmarks (oracle/esp/esp_bench.cpp), measured in the same run:
// libipsec-mb's own per-packet cost with nothing of ESP around it.
//   RawMb/<alg>/<bytes>/seal    per packet: AES-GCM one direct-API encrypt (8-octet AAD, 16-octet
//                               tag); AES-CBC + HMAC one job (encrypt then MAC) submitted and
//                               completed — what the library does for one packet at a time
//   RawMb/<alg>/<bytes>/open    the same, decrypting (GCM) or MAC then decrypt (CBC + HMAC)
//   RawMb/<alg>/<bytes>/burst32 CBC + HMAC only: 32 jobs submitted before completion is forced,
//                               the multi-buffer lanes full; counted per packet
// <bytes> is the ESP payload as in EspInbound/EspOutbound: the crypto runs over the padded body
// (payload + 2 rounded up to the block) plus the 8-octet header, as there. bytes_per_second
// counts payload octets, so the ratios against EspInbound/EspOutbound compare like with like.
#include <benchmark/benchmark.h>

#include <array>
#include <string>
#include <vector>

#ifdef CTS_HAVE_IPSEC_MB
#include <intel-ipsec-mb.h>

#include "oracle/crypto/mb_manager.h"

namespace {

size_t padded_body(size_t payload, size_t block) { return (payload + 2 + block - 1) / block * block; }

void raw_gcm(benchmark::State& state, size_t key_len, size_t bytes, bool open) {
  IMB_MGR* m = cts::crypto::mb_direct_manager();
  if (m == nullptr) {
    state.SkipWithError("ipsec-mb not usable on this CPU");
    return;
  }
  alignas(64) static gcm_key_data key;
  static const uint8_t k[32] = {1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16,
                                17, 18, 19, 20, 21, 22, 23, 24, 25, 26, 27, 28, 29, 30, 31, 32};
  if (key_len == 16) IMB_AES128_GCM_PRE(m, k, &key);
  else IMB_AES256_GCM_PRE(m, k, &key);
  const size_t body = padded_body(bytes, 4);
  std::vector<uint8_t> pkt(8 + 8 + body + 16, 0x5A);
  uint8_t iv[12] = {9, 9, 9, 9};
  uint8_t tag[16];
  gcm_context_data ctx;
  uint64_t n = 0;
  for (auto _ : state) {
    iv[11] = static_cast<uint8_t>(++n);
    uint8_t* b = pkt.data() + 16;
    if (key_len == 16) {
      if (open) IMB_AES128_GCM_DEC(m, &key, &ctx, b, b, body, iv, pkt.data(), 8, tag, 16);
      else IMB_AES128_GCM_ENC(m, &key, &ctx, b, b, body, iv, pkt.data(), 8, tag, 16);
    } else {
      if (open) IMB_AES256_GCM_DEC(m, &key, &ctx, b, b, body, iv, pkt.data(), 8, tag, 16);
      else IMB_AES256_GCM_ENC(m, &key, &ctx, b, b, body, iv, pkt.data(), 8, tag, 16);
    }
    benchmark::DoNotOptimize(tag[0]);
  }
  state.SetBytesProcessed(static_cast<int64_t>(state.iterations() * bytes));
  state.SetItemsProcessed(static_cast<int64_t>(state.iterations()));
}

void raw_cbc_hmac(benchmark::State& state, IMB_HASH_ALG hash, size_t tag_len, size_t bytes,
                  bool open, size_t burst) {
  IMB_MGR* m = cts::crypto::mb_job_manager();
  if (m == nullptr) {
    state.SkipWithError("ipsec-mb not usable on this CPU");
    return;
  }
  alignas(16) static uint8_t enc[16 * 15], dec[16 * 15];
  alignas(16) static uint8_t ipad[64], opad[64];
  static const uint8_t k[16] = {1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16};
  IMB_AES_KEYEXP_128(m, k, enc, dec);
  uint8_t block[64];
  for (int pad = 0; pad < 2; ++pad) {
    for (size_t i = 0; i < 64; ++i) block[i] = static_cast<uint8_t>((pad ? 0x5c : 0x36) ^ (i < 20 ? 0x22 : 0));
    if (hash == IMB_AUTH_HMAC_SHA_1) IMB_SHA1_ONE_BLOCK(m, block, pad ? opad : ipad);
    else IMB_SHA256_ONE_BLOCK(m, block, pad ? opad : ipad);
  }
  const size_t body = padded_body(bytes, 16);
  std::vector<std::vector<uint8_t>> pkts(burst, std::vector<uint8_t>(8 + 16 + body + 32, 0x5A));
  std::vector<std::array<uint8_t, 32>> tags(burst);
  for (auto _ : state) {
    for (size_t i = 0; i < burst; ++i) {
      uint8_t* p = pkts[i].data();
      IMB_JOB* job = IMB_GET_NEXT_JOB(m);
      job->src = p;
      job->dst = p + 24;
      job->cipher_mode = IMB_CIPHER_CBC;
      job->cipher_direction = open ? IMB_DIR_DECRYPT : IMB_DIR_ENCRYPT;
      job->chain_order = open ? IMB_ORDER_HASH_CIPHER : IMB_ORDER_CIPHER_HASH;
      job->enc_keys = enc;
      job->dec_keys = dec;
      job->key_len_in_bytes = 16;
      job->iv = p + 8;
      job->iv_len_in_bytes = 16;
      job->cipher_start_src_offset_in_bytes = 24;
      job->msg_len_to_cipher_in_bytes = body;
      job->hash_alg = hash;
      job->hash_start_src_offset_in_bytes = 0;
      job->msg_len_to_hash_in_bytes = 24 + body;
      job->auth_tag_output = tags[i].data();
      job->auth_tag_output_len_in_bytes = tag_len;
      job->u.HMAC._hashed_auth_key_xor_ipad = ipad;
      job->u.HMAC._hashed_auth_key_xor_opad = opad;
      IMB_SUBMIT_JOB(m);
    }
    while (IMB_FLUSH_JOB(m) != nullptr) {
    }
    benchmark::DoNotOptimize(tags[0][0]);
  }
  state.SetBytesProcessed(static_cast<int64_t>(state.iterations() * bytes * burst));
  state.SetItemsProcessed(static_cast<int64_t>(state.iterations() * burst));
}

int register_all() {
  for (size_t bytes : {size_t{64}, size_t{576}, size_t{1400}}) {
    const std::string b = std::to_string(bytes);
    for (bool open : {false, true}) {
      const std::string dir = open ? "/open" : "/seal";
      benchmark::RegisterBenchmark(("RawMb/aes-128-gcm/" + b + dir).c_str(),
                                   [=](benchmark::State& s) { raw_gcm(s, 16, bytes, open); });
      benchmark::RegisterBenchmark(("RawMb/aes-256-gcm/" + b + dir).c_str(),
                                   [=](benchmark::State& s) { raw_gcm(s, 32, bytes, open); });
      benchmark::RegisterBenchmark(("RawMb/aes-128-cbc-hmac-sha1/" + b + dir).c_str(), [=](benchmark::State& s) {
        raw_cbc_hmac(s, IMB_AUTH_HMAC_SHA_1, 20, bytes, open, 1);
      });
      benchmark::RegisterBenchmark(("RawMb/aes-128-cbc-hmac-sha256/" + b + dir).c_str(), [=](benchmark::State& s) {
        raw_cbc_hmac(s, IMB_AUTH_HMAC_SHA_256, 32, bytes, open, 1);
      });
    }
    benchmark::RegisterBenchmark(("RawMb/aes-128-cbc-hmac-sha1/" + b + "/burst32").c_str(), [=](benchmark::State& s) {
      raw_cbc_hmac(s, IMB_AUTH_HMAC_SHA_1, 20, bytes, true, 32);
    });
  }
  return 0;
}
const int registered = register_all();

}  // namespace
#endif
