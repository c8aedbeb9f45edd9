// Per-packet OOB slots. Every expected number is typed from the spec: slot sizes from 2.8/3.10,
// bit masks from the 3.10 tables, CryptoStatus names and values from 2.9, the 1020-byte limit
// from the 3.10 consequence. Each check of check_receive_oob has a case where it fires alone.
#include "oracle/ndis/oob.h"

#include <gtest/gtest.h>

namespace cts::ndis {
namespace {

const std::string kSlot1 = "IPsecOffloadV2NetBufferListInfo";
const std::string kSlot11 = "IPsecOffloadV2TunnelNetBufferListInfo";
const std::string kSlot12 = "IPsecOffloadV2HeaderNetBufferListInfo";

template <typename T>
T value_of(const OobResult<T>& r) {
  if (const auto* err = std::get_if<OobError>(&r)) {
    ADD_FAILURE() << "unexpected error: " << err->field << ": " << err->message;
    return T{};
  }
  return std::get<T>(r);
}

template <typename T>
OobError error_of(const OobResult<T>& r) {
  if (const auto* err = std::get_if<OobError>(&r)) return *err;
  ADD_FAILURE() << "expected an error, got a value";
  return OobError{"<value>", ""};
}

std::vector<uint8_t> bytes_of(const NblSlot& s) { return {s.view().begin(), s.view().end()}; }

ReceiveOob rx(uint64_t ipsec_info, uint32_t header_info) {
  ReceiveOob o;
  o.ipsec_info = ipsec_info;
  o.header_info = header_info;
  return o;
}

// ------------------------------------------------------------------ slot sizes and codecs

TEST(OobSlot, SizesArePointerSizedPerAbi) {  // 2.8, 3.10 sizeof 8 / 4; header struct 4 on both
  EXPECT_EQ(nbl_info_slot_size(Abi::x64), 8u);
  EXPECT_EQ(nbl_info_slot_size(Abi::x86), 4u);
  EXPECT_EQ(kHeaderInfoSize, 4u);
}

TEST(OobSlot, OffloadHandleIsLittleEndianPointer) {  // SEND-001
  const NblSlot x64 = value_of(encode_offload_handle_slot(0x1122334455667788ull, Abi::x64));
  EXPECT_EQ(bytes_of(x64),
            (std::vector<uint8_t>{0x88, 0x77, 0x66, 0x55, 0x44, 0x33, 0x22, 0x11}));
  const NblSlot x86 = value_of(encode_offload_handle_slot(0xA1B2C3D4u, Abi::x86));
  EXPECT_EQ(bytes_of(x86), (std::vector<uint8_t>{0xD4, 0xC3, 0xB2, 0xA1}));
  EXPECT_EQ(value_of(decode_offload_handle_slot(x64.view(), Abi::x64)), 0x1122334455667788ull);
  EXPECT_EQ(value_of(decode_offload_handle_slot(x86.view(), Abi::x86)), 0xA1B2C3D4u);
}

TEST(OobSlot, HandleBeyond32BitsDoesNotFitX86) {
  const OobError e1 = error_of(encode_offload_handle_slot(0x100000000ull, Abi::x86));
  EXPECT_EQ(e1.field, kSlot1 + ".Transmit.OffloadHandle");
  EXPECT_FALSE(e1.message.empty());
  const OobError e11 = error_of(encode_tunnel_handle_slot(0x8000000000000000ull, Abi::x86));
  EXPECT_EQ(e11.field, kSlot11 + ".Transmit.TunnelHandle");
  // The same values fit x64.
  EXPECT_EQ(value_of(encode_tunnel_handle_slot(0x8000000000000000ull, Abi::x64)).bytes[7], 0x80);
}

TEST(OobSlot, TunnelHandleIsLittleEndianPointer) {  // SEND-002
  const NblSlot s = value_of(encode_tunnel_handle_slot(0x22, Abi::x64));
  EXPECT_EQ(bytes_of(s), (std::vector<uint8_t>{0x22, 0, 0, 0, 0, 0, 0, 0}));
  EXPECT_EQ(value_of(decode_tunnel_handle_slot(s.view(), Abi::x64)), 0x22u);
}

TEST(OobSlot, DecodersRefuseAnyOtherLength) {
  const std::vector<uint8_t> eight(8, 0), four(4, 0), seven(7, 0);
  const std::span<const uint8_t> empty;
  EXPECT_EQ(error_of(decode_offload_handle_slot(four, Abi::x64)).field,
            kSlot1 + ".Transmit.OffloadHandle");
  EXPECT_EQ(error_of(decode_offload_handle_slot(eight, Abi::x86)).field,
            kSlot1 + ".Transmit.OffloadHandle");
  EXPECT_EQ(error_of(decode_tunnel_handle_slot(seven, Abi::x64)).field,
            kSlot11 + ".Transmit.TunnelHandle");
  EXPECT_EQ(error_of(decode_receive_info_slot(empty, Abi::x86)).field, kSlot1 + ".Receive");
  EXPECT_EQ(error_of(decode_header_info_slot(four, Abi::x64)).field, kSlot12);
  EXPECT_EQ(error_of(decode_header_info_slot(eight, Abi::x86)).field, kSlot12);
  const OobError e = error_of(decode_offload_handle_slot(seven, Abi::x64));
  EXPECT_NE(e.message.find("7 bytes"), std::string::npos) << e.message;
  EXPECT_NE(e.message.find("8 bytes on x64"), std::string::npos) << e.message;
}

TEST(OobSlot, ReceiveSlotKeepsX64UpperBytes) {  // OQ-24: bytes 4-7 must stay visible to checks
  const std::vector<uint8_t> slot{0x02, 0x00, 0x03, 0x00, 0x01, 0x00, 0x00, 0x00};
  EXPECT_EQ(value_of(decode_receive_info_slot(slot, Abi::x64)), 0x0000000100030002ull);
  const std::vector<uint8_t> slot86{0x02, 0x00, 0x03, 0x00};
  EXPECT_EQ(value_of(decode_receive_info_slot(slot86, Abi::x86)), 0x00030002u);
  EXPECT_EQ(bytes_of(value_of(encode_receive_info_slot(0x0000000100030002ull, Abi::x64))), slot);
  EXPECT_EQ(error_of(encode_receive_info_slot(0x0000000100030002ull, Abi::x86)).field,
            kSlot1 + ".Receive");
}

TEST(OobSlot, HeaderSlotIsFourBytesInPointerSlot) {  // 3.10: one ULONG in a pointer-sized slot
  const NblSlot x64 = encode_header_info_slot(0x05000232u, Abi::x64);
  EXPECT_EQ(bytes_of(x64), (std::vector<uint8_t>{0x32, 0x02, 0x00, 0x05, 0, 0, 0, 0}));
  const NblSlot x86 = encode_header_info_slot(0x05000232u, Abi::x86);
  EXPECT_EQ(bytes_of(x86), (std::vector<uint8_t>{0x32, 0x02, 0x00, 0x05}));
  EXPECT_EQ(value_of(decode_header_info_slot(x64.view(), Abi::x64)), 0x05000232u);
  EXPECT_EQ(value_of(decode_header_info_slot(x86.view(), Abi::x86)), 0x05000232u);
}

TEST(OobSlot, HeaderSlotRefusesX64BytesOutsideTheStructure) {
  for (size_t i = 4; i < 8; ++i) {
    std::vector<uint8_t> slot{0x32, 0x02, 0x00, 0x05, 0, 0, 0, 0};
    slot[i] = 0x01;
    const OobError e = error_of(decode_header_info_slot(slot, Abi::x64));
    EXPECT_EQ(e.field, kSlot12) << i;
    EXPECT_NE(e.message.find("bytes 4-7"), std::string::npos) << e.message;
  }
}

TEST(OobSlot, SendViewRoundTripsAndLeavesLsoOut) {
  SendOob oob;
  oob.offload_handle = 0x1001;
  oob.tunnel_handle = 0x2002;
  oob.header_info = 0x05000232u;
  oob.lso_mss = 1400;
  for (Abi abi : {Abi::x64, Abi::x86}) {
    const SendOobSlots s = value_of(encode_send_oob(oob, abi));
    EXPECT_EQ(static_cast<size_t>(s.offload_handle.size), nbl_info_slot_size(abi));
    EXPECT_EQ(s.offload_handle.bytes[0], 0x01);
    EXPECT_EQ(s.offload_handle.bytes[1], 0x10);
    EXPECT_EQ(s.tunnel_handle.bytes[1], 0x20);
    EXPECT_EQ(s.header_info.bytes[0], 0x32);
    const SendOob back = value_of(
        decode_send_oob(s.offload_handle.view(), s.tunnel_handle.view(), s.header_info.view(), abi));
    EXPECT_EQ(back.offload_handle, 0x1001u);
    EXPECT_EQ(back.tunnel_handle, 0x2002u);
    EXPECT_EQ(back.header_info, 0x05000232u);
    EXPECT_EQ(back.lso_mss, 0u);  // slot 2 is not one of the IPsec slots
  }
  oob.tunnel_handle = 0x100000000ull;
  EXPECT_EQ(error_of(encode_send_oob(oob, Abi::x86)).field, kSlot11 + ".Transmit.TunnelHandle");
}

TEST(OobSlot, DecodeSendOobNamesTheBadSlot) {
  const std::vector<uint8_t> good(8, 0), bad(3, 0);
  EXPECT_EQ(error_of(decode_send_oob(bad, good, good, Abi::x64)).field,
            kSlot1 + ".Transmit.OffloadHandle");
  EXPECT_EQ(error_of(decode_send_oob(good, bad, good, Abi::x64)).field,
            kSlot11 + ".Transmit.TunnelHandle");
  EXPECT_EQ(error_of(decode_send_oob(good, good, bad, Abi::x64)).field, kSlot12);
}

TEST(OobSlot, ReceiveViewRoundTrips) {
  const ReceiveOob oob = rx(0x00050003u, 0x00010232u);
  for (Abi abi : {Abi::x64, Abi::x86}) {
    const ReceiveOobSlots s = value_of(encode_receive_oob(oob, abi));
    const ReceiveOob back =
        value_of(decode_receive_oob(s.ipsec_info.view(), s.header_info.view(), abi));
    EXPECT_EQ(back.ipsec_info, 0x00050003u);
    EXPECT_EQ(back.header_info, 0x00010232u);
  }
  const std::vector<uint8_t> good(4, 0), bad(8, 0);
  EXPECT_EQ(error_of(decode_receive_oob(bad, good, Abi::x86)).field, kSlot1 + ".Receive");
  EXPECT_EQ(error_of(decode_receive_oob(good, bad, Abi::x86)).field, kSlot12);
  EXPECT_EQ(error_of(encode_receive_oob(rx(1ull << 40, 0), Abi::x86)).field, kSlot1 + ".Receive");
}

// ------------------------------------------------------------------ send header fields

TEST(OobSendHeader, EachFieldLandsOnItsMask) {  // 3.10 transmit table
  EXPECT_EQ(value_of(make_send_header_info(0xAB, 0, 0, 0)), 0x000000ABu);
  EXPECT_EQ(value_of(make_send_header_info(0, 0xCD, 0, 0)), 0x0000CD00u);
  EXPECT_EQ(value_of(make_send_header_info(0, 0, 1020, 0)), 0x00FF0000u);
  EXPECT_EQ(value_of(make_send_header_info(0, 0, 0, 1020)), 0xFF000000u);
  EXPECT_EQ(value_of(make_send_header_info(0, 0, 4, 0)), 0x00010000u);  // 4-byte units
  EXPECT_EQ(value_of(make_send_header_info(0, 0, 0, 4)), 0x01000000u);
}

TEST(OobSendHeader, TypicalTransportEspPacket) {  // SEND-003: IPv4 (20 bytes) then ESP
  // Next Header 6 (TCP), 2 pad bytes, no AH, ESP at byte 20 = 5 units.
  EXPECT_EQ(value_of(make_send_header_info(6, 2, 0, 20)), 0x05000206u);
  // AH at 20 (5 units), ESP after a 24-byte AH at 44 (11 units), Next Header 17 (UDP).
  EXPECT_EQ(value_of(make_send_header_info(17, 0, 20, 44)), 0x0B050011u);
}

TEST(OobSendHeader, OffsetNotMultipleOfFourIsRefused) {  // 3.10 consequence
  const OobError ah = error_of(make_send_header_info(6, 0, 22, 0));
  EXPECT_EQ(ah.field, kSlot12 + ".Transmit.AhHeaderOffset");
  EXPECT_NE(ah.message.find("multiple of 4"), std::string::npos) << ah.message;
  const OobError esp = error_of(make_send_header_info(6, 0, 0, 1019));
  EXPECT_EQ(esp.field, kSlot12 + ".Transmit.EspHeaderOffset");
  EXPECT_EQ(error_of(make_send_header_info(6, 0, 0, 2)).field, kSlot12 + ".Transmit.EspHeaderOffset");
}

TEST(OobSendHeader, OffsetBeyond1020IsRefused) {  // 3.10 consequence: 255 units * 4
  const OobError ah = error_of(make_send_header_info(6, 0, 1024, 0));
  EXPECT_EQ(ah.field, kSlot12 + ".Transmit.AhHeaderOffset");
  EXPECT_NE(ah.message.find("1020"), std::string::npos) << ah.message;
  EXPECT_EQ(error_of(make_send_header_info(6, 0, 0, 1024)).field,
            kSlot12 + ".Transmit.EspHeaderOffset");
  EXPECT_EQ(error_of(make_send_header_info(6, 0, 0, 0xFFFFFFFCu)).field,
            kSlot12 + ".Transmit.EspHeaderOffset");
  EXPECT_EQ(kMaxHeaderOffsetBytes, 1020u);
}

TEST(OobSendHeader, DecodeSplitsAllFourFields) {
  const SendHeaderInfo h = decode_send_header_info(0x12345678u);
  EXPECT_EQ(h.next_header, 0x78);
  EXPECT_EQ(h.pad_length, 0x56);
  EXPECT_EQ(h.ah_offset_bytes, 0x34 * 4);
  EXPECT_EQ(h.esp_offset_bytes, 0x12 * 4);
  EXPECT_EQ(decode_send_header_info(0xFF000000u).esp_offset_bytes, 1020);
  EXPECT_EQ(decode_send_header_info(0xFF000000u).ah_offset_bytes, 0);
  EXPECT_EQ(decode_send_header_info(0x00FF0000u).ah_offset_bytes, 1020);
  EXPECT_EQ(decode_send_header_info(0x0000FF00u), (SendHeaderInfo{0, 0xFF, 0, 0}));
  EXPECT_EQ(decode_send_header_info(0x000000FFu), (SendHeaderInfo{0xFF, 0, 0, 0}));
}

TEST(OobSendHeader, BuildDecodeRoundTripOverEveryAlignedOffset) {
  for (uint32_t off = 0; off <= 1020; off += 4) {
    const uint32_t w = value_of(make_send_header_info(50, 3, off, 1020 - off));
    const SendHeaderInfo h = decode_send_header_info(w);
    ASSERT_EQ(h.ah_offset_bytes, off);
    ASSERT_EQ(h.esp_offset_bytes, 1020 - off);
    ASSERT_EQ(h.next_header, 50);
    ASSERT_EQ(h.pad_length, 3);
  }
}

// ------------------------------------------------------------------ receive fields

TEST(OobReceive, EachFieldLandsOnItsMask) {  // 3.10 receive table, RECV-020
  EXPECT_EQ(make_receive_info({.sa_delete_req = true}), 0x00000001u);
  EXPECT_EQ(make_receive_info({.crypto_done = true}), 0x00000002u);
  EXPECT_EQ(make_receive_info({.next_crypto_done = true}), 0x00000004u);
  EXPECT_EQ(make_receive_info({.crypto_status = CRYPTO_INVALID_PROTOCOL}), 0x00070000u);
  EXPECT_EQ(make_receive_info({.crypto_status = 0xFFFF}), 0xFFFF0000u);
  EXPECT_EQ(make_receive_info({.crypto_done = true, .crypto_status = CRYPTO_TRANSPORT_ESP_AUTH_FAILED}),
            0x00030002u);
}

TEST(OobReceive, DecodeSeparatesDeclaredAndStrayBits) {
  const DecodedReceiveInfo all = decode_receive_info(0xFFFFFFFFFFFFFFFFull);
  EXPECT_TRUE(all.fields.sa_delete_req);
  EXPECT_TRUE(all.fields.crypto_done);
  EXPECT_TRUE(all.fields.next_crypto_done);
  EXPECT_EQ(all.fields.crypto_status, 0xFFFF);
  EXPECT_EQ(all.reserved_bits, 0x0000FFF8u);
  EXPECT_EQ(all.slot_upper, 0xFFFFFFFFu);

  const DecodedReceiveInfo reserved = decode_receive_info(0x0000FFF8u);
  EXPECT_EQ(reserved.fields, ReceiveInfo{});
  EXPECT_EQ(reserved.reserved_bits, 0x0000FFF8u);
  EXPECT_EQ(reserved.slot_upper, 0u);

  const DecodedReceiveInfo status = decode_receive_info(0x00060000u);
  EXPECT_EQ(status.fields.crypto_status, CRYPTO_INVALID_PACKET_SYNTAX);
  EXPECT_FALSE(status.fields.crypto_done);
  EXPECT_EQ(status.reserved_bits, 0u);
}

TEST(OobReceive, DecodeAgreesWithModelAccessors) {  // model.h ReceiveOob is the other reader
  for (uint64_t w : {0x0ull, 0x1ull, 0x2ull, 0x4ull, 0x00030002ull, 0xFFFF0007ull,
                     0x123456789ABCDEF0ull}) {
    const ReceiveOob oob = rx(w, 0x00010000u);
    const DecodedReceiveInfo d = decode_receive_info(w);
    EXPECT_EQ(d.fields.sa_delete_req, oob.sa_delete_req()) << w;
    EXPECT_EQ(d.fields.crypto_done, oob.crypto_done()) << w;
    EXPECT_EQ(d.fields.next_crypto_done, oob.next_crypto_done()) << w;
    EXPECT_EQ(d.fields.crypto_status, oob.crypto_status()) << w;
  }
}

TEST(OobReceive, RoundTripOverEveryDeclaredCombination) {
  for (int flags = 0; flags < 8; ++flags) {
    for (uint16_t status = 0; status <= 8; ++status) {
      const ReceiveInfo f{(flags & 1) != 0, (flags & 2) != 0, (flags & 4) != 0, status};
      const DecodedReceiveInfo d = decode_receive_info(make_receive_info(f));
      ASSERT_EQ(d.fields, f);
      ASSERT_EQ(d.reserved_bits, 0u);
      ASSERT_EQ(d.slot_upper, 0u);
    }
  }
}

TEST(OobReceiveHeader, EachFieldLandsOnItsMask) {  // 3.10 header receive table
  EXPECT_EQ(make_receive_header_info({.next_header = 0xAB}), 0x000000ABu);
  EXPECT_EQ(make_receive_header_info({.pad_length = 0xCD}), 0x0000CD00u);
  EXPECT_EQ(make_receive_header_info({.header_info_set = true}), 0x00010000u);
  EXPECT_EQ(make_receive_header_info({4, 2, true}), 0x00010204u);
}

TEST(OobReceiveHeader, DecodeSeparatesUndeclaredBits) {
  const DecodedReceiveHeaderInfo all = decode_receive_header_info(0xFFFFFFFFu);
  EXPECT_EQ(all.fields, (ReceiveHeaderInfo{0xFF, 0xFF, true}));
  EXPECT_EQ(all.undeclared_bits, 0xFFFE0000u);
  const DecodedReceiveHeaderInfo bit17 = decode_receive_header_info(0x00020000u);
  EXPECT_FALSE(bit17.fields.header_info_set);
  EXPECT_EQ(bit17.undeclared_bits, 0x00020000u);
  EXPECT_EQ(decode_receive_header_info(0x00010204u).fields, (ReceiveHeaderInfo{4, 2, true}));
}

TEST(OobReceiveHeader, MakeReceiveOobFillsBothSlots) {
  const ReceiveOob oob = make_receive_oob({.crypto_done = true}, {50, 4, true});
  EXPECT_EQ(oob.ipsec_info, 0x00000002u);
  EXPECT_EQ(oob.header_info, 0x00010432u);
}

// ------------------------------------------------------------------ receive checks

struct Expected {
  bool error;
  std::string requirement;
  std::string field;
};

void expect_findings(const ReceiveOob& oob, Abi abi, const std::vector<Expected>& want) {
  const std::vector<OobFinding> got = check_receive_oob(oob, abi);
  ASSERT_EQ(got.size(), want.size()) << describe_receive_oob(oob);
  for (size_t i = 0; i < want.size(); ++i) {
    EXPECT_EQ(got[i].error, want[i].error) << i << ": " << got[i].message;
    EXPECT_EQ(got[i].requirement, want[i].requirement) << i << ": " << got[i].message;
    EXPECT_EQ(got[i].field, want[i].field) << i << ": " << got[i].message;
    EXPECT_FALSE(got[i].message.empty()) << i;
  }
}

TEST(OobCheck, ConformingViewsHaveNoFindings) {
  const std::vector<ReceiveOob> good = {
      rx(0, 0),                                       // not processed, no header info
      rx(0x00000002u, 0x00010204u),                   // CryptoDone, success, header info set
      rx(0x00000006u, 0),                             // both payloads checked
      rx(0x00030002u, 0x00010000u),                   // ESP auth failure, HeaderInfoSet w/ zeros
      rx(0x00070002u, 0),                             // highest defined status
      rx(0x00000001u, 0),                             // SaDeleteReq alone (RECV-019)
      rx(0x00050003u, 0x0001FFFFu),                   // all declared header bits
  };
  for (Abi abi : {Abi::x64, Abi::x86}) {
    for (const ReceiveOob& oob : good) {
      const auto f = check_receive_oob(oob, abi);
      EXPECT_TRUE(f.empty()) << describe_receive_oob(oob) << ": " << f.front().message;
    }
  }
}

TEST(OobCheck, ReservedBitsAreAnError) {  // RECV-020, 3.10 bits 3-15
  for (uint64_t bitv : {0x00000008ull, 0x00000100ull, 0x00008000ull}) {
    for (Abi abi : {Abi::x64, Abi::x86}) {
      expect_findings(rx(0x00000002u | bitv, 0), abi,
                      {{true, "RECV-020", kSlot1 + ".Receive.Reserved"}});
    }
  }
}

TEST(OobCheck, X64UpperBytesAreAnError) {  // OQ-24, RECV-020
  for (int byte = 4; byte < 8; ++byte) {
    expect_findings(rx(0x00000002ull | (1ull << (8 * byte)), 0), Abi::x64,
                    {{true, "RECV-020", kSlot1 + "[bytes 4-7]"}});
  }
}

TEST(OobCheck, BitsBeyondX86SlotAreAnError) {
  expect_findings(rx(0x0000000100000002ull, 0), Abi::x86, {{true, "RECV-020", kSlot1}});
  const auto f = check_receive_oob(rx(0x0000000100000002ull, 0), Abi::x86);
  ASSERT_EQ(f.size(), 1u);
  EXPECT_NE(f[0].message.find("x86"), std::string::npos) << f[0].message;
}

TEST(OobCheck, NextCryptoDoneWithoutCryptoDoneIsAnError) {  // RECV-008
  for (Abi abi : {Abi::x64, Abi::x86}) {
    expect_findings(rx(0x00000004u, 0), abi,
                    {{true, "RECV-008", kSlot1 + ".Receive.NextCryptoDone"}});
  }
}

TEST(OobCheck, UndefinedCryptoStatusIsAnError) {  // RECV-009, 2.9 range 0..7
  for (uint64_t status : {8ull, 0x100ull, 0xFFFFull}) {
    expect_findings(rx(0x00000002u | (status << 16), 0), Abi::x64,
                    {{true, "RECV-009", kSlot1 + ".Receive.CryptoStatus"}});
  }
}

TEST(OobCheck, StatusWithoutCryptoDoneIsAWarning) {  // RECV-011 (SHOULD)
  for (uint64_t status = 1; status <= 7; ++status) {
    expect_findings(rx(status << 16, 0), Abi::x86,
                    {{false, "RECV-011", kSlot1 + ".Receive.CryptoStatus"}});
  }
  // An undefined status on an unprocessed packet breaks both.
  expect_findings(rx(9ull << 16, 0), Abi::x64,
                  {{true, "RECV-009", kSlot1 + ".Receive.CryptoStatus"},
                   {false, "RECV-011", kSlot1 + ".Receive.CryptoStatus"}});
}

TEST(OobCheck, UndeclaredHeaderBitsAreAnError) {  // 3.10 header bits 17-31 "write 0"
  for (uint32_t bitv : {0x00020000u, 0x00800000u, 0x80000000u}) {
    expect_findings(rx(0x00000002u, 0x00010204u | bitv), Abi::x64,
                    {{true, "RECV-016", kSlot12 + "[bits 17-31]"}});
  }
}

TEST(OobCheck, IgnoredHeaderFieldsAreAWarning) {  // RECV-016
  expect_findings(rx(0x00000002u, 0x00000004u), Abi::x64,
                  {{false, "RECV-016", kSlot12 + ".Receive.HeaderInfoSet"}});
  expect_findings(rx(0x00000002u, 0x00000200u), Abi::x86,
                  {{false, "RECV-016", kSlot12 + ".Receive.HeaderInfoSet"}});
  // The same fields with HeaderInfoSet = 1 are reported results: no finding.
  expect_findings(rx(0x00000002u, 0x00010204u), Abi::x64, {});
}

TEST(OobCheck, FindingsComeInDocumentedOrder) {
  // Everything wrong at once on x64.
  expect_findings(rx(0xFFFFFFFFFFFFFFFCull, 0xFFFE0204u), Abi::x64,
                  {{true, "RECV-020", kSlot1 + ".Receive.Reserved"},
                   {true, "RECV-020", kSlot1 + "[bytes 4-7]"},
                   {true, "RECV-008", kSlot1 + ".Receive.NextCryptoDone"},
                   {true, "RECV-009", kSlot1 + ".Receive.CryptoStatus"},
                   {false, "RECV-011", kSlot1 + ".Receive.CryptoStatus"},
                   {true, "RECV-016", kSlot12 + "[bits 17-31]"},
                   {false, "RECV-016", kSlot12 + ".Receive.HeaderInfoSet"}});
}

// ------------------------------------------------------------------ printing

TEST(OobDescribe, ReceiveViewLine) {
  EXPECT_EQ(describe_receive_oob(rx(0x00030002u, 0x00010204u)),
            "CryptoDone=1 NextCryptoDone=0 SaDeleteReq=0 "
            "CryptoStatus=CRYPTO_TRANSPORT_ESP_AUTH_FAILED(3) HeaderInfoSet=1 NextHeader=4 "
            "PadLength=2");
  EXPECT_EQ(describe_receive_oob(rx(0x00000007u, 0)),
            "CryptoDone=1 NextCryptoDone=1 SaDeleteReq=1 CryptoStatus=CRYPTO_SUCCESS(0) "
            "HeaderInfoSet=0 NextHeader=0 PadLength=0");
  EXPECT_EQ(describe_receive_oob(rx(0x00090000u, 0)),
            "CryptoDone=0 NextCryptoDone=0 SaDeleteReq=0 CryptoStatus=UNKNOWN(9) "
            "HeaderInfoSet=0 NextHeader=0 PadLength=0");
}

TEST(OobDescribe, ReceiveViewShowsStrayBitsOnlyWhenSet) {
  EXPECT_EQ(describe_receive_oob(rx(0x0000000100060008ull, 0x00020000u)),
            "CryptoDone=0 NextCryptoDone=0 SaDeleteReq=0 "
            "CryptoStatus=CRYPTO_INVALID_PACKET_SYNTAX(6) HeaderInfoSet=0 NextHeader=0 "
            "PadLength=0 Reserved=0x0008 SlotUpper=0x00000001 HeaderUndeclared=0x00020000");
}

TEST(OobDescribe, SendViewLine) {
  SendOob oob;
  oob.offload_handle = 0x1001;
  oob.header_info = 0x05000204u;
  EXPECT_EQ(describe_send_oob(oob),
            "OffloadHandle=0x1001 TunnelHandle=0x0 NextHeader=4 PadLength=2 "
            "AhHeaderOffset=0(0B) EspHeaderOffset=5(20B) LsoMss=0");
  oob.tunnel_handle = 0xFFFFFFFFFFFFFFFFull;
  oob.header_info = 0x0B050011u;
  oob.lso_mss = 1400;
  EXPECT_EQ(describe_send_oob(oob),
            "OffloadHandle=0x1001 TunnelHandle=0xFFFFFFFFFFFFFFFF NextHeader=17 PadLength=0 "
            "AhHeaderOffset=5(20B) EspHeaderOffset=11(44B) LsoMss=1400");
}

}  // namespace
}  // namespace cts::ndis
