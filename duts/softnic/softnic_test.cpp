// softnic_test.cpp — drives the softnic function table directly, the way the runner's plugin
// adapter does, with OID buffers and frames built by hand in this file.
//
// Independence: nothing here comes from softnic's own headers except the function table
// (softnic.h / dut.h). Structure offsets, constants and status values are typed in from the
// IPsecOV2 reference tables (the NDIS constants and the x64 structure layouts, oracle-independent); expected
// cryptographic outputs come from published known-answer vectors or from a second
// implementation (noted where used). No oracle code is involved: softnic is a vendor example.

#include "duts/softnic/softnic_test_support.h"

namespace {

using namespace softnic_test;

// ================================================================================================
// Entry point and capabilities

TEST(SoftnicEntry, ServesAbiVersionOneOnly) {
  const ipsec_cts_dut_vtable* vt = ipsec_cts_dut_entry(IPSEC_CTS_DUT_ABI_VERSION);
  ASSERT_NE(vt, nullptr);
  EXPECT_EQ(vt, ipsec_cts_softnic_vtable());
  EXPECT_EQ(vt->abi_version, 1u);
  EXPECT_EQ(vt->struct_size, sizeof(ipsec_cts_dut_vtable));
  EXPECT_STREQ(vt->name, "softnic");
  EXPECT_NE(vt->dump, nullptr);
  EXPECT_NE(vt->request_sa_delete, nullptr);
  EXPECT_EQ(ipsec_cts_dut_entry(2), nullptr);
  EXPECT_EQ(ipsec_cts_dut_entry(0), nullptr);
}

TEST(SoftnicEntry, OpenRejectsAConfigThatIsNotAnObject) {
  const ipsec_cts_dut_vtable* vt = ipsec_cts_softnic_vtable();
  ipsec_cts_dut* dut = reinterpret_cast<ipsec_cts_dut*>(1);
  char err[128] = "";
  EXPECT_EQ(vt->open("not json", &dut, err, sizeof(err)), IPSEC_CTS_ERR_INVALID_ARGUMENT);
  EXPECT_EQ(dut, nullptr);
  EXPECT_NE(std::string(err).find("JSON object"), std::string::npos) << err;
  ASSERT_EQ(vt->open(" {\"unknown\": 1} ", &dut, err, sizeof(err)), IPSEC_CTS_OK);
  vt->close(dut);
}

TEST(SoftnicEntry, ConfigKeysAreCheckedAndOthersIgnored) {
  const ipsec_cts_dut_vtable* vt = ipsec_cts_softnic_vtable();
  struct Case {
    const char* json;
    bool ok;
    const char* error_part;
  };
  const Case cases[] = {
      {nullptr, true, ""},
      {"{}", true, ""},
      {"{\"other\": [1, {\"x\": \"y\"}, null], \"ipv6_extension_headers\": true}", true, ""},
      {"{\"ipv4_options\": false, \"ipv6_extension_headers\": false}", true, ""},
      {"{\"ipv4_options\": 1}", false, "\"ipv4_options\" must be true or false"},
      {"{\"ipv4_options\": true,}", false, "expected a string"},
      {"{} trailing", false, "text after"},
      {"{\"a\": \"unterminated}", false, "unterminated"},
      {"[]", false, "not a JSON object"},
      {"{\"total_bundles\": 1048576}", true, ""},
      {"{\"total_bundles\": 0}", false, "\"total_bundles\" must be a whole number from 1 to 16777216"},
      {"{\"inbound_bundles\": 1.5}", false, "\"inbound_bundles\" must be a whole number"},
      {"{\"outbound_bundles\": -3}", false, "\"outbound_bundles\" must be a whole number"},
      {"{\"inbound_destination_addresses\": 16777217}", false, "must be a whole number from 1"},
  };
  for (const auto& c : cases) {
    ipsec_cts_dut* dut = nullptr;
    char err[160] = "";
    const ipsec_cts_result r = vt->open(c.json, &dut, err, sizeof(err));
    EXPECT_EQ(r == IPSEC_CTS_OK, c.ok) << (c.json ? c.json : "NULL") << ": " << err;
    if (dut != nullptr) vt->close(dut);
    if (!c.ok) {
      EXPECT_EQ(dut, nullptr);
      EXPECT_NE(std::string(err).find(c.error_part), std::string::npos) << err;
    }
  }
}

// Capacities come from the open() configuration (softnic_config.h); the pools they name are the
// ones the device enforces: the N+1st inbound add fails with a NULL handle.
TEST_F(Softnic, CapacitiesComeFromTheOpenConfiguration) {
  struct Want {
    const char* json;
    uint32_t total, inbound, outbound, dests;
  };
  const Want wants[] = {
      {"{}", 2048, 1024, 1024, 128},
      {"{\"total_bundles\": 3000}", 3000, 3000, 3000, 3000},
      {"{\"inbound_bundles\": 5, \"outbound_bundles\": 7, \"inbound_destination_addresses\": 2}", 12, 5, 7, 2},
      {"{\"total_bundles\": 1048576, \"inbound_bundles\": 600000}", 1048576, 600000, 1048576, 1048576},
  };
  for (const Want& w : wants) {
    SCOPED_TRACE(w.json);
    reopen(w.json);
    ipsec_cts_capabilities caps{};
    caps.struct_size = sizeof(caps);
    ASSERT_EQ(vt_->query_capabilities(dut_, &caps), IPSEC_CTS_OK);
    uint32_t sa_capacity = 0;
    std::memcpy(&sa_capacity, caps.ipsec_offload_v2 + 28, 4);
    EXPECT_EQ(sa_capacity, w.total) << "SaOffloadCapacity";
    EXPECT_EQ(caps.inbound_bundle_capacity, w.inbound);
    EXPECT_EQ(caps.outbound_bundle_capacity, w.outbound);
    EXPECT_EQ(caps.inbound_dest_address_capacity, w.dests);
  }
}

TEST_F(Softnic, ReportsItsProfile) {
  ipsec_cts_capabilities caps{};
  caps.struct_size = sizeof(caps);
  ASSERT_EQ(vt_->query_capabilities(dut_, &caps), IPSEC_CTS_OK);
  const uint8_t* v2 = caps.ipsec_offload_v2;
  auto u32 = [&](size_t at) {
    uint32_t v;
    std::memcpy(&v, v2 + at, 4);
    return v;
  };
  EXPECT_EQ(u32(0), 0x2u) << "Encapsulation IEEE_802_3";
  EXPECT_EQ(v2[4], 1) << "IPv6Supported";
  EXPECT_EQ(v2[5], 0) << "IPv4Options (default, duts/profiles/softnic.json)";
  EXPECT_EQ(v2[6], 0) << "IPv6NonIPsecExtensionHeaders (default)";
  EXPECT_EQ(v2[7], 0) << "Ah";
  EXPECT_EQ(v2[8], 1) << "Esp";
  EXPECT_EQ(v2[9], 0) << "AhEspCombined";
  EXPECT_EQ(v2[10], 1) << "Transport";
  EXPECT_EQ(v2[11], 1) << "Tunnel (OQ-19)";
  EXPECT_EQ(v2[12], 0) << "TransportTunnelCombined";
  EXPECT_EQ(v2[13], 0) << "LsoSupported";
  EXPECT_EQ(v2[14], 1) << "ExtendedSequenceNumbers";
  EXPECT_EQ(v2[15], 0) << "padding";
  EXPECT_EQ(u32(16), 0u) << "UdpEsp";
  EXPECT_EQ(u32(20), kAuthSha1 | kAuthSha256);
  EXPECT_EQ(u32(24), kEncGcm128 | kEncGcm256 | kEncCbc128);
  EXPECT_EQ(u32(28), 2048u) << "SaOffloadCapacity";
  EXPECT_EQ(caps.inbound_bundle_capacity, 1024u);
  EXPECT_EQ(caps.outbound_bundle_capacity, 1024u);
  EXPECT_EQ(caps.inbound_dest_address_capacity, 128u);
  EXPECT_EQ(caps.gcm_key_includes_salt, 1u);
  EXPECT_EQ(caps.spi_min, 0u);
  EXPECT_EQ(caps.spi_max, 0u);

  ipsec_cts_capabilities small{};
  small.struct_size = 8;
  EXPECT_EQ(vt_->query_capabilities(dut_, &small), IPSEC_CTS_ERR_INVALID_ARGUMENT);
}

TEST_F(Softnic, UnknownOidIsInvalidOid) {
  Bytes b(64, 0);
  EXPECT_EQ(oid(0xFC010202u /* v1 ADD_SA */, b).status, kInvalidOid);
  EXPECT_NE(last_error().find("0xfc010202"), std::string::npos) << last_error();
}

// ================================================================================================
// ADD_SA_EX

TEST_F(Softnic, AddSaExReturnsAUniqueNonNullHandle) {
  const uint64_t a = add(outbound(gcm128(0x1001)));
  const uint64_t b = add(inbound(gcm128(0x1002)));
  EXPECT_NE(a, b);
  const auto j = dump();
  ASSERT_EQ(j["bundles"].size(), 2u);
  EXPECT_EQ(j["bundles"][0]["direction"], "outbound");
  EXPECT_EQ(j["bundles"][1]["direction"], "inbound");
  EXPECT_EQ(j["bundles"][1]["sas"][0]["spi"], 0x1002);
  EXPECT_EQ(j["bundles"][1]["sas"][0]["operation"], "esp");
  EXPECT_EQ(j["pools"]["inbound_bundles"]["used"], 1);
  EXPECT_EQ(j["pools"]["outbound_bundles"]["used"], 1);
  EXPECT_EQ(j["pools"]["inbound_destination_addresses"]["used"], 1);
  EXPECT_EQ(j["pools"]["total_bundles"]["capacity"], 2048);
}

TEST_F(Softnic, AddSaExAcceptsEveryAdvertisedAlgorithm) {
  SaDesc g256 = gcm128(0x2001, repeat(0x22, 36));
  g256.enc_id = kEncGcm256;
  add(outbound(g256));
  for (uint32_t icv : {8u, 12u, 16u}) {
    SaDesc g = gcm128(0x2100 + icv);
    g.icv = icv;
    add(inbound(g));
  }
  add(outbound(cbc_hmac(0x2002, kAuthSha1, repeat(1, 16), repeat(2, 20))));
  add(outbound(cbc_hmac(0x2003, kAuthSha256, repeat(1, 16), repeat(2, 32))));
  BundleDesc v6 = inbound(gcm128(0x2004));
  v6.ipv6 = true;
  v6.src = repeat(0x20, 16);
  v6.dst = repeat(0x30, 16);
  add(v6);
  EXPECT_EQ(bundle_count(), 7u);
}

TEST_F(Softnic, AddSaExHeaderChecksAreInvalidParameter) {
  struct Case {
    const char* name;
    std::function<void(Bytes&)> edit;
  };
  const Case cases[] = {
      {"Type 0x81", [](Bytes& b) { put8(b, 0, 0x81); }},
      {"Revision 0", [](Bytes& b) { put8(b, 1, 0); }},
      {"Size 169 (the ADD_SA value)", [](Bytes& b) { put16(b, 2, 169); }},
  };
  for (const auto& c : cases) {
    Bytes b = encode_add_sa_ex(outbound(gcm128(0x3001)));
    c.edit(b);
    EXPECT_EQ(oid(kOidAddSaEx, b).status, kInvalidParameter) << c.name;
    EXPECT_EQ(get64(b, add_sa_ex::kHandle), 0u) << c.name;
  }
  EXPECT_EQ(bundle_count(), 0u);
  // OQ-01: Size = sizeof (176) and Revision 2 are accepted.
  BundleDesc d = outbound(gcm128(0x3002));
  d.header_size = 176;
  add(d);
  Bytes b = encode_add_sa_ex(outbound(gcm128(0x3003)));
  put8(b, 1, 2);
  EXPECT_EQ(oid(kOidAddSaEx, b).status, kSuccess);
}

TEST_F(Softnic, AddSaExLengthAndKeyBlockChecks) {
  Bytes b = encode_add_sa_ex(outbound(gcm128(0x3101)));
  OidResult r = oid_len(kOidAddSaEx, b, 169);
  EXPECT_EQ(r.status, kInvalidLength);
  EXPECT_EQ(r.bytes_needed, 170u);

  // Key block running past the buffer: INVALID_LENGTH with the length it needs.
  b = encode_add_sa_ex(outbound(gcm128(0x3102)));
  r = oid_len(kOidAddSaEx, b, static_cast<uint32_t>(b.size() - 1));
  EXPECT_EQ(r.status, kInvalidLength);
  EXPECT_EQ(r.bytes_needed, b.size());
  EXPECT_EQ(get64(b, add_sa_ex::kHandle), 0u);

  // KeyOffset inside the structure (OQ-05).
  b = encode_add_sa_ex(outbound(gcm128(0x3103)));
  put32(b, add_sa_ex::kKeyOffset, 100);
  EXPECT_EQ(oid(kOidAddSaEx, b).status, kInvalidData);

  // KeyOffset overflowing 32 bits with KeyLength.
  b = encode_add_sa_ex(outbound(gcm128(0x3104)));
  put32(b, add_sa_ex::kKeyOffset, 0xFFFFFFF0u);
  r = oid(kOidAddSaEx, b);
  EXPECT_EQ(r.status, kInvalidLength);
  EXPECT_EQ(r.bytes_needed, 0xFFFFFFFFu);
  EXPECT_EQ(bundle_count(), 0u);

  // A gap between structure and key block, and a key at a non-zero KeyOffsetBytes, are fine.
  BundleDesc d = outbound(gcm128(0x3105));
  d.key_prefix = 12;
  Bytes g = encode_add_sa_ex(d, 24);
  r = oid(kOidAddSaEx, g);
  EXPECT_EQ(r.status, kSuccess) << last_error();
  EXPECT_EQ(r.bytes_read, g.size());
}

TEST_F(Softnic, AddSaFieldValidation) {
  struct Case {
    const char* name;
    std::function<void(BundleDesc&)> desc;
    std::function<void(Bytes&)> edit;
    uint32_t expect;
  };
  auto none = [](Bytes&) {};
  auto keep = [](BundleDesc&) {};
  const size_t s0 = add_sa_ex::kSecAssoc0;
  const Case cases[] = {
      {"NumExtHdrs 0", keep, [](Bytes& b) { put32(b, add_sa_ex::kNumExtHdrs, 0); }, kInvalidData},
      {"NumExtHdrs 3", keep, [](Bytes& b) { put32(b, add_sa_ex::kNumExtHdrs, 3); }, kInvalidData},
      {"Flags 0x2", keep, [](Bytes& b) { put32(b, add_sa_ex::kFlags, 0x2); }, kInvalidData},
      {"Operation 0", keep, [=](Bytes& b) { put32(b, s0 + sa::kOperation, 0); }, kInvalidData},
      {"Operation 3 (Max)", keep, [=](Bytes& b) { put32(b, s0 + sa::kOperation, 3); },
       kInvalidData},
      {"SA Flags 0x2", keep, [=](Bytes& b) { put32(b, s0 + sa::kFlags, 2); }, kInvalidData},
      {"SPI 0", [](BundleDesc& d) { d.sa.spi = 0; }, none, kInvalidData},
      {"two identifier bits", [](BundleDesc& d) { d.sa.enc_id = kEncGcm128 | kEncCbc128; }, none,
       kInvalidData},
      {"undefined identifier", [](BundleDesc& d) { d.sa.enc_id = 0x200; }, none, kInvalidData},
      {"key past the key block", keep,
       [=](Bytes& b) { put32(b, s0 + sa::kEnc + alg::kKeyOffset, 4); }, kInvalidData},
      {"key offset overflow", keep,
       [=](Bytes& b) { put32(b, s0 + sa::kEnc + alg::kKeyOffset, 0xFFFFFFFFu); }, kInvalidData},
      {"GCM key without salt (16)", [](BundleDesc& d) { d.sa.enc_key = repeat(1, 16); }, none,
       kInvalidData},
      {"GCM ICV 10", [](BundleDesc& d) { d.sa.icv = 10; }, none, kInvalidData},
      {"GCM with an integrity algorithm",
       [](BundleDesc& d) {
         d.sa.auth_id = kAuthSha1;
         d.sa.auth_key = repeat(2, 20);
       },
       none, kInvalidData},
      {"ESP with no algorithm",
       [](BundleDesc& d) {
         d.sa.enc_id = 0;
         d.sa.enc_key.clear();
       },
       none, kInvalidData},
      {"CBC key 24",
       [](BundleDesc& d) { d.sa = cbc_hmac(d.sa.spi, kAuthSha1, repeat(1, 24), repeat(2, 20)); },
       none, kInvalidData},
      {"HMAC-SHA1 key 16",
       [](BundleDesc& d) { d.sa = cbc_hmac(d.sa.spi, kAuthSha1, repeat(1, 16), repeat(2, 16)); },
       none, kInvalidData},
      {"AH carrying an encryption algorithm",
       [](BundleDesc& d) { d.sa.operation = kOpAh; }, none, kInvalidData},
      {"UdpEsp 0x3 (two types)", keep, [](Bytes& b) { put32(b, add_sa_ex::kUdpEsp, 3); },
       kInvalidData},
      {"two SAs AH then ESP", keep,
       [](Bytes& b) {
         put32(b, add_sa_ex::kNumExtHdrs, 2);
         put32(b, add_sa_ex::kSecAssoc0 + sa::kOperation, kOpAh);
         put32(b, add_sa_ex::kSecAssoc0 + sa::kEnc, 0);
         put32(b, add_sa_ex::kSecAssoc0 + sa::kAuth, kAuthSha1);
         put32(b, add_sa_ex::kSecAssoc1 + sa::kOperation, kOpEsp);
         put32(b, add_sa_ex::kSecAssoc1 + sa::kSpi, 9);
         put32(b, add_sa_ex::kSecAssoc1 + sa::kEnc, kEncGcm128);
       },
       kInvalidData},
      // Well formed, not advertised.
      {"AES-GCM-192", [](BundleDesc& d) {
         d.sa.enc_id = kEncGcm192;
         d.sa.enc_key = repeat(1, 28);
       }, none, kNotSupported},
      {"AES-CBC-256",
       [](BundleDesc& d) {
         d.sa = cbc_hmac(d.sa.spi, kAuthSha1, repeat(1, 32), repeat(2, 20));
         d.sa.enc_id = kEncCbc256;
       },
       none, kNotSupported},
      {"3DES",
       [](BundleDesc& d) {
         d.sa = cbc_hmac(d.sa.spi, kAuthSha1, repeat(1, 24), repeat(2, 20));
         d.sa.enc_id = kEnc3Des;
       },
       none, kNotSupported},
      {"HMAC-MD5",
       [](BundleDesc& d) { d.sa = cbc_hmac(d.sa.spi, kAuthMd5, repeat(1, 16), repeat(2, 16)); },
       none, kNotSupported},
      {"AES-CBC without integrity (OQ-09)",
       [](BundleDesc& d) {
         d.sa = cbc_hmac(d.sa.spi, 0, repeat(1, 16), {});
       },
       none, kNotSupported},
      {"ESP-NULL",
       [](BundleDesc& d) {
         d.sa = cbc_hmac(d.sa.spi, kAuthSha1, {}, repeat(2, 20));
         d.sa.enc_id = kEncNone;
       },
       none, kNotSupported},
      {"AH",
       [](BundleDesc& d) {
         d.sa = cbc_hmac(d.sa.spi, kAuthSha1, {}, repeat(2, 20));
         d.sa.enc_id = 0;
         d.sa.operation = kOpAh;
       },
       none, kNotSupported},
      {"ESP + AH bundle", keep,
       [](Bytes& b) {
         put32(b, add_sa_ex::kNumExtHdrs, 2);
         put32(b, add_sa_ex::kSecAssoc1 + sa::kOperation, kOpAh);
         put32(b, add_sa_ex::kSecAssoc1 + sa::kSpi, 9);
         put32(b, add_sa_ex::kSecAssoc1 + sa::kAuth, kAuthSha1);
       },
       kNotSupported},
      {"UDP-ESP transport", keep, [](Bytes& b) { put32(b, add_sa_ex::kUdpEsp, 1); },
       kNotSupported},
  };
  for (const auto& c : cases) {
    BundleDesc d = outbound(gcm128(0x4001));
    c.desc(d);
    Bytes b = encode_add_sa_ex(d);
    c.edit(b);
    const OidResult r = oid(kOidAddSaEx, b);
    EXPECT_EQ(r.status, c.expect) << c.name << ": " << last_error();
    EXPECT_EQ(get64(b, add_sa_ex::kHandle), 0u) << c.name;
    EXPECT_FALSE(last_error().empty()) << c.name;
  }
  EXPECT_EQ(bundle_count(), 0u) << "a rejected add leaves no trace";
}

// ================================================================================================
// ADD_SA lists

TEST_F(Softnic, AddSaListOffloadsEveryElement) {
  AddSaList l = encode_add_sa({outbound(gcm128(0x5001)), inbound(gcm128(0x5002)),
                               outbound(cbc_hmac(0x5003, kAuthSha256, repeat(3, 16),
                                                 repeat(4, 32)))});
  const OidResult r = oid(kOidAddSa, l.buffer);
  EXPECT_EQ(r.status, kSuccess) << last_error();
  EXPECT_EQ(r.bytes_read, l.buffer.size());
  std::vector<uint64_t> hs = {l.handle(0), l.handle(1), l.handle(2)};
  for (uint64_t h : hs) EXPECT_NE(h, 0u);
  std::sort(hs.begin(), hs.end());
  EXPECT_EQ(std::unique(hs.begin(), hs.end()), hs.end()) << "handles are unique";
  EXPECT_EQ(bundle_count(), 3u);
}

TEST_F(Softnic, AddSaListMayBeLinkedOutOfOrder) {
  // List order: element 0 -> element 2 -> element 1 (Next pointers go forward and back).
  AddSaList l = encode_add_sa(
      {outbound(gcm128(0x5101)), outbound(gcm128(0x5102)), outbound(gcm128(0x5103))}, {0, 2, 1});
  EXPECT_EQ(oid(kOidAddSa, l.buffer).status, kSuccess) << last_error();
  for (size_t i = 0; i < 3; ++i) EXPECT_NE(l.handle(i), 0u);
}

TEST_F(Softnic, AddSaListIsPerElement) {
  BundleDesc bad = outbound(gcm128(0x5202));
  bad.sa.enc_id = kEncGcm192;
  bad.sa.enc_key = repeat(1, 28);
  AddSaList l = encode_add_sa({outbound(gcm128(0x5201)), bad, outbound(gcm128(0x5203))});
  put64(l.buffer, l.offsets[1] + add_sa::kHandle, 0x1234);  // must be cleared
  EXPECT_EQ(oid(kOidAddSa, l.buffer).status, kSuccess) << "ADD-004: one offloaded is success";
  EXPECT_NE(l.handle(0), 0u);
  EXPECT_EQ(l.handle(1), 0u) << "ADD-006";
  EXPECT_NE(l.handle(2), 0u);
  EXPECT_EQ(bundle_count(), 2u);

  // A bad header on one element only fails that element.
  AddSaList h = encode_add_sa({outbound(gcm128(0x5204)), outbound(gcm128(0x5205))});
  put8(h.buffer, h.offsets[1], 0x7F);
  EXPECT_EQ(oid(kOidAddSa, h.buffer).status, kSuccess);
  EXPECT_NE(h.handle(0), 0u);
  EXPECT_EQ(h.handle(1), 0u);
}

TEST_F(Softnic, AddSaListWithNothingOffloadedFailsAndLeavesNothing) {
  BundleDesc a = outbound(gcm128(0x5301));
  a.sa.enc_id = kEnc3Des;
  BundleDesc b = outbound(gcm128(0));  // SPI 0
  AddSaList l = encode_add_sa({a, b});
  EXPECT_EQ(oid(kOidAddSa, l.buffer).status, kNotSupported) << "the first element's reason";
  EXPECT_EQ(l.handle(0), 0u);
  EXPECT_EQ(l.handle(1), 0u);
  EXPECT_EQ(bundle_count(), 0u) << "ADD-005";
}

TEST_F(Softnic, AddSaListStructureChecks) {
  auto three = [] {
    return encode_add_sa(
        {outbound(gcm128(0x5401)), outbound(gcm128(0x5402)), outbound(gcm128(0x5403))});
  };
  {  // Next pointing outside the buffer.
    AddSaList l = three();
    l.link_raw(1, l.address_of(0) + l.buffer.size() + 64);
    EXPECT_EQ(oid(kOidAddSa, l.buffer).status, kInvalidData);
    for (size_t i = 0; i < 3; ++i) EXPECT_EQ(l.handle(i), 0u);
  }
  {  // Next pointing below the buffer.
    AddSaList l = three();
    l.link_raw(0, l.address_of(0) - 8);
    EXPECT_EQ(oid(kOidAddSa, l.buffer).status, kInvalidData);
  }
  {  // Next pointing at an element that does not fit in the buffer.
    AddSaList l = three();
    l.link(0, l.buffer.size() - 100);
    const OidResult r = oid(kOidAddSa, l.buffer);
    EXPECT_EQ(r.status, kInvalidLength);
    EXPECT_EQ(r.bytes_needed, l.buffer.size() - 100 + 168);
  }
  {  // A loop back to the first element.
    AddSaList l = three();
    l.link(2, 0);
    EXPECT_EQ(oid(kOidAddSa, l.buffer).status, kInvalidData);
    EXPECT_NE(last_error().find("loop"), std::string::npos) << last_error();
    for (size_t i = 0; i < 3; ++i) EXPECT_EQ(l.handle(i), 0u);
  }
  {  // An element pointing at itself.
    AddSaList l = three();
    l.link(1, l.offsets[1]);
    EXPECT_EQ(oid(kOidAddSa, l.buffer).status, kInvalidData);
  }
  {  // KeyLength of the last element running past the buffer.
    AddSaList l = three();
    put32(l.buffer, l.offsets[2] + add_sa::kKeyLength, 4096);
    const OidResult r = oid(kOidAddSa, l.buffer);
    EXPECT_EQ(r.status, kInvalidLength);
    EXPECT_EQ(r.bytes_needed, l.offsets[2] + 168 + 4096);
  }
  {  // Shorter than one element.
    AddSaList l = three();
    const OidResult r = oid_len(kOidAddSa, l.buffer, 168);
    EXPECT_EQ(r.status, kInvalidLength);
    EXPECT_EQ(r.bytes_needed, 169u);
  }
  EXPECT_EQ(bundle_count(), 0u) << "no malformed list left anything behind";
}

// ================================================================================================
// DELETE_SA

TEST_F(Softnic, DeleteSaRemovesBundlesAndNeverFails) {
  const uint64_t a = add(outbound(gcm128(0x6001)));
  const uint64_t b = add(inbound(gcm128(0x6002)));
  const uint64_t c = add(inbound(gcm128(0x6003)));
  remove({a, 0, 0x80001234u, b});  // NULL and unknown handles are no-ops (OQ-12)
  auto j = dump();
  ASSERT_EQ(j["bundles"].size(), 1u);
  EXPECT_EQ(j["bundles"][0]["sas"][0]["spi"], 0x6003);
  remove({a});  // deleting twice is harmless

  // A looping list still succeeds and still deletes what it names.
  Bytes loop = encode_delete({c, c});
  put64(loop, del::kSize + del::kNext, static_cast<uint64_t>(reinterpret_cast<uintptr_t>(loop.data())));
  EXPECT_EQ(oid(kOidDeleteSa, loop).status, kSuccess);
  EXPECT_EQ(bundle_count(), 0u);

  // Malformed buffers: DEL-004 allows no failure status.
  Bytes tiny(8, 0);
  EXPECT_EQ(oid(kOidDeleteSa, tiny).status, kSuccess);
  Bytes outside = encode_delete({1});
  put64(outside, del::kNext, 0x10);
  EXPECT_EQ(oid(kOidDeleteSa, outside).status, kSuccess);
}

TEST_F(Softnic, DeletedHandlesAreDeadAndNotReusedSoon) {
  std::vector<uint64_t> seen;
  for (int round = 0; round < 50; ++round) {
    const uint64_t h = add(outbound(gcm128(0x6100)));
    EXPECT_EQ(std::count(seen.begin(), seen.end(), h), 0) << "handle value reused";
    seen.push_back(h);
    remove({h});
    EXPECT_EQ(update(h, 0x6100, 1), kInvalidParameter);
    const Bytes frame = ipv4_frame({10, 0, 0, 1}, {10, 0, 0, 2},
                                   esp_framed(0x6100, 1, 8, repeat(7, 20), 17, 4, 16));
    const SendResult s = send(frame, h, esp_offset_units(20));
    EXPECT_EQ(s.completion, kFailure);
    EXPECT_TRUE(s.frames.empty());
  }
}

// ================================================================================================
// UPDATE_SA

TEST_F(Softnic, UpdateSaChangesTheEsnHighHalf) {
  SaDesc s = gcm128(0x7001);
  s.esn = true;
  s.seq_high = 5;
  const uint64_t h = add(inbound(s));
  const uint64_t plain = add(outbound(gcm128(0x7002)));
  EXPECT_EQ(dump()["bundles"][0]["sas"][0]["sequence_number_high_order"], 5);
  EXPECT_EQ(dump()["bundles"][0]["sas"][0]["esn"], true);

  EXPECT_EQ(update(h, 0x7001, 0xFFFFFFFFu), kSuccess) << last_error();
  EXPECT_EQ(dump()["bundles"][0]["sas"][0]["sequence_number_high_order"], 0xFFFFFFFFu);
  EXPECT_EQ(update(h, 0x7001, 0), kSuccess);

  EXPECT_EQ(update(h, 0x7099, 1), kInvalidParameter) << "SPI does not match";
  EXPECT_EQ(update(h, 0x7001, 1, kOpAh), kInvalidParameter) << "no AH SA in the bundle";
  EXPECT_EQ(update(0x80004321u, 0x7001, 1), kInvalidParameter) << "unknown handle";
  EXPECT_EQ(update(0, 0x7001, 1), kInvalidParameter) << "NULL handle";
  EXPECT_EQ(update(plain, 0x7002, 1), kInvalidParameter) << "SA without ESN";
  EXPECT_EQ(dump()["bundles"][0]["sas"][0]["sequence_number_high_order"], 0);

  Bytes b = encode_update(h, 0x7001, 9);
  OidResult r = oid_len(kOidUpdateSa, b, 27);
  EXPECT_EQ(r.status, kInvalidLength);
  EXPECT_EQ(r.bytes_needed, 28u);
  put8(b, 0, 0x81);
  EXPECT_EQ(oid(kOidUpdateSa, b).status, kInvalidParameter);
  b = encode_update(h, 0x7001, 9);
  r = oid_len(kOidUpdateSa, b, 28);  // the documented size is enough (OQ-02)
  EXPECT_EQ(r.status, kSuccess);
  EXPECT_EQ(r.bytes_read, 28u);
}

// ================================================================================================
// Capacity pools

TEST_F(Softnic, InboundPoolFillOverflowDeleteAddAgain) {
  std::vector<uint64_t> handles;
  for (uint32_t i = 0; i < 1024; ++i) {
    BundleDesc d = inbound(gcm128(0x10000 + i));
    d.dst = {10, 1, 0, static_cast<uint8_t>(i % 8)};  // 8 destinations, shared
    handles.push_back(add(d));
  }
  auto j = dump();
  EXPECT_EQ(j["pools"]["inbound_bundles"]["used"], 1024);
  EXPECT_EQ(j["pools"]["inbound_destination_addresses"]["used"], 8);

  BundleDesc over = inbound(gcm128(0x20000));
  over.dst = {10, 1, 0, 1};
  add(over, kResources);
  EXPECT_NE(last_error().find("inbound"), std::string::npos) << last_error();

  // The outbound pool is separate.
  add(outbound(gcm128(0x30000)));

  remove({handles[500]});
  add(over);
  add(over, kResources);
  EXPECT_EQ(dump()["pools"]["inbound_bundles"]["used"], 1024);
}

TEST_F(Softnic, OutboundPoolFillAndOverflow) {
  for (uint32_t i = 0; i < 1024; ++i) add(outbound(gcm128(0x40000 + i)));
  add(outbound(gcm128(0x50000)), kResources);
  add(inbound(gcm128(0x50001)));
  EXPECT_EQ(dump()["pools"]["total_bundles"]["used"], 1025);
}

TEST_F(Softnic, AddSaListStraddlingCapacityIsPartialSuccess) {
  for (uint32_t i = 0; i < 1022; ++i) add(outbound(gcm128(0x60000 + i)));
  AddSaList l = encode_add_sa({outbound(gcm128(0x61000)), outbound(gcm128(0x61001)),
                               outbound(gcm128(0x61002)), inbound(gcm128(0x61003))});
  EXPECT_EQ(oid(kOidAddSa, l.buffer).status, kSuccess);
  EXPECT_NE(l.handle(0), 0u);
  EXPECT_NE(l.handle(1), 0u);
  EXPECT_EQ(l.handle(2), 0u) << "the 1025th outbound bundle";
  EXPECT_NE(l.handle(3), 0u) << "the inbound pool still has room";

  // Entirely over capacity: RESOURCES, nothing added.
  AddSaList full = encode_add_sa({outbound(gcm128(0x62000)), outbound(gcm128(0x62001))});
  EXPECT_EQ(oid(kOidAddSa, full.buffer).status, kResources);
  EXPECT_EQ(full.handle(0), 0u);
  EXPECT_EQ(full.handle(1), 0u);
}

TEST_F(Softnic, DestinationAddressTableHolds128) {
  std::vector<uint64_t> first_of_dest;
  for (uint32_t i = 0; i < 128; ++i) {
    BundleDesc d = inbound(gcm128(0x70000 + i));
    d.dst = {172, 16, static_cast<uint8_t>(i / 100), static_cast<uint8_t>(i % 100)};
    first_of_dest.push_back(add(d));
  }
  EXPECT_EQ(dump()["pools"]["inbound_destination_addresses"]["used"], 128);

  BundleDesc fresh = inbound(gcm128(0x71000));
  fresh.dst = {192, 0, 2, 1};
  add(fresh, kResources);
  EXPECT_NE(last_error().find("destination"), std::string::npos) << last_error();

  // A known destination shares its entry; IPv6 with the same bytes would be a new address.
  BundleDesc shared = inbound(gcm128(0x71001));
  shared.dst = {172, 16, 0, 5};
  const uint64_t shared_h = add(shared);
  BundleDesc v6 = inbound(gcm128(0x71002));
  v6.ipv6 = true;
  v6.src = repeat(0, 16);
  v6.dst = concat({Bytes{172, 16, 0, 5}, repeat(0, 12)});
  add(v6, kResources);
  // Outbound bundles do not use the table.
  BundleDesc out = outbound(gcm128(0x71003));
  out.dst = {192, 0, 2, 9};
  add(out);

  // 172.16.0.5 is now used by two bundles: deleting one keeps the entry.
  remove({first_of_dest[5]});
  add(fresh, kResources);
  remove({shared_h});
  add(fresh);
  EXPECT_EQ(dump()["pools"]["inbound_destination_addresses"]["used"], 128);
}

// ================================================================================================
// Datapath

// draft-mcgrew / DPDK vector "dpdk-gcm128-ipv4-tunnel-seq1" (shared/vectors-external/
// esp-known-answers.json; source: DPDK app/test/test_cryptodev_security_ipsec_test_vectors.h,
// pkt_aes_128_gcm). Key feffe992 8665731c 6d6a8f94 67308308, salt cafebabe, SPI 0xa5f8,
// sequence number 1, IV facedbaddecaf888, tunnel mode (inner IPv4, Next Header 4).
const Bytes kGcmKeySalt = hex("feffe9928665731c6d6a8f9467308308cafebabe");
const Bytes kGcmWireIp = hex(
    "45000074698f000080324d75c0a80102c0a801010000a5f800000001facedbaddecaf888deb22cd9b07c72c16e"
    "3a65beeb8df304a5a5897d33ae530f1ba76d5d114d2a5c3de81827c10e9a4f51330d0eec416642cfbb85a5b47e"
    "48a4ec3b9ba95d918bd429c737579ff19e58cffc607a3bce8994");
const Bytes kGcmPlaintext = hex(
    "4500003e698f000080114dccc0a80102c0a801010a980035002a2343b2d0010000010000000000000373697009"
    "63796265726369747902646b00000100010004");
const Bytes kGcmCiphertext = hex(
    "deb22cd9b07c72c16e3a65beeb8df304a5a5897d33ae530f1ba76d5d114d2a5c3de81827c10e9a4f51330d0eec"
    "416642cfbb85a5b47e48a4ec3b9ba95d918bd4");

// OpenDataPlane vector "odp-ipv4-transport-aes128cbc-hmac-sha1-96" (same file; source:
// OpenDataPlane test/validation/api/ipsec/test_vectors.h, pkt_ipv4_icmp_0_esp_aes_cbc_sha1_1).
// AES key a5 x16, HMAC-SHA1 key 5a x20, SPI 123, sequence 1, transport (ICMP, Next Header 1).
const Bytes kCbcWireIp = hex(
    "450000a8000000004032abcec0a86f02c0a8de020000007b0000000117c3faaf1deb94064ef862b41fa01762baf3"
    "fb1086ee806f44ff947feed85062403f7c76b465ca32910ebaf2c19d3bcb0fc9c9ae33421636d3c86c23acbf98f2"
    "da1095bce838bf4b19d05867d9abd0f559c9dcbb46cc3426e6d6ee5cc8e246c914e998e4b9ecf0a71294544e56fd"
    "e807d883f9785fa61acebbdabc7cd8b67b4f784efebd427f429665e7602f");
const Bytes kCbcPlaintext = hex(
    "0800fb3712340000babe01234567cafe000102030405060708090a0b0c0d0e0f101112131415161718191a1b1c1d"
    "1e1f202122232425262728292a2b2c2d2e2f303132333435363738393a3b3c3d3e3f404142434445464748494a4b"
    "4c4d4e4f505152535455565758595a5b01020201");

constexpr size_t kIpOff = 14;
constexpr size_t kEspOff = 14 + 20;  // Ethernet + IPv4 without options

TEST_F(Softnic, SendPassesAZeroHandleFrameThroughAndFailsUnknownHandles) {
  const Bytes frame = ipv4_frame({10, 0, 0, 1}, {10, 0, 0, 2}, repeat(0x42, 40), 17);
  SendResult s = send(frame, 0, 0);
  EXPECT_EQ(s.completion, kSuccess);
  ASSERT_EQ(s.frames.size(), 1u);
  EXPECT_EQ(s.frames[0], frame);

  s = send(frame, 0x80000777u, esp_offset_units(20));
  EXPECT_EQ(s.completion, kFailure) << "SEND-006";
  EXPECT_TRUE(s.frames.empty());

  const uint64_t in = add(inbound(gcm128(0x8001)));
  s = send(ipv4_frame({10, 0, 0, 1}, {10, 0, 0, 2},
                      esp_framed(0x8001, 1, 8, repeat(1, 16), 17, 4, 16)),
           in, esp_offset_units(20));
  EXPECT_EQ(s.completion, kFailure) << "an inbound bundle cannot send";
}

TEST_F(Softnic, SendGcmMatchesTheKnownAnswer) {
  // The device derives the GCM IV from the 64-bit sequence number (OQ-16). With ESN high half
  // 0xfacedbad and low half 0xdecaf888 on the wire, the IV is the vector's facedbaddecaf888, so
  // the nonce, and with it the ciphertext, must equal the vector's byte for byte.
  SaDesc s = gcm128(0xa5f8, kGcmKeySalt);
  s.esn = true;
  s.seq_high = 0xfacedbadu;
  BundleDesc d = outbound(s);
  d.src = {192, 168, 1, 2};
  d.dst = {192, 168, 1, 1};
  const uint64_t h = add(d);

  const Bytes outer = Bytes(kGcmWireIp.begin(), kGcmWireIp.begin() + 20);
  const Bytes framed = concat({kEthIpv4, outer, hex("0000a5f8decaf888"), repeat(0, 8),
                               kGcmPlaintext, repeat(0, 16)});
  const SendResult r = send(framed, h, esp_offset_units(20) | 4u /* Next Header */);
  ASSERT_EQ(r.completion, kSuccess) << last_error();
  ASSERT_EQ(r.frames.size(), 1u);
  const Bytes& w = r.frames[0];
  ASSERT_EQ(w.size(), framed.size());
  EXPECT_EQ(to_hex(Bytes(w.begin(), w.begin() + kEspOff)),
            to_hex(Bytes(framed.begin(), framed.begin() + kEspOff)))
      << "Ethernet and IP headers are the transport's (SEND-010)";
  EXPECT_EQ(to_hex(&w[kEspOff], 8), "0000a5f8decaf888");
  EXPECT_EQ(to_hex(&w[kEspOff + 8], 8), "facedbaddecaf888") << "IV = 64-bit sequence number";
  EXPECT_EQ(to_hex(&w[kEspOff + 16], kGcmCiphertext.size()), to_hex(kGcmCiphertext));
  // Tag over AAD = SPI || Seq_high || Seq_low (RFC 4106 §5, ESN). Computed independently with
  // Python cryptography 38 (AESGCM(key).encrypt(salt || iv, plaintext, aad)); the same call with
  // the vector's AAD 0000a5f800000001 reproduces the vector's ICV 29c73757...3bce8994.
  EXPECT_EQ(to_hex(&w[kEspOff + 16 + kGcmCiphertext.size()], 16),
            "9b439202a918572f1ac59617fff6e0a5");

  // The same SA inbound (same keys and high half) accepts the frame and recovers the plaintext.
  BundleDesc in = d;
  in.inbound = true;
  add(in);
  const RecvResult rx = receive(w);
  EXPECT_EQ(rx.indicated, 1u);
  EXPECT_EQ(rx.info, kRecvCryptoDone) << "CryptoDone, CryptoStatus 0";
  EXPECT_EQ(rx.header, 4u | kHdrInfoSet) << "Next Header 4, Pad Length 0, HeaderInfoSet";
  EXPECT_EQ(to_hex(&rx.frame[kEspOff + 16], kGcmPlaintext.size()), to_hex(kGcmPlaintext));
}

TEST_F(Softnic, ReceiveGcmKnownAnswerAndTamperedIcv) {
  // ADD_SA_EX with a gap before the key block and the key at KeyOffsetBytes 8: a device that
  // took KeyOffsetBytes relative to the structure (not the key block, OQ-05) would fail here.
  SaDesc s = gcm128(0xa5f8, kGcmKeySalt);
  BundleDesc d = inbound(s);
  d.src = {192, 168, 1, 2};
  d.dst = {192, 168, 1, 1};
  d.key_prefix = 8;
  Bytes b = encode_add_sa_ex(d, 16);
  ASSERT_EQ(oid(kOidAddSaEx, b).status, kSuccess) << last_error();

  const Bytes frame = concat({kEthIpv4, kGcmWireIp});
  RecvResult r = receive(frame);
  EXPECT_EQ(r.indicated, 1u);
  EXPECT_EQ(r.info, kRecvCryptoDone);
  EXPECT_EQ(r.crypto_status(), kCryptoSuccess);
  EXPECT_EQ(r.header, 4u | kHdrInfoSet);
  EXPECT_EQ(to_hex(&r.frame[kEspOff + 16], kGcmPlaintext.size()), to_hex(kGcmPlaintext));
  EXPECT_EQ(to_hex(Bytes(r.frame.begin() + static_cast<std::ptrdiff_t>(kEspOff + 16 +
                                                                      kGcmPlaintext.size()),
                         r.frame.end())),
            "29c737579ff19e58cffc607a3bce8994")
      << "the ICV stays in place (OQ-15)";

  Bytes bad = frame;
  bad.back() ^= 0x01;
  r = receive(bad);
  EXPECT_EQ(r.indicated, 1u) << "RECV-012: failures are indicated too";
  EXPECT_EQ(r.info & kRecvCryptoDone, kRecvCryptoDone);
  EXPECT_EQ(r.crypto_status(), kCryptoTunnelEspAuthFailed)
      << "Next Header 4 (inner IPv4): the tunnel portion failed";
  EXPECT_EQ(r.header, 0u);
  EXPECT_EQ(r.frame, bad) << "a failed packet is indicated as received";
}

TEST_F(Softnic, ReceiveCbcHmacKnownAnswerAndTamperedIcv) {
  BundleDesc d = inbound(cbc_hmac(123, kAuthSha1, repeat(0xa5, 16), repeat(0x5a, 20)));
  d.dst = {192, 168, 222, 2};
  add(d);
  const Bytes frame = concat({kEthIpv4, kCbcWireIp});
  RecvResult r = receive(frame);
  EXPECT_EQ(r.info, kRecvCryptoDone) << last_error();
  EXPECT_EQ(r.header, 1u | (2u << 8) | kHdrInfoSet) << "Next Header 1 (ICMP), Pad Length 2";
  EXPECT_EQ(to_hex(&r.frame[kEspOff + 24], kCbcPlaintext.size()), to_hex(kCbcPlaintext));

  Bytes bad = frame;
  bad[bad.size() - 5] ^= 0x80;
  r = receive(bad);
  EXPECT_EQ(r.crypto_status(), kCryptoTransportEspAuthFailed) << "transport mode (Next Header 1)";
  EXPECT_EQ(r.info & kRecvCryptoDone, kRecvCryptoDone);
  EXPECT_EQ(r.frame, bad);

  // A tampered ciphertext byte fails the same way.
  bad = frame;
  bad[kEspOff + 40] ^= 0x01;
  EXPECT_EQ(receive(bad).crypto_status(), kCryptoTransportEspAuthFailed);
}

// HMAC-SHA-x over `data` truncated to `n` bytes, computed here with OpenSSL's one-shot HMAC().
Bytes hmac_trunc(const EVP_MD* md, const Bytes& key, const Bytes& data, size_t n) {
  unsigned char out[EVP_MAX_MD_SIZE];
  unsigned int len = 0;
  HMAC(md, key.data(), static_cast<int>(key.size()), data.data(), data.size(), out, &len);
  return Bytes(out, out + n);
}

// AES-128-CBC decryption without padding, computed here with EVP.
Bytes cbc_decrypt(const Bytes& key, const uint8_t* iv, const uint8_t* ct, size_t n) {
  Bytes out(n + 16);
  EVP_CIPHER_CTX* c = EVP_CIPHER_CTX_new();
  int l1 = 0;
  EVP_DecryptInit_ex(c, EVP_aes_128_cbc(), nullptr, key.data(), iv);
  EVP_CIPHER_CTX_set_padding(c, 0);
  EVP_DecryptUpdate(c, out.data(), &l1, ct, static_cast<int>(n));
  EVP_CIPHER_CTX_free(c);
  out.resize(static_cast<size_t>(l1));
  return out;
}

struct CbcCase {
  const char* name;
  uint32_t auth;
  size_t auth_key_len;
  size_t icv;
  const EVP_MD* (*md)();
  bool esn;
};

class SoftnicCbc : public Softnic, public ::testing::WithParamInterface<CbcCase> {};

TEST_P(SoftnicCbc, RoundTripWithIndependentIcvAndCipherCheck) {
  const CbcCase c = GetParam();
  const Bytes enc_key = hex("00112233445566778899aabbccddeeff");
  const Bytes auth_key = Bytes(c.auth_key_len, 0x3c);
  SaDesc s = cbc_hmac(0x9001, c.auth, enc_key, auth_key);
  s.esn = c.esn;
  s.seq_high = c.esn ? 0x00000007u : 0u;
  const uint64_t out_h = add(outbound(s));
  add(inbound(s));

  const Bytes payload = hex("0011223344556677889900112233445566778899aabbccddeeff0102030405");
  const Bytes esp = esp_framed(0x9001, 0x42, 16, payload, 17, 16, c.icv);
  const Bytes frame = ipv4_frame({10, 0, 0, 1}, {10, 0, 0, 2}, esp);
  const SendResult tx1 = send(frame, out_h, esp_offset_units(20) | 17u);
  const SendResult tx2 = send(frame, out_h, esp_offset_units(20) | 17u);
  ASSERT_EQ(tx1.completion, kSuccess) << last_error();
  ASSERT_EQ(tx2.completion, kSuccess);
  const Bytes& w = tx1.frames.at(0);
  const uint8_t* iv = &w[kEspOff + 8];
  EXPECT_NE(to_hex(iv, 16), std::string(32, '0')) << "the NIC generates the IV";
  EXPECT_NE(to_hex(iv, 16), to_hex(&tx2.frames.at(0)[kEspOff + 8], 16))
      << "a fresh random IV per packet (RFC 3602 §3)";

  // Independent checks: the ICV is HMAC(SPI..ciphertext [|| high]) (RFC 4303 §2.2.1) and the
  // body deciphers to what the transport framed.
  const size_t body = esp.size() - 8 - 16 - c.icv;
  Bytes covered(w.begin() + static_cast<std::ptrdiff_t>(kEspOff),
                w.begin() + static_cast<std::ptrdiff_t>(kEspOff + 24 + body));
  if (c.esn) covered = concat({covered, be32(0x00000007u)});
  EXPECT_EQ(to_hex(&w[kEspOff + 24 + body], c.icv), to_hex(hmac_trunc(c.md(), auth_key, covered, c.icv)));
  EXPECT_EQ(to_hex(cbc_decrypt(enc_key, iv, &w[kEspOff + 24], body)),
            to_hex(&esp[24], body));

  const RecvResult rx = receive(w);
  EXPECT_EQ(rx.info, kRecvCryptoDone);
  EXPECT_EQ(rx.header & 0xFFu, 17u);
  EXPECT_EQ(to_hex(&rx.frame[kEspOff + 24], body), to_hex(&esp[24], body));

  Bytes bad = w;
  bad.back() ^= 0x10;
  EXPECT_EQ(receive(bad).crypto_status(), kCryptoTransportEspAuthFailed);
}

INSTANTIATE_TEST_SUITE_P(
    Algorithms, SoftnicCbc,
    ::testing::Values(CbcCase{"hmac_sha1_96", kAuthSha1, 20, 12, EVP_sha1, false},
                      CbcCase{"hmac_sha256_128", kAuthSha256, 32, 16, EVP_sha256, false},
                      CbcCase{"hmac_sha1_96_esn", kAuthSha1, 20, 12, EVP_sha1, true},
                      CbcCase{"hmac_sha256_128_esn", kAuthSha256, 32, 16, EVP_sha256, true}),
    [](const ::testing::TestParamInfo<CbcCase>& p) { return std::string(p.param.name); });

TEST_F(Softnic, EsnHighHalfFollowsUpdateSaOnBothSides) {
  SaDesc s = gcm128(0x9101);
  s.enc_id = kEncGcm256;
  s.enc_key = repeat(0x77, 36);
  s.icv = 12;
  s.esn = true;
  s.seq_high = 1;
  const uint64_t out_h = add(outbound(s));
  const uint64_t in_h = add(inbound(s));
  const Bytes frame = ipv4_frame({10, 0, 0, 1}, {10, 0, 0, 2},
                                 esp_framed(0x9101, 0xFFFFFFFFu, 8, repeat(9, 33), 6, 4, 12));
  Bytes w1 = send(frame, out_h, esp_offset_units(20)).frames.at(0);
  EXPECT_EQ(to_hex(&w1[kEspOff + 8], 8), "00000001ffffffff");
  EXPECT_EQ(receive(w1).crypto_status(), kCryptoSuccess);

  // The transport moves the sender to high half 2 (the wrap); the receiver has not moved yet:
  // the ICV fails (no ESN inference, OQ-26) until its UPDATE_SA arrives.
  ASSERT_EQ(update(out_h, 0x9101, 2), kSuccess);
  const Bytes frame2 = ipv4_frame({10, 0, 0, 1}, {10, 0, 0, 2},
                                  esp_framed(0x9101, 0, 8, repeat(9, 33), 6, 4, 12));
  Bytes w2 = send(frame2, out_h, esp_offset_units(20)).frames.at(0);
  EXPECT_EQ(to_hex(&w2[kEspOff + 8], 8), "0000000200000000");
  EXPECT_EQ(receive(w2).crypto_status(), kCryptoTransportEspAuthFailed);
  ASSERT_EQ(update(in_h, 0x9101, 2), kSuccess);
  const RecvResult ok = receive(w2);
  EXPECT_EQ(ok.crypto_status(), kCryptoSuccess);
  EXPECT_EQ(ok.header, 6u | (1u << 8) | kHdrInfoSet);
}

TEST_F(Softnic, ReceiveMatchesSpiAndDestinationWithWildcards) {
  const Bytes esp_wire = Bytes(kGcmWireIp.begin() + 20, kGcmWireIp.end());
  BundleDesc d = inbound(gcm128(0xa5f8, kGcmKeySalt));
  d.dst = {192, 168, 1, 99};  // not the packet's destination
  add(d);
  const Bytes frame = concat({kEthIpv4, kGcmWireIp});
  RecvResult r = receive(frame);
  EXPECT_EQ(r.indicated, 1u);
  EXPECT_EQ(r.info, 0u) << "RECV-004: no match, no OOB";
  EXPECT_EQ(r.header, 0u);
  EXPECT_EQ(r.frame, frame);

  BundleDesc any = inbound(gcm128(0xa5f8, kGcmKeySalt));
  any.src = {0, 0, 0, 0};
  any.dst = {0, 0, 0, 0};  // ADD-015 wildcard
  add(any);
  r = receive(frame);
  EXPECT_EQ(r.info, kRecvCryptoDone);

  // An IPv6 packet does not match an IPv4 SA with the same SPI, wildcard or not.
  const Bytes v6 = ipv6_frame(repeat(0, 16), repeat(0, 16), esp_wire);
  EXPECT_EQ(receive(v6).info, 0u);
}

TEST_F(Softnic, Ipv6ExtensionHeadersOnlyWhenConfigured) {
  for (const bool configured : {false, true}) {
    reopen(configured ? "{\"ipv6_extension_headers\": true}" : "{}");
    ipsec_cts_capabilities caps{};
    caps.struct_size = sizeof(caps);
    ASSERT_EQ(vt_->query_capabilities(dut_, &caps), IPSEC_CTS_OK);
    EXPECT_EQ(caps.ipsec_offload_v2[6], configured ? 1 : 0);

    BundleDesc d = outbound(gcm128(0x9201));
    d.ipv6 = true;
    d.src = hex("20010db8000000000000000000000001");
    d.dst = hex("20010db8000000000000000000000002");
    const uint64_t h = add(d);
    d.inbound = true;
    add(d);
    const Bytes payload = repeat(0x61, 27);
    const Bytes esp = esp_framed(0x9201, 7, 8, payload, 17, 4, 16);
    const Bytes frame = ipv6_frame_with_dstopts(d.src, d.dst, esp);
    const size_t esp_at = 14 + 48;
    const SendResult tx = send(frame, h, esp_offset_units(48));
    if (!configured) {
      EXPECT_EQ(tx.completion, kFailure) << "extension headers are not advertised";
      // A frame of that shape is indicated without IPsec processing (RECV-005).
      const RecvResult rx = receive(frame);
      EXPECT_EQ(rx.indicated, 1u);
      EXPECT_EQ(rx.info, 0u);
      EXPECT_EQ(rx.frame, frame);
      continue;
    }
    ASSERT_EQ(tx.completion, kSuccess) << last_error();
    const Bytes& w = tx.frames.at(0);
    EXPECT_EQ(to_hex(&w[esp_at + 8], 8), "0000000000000007");
    EXPECT_NE(to_hex(&w[esp_at + 16], payload.size()), to_hex(payload)) << "encrypted";
    const RecvResult rx = receive(w);
    EXPECT_EQ(rx.info, kRecvCryptoDone);
    EXPECT_EQ(rx.header, 17u | (3u << 8) | kHdrInfoSet) << "27 + 3 + 2 = 32";
    EXPECT_EQ(to_hex(&rx.frame[esp_at + 16], payload.size()), to_hex(payload));
  }
}

TEST_F(Softnic, Ipv6WithoutExtensionHeadersRoundTrip) {
  BundleDesc d = outbound(cbc_hmac(0x9202, kAuthSha256, repeat(8, 16), repeat(9, 32)));
  d.ipv6 = true;
  d.src = hex("fe800000000000000000000000000001");
  d.dst = hex("fe800000000000000000000000000002");
  const uint64_t h = add(d);
  d.inbound = true;
  add(d);
  const Bytes esp = esp_framed(0x9202, 1, 16, repeat(0x33, 40), 58, 16, 16);
  const Bytes frame = ipv6_frame(d.src, d.dst, esp);
  const SendResult tx = send(frame, h, esp_offset_units(40));
  ASSERT_EQ(tx.completion, kSuccess) << last_error();
  const RecvResult rx = receive(tx.frames.at(0));
  EXPECT_EQ(rx.info, kRecvCryptoDone);
  EXPECT_EQ(rx.header & 0xFFu, 58u);
  EXPECT_EQ(to_hex(&rx.frame[14 + 40 + 24], 40), to_hex(repeat(0x33, 40)));
}

TEST_F(Softnic, Ipv4OptionsOnlyWhenConfigured) {
  for (const bool configured : {false, true}) {
    reopen(configured ? "{\"ipv4_options\": true}" : "{}");
    const uint64_t h = add(outbound(gcm128(0x9401)));
    BundleDesc in = inbound(gcm128(0x9401));
    add(in);
    // IHL 6: one 4-byte option word (NOP, NOP, NOP, End of Options List).
    const Bytes esp = esp_framed(0x9401, 3, 8, repeat(0x44, 21), 17, 4, 16);
    Bytes ip = concat({hex("4600000000004000403200000a0000010a00000201010100"), esp});
    ip[2] = static_cast<uint8_t>(ip.size() >> 8);
    ip[3] = static_cast<uint8_t>(ip.size());
    const uint16_t c = ipv4_checksum(ip.data(), 24);
    ip[10] = static_cast<uint8_t>(c >> 8);
    ip[11] = static_cast<uint8_t>(c);
    const Bytes frame = concat({kEthIpv4, ip});
    const SendResult tx = send(frame, h, esp_offset_units(24));
    if (!configured) {
      EXPECT_EQ(tx.completion, kFailure);
      EXPECT_EQ(receive(frame).info, 0u) << "RECV-005";
      continue;
    }
    ASSERT_EQ(tx.completion, kSuccess) << last_error();
    const RecvResult rx = receive(tx.frames.at(0));
    EXPECT_EQ(rx.info, kRecvCryptoDone);
    EXPECT_EQ(to_hex(&rx.frame[14 + 24 + 16], 21), to_hex(repeat(0x44, 21)));
  }
}

TEST_F(Softnic, ReceiveReportsBadLengthsAsInvalidPacketSyntax) {
  BundleDesc d = inbound(gcm128(0xa5f8, kGcmKeySalt));
  d.dst = {192, 168, 1, 1};
  add(d);
  // IP Total Length too short to hold ESP header, IV, trailer and ICV.
  Bytes ip = Bytes(kGcmWireIp.begin(), kGcmWireIp.begin() + 20 + 30);
  ip[2] = 0;
  ip[3] = 50;
  EXPECT_EQ(receive(concat({kEthIpv4, ip})).crypto_status(), kCryptoInvalidPacketSyntax);
  // IP Total Length claiming more than the frame holds.
  Bytes longer = concat({kEthIpv4, kGcmWireIp});
  longer[kIpOff + 3] = static_cast<uint8_t>(longer[kIpOff + 3] + 4);
  const RecvResult r = receive(longer);
  EXPECT_EQ(r.crypto_status(), kCryptoInvalidPacketSyntax);
  EXPECT_EQ(r.info & kRecvCryptoDone, kRecvCryptoDone);
  EXPECT_EQ(r.frame, longer);
  // Ethernet padding after the datagram is fine: the IP length bounds ESP.
  const Bytes padded = concat({kEthIpv4, kGcmWireIp, repeat(0, 6)});
  EXPECT_EQ(receive(padded).info, kRecvCryptoDone);
}

TEST_F(Softnic, SaDeleteRequestMarksLaterPacketsAndKeepsProcessing) {
  BundleDesc d = inbound(gcm128(0xa5f8, kGcmKeySalt));
  d.dst = {192, 168, 1, 1};
  add(d);
  const Bytes frame = concat({kEthIpv4, kGcmWireIp});
  EXPECT_EQ(receive(frame).info, kRecvCryptoDone);
  ASSERT_EQ(vt_->request_sa_delete(dut_, 0xa5f8), IPSEC_CTS_OK);
  for (int i = 0; i < 2; ++i) {
    const RecvResult r = receive(frame);
    EXPECT_EQ(r.info, kRecvCryptoDone | kRecvSaDeleteReq) << "4.12: still decrypted";
    EXPECT_EQ(r.info & kRecvNextCryptoDone, 0u);
  }
  Bytes bad = frame;
  bad.back() ^= 1;
  EXPECT_EQ(receive(bad).info & kRecvSaDeleteReq, kRecvSaDeleteReq) << "RECV-019";
  EXPECT_EQ(vt_->request_sa_delete(dut_, 0x12345), IPSEC_CTS_ERR_INVALID_ARGUMENT);
  EXPECT_NE(last_error().find("0x00012345"), std::string::npos) << last_error();
}

TEST_F(Softnic, SendRejectsFramesItCannotProtect) {
  const uint64_t h = add(outbound(gcm128(0x9301)));
  const Bytes good = ipv4_frame({10, 0, 0, 1}, {10, 0, 0, 2},
                                esp_framed(0x9301, 1, 8, repeat(5, 10), 17, 4, 16));
  EXPECT_EQ(send(good, h, esp_offset_units(20)).completion, kSuccess);
  EXPECT_EQ(send(good, h, 0).completion, kFailure) << "EspHeaderOffset 0";
  EXPECT_EQ(send(good, h, esp_offset_units(16)).completion, kFailure) << "inside the IP header";
  EXPECT_EQ(send(good, h, esp_offset_units(20) | (5u << 16)).completion, kFailure) << "AH offset";
  const Bytes other_spi = ipv4_frame({10, 0, 0, 1}, {10, 0, 0, 2},
                                     esp_framed(0x9302, 1, 8, repeat(5, 10), 17, 4, 16));
  EXPECT_EQ(send(other_spi, h, esp_offset_units(20)).completion, kFailure);
  Bytes truncated = good;
  truncated.resize(truncated.size() - 4);
  EXPECT_EQ(send(truncated, h, esp_offset_units(20)).completion, kFailure)
      << "IP length past the frame";
  const Bytes tiny = ipv4_frame({10, 0, 0, 1}, {10, 0, 0, 2}, concat({be32(0x9301), be32(1)}));
  EXPECT_EQ(send(tiny, h, esp_offset_units(20)).completion, kFailure) << "no room for IV/ICV";
  const uint64_t cbc = add(outbound(cbc_hmac(0x9303, kAuthSha1, repeat(1, 16), repeat(2, 20))));
  const Bytes not_blocks = ipv4_frame({10, 0, 0, 1}, {10, 0, 0, 2},
                                      esp_framed(0x9303, 1, 16, repeat(5, 10), 17, 4, 12));
  EXPECT_EQ(send(not_blocks, cbc, esp_offset_units(20)).completion, kFailure)
      << "CBC body not whole blocks";
  ipsec_cts_send_oob oob{h, 0x80000001u, esp_offset_units(20), 0};
  Bytes data(4096);
  size_t lengths[2];
  ipsec_cts_frame_list list{data.data(), data.size(), lengths, 2, 0};
  uint32_t completion = 0;
  ASSERT_EQ(vt_->send(dut_, good.data(), good.size(), &oob, &list, &completion), IPSEC_CTS_OK);
  EXPECT_EQ(completion, kFailure) << "TunnelHandle: transport-over-tunnel not advertised";
  oob = {h, 0, esp_offset_units(20), 1400};
  ASSERT_EQ(vt_->send(dut_, good.data(), good.size(), &oob, &list, &completion), IPSEC_CTS_OK);
  EXPECT_EQ(completion, kFailure) << "LSO not advertised";
  list.data_capacity = 10;
  EXPECT_EQ(vt_->send(dut_, good.data(), good.size(), &oob, &list, &completion),
            IPSEC_CTS_ERR_BUFFER_TOO_SMALL);
}

// ================================================================================================
// Dump, reset, robustness

TEST_F(Softnic, DumpReportsTheSizeItNeeds) {
  for (uint32_t i = 0; i < 20; ++i) add(outbound(gcm128(0xA000 + i)));
  size_t needed = 0;
  char small[16];
  EXPECT_EQ(vt_->dump(dut_, small, sizeof(small), &needed), IPSEC_CTS_ERR_BUFFER_TOO_SMALL);
  EXPECT_GT(needed, sizeof(small));
  EXPECT_EQ(small[sizeof(small) - 1], '\0');
  std::string full(needed, 'x');
  size_t again = 0;
  ASSERT_EQ(vt_->dump(dut_, full.data(), full.size(), &again), IPSEC_CTS_OK);
  EXPECT_EQ(again, needed);
  const auto j = nlohmann::json::parse(full.c_str());
  EXPECT_EQ(j["bundles"].size(), 20u);
  EXPECT_EQ(j["bundles"][3]["handle"].get<std::string>().rfind("0x", 0), 0u);
  EXPECT_EQ(full.find("1111"), std::string::npos) << "no key material";
}

TEST_F(Softnic, ResetEmptiesTheTableAndKillsOldHandles) {
  const uint64_t h = add(outbound(gcm128(0xB001)));
  for (uint32_t i = 0; i < 5; ++i) add(inbound(gcm128(0xB100 + i)));
  ASSERT_EQ(vt_->reset(dut_), IPSEC_CTS_OK);
  const auto j = dump();
  EXPECT_EQ(j["bundles"].size(), 0u);
  EXPECT_EQ(j["pools"]["inbound_destination_addresses"]["used"], 0);
  EXPECT_EQ(update(h, 0xB001, 1), kInvalidParameter);
  const uint64_t again = add(outbound(gcm128(0xB001)));
  EXPECT_NE(again, h) << "handles from before the reset stay dead";
}

// Random corruption of valid OID buffers and frames: the device must answer (any status) and
// never touch memory outside what it was given. Run under CTS_SANITIZE=ON to make an
// out-of-bounds access fail loudly; here it at least exercises every rejection path.
TEST_F(Softnic, SurvivesCorruptedBuffersAndFrames) {
  const uint32_t seed = 20240611u;
  std::cout << "[ seed ] " << seed << "\n";
  std::mt19937 rng(seed);
  auto byte = [&] { return static_cast<uint8_t>(rng() & 0xFF); };
  std::map<uint32_t, int> statuses;

  for (int iter = 0; iter < 3000; ++iter) {
    AddSaList l = encode_add_sa(
        {inbound(gcm128(0xC000 + static_cast<uint32_t>(iter))),
         outbound(cbc_hmac(0xC001, kAuthSha256, repeat(1, 16), repeat(2, 32))),
         outbound(gcm128(0xC002))});
    // The device gets a heap block of exactly `length` bytes, so any read past it is an
    // out-of-bounds access the sanitizers report. Next pointers are re-based onto the copy.
    if (iter % 3 == 0) {  // ADD_SA_EX: one structure, key block after a gap
      l.buffer = encode_add_sa_ex(outbound(gcm128(0xC100)), rng() % 16);
      l.offsets = {0};
    }
    const size_t length = rng() % 4 == 0 ? rng() % (l.buffer.size() + 1) : l.buffer.size();
    Bytes copy(l.buffer.begin(), l.buffer.begin() + static_cast<std::ptrdiff_t>(length));
    const uint64_t orig = l.address_of(0);
    const uint64_t base = static_cast<uint64_t>(reinterpret_cast<uintptr_t>(copy.data()));
    for (size_t off : l.offsets) {
      if (iter % 3 == 0 || off + 16 > copy.size()) continue;
      const uint64_t next = get64(copy, off + add_sa::kNext);
      if (next >= orig && next < orig + l.buffer.size()) put64(copy, off + add_sa::kNext, next - orig + base);
      if (rng() % 8 == 0) put64(copy, off + add_sa::kNext, base + rng() % (copy.size() + 8));
    }
    const int edits = static_cast<int>(rng() % 6);
    for (int e = 0; e < edits && !copy.empty(); ++e) copy[rng() % copy.size()] = byte();
    const OidResult r = oid_len(iter % 3 == 0 ? kOidAddSaEx : kOidAddSa, copy,
                                static_cast<uint32_t>(copy.size()));
    ++statuses[r.status];
    const size_t handle_at = iter % 3 == 0 ? add_sa_ex::kHandle : add_sa::kHandle;
    const uint64_t added = copy.size() >= handle_at + 8 ? get64(copy, handle_at) : 0;
    Bytes d = encode_delete({added, 0x80000000u | (rng() & 0xFFFu)});
    d[rng() % d.size()] = byte();
    d.resize(rng() % (d.size() + 1));
    oid_len(iter % 2 ? kOidDeleteSa : kOidUpdateSa, d, static_cast<uint32_t>(d.size()));
  }
  for (const auto& [status, n] : statuses) {
    std::cout << "[ add  ] status 0x" << std::hex << status << std::dec << ": " << n << "\n";
  }
  EXPECT_GT(statuses[kSuccess], 300) << "the corruption must leave some requests valid";
  EXPECT_GT(statuses.size(), 3u) << "and reach several rejection paths";
  ASSERT_EQ(vt_->reset(dut_), IPSEC_CTS_OK);

  BundleDesc gd = inbound(gcm128(0xa5f8, kGcmKeySalt));
  gd.dst = {0, 0, 0, 0};
  add(gd);
  BundleDesc cd = inbound(cbc_hmac(123, kAuthSha1, repeat(0xa5, 16), repeat(0x5a, 20)));
  cd.dst = {0, 0, 0, 0};
  add(cd);
  const Bytes frames[] = {concat({kEthIpv4, kGcmWireIp}), concat({kEthIpv4, kCbcWireIp})};
  for (int iter = 0; iter < 4000; ++iter) {
    Bytes f = frames[iter % 2];
    const int edits = static_cast<int>(rng() % 4);
    for (int e = 0; e < edits; ++e) f[rng() % f.size()] = byte();
    f.resize(rng() % (f.size() + 1));
    const RecvResult r = receive(f);
    EXPECT_EQ(r.indicated, 1u);
    EXPECT_EQ(r.frame.size(), f.size());
    EXPECT_EQ(r.info >> 32, 0u) << "OQ-24: upper half of the slot is zero";
  }
}

}  // namespace
