// softnic_test_support.h — the hand-built OID buffers, frames and the fixture that drive a
// softnic function table directly (softnic_test.cpp for softnic, softnic_full_test.cpp for
// softnic-full: each binary links one build, and ipsec_cts_softnic_vtable() is that build's).
//
// Independence: nothing here comes from softnic's own headers except the function table
// (softnic.h / dut.h). Structure offsets, constants and status values are typed in from the
// IPsecOV2 reference tables (the NDIS constants and the x64 structure layouts, oracle-independent).
#pragma once

#include <gtest/gtest.h>
#include <openssl/evp.h>
#include <openssl/hmac.h>

#include <algorithm>
#include <array>
#include <cstdint>
#include <cstring>
#include <functional>
#include <iostream>
#include <map>
#include <nlohmann/json.hpp>
#include <random>
#include <stdexcept>
#include <string>
#include <vector>

#include "duts/softnic/softnic.h"

namespace softnic_test {

using Bytes = std::vector<uint8_t>;

// ---- Spec constants (WDK headers) ----------------------------------------------------
constexpr uint32_t kOidAddSa = 0xFC030202u;
constexpr uint32_t kOidDeleteSa = 0xFC030203u;
constexpr uint32_t kOidUpdateSa = 0xFC030204u;
constexpr uint32_t kOidAddSaEx = 0xFC030205u;

constexpr uint32_t kSuccess = 0x00000000u;
constexpr uint32_t kFailure = 0xC0000001u;
constexpr uint32_t kInvalidParameter = 0xC000000Du;
constexpr uint32_t kResources = 0xC000009Au;
constexpr uint32_t kNotSupported = 0xC00000BBu;
constexpr uint32_t kInvalidLength = 0xC0010014u;
constexpr uint32_t kInvalidData = 0xC0010015u;
constexpr uint32_t kInvalidOid = 0xC0010017u;

constexpr uint32_t kFlagInbound = 0x1u;
constexpr uint32_t kFlagIpv6 = 0x10u;
constexpr uint32_t kSaFlagEsn = 0x1u;
constexpr uint32_t kOpAh = 1u;
constexpr uint32_t kOpEsp = 2u;

constexpr uint32_t kAuthMd5 = 0x1u;
constexpr uint32_t kAuthSha1 = 0x2u;
constexpr uint32_t kAuthSha256 = 0x4u;
constexpr uint32_t kEncNone = 0x1u;
constexpr uint32_t kEnc3Des = 0x4u;
constexpr uint32_t kEncGcm128 = 0x8u;
constexpr uint32_t kEncGcm192 = 0x10u;
constexpr uint32_t kEncGcm256 = 0x20u;
constexpr uint32_t kEncCbc128 = 0x40u;
constexpr uint32_t kEncCbc256 = 0x100u;

// CryptoStatus values and OOB bits.
constexpr uint32_t kCryptoSuccess = 0;
constexpr uint32_t kCryptoTransportEspAuthFailed = 3;
constexpr uint32_t kCryptoTunnelEspAuthFailed = 5;
constexpr uint32_t kCryptoInvalidPacketSyntax = 6;
constexpr uint64_t kRecvSaDeleteReq = 0x1u;
constexpr uint64_t kRecvCryptoDone = 0x2u;
constexpr uint64_t kRecvNextCryptoDone = 0x4u;
constexpr uint32_t kHdrInfoSet = 0x00010000u;

// ---- x64 layouts (3.4 - 3.9) ------------------------------------------------------------------
namespace add_sa {  // IPSEC_OFFLOAD_V2_ADD_SA
constexpr size_t kNext = 8, kNumExtHdrs = 16, kFlags = 20, kSrc = 24, kDst4 = 28, kDst6 = 40,
                 kHandle = 56, kUdpEsp = 64, kSecAssoc0 = 68, kSecAssoc1 = 116, kKeyLength = 164,
                 kKeyData = 168, kNdisSize = 169;
}
namespace add_sa_ex {  // IPSEC_OFFLOAD_V2_ADD_SA_EX
constexpr size_t kNumExtHdrs = 4, kFlags = 8, kSrc = 12, kDst4 = 16, kDst6 = 28, kHandle = 48,
                 kUdpEsp = 56, kSecAssoc0 = 60, kSecAssoc1 = 108, kKeyLength = 156,
                 kKeyOffset = 160, kNdisSize = 170, kSizeof = 176;
}
namespace sa {  // IPSEC_OFFLOAD_V2_SECURITY_ASSOCIATION, relative to SecAssoc[i]
constexpr size_t kFlags = 0, kOperation = 4, kSpi = 8, kAuth = 12, kEnc = 28, kSeqHigh = 44;
}
namespace alg {  // IPSEC_OFFLOAD_V2_ALGORITHM_INFO
constexpr size_t kIdentifier = 0, kKeyLength = 4, kKeyOffset = 8, kAdditionalInfo = 12;
}
namespace del {  // IPSEC_OFFLOAD_V2_DELETE_SA
constexpr size_t kNext = 8, kHandle = 16, kSize = 24;
}
namespace upd {  // IPSEC_OFFLOAD_V2_UPDATE_SA
constexpr size_t kHandle = 8, kOperation = 16, kSpi = 20, kSeqHigh = 24, kSize = 28;
}

// ---- Byte helpers -------------------------------------------------------------------------------
// Bounds-checked little-endian stores and loads (x64 is little-endian, 1. in the spec).
inline void store(Bytes& b, size_t at, const void* v, size_t n) {
  if (at > b.size() || b.size() - at < n) throw std::out_of_range("test buffer too small");
  std::memcpy(b.data() + at, v, n);
}
inline void put8(Bytes& b, size_t at, uint8_t v) { store(b, at, &v, 1); }
inline void put16(Bytes& b, size_t at, uint16_t v) { store(b, at, &v, 2); }
inline void put32(Bytes& b, size_t at, uint32_t v) { store(b, at, &v, 4); }
inline void put64(Bytes& b, size_t at, uint64_t v) { store(b, at, &v, 8); }
inline uint64_t get64(const Bytes& b, size_t at) {
  if (at > b.size() || b.size() - at < 8) throw std::out_of_range("test buffer too small");
  uint64_t v = 0;
  std::memcpy(&v, b.data() + at, 8);
  return v;
}

inline Bytes hex(const std::string& h) {
  Bytes out;
  for (size_t i = 0; i + 1 < h.size(); i += 2) {
    out.push_back(static_cast<uint8_t>(std::stoul(h.substr(i, 2), nullptr, 16)));
  }
  return out;
}

inline std::string to_hex(const uint8_t* p, size_t n) {
  static const char* d = "0123456789abcdef";
  std::string s;
  for (size_t i = 0; i < n; ++i) {
    s += d[p[i] >> 4];
    s += d[p[i] & 15];
  }
  return s;
}
inline std::string to_hex(const Bytes& b) { return to_hex(b.data(), b.size()); }

inline Bytes be32(uint32_t v) {
  return {static_cast<uint8_t>(v >> 24), static_cast<uint8_t>(v >> 16),
          static_cast<uint8_t>(v >> 8), static_cast<uint8_t>(v)};
}

inline Bytes concat(std::initializer_list<Bytes> parts) {
  Bytes out;
  for (const auto& p : parts) out.insert(out.end(), p.begin(), p.end());
  return out;
}

inline Bytes repeat(uint8_t v, size_t n) { return Bytes(n, v); }

// ---- SA descriptions and their encodings ---------------------------------------------------
struct SaDesc {
  uint32_t spi = 0x1000;
  uint32_t operation = kOpEsp;
  uint32_t enc_id = kEncGcm128;
  uint32_t auth_id = 0;
  Bytes enc_key = repeat(0x11, 20);  // AES-128 key || salt
  Bytes auth_key;
  uint32_t icv = 16;  // AdditionalInfo of a GCM EncryptionAlgorithm
  bool esn = false;
  uint32_t seq_high = 0;
};

struct BundleDesc {
  bool inbound = false;
  bool ipv6 = false;
  Bytes src = {10, 0, 0, 1};
  Bytes dst = {10, 0, 0, 2};
  SaDesc sa;
  uint16_t header_size = 0;  // 0: the documented NDIS_SIZEOF value
  uint32_t udp_esp = 0;      // UdpEspEncapsulation
  // Key block layout: `key_prefix` junk bytes, then the encryption key, then the HMAC key.
  size_t key_prefix = 0;
};

inline Bytes key_block(const BundleDesc& d) {
  return concat({repeat(0xEE, d.key_prefix), d.sa.enc_key, d.sa.auth_key});
}

// Writes the fields ADD_SA and ADD_SA_EX share; `base` maps the ADD_SA offsets of NumExtHdrs..
// SecAssoc onto the structure's (ADD_SA_EX has them 12 (header part) or 8 (handle part) lower).
inline void write_common(Bytes& b, size_t at, const BundleDesc& d, size_t num_ext, size_t flags,
                  size_t src, size_t dst4, size_t dst6, size_t udp, size_t sa0) {
  put32(b, at + num_ext, 1);
  put32(b, at + flags, (d.inbound ? kFlagInbound : 0u) | (d.ipv6 ? kFlagIpv6 : 0u));
  for (size_t i = 0; i < d.src.size(); ++i) put8(b, at + src + i, d.src[i]);
  for (size_t i = 0; i < d.dst.size(); ++i) put8(b, at + (d.ipv6 ? dst6 : dst4) + i, d.dst[i]);
  put32(b, at + udp, d.udp_esp);
  const size_t s = at + sa0;
  put32(b, s + sa::kFlags, d.sa.esn ? kSaFlagEsn : 0u);
  put32(b, s + sa::kOperation, d.sa.operation);
  put32(b, s + sa::kSpi, d.sa.spi);
  const uint32_t prefix = static_cast<uint32_t>(d.key_prefix);
  if (d.sa.enc_id != 0) {
    put32(b, s + sa::kEnc + alg::kIdentifier, d.sa.enc_id);
    put32(b, s + sa::kEnc + alg::kKeyLength, static_cast<uint32_t>(d.sa.enc_key.size()));
    put32(b, s + sa::kEnc + alg::kKeyOffset, prefix);
    put32(b, s + sa::kEnc + alg::kAdditionalInfo, d.sa.icv);
  }
  if (d.sa.auth_id != 0) {
    put32(b, s + sa::kAuth + alg::kIdentifier, d.sa.auth_id);
    put32(b, s + sa::kAuth + alg::kKeyLength, static_cast<uint32_t>(d.sa.auth_key.size()));
    put32(b, s + sa::kAuth + alg::kKeyOffset,
          prefix + static_cast<uint32_t>(d.sa.enc_key.size()));
  }
  put32(b, s + sa::kSeqHigh, d.sa.seq_high);
}

// One IPSEC_OFFLOAD_V2_ADD_SA_EX with its key block `gap` bytes after the structure.
inline Bytes encode_add_sa_ex(const BundleDesc& d, size_t gap = 0) {
  const Bytes keys = key_block(d);
  const size_t key_offset = add_sa_ex::kSizeof + gap;
  Bytes b(key_offset + keys.size(), 0);
  put8(b, 0, 0x80);
  put8(b, 1, 1);
  put16(b, 2, d.header_size ? d.header_size : static_cast<uint16_t>(add_sa_ex::kNdisSize));
  write_common(b, 0, d, add_sa_ex::kNumExtHdrs, add_sa_ex::kFlags, add_sa_ex::kSrc,
               add_sa_ex::kDst4, add_sa_ex::kDst6, add_sa_ex::kUdpEsp, add_sa_ex::kSecAssoc0);
  put32(b, add_sa_ex::kKeyLength, static_cast<uint32_t>(keys.size()));
  put32(b, add_sa_ex::kKeyOffset, static_cast<uint32_t>(key_offset));
  std::copy(keys.begin(), keys.end(), b.begin() + static_cast<std::ptrdiff_t>(key_offset));
  return b;
}

// An ADD_SA list laid out in one buffer, elements 8-byte aligned, Next pointers live.
struct AddSaList {
  Bytes buffer;
  std::vector<size_t> offsets;

  uint64_t handle(size_t i) const { return get64(buffer, offsets.at(i) + add_sa::kHandle); }
  uint64_t address_of(size_t offset) const {
    return static_cast<uint64_t>(reinterpret_cast<uintptr_t>(buffer.data() + offset));
  }
  void link(size_t from, size_t to_offset) {  // element `from`.Next = buffer + to_offset
    put64(buffer, offsets.at(from) + add_sa::kNext, address_of(to_offset));
  }
  void link_raw(size_t from, uint64_t value) {
    put64(buffer, offsets.at(from) + add_sa::kNext, value);
  }
};

inline AddSaList encode_add_sa(const std::vector<BundleDesc>& list, const std::vector<size_t>& order = {}) {
  AddSaList out;
  size_t total = 0;
  std::vector<Bytes> keys;
  for (const auto& d : list) {
    keys.push_back(key_block(d));
    out.offsets.push_back(total);
    total += (add_sa::kKeyData + keys.back().size() + 7u) & ~size_t{7};
  }
  out.buffer.assign(total, 0);
  for (size_t i = 0; i < list.size(); ++i) {
    const auto& d = list[i];
    const size_t at = out.offsets[i];
    put8(out.buffer, at, 0x80);
    put8(out.buffer, at + 1, 1);
    put16(out.buffer, at + 2,
          d.header_size ? d.header_size : static_cast<uint16_t>(add_sa::kNdisSize));
    write_common(out.buffer, at, d, add_sa::kNumExtHdrs, add_sa::kFlags, add_sa::kSrc,
                 add_sa::kDst4, add_sa::kDst6, add_sa::kUdpEsp, add_sa::kSecAssoc0);
    put32(out.buffer, at + add_sa::kKeyLength, static_cast<uint32_t>(keys[i].size()));
    std::copy(keys[i].begin(), keys[i].end(),
              out.buffer.begin() + static_cast<std::ptrdiff_t>(at + add_sa::kKeyData));
  }
  // Visit order: by default element i links to i+1. `order` lists element indexes in list order.
  std::vector<size_t> seq = order;
  if (seq.empty()) {
    for (size_t i = 0; i < list.size(); ++i) seq.push_back(i);
  }
  for (size_t k = 0; k + 1 < seq.size(); ++k) out.link(seq[k], out.offsets[seq[k + 1]]);
  return out;
}

inline Bytes encode_delete(const std::vector<uint64_t>& handles) {
  Bytes b(handles.size() * del::kSize, 0);
  for (size_t i = 0; i < handles.size(); ++i) {
    const size_t at = i * del::kSize;
    put8(b, at, 0x80);
    put8(b, at + 1, 1);
    put16(b, at + 2, static_cast<uint16_t>(del::kSize));
    put64(b, at + del::kHandle, handles[i]);
  }
  for (size_t i = 0; i + 1 < handles.size(); ++i) {
    put64(b, i * del::kSize + del::kNext,
          static_cast<uint64_t>(reinterpret_cast<uintptr_t>(b.data() + (i + 1) * del::kSize)));
  }
  return b;
}

inline Bytes encode_update(uint64_t handle, uint32_t spi, uint32_t high, uint32_t operation = kOpEsp) {
  Bytes b(32, 0);  // sizeof 32; the documented Size is 28
  put8(b, 0, 0x80);
  put8(b, 1, 1);
  put16(b, 2, static_cast<uint16_t>(upd::kSize));
  put64(b, upd::kHandle, handle);
  put32(b, upd::kOperation, operation);
  put32(b, upd::kSpi, spi);
  put32(b, upd::kSeqHigh, high);
  return b;
}

// Ready-made SAs.
inline SaDesc gcm128(uint32_t spi, Bytes key_salt = repeat(0x11, 20)) {
  SaDesc s;
  s.spi = spi;
  s.enc_id = kEncGcm128;
  s.enc_key = std::move(key_salt);
  return s;
}
inline SaDesc cbc_hmac(uint32_t spi, uint32_t auth, Bytes enc_key, Bytes auth_key) {
  SaDesc s;
  s.spi = spi;
  s.enc_id = kEncCbc128;
  s.auth_id = auth;
  s.enc_key = std::move(enc_key);
  s.auth_key = std::move(auth_key);
  s.icv = 0;
  return s;
}

// ---- Frames -----------------------------------------------------------------------------------
inline const Bytes kEthIpv4 = hex("0200000000010200000000020800");
inline const Bytes kEthIpv6 = hex("02000000000102000000000286dd");

inline uint16_t ipv4_checksum(const uint8_t* h, size_t n) {
  uint32_t sum = 0;
  for (size_t i = 0; i + 1 < n; i += 2) sum += static_cast<uint32_t>((h[i] << 8) | h[i + 1]);
  while (sum >> 16) sum = (sum & 0xFFFFu) + (sum >> 16);
  return static_cast<uint16_t>(~sum);
}

// ESP as the transport frames it (OQ-16): SPI, low sequence number, IV space, payload,
// padding 1..p, Pad Length, Next Header, ICV space.
inline Bytes esp_framed(uint32_t spi, uint32_t seq, size_t iv_len, const Bytes& payload, uint8_t nh,
                 size_t block, size_t icv_len) {
  size_t pad = 0;
  while ((payload.size() + pad + 2) % block != 0) ++pad;
  Bytes trailer;
  for (size_t i = 1; i <= pad; ++i) trailer.push_back(static_cast<uint8_t>(i));
  trailer.push_back(static_cast<uint8_t>(pad));
  trailer.push_back(nh);
  return concat({be32(spi), be32(seq), repeat(0, iv_len), payload, trailer, repeat(0, icv_len)});
}

inline Bytes ipv4_frame(const Bytes& src, const Bytes& dst, const Bytes& l4, uint8_t proto = 50) {
  Bytes ip = hex("450000000000400040000000");
  const size_t total = 20 + l4.size();
  ip[2] = static_cast<uint8_t>(total >> 8);
  ip[3] = static_cast<uint8_t>(total);
  ip[9] = proto;
  ip = concat({ip, src, dst});
  const uint16_t c = ipv4_checksum(ip.data(), ip.size());
  ip[10] = static_cast<uint8_t>(c >> 8);
  ip[11] = static_cast<uint8_t>(c);
  return concat({kEthIpv4, ip, l4});
}

// IPv6 with a Destination Options header (8 bytes, PadN) in front of ESP.
inline Bytes ipv6_frame_with_dstopts(const Bytes& src, const Bytes& dst, const Bytes& esp) {
  const size_t plen = 8 + esp.size();
  Bytes ip = {0x60, 0, 0, 0, static_cast<uint8_t>(plen >> 8), static_cast<uint8_t>(plen), 60, 64};
  const Bytes dstopts = {50, 0, 1, 4, 0, 0, 0, 0};  // Next Header ESP, length 0 (8 bytes), PadN
  return concat({kEthIpv6, ip, src, dst, dstopts, esp});
}

// IPv6 with ESP right after the fixed header.
inline Bytes ipv6_frame(const Bytes& src, const Bytes& dst, const Bytes& esp) {
  Bytes ip = {0x60, 0, 0, 0, static_cast<uint8_t>(esp.size() >> 8),
              static_cast<uint8_t>(esp.size()), 50, 64};
  return concat({kEthIpv6, ip, src, dst, esp});
}

constexpr uint32_t esp_offset_units(size_t ip_bytes_before_esp) {
  return static_cast<uint32_t>(ip_bytes_before_esp / 4) << 24;
}

// ---- The device under test -------------------------------------------------------------------
struct OidResult {
  uint32_t status = 0xFFFFFFFFu;
  uint32_t bytes_read = 0;
  uint32_t bytes_needed = 0;
};

struct SendResult {
  uint32_t completion = 0xFFFFFFFFu;
  std::vector<Bytes> frames;
};

struct RecvResult {
  uint32_t indicated = 0;
  uint64_t info = 0;
  uint32_t header = 0;
  Bytes frame;
  uint32_t crypto_status() const { return static_cast<uint32_t>((info >> 16) & 0xFFFF); }
};

class Softnic : public ::testing::Test {
 protected:
  void SetUp() override {
    vt_ = ipsec_cts_softnic_vtable();
    ASSERT_NE(vt_, nullptr);
    char err[256] = "";
    ASSERT_EQ(vt_->open("{}", &dut_, err, sizeof(err)), IPSEC_CTS_OK) << err;
    ASSERT_NE(dut_, nullptr);
  }
  void TearDown() override {
    if (dut_ != nullptr) vt_->close(dut_);
  }

  std::string last_error() { return vt_->last_error(dut_); }

  // Closes the device and opens a fresh one with `config`.
  void reopen(const char* config) {
    vt_->close(dut_);
    dut_ = nullptr;
    char err[256] = "";
    ASSERT_EQ(vt_->open(config, &dut_, err, sizeof(err)), IPSEC_CTS_OK) << err;
  }

  OidResult oid(uint32_t id, Bytes& buffer) {
    OidResult r;
    EXPECT_EQ(vt_->oid_set(dut_, id, buffer.data(), static_cast<uint32_t>(buffer.size()),
                           &r.status, &r.bytes_read, &r.bytes_needed),
              IPSEC_CTS_OK)
        << last_error();
    return r;
  }
  OidResult oid_len(uint32_t id, Bytes& buffer, uint32_t length) {
    OidResult r;
    EXPECT_EQ(vt_->oid_set(dut_, id, buffer.data(), length, &r.status, &r.bytes_read,
                           &r.bytes_needed),
              IPSEC_CTS_OK);
    return r;
  }

  // ADD_SA_EX of one bundle; returns the handle (0 when the add failed).
  uint64_t add(const BundleDesc& d, uint32_t expect = kSuccess) {
    Bytes b = encode_add_sa_ex(d);
    put64(b, add_sa_ex::kHandle, 0xDEADBEEFDEADBEEFull);  // must be overwritten either way
    const OidResult r = oid(kOidAddSaEx, b);
    EXPECT_EQ(r.status, expect) << last_error();
    const uint64_t h = get64(b, add_sa_ex::kHandle);
    if (expect == kSuccess) {
      EXPECT_NE(h, 0u);
    } else {
      EXPECT_EQ(h, 0u) << "a failed ADD_SA_EX must leave a NULL OffloadHandle (ADDEX-004)";
    }
    return h;
  }

  void remove(const std::vector<uint64_t>& handles) {
    Bytes b = encode_delete(handles);
    EXPECT_EQ(oid(kOidDeleteSa, b).status, kSuccess);
  }

  uint32_t update(uint64_t handle, uint32_t spi, uint32_t high, uint32_t op = kOpEsp) {
    Bytes b = encode_update(handle, spi, high, op);
    return oid(kOidUpdateSa, b).status;
  }

  nlohmann::json dump() {
    size_t needed = 0;
    std::string text(1 << 20, '\0');
    EXPECT_EQ(vt_->dump(dut_, text.data(), text.size(), &needed), IPSEC_CTS_OK) << last_error();
    text.resize(needed - 1);
    return nlohmann::json::parse(text);
  }
  size_t bundle_count() { return dump()["bundles"].size(); }

  SendResult send(const Bytes& frame, uint64_t handle, uint32_t header_info) {
    SendResult r;
    Bytes data(frame.size() + 256);
    std::vector<size_t> lengths(4, 0);
    ipsec_cts_frame_list list{data.data(), data.size(), lengths.data(), 4, 0};
    ipsec_cts_send_oob oob{handle, 0, header_info, 0};
    EXPECT_EQ(vt_->send(dut_, frame.data(), frame.size(), &oob, &list, &r.completion),
              IPSEC_CTS_OK)
        << last_error();
    size_t at = 0;
    for (uint32_t i = 0; i < list.frame_count; ++i) {
      r.frames.emplace_back(data.begin() + static_cast<std::ptrdiff_t>(at),
                            data.begin() + static_cast<std::ptrdiff_t>(at + lengths[i]));
      at += lengths[i];
    }
    return r;
  }

  RecvResult receive(const Bytes& frame) {
    RecvResult r;
    Bytes out(frame.size() + 64, 0xA5);
    size_t out_len = 0;
    ipsec_cts_receive_result res{};
    EXPECT_EQ(vt_->receive(dut_, frame.data(), frame.size(), out.data(), out.size(), &out_len,
                           &res),
              IPSEC_CTS_OK)
        << last_error();
    r.indicated = res.indicated;
    r.info = res.ipsec_info;
    r.header = res.header_info;
    out.resize(out_len);
    r.frame = out;
    return r;
  }

  const ipsec_cts_dut_vtable* vt_ = nullptr;
  ipsec_cts_dut* dut_ = nullptr;
};

inline BundleDesc outbound(SaDesc s) {
  BundleDesc d;
  d.sa = std::move(s);
  return d;
}
inline BundleDesc inbound(SaDesc s) {
  BundleDesc d;
  d.inbound = true;
  d.sa = std::move(s);
  return d;
}

}  // namespace softnic_test
