#include "oracle/esp/ah_sa.h"

#include "oracle/esp/replay_window.h"

namespace cts::esp {

namespace {
struct AhRow {
  AhAlgorithm alg;
  std::string_view name;
  std::string_view long_name;
  size_t icv;
  size_t iv;
  size_t key;
};
constexpr AhRow kRows[] = {
    {AhAlgorithm::hmac_md5_96, "hmac-md5", "hmac-md5-96", 12, 0, 16},
    {AhAlgorithm::hmac_sha1_96, "hmac-sha1", "hmac-sha1-96", 12, 0, 20},
    {AhAlgorithm::hmac_sha256_128, "hmac-sha256", "hmac-sha256-128", 16, 0, 32},
    {AhAlgorithm::hmac_sha384_192, "hmac-sha384", "hmac-sha384-192", 24, 0, 48},
    {AhAlgorithm::hmac_sha512_256, "hmac-sha512", "hmac-sha512-256", 32, 0, 64},
    {AhAlgorithm::aes_128_gmac, "aes-128-gmac", "aes-128-gmac", 16, 8, 20},
    {AhAlgorithm::aes_192_gmac, "aes-192-gmac", "aes-192-gmac", 16, 8, 28},
    {AhAlgorithm::aes_256_gmac, "aes-256-gmac", "aes-256-gmac", 16, 8, 36},
};
const AhRow& row(AhAlgorithm a) { return kRows[static_cast<size_t>(a)]; }
}  // namespace

std::string_view ah_algorithm_name(AhAlgorithm a) { return row(a).name; }

bool parse_ah_algorithm(std::string_view name, AhAlgorithm& out) {
  for (const AhRow& r : kRows) {
    if (name == r.name || name == r.long_name) {
      out = r.alg;
      return true;
    }
  }
  return false;
}

size_t ah_icv_size(AhAlgorithm a) { return row(a).icv; }
size_t ah_iv_size(AhAlgorithm a) { return row(a).iv; }
size_t ah_key_block_size(AhAlgorithm a) { return row(a).key; }

size_t ah_length(AhAlgorithm a, uint8_t ip_version) {
  const size_t raw = kAhFixedSize + ah_iv_size(a) + ah_icv_size(a);
  const size_t align = ip_version == 6 ? 8 : 4;
  return (raw + align - 1) / align * align;
}

EspStatus validate_ah_config(const AhSaConfig& cfg) {
  if (cfg.spi == 0) return EspStatus::fail(EspVerdict::invalid_argument, "AH SA: spi 0 is never used (AH-007)");
  if (static_cast<size_t>(cfg.algorithm) >= std::size(kRows))
    return EspStatus::fail(EspVerdict::invalid_argument, "AH SA: algorithm out of range");
  if (cfg.key.size() != ah_key_block_size(cfg.algorithm))
    return EspStatus::fail(EspVerdict::invalid_argument,
                           is_gmac(cfg.algorithm)
                               ? "AH SA: key block must be AES key || 4-octet salt (20/28/36, OQ-AH-7)"
                               : "AH SA: HMAC key length must equal the transform's (RFC 2403/2404/4868)");
  if (cfg.anti_replay && !ReplayWindow::valid_size(cfg.replay_window))
    return EspStatus::fail(EspVerdict::invalid_argument, "AH SA: replay_window outside 32..2^20");
  if (!cfg.esn && cfg.initial_sequence > 0xFFFFFFFFull)
    return EspStatus::fail(EspVerdict::invalid_argument, "AH SA: initial_sequence > 2^32-1 without ESN");
  return EspStatus::success();
}

}  // namespace cts::esp
