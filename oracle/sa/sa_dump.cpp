#include "oracle/sa/sa_dump.h"

#include <cstdio>
#include <string_view>

#include "oracle/ndis/constants.h"
#include "oracle/sa/sa_table.h"

namespace cts::sa {
namespace {

std::string name_or_hex(std::string_view name, uint32_t value) {
  return name.empty() ? format_hex32(value) : std::string(name);
}

// Dumps use the short names ("ESP", "SHA_1", "AES_GCM_128", "TRANSPORT"): evidence is read by
// people; the full WDK names are one prefix longer and say nothing more.
std::string_view strip(std::string_view name, std::string_view prefix) {
  return name.substr(0, prefix.size()) == prefix ? name.substr(prefix.size()) : name;
}
std::string operation_text(uint32_t op) {
  if (op == ndis::IPsecOffloadV2Ah) return "AH";
  if (op == ndis::IPsecOffloadV2Esp) return "ESP";
  return format_hex32(op);
}
std::string auth_name(uint32_t id) {
  return name_or_hex(strip(ndis::authentication_algorithm_name(id), "IPSEC_OFFLOAD_V2_AUTHENTICATION_"), id);
}
std::string enc_name(uint32_t id) {
  return name_or_hex(strip(ndis::encryption_algorithm_name(id), "IPSEC_OFFLOAD_V2_ENCRYPTION_"), id);
}
std::string auth_text(uint32_t id) { return id == 0 ? "-" : auth_name(id); }
std::string enc_text(uint32_t id) { return id == 0 ? "-" : enc_name(id); }
std::string udp_text(uint32_t type) {
  return name_or_hex(ndis::udp_esp_encapsulation_short_name(type), type);
}

std::span<const uint8_t> src_of(const ndis::BundleSpec& s) {
  return {s.endpoints.raw.data(), s.ipv6 ? 16u : 4u};
}
std::span<const uint8_t> dst_of(const ndis::BundleSpec& s) {
  return {s.endpoints.raw.data() + (s.ipv6 ? 16 : 4), s.ipv6 ? 16u : 4u};
}

// JSON string literal; the values here are generated names, but escape anyway.
std::string jstr(std::string_view s) {
  std::string out = "\"";
  for (char c : s) {
    if (c == '"' || c == '\\') {
      out += '\\';
      out += c;
    } else if (static_cast<unsigned char>(c) < 0x20) {
      char buf[8];
      std::snprintf(buf, sizeof buf, "\\u%04x", static_cast<unsigned>(static_cast<unsigned char>(c)));
      out += buf;
    } else {
      out += c;
    }
  }
  out += '"';
  return out;
}

std::string jalg(uint32_t id, const std::string& name) { return id == 0 ? "null" : jstr(name); }

}  // namespace

std::string format_hex32(uint64_t value) {
  char buf[24];
  std::snprintf(buf, sizeof buf, "0x%08llx", static_cast<unsigned long long>(value));
  return buf;
}

std::string format_ip_address(std::span<const uint8_t> a) {
  char buf[64];
  if (a.size() == 4) {
    std::snprintf(buf, sizeof buf, "%u.%u.%u.%u", a[0], a[1], a[2], a[3]);
    return buf;
  }
  if (a.size() != 16) return "?";
  uint16_t g[8];
  for (int i = 0; i < 8; ++i) g[i] = static_cast<uint16_t>((a[2 * i] << 8) | a[2 * i + 1]);
  // RFC 5952 §4.2: compress the longest run (leftmost on ties) of two or more zero groups.
  int best_start = -1, best_len = 0;
  for (int i = 0; i < 8;) {
    if (g[i] != 0) {
      ++i;
      continue;
    }
    int j = i;
    while (j < 8 && g[j] == 0) ++j;
    if (j - i > best_len && j - i >= 2) {
      best_start = i;
      best_len = j - i;
    }
    i = j;
  }
  std::string out;
  for (int i = 0; i < 8; ++i) {
    if (i == best_start) {
      out += "::";
      i += best_len - 1;
      continue;
    }
    if (!out.empty() && out.back() != ':') out += ':';
    std::snprintf(buf, sizeof buf, "%x", g[i]);
    out += buf;
  }
  return out;
}

std::string format_table_text(const SaTable& table) {
  std::string out = "SA table: " + std::to_string(table.size()) + " bundle(s), inbound " +
                    std::to_string(table.inbound_count()) + ", outbound " +
                    std::to_string(table.outbound_count()) + "\n";
  for (const PoolUsage& p : table.pool_usage()) {
    out += "  pool " + std::string(pool_name(p.pool)) + " " + std::to_string(p.used) + "/" +
           std::to_string(p.limit) + "\n";
  }
  table.for_each([&](const StoredBundle& b) {
    const auto& s = b.spec;
    out += "  bundle " + format_hex32(b.handle) + " slot " + std::to_string(b.slot) + " " +
           (s.inbound ? "inbound" : "outbound") + " " + (s.ipv6 ? "ipv6" : "ipv4") + " " +
           format_ip_address(src_of(s)) + " -> " + format_ip_address(dst_of(s)) + " udp-esp " +
           udp_text(s.udp_esp_encapsulation) + (b.delete_requested ? " delete-requested" : "") +
           "\n";
    for (uint32_t i = 0; i < s.num_ext_hdrs && i < 2; ++i) {
      const ndis::SaSpec& sa = s.sas[i];
      out += "    sa[" + std::to_string(i) + "] " + operation_text(sa.operation) + " spi " +
             format_hex32(sa.spi) + " auth " + auth_text(sa.authentication_algorithm) + " enc " +
             enc_text(sa.encryption_algorithm) + " icv " + std::to_string(sa.icv_length) +
             (sa.esn ? " esn high " + format_hex32(sa.sequence_number_high_order) : " no-esn") +
             "\n";
    }
  });
  return out;
}

std::string format_table_json(const SaTable& table) {
  std::string out = "{\"bundle_count\":" + std::to_string(table.size()) +
                    ",\"inbound_count\":" + std::to_string(table.inbound_count()) +
                    ",\"outbound_count\":" + std::to_string(table.outbound_count()) + ",\"pools\":[";
  bool first = true;
  for (const PoolUsage& p : table.pool_usage()) {
    out += first ? "" : ",";
    first = false;
    out += "{\"name\":" + jstr(pool_name(p.pool)) + ",\"used\":" + std::to_string(p.used) +
           ",\"limit\":" + std::to_string(p.limit) + "}";
  }
  out += "],\"bundles\":[";
  first = true;
  table.for_each([&](const StoredBundle& b) {
    const auto& s = b.spec;
    out += first ? "" : ",";
    first = false;
    out += "{\"handle\":" + jstr(format_hex32(b.handle)) + ",\"slot\":" + std::to_string(b.slot) +
           ",\"direction\":" + jstr(s.inbound ? "inbound" : "outbound") +
           ",\"ip_version\":" + (s.ipv6 ? "6" : "4") + ",\"source\":" +
           jstr(format_ip_address(src_of(s))) + ",\"destination\":" +
           jstr(format_ip_address(dst_of(s))) + ",\"udp_esp_encapsulation\":" +
           jstr(udp_text(s.udp_esp_encapsulation)) +
           ",\"delete_requested\":" + (b.delete_requested ? "true" : "false") + ",\"sas\":[";
    for (uint32_t i = 0; i < s.num_ext_hdrs && i < 2; ++i) {
      const ndis::SaSpec& sa = s.sas[i];
      out += i ? "," : "";
      out += "{\"operation\":" + jstr(operation_text(sa.operation)) + ",\"spi\":" +
             jstr(format_hex32(sa.spi)) + ",\"authentication\":" +
             jalg(sa.authentication_algorithm, auth_name(sa.authentication_algorithm)) +
             ",\"encryption\":" +
             jalg(sa.encryption_algorithm, enc_name(sa.encryption_algorithm)) +
             ",\"icv_length\":" + std::to_string(sa.icv_length) +
             ",\"esn\":" + (sa.esn ? "true" : "false") +
             ",\"sequence_number_high_order\":" + std::to_string(sa.sequence_number_high_order) + "}";
    }
    out += "]}";
  });
  out += "]}";
  return out;
}

}  // namespace cts::sa
