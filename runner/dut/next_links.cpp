// Faithful translation of Next links between offsets and live pointers (see next_links.h).
#include "runner/dut/next_links.h"

#include <cstdio>
#include <unordered_set>

#include "oracle/ndis/constants.h"

namespace cts::dut {
namespace {

uint64_t load_u64(std::span<const uint8_t> buffer, size_t position) {
  uint64_t v = 0;
  for (size_t i = 0; i < 8; ++i) v |= static_cast<uint64_t>(buffer[position + i]) << (8 * i);
  return v;
}

void store_u64(std::span<uint8_t> buffer, size_t position, uint64_t v) {
  for (size_t i = 0; i < 8; ++i) buffer[position + i] = static_cast<uint8_t>(v >> (8 * i));
}

std::string hex64(uint64_t v) {
  char text[24];
  std::snprintf(text, sizeof(text), "0x%016llx", static_cast<unsigned long long>(v));
  return text;
}

}  // namespace

bool oid_has_next_links(uint32_t oid) {
  return oid == ndis::OID_TCP_TASK_IPSEC_OFFLOAD_V2_ADD_SA ||
         oid == ndis::OID_TCP_TASK_IPSEC_OFFLOAD_V2_DELETE_SA;
}

NextLinkMap map_next_links(std::span<const uint8_t> buffer, uint32_t oid, uint64_t base) {
  NextLinkMap map;
  if (!oid_has_next_links(oid)) return map;
  const size_t need = kNextMemberOffset + kNextMemberSize;
  std::unordered_set<size_t> visited;
  size_t element = 0;
  while (buffer.size() >= need && element <= buffer.size() - need &&
         map.slots.size() < kMaxNextWalk) {
    visited.insert(element);
    const size_t position = element + kNextMemberOffset;
    const uint64_t link = load_u64(buffer, position);
    map.slots.push_back({position, link});
    if (link == 0) break;
    const uint64_t target = link - base;  // modulo 2^64: a link below base becomes huge
    if (target > buffer.size() - need) break;              // leaves the buffer: not followed
    if (visited.count(static_cast<size_t>(target)) != 0) break;  // loop: not followed
    element = static_cast<size_t>(target);
  }
  return map;
}

void rebase_next_slots(std::span<uint8_t> buffer, const NextLinkMap& map, uint64_t from,
                       uint64_t to) {
  for (const NextSlot& slot : map.slots) {
    if (slot.value == 0) continue;
    store_u64(buffer, slot.position, slot.value - from + to);
  }
}

std::optional<std::string> find_altered_next(std::span<const uint8_t> buffer,
                                             const NextLinkMap& map, uint64_t from, uint64_t to) {
  for (size_t i = 0; i < map.slots.size(); ++i) {
    const NextSlot& slot = map.slots[i];
    if (slot.position + kNextMemberSize > buffer.size()) {
      return "element " + std::to_string(i) + ": Next member at offset " +
             std::to_string(slot.position) + " lies outside the returned buffer";
    }
    const uint64_t expected = slot.value == 0 ? 0 : slot.value - from + to;
    const uint64_t actual = load_u64(buffer, slot.position);
    if (actual != expected) {
      return "element " + std::to_string(i) + ": Next member at offset " +
             std::to_string(slot.position) + " was changed from " + hex64(expected) + " to " +
             hex64(actual);
    }
  }
  return std::nullopt;
}

}  // namespace cts::dut
