#include "runner/vectors/sidecar.h"

#include <fstream>
#include <map>
#include <regex>
#include <set>
#include <sstream>

#include <nlohmann/json.hpp>

#include "runner/vectors/json_fields.h"
#include "runner/vectors/name_table.h"

namespace cts::vectors {

namespace {

constexpr NamedValue<PacketVerdict> kLabels[] = {
    {PacketVerdict::ok, "ok"},
    {PacketVerdict::bad_icv, "bad-icv"},
    {PacketVerdict::replay, "replay"},
    {PacketVerdict::outside_window, "outside-window"},
    {PacketVerdict::bad_padding, "bad-padding"},
    {PacketVerdict::unknown_spi, "unknown-spi"},
    {PacketVerdict::truncated, "truncated"},
    {PacketVerdict::dummy, "dummy"},
    {PacketVerdict::fragment, "fragment"},
    {PacketVerdict::policy_mismatch, "policy-mismatch"},
    {PacketVerdict::udp_keepalive, "udp-keepalive"},
    {PacketVerdict::ike, "ike"},
    {PacketVerdict::malformed, "malformed"},
    {PacketVerdict::not_esp, "not-esp"},
};

// Derivation flags a packet may carry; each is explained once in vectors/README.md.
const std::set<std::string>& known_flags() {
  static const std::set<std::string> flags = {
      "valid",           "corrupt-icv",  "corrupt-padding", "truncated",   "wrong-spi",
      "duplicate",       "inside-window", "outside-window", "far-ahead",   "esn-wrap",
      "esn-old-as-next", "dummy",        "forged-then-genuine", "udp-encap", "ipv6-ext-headers",
      "published",       "peer-scapy",   "tfc",             "sequence-zero", "corrupt-ciphertext",
      "corrupt-esn-high"};
  return flags;
}

SaDirection parse_direction(const std::string& s, const std::string& path) {
  if (s == "inbound") return SaDirection::inbound;
  if (s == "outbound") return SaDirection::outbound;
  throw JsonFieldError(path, "expected \"inbound\" or \"outbound\", got \"" + s + "\"");
}

SaMode parse_mode(const std::string& s, const std::string& path) {
  if (s == "transport") return SaMode::transport;
  if (s == "tunnel") return SaMode::tunnel;
  throw JsonFieldError(path, "expected \"transport\" or \"tunnel\", got \"" + s + "\"");
}

bool valid_address(const std::string& a, uint8_t version) {
  // Shape check only; the verifier compares text as given. inet_pton would accept the same set.
  if (version == 4) {
    static const std::regex v4(R"(^(\d{1,3})\.(\d{1,3})\.(\d{1,3})\.(\d{1,3})$)");
    std::smatch m;
    if (!std::regex_match(a, m, v4)) return false;
    for (int i = 1; i <= 4; ++i)
      if (std::stoi(m[i].str()) > 255) return false;
    return true;
  }
  static const std::regex v6(R"(^[0-9a-fA-F:]{2,39}$)");
  return std::regex_match(a, v6) && a.find(':') != std::string::npos;
}

SidecarSa parse_sa(const nlohmann::json& j, const std::string& path) {
  JsonObject o(j, path);
  SidecarSa sa;
  sa.id = o.string("id");
  if (sa.id.empty()) throw JsonFieldError(o.child("id"), "empty SA id");
  const uint64_t spi = o.hex_number("spi", 0xFFFFFFFFull);
  if (spi == 0) throw JsonFieldError(o.child("spi"), "SPI 0 is never used (RFC 4303 §2.1, ESP-002)");
  sa.spi = static_cast<uint32_t>(spi);
  sa.direction = parse_direction(o.string("direction"), o.child("direction"));
  sa.mode = parse_mode(o.string("mode"), o.child("mode"));
  const uint64_t v = o.unsigned_int("ip_version", 6);
  if (v != 4 && v != 6) throw JsonFieldError(o.child("ip_version"), "expected 4 or 6");
  sa.ip_version = static_cast<uint8_t>(v);
  sa.source = o.string("source");
  sa.destination = o.string("destination");
  if (!valid_address(sa.source, sa.ip_version))
    throw JsonFieldError(o.child("source"), "not an IPv" + std::to_string(v) + " address: " + sa.source);
  if (!valid_address(sa.destination, sa.ip_version))
    throw JsonFieldError(o.child("destination"), "not an IPv" + std::to_string(v) + " address: " + sa.destination);
  if (const auto* u = o.optional("udp_encap")) {
    JsonObject uo(*u, o.child("udp_encap"));
    UdpEncap enc;
    enc.source_port = static_cast<uint16_t>(uo.unsigned_int("source_port", 65535));
    enc.destination_port = static_cast<uint16_t>(uo.unsigned_int("destination_port", 65535));
    if (auto z = uo.optional_string("ipv6_zero_checksum")) {
      if (*z != "accept" && *z != "discard")
        throw JsonFieldError(uo.child("ipv6_zero_checksum"), "expected \"accept\" or \"discard\", got \"" + *z + "\"");
      if (sa.ip_version != 6) throw JsonFieldError(uo.child("ipv6_zero_checksum"), "applies to IPv6 SAs only");
      enc.discard_ipv6_zero_checksum = *z == "discard";
    }
    uo.finish();
    sa.udp_encap = enc;
  }
  const std::string suite = o.string("suite");
  if (!esp::parse_suite(suite, sa.suite))
    throw JsonFieldError(o.child("suite"), "unknown or invalid ESP suite \"" + suite + "\"");
  sa.encryption_key = o.optional_hex_bytes("encryption_key").value_or(std::vector<uint8_t>{});
  sa.salt = o.optional_hex_bytes("salt").value_or(std::vector<uint8_t>{});
  sa.integrity_key = o.optional_hex_bytes("integrity_key").value_or(std::vector<uint8_t>{});
  if (sa.encryption_key.size() != esp::cipher_key_size(sa.suite.encryption))
    throw JsonFieldError(o.child("encryption_key"), "suite " + suite + " needs " +
                         std::to_string(esp::cipher_key_size(sa.suite.encryption)) + " key octets, got " +
                         std::to_string(sa.encryption_key.size()));
  const size_t salt_size = esp::is_combined(sa.suite.encryption) ? 4 : 0;
  if (sa.salt.size() != salt_size)
    throw JsonFieldError(o.child("salt"), "suite " + suite + " needs " + std::to_string(salt_size) +
                         " salt octets, got " + std::to_string(sa.salt.size()));
  if (sa.integrity_key.size() != esp::integrity_key_size(sa.suite.integrity))
    throw JsonFieldError(o.child("integrity_key"), "suite " + suite + " needs " +
                         std::to_string(esp::integrity_key_size(sa.suite.integrity)) +
                         " integrity key octets, got " + std::to_string(sa.integrity_key.size()));
  sa.esn = o.boolean("esn");
  sa.initial_sequence = o.hex_number("initial_sequence", sa.esn ? ~0ull : 0xFFFFFFFFull);
  sa.anti_replay = o.boolean("anti_replay");
  sa.replay_window = static_cast<uint32_t>(o.unsigned_int("replay_window", 1u << 20));
  if (sa.anti_replay && !esp::has_integrity(sa.suite))
    throw JsonFieldError(o.child("anti_replay"), "anti-replay on an SA without integrity (REPLAY-002)");
  o.finish();
  return sa;
}

SidecarPacket parse_packet(const nlohmann::json& j, const std::string& path) {
  static const std::regex req_id(R"(^[A-Z]+-[0-9]{3}$)");
  JsonObject o(j, path);
  SidecarPacket p;
  p.index = o.unsigned_int("index", ~0ull >> 1);
  p.sa = o.string("sa");
  p.sequence = o.hex_number("sequence", ~0ull);
  if (auto h = o.optional_hex_number("esn_high", 0xFFFFFFFFull)) p.esn_high = static_cast<uint32_t>(*h);
  const std::string label = o.string("expect");
  if (!verdict_from_label(label, p.expect)) throw JsonFieldError(o.child("expect"), "unknown verdict \"" + label + "\"");
  if (auto ip = o.optional_unsigned("inner_protocol", 255)) p.inner_protocol = static_cast<uint8_t>(*ip);
  p.requirements = o.string_array("requirements");
  for (size_t i = 0; i < p.requirements.size(); ++i)
    if (!std::regex_match(p.requirements[i], req_id))
      throw JsonFieldError(o.child("requirements") + "[" + std::to_string(i) + "]",
                           "not a requirement id (AREA-NNN): \"" + p.requirements[i] + "\"");
  p.flags = o.string_array("flags");
  for (size_t i = 0; i < p.flags.size(); ++i)
    if (known_flags().count(p.flags[i]) == 0)
      throw JsonFieldError(o.child("flags") + "[" + std::to_string(i) + "]", "unknown flag \"" + p.flags[i] + "\"");
  p.twin_of = o.optional_unsigned("twin_of", ~0ull >> 1);
  p.comment = o.optional_string("comment").value_or("");
  o.finish();
  return p;
}

Provenance parse_provenance(const nlohmann::json& j, const std::string& path) {
  JsonObject o(j, path);
  Provenance p;
  p.kind = o.string("kind");
  // "captured": traffic recorded from a device or a network (a vendor's capture), with no seed
  // or published source behind it.
  if (p.kind != "generated" && p.kind != "published" && p.kind != "captured")
    throw JsonFieldError(o.child("kind"), "expected \"generated\", \"published\" or \"captured\"");
  p.tool = o.string("tool");
  p.tool_version = o.string("tool_version");
  p.seed = o.optional_unsigned("seed", ~0ull);
  if (p.kind == "generated" && !p.seed) throw JsonFieldError(o.child("seed"), "a generated vector records its seed");
  if (const auto* s = o.optional("sources")) {
    if (!s->is_array()) throw JsonFieldError(o.child("sources"), "expected an array");
    for (size_t i = 0; i < s->size(); ++i) {
      JsonObject so((*s)[i], o.child("sources") + "[" + std::to_string(i) + "]");
      ProvenanceSource src;
      src.vector = so.string("vector");
      src.document = so.string("document");
      src.section = so.string("section");
      src.transcribed_from = so.string("transcribed_from");
      src.file = so.string("file");
      so.finish();
      p.sources.push_back(std::move(src));
    }
  }
  if (p.kind == "published" && p.sources.empty())
    throw JsonFieldError(o.child("sources"), "a published vector names its sources");
  o.finish();
  return p;
}

void check_references(const Sidecar& s) {
  std::set<std::string> ids;
  std::set<std::pair<uint32_t, std::string>> spis;
  for (size_t i = 0; i < s.sas.size(); ++i) {
    const std::string path = "$.sas[" + std::to_string(i) + "]";
    if (!ids.insert(s.sas[i].id).second) throw JsonFieldError(path + ".id", "duplicate SA id \"" + s.sas[i].id + "\"");
    if (!spis.insert({s.sas[i].spi, s.sas[i].destination}).second)
      throw JsonFieldError(path + ".spi", "two SAs with the same SPI and destination");
  }
  for (size_t i = 0; i < s.packets.size(); ++i) {
    const SidecarPacket& p = s.packets[i];
    const std::string path = "$.packets[" + std::to_string(i) + "]";
    if (p.index != i) throw JsonFieldError(path + ".index", "expected index " + std::to_string(i));
    const SidecarSa* sa = s.find_sa(p.sa);
    if (sa == nullptr) throw JsonFieldError(path + ".sa", "no SA with id \"" + p.sa + "\"");
    if (sa->esn != p.esn_high.has_value())
      throw JsonFieldError(path + ".esn_high", sa->esn ? "ESN SA: the high half in force is required"
                                                       : "esn_high on a 32-bit SA");
    if (!sa->esn && p.sequence > 0xFFFFFFFFull)
      throw JsonFieldError(path + ".sequence", "above 2^32-1 on a 32-bit SA");
    if (p.twin_of && (*p.twin_of == i || *p.twin_of >= s.packets.size()))
      throw JsonFieldError(path + ".twin_of", "must name another packet of this capture");
  }
}

}  // namespace

const char* verdict_label(PacketVerdict v) { return name_of(kLabels, v); }

bool verdict_from_label(const std::string& label, PacketVerdict& out) { return value_of(kLabels, label, out); }

PacketVerdict from_esp_verdict(esp::EspVerdict v) {
  switch (v) {
    case esp::EspVerdict::ok: return PacketVerdict::ok;
    case esp::EspVerdict::unknown_spi: return PacketVerdict::unknown_spi;
    case esp::EspVerdict::fragment: return PacketVerdict::fragment;
    case esp::EspVerdict::truncated: return PacketVerdict::truncated;
    case esp::EspVerdict::replay: return PacketVerdict::replay;
    case esp::EspVerdict::outside_window: return PacketVerdict::outside_window;
    case esp::EspVerdict::bad_icv: return PacketVerdict::bad_icv;
    case esp::EspVerdict::bad_padding: return PacketVerdict::bad_padding;
    case esp::EspVerdict::dummy: return PacketVerdict::dummy;
    case esp::EspVerdict::policy_mismatch: return PacketVerdict::policy_mismatch;
    case esp::EspVerdict::udp_keepalive: return PacketVerdict::udp_keepalive;
    case esp::EspVerdict::ike: return PacketVerdict::ike;
    default: return PacketVerdict::not_esp;
  }
}

const SidecarSa* Sidecar::find_sa(const std::string& id) const {
  for (const auto& sa : sas)
    if (sa.id == id) return &sa;
  return nullptr;
}

bool parse_sidecar(const std::string& text, const std::string& origin, Sidecar& out, std::string& error) {
  return read_json_text(text, origin, error, [&](const nlohmann::json& j) {
    JsonObject o(j, "$");
    Sidecar s;
    const uint64_t version = o.unsigned_int("schema_version", 1000);
    if (version != kSidecarSchemaVersion)
      throw JsonFieldError(o.child("schema_version"), "unsupported version " + std::to_string(version) +
                                                        " (this build reads " + std::to_string(kSidecarSchemaVersion) + ")");
    o.allow("$schema");
    s.name = o.string("name");
    s.description = o.optional_string("description").value_or("");
    s.provenance = parse_provenance(o.required("provenance"), o.child("provenance"));
    s.link_type = o.optional_string("link_type").value_or("ethernet");
    if (s.link_type != "ethernet" && s.link_type != "raw")
      throw JsonFieldError(o.child("link_type"), "expected \"ethernet\" or \"raw\"");
    const auto& sas = o.required("sas");
    if (!sas.is_array() || sas.empty()) throw JsonFieldError(o.child("sas"), "expected a non-empty array of SAs");
    for (size_t i = 0; i < sas.size(); ++i) s.sas.push_back(parse_sa(sas[i], o.child("sas") + "[" + std::to_string(i) + "]"));
    if (const auto* packets = o.optional("packets")) {
      if (!packets->is_array()) throw JsonFieldError(o.child("packets"), "expected an array");
      for (size_t i = 0; i < packets->size(); ++i)
        s.packets.push_back(parse_packet((*packets)[i], o.child("packets") + "[" + std::to_string(i) + "]"));
    }
    o.finish();
    check_references(s);
    out = std::move(s);
  });
}

bool load_sidecar(const std::string& path, Sidecar& out, std::string& error) {
  std::string text;
  return read_data_file(path, "sidecar", text, error) && parse_sidecar(text, path, out, error);
}

std::string sidecar_to_json(const Sidecar& s) {
  using oj = nlohmann::ordered_json;
  oj root;
  root["schema_version"] = s.schema_version;
  root["name"] = s.name;
  root["description"] = s.description;
  oj prov;
  prov["kind"] = s.provenance.kind;
  prov["tool"] = s.provenance.tool;
  prov["tool_version"] = s.provenance.tool_version;
  if (s.provenance.seed) prov["seed"] = *s.provenance.seed;
  if (!s.provenance.sources.empty()) {
    oj arr = oj::array();
    for (const auto& src : s.provenance.sources) {
      oj e;
      e["vector"] = src.vector;
      e["document"] = src.document;
      e["section"] = src.section;
      e["transcribed_from"] = src.transcribed_from;
      e["file"] = src.file;
      arr.push_back(e);
    }
    prov["sources"] = arr;
  }
  root["provenance"] = prov;
  root["link_type"] = s.link_type;
  oj sas = oj::array();
  for (const auto& sa : s.sas) {
    oj e;
    e["id"] = sa.id;
    e["spi"] = hex_number_string(sa.spi, 8);
    e["direction"] = sa.direction == SaDirection::inbound ? "inbound" : "outbound";
    e["mode"] = sa.mode == SaMode::tunnel ? "tunnel" : "transport";
    e["ip_version"] = sa.ip_version;
    e["source"] = sa.source;
    e["destination"] = sa.destination;
    if (sa.udp_encap) {
      oj u;
      u["source_port"] = sa.udp_encap->source_port;
      u["destination_port"] = sa.udp_encap->destination_port;
      // Written only where it departs from the oracle's choice, so existing sidecars stay as they are.
      if (sa.udp_encap->discard_ipv6_zero_checksum) u["ipv6_zero_checksum"] = "discard";
      e["udp_encap"] = u;
    } else {
      e["udp_encap"] = nullptr;
    }
    e["suite"] = esp::format_suite(sa.suite);
    if (!sa.encryption_key.empty()) e["encryption_key"] = hex_string(sa.encryption_key);
    if (!sa.salt.empty()) e["salt"] = hex_string(sa.salt);
    if (!sa.integrity_key.empty()) e["integrity_key"] = hex_string(sa.integrity_key);
    e["esn"] = sa.esn;
    e["initial_sequence"] = hex_number_string(sa.initial_sequence, sa.esn ? 16 : 8);
    e["anti_replay"] = sa.anti_replay;
    e["replay_window"] = sa.replay_window;
    sas.push_back(e);
  }
  root["sas"] = sas;
  oj packets = oj::array();
  for (const auto& p : s.packets) {
    oj e;
    e["index"] = p.index;
    e["sa"] = p.sa;
    const SidecarSa* sa = s.find_sa(p.sa);
    e["sequence"] = hex_number_string(p.sequence, sa && sa->esn ? 16 : 8);
    if (p.esn_high) e["esn_high"] = hex_number_string(*p.esn_high, 8);
    e["expect"] = verdict_label(p.expect);
    if (p.inner_protocol) e["inner_protocol"] = *p.inner_protocol;
    e["requirements"] = p.requirements;
    e["flags"] = p.flags;
    if (p.twin_of) e["twin_of"] = *p.twin_of;
    if (!p.comment.empty()) e["comment"] = p.comment;
    packets.push_back(e);
  }
  root["packets"] = packets;
  return root.dump(2) + "\n";
}

esp::EspSaConfig to_esp_config(const SidecarSa& sa) {
  esp::EspSaConfig cfg;
  cfg.spi = sa.spi;
  cfg.suite = sa.suite;
  std::vector<uint8_t> block = sa.encryption_key;
  block.insert(block.end(), sa.salt.begin(), sa.salt.end());  // OQ-07: key ‖ salt
  cfg.encryption_key.assign(crypto::ByteView(block.data(), block.size()));
  crypto::cleanse(crypto::MutableBytes(block.data(), block.size()));
  cfg.integrity_key.assign(crypto::ByteView(sa.integrity_key.data(), sa.integrity_key.size()));
  cfg.salt_convention = esp::SaltConvention::appended_to_key;
  cfg.esn = sa.esn;
  cfg.initial_sequence = sa.initial_sequence;
  cfg.anti_replay = sa.anti_replay;
  cfg.replay_window = sa.replay_window;
  return cfg;
}

}  // namespace cts::vectors
