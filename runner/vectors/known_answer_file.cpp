#include "runner/vectors/known_answer_file.h"

#include <fstream>
#include <set>
#include <sstream>

#include <nlohmann/json.hpp>

#include "runner/vectors/json_fields.h"
#include "runner/vectors/name_table.h"

namespace cts::vectors {

namespace {

constexpr NamedValue<KatCategory> kCategories[] = {{KatCategory::esp_packet, "esp-packet"},
                                        {KatCategory::ip_packet, "ip-packet"},
                                        {KatCategory::cipher_primitive, "cipher-primitive"},
                                        {KatCategory::mac_primitive, "mac-primitive"},
                                        {KatCategory::replay_scenario, "replay-scenario"}};

constexpr NamedValue<KatExpectedResult> kResults[] = {{KatExpectedResult::accept, "accept"},
                                   {KatExpectedResult::accept_then_discard_dummy, "accept-then-discard-dummy"},
                                   {KatExpectedResult::reject_integrity, "reject-integrity"},
                                   {KatExpectedResult::match, "match"},
                                   {KatExpectedResult::reject_replay, "reject-replay"},
                                   {KatExpectedResult::reject_out_of_window, "reject-out-of-window"},
                                   {KatExpectedResult::reject_udp_checksum, "reject-udp-checksum"}};

constexpr NamedValue<KatIpv6ZeroChecksum> kZeroChecksumPolicies[] = {{KatIpv6ZeroChecksum::accept, "accept"},
                                                                      {KatIpv6ZeroChecksum::discard, "discard"}};

std::optional<uint32_t> opt_u32(JsonObject& o, const std::string& key) {
  auto v = o.optional_unsigned(key, 0xFFFFFFFFull);
  if (!v) return std::nullopt;
  return static_cast<uint32_t>(*v);
}

KatAlgorithm parse_algorithm(const nlohmann::json& j, const std::string& path) {
  JsonObject o(j, path);
  KatAlgorithm a;
  a.encryption = o.optional_string("encryption").value_or("");
  a.integrity = o.optional_string("integrity").value_or("");
  a.icv_bytes = opt_u32(o, "icv_bytes");
  a.iv_bytes = opt_u32(o, "iv_bytes");
  a.aes_key_bits = opt_u32(o, "aes_key_bits");
  a.esp_key_bytes = opt_u32(o, "esp_key_bytes");
  a.hash = o.optional_string("hash").value_or("");
  o.finish();
  return a;
}

KnownAnswer parse_vector(const nlohmann::json& j, const std::string& path) {
  JsonObject o(j, path);
  KnownAnswer v;
  v.name = o.string("name");
  {
    JsonObject s(o.required("source"), o.child("source"));
    v.document = s.optional_string("document").value_or("");
    v.section = s.optional_string("section").value_or("");
    v.transcribed_from = s.optional_string("transcribed_from").value_or("");
    s.finish();
    v.source_text = v.document + ", " + v.section;
  }
  const std::string cat = o.string("category");
  if (!value_of(kCategories, cat, v.category))
    throw JsonFieldError(o.child("category"), "unknown category \"" + cat + "\"");
  v.algorithm = parse_algorithm(o.required("algorithm"), o.child("algorithm"));
  v.mode = o.optional_string("mode").value_or("");
  if (auto ipv = o.optional_unsigned("ip_version", 6)) v.ip_version = static_cast<uint8_t>(*ipv);
  v.udp_encap = o.optional_boolean("udp_encap").value_or(false);
  if (auto spi = o.optional_hex_number("spi", 0xFFFFFFFFull)) v.spi = static_cast<uint32_t>(*spi);
  v.esn = o.optional_boolean("esn").value_or(false);
  v.seq = o.optional_hex_number("seq", ~0ull);
  if (auto w = o.optional_hex_number("seq_on_wire", 0xFFFFFFFFull)) v.seq_on_wire = static_cast<uint32_t>(*w);
  if (const auto* k = o.optional("keys")) {
    JsonObject ko(*k, o.child("keys"));
    v.enc_key = ko.optional_hex_bytes("enc_key").value_or(std::vector<uint8_t>{});
    v.salt = ko.optional_hex_bytes("salt").value_or(std::vector<uint8_t>{});
    v.keymat = ko.optional_hex_bytes("keymat").value_or(std::vector<uint8_t>{});
    v.auth_key = ko.optional_hex_bytes("auth_key").value_or(std::vector<uint8_t>{});
    v.key_bytes = opt_u32(ko, "key_bytes");
    ko.finish();
  }
  v.iv = o.optional_hex_bytes("iv");
  v.nonce = o.optional_hex_bytes("nonce");
  v.aad = o.optional_hex_bytes("aad");
  v.plain_ip_packet = o.optional_hex_bytes("plain_ip_packet");
  v.esp_plaintext = o.optional_hex_bytes("esp_plaintext");
  v.plaintext = o.optional_hex_bytes("plaintext");
  v.data = o.optional_hex_bytes("data");
  v.icv_input = o.optional_hex_bytes("icv_input");
  if (const auto* in = o.optional("inner")) {
    JsonObject io(*in, o.child("inner"));
    KatInner inner;
    inner.payload = io.hex_bytes("payload");
    inner.pad_length = static_cast<uint8_t>(io.unsigned_int("pad_length", 255));
    inner.next_header = static_cast<uint8_t>(io.unsigned_int("next_header", 255));
    io.finish();
    v.inner = inner;
  }
  if (const auto* e = o.optional("expected")) {
    JsonObject eo(*e, o.child("expected"));
    v.expected.esp_packet = eo.optional_hex_bytes("esp_packet");
    v.expected.icv = eo.optional_hex_bytes("icv");
    v.expected.ciphertext = eo.optional_hex_bytes("ciphertext");
    v.expected.cleartext_body = eo.optional_hex_bytes("cleartext_body");
    v.expected.ip_packet = eo.optional_hex_bytes("ip_packet");
    v.expected.hmac_full = eo.optional_hex_bytes("hmac_full");
    v.expected.icv_truncated = eo.optional_hex_bytes("icv_truncated");
    v.expected.hmac_truncated_as_published = eo.optional_hex_bytes("hmac_truncated_as_published");
    eo.finish();
  }
  if (auto r = o.optional_string("expected_result")) {
    KatExpectedResult res;
    if (!kat_result_from_text(*r, res)) throw JsonFieldError(o.child("expected_result"), "unknown result \"" + *r + "\"");
    v.expected_result = res;
  }
  if (const auto* rs = o.optional("expected_results")) {
    if (!rs->is_array()) throw JsonFieldError(o.child("expected_results"), "expected an array");
    for (size_t i = 0; i < rs->size(); ++i) {
      const std::string p = o.child("expected_results") + "[" + std::to_string(i) + "]";
      KatExpectedResult res;
      if (!(*rs)[i].is_string() || !kat_result_from_text((*rs)[i].get<std::string>(), res))
        throw JsonFieldError(p, "unknown result");
      v.expected_results.push_back(res);
    }
  }
  if (const auto* ps = o.optional("packets")) {
    if (!ps->is_array()) throw JsonFieldError(o.child("packets"), "expected an array");
    for (size_t i = 0; i < ps->size(); ++i) {
      JsonObject po((*ps)[i], o.child("packets") + "[" + std::to_string(i) + "]");
      KatReplayPacket rp;
      rp.seq = po.hex_number("seq", ~0ull);
      rp.packet_vector = po.string("packet_vector");
      po.finish();
      v.packets.push_back(rp);
    }
  }
  if (auto w = o.optional_unsigned("replay_window", 1u << 20)) v.replay_window = static_cast<uint32_t>(*w);
  if (const auto* rp = o.optional("receiver_policy")) {
    JsonObject po(*rp, o.child("receiver_policy"));
    if (auto z = po.optional_string("ipv6_udp_zero_checksum")) {
      if (!value_of(kZeroChecksumPolicies, *z, v.receiver_policy.ipv6_udp_zero_checksum))
        throw JsonFieldError(po.child("ipv6_udp_zero_checksum"), "expected \"accept\" or \"discard\", got \"" + *z + "\"");
    }
    po.finish();
  }
  v.notes = o.optional_string("notes").value_or("");
  v.verified = o.optional_boolean("verified").value_or(false);
  v.verification = o.optional_string("verification").value_or("");
  o.finish();

  // Consistency the schema text implies.
  if (v.category == KatCategory::replay_scenario) {
    if (v.packets.empty() || v.packets.size() != v.expected_results.size())
      throw JsonFieldError(path, "replay scenario needs packets and one expected result per packet");
  } else if (!v.expected_result) {
    throw JsonFieldError(o.child("expected_result"), "required field missing");
  }
  if (v.expected_result == KatExpectedResult::reject_udp_checksum && (!v.udp_encap || v.ip_version != 6 ||
                                                                      v.category != KatCategory::ip_packet))
    throw JsonFieldError(o.child("expected_result"), "reject-udp-checksum applies to IPv6 UDP-ESP ip-packet vectors only");
  return v;
}

}  // namespace

const char* kat_category_name(KatCategory c) { return name_of(kCategories, c); }

bool kat_result_from_text(const std::string& text, KatExpectedResult& out) { return value_of(kResults, text, out); }

const char* kat_result_name(KatExpectedResult r) { return name_of(kResults, r); }

const KnownAnswer* KnownAnswerFile::find(const std::string& name) const {
  for (const auto& v : vectors)
    if (v.name == name) return &v;
  return nullptr;
}

bool parse_known_answers(const std::string& text, const std::string& origin, KnownAnswerFile& out,
                         std::string& error) {
  return read_json_text(text, origin, error, [&](const nlohmann::json& j) {
    JsonObject o(j, "$");
    KnownAnswerFile f;
    f.path = origin;
    f.title = o.optional_string("title").value_or("");
    o.allow("schema");  // the format's own documentation
    const auto count = o.optional_unsigned("count", ~0ull >> 1);
    const auto& vs = o.required("vectors");
    if (!vs.is_array()) throw JsonFieldError(o.child("vectors"), "expected an array");
    std::set<std::string> names;
    for (size_t i = 0; i < vs.size(); ++i) {
      const std::string path = o.child("vectors") + "[" + std::to_string(i) + "]";
      KnownAnswer v = parse_vector(vs[i], path);
      if (!names.insert(v.name).second) throw JsonFieldError(path + ".name", "duplicate vector name \"" + v.name + "\"");
      f.vectors.push_back(std::move(v));
    }
    o.finish();
    if (count && *count != f.vectors.size())
      throw JsonFieldError(o.child("count"), "says " + std::to_string(*count) + " but the file holds " +
                                                std::to_string(f.vectors.size()) + " vectors");
    for (size_t i = 0; i < f.vectors.size(); ++i)
      for (size_t k = 0; k < f.vectors[i].packets.size(); ++k)
        if (names.count(f.vectors[i].packets[k].packet_vector) == 0)
          throw JsonFieldError("$.vectors[" + std::to_string(i) + "].packets[" + std::to_string(k) + "].packet_vector",
                               "no vector named \"" + f.vectors[i].packets[k].packet_vector + "\"");
    out = std::move(f);
  });
}

bool load_known_answers(const std::string& path, KnownAnswerFile& out, std::string& error) {
  std::string text;
  return read_data_file(path, "known-answer file", text, error) && parse_known_answers(text, path, out, error);
}

}  // namespace cts::vectors
