#include "runner/vectors/link_frame.h"

#include <cstdio>

#include "oracle/esp/ip_packet.h"

namespace cts::vectors {

namespace {
constexpr uint32_t kSllHeader = 16;  // Linux cooked capture v1: protocol type at octets 14..15

bool version_from_nibble(std::span<const uint8_t> ip, uint8_t& version, std::string& why) {
  if (ip.empty()) {
    why = "empty record";
    return false;
  }
  version = static_cast<uint8_t>(ip[0] >> 4);
  if (version != 4 && version != 6) {
    why = "IP version nibble " + std::to_string(version) + " is neither 4 nor 6";
    return false;
  }
  return true;
}

bool version_from_ethertype(uint16_t ether_type, uint8_t& version, std::string& why) {
  if (ether_type == esp::kEtherTypeIpv4) {
    version = 4;
    return true;
  }
  if (ether_type == esp::kEtherTypeIpv6) {
    version = 6;
    return true;
  }
  char buf[64];
  std::snprintf(buf, sizeof buf, "EtherType 0x%04x is not IPv4 or IPv6", ether_type);
  why = buf;
  return false;
}
}  // namespace

bool ip_from_record(LinkType link, std::span<const uint8_t> record, IpInRecord& out, std::string& why) {
  switch (link) {
    case LinkType::kEthernet: {
      esp::EthernetInfo eth;
      const esp::ParseStatus st = esp::parse_ethernet(record, eth);
      if (!st.ok()) {
        why = std::string("Ethernet: ") + std::string(esp::packet_error_name(st.error)) + " at " +
              st.field;
        return false;
      }
      if (!version_from_ethertype(eth.ether_type, out.version, why)) return false;
      out.ip = record.subspan(eth.l3_offset);
      return true;
    }
    case LinkType::kLinuxSll: {
      if (record.size() < kSllHeader) {
        why = "Linux cooked header shorter than 16 octets";
        return false;
      }
      const uint16_t proto = esp::wire::get16(&record[14]);
      if (!version_from_ethertype(proto, out.version, why)) return false;
      out.ip = record.subspan(kSllHeader);
      return true;
    }
    case LinkType::kRawIp:
    case LinkType::kIpv4:
    case LinkType::kIpv6: {
      if (!version_from_nibble(record, out.version, why)) return false;
      if ((link == LinkType::kIpv4 && out.version != 4) || (link == LinkType::kIpv6 && out.version != 6)) {
        why = std::string("IP version ") + std::to_string(out.version) + " in a " +
              link_type_name(link) + " capture";
        return false;
      }
      out.ip = record;
      return true;
    }
  }
  why = "unknown link type";
  return false;
}

void append_ethernet_frame(std::span<const uint8_t> ip_packet, std::vector<uint8_t>& frame) {
  static constexpr uint8_t kDst[6] = {0x02, 0, 0, 0, 0, 0x02};
  static constexpr uint8_t kSrc[6] = {0x02, 0, 0, 0, 0, 0x01};
  const uint16_t type = (!ip_packet.empty() && (ip_packet[0] >> 4) == 6) ? esp::kEtherTypeIpv6
                                                                          : esp::kEtherTypeIpv4;
  frame.insert(frame.end(), kDst, kDst + 6);
  frame.insert(frame.end(), kSrc, kSrc + 6);
  frame.push_back(static_cast<uint8_t>(type >> 8));
  frame.push_back(static_cast<uint8_t>(type));
  frame.insert(frame.end(), ip_packet.begin(), ip_packet.end());
}

}  // namespace cts::vectors
