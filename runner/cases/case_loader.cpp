#include "runner/cases/case_loader.h"

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <regex>
#include <set>
#include <sstream>

#include "oracle/ndis/constants.h"
#include "runner/cases/capability_tokens.h"
#include "runner/cases/case_names.h"
#include "runner/cases/case_parameters.h"
#include "runner/cases/json_reader.h"
#include "runner/json/json_text.h"
#include "runner/cases/ndis_fields.h"

namespace cts::cases {

std::string LoadError::to_string() const {
  std::string s = file;
  if (!case_id.empty()) s += ": case " + case_id;
  if (!path.empty()) s += ": " + path;
  return s + ": " + message;
}

const std::vector<std::string>& profile_variables() {
  static const std::vector<std::string> v = {"capacity", "inbound_capacity", "outbound_capacity",
                                             "dest_address_capacity"};
  return v;
}

namespace {

// Variables in scope while reading a case: profile variables plus enclosing loop variables.
struct Scope {
  std::set<std::string> vars;
};

void check_vars(const JsonValue& where, const std::set<std::string>& used, const Scope& scope,
                const std::set<std::string>& extra = {}) {
  for (const auto& v : used)
    if (!scope.vars.count(v) && !extra.count(v)) {
      std::string known;
      for (const auto& k : scope.vars) known += (known.empty() ? "" : ", ") + k;
      for (const auto& k : extra) known += ", " + k;
      where.fail("unknown variable '" + v + "' (in scope: " + known + ")");
    }
}

Expr read_expr(const JsonValue& v, const Scope& scope, const std::set<std::string>& extra = {}) {
  Expr e = v.as_expr();
  check_vars(v, e.variables(), scope, extra);
  return e;
}

StringTemplate read_template(const JsonValue& v, const Scope& scope) {
  StringTemplate t = v.as_template();
  check_vars(v, t.variables(), scope);
  return t;
}

uint32_t read_u32_or_name(const JsonValue& v, bool (*from_name)(std::string_view, uint32_t&),
                          const std::string& prefix, const char* what) {
  if (v.is_integer()) return static_cast<uint32_t>(v.as_int(0, 0xFFFFFFFF));
  const std::string name = v.as_nonempty_string();
  uint32_t out = 0;
  if (from_name(name, out)) return out;
  if (name.rfind(prefix, 0) != 0 && from_name(prefix + name, out)) return out;
  v.fail(std::string("unknown ") + what + " \"" + name + "\"");
}

uint32_t read_status(const JsonValue& v) {
  return read_u32_or_name(v, &ndis::ndis_status_from_name, "NDIS_STATUS_", "NDIS status");
}
uint32_t read_encryption(const JsonValue& v) {
  return read_u32_or_name(v, &ndis::encryption_algorithm_from_name, "IPSEC_OFFLOAD_V2_ENCRYPTION_",
                          "encryption algorithm");
}
uint32_t read_authentication(const JsonValue& v) {
  return read_u32_or_name(v, &ndis::authentication_algorithm_from_name,
                          "IPSEC_OFFLOAD_V2_AUTHENTICATION_", "authentication algorithm");
}

uint32_t read_operation(const JsonValue& v) {
  if (v.is_integer()) return static_cast<uint32_t>(v.as_int(0, 0xFFFFFFFF));
  const std::string s = v.as_string();
  if (s == "ESP" || s == "IPsecOffloadV2Esp") return ndis::IPsecOffloadV2Esp;
  if (s == "AH" || s == "IPsecOffloadV2Ah") return ndis::IPsecOffloadV2Ah;
  v.fail("unknown operation \"" + s + "\" (ESP, AH or a number)");
}

uint32_t read_udp_esp(const JsonValue& v) {
  if (v.is_integer()) return static_cast<uint32_t>(v.as_int(0, 0xFFFFFFFF));
  const std::string s = v.as_string();
  static const std::vector<std::pair<std::string, uint32_t>> names = {
      {"NONE", ndis::IPSEC_OFFLOAD_V2_UDP_ESP_ENCAPSULATION_NONE},
      {"TRANSPORT", ndis::IPSEC_OFFLOAD_V2_UDP_ESP_ENCAPSULATION_TRANSPORT},
      {"TUNNEL", ndis::IPSEC_OFFLOAD_V2_UDP_ESP_ENCAPSULATION_TUNNEL},
      {"TRANSPORT_OVER_UDP_TUNNEL", ndis::IPSEC_OFFLOAD_V2_TRANSPORT_OVER_UDP_ESP_ENCAPSULATION_TUNNEL},
      {"UDP_TRANSPORT_OVER_TUNNEL", ndis::IPSEC_OFFLOAD_V2_UDP_ESP_ENCAPSULATION_TRANSPORT_OVER_TUNNEL}};
  for (const auto& [n, val] : names)
    if (s == n) return val;
  v.fail("unknown UDP-ESP encapsulation \"" + s +
         "\" (NONE, TRANSPORT, TUNNEL, TRANSPORT_OVER_UDP_TUNNEL, UDP_TRANSPORT_OVER_TUNNEL)");
}

SecAssocDef read_sec_assoc(const JsonValue& v, uint32_t operation, const Scope& scope) {
  JsonObject o(v);
  SecAssocDef sa;
  sa.operation = operation;
  if (auto op = o.optional("operation")) sa.operation = read_operation(*op);
  sa.spi = read_expr(o.required("spi"), scope);
  if (auto e = o.optional("encryption")) sa.encryption = read_encryption(*e);
  if (auto a = o.optional("authentication")) sa.authentication = read_authentication(*a);
  if (auto k = o.optional("encryption_key_length")) sa.encryption_key_length = read_expr(*k, scope);
  if (auto k = o.optional("authentication_key_length"))
    sa.authentication_key_length = read_expr(*k, scope);
  if (auto i = o.optional("icv_length")) sa.icv_length = read_expr(*i, scope);
  if (auto e = o.optional("esn")) sa.esn = e->as_bool();
  if (auto h = o.optional("seq_high")) sa.seq_high = read_expr(*h, scope);
  o.done();
  if (operation == ndis::IPsecOffloadV2Ah && sa.encryption != 0)
    v.fail("an AH SA has no encryption algorithm (ADD-019)");
  if (sa.encryption == 0 && sa.authentication == 0 && sa.operation == ndis::IPsecOffloadV2Esp)
    v.fail("an ESP SA needs \"encryption\", \"authentication\" or both (ADD-020)");
  return sa;
}

BundleDef read_bundle(const JsonValue& v, const Scope& scope) {
  JsonObject o(v);
  BundleDef b;
  b.path = v.path();
  b.label = read_template(o.required("label"), scope);
  if (b.label.text().empty()) v.fail("label must not be empty");
  const std::string dir = o.required("direction").as_string();
  if (dir == "inbound") b.inbound = true;
  else if (dir != "outbound") v.fail("direction must be \"inbound\" or \"outbound\"");
  if (auto ip = o.optional("ip")) {
    b.ip_version = static_cast<int>(ip->as_int(4, 6));
    if (b.ip_version == 5) ip->fail("ip must be 4 or 6");
  }
  if (auto s = o.optional("src")) b.src = read_template(*s, scope);
  if (auto d = o.optional("dst")) b.dst = read_template(*d, scope);
  if (auto u = o.optional("udp_esp")) b.udp_esp = read_udp_esp(*u);
  if (auto k = o.optional("key_block")) {
    JsonObject ko(*k);
    if (auto x = ko.optional("key_offset")) b.key_block.key_offset = read_expr(*x, scope);
    if (auto x = ko.optional("order")) {
      const std::string order = x->as_string();
      if (order == "authentication_first") b.key_block.authentication_first = true;
      else if (order != "encryption_first") x->fail("order must be \"encryption_first\" or \"authentication_first\"");
    }
    if (auto x = ko.optional("lead")) b.key_block.lead = read_expr(*x, scope);
    if (auto x = ko.optional("gap")) b.key_block.gap = read_expr(*x, scope);
    if (auto x = ko.optional("tail")) b.key_block.tail = read_expr(*x, scope);
    ko.done();
  }
  if (auto esp = o.optional("esp")) b.sas.push_back(read_sec_assoc(*esp, ndis::IPsecOffloadV2Esp, scope));
  if (auto ah = o.optional("ah")) b.sas.push_back(read_sec_assoc(*ah, ndis::IPsecOffloadV2Ah, scope));
  if (auto vs = o.optional("vector_sa")) {
    JsonObject vo(*vs);
    b.vector = vo.required("vector").as_nonempty_string();
    b.vector_sa_id = vo.required("sa").as_nonempty_string();
    vo.done();
  }
  o.done();
  if (!b.vector.empty()) {
    // The sidecar states the whole SA; a second source for any of it could only disagree.
    for (const char* k : {"esp", "ah", "ip", "src", "dst", "udp_esp", "key_block"})
      if (o.has(k)) v.fail(std::string("\"") + k + "\" comes from the vector's SA when \"vector_sa\" is given");
    if (!b.inbound) v.fail("\"vector_sa\" is for inbound bundles (the vector's packets are received)");
    return b;
  }
  if (b.sas.empty()) v.fail("a bundle needs \"esp\", \"ah\", both, or \"vector_sa\"");
  return b;
}

HandleRef read_handle_ref(const JsonValue& v, const Scope& scope) {
  HandleRef h;
  if (v.is_integer()) {
    h.kind = HandleRef::Kind::raw;
    h.raw = static_cast<uint64_t>(v.as_int(0, INT64_MAX));
    h.text = std::to_string(h.raw);
    return h;
  }
  h.text = v.as_nonempty_string();
  if (h.text == "@null") h.kind = HandleRef::Kind::null;
  else if (h.text == "@bogus") h.kind = HandleRef::Kind::bogus;
  else if (h.text[0] == '@') v.fail("unknown handle reference \"" + h.text + "\" (@null, @bogus or a label)");
  else h.label = read_template(v, scope);
  return h;
}

StatusAlternative read_status_alternative(const JsonValue& v) {
  StatusAlternative a;
  if (v.is_string()) {
    const std::string s = v.as_string();
    if (s == "success") {
      a.kind = StatusAlternative::Kind::success;
      return a;
    }
    if (s == "failure") {
      a.kind = StatusAlternative::Kind::failure;
      return a;
    }
  }
  a.value = read_status(v);
  return a;
}

StatusExpect read_status_expect(const JsonValue& v) {
  StatusExpect e;
  e.text = v.raw().dump();
  if (v.is_array()) {
    for (const auto& item : v.as_array()) e.any_of.push_back(read_status_alternative(item));
    if (e.any_of.empty()) v.fail("an empty list of alternatives accepts nothing");
  } else {
    e.any_of.push_back(read_status_alternative(v));
  }
  return e;
}

TableExpect read_table_expect(const JsonValue& v, const Scope& scope) {
  JsonObject o(v);
  TableExpect t;
  if (auto x = o.optional("bundles")) t.bundles = read_expr(*x, scope);
  if (auto x = o.optional("inbound")) t.inbound = read_expr(*x, scope);
  if (auto x = o.optional("outbound")) t.outbound = read_expr(*x, scope);
  if (auto x = o.optional("present"))
    for (const auto& e : x->as_array()) t.present.push_back(read_template(e, scope));
  if (auto x = o.optional("absent"))
    for (const auto& e : x->as_array()) t.absent.push_back(read_template(e, scope));
  o.done();
  return t;
}

HandleExpect read_handle_expect(const JsonValue& v, const Scope& scope) {
  HandleExpect h;
  if (v.is_string()) {
    const std::string s = v.as_string();
    if (s == "null") h.kind = HandleExpect::Kind::null;
    else if (s == "non_null") h.kind = HandleExpect::Kind::non_null;
    else v.fail("expected \"null\", \"non_null\", {\"same_as\": label} or {\"not_same_as\": label}");
    return h;
  }
  JsonObject o(v);
  if (auto s = o.optional("same_as")) {
    h.kind = HandleExpect::Kind::same_as;
    h.label = read_template(*s, scope);
  } else if (auto n = o.optional("not_same_as")) {
    h.kind = HandleExpect::Kind::not_same_as;
    h.label = read_template(*n, scope);
  } else {
    v.fail("expected \"same_as\" or \"not_same_as\"");
  }
  o.done();
  return h;
}

std::vector<uint16_t> read_crypto_status(const JsonValue& v) {
  auto one = [](const JsonValue& x) -> uint16_t {
    if (x.is_integer()) return static_cast<uint16_t>(x.as_int(0, 0xFFFF));
    const std::string s = x.as_string();
    for (uint16_t c = 0; c <= 7; ++c)
      if (ndis::crypto_status_name(c) == s) return c;
    x.fail("unknown CryptoStatus \"" + s + "\" (CRYPTO_SUCCESS ... CRYPTO_INVALID_PROTOCOL or 0..7)");
  };
  std::vector<uint16_t> out;
  if (v.is_array()) {
    for (const auto& x : v.as_array()) out.push_back(one(x));
    if (out.empty()) v.fail("an empty list of alternatives accepts nothing");
  } else {
    out.push_back(one(v));
  }
  return out;
}

PacketDef read_packet(const JsonValue& v, const Scope& scope) {
  JsonObject o(v);
  PacketDef p;
  if (auto x = o.optional("vector")) p.vector = x->as_nonempty_string();
  if (auto x = o.optional("packet")) p.vector_packet = static_cast<uint64_t>(x->as_int(0, 1000000));
  if (auto x = o.optional("ip")) {
    p.ip_version = static_cast<int>(x->as_int(4, 6));
    if (*p.ip_version == 5) x->fail("ip must be 4 or 6");
  }
  if (auto x = o.optional("src")) p.src = read_template(*x, scope);
  if (auto x = o.optional("dst")) p.dst = read_template(*x, scope);
  if (auto x = o.optional("protocol")) {
    if (x->is_integer()) {
      p.protocol = static_cast<uint8_t>(x->as_int(0, 255));
    } else {
      const std::string s = x->as_string();
      if (s == "udp") p.protocol = 17;
      else if (s == "tcp") p.protocol = 6;
      else if (s == "icmp") p.protocol = 1;
      else if (s == "icmpv6") p.protocol = 58;
      else x->fail("unknown protocol \"" + s + "\" (udp, tcp, icmp, icmpv6 or a number)");
    }
  }
  if (auto x = o.optional("payload_size")) p.payload_size = read_expr(*x, scope);
  if (auto x = o.optional("pattern")) {
    const std::string s = x->as_string();
    const auto pattern = kPatternNames.find(s);
    if (!pattern) x->fail("unknown pattern \"" + s + "\" (" + kPatternNames.list() + ")");
    p.pattern = *pattern;
  }
  if (auto x = o.optional("mode")) {
    const std::string s = x->as_string();
    if (s == "tunnel") p.tunnel = true;
    else if (s != "transport") x->fail("mode must be \"transport\" or \"tunnel\"");
  }
  if (auto x = o.optional("inner_ip")) {
    p.inner_ip_version = static_cast<int>(x->as_int(4, 6));
    if (*p.inner_ip_version == 5) x->fail("inner_ip must be 4 or 6");
    if (!p.tunnel) x->fail("inner_ip needs \"mode\": \"tunnel\"");
  }
  if (auto x = o.optional("pad_length")) {
    if (x->is_string() && x->as_string() == "max") p.pad_max = true;
    else p.pad_length = read_expr(*x, scope);
  }
  if (auto x = o.optional("tfc")) {
    p.tfc = read_expr(*x, scope);
    // RFC 4303 2.7: TFC padding only where the payload carries its own length (TFC-003).
    if (!p.tunnel && p.protocol != 17)
      x->fail("tfc needs a payload that carries its length: \"mode\": \"tunnel\" or protocol udp (RFC 4303 2.7)");
  }
  if (auto x = o.optional("udp_checksum")) {
    p.udp_checksum = kUdpChecksumNames.find(x->as_string());
    if (!p.udp_checksum) x->fail("udp_checksum must be " + kUdpChecksumNames.quoted_alternatives());
  }
  if (auto x = o.optional("ipv4_options")) {
    p.ipv4_options = read_expr(*x, scope);
    if (p.ip_version.value_or(4) != 4 && !p.tunnel) x->fail("ipv4_options needs an IPv4 packet");
  }
  if (auto x = o.optional("ipv4_option")) {
    const auto kind = kIpv4OptionNames.find(x->as_string());
    if (!kind) x->fail("ipv4_option must be " + kIpv4OptionNames.quoted_alternatives());
    if (!p.ipv4_options) x->fail("ipv4_option names the first option of \"ipv4_options\", which is missing");
    p.ipv4_option = *kind;
  }
  if (auto x = o.optional("ipv6_ext")) {
    for (const auto& item : x->as_array()) {
      const std::string n = item.as_string();
      const auto header = kIpv6ExtensionHeaderNames.find(n);
      if (!header)
        item.fail("unknown IPv6 extension header \"" + n + "\" (" + kIpv6ExtensionHeaderNames.list() + ")");
      // RFC 8200 4.1: Hop-by-Hop only first, each header at most once (Destination Options twice).
      if (*header == 0 && !p.ipv6_ext.empty()) item.fail("hop_by_hop must come first (RFC 8200 4.1)");
      const auto seen = std::count(p.ipv6_ext.begin(), p.ipv6_ext.end(), *header);
      if (seen >= (*header == 60 ? 2 : 1)) item.fail("\"" + n + "\" appears too often (RFC 8200 4.1)");
      p.ipv6_ext.push_back(*header);
    }
    if (p.ipv6_ext.empty()) x->fail("an empty list of extension headers; drop the field");
    if (p.ip_version.value_or(6) != 6 && !p.tunnel) x->fail("ipv6_ext needs an IPv6 packet");
  }
  if (auto x = o.optional("fragment")) {
    const auto fragment = kFragmentNames.find(x->as_string());
    if (!fragment) x->fail("fragment must be " + kFragmentNames.quoted_alternatives());
    p.fragment = *fragment;
  }
  o.done();
  if (!p.vector.empty()) {
    for (const char* k : {"payload_size", "ip", "src", "dst", "protocol", "pattern", "mode", "inner_ip",
                          "pad_length", "tfc", "udp_checksum", "ipv4_options", "ipv4_option", "ipv6_ext", "fragment"})
      if (o.has(k)) v.fail("a packet is either a \"vector\" or a description, not both (\"" + std::string(k) + "\")");
  } else if (o.has("packet")) {
    v.fail("\"packet\" (a record index) needs \"vector\"");
  }
  return p;
}

// "open_question": "OQ-26" | ["OQ-26", "OQ-CTS-1"]; "alternative": the device's departure in words.
OpenQuestion read_open_question(JsonObject& eo) {
  OpenQuestion q;
  if (auto x = eo.optional("open_question")) {
    q.ids = x->is_array() ? x->as_string_array() : std::vector<std::string>{x->as_nonempty_string()};
    static const std::regex oq(R"(OQ-[A-Z0-9]+(-[0-9]+)?)");
    for (const auto& id : q.ids)
      if (!std::regex_match(id, oq)) x->fail("\"" + id + "\" is not an open question id (OQ-03, OQ-CTS-1, ...)");
    if (q.ids.empty()) x->fail("name at least one open question");
  }
  if (auto a = eo.optional("alternative")) {
    if (q.ids.empty()) a->fail("\"alternative\" describes the device's side of an \"open_question\"; cite it");
    q.alternative = a->as_nonempty_string();
  }
  return q;
}

// A list of alternatives is allowed only where an open question leaves the choice to the device.
void require_open_question(const JsonObject& eo, const char* key, size_t alternatives, const OpenQuestion& q) {
  if (alternatives > 1 && q.empty())
    eo.fail(std::string("\"") + key + "\" lists " + std::to_string(alternatives) +
            " alternatives: cite the open question of docs/decisions.md that leaves the choice to the device "
            "(\"open_question\": \"OQ-..\")");
}

std::optional<bool> opt_bool(JsonObject& o, const char* key) {
  if (auto x = o.optional(key)) return x->as_bool();
  return std::nullopt;
}

RawEdit read_edit(const JsonValue& v, OidKind oid, bool x86, size_t elements, const Scope& scope) {
  JsonObject o(v);
  RawEdit e;
  e.path = v.path();
  if (auto el = o.optional("element")) {
    e.element = static_cast<uint32_t>(el->as_int(0, 65535));
    if (e.element >= elements)
      el->fail("element " + std::to_string(e.element) + " but the request has " +
               std::to_string(elements));
  }
  const std::set<std::string> with_length = {"length"};
  int kinds = 0;
  if (auto f = o.optional("field")) {
    ++kinds;
    e.kind = RawEdit::Kind::field;
    e.field = f->as_nonempty_string();
    if (!find_field(oid, x86, e.field)) {
      std::string known;
      for (const auto& p : field_paths(oid)) known += (known.empty() ? "" : ", ") + p;
      f->fail("no field \"" + e.field + "\" in " + oid_kind_name(oid) + " (known: " + known + ")");
    }
    e.value = read_expr(o.required("value"), scope, with_length);
  }
  if (auto off = o.optional("offset")) {
    ++kinds;
    e.kind = RawEdit::Kind::bytes;
    e.offset = read_expr(*off, scope, with_length);
    e.bytes = o.required("bytes").as_hex();
    if (e.bytes.empty()) v.fail("\"bytes\" must not be empty");
  }
  if (auto t = o.optional("truncate")) {
    ++kinds;
    e.kind = RawEdit::Kind::truncate;
    e.length = read_expr(*t, scope, with_length);
  }
  if (auto n = o.optional("next")) {
    ++kinds;
    e.kind = RawEdit::Kind::next;
    if (oid != OidKind::add_sa && oid != OidKind::delete_sa)
      n->fail("only ADD_SA and DELETE_SA elements have a Next member");
    if (n->is_integer()) {
      e.next = RawEdit::NextTarget::element;
      e.next_element = static_cast<uint32_t>(n->as_int(0, 65535));
      if (e.next_element >= elements) n->fail("no such element");
    } else {
      const std::string s = n->as_string();
      if (s == "loop") e.next = RawEdit::NextTarget::loop;
      else if (s == "outside") e.next = RawEdit::NextTarget::outside;
      else n->fail("next must be \"loop\", \"outside\" or an element index");
    }
  }
  o.done();
  if (kinds != 1) v.fail("an edit is exactly one of \"field\", \"offset\", \"truncate\", \"next\"");
  return e;
}

OidStep read_oid_step(JsonObject& o, const Scope& scope) {
  OidStep s;
  const JsonValue oid = o.required("oid");
  const std::string name = oid.as_string();
  if (name == "ADD_SA") s.oid = OidKind::add_sa;
  else if (name == "ADD_SA_EX") s.oid = OidKind::add_sa_ex;
  else if (name == "DELETE_SA") s.oid = OidKind::delete_sa;
  else if (name == "UPDATE_SA") s.oid = OidKind::update_sa;
  else oid.fail("unknown oid \"" + name + "\" (ADD_SA, ADD_SA_EX, DELETE_SA, UPDATE_SA)");
  if (auto abi = o.optional("abi")) {
    const std::string a = abi->as_string();
    if (a == "x86") s.x86 = true;
    else if (a != "x64") abi->fail("abi must be \"x64\" or \"x86\"");
  }
  if (auto hs = o.optional("header_size")) {
    const std::string h = hs->as_string();
    if (h == "sizeof") s.header_size = HeaderSize::sizeof_struct;
    else if (h != "documented") hs->fail("header_size must be \"documented\" (NDIS_SIZEOF) or \"sizeof\" (OQ-01)");
  }
  size_t elements = 1;
  if (s.oid == OidKind::add_sa || s.oid == OidKind::add_sa_ex) {
    const JsonValue sas = o.required("sas");
    for (const auto& b : sas.as_array()) s.sas.push_back(read_bundle(b, scope));
    if (s.sas.empty()) sas.fail("at least one bundle");
    if (s.oid == OidKind::add_sa_ex && s.sas.size() != 1)
      sas.fail("ADD_SA_EX carries exactly one bundle (ADDEX-002)");
    elements = s.sas.size();
  } else if (s.oid == OidKind::delete_sa) {
    const JsonValue hs = o.required("handles");
    for (const auto& h : hs.as_array()) s.handles.push_back(read_handle_ref(h, scope));
    if (s.handles.empty()) hs.fail("at least one handle");
    elements = s.handles.size();
  } else {
    s.handle = read_handle_ref(o.required("handle"), scope);
    if (auto op = o.optional("operation")) s.operation = read_operation(*op);
    if (auto spi = o.optional("spi")) s.spi = read_expr(*spi, scope);
    s.seq_high = read_expr(o.required("seq_high"), scope);
  }
  if (auto edits = o.optional("edits"))
    for (const auto& e : edits->as_array()) s.edits.push_back(read_edit(e, s.oid, s.x86, elements, scope));
  if (auto ex = o.optional("expect")) {
    JsonObject eo(*ex);
    if (auto st = eo.optional("status")) s.expect.status = read_status_expect(*st);
    if (auto hs = eo.optional("handles")) {
      if (s.oid != OidKind::add_sa && s.oid != OidKind::add_sa_ex)
        hs->fail("only ADD_SA / ADD_SA_EX return handles");
      for (const auto& h : hs->as_array()) s.expect.handles.push_back(read_handle_expect(h, scope));
      if (s.expect.handles.size() != elements)
        hs->fail("one expectation per element: " + std::to_string(elements) + " expected");
    }
    if (auto t = eo.optional("table")) s.expect.table = read_table_expect(*t, scope);
    if (auto f = eo.optional("optional_feature")) {
      if (s.oid != OidKind::add_sa && s.oid != OidKind::add_sa_ex)
        f->fail("only an ADD_SA / ADD_SA_EX step can offer a feature a device may refuse");
      s.expect.optional_feature = f->as_string();
      if (s.expect.optional_feature.empty()) f->fail("name the feature and why a device may lack it");
    }
    s.expect.open_question = read_open_question(eo);
    require_open_question(eo, "status", s.expect.status ? s.expect.status->any_of.size() : 0, s.expect.open_question);
    eo.done();
  }
  return s;
}

SendStep read_send_step(JsonObject& o, const Scope& scope) {
  SendStep s;
  s.sa = read_template(o.required("sa"), scope);
  if (auto h = o.optional("handle")) s.handle = read_handle_ref(*h, scope);
  if (auto q = o.optional("seq")) s.seq = read_expr(*q, scope);
  if (auto c = o.optional("count")) s.count = read_expr(*c, scope);
  if (auto p = o.optional("packet")) s.packet = read_packet(*p, scope);
  if (auto l = o.optional("lso")) {
    JsonObject lo(*l);
    LsoDef d;
    d.mss = read_expr(lo.required("mss"), scope);
    if (auto x = lo.optional("discard")) d.discard = read_expr(*x, scope);
    lo.done();
    // NDIS LSO segments TCP; the transport never combines LSO with tunnel mode (SEND-014), and
    // the NIC, not the transport, builds each segment's trailer (SEND-011).
    if (s.packet.protocol != 6) l->fail("lso needs \"protocol\": \"tcp\" in the packet");
    if (s.packet.tunnel) l->fail("lso is transport mode only (SEND-014)");
    if (s.packet.pad_length || s.packet.pad_max || s.packet.tfc)
      l->fail("lso: the NIC builds each segment's trailer (SEND-011); drop pad_length / tfc");
    if (s.packet.fragment != PacketDef::Fragment::none || !s.packet.ipv6_ext.empty())
      l->fail("lso: a whole TCP packet without IPv6 extension headers");
    s.lso = d;
  }
  if (auto ex = o.optional("expect")) {
    JsonObject eo(*ex);
    if (auto st = eo.optional("completion")) s.expect.completion = read_status_expect(*st);
    if (auto v = eo.optional("verdict")) {
      s.expect.verdict = kSendVerdictNames.find(v->as_string());
      if (!s.expect.verdict) v->fail("verdict must be " + kSendVerdictNames.quoted_alternatives());
    }
    if (auto h = eo.optional("seq_high")) s.expect.seq_high = read_expr(*h, scope);
    if (auto w = eo.optional("wire")) s.expect.wire = w->as_hex();
    if (auto t = eo.optional("table")) s.expect.table = read_table_expect(*t, scope);
    s.expect.open_question = read_open_question(eo);
    require_open_question(eo, "completion", s.expect.completion ? s.expect.completion->any_of.size() : 0,
                          s.expect.open_question);
    eo.done();
  }
  return s;
}

ReceiveStep read_receive_step(JsonObject& o, const Scope& scope) {
  ReceiveStep s;
  s.sa = read_template(o.required("sa"), scope);
  if (auto q = o.optional("seq")) s.seq = read_expr(*q, scope);
  if (auto h = o.optional("seq_high")) s.seq_high = read_expr(*h, scope);
  if (auto c = o.optional("count")) s.count = read_expr(*c, scope);
  if (auto p = o.optional("packet")) s.packet = read_packet(*p, scope);
  if (auto c = o.optional("corrupt")) {
    const std::string name = c->as_string();
    const auto kind = kCorruptionNames.find(name);
    if (!kind) c->fail("unknown corruption \"" + name + "\" (" + kCorruptionNames.list() + ")");
    s.corrupt = *kind;
  }
  if (auto ex = o.optional("expect")) {
    JsonObject eo(*ex);
    s.expect.indicated = opt_bool(eo, "indicated");
    s.expect.crypto_done = opt_bool(eo, "crypto_done");
    s.expect.next_crypto_done = opt_bool(eo, "next_crypto_done");
    s.expect.sa_delete_req = opt_bool(eo, "sa_delete_req");
    if (auto c = eo.optional("crypto_status")) s.expect.crypto_status = read_crypto_status(*c);
    s.expect.header_info_set = opt_bool(eo, "header_info_set");
    if (auto n = eo.optional("next_header")) s.expect.next_header = read_expr(*n, scope);
    if (auto n = eo.optional("pad_length")) s.expect.pad_length = read_expr(*n, scope);
    if (auto f = eo.optional("frame")) {
      s.expect.frame = kReceivedFrameNames.find(f->as_string());
      if (!s.expect.frame) f->fail("frame must be " + kReceivedFrameNames.quoted_alternatives());
    }
    if (auto t = eo.optional("table")) s.expect.table = read_table_expect(*t, scope);
    s.expect.open_question = read_open_question(eo);
    require_open_question(eo, "crypto_status", s.expect.crypto_status ? s.expect.crypto_status->size() : 0,
                          s.expect.open_question);
    eo.done();
  }
  if (!s.packet.vector.empty()) {
    // A vector record is one fixed frame: its sequence number and high half are those the
    // sidecar states, and the sidecar carries no plaintext to compare a decrypted frame with.
    for (const char* k : {"seq", "seq_high", "count"})
      if (o.has(k)) o.fail(std::string("\"") + k + "\" is fixed by the vector record; drop it");
    if (s.corrupt != Corruption::none && s.corrupt != Corruption::icv)
      o.fail("a vector record can only be received intact or with \"corrupt\": \"icv\"");
    if (s.expect.frame == ReceivedFrame::decrypted)
      o.fail("\"frame\": \"decrypted\" needs the plaintext, which a vector sidecar does not carry");
  }
  return s;
}

QueryStep read_query_step(JsonObject& o, const Scope& scope) {
  QueryStep s;
  if (auto ex = o.optional("expect")) {
    JsonObject eo(*ex);
    for (const auto& f : kCapabilityFlagNames.entries())
      if (auto b = eo.optional(std::string(f.name))) s.expect.flags[f.value] = b->as_bool();
    if (auto e = eo.optional("encapsulation_includes")) {
      for (const auto& name : e->as_string_array()) {
        const auto bit = kEncapsulationNames.find(name);
        if (!bit) e->fail("unknown encapsulation \"" + name + "\"");
        s.expect.encapsulation_includes.push_back(*bit);
      }
    }
    if (auto m = eo.optional("masks_defined_only")) s.expect.masks_defined_only = m->as_bool();
    if (auto c = eo.optional("min_capacity")) s.expect.min_capacity = read_expr(*c, scope);
    eo.done();
  }
  return s;
}

Step read_step(const JsonValue& v, Scope scope);

RepeatStep read_repeat_step(JsonObject& o, const Scope& outer) {
  RepeatStep r;
  if (auto var = o.optional("var")) {
    r.var = var->as_nonempty_string();
    static const std::regex identifier("[a-z_][a-z0-9_]*");
    if (!std::regex_match(r.var, identifier))
      var->fail("loop variable must be a lower-case identifier");
    if (outer.vars.count(r.var)) var->fail("variable '" + r.var + "' already in scope");
  } else if (outer.vars.count(r.var)) {
    o.fail("nested repeat needs its own \"var\" ('i' is already in scope)");
  }
  if (auto f = o.optional("from")) r.from = read_expr(*f, outer);
  r.to = read_expr(o.required("to"), outer);
  Scope inner = outer;
  inner.vars.insert(r.var);
  const JsonValue steps = o.required("steps");
  for (const auto& s : steps.as_array()) r.steps.push_back(read_step(s, inner));
  if (r.steps.empty()) steps.fail("a repeat needs at least one step");
  return r;
}

Step read_step(const JsonValue& v, Scope scope) {
  JsonObject o(v);
  Step step;
  step.path = v.path();
  if (auto c = o.optional("comment")) step.comment = c->as_string();
  const JsonValue op = o.required("op");
  const std::string kind = op.as_string();
  if (kind == "oid") step.body = read_oid_step(o, scope);
  else if (kind == "send") step.body = read_send_step(o, scope);
  else if (kind == "receive") step.body = read_receive_step(o, scope);
  else if (kind == "query") step.body = read_query_step(o, scope);
  else if (kind == "repeat") step.body = read_repeat_step(o, scope);
  else if (kind == "request_sa_delete") {
    RequestDeleteStep r;
    r.sa = read_template(o.required("sa"), scope);
    step.body = r;
  } else if (kind == "table") {
    TableStep t;
    t.expect = read_table_expect(o.required("expect"), scope);
    step.body = t;
  } else if (kind == "probe") {
    ProbeStep p;
    p.sa = read_template(o.required("sa"), scope);
    const JsonValue e = o.required("expect");
    const std::string want = e.as_string();
    if (want == "live") p.expect = ProbeStep::Expect::live;
    else if (want == "dead") p.expect = ProbeStep::Expect::dead;
    else if (want == "as_reported") p.expect = ProbeStep::Expect::as_reported;
    else e.fail("expect must be \"live\", \"dead\" or \"as_reported\"");
    step.body = p;
  } else {
    op.fail("unknown op \"" + kind +
            "\" (oid, send, receive, query, repeat, request_sa_delete, table, probe)");
  }
  o.done();
  return step;
}

Case read_case(const JsonValue& v, std::string& id_out) {
  JsonObject o(v);
  Case c;
  const JsonValue id = o.required("id");
  c.id = id.as_nonempty_string();
  id_out = c.id;
  // area.group.case, lower-case words; parameters in brackets when expanded.
  static const std::regex id_re(R"([a-z0-9_]+(\.[a-z0-9_]+){2,}(\[[a-z0-9_=,.\-]+\])?)");
  if (!std::regex_match(c.id, id_re))
    id.fail("id \"" + c.id + "\" is not area.group.case (lower-case, digits, '_')");
  c.comment = o.required("comment").as_nonempty_string();
  c.flags = o.required("flags").as_string_array();
  c.requirements = o.required("requirements").as_string_array();
  if (c.requirements.empty()) o.fail("a case traces at least one requirement");
  if (auto caps = o.optional("capabilities")) {
    for (const auto& t : caps->as_array()) {
      const std::string text = t.as_nonempty_string();
      auto token = parse_capability_token(text);
      if (!token) t.fail("unknown capability \"" + text + "\"");
      c.capabilities.push_back(*token);
    }
  }
  Scope scope;
  for (const auto& name : profile_variables()) scope.vars.insert(name);
  const JsonValue steps = o.required("steps");
  for (const auto& s : steps.as_array()) c.steps.push_back(read_step(s, scope));
  if (c.steps.empty()) steps.fail("a case needs at least one step");
  o.done();
  return c;
}

}  // namespace

LoadResult load_case_text(const std::string& text, const std::string& origin) {
  LoadResult result;
  std::string parse_error;
  const std::optional<nlohmann::json> parsed = strict::parse_text(text, origin, parse_error);
  if (!parsed) {
    // parse_text names the origin itself; the LoadError carries it as its file.
    result.errors.push_back({origin, "", "", parse_error.substr(origin.size() + 2)});
    return result;
  }
  const nlohmann::json& doc = *parsed;
  CaseFile file;
  file.path = origin;
  try {
    JsonObject o(JsonValue(doc, "$"));
    const JsonValue format = o.required("format");
    if (format.as_int(0, 1000) != 1) format.fail("unsupported format (this loader reads format 1)");
    o.optional("$schema");  // editors' hint; the loader validates regardless
    file.area = o.required("area").as_nonempty_string();
    file.description = o.required("description").as_nonempty_string();
    JsonValue notes = o.required("notes");
    JsonObject notes_obj(notes);
    for (auto it = notes.raw().begin(); it != notes.raw().end(); ++it) {
      JsonObject n(notes_obj.required(it.key()));
      FlagNote note;
      note.bug_class = n.required("bug_class").as_nonempty_string();
      note.checks = n.required("checks").as_nonempty_string();
      note.impact = n.required("impact").as_nonempty_string();
      note.requirements = n.required("requirements").as_string_array();
      n.done();
      file.notes[it.key()] = note;
    }
    const JsonValue cases = o.required("cases");
    size_t source_index = 0;
    for (const auto& cv : cases.as_array()) {
      // A parameterised case becomes one case per combination (case_parameters.h); each is
      // read and judged on its own, its errors naming the combination.
      ParameterError perr;
      const std::vector<ExpandedCase> expanded = expand_case_parameters(cv.raw(), perr);
      if (expanded.empty() && !perr.message.empty()) {
        std::string id = cv.is_object() && cv.raw().contains("id") && cv.raw()["id"].is_string()
                             ? cv.raw()["id"].get<std::string>() : "";
        result.errors.push_back({origin, id, cv.path() + perr.path.substr(1), perr.message});
      }
      for (const auto& one : expanded) {
        std::string id;
        const std::string where = one.parameters.empty() ? cv.path() : cv.path() + "[" + one.parameters + "]";
        try {
          Case c = read_case(JsonValue(one.object, where), id);
          c.file = origin;
          c.index = source_index;
          file.cases.push_back(std::move(c));
        } catch (const ReadError& e) {
          result.errors.push_back({origin, id, e.path, e.what()});
        }
      }
      ++source_index;
    }
    o.done();
  } catch (const ReadError& e) {
    result.errors.push_back({origin, "", e.path, e.what()});
    return result;
  }
  result.files.push_back(std::move(file));
  return result;
}

LoadResult load_case_file(const std::string& path) {
  std::string text;
  std::string error;
  if (!strict::read_text_file(path, text, error, "case file")) {
    return LoadResult{{}, {{path, "", "", error.substr(path.size() + 2)}}};
  }
  return load_case_text(text, path);
}

std::vector<std::string> find_case_files(const std::vector<std::string>& paths,
                                         std::vector<LoadError>& errors) {
  namespace fs = std::filesystem;
  std::vector<std::string> files;
  for (const auto& p : paths) {
    std::error_code ec;
    if (fs::is_directory(p, ec)) {
      for (auto it = fs::recursive_directory_iterator(p, ec); it != fs::recursive_directory_iterator();
           it.increment(ec)) {
        if (ec) break;
        if (it->is_directory() && it->path().filename() == "schema") {
          it.disable_recursion_pending();
          continue;
        }
        if (it->is_regular_file() && it->path().extension() == ".json" &&
            it->path().filename() != "requirements.json" && it->path().filename() != "uncovered.json")
          files.push_back(it->path().string());
      }
      if (ec) errors.push_back({p, "", "", "cannot read the directory: " + ec.message()});
    } else if (fs::is_regular_file(p, ec)) {
      files.push_back(p);
    } else {
      errors.push_back({p, "", "", "no such file or directory"});
    }
  }
  std::sort(files.begin(), files.end());
  files.erase(std::unique(files.begin(), files.end()), files.end());
  return files;
}

LoadResult load_case_paths(const std::vector<std::string>& paths) {
  LoadResult all;
  for (const auto& f : find_case_files(paths, all.errors)) {
    LoadResult one = load_case_file(f);
    for (auto& file : one.files) all.files.push_back(std::move(file));
    for (auto& e : one.errors) all.errors.push_back(std::move(e));
  }
  return all;
}

}  // namespace cts::cases
