#include "runner/dut/next_links.h"

#include <gtest/gtest.h>

#include "oracle/ndis/codec.h"
#include "runner/dut/testdata/list_buffers.h"

namespace cts::dut {
namespace {

using namespace cts::dut::testing;

TEST(NextLinks, MapsEveryElementOfAWellFormedList) {
  const auto buffer = add_sa_list(3);
  const NextLinkMap map = map_next_links(buffer, kOidAddSa, 0);
  ASSERT_EQ(map.slots.size(), 3u);
  EXPECT_EQ(map.slots[0].position, 8u);
  EXPECT_EQ(map.slots[0].value, 200u);
  EXPECT_EQ(map.slots[1].position, 208u);
  EXPECT_EQ(map.slots[1].value, 400u);
  EXPECT_EQ(map.slots[2].position, 408u);
  EXPECT_EQ(map.slots[2].value, 0u);
}

TEST(NextLinks, RebaseToPointersAndBackRestoresTheBuffer) {
  auto buffer = add_sa_list(3);
  const auto original = buffer;
  const NextLinkMap map = map_next_links(buffer, kOidAddSa, 0);
  const uint64_t base = 0x7f0000001000ull;
  rebase_next_slots(buffer, map, 0, base);
  EXPECT_EQ(get64(buffer, 8), base + 200);
  EXPECT_EQ(get64(buffer, 208), base + 400);
  EXPECT_EQ(get64(buffer, 408), 0u);  // NULL stays NULL
  // Walking the pointer form finds the same members.
  const NextLinkMap live = map_next_links(buffer, kOidAddSa, base);
  ASSERT_EQ(live.slots.size(), 3u);
  EXPECT_FALSE(find_altered_next(buffer, map, 0, base));
  rebase_next_slots(buffer, map, 0, 0);
  EXPECT_EQ(buffer, original);
}

TEST(NextLinks, LoopIsTranslatedButNotFollowed) {
  auto buffer = add_sa_list(3);
  put64(buffer, 408, 200);  // element 2 -> element 1: a loop
  const NextLinkMap map = map_next_links(buffer, kOidAddSa, 0);
  ASSERT_EQ(map.slots.size(), 3u);
  EXPECT_EQ(map.slots[2].value, 200u);
  rebase_next_slots(buffer, map, 0, 0x10000);
  EXPECT_EQ(get64(buffer, 408), 0x10000u + 200);  // the device sees a real pointer loop
}

TEST(NextLinks, LinkPastTheEndIsTranslatedButNotFollowed) {
  auto buffer = add_sa_list(2);
  put64(buffer, 208, 100000);
  const NextLinkMap map = map_next_links(buffer, kOidAddSa, 0);
  ASSERT_EQ(map.slots.size(), 2u);
  rebase_next_slots(buffer, map, 0, 0x10000);
  EXPECT_EQ(get64(buffer, 208), 0x10000u + 100000);
}

TEST(NextLinks, ElementWhoseNextDoesNotFitEndsTheWalk) {
  auto buffer = add_sa_list(2);
  put64(buffer, 208, buffer.size() - 10);  // 10 bytes left: Next at +8 would cross the end
  const NextLinkMap map = map_next_links(buffer, kOidAddSa, 0);
  EXPECT_EQ(map.slots.size(), 2u);
  std::vector<uint8_t> tiny(12, 0);  // shorter than Next's end (16)
  EXPECT_TRUE(map_next_links(tiny, kOidAddSa, 0).slots.empty());
  EXPECT_TRUE(map_next_links({}, kOidDeleteSa, 0).slots.empty());
}

TEST(NextLinks, OidsWithoutListsHaveNoLinks) {
  const auto buffer = add_sa_list(2);
  EXPECT_TRUE(map_next_links(buffer, kOidAddSaEx, 0).slots.empty());
  EXPECT_TRUE(map_next_links(buffer, kOidUpdateSa, 0).slots.empty());
  EXPECT_TRUE(oid_has_next_links(kOidDeleteSa));
  EXPECT_FALSE(oid_has_next_links(kOidAddSaEx));
}

TEST(NextLinks, FindsAnAlteredMember) {
  auto buffer = add_sa_list(3);
  const NextLinkMap map = map_next_links(buffer, kOidAddSa, 0);
  put64(buffer, 208, 0x1234);
  const auto altered = find_altered_next(buffer, map, 0, 0);
  ASSERT_TRUE(altered);
  EXPECT_NE(altered->find("element 1"), std::string::npos) << *altered;
  EXPECT_NE(altered->find("0x0000000000001234"), std::string::npos) << *altered;
  EXPECT_TRUE(find_altered_next(std::vector<uint8_t>(100, 0), map, 0, 0));  // truncated
}

// The codec's offset form (NextLinks{0}) is the form this layer receives.
TEST(NextLinks, AgreesWithTheCodecsOffsetEncoding) {
  ndis::AddSaRequest request;
  request.elements.resize(3);
  for (auto& e : request.elements) e.key_data.assign(20, 0x11);
  const auto buffer = ndis::encode_add_sa(request, ndis::Abi::x64, ndis::NextLinks{0});
  const auto offsets = ndis::list_element_offsets(buffer, kOidAddSa, ndis::Abi::x64,
                                                  ndis::NextLinks{0});
  const NextLinkMap map = map_next_links(buffer, kOidAddSa, 0);
  ASSERT_EQ(map.slots.size(), offsets.size());
  for (size_t i = 0; i < offsets.size(); ++i) {
    EXPECT_EQ(map.slots[i].position, offsets[i] + kNextMemberOffset);
  }
  // And the codec reads our pointer form back as the same list.
  auto live = buffer;
  const uint64_t base = reinterpret_cast<uintptr_t>(live.data());
  rebase_next_slots(live, map, 0, base);
  const auto decoded = ndis::decode_add_sa(live, ndis::Abi::x64, ndis::NextLinks{base});
  ASSERT_TRUE(std::holds_alternative<ndis::AddSaRequest>(decoded));
  EXPECT_EQ(std::get<ndis::AddSaRequest>(decoded).elements.size(), 3u);
}

}  // namespace
}  // namespace cts::dut
