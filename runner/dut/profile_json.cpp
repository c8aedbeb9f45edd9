#include "runner/dut/profile_json.h"

#include <nlohmann/json.hpp>

#include "oracle/ndis/constants.h"
#include "runner/json/json_text.h"
#include "runner/json/strict_reader.h"

namespace cts {
namespace {

using nlohmann::json;

using Reader = cts::strict::Object;
using cts::strict::Value;

bool get_bool(Reader& obj, const char* key, bool fallback) {
  const auto v = obj.optional(key);
  return v ? v->as_bool() : fallback;
}

uint32_t get_u32(const Value& v, uint64_t min, uint64_t max) {
  const uint64_t n = v.as_uint(max);
  if (n < min) {
    v.fail("must be an integer in [" + std::to_string(min) + ", " + std::to_string(max) +
           "], got " + std::to_string(n));
  }
  return static_cast<uint32_t>(n);
}

using NameLookup = bool (*)(std::string_view, uint32_t&);

bool encapsulation_from_name(std::string_view name, uint32_t& out) {
  static const std::pair<const char*, uint32_t> kNames[] = {
      {"NULL", ndis::NDIS_ENCAPSULATION_NULL},
      {"IEEE_802_3", ndis::NDIS_ENCAPSULATION_IEEE_802_3},
      {"IEEE_802_3_P_AND_Q", ndis::NDIS_ENCAPSULATION_IEEE_802_3_P_AND_Q},
      {"IEEE_802_3_P_AND_Q_IN_OOB", ndis::NDIS_ENCAPSULATION_IEEE_802_3_P_AND_Q_IN_OOB},
      {"IEEE_LLC_SNAP_ROUTED", ndis::NDIS_ENCAPSULATION_IEEE_LLC_SNAP_ROUTED},
  };
  std::string_view shortname = name;
  if (shortname.substr(0, 19) == "NDIS_ENCAPSULATION_") shortname.remove_prefix(19);
  for (const auto& [n, v] : kNames) {
    if (shortname == n) {
      out = v;
      return true;
    }
  }
  return false;
}

// A mask is either an integer or an array of names (each a single bit of `all`).
uint32_t get_mask(Reader& obj, const char* key, uint32_t fallback, uint32_t all, NameLookup lookup,
                  const char* what) {
  const auto v = obj.optional(key);
  if (!v) return fallback;
  uint32_t mask = 0;
  if (v->raw().is_number()) {
    mask = get_u32(*v, 0, 0xFFFFFFFFu);
  } else if (v->is_array()) {
    for (const Value& e : v->as_array()) {
      if (!e.is_string()) e.fail(std::string("must be the name of ") + what);
      uint32_t bit = 0;
      const std::string name = e.as_string();
      if (!lookup(name, bit) || bit == 0) e.fail("\"" + name + "\" is not the name of " + what);
      if (mask & bit) e.fail("\"" + name + "\" is listed twice");
      mask |= bit;
    }
  } else {
    v->fail(std::string("must be an array of names of ") + what + " or an integer mask");
  }
  if ((mask & ~all) != 0) v->fail("sets bits that name no " + std::string(what));
  return mask;
}

void load_capabilities(Reader c_in, ndis::IpsecOffloadV2Capabilities& c) {
  Reader& j = c_in;
  c.encapsulation = get_mask(j, "encapsulation", ndis::NDIS_ENCAPSULATION_IEEE_802_3, 0x1Fu,
                             encapsulation_from_name, "an NDIS_ENCAPSULATION value");
  c.ipv6_supported = get_bool(j, "ipv6_supported", false);
  c.ipv4_options = get_bool(j, "ipv4_options", false);
  c.ipv6_non_ipsec_extension_headers = get_bool(j, "ipv6_non_ipsec_extension_headers", false);
  c.ah = get_bool(j, "ah", false);
  c.esp = get_bool(j, "esp", false);
  c.ah_esp_combined = get_bool(j, "ah_esp_combined", false);
  c.transport = get_bool(j, "transport", false);
  c.tunnel = get_bool(j, "tunnel", false);
  c.transport_tunnel_combined = get_bool(j, "transport_tunnel_combined", false);
  c.lso_supported = get_bool(j, "lso_supported", false);
  c.extended_sequence_numbers = get_bool(j, "extended_sequence_numbers", false);
  c.udp_esp = get_mask(j, "udp_esp", 0, ndis::IPSEC_OFFLOAD_V2_UDP_ESP_ALL,
                       ndis::udp_esp_encapsulation_from_name, "a UDP-ESP encapsulation type");
  c.authentication_algorithms =
      get_mask(j, "authentication_algorithms", 0, ndis::IPSEC_OFFLOAD_V2_AUTHENTICATION_ALL,
               ndis::authentication_algorithm_from_name, "an authentication algorithm");
  c.encryption_algorithms =
      get_mask(j, "encryption_algorithms", 0, ndis::IPSEC_OFFLOAD_V2_ENCRYPTION_ALL,
               ndis::encryption_algorithm_from_name, "an encryption algorithm");
  if (j.has("sa_offload_capacity")) {
    throw cts::strict::ReadError(j.child("sa_offload_capacity"),
                               "unknown field (SaOffloadCapacity is pools.total_bundles)");
  }
  j.done();
}

sa::DeviceProfile load(const json& doc) {
  Reader root(doc, "$");
  sa::DeviceProfile p;
  p.name = root.required("name").as_nonempty_string();
  if (const auto d = root.optional("description")) (void)d->as_string();
  load_capabilities(Reader(root.required("capabilities")), p.capabilities);

  Reader pools(root.required("pools"));
  p.set_total_capacity(get_u32(pools.required("total_bundles"), 1, sa::kMaxBundleCapacity));
  auto optional_pool = [&](const char* key) -> std::optional<uint32_t> {
    const auto v = pools.optional(key);
    if (!v) return std::nullopt;
    return get_u32(*v, 1, 0xFFFFFFFFu);
  };
  p.pools.inbound_bundles = optional_pool("inbound_bundles");
  p.pools.outbound_bundles = optional_pool("outbound_bundles");
  p.pools.inbound_destination_addresses = optional_pool("inbound_destination_addresses");
  pools.done();

  if (const auto r = root.optional("accepted_spi_range")) {
    Reader range_in(*r);
    sa::SpiRange range;
    range.min = get_u32(range_in.required("min"), 0, 0xFFFFFFFFu);
    range.max = get_u32(range_in.required("max"), 0, 0xFFFFFFFFu);
    range_in.done();
    if (range.min > range.max) range_in.fail("min is greater than max");
    p.accepted_spi_range = range;
  }
  if (const auto v = root.optional("validation")) {
    Reader validation(*v);
    p.validation.gcm_key_includes_salt = get_bool(validation, "gcm_key_includes_salt", true);
    validation.done();
  }
  root.done();
  for (const std::string& problem : sa::check_profile(p)) root.fail(problem);
  return p;
}
json mask_names(uint32_t mask, uint32_t all, std::string_view (*name)(uint32_t), std::string_view prefix) {
  json out = json::array();
  for (uint32_t bit = 1; bit != 0 && bit <= all; bit <<= 1) {
    if (!(mask & bit)) continue;
    std::string_view n = name(bit);
    if (n.substr(0, prefix.size()) == prefix) n.remove_prefix(prefix.size());
    out.push_back(std::string(n));
  }
  return out;
}

std::string_view encapsulation_name(uint32_t bit) {
  switch (bit) {
    case ndis::NDIS_ENCAPSULATION_NULL: return "NULL";
    case ndis::NDIS_ENCAPSULATION_IEEE_802_3: return "IEEE_802_3";
    case ndis::NDIS_ENCAPSULATION_IEEE_802_3_P_AND_Q: return "IEEE_802_3_P_AND_Q";
    case ndis::NDIS_ENCAPSULATION_IEEE_802_3_P_AND_Q_IN_OOB: return "IEEE_802_3_P_AND_Q_IN_OOB";
    case ndis::NDIS_ENCAPSULATION_IEEE_LLC_SNAP_ROUTED: return "IEEE_LLC_SNAP_ROUTED";
  }
  return {};
}

}  // namespace

ProfileResult load_profile_json(std::string_view json_text, std::string_view origin) {
  const std::string where(origin);
  std::string error;
  const std::optional<json> doc = cts::strict::parse_text(json_text, where, error);
  if (!doc) return ProfileError{where, error.substr(std::min(error.size(), where.size() + 2))};
  try {
    return load(*doc);
  } catch (const cts::strict::ReadError& e) {
    return ProfileError{where + ": " + e.path, e.what()};
  }
}

ProfileResult load_profile_file(const std::string& path) {
  std::string text;
  std::string error;
  if (!cts::strict::read_text_file(path, text, error, "device profile")) {
    return ProfileError{path, error.substr(std::min(error.size(), path.size() + 2))};
  }
  return load_profile_json(text, path);
}

std::string profile_to_json(const sa::DeviceProfile& p) {
  const auto& c = p.capabilities;
  json caps = {
      {"encapsulation", mask_names(c.encapsulation, 0x1Fu, encapsulation_name, "")},
      {"ipv6_supported", c.ipv6_supported},
      {"ipv4_options", c.ipv4_options},
      {"ipv6_non_ipsec_extension_headers", c.ipv6_non_ipsec_extension_headers},
      {"ah", c.ah},
      {"esp", c.esp},
      {"ah_esp_combined", c.ah_esp_combined},
      {"transport", c.transport},
      {"tunnel", c.tunnel},
      {"transport_tunnel_combined", c.transport_tunnel_combined},
      {"lso_supported", c.lso_supported},
      {"extended_sequence_numbers", c.extended_sequence_numbers},
      {"udp_esp", mask_names(c.udp_esp, ndis::IPSEC_OFFLOAD_V2_UDP_ESP_ALL,
                             ndis::udp_esp_encapsulation_short_name, "")},
      {"authentication_algorithms",
       mask_names(c.authentication_algorithms, ndis::IPSEC_OFFLOAD_V2_AUTHENTICATION_ALL,
                  ndis::authentication_algorithm_name, "IPSEC_OFFLOAD_V2_AUTHENTICATION_")},
      {"encryption_algorithms",
       mask_names(c.encryption_algorithms, ndis::IPSEC_OFFLOAD_V2_ENCRYPTION_ALL,
                  ndis::encryption_algorithm_name, "IPSEC_OFFLOAD_V2_ENCRYPTION_")},
  };
  json pools = {{"total_bundles", p.pools.total_bundles}};
  if (p.pools.inbound_bundles) pools["inbound_bundles"] = *p.pools.inbound_bundles;
  if (p.pools.outbound_bundles) pools["outbound_bundles"] = *p.pools.outbound_bundles;
  if (p.pools.inbound_destination_addresses) {
    pools["inbound_destination_addresses"] = *p.pools.inbound_destination_addresses;
  }
  json doc = {{"name", p.name}, {"capabilities", caps}, {"pools", pools}};
  if (p.accepted_spi_range) {
    doc["accepted_spi_range"] = {{"min", p.accepted_spi_range->min},
                                 {"max", p.accepted_spi_range->max}};
  }
  doc["validation"] = {{"gcm_key_includes_salt", p.validation.gcm_key_includes_salt}};
  return doc.dump(2);
}

}  // namespace cts
