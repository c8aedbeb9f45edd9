// Codec tests: field placement at the documented offsets, round trips on both ABIs, and every
// structural rejection of the decoders (OQ-01, OQ-02, OQ-04, OQ-05, OQ-06).
#include "oracle/ndis/codec.h"

#include <gtest/gtest.h>

#include "oracle/ndis/test_requests.h"

namespace cts::ndis {
namespace {

using testing::esp_cbc_sha1;
using testing::esp_gcm_esn;
using testing::esp_then_ah;

uint32_t le32(const std::vector<uint8_t>& b, size_t at) {
  return static_cast<uint32_t>(b.at(at) | b.at(at + 1) << 8 | b.at(at + 2) << 16 |
                               static_cast<uint32_t>(b.at(at + 3)) << 24);
}
uint64_t le64(const std::vector<uint8_t>& b, size_t at) {
  return le32(b, at) | static_cast<uint64_t>(le32(b, at + 4)) << 32;
}
void put32(std::vector<uint8_t>& b, size_t at, uint32_t v) {
  for (int i = 0; i < 4; ++i) b.at(at + i) = static_cast<uint8_t>(v >> (8 * i));
}
void put64(std::vector<uint8_t>& b, size_t at, uint64_t v) {
  put32(b, at, static_cast<uint32_t>(v));
  put32(b, at + 4, static_cast<uint32_t>(v >> 32));
}

// By value: callers pass temporaries.
template <typename T>
DecodeError error_of(const Decoded<T>& d) {
  const auto* e = std::get_if<DecodeError>(&d);
  return e ? *e : DecodeError{0, 0, "<decoded without error>", "", 0};
}

// Sets Header.Size to the documented value the encoder writes for 0, as the decoder reports it.
AddSaElement with_size(AddSaElement e, uint16_t size) {
  e.header.size = size;
  return e;
}

// ---------------------------------------------------------------- placement (ADD_SA, x64/x86)

TEST(CodecAddSa, FieldsLandAtSpecOffsetsX64) {
  AddSaElement e = esp_cbc_sha1();
  e.offload_handle = 0x1122334455667788ull;
  const auto b = encode_add_sa({{e}}, Abi::x64, {});
  ASSERT_EQ(b.size(), 208u);  // 168 + 36 rounded up to 8
  EXPECT_EQ(b[0], 0x80);      // Header.Type
  EXPECT_EQ(b[1], 1);         // Header.Revision
  EXPECT_EQ(b[2] | b[3] << 8, 169);  // Header.Size = NDIS_SIZEOF_..._REVISION_1 (GEN-011)
  EXPECT_EQ(le64(b, 8), 0u);         // Next: NULL ends the list
  EXPECT_EQ(le32(b, 16), 1u);        // NumExtHdrs
  EXPECT_EQ(le32(b, 20), 0u);        // Flags
  EXPECT_EQ(b[24], 10);              // IPv4Endpoints.SrcAddr, network order (OQ-13)
  EXPECT_EQ(b[31], 2);               // IPv4Endpoints.DestAddr last octet
  EXPECT_EQ(le64(b, 56), 0x1122334455667788ull);  // OffloadHandle
  EXPECT_EQ(le32(b, 68 + 4), IPsecOffloadV2Esp);  // SecAssoc[0].Operation
  EXPECT_EQ(le32(b, 68 + 8), 0x12345678u);        // SecAssoc[0].Spi
  EXPECT_EQ(le32(b, 68 + 12), IPSEC_OFFLOAD_V2_AUTHENTICATION_SHA_1);
  EXPECT_EQ(le32(b, 68 + 20), 16u);  // AuthenticationAlgorithm.KeyOffsetBytes
  EXPECT_EQ(le32(b, 68 + 28), IPSEC_OFFLOAD_V2_ENCRYPTION_AES_CBC_128);
  EXPECT_EQ(le32(b, 164), 36u);  // KeyLength
  EXPECT_EQ(b[168], 0x00);       // KeyData[0]
  EXPECT_EQ(b[168 + 35], 35);
  EXPECT_EQ(b[4] | b[5] | b[6] | b[7], 0);  // pad zeroed
}

TEST(CodecAddSa, FieldsLandAtSpecOffsetsX86) {
  AddSaElement e = esp_cbc_sha1();
  e.offload_handle = 0xAABBCCDDu;
  const auto b = encode_add_sa({{e, esp_gcm_esn()}}, Abi::x86, {});
  ASSERT_EQ(b.size(), 192u + 176u);  // 156+36 = 192 (4-aligned); second 156+20 = 176
  EXPECT_EQ(b[2] | b[3] << 8, 157);
  EXPECT_EQ(le32(b, 4), 192u);  // Next = offset of element 1 (file links)
  EXPECT_EQ(le32(b, 8), 1u);    // NumExtHdrs
  EXPECT_EQ(b[16], 10);         // IPv4Endpoints.SrcAddr
  EXPECT_EQ(le32(b, 48), 0xAABBCCDDu);  // OffloadHandle
  EXPECT_EQ(le32(b, 56 + 8), 0x12345678u);
  EXPECT_EQ(le32(b, 152), 36u);
  EXPECT_EQ(b[156 + 1], 1);
  EXPECT_EQ(le32(b, 192 + 4), 0u);   // last Next
  EXPECT_EQ(le32(b, 192 + 12), IPSEC_OFFLOAD_V2_INBOUND | IPSEC_OFFLOAD_V2_IPv6);
  EXPECT_EQ(b[192 + 16], 0x20);      // IPv6Endpoints.SrcAddr[0]
  EXPECT_EQ(b[192 + 32 + 15], 2);    // IPv6Endpoints.DestAddr[15]
  EXPECT_EQ(le32(b, 192 + 56 + 44), 5u);  // SecAssoc[0].SequenceNumberHighOrder
}

TEST(CodecAddSa, RoundTripsBothAbis) {
  for (Abi abi : {Abi::x64, Abi::x86}) {
    const uint16_t rev1 = layout_sizes(abi).add_sa_sizeof_rev1;
    AddSaRequest request{{esp_cbc_sha1(), esp_gcm_esn(), esp_then_ah()}};
    const auto b = encode_add_sa(request, abi, {});
    auto decoded = decode_add_sa(b, abi, {});
    ASSERT_TRUE(std::holds_alternative<AddSaRequest>(decoded)) << error_of(decoded).message;
    AddSaRequest expected;
    for (const auto& e : request.elements) expected.elements.push_back(with_size(e, rev1));
    EXPECT_EQ(std::get<AddSaRequest>(decoded), expected);
  }
}

TEST(CodecAddSa, LiveNextPointersDecodeAndRebase) {
  // An in-process list holds real addresses (NextLinks.base_address = buffer address).
  const NextLinks live{0x7FF612340000ull};
  AddSaRequest request{{esp_cbc_sha1(), esp_gcm_esn()}};
  auto b = encode_add_sa(request, Abi::x64, live);
  EXPECT_EQ(le64(b, 8), live.base_address + 208);
  EXPECT_TRUE(std::holds_alternative<AddSaRequest>(decode_add_sa(b, Abi::x64, live)));
  // Read with file links the pointer leaves the buffer (OQ-06).
  EXPECT_EQ(error_of(decode_add_sa(b, Abi::x64, {})).field, "Next");
  ASSERT_TRUE(rebase_next_links(b, OID_TCP_TASK_IPSEC_OFFLOAD_V2_ADD_SA, Abi::x64, live, {}));
  EXPECT_EQ(le64(b, 8), 208u);
  EXPECT_TRUE(std::holds_alternative<AddSaRequest>(decode_add_sa(b, Abi::x64, {})));
  EXPECT_EQ(list_element_offsets(b, OID_TCP_TASK_IPSEC_OFFLOAD_V2_ADD_SA, Abi::x64, {}),
            (std::vector<size_t>{0, 208}));
}

TEST(CodecAddSa, RebaseRefusesBadLinksAndLeavesBufferUnchanged) {
  auto b = encode_add_sa({{esp_cbc_sha1(), esp_gcm_esn()}}, Abi::x64, {});
  put64(b, 8, 4096);  // leaves the buffer
  const auto before = b;
  EXPECT_FALSE(rebase_next_links(b, OID_TCP_TASK_IPSEC_OFFLOAD_V2_ADD_SA, Abi::x64, {}, {0x1000}));
  EXPECT_EQ(b, before);
  EXPECT_TRUE(list_element_offsets(b, OID_TCP_TASK_IPSEC_OFFLOAD_V2_ADD_SA, Abi::x64, {}).empty());
  // x86 pointers are 32 bits: a 64-bit base does not fit.
  auto c = encode_add_sa({{esp_cbc_sha1(), esp_gcm_esn()}}, Abi::x86, {});
  const auto c_before = c;
  EXPECT_FALSE(rebase_next_links(c, OID_TCP_TASK_IPSEC_OFFLOAD_V2_ADD_SA, Abi::x86, {},
                                 {0x100000000ull}));
  EXPECT_EQ(c, c_before);
}

TEST(CodecAddSa, RebaseDeliversRequestsWithBadContent) {
  AddSaElement bad = esp_cbc_sha1();
  bad.header.type = 0x42;  // content error: links are still fine
  auto b = encode_add_sa({{esp_cbc_sha1(), bad}}, Abi::x64, {});
  EXPECT_TRUE(rebase_next_links(b, OID_TCP_TASK_IPSEC_OFFLOAD_V2_ADD_SA, Abi::x64, {}, {0x5000}));
  EXPECT_EQ(le64(b, 8), 0x5000u + 208);
}

// ------------------------------------------------------------------- OQ-01 header rules

TEST(CodecHeader, TypeOtherThanDefaultIsInvalidParameter) {  // GEN-010, OQ-01
  AddSaElement e = esp_cbc_sha1();
  e.header.type = NDIS_OBJECT_TYPE_OFFLOAD;
  const auto& err = error_of(decode_add_sa(encode_add_sa({{e}}, Abi::x64, {}), Abi::x64, {}));
  EXPECT_EQ(err.status, NDIS_STATUS_INVALID_PARAMETER);
  EXPECT_EQ(err.field, "Header.Type");
}

TEST(CodecHeader, RevisionZeroIsInvalidParameterAndLaterRevisionsAccepted) {  // OQ-01
  AddSaElement e = esp_cbc_sha1();
  e.header.revision = 0;
  const auto& err = error_of(decode_add_sa(encode_add_sa({{e}}, Abi::x64, {}), Abi::x64, {}));
  EXPECT_EQ(err.status, NDIS_STATUS_INVALID_PARAMETER);
  EXPECT_EQ(err.field, "Header.Revision");
  e.header.revision = 2;
  EXPECT_TRUE(std::holds_alternative<AddSaRequest>(
      decode_add_sa(encode_add_sa({{e}}, Abi::x64, {}), Abi::x64, {})));
}

TEST(CodecHeader, SizeBelowRevision1IsInvalidParameterSizeofAccepted) {  // GEN-011, OQ-01
  for (Abi abi : {Abi::x64, Abi::x86}) {
    const LayoutSizes& s = layout_sizes(abi);
    AddSaElement e = esp_cbc_sha1();
    e.header.size = static_cast<uint16_t>(s.add_sa_sizeof_rev1 - 1);
    const auto& err = error_of(decode_add_sa(encode_add_sa({{e}}, abi, {}), abi, {}));
    EXPECT_EQ(err.status, NDIS_STATUS_INVALID_PARAMETER);
    EXPECT_EQ(err.field, "Header.Size");
    e.header.size = static_cast<uint16_t>(s.add_sa_struct);  // the sizeof() variant
    EXPECT_TRUE(std::holds_alternative<AddSaRequest>(
        decode_add_sa(encode_add_sa({{e}}, abi, {}), abi, {})));
  }
  UpdateSaRequest u;
  u.offload_handle = 1;
  u.spi = 1;
  u.header.size = 27;
  EXPECT_EQ(error_of(decode_update_sa(encode_update_sa(u, Abi::x64), Abi::x64)).field,
            "Header.Size");
  u.header.size = 32;
  EXPECT_TRUE(std::holds_alternative<UpdateSaRequest>(
      decode_update_sa(encode_update_sa(u, Abi::x64), Abi::x64)));
}

// ------------------------------------------------------------------- OQ-04 lengths

TEST(CodecLength, BufferShorterThanStructureIsInvalidLengthWithBytesNeeded) {
  std::vector<uint8_t> b = encode_add_sa({{esp_cbc_sha1()}}, Abi::x64, {});
  b.resize(100);
  const auto& err = error_of(decode_add_sa(b, Abi::x64, {}));
  EXPECT_EQ(err.status, NDIS_STATUS_INVALID_LENGTH);
  EXPECT_EQ(err.bytes_needed, 169u);
  EXPECT_EQ(error_of(decode_add_sa({}, Abi::x86, {})).bytes_needed, 157u);
  EXPECT_EQ(error_of(decode_add_sa_ex({}, Abi::x64)).bytes_needed, 170u);
  EXPECT_EQ(error_of(decode_add_sa_ex({}, Abi::x86)).bytes_needed, 162u);
  EXPECT_EQ(error_of(decode_delete_sa({}, Abi::x64, {})).bytes_needed, 24u);
  EXPECT_EQ(error_of(decode_delete_sa({}, Abi::x86, {})).bytes_needed, 12u);
  EXPECT_EQ(error_of(decode_update_sa({}, Abi::x64)).bytes_needed, 28u);
  EXPECT_EQ(error_of(decode_update_sa({}, Abi::x86)).bytes_needed, 20u);
  EXPECT_EQ(error_of(decode_capabilities({})).bytes_needed, 32u);
}

TEST(CodecLength, KeyDataBeyondBufferIsInvalidLength) {  // ADD-017, OQ-04
  std::vector<uint8_t> b = encode_add_sa({{esp_cbc_sha1()}}, Abi::x64, {});
  b.resize(168 + 30);  // KeyLength says 36
  const auto& err = error_of(decode_add_sa(b, Abi::x64, {}));
  EXPECT_EQ(err.status, NDIS_STATUS_INVALID_LENGTH);
  EXPECT_EQ(err.field, "KeyLength");
  EXPECT_EQ(err.bytes_needed, 204u);
  put32(b, 164, 0xFFFFFFF0u);  // absurd KeyLength
  EXPECT_EQ(error_of(decode_add_sa(b, Abi::x64, {})).field, "KeyLength");
}

// ------------------------------------------------------------------- OQ-06 Next chains

TEST(CodecNext, PointerLeavingBufferIsInvalidDataOnThatElement) {
  auto b = encode_add_sa({{esp_cbc_sha1(), esp_gcm_esn()}}, Abi::x64, {});
  put64(b, 208 + 8, b.size() - 8);  // element 1 -> a place too short for an element
  const auto& err = error_of(decode_add_sa(b, Abi::x64, {}));
  EXPECT_EQ(err.status, NDIS_STATUS_INVALID_DATA);
  EXPECT_EQ(err.element, 1u);
  EXPECT_EQ(err.field, "Next");
}

TEST(CodecNext, MisalignedPointerIsInvalidData) {
  auto b = encode_delete_sa({{{}, {}, {}}}, Abi::x64, {});
  put64(b, 8, 20);  // element 0 -> offset 20, not 8-aligned (but room for 24 bytes? no) ...
  EXPECT_EQ(error_of(decode_delete_sa(b, Abi::x64, {})).field, "Next");
  b.resize(24 * 4);
  put64(b, 8, 36);  // inside the buffer with room, misaligned
  const auto& err = error_of(decode_delete_sa(b, Abi::x64, {}));
  EXPECT_EQ(err.status, NDIS_STATUS_INVALID_DATA);
  EXPECT_EQ(err.element, 0u);
  EXPECT_NE(err.message.find("aligned"), std::string::npos);
}

TEST(CodecNext, LoopIsInvalidData) {
  auto b = encode_delete_sa({{{}, {}, {}}}, Abi::x86, {});
  put32(b, 24 + 4, 12);  // element 2 -> element 1
  const auto& err = error_of(decode_delete_sa(b, Abi::x86, {}));
  EXPECT_EQ(err.status, NDIS_STATUS_INVALID_DATA);
  EXPECT_EQ(err.element, 2u);
  EXPECT_EQ(err.field, "Next");
  EXPECT_NE(err.message.find("loops"), std::string::npos);
  EXPECT_FALSE(rebase_next_links(b, OID_TCP_TASK_IPSEC_OFFLOAD_V2_DELETE_SA, Abi::x86, {}, {64}));
}

TEST(CodecNext, OverlappingElementsAreInvalidData) {
  auto b = encode_add_sa({{esp_cbc_sha1(), esp_gcm_esn()}}, Abi::x64, {});
  put64(b, 8, 200);  // element 1 would start inside element 0's KeyData (ends at 204)
  const auto& err = error_of(decode_add_sa(b, Abi::x64, {}));
  EXPECT_EQ(err.status, NDIS_STATUS_INVALID_DATA);
  EXPECT_EQ(err.field, "Next");
  EXPECT_NE(err.message.find("overlaps"), std::string::npos);
}

TEST(CodecNext, ListLongerThanBoundIsInvalidData) {
  DeleteSaRequest request;
  request.elements.resize(kMaxListElements + 1);
  const auto b = encode_delete_sa(request, Abi::x86, {});
  const auto& err = error_of(decode_delete_sa(b, Abi::x86, {}));
  EXPECT_EQ(err.status, NDIS_STATUS_INVALID_DATA);
  EXPECT_EQ(err.element, kMaxListElements - 1);
  EXPECT_EQ(err.field, "Next");
  request.elements.resize(kMaxListElements);
  const auto ok = encode_delete_sa(request, Abi::x86, {});
  ASSERT_TRUE(std::holds_alternative<DeleteSaRequest>(decode_delete_sa(ok, Abi::x86, {})));
}

// ------------------------------------------------------------------- ADD_SA_EX (OQ-05)

TEST(CodecAddSaEx, FieldsLandAtSpecOffsetsAndRoundTrip) {
  AddSaExRequest request{esp_then_ah()};
  request.element.source_switch_port_id = 7;
  request.element.vlan_id = 42;
  request.element.offload_handle = 0x55;
  const auto b = encode_add_sa_ex(request, Abi::x64);
  ASSERT_EQ(b.size(), 176u + 64u);
  EXPECT_EQ(b[2] | b[3] << 8, 170);
  EXPECT_EQ(le32(b, 4), 2u);             // NumExtHdrs
  EXPECT_EQ(b[12], 192);                 // IPv4Endpoints.SrcAddr
  EXPECT_EQ(le64(b, 48), 0x55u);         // OffloadHandle
  EXPECT_EQ(le32(b, 60 + 4), IPsecOffloadV2Esp);
  EXPECT_EQ(le32(b, 108 + 4), IPsecOffloadV2Ah);
  EXPECT_EQ(le32(b, 156), 64u);          // KeyLength
  EXPECT_EQ(le32(b, 160), 176u);         // KeyOffset = sizeof
  EXPECT_EQ(le32(b, 164), 7u);           // SourceSwitchPortId
  EXPECT_EQ(b[168], 42);                 // VlanId
  EXPECT_EQ(b[176], 0x60);               // key block
  for (Abi abi : {Abi::x64, Abi::x86}) {
    auto d = decode_add_sa_ex(encode_add_sa_ex(request, abi), abi);
    ASSERT_TRUE(std::holds_alternative<AddSaExRequest>(d)) << error_of(d).message;
    AddSaElement expected = with_size(request.element, layout_sizes(abi).add_sa_ex_sizeof_rev1);
    expected.key_offset = layout_sizes(abi).add_sa_ex_struct;
    if (abi == Abi::x86) expected.offload_handle = 0x55;
    EXPECT_EQ(std::get<AddSaExRequest>(d).element, expected);
  }
  const auto x86 = encode_add_sa_ex(request, Abi::x86);
  EXPECT_EQ(le32(x86, 44), 0x55u);   // OffloadHandle
  EXPECT_EQ(le32(x86, 152), 164u);   // KeyOffset
  EXPECT_EQ(x86[160], 42);           // VlanId
}

TEST(CodecAddSaEx, KeyOffsetInsideStructureIsInvalidData) {  // ADDEX-006, OQ-05
  AddSaExRequest request{esp_cbc_sha1()};
  request.element.key_offset = 169;
  const auto& err = error_of(decode_add_sa_ex(encode_add_sa_ex(request, Abi::x64), Abi::x64));
  EXPECT_EQ(err.status, NDIS_STATUS_INVALID_DATA);
  EXPECT_EQ(err.field, "KeyOffset");
  request.element.key_offset = 170;  // right after VlanId: accepted
  EXPECT_TRUE(std::holds_alternative<AddSaExRequest>(
      decode_add_sa_ex(encode_add_sa_ex(request, Abi::x64), Abi::x64)));
}

TEST(CodecAddSaEx, KeyBlockBeyondBufferIsInvalidLength) {  // OQ-05
  AddSaExRequest request{esp_cbc_sha1()};
  auto b = encode_add_sa_ex(request, Abi::x86);
  b.resize(b.size() - 1);
  const auto& err = error_of(decode_add_sa_ex(b, Abi::x86));
  EXPECT_EQ(err.status, NDIS_STATUS_INVALID_LENGTH);
  EXPECT_EQ(err.bytes_needed, 164u + 36u);
  put32(b, 152, 0xFFFFFFF0u);
  EXPECT_EQ(error_of(decode_add_sa_ex(b, Abi::x86)).status, NDIS_STATUS_INVALID_DATA);
}

// ------------------------------------------------------------------- DELETE_SA / UPDATE_SA

TEST(CodecDeleteSa, RoundTripsWithNullHandles) {  // DEL-002
  for (Abi abi : {Abi::x64, Abi::x86}) {
    DeleteSaRequest request;
    request.elements.resize(3);
    request.elements[0].offload_handle = 0x1111;
    request.elements[2].offload_handle = 0x3333;
    const auto b = encode_delete_sa(request, abi, {});
    const size_t s = abi == Abi::x64 ? 24 : 12;
    ASSERT_EQ(b.size(), 3 * s);
    auto d = decode_delete_sa(b, abi, {});
    ASSERT_TRUE(std::holds_alternative<DeleteSaRequest>(d)) << error_of(d).message;
    for (auto& e : request.elements) e.header.size = static_cast<uint16_t>(s);
    EXPECT_EQ(std::get<DeleteSaRequest>(d), request);
  }
  const auto b = encode_delete_sa({{{{}, 0x1111}, {{}, 0x2222}}}, Abi::x64, {});
  EXPECT_EQ(le64(b, 8), 24u);       // Next
  EXPECT_EQ(le64(b, 16), 0x1111u);  // OffloadHandle
  EXPECT_EQ(le64(b, 24 + 16), 0x2222u);
}

TEST(CodecUpdateSa, FieldsAtSpecOffsetsAndTrailingBytesIgnored) {  // OQ-02
  UpdateSaRequest u;
  u.offload_handle = 0xABCD;
  u.operation = IPsecOffloadV2Esp;
  u.spi = 0x87654321;
  u.sequence_number_high_order = 6;
  auto b = encode_update_sa(u, Abi::x64);
  ASSERT_EQ(b.size(), 32u);
  EXPECT_EQ(b[2], 28);
  EXPECT_EQ(le64(b, 8), 0xABCDu);
  EXPECT_EQ(le32(b, 16), 2u);
  EXPECT_EQ(le32(b, 20), 0x87654321u);
  EXPECT_EQ(le32(b, 24), 6u);
  b.resize(200, 0xEE);  // OQ-02: no Next; bytes beyond NDIS_SIZEOF are ignored
  auto d = decode_update_sa(b, Abi::x64);
  ASSERT_TRUE(std::holds_alternative<UpdateSaRequest>(d));
  u.header.size = 28;
  EXPECT_EQ(std::get<UpdateSaRequest>(d), u);
  const auto x86 = encode_update_sa(u, Abi::x86);
  ASSERT_EQ(x86.size(), 20u);
  EXPECT_EQ(le32(x86, 4), 0xABCDu);
  EXPECT_EQ(le32(x86, 16), 6u);
}

// ------------------------------------------------------------------- capabilities -----

TEST(CodecCapabilities, FieldsAtSpecOffsetsAndRoundTrip) {
  IpsecOffloadV2Capabilities c;
  c.ipv6_supported = true;
  c.esp = true;
  c.tunnel = true;
  c.extended_sequence_numbers = true;
  c.udp_esp = IPSEC_OFFLOAD_V2_UDP_ESP_ENCAPSULATION_TRANSPORT;
  c.authentication_algorithms = 0x7;
  c.encryption_algorithms = 0x1C9;
  c.sa_offload_capacity = 1024;
  const auto a = encode_capabilities(c);
  const std::vector<uint8_t> b(a.begin(), a.end());
  EXPECT_EQ(le32(b, 0), NDIS_ENCAPSULATION_IEEE_802_3);
  EXPECT_EQ(b[4], 1);   // IPv6Supported
  EXPECT_EQ(b[7], 0);   // Ah
  EXPECT_EQ(b[8], 1);   // Esp
  EXPECT_EQ(b[11], 1);  // Tunnel
  EXPECT_EQ(b[14], 1);  // ExtendedSequenceNumbers
  EXPECT_EQ(le32(b, 16), 1u);
  EXPECT_EQ(le32(b, 20), 7u);
  EXPECT_EQ(le32(b, 24), 0x1C9u);
  EXPECT_EQ(le32(b, 28), 1024u);
  auto d = decode_capabilities(b);
  ASSERT_TRUE(std::holds_alternative<IpsecOffloadV2Capabilities>(d));
  EXPECT_EQ(std::get<IpsecOffloadV2Capabilities>(d), c);
}

TEST(CodecCapabilities, BooleanOtherThanZeroOrOneIsInvalidData) {
  auto a = encode_capabilities({});
  a[11] = 2;  // Tunnel
  const auto& err = error_of(decode_capabilities(a));
  EXPECT_EQ(err.status, NDIS_STATUS_INVALID_DATA);
  EXPECT_EQ(err.field, "Tunnel");
}

}  // namespace
}  // namespace cts::ndis
