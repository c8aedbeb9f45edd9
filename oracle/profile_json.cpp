#include "oracle/profile_json.h"

#include <fstream>
#include <set>
#include <sstream>

#include <nlohmann/json.hpp>

#include "oracle/ndis/constants.h"

namespace cts {
namespace {

using nlohmann::json;

// Internal: the first problem found, thrown to the entry point and returned as a value there.
struct Fail {
  std::string path;
  std::string message;
};

std::string join(const std::string& base, const std::string& key) {
  return base.empty() ? key : base + "." + key;
}

void require_object(const json& j, const std::string& path) {
  if (!j.is_object()) throw Fail{path.empty() ? "(document)" : path, "must be a JSON object"};
}

// A key nobody reads is an error: a typo must never silently change the device.
void reject_unknown_keys(const json& j, const std::string& path,
                         const std::set<std::string>& known) {
  for (auto it = j.begin(); it != j.end(); ++it) {
    if (known.count(it.key()) == 0) {
      std::string hint;
      if (it.key() == "sa_offload_capacity") hint = " (SaOffloadCapacity is pools.total_bundles)";
      throw Fail{join(path, it.key()), "unknown key" + hint};
    }
  }
}

bool get_bool(const json& obj, const std::string& path, const char* key, bool fallback) {
  if (!obj.contains(key)) return fallback;
  const json& v = obj.at(key);
  if (!v.is_boolean()) throw Fail{join(path, key), "must be true or false"};
  return v.get<bool>();
}

uint32_t get_u32(const json& v, const std::string& path, uint64_t min, uint64_t max) {
  if (!v.is_number_unsigned() && !(v.is_number_integer() && v.get<int64_t>() >= 0)) {
    throw Fail{path, "must be a non-negative integer"};
  }
  const uint64_t n = v.get<uint64_t>();
  if (n < min || n > max) {
    throw Fail{path, "must be an integer in [" + std::to_string(min) + ", " +
                         std::to_string(max) + "], got " + std::to_string(n)};
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
uint32_t get_mask(const json& obj, const std::string& path, const char* key, uint32_t fallback,
                  uint32_t all, NameLookup lookup, const char* what) {
  if (!obj.contains(key)) return fallback;
  const json& v = obj.at(key);
  const std::string p = join(path, key);
  uint32_t mask = 0;
  if (v.is_number()) {
    mask = get_u32(v, p, 0, 0xFFFFFFFFu);
  } else if (v.is_array()) {
    for (size_t i = 0; i < v.size(); ++i) {
      const std::string pi = p + "[" + std::to_string(i) + "]";
      if (!v[i].is_string()) throw Fail{pi, std::string("must be the name of ") + what};
      uint32_t bit = 0;
      const std::string name = v[i].get<std::string>();
      if (!lookup(name, bit) || bit == 0) {
        throw Fail{pi, "\"" + name + "\" is not the name of " + what};
      }
      if (mask & bit) throw Fail{pi, "\"" + name + "\" is listed twice"};
      mask |= bit;
    }
  } else {
    throw Fail{p, std::string("must be an array of names of ") + what + " or an integer mask"};
  }
  if ((mask & ~all) != 0) throw Fail{p, "sets bits that name no " + std::string(what)};
  return mask;
}

void load_capabilities(const json& j, const std::string& path, ndis::IpsecOffloadV2Capabilities& c) {
  require_object(j, path);
  reject_unknown_keys(j, path,
                      {"encapsulation", "ipv6_supported", "ipv4_options",
                       "ipv6_non_ipsec_extension_headers", "ah", "esp", "ah_esp_combined",
                       "transport", "tunnel", "transport_tunnel_combined", "lso_supported",
                       "extended_sequence_numbers", "udp_esp", "authentication_algorithms",
                       "encryption_algorithms"});
  c.encapsulation = get_mask(j, path, "encapsulation", ndis::NDIS_ENCAPSULATION_IEEE_802_3, 0x1Fu,
                             encapsulation_from_name, "an NDIS_ENCAPSULATION value");
  c.ipv6_supported = get_bool(j, path, "ipv6_supported", false);
  c.ipv4_options = get_bool(j, path, "ipv4_options", false);
  c.ipv6_non_ipsec_extension_headers = get_bool(j, path, "ipv6_non_ipsec_extension_headers", false);
  c.ah = get_bool(j, path, "ah", false);
  c.esp = get_bool(j, path, "esp", false);
  c.ah_esp_combined = get_bool(j, path, "ah_esp_combined", false);
  c.transport = get_bool(j, path, "transport", false);
  c.tunnel = get_bool(j, path, "tunnel", false);
  c.transport_tunnel_combined = get_bool(j, path, "transport_tunnel_combined", false);
  c.lso_supported = get_bool(j, path, "lso_supported", false);
  c.extended_sequence_numbers = get_bool(j, path, "extended_sequence_numbers", false);
  c.udp_esp = get_mask(j, path, "udp_esp", 0, ndis::IPSEC_OFFLOAD_V2_UDP_ESP_ALL,
                       ndis::udp_esp_encapsulation_from_name, "a UDP-ESP encapsulation type");
  c.authentication_algorithms =
      get_mask(j, path, "authentication_algorithms", 0, ndis::IPSEC_OFFLOAD_V2_AUTHENTICATION_ALL,
               ndis::authentication_algorithm_from_name, "an authentication algorithm");
  c.encryption_algorithms =
      get_mask(j, path, "encryption_algorithms", 0, ndis::IPSEC_OFFLOAD_V2_ENCRYPTION_ALL,
               ndis::encryption_algorithm_from_name, "an encryption algorithm");
}

sa::DeviceProfile load(const json& doc) {
  require_object(doc, "");
  reject_unknown_keys(doc, "", {"name", "description", "capabilities", "pools", "accepted_spi_range",
                                "validation"});
  sa::DeviceProfile p;
  if (!doc.contains("name") || !doc.at("name").is_string() ||
      doc.at("name").get<std::string>().empty()) {
    throw Fail{"name", "required, a non-empty string"};
  }
  p.name = doc.at("name").get<std::string>();
  if (doc.contains("description") && !doc.at("description").is_string()) {
    throw Fail{"description", "must be a string"};
  }
  if (!doc.contains("capabilities")) throw Fail{"capabilities", "required"};
  load_capabilities(doc.at("capabilities"), "capabilities", p.capabilities);

  if (!doc.contains("pools")) throw Fail{"pools", "required"};
  const json& pools = doc.at("pools");
  require_object(pools, "pools");
  reject_unknown_keys(pools, "pools",
                      {"total_bundles", "inbound_bundles", "outbound_bundles",
                       "inbound_destination_addresses"});
  if (!pools.contains("total_bundles")) throw Fail{"pools.total_bundles", "required"};
  p.set_total_capacity(get_u32(pools.at("total_bundles"), "pools.total_bundles", 1, sa::kMaxBundleCapacity));
  auto optional_pool = [&](const char* key) -> std::optional<uint32_t> {
    if (!pools.contains(key)) return std::nullopt;
    return get_u32(pools.at(key), join("pools", key), 1, 0xFFFFFFFFu);
  };
  p.pools.inbound_bundles = optional_pool("inbound_bundles");
  p.pools.outbound_bundles = optional_pool("outbound_bundles");
  p.pools.inbound_destination_addresses = optional_pool("inbound_destination_addresses");

  if (doc.contains("accepted_spi_range")) {
    const json& r = doc.at("accepted_spi_range");
    require_object(r, "accepted_spi_range");
    reject_unknown_keys(r, "accepted_spi_range", {"min", "max"});
    if (!r.contains("min") || !r.contains("max")) {
      throw Fail{"accepted_spi_range", "needs both min and max"};
    }
    sa::SpiRange range;
    range.min = get_u32(r.at("min"), "accepted_spi_range.min", 0, 0xFFFFFFFFu);
    range.max = get_u32(r.at("max"), "accepted_spi_range.max", 0, 0xFFFFFFFFu);
    if (range.min > range.max) throw Fail{"accepted_spi_range", "min is greater than max"};
    p.accepted_spi_range = range;
  }
  if (doc.contains("validation")) {
    const json& v = doc.at("validation");
    require_object(v, "validation");
    reject_unknown_keys(v, "validation", {"gcm_key_includes_salt"});
    p.validation.gcm_key_includes_salt = get_bool(v, "validation", "gcm_key_includes_salt", true);
  }
  for (const std::string& problem : sa::check_profile(p)) throw Fail{"(profile)", problem};
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
  json doc;
  try {
    doc = json::parse(json_text.begin(), json_text.end());
  } catch (const json::parse_error& e) {
    return ProfileError{where, std::string("not valid JSON: ") + e.what()};
  }
  try {
    return load(doc);
  } catch (const Fail& f) {
    return ProfileError{where + ": " + f.path, f.message};
  } catch (const json::exception& e) {
    return ProfileError{where, std::string("unexpected JSON shape: ") + e.what()};
  }
}

ProfileResult load_profile_file(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) return ProfileError{path, "cannot open the file"};
  std::ostringstream text;
  text << in.rdbuf();
  if (in.bad()) return ProfileError{path, "read error"};
  return load_profile_json(text.str(), path);
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
