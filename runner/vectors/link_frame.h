// Between link-layer records and IP datagrams: finds the IP packet inside a captured record of
// any accepted link type, and wraps an IP packet in the fixed Ethernet II header vectors use.
#pragma once

#include <cstdint>
#include <span>
#include <string>
#include <vector>

#include "runner/vectors/pcap_reader.h"

namespace cts::vectors {

struct IpInRecord {
  std::span<const uint8_t> ip;  // from the first octet of the IP header to the end of the record
  uint8_t version = 0;          // 4 or 6, from the link header (Ethernet/SLL) or the IP nibble
};

// Returns false with `why` set when the record holds no IPv4/IPv6 packet (ARP, LLDP, short
// frame, QinQ, ...). Uses the oracle's bounds-checked Ethernet parser for DLT_EN10MB.
bool ip_from_record(LinkType link, std::span<const uint8_t> record, IpInRecord& out, std::string& why);

// Source and destination MAC of every Ethernet frame the generator writes (locally
// administered addresses: 02:00:00:00:00:01 -> 02:00:00:00:00:02).
void append_ethernet_frame(std::span<const uint8_t> ip_packet, std::vector<uint8_t>& frame);

}  // namespace cts::vectors
