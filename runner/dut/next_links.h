// The `Next` members of an OID_TCP_TASK_IPSEC_OFFLOAD_V2_ADD_SA / _DELETE_SA list in the x64
// layout of dut.h (Next at offset 8 of every element, 8 bytes, little-endian, as in ADD_SA and DELETE_SA).
//
// Buffers cross the DUT layer with Next written as offsets from the start of the buffer; an
// in-process device needs live pointers. Unlike cts::ndis::rebase_next_links, which refuses a
// malformed chain, this map translates a chain *faithfully whatever its shape*, because the
// conformance cases deliberately send malformed lists (a Next that loops back, that points past
// the end) and the device must see exactly that malformation, expressed as pointers:
//   - the walk starts at offset 0 and follows every link that lands on an element whose Next
//     member lies inside the buffer;
//   - a NULL link ends the walk; a link that leaves the buffer or revisits an element is
//     recorded (and translated) but not followed;
//   - the walk never reads outside the buffer and stops after kMaxWalk elements.
// An offset of 0 cannot be told from NULL, so no list element can link back to element 0.
#pragma once

#include <cstddef>
#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <vector>

namespace cts::dut {

inline constexpr size_t kNextMemberOffset = 8;  // x64: Header (4) + pad (4)
inline constexpr size_t kNextMemberSize = 8;
inline constexpr size_t kMaxNextWalk = 65536;

// True for the two OIDs whose buffers are Next-linked lists.
bool oid_has_next_links(uint32_t oid);

struct NextSlot {
  size_t position = 0;  // byte offset of the Next member inside the buffer
  uint64_t value = 0;   // the member as read
};

struct NextLinkMap {
  std::vector<NextSlot> slots;  // in walk order
};

// Walks the list of `buffer` whose links are expressed relative to `base` (0 for offsets, the
// buffer's address for live pointers). An empty map for OIDs without links.
NextLinkMap map_next_links(std::span<const uint8_t> buffer, uint32_t oid, uint64_t base);

// Writes every recorded non-NULL Next member as the map's value moved from base `from` (the
// base the map was made with) to base `to`: value - from + to, modulo 2^64, so even a wild link
// keeps its distance from the buffer. (map, 0, 0) writes the original offsets back.
void rebase_next_slots(std::span<uint8_t> buffer, const NextLinkMap& map, uint64_t from,
                       uint64_t to);

// Checks that every recorded Next member of `buffer` still holds the map's value moved from base
// `from` to base `to`. Returns a description of the first member that differs.
std::optional<std::string> find_altered_next(std::span<const uint8_t> buffer,
                                             const NextLinkMap& map, uint64_t from, uint64_t to);

}  // namespace cts::dut
