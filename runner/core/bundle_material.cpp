#include "runner/core/bundle_material.h"

#include <arpa/inet.h>

#include <stdexcept>

#include "oracle/esp/ndis_algorithms.h"
#include "oracle/ndis/algorithms.h"
#include "oracle/ndis/constants.h"
#include "runner/core/vector_material.h"

namespace cts::core {

namespace {
uint64_t fnv1a(const std::string& s) {
  uint64_t h = 0xcbf29ce484222325ull;
  for (unsigned char c : s) {
    h ^= c;
    h *= 0x100000001b3ull;
  }
  return h;
}

// KeyLength of the algorithm as the device expects it (oracle/ndis facts, OQ-07); 0 for an
// identifier that is 0 or not one defined constant (a case that states it gives its own length).
size_t encryption_key_length(uint32_t id, bool gcm_key_includes_salt) {
  const ndis::AlgorithmFacts* f = ndis::encryption_facts(id);
  return f ? ndis::key_block_length(*f, gcm_key_includes_salt) : 0;
}
size_t authentication_key_length(uint32_t id, bool gcm_key_includes_salt) {
  const ndis::AlgorithmFacts* f = ndis::authentication_facts(id);
  return f ? ndis::key_block_length(*f, gcm_key_includes_salt) : 0;
}
bool encryption_is_gcm(uint32_t id) {
  const ndis::AlgorithmFacts* f = ndis::encryption_facts(id);
  return f && f->aes_gcm;
}

uint32_t eval_u32(const cases::Expr& e, const cases::ExprEnv& env, const std::string& where) {
  const int64_t v = e.eval(env);
  if (v < 0 || v > 0xFFFFFFFFll)
    throw std::runtime_error(where + ": value " + std::to_string(v) + " does not fit 32 bits");
  return static_cast<uint32_t>(v);
}
}  // namespace

CaseRandom::CaseRandom(uint64_t run_seed, const std::string& case_id)
    : gen_(run_seed ^ fnv1a(case_id)) {}

std::vector<uint8_t> CaseRandom::bytes(size_t n) {
  std::vector<uint8_t> out(n);
  for (size_t i = 0; i < n; i += 8) {
    const uint64_t r = gen_();
    for (size_t k = 0; k < 8 && i + k < n; ++k) out[i + k] = static_cast<uint8_t>(r >> (8 * k));
  }
  return out;
}

std::vector<uint8_t> derived_key(uint64_t seed, unsigned which, size_t length) {
  // SplitMix64 over (seed, which): cheap, so a label can keep the seed of its keys instead of
  // their bytes and derive them again when a later step uses it.
  std::vector<uint8_t> out(length);
  uint64_t state = seed ^ (0xA5A5A5A5DEADBEEFull * (which + 1));
  for (size_t i = 0; i < length; i += 8) {
    state += 0x9E3779B97F4A7C15ull;
    uint64_t z = state;
    z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ull;
    z = (z ^ (z >> 27)) * 0x94D049BB133111EBull;
    z ^= z >> 31;
    for (size_t k = 0; k < 8 && i + k < length; ++k) out[i + k] = static_cast<uint8_t>(z >> (8 * k));
  }
  return out;
}

std::array<uint8_t, 16> default_local(int ip_version) {
  return ip_version == 6 ? *parse_address("2001:db8::1", 6) : *parse_address("192.0.2.1", 4);
}
std::array<uint8_t, 16> default_peer(int ip_version) {
  return ip_version == 6 ? *parse_address("2001:db8:1::2", 6) : *parse_address("198.51.100.2", 4);
}

std::optional<std::array<uint8_t, 16>> parse_address(const std::string& text, int ip_version) {
  std::array<uint8_t, 16> out{};
  if (inet_pton(ip_version == 6 ? AF_INET6 : AF_INET, text.c_str(), out.data()) != 1) return std::nullopt;
  return out;
}

MaterialBundle make_material(const cases::BundleDef& def, const cases::ExprEnv& env, CaseRandom& rng,
                             bool gcm_key_includes_salt) {
  if (!def.vector.empty()) return material_from_vector(def, def.label.render(env), gcm_key_includes_salt);
  MaterialBundle b;
  b.label = def.label.render(env);
  b.inbound = def.inbound;
  b.ip_version = def.ip_version;
  b.udp_esp = def.udp_esp;
  auto address = [&](const cases::StringTemplate& t, std::array<uint8_t, 16> fallback, const char* name) {
    if (t.text().empty()) return fallback;
    const std::string text = t.render(env);
    auto a = parse_address(text, def.ip_version);
    if (!a)
      throw std::runtime_error(def.path + "." + name + ": \"" + text + "\" is not an IPv" +
                               std::to_string(def.ip_version) + " address");
    return *a;
  };
  const auto local = default_local(def.ip_version), peer = default_peer(def.ip_version);
  b.src = address(def.src, def.inbound ? peer : local, "src");
  b.dst = address(def.dst, def.inbound ? local : peer, "dst");
  for (size_t i = 0; i < def.sas.size(); ++i) {
    const auto& d = def.sas[i];
    const std::string where = def.path + (d.operation == ndis::IPsecOffloadV2Ah ? ".ah" : ".esp");
    MaterialSa sa;
    sa.operation = d.operation;
    sa.spi = eval_u32(d.spi, env, where + ".spi");
    sa.encryption = d.encryption;
    sa.authentication = d.authentication;
    size_t enc_len = encryption_key_length(d.encryption, gcm_key_includes_salt);
    size_t auth_len = authentication_key_length(d.authentication, gcm_key_includes_salt);
    if (d.encryption_key_length) enc_len = eval_u32(*d.encryption_key_length, env, where + ".encryption_key_length");
    if (d.authentication_key_length)
      auth_len = eval_u32(*d.authentication_key_length, env, where + ".authentication_key_length");
    if (enc_len > 4096 || auth_len > 4096) throw std::runtime_error(where + ": key longer than 4096 bytes");
    if (b.key_seed == 0) b.key_seed = rng.next() | 1u;  // never 0, which means "not derived"
    sa.encryption_key = derived_key(b.key_seed, static_cast<unsigned>(2 * i), enc_len);
    sa.authentication_key = derived_key(b.key_seed, static_cast<unsigned>(2 * i + 1), auth_len);
    sa.icv_length = d.icv_length ? eval_u32(*d.icv_length, env, where + ".icv_length") : 16;
    sa.esn = d.esn;
    sa.seq_high = eval_u32(d.seq_high, env, where + ".seq_high");
    b.sas.push_back(std::move(sa));
  }
  const cases::KeyBlockDef& k = def.key_block;
  if (k.key_offset) b.keys.key_offset = eval_u32(*k.key_offset, env, def.path + ".key_block.key_offset");
  b.keys.authentication_first = k.authentication_first;
  b.keys.lead = eval_u32(k.lead, env, def.path + ".key_block.lead");
  b.keys.gap = eval_u32(k.gap, env, def.path + ".key_block.gap");
  b.keys.tail = eval_u32(k.tail, env, def.path + ".key_block.tail");
  if (b.keys.lead > 4096 || b.keys.gap > 4096 || b.keys.tail > 4096)
    throw std::runtime_error(def.path + ".key_block: lead, gap and tail are at most 4096 octets");
  return b;
}

ndis::AddSaElement to_add_element(const MaterialBundle& bundle) {
  ndis::AddSaElement e;
  e.num_ext_hdrs = static_cast<uint32_t>(bundle.sas.size());
  e.flags = (bundle.inbound ? ndis::IPSEC_OFFLOAD_V2_INBOUND : 0u) |
            (bundle.ip_version == 6 ? ndis::IPSEC_OFFLOAD_V2_IPv6 : 0u);
  if (bundle.ip_version == 6) {
    e.endpoints = ndis::Endpoints::ipv6(bundle.src, bundle.dst);
  } else {
    e.endpoints = ndis::Endpoints::ipv4({bundle.src[0], bundle.src[1], bundle.src[2], bundle.src[3]},
                                        {bundle.dst[0], bundle.dst[1], bundle.dst[2], bundle.dst[3]});
  }
  e.udp_esp_encapsulation = bundle.udp_esp;
  e.key_offset = bundle.keys.key_offset;
  // Filler a device must skip: it reads keys through KeyOffsetBytes / KeyLength only (ADD-017).
  constexpr uint8_t kFiller = 0xC3;
  e.key_data.assign(bundle.keys.lead, kFiller);
  bool first_key = true;
  const auto place = [&](ndis::AlgorithmInfo& info, const std::vector<uint8_t>& key) {
    if (!first_key) e.key_data.insert(e.key_data.end(), bundle.keys.gap, kFiller);
    first_key = false;
    info.key_length = static_cast<uint32_t>(key.size());
    info.key_offset_bytes = static_cast<uint32_t>(e.key_data.size());
    e.key_data.insert(e.key_data.end(), key.begin(), key.end());
  };
  for (size_t i = 0; i < bundle.sas.size() && i < 2; ++i) {
    const MaterialSa& m = bundle.sas[i];
    ndis::SecurityAssociation& sa = e.sec_assoc[i];
    sa.flags = m.esn ? ndis::IPSEC_OFFLOAD_V2_ESN_SA : 0u;
    sa.operation = m.operation;
    sa.spi = m.spi;
    sa.sequence_number_high_order = m.seq_high;
    sa.encryption.identifier = m.encryption;
    if (m.encryption && encryption_is_gcm(m.encryption)) sa.encryption.additional_info = m.icv_length;  // ADD-022
    sa.authentication.identifier = m.authentication;
    const bool auth_first = bundle.keys.authentication_first;
    if (auth_first && m.authentication) place(sa.authentication, m.authentication_key);
    if (m.encryption) place(sa.encryption, m.encryption_key);
    if (!auth_first && m.authentication) place(sa.authentication, m.authentication_key);
  }
  e.key_data.insert(e.key_data.end(), bundle.keys.tail, kFiller);
  return e;
}

std::optional<size_t> esp_index(const MaterialBundle& bundle) {
  for (size_t i = 0; i < bundle.sas.size(); ++i)
    if (bundle.sas[i].operation == ndis::IPsecOffloadV2Esp) return i;
  return std::nullopt;
}

std::optional<esp::EspSaConfig> host_esp_config(const MaterialBundle& bundle, uint64_t initial_sequence,
                                                bool gcm_key_includes_salt, std::string& why_not) {
  using namespace ndis;
  const auto idx = esp_index(bundle);
  if (!idx) {
    why_not = "the bundle has no ESP SA";
    return std::nullopt;
  }
  const MaterialSa& m = bundle.sas[*idx];
  esp::EspSaConfig c;
  c.spi = m.spi;
  c.esn = m.esn;
  c.initial_sequence = initial_sequence;
  c.anti_replay = true;
  auto set_gcm = [&](esp::EspEncryption e, const std::vector<uint8_t>& key) {
    c.suite.encryption = e;
    c.encryption_key.assign(key);
    c.salt_convention = gcm_key_includes_salt ? esp::SaltConvention::appended_to_key
                                              : esp::SaltConvention::separate;
  };
  // 0 is "not used" (OQ-08): ESP-NULL beside an integrity algorithm.
  const auto cipher = m.encryption == 0 ? std::optional(esp::EspEncryption::null) : esp::esp_encryption_of_ndis(m.encryption);
  if (!cipher) {
    why_not = "encryption identifier " + std::to_string(m.encryption) + " has no host transform";
    return std::nullopt;
  }
  if (esp::is_gcm(*cipher)) {
    set_gcm(*cipher, m.encryption_key);
    c.suite.gcm_icv_size = static_cast<uint8_t>(m.icv_length);
  } else {
    c.suite.encryption = *cipher;
    if (*cipher != esp::EspEncryption::null) c.encryption_key.assign(m.encryption_key);
    if (const auto hmac = esp::esp_integrity_of_ndis(m.authentication)) {
      c.suite.integrity = *hmac;
    } else if (const auto gmac = esp::esp_gmac_of_ndis(m.authentication)) {
      set_gcm(*gmac, m.authentication_key);
    } else if (m.authentication != 0) {
      why_not = "authentication identifier " + std::to_string(m.authentication) + " has no host transform";
      return std::nullopt;
    }
    if (c.suite.integrity != esp::EspIntegrity::none) c.integrity_key.assign(m.authentication_key);
  }
  if (!esp::has_integrity(c.suite)) c.anti_replay = false;  // REPLAY-002
  // A bundle with SPI 0 is one the device must have refused (ESP-002); the peer still frames it,
  // so a probe can prove it is not offloaded.
  c.allow_spi_zero = m.spi == 0;
  const esp::EspStatus st = esp::validate_sa_config(c);
  if (st.verdict != esp::EspVerdict::ok) {
    why_not = std::string("host ESP refuses the SA: ") + st.detail;
    return std::nullopt;
  }
  return c;
}

}  // namespace cts::core
