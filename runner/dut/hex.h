// Lower-case hexadecimal text for the binary members of the process protocol.
#pragma once

#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

namespace cts::dut {

std::string to_hex(std::span<const uint8_t> bytes);
// Accepts upper and lower case; nullopt for an odd length or a non-hex character.
std::optional<std::vector<uint8_t>> from_hex(std::string_view text);

// 64-bit values travel as "0x" + 1..16 hex digits (JSON numbers above 2^53 are not portable).
std::string u64_to_hex(uint64_t value);
std::optional<uint64_t> u64_from_hex(std::string_view text);

}  // namespace cts::dut
