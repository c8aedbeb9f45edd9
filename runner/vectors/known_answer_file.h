// Reader for known-answer files in the format of esp-known-answers.json (its "schema" member
// documents the fields): published ESP vectors — whole packets, ESP packets, cipher and MAC
// primitives, replay scenarios — to be checked against the oracle by kat_runner.h.
//
// Strict: a member outside the documented set is an error naming the file and JSON path, so a
// vector that says more than this reader understands is never half-checked. Informational members
// (source, notes, verification) are kept as text.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

namespace cts::vectors {

enum class KatCategory : uint8_t { esp_packet, ip_packet, cipher_primitive, mac_primitive, replay_scenario };
const char* kat_category_name(KatCategory c);  // as in the file: "esp-packet", ...

// What the vector says must happen.
enum class KatExpectedResult : uint8_t {
  accept,                     // both directions succeed, bytes match
  accept_then_discard_dummy,  // ICV verifies, Next Header 59: dropped silently (DUMMY-002)
  reject_integrity,           // inbound fails the ICV
  match,                      // primitives: output equals the expected value
  reject_replay,              // replay scenarios, per packet
  reject_out_of_window,
  reject_udp_checksum,        // the receiver's policy discards the UDP-ESP datagram (OQ-ESP-1)
};

// What a receiver does with a zero UDP checksum on IPv6 UDP-ESP (docs/decisions.md, OQ-ESP-1).
enum class KatIpv6ZeroChecksum : uint8_t { accept, discard };

// Receiver configuration a vector's expected_result assumes, where the references leave the
// choice to the receiver. Absent members mean the oracle's documented choice.
struct KatReceiverPolicy {
  KatIpv6ZeroChecksum ipv6_udp_zero_checksum = KatIpv6ZeroChecksum::accept;
};
bool kat_result_from_text(const std::string& text, KatExpectedResult& out);
const char* kat_result_name(KatExpectedResult r);

struct KatAlgorithm {
  std::string encryption;  // NULL | AES-CBC | AES-GCM | AES-GMAC (empty for MAC primitives)
  std::string integrity;   // HMAC transform name, empty for none / combined modes
  std::optional<uint32_t> icv_bytes, iv_bytes, aes_key_bits, esp_key_bytes;
  std::string hash;        // MAC primitives: md5, sha1, sha256...
};

struct KatInner {
  std::vector<uint8_t> payload;
  uint8_t pad_length = 0;
  uint8_t next_header = 0;
};

struct KatExpected {
  std::optional<std::vector<uint8_t>> esp_packet, icv, ciphertext, cleartext_body, ip_packet,
      hmac_full, icv_truncated, hmac_truncated_as_published;
};

struct KatReplayPacket {
  uint64_t seq = 0;
  std::string packet_vector;  // name of an ip-packet vector in the same file
};

struct KnownAnswer {
  std::string name;
  std::string source_text;  // "document, section (transcribed_from)"
  std::string document, section, transcribed_from;
  KatCategory category = KatCategory::esp_packet;
  KatAlgorithm algorithm;
  std::string mode;  // "transport", "tunnel", or the file's hint text
  std::optional<uint8_t> ip_version;
  bool udp_encap = false;
  std::optional<uint32_t> spi;
  bool esn = false;
  std::optional<uint64_t> seq;          // full (64-bit when esn)
  std::optional<uint32_t> seq_on_wire;
  std::vector<uint8_t> enc_key, salt, keymat, auth_key;
  std::optional<uint32_t> key_bytes;
  std::optional<std::vector<uint8_t>> iv, nonce, aad, plain_ip_packet, esp_plaintext, plaintext, data,
      icv_input;
  std::optional<KatInner> inner;
  KatExpected expected;
  std::optional<KatExpectedResult> expected_result;
  std::vector<KatExpectedResult> expected_results;  // replay scenario
  std::vector<KatReplayPacket> packets;              // replay scenario
  std::optional<uint32_t> replay_window;
  KatReceiverPolicy receiver_policy;
  std::string notes;
  bool verified = false;
  std::string verification;
};

struct KnownAnswerFile {
  std::string path;
  std::string title;
  std::vector<KnownAnswer> vectors;
  const KnownAnswer* find(const std::string& name) const;
};

// Loads and checks the whole file (unique names, count matches "count" when present, replay
// scenarios refer to vectors that exist). On failure: false, `error` = "FILE: $.vectors[3].x: why".
bool load_known_answers(const std::string& path, KnownAnswerFile& out, std::string& error);
bool parse_known_answers(const std::string& text, const std::string& origin, KnownAnswerFile& out,
                         std::string& error);

}  // namespace cts::vectors
