// Evidence formats of the SA table: a stable human-readable listing and a JSON document
// (hand-built, so oracle/sa needs no JSON library). Neither ever contains a key byte.
#pragma once

#include <cstdint>
#include <span>
#include <string>

namespace cts::sa {

class SaTable;

std::string format_table_text(const SaTable& table);
std::string format_table_json(const SaTable& table);

// "10.0.0.1" or RFC 5952 text ("2001:db8::1") of a network-order address (4 or 16 bytes).
std::string format_ip_address(std::span<const uint8_t> address);
// "0x0000abcd"
std::string format_hex32(uint64_t value);

}  // namespace cts::sa
