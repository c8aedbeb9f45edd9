// OID semantics of the SA model, one test (or more) per miniport requirement of the ADD, ADDEX,
// DEL, UPD, CAP and GEN families of the catalogue, over buffers built by the ndis encoders for
// both ABIs. Expected statuses come from the spec's documented choices (OQ-xx).
#include "oracle/sa/sa_device.h"

#include <gtest/gtest.h>

#include <random>
#include <set>

#include "oracle/sa/sa_test_requests.h"

namespace cts::sa {
namespace {

using namespace cts::ndis;
using namespace cts::sa::testing;

constexpr Abi kAbis[] = {Abi::x64, Abi::x86};
const char* abi_name(Abi a) { return a == Abi::x64 ? "x64" : "x86"; }

uint64_t read_handle(const std::vector<uint8_t>& buf, size_t off, Abi abi) {
  uint64_t v = 0;
  for (size_t i = 0; i < pointer_size(abi); ++i) v |= uint64_t{buf[off + i]} << (8 * i);
  return v;
}

// Fills every OffloadHandle of an encoded ADD list with garbage, so tests see what the device
// writes (ADD-006: NULL for failures) rather than what the encoder left.
void poison_handles(std::vector<uint8_t>& buf, uint32_t oid, Abi abi) {
  const size_t at = offload_handle_offset(oid, abi);
  if (oid == OID_TCP_TASK_IPSEC_OFFLOAD_V2_ADD_SA_EX) {
    for (size_t i = 0; i < pointer_size(abi); ++i) buf[at + i] = 0xEE;
    return;
  }
  for (size_t off : list_element_offsets(buf, oid, abi, {})) {
    for (size_t i = 0; i < pointer_size(abi); ++i) buf[off + at + i] = 0xEE;
  }
}

struct AddOutcome {
  OidResult result;
  std::vector<uint64_t> written;  // OffloadHandle as found in the buffer afterwards
};

AddOutcome add_list(SaDevice& dev, const std::vector<AddSaElement>& elements, Abi abi) {
  AddSaRequest req;
  req.elements = elements;
  std::vector<uint8_t> buf = encode_add_sa(req, abi, {});
  poison_handles(buf, OID_TCP_TASK_IPSEC_OFFLOAD_V2_ADD_SA, abi);
  AddOutcome out;
  out.result = dev.set_oid(OID_TCP_TASK_IPSEC_OFFLOAD_V2_ADD_SA, buf, abi, {});
  const size_t at = offload_handle_offset(OID_TCP_TASK_IPSEC_OFFLOAD_V2_ADD_SA, abi);
  for (size_t off : list_element_offsets(buf, OID_TCP_TASK_IPSEC_OFFLOAD_V2_ADD_SA, abi, {})) {
    out.written.push_back(read_handle(buf, off + at, abi));
  }
  return out;
}

AddOutcome add_ex(SaDevice& dev, const AddSaElement& element, Abi abi) {
  AddSaExRequest req;
  req.element = element;
  std::vector<uint8_t> buf = encode_add_sa_ex(req, abi);
  poison_handles(buf, OID_TCP_TASK_IPSEC_OFFLOAD_V2_ADD_SA_EX, abi);
  AddOutcome out;
  out.result = dev.set_oid(OID_TCP_TASK_IPSEC_OFFLOAD_V2_ADD_SA_EX, buf, abi, {});
  out.written.push_back(
      read_handle(buf, offload_handle_offset(OID_TCP_TASK_IPSEC_OFFLOAD_V2_ADD_SA_EX, abi), abi));
  return out;
}

Handle add_one(SaDevice& dev, const AddSaElement& e, Abi abi = Abi::x64) {
  AddOutcome o = add_ex(dev, e, abi);
  EXPECT_EQ(o.result.status, NDIS_STATUS_SUCCESS) << o.result.message;
  return o.written[0];
}

OidResult delete_handles(SaDevice& dev, const std::vector<uint64_t>& handles, Abi abi) {
  DeleteSaRequest req;
  for (uint64_t h : handles) req.elements.push_back(DeleteSaElement{{}, h});
  std::vector<uint8_t> buf = encode_delete_sa(req, abi, {});
  return dev.set_oid(OID_TCP_TASK_IPSEC_OFFLOAD_V2_DELETE_SA, buf, abi, {});
}

OidResult update(SaDevice& dev, uint64_t handle, uint32_t op, uint32_t spi, uint32_t high,
                 Abi abi = Abi::x64) {
  UpdateSaRequest req;
  req.offload_handle = handle;
  req.operation = op;
  req.spi = spi;
  req.sequence_number_high_order = high;
  std::vector<uint8_t> buf = encode_update_sa(req, abi);
  return dev.set_oid(OID_TCP_TASK_IPSEC_OFFLOAD_V2_UPDATE_SA, buf, abi, {});
}

DeviceProfile small_full(uint32_t capacity) {
  DeviceProfile p = full_profile();
  p.set_total_capacity(capacity);
  return p;
}

// Failure of an element or request, whatever status the validator chose (the suite only checks
// "failed" where the spec documents no status, OQ-04).
#define EXPECT_FAILED(status) EXPECT_TRUE(ndis_failed(status)) << ndis_status_name(status)

// --- GEN --------------------------------------------------------------------------------------

TEST(Gen, GEN001_AllFourSaOidsAreHandledOnEitherAbi) {
  for (Abi abi : kAbis) {
    SaDevice dev(small_full(16));
    AddOutcome a = add_list(dev, {esp_gcm128(0x100, true)}, abi);
    EXPECT_EQ(a.result.status, NDIS_STATUS_SUCCESS) << abi_name(abi) << a.result.message;
    AddOutcome b = add_ex(dev, with_esn(esp_gcm128(0x101, false), 0), abi);
    EXPECT_EQ(b.result.status, NDIS_STATUS_SUCCESS) << abi_name(abi) << b.result.message;
    EXPECT_EQ(update(dev, b.written[0], IPsecOffloadV2Esp, 0x101, 1, abi).status, NDIS_STATUS_SUCCESS);
    EXPECT_EQ(delete_handles(dev, {a.written[0], b.written[0]}, abi).status, NDIS_STATUS_SUCCESS);
    EXPECT_EQ(dev.table().size(), 0u);
  }
}

TEST(Gen, UnknownOidIsInvalidOid) {
  SaDevice dev(small_full(4));
  std::vector<uint8_t> buf(64, 0);
  for (uint32_t oid : {OID_TCP_OFFLOAD_PARAMETERS, 0xFC010202u /* v1 ADD_SA */, 0xFC030201u,
                       0xFC030206u, 0u}) {
    OidResult r = dev.set_oid(oid, buf, Abi::x64);
    EXPECT_EQ(r.status, NDIS_STATUS_INVALID_OID) << std::hex << oid;
  }
}

TEST(Gen, GEN004_GEN005_OutOfRangeFieldIsInvalidData) {
  SaDevice dev(small_full(4));
  AddSaElement e = esp_gcm128(0x100, false);
  e.num_ext_hdrs = 3;  // OQ-04: malformed field values -> NDIS_STATUS_INVALID_DATA
  AddOutcome o = add_ex(dev, e, Abi::x64);
  EXPECT_EQ(o.result.status, NDIS_STATUS_INVALID_DATA);
  EXPECT_EQ(o.written[0], 0u);
  EXPECT_FALSE(o.result.elements.empty());
  EXPECT_NE(o.result.elements[0].field.find("NumExtHdrs"), std::string::npos)
      << "the rejection names the field: " << o.result.elements[0].field;
}

TEST(Gen, GEN010_HeaderTypeOtherThanDefaultFails) {
  for (Abi abi : kAbis) {
    SaDevice dev(small_full(4));
    AddSaElement e = esp_gcm128(0x100, false);
    e.header.type = 0x81;
    AddOutcome o = add_ex(dev, e, abi);
    EXPECT_FAILED(o.result.status);
    EXPECT_EQ(o.written[0], 0u);
    EXPECT_EQ(dev.table().size(), 0u);
    AddOutcome l = add_list(dev, {e}, abi);
    EXPECT_FAILED(l.result.status);
    EXPECT_EQ(dev.table().size(), 0u);
  }
}

TEST(Gen, GEN011_DocumentedAndSizeofHeaderSizesAcceptedSmallerRefused) {
  for (Abi abi : kAbis) {
    const LayoutSizes& s = layout_sizes(abi);
    SaDevice dev(small_full(16));
    AddSaElement e = esp_gcm128(0x100, false);
    e.header.size = s.add_sa_sizeof_rev1;  // 169 / 157
    EXPECT_EQ(add_list(dev, {e}, abi).result.status, NDIS_STATUS_SUCCESS);
    e.header.size = static_cast<uint16_t>(s.add_sa_struct);  // sizeof: 176 / 160 (OQ-01)
    EXPECT_EQ(add_list(dev, {e}, abi).result.status, NDIS_STATUS_SUCCESS);
    e.header.size = static_cast<uint16_t>(s.add_sa_sizeof_rev1 - 1);
    EXPECT_FAILED(add_list(dev, {e}, abi).result.status);
    AddSaElement x = esp_gcm128(0x200, false);
    x.header.size = s.add_sa_ex_sizeof_rev1;  // 170 / 162
    EXPECT_EQ(add_ex(dev, x, abi).result.status, NDIS_STATUS_SUCCESS);
    x.header.size = static_cast<uint16_t>(s.add_sa_ex_sizeof_rev1 - 1);
    EXPECT_FAILED(add_ex(dev, x, abi).result.status);
    EXPECT_EQ(dev.table().size(), 3u) << abi_name(abi);
  }
}

TEST(Gen, GEN012_X86HandlesAreWrittenInFourBytes) {
  SaDevice dev(small_full(16));
  AddSaRequest req;
  req.elements = {esp_gcm128(0x100, true), esp_gcm128(0x101, false)};
  std::vector<uint8_t> buf = encode_add_sa(req, Abi::x86, {});
  const size_t at = offload_handle_offset(OID_TCP_TASK_IPSEC_OFFLOAD_V2_ADD_SA, Abi::x86);
  EXPECT_EQ(at, 48u) << "ADD_SA: OffloadHandle at 48 on x86";
  const auto offs = list_element_offsets(buf, OID_TCP_TASK_IPSEC_OFFLOAD_V2_ADD_SA, Abi::x86, {});
  ASSERT_EQ(offs.size(), 2u);
  const std::vector<uint8_t> original = buf;
  OidResult r = dev.set_oid(OID_TCP_TASK_IPSEC_OFFLOAD_V2_ADD_SA, buf, Abi::x86);
  ASSERT_EQ(r.status, NDIS_STATUS_SUCCESS) << r.message;
  std::vector<uint8_t> expected = original;
  for (size_t i = 0; i < 2; ++i) {
    const uint64_t h = read_handle(buf, offs[i] + at, Abi::x86);
    EXPECT_EQ(h, r.elements[i].handle);
    EXPECT_NE(dev.table().find(h), nullptr);
    for (size_t b = 0; b < 4; ++b) expected[offs[i] + at + b] = static_cast<uint8_t>(h >> (8 * b));
  }
  EXPECT_EQ(buf, expected) << "the device writes the 4-byte OffloadHandle fields and nothing else";
}

TEST(Gen, GEN008_NeverIndicationRequiredOrPending) {
  SaDevice dev(small_full(4));
  std::vector<OidResult> results;
  results.push_back(add_list(dev, {esp_gcm128(1, true), esp_gcm128(2, true)}, Abi::x64).result);
  results.push_back(add_ex(dev, esp_gcm128(3, true), Abi::x64).result);
  results.push_back(add_ex(dev, esp_gcm128(4, true), Abi::x64).result);
  results.push_back(add_ex(dev, esp_gcm128(5, true), Abi::x64).result);  // capacity
  results.push_back(update(dev, 12345, IPsecOffloadV2Esp, 1, 1));
  results.push_back(delete_handles(dev, {0, 7}, Abi::x64));
  for (const OidResult& r : results) {
    EXPECT_NE(r.status, NDIS_STATUS_INDICATION_REQUIRED);
    EXPECT_NE(r.status, NDIS_STATUS_PENDING);
  }
}

// --- CAP --------------------------------------------------------------------------------------

TEST(Cap, CAP010_SaOffloadCapacityBundlesFitAndNoMore) {
  DeviceProfile p = softnic_profile();
  p.pools = {};
  p.set_total_capacity(5);
  SaDevice dev(p);
  EXPECT_EQ(dev.profile().capabilities.sa_offload_capacity, 5u);
  for (uint32_t i = 0; i < 5; ++i) add_one(dev, esp_gcm128(0x100 + i, i % 2 == 0));
  AddOutcome o = add_ex(dev, esp_gcm128(0x200, false), Abi::x64);
  EXPECT_EQ(o.result.status, NDIS_STATUS_RESOURCES) << "OQ-04: capacity -> RESOURCES";
  EXPECT_EQ(o.written[0], 0u);
  EXPECT_NE(o.result.elements[0].reason.find("total_bundles"), std::string::npos)
      << o.result.elements[0].reason;
}

TEST(Cap, CAP010_OQ18_EachDirectionIsOneBundle) {
  DeviceProfile p = small_full(2);
  SaDevice dev(p);
  add_one(dev, esp_gcm128(0x100, true));
  add_one(dev, esp_gcm128(0x101, false));  // the pair uses two units (OQ-18)
  EXPECT_EQ(add_ex(dev, esp_gcm128(0x102, true), Abi::x64).result.status, NDIS_STATUS_RESOURCES);
}

TEST(Cap, CAP019_EsnNotAdvertisedRefusesEsnSaAndUpdate) {
  DeviceProfile p = softnic_profile();
  p.capabilities.extended_sequence_numbers = false;
  SaDevice dev(p);
  AddOutcome o = add_ex(dev, with_esn(esp_gcm128(0x100, false), 5), Abi::x64);
  EXPECT_EQ(o.result.status, NDIS_STATUS_NOT_SUPPORTED);
  EXPECT_EQ(o.written[0], 0u);
  const Handle h = add_one(dev, esp_gcm128(0x101, false));
  EXPECT_EQ(update(dev, h, IPsecOffloadV2Esp, 0x101, 1).status, NDIS_STATUS_INVALID_PARAMETER);
}

TEST(Cap, CAP001_ReportedStructureIsTheProfiles) {
  SaDevice dev(softnic_profile());
  const auto& c = dev.profile().capabilities;
  EXPECT_TRUE(c.esp);
  EXPECT_FALSE(c.ah);
  EXPECT_EQ(c.encapsulation & NDIS_ENCAPSULATION_IEEE_802_3, NDIS_ENCAPSULATION_IEEE_802_3)
      << "CAP-008";
  EXPECT_TRUE(c.tunnel) << "CAP-009 (OQ-19)";
  EXPECT_EQ(c.sa_offload_capacity, dev.profile().pools.total_bundles);
}

// --- ADD --------------------------------------------------------------------------------------

TEST(Add, ADD002_ADD003_ListProcessedAndHandlesWrittenBack) {
  for (Abi abi : kAbis) {
    SaDevice dev(small_full(16));
    AddOutcome o = add_list(dev, {esp_gcm128(0x100, true), esp_cbc_sha1(0x101, false),
                                  ah_sha256(0x102, true)},
                            abi);
    ASSERT_EQ(o.result.status, NDIS_STATUS_SUCCESS) << o.result.message;
    ASSERT_EQ(o.written.size(), 3u);
    std::set<uint64_t> distinct(o.written.begin(), o.written.end());
    EXPECT_EQ(distinct.size(), 3u);
    for (size_t i = 0; i < 3; ++i) {
      EXPECT_NE(o.written[i], 0u) << "ADD-003 / OQ-22: never NULL on success";
      EXPECT_EQ(o.written[i], o.result.elements[i].handle);
      EXPECT_NE(dev.table().find(o.written[i]), nullptr);
    }
    EXPECT_EQ(dev.table().size(), 3u);
    EXPECT_GT(o.result.bytes_read, 0u);
  }
}

TEST(Add, ADD002_LiveNextPointers) {
  // In-process buffers hold real pointers in Next (the DUT ABI); the device follows them.
  SaDevice dev(small_full(16));
  AddSaRequest req;
  req.elements = {esp_gcm128(0x100, true), esp_gcm128(0x101, false)};
  std::vector<uint8_t> buf = encode_add_sa(req, Abi::x64, {});
  const NextLinks live{reinterpret_cast<uint64_t>(buf.data())};
  ASSERT_TRUE(rebase_next_links(buf, OID_TCP_TASK_IPSEC_OFFLOAD_V2_ADD_SA, Abi::x64, {}, live));
  OidResult r = dev.set_oid(OID_TCP_TASK_IPSEC_OFFLOAD_V2_ADD_SA, buf, Abi::x64, live);
  EXPECT_EQ(r.status, NDIS_STATUS_SUCCESS) << r.message;
  EXPECT_EQ(dev.table().size(), 2u);
}

TEST(Add, ADD004_ADD006_PartialSuccessWithNullHandles) {
  SaDevice dev(softnic_profile());  // no AH, no MD5
  AddSaElement md5 = esp_cbc_sha1(0x101, false);
  md5.sec_assoc[0].authentication = {IPSEC_OFFLOAD_V2_AUTHENTICATION_MD5, 16, 16, 0};
  md5.key_data = key_bytes(32, 1);
  AddOutcome o = add_list(dev, {esp_gcm128(0x100, true), md5, esp_gcm128(0x102, false)}, Abi::x64);
  EXPECT_EQ(o.result.status, NDIS_STATUS_SUCCESS) << "ADD-004: at least one offloaded";
  ASSERT_EQ(o.written.size(), 3u);
  EXPECT_NE(o.written[0], 0u);
  EXPECT_EQ(o.written[1], 0u) << "ADD-006: NULL for the element not offloaded";
  EXPECT_NE(o.written[2], 0u);
  EXPECT_EQ(o.result.elements[1].status, NDIS_STATUS_NOT_SUPPORTED);
  EXPECT_EQ(dev.table().size(), 2u) << "OQ-03: exactly the non-NULL ones offloaded";
}

TEST(Add, ADD005_NoneOffloadedFailsAndLeavesNothing) {
  for (Abi abi : kAbis) {
    SaDevice dev(softnic_profile());
    add_one(dev, esp_gcm128(0x50, false), abi);
    const std::string before = dev.table().dump_text();
    AddOutcome o = add_list(dev, {ah_sha256(0x100, true), ah_sha256(0x101, false)}, abi);
    EXPECT_FAILED(o.result.status);
    EXPECT_EQ(o.result.status, NDIS_STATUS_NOT_SUPPORTED);
    for (uint64_t h : o.written) EXPECT_EQ(h, 0u);
    EXPECT_EQ(dev.table().dump_text(), before);
  }
}

TEST(Add, ADD007_CapacityExhaustedInsideOneList) {
  SaDevice dev(small_full(2));
  AddOutcome o = add_list(dev, {esp_gcm128(1, true), esp_gcm128(2, true), esp_gcm128(3, true)},
                          Abi::x64);
  EXPECT_EQ(o.result.status, NDIS_STATUS_SUCCESS);
  EXPECT_NE(o.written[0], 0u);
  EXPECT_NE(o.written[1], 0u);
  EXPECT_EQ(o.written[2], 0u);
  EXPECT_EQ(o.result.elements[2].status, NDIS_STATUS_RESOURCES);
  AddOutcome full = add_list(dev, {esp_gcm128(4, true)}, Abi::x64);
  EXPECT_EQ(full.result.status, NDIS_STATUS_RESOURCES);
}

TEST(Add, ADD007_SeparatePoolsAndDestinationTable) {
  SaDevice dev(softnic_profile());  // 1024 in, 1024 out, 128 inbound destinations
  for (uint32_t d = 0; d < 128; ++d) {
    add_one(dev, esp_gcm128(0x1000 + d, true, static_cast<uint8_t>(d)));
  }
  AddOutcome o = add_ex(dev, esp_gcm128(0x2000, true, 200), Abi::x64);
  EXPECT_EQ(o.result.status, NDIS_STATUS_RESOURCES);
  EXPECT_NE(o.result.elements[0].reason.find("inbound_destination_addresses"), std::string::npos)
      << o.result.elements[0].reason;
  EXPECT_EQ(add_ex(dev, esp_gcm128(0x2001, true, 5), Abi::x64).result.status, NDIS_STATUS_SUCCESS)
      << "a known destination still fits";
  EXPECT_EQ(add_ex(dev, esp_gcm128(0x2002, false, 200), Abi::x64).result.status, NDIS_STATUS_SUCCESS)
      << "outbound bundles do not use the destination table";
}

TEST(Add, ADD008_ADD025_AlgorithmNotAdvertisedIsNotSupported) {
  SaDevice dev(softnic_profile());
  AddSaElement gcm192 = esp_gcm128(0x100, false);
  gcm192.sec_assoc[0].encryption = {IPSEC_OFFLOAD_V2_ENCRYPTION_AES_GCM_192, 28, 0, 16};
  gcm192.key_data = key_bytes(28, 3);
  AddOutcome o = add_ex(dev, gcm192, Abi::x64);
  EXPECT_EQ(o.result.status, NDIS_STATUS_NOT_SUPPORTED);
  EXPECT_EQ(o.result.elements[0].field, "SecAssoc[0].EncryptionAlgorithm.Identifier");
  EXPECT_EQ(o.written[0], 0u);
  AddSaElement sha256 = esp_cbc_sha1(0x101, false);
  sha256.sec_assoc[0].authentication = {IPSEC_OFFLOAD_V2_AUTHENTICATION_SHA_256, 32, 16, 0};
  sha256.key_data = key_bytes(48, 4);
  EXPECT_EQ(add_ex(dev, sha256, Abi::x64).result.status, NDIS_STATUS_SUCCESS);
}

TEST(Add, ADD025_MoreThanOneIdentifierBitIsInvalidData) {
  SaDevice dev(small_full(4));
  AddSaElement e = esp_cbc_sha1(0x100, false);
  e.sec_assoc[0].authentication.identifier =
      IPSEC_OFFLOAD_V2_AUTHENTICATION_SHA_1 | IPSEC_OFFLOAD_V2_AUTHENTICATION_MD5;
  EXPECT_EQ(add_ex(dev, e, Abi::x64).result.status, NDIS_STATUS_INVALID_DATA);
  EXPECT_EQ(dev.table().size(), 0u);
}

TEST(Add, ADD010_ADD011_EspThenAhBundle) {
  SaDevice dev(small_full(4));
  const Handle h = add_one(dev, esp_then_ah(0x100, 0x200, true));
  const StoredBundle* b = dev.table().find(h);
  ASSERT_NE(b, nullptr);
  EXPECT_EQ(b->spec.num_ext_hdrs, 2u);
  EXPECT_EQ(b->spec.sas[0].operation, IPsecOffloadV2Esp);
  EXPECT_EQ(b->spec.sas[1].operation, IPsecOffloadV2Ah);
  // The reverse order is not a supported combination.
  AddSaElement reversed = esp_then_ah(0x101, 0x201, true);
  std::swap(reversed.sec_assoc[0], reversed.sec_assoc[1]);
  EXPECT_FAILED(add_ex(dev, reversed, Abi::x64).result.status);
  // NumExtHdrs outside {1, 2}.
  for (uint32_t n : {0u, 3u, 0xFFFFFFFFu}) {
    AddSaElement e = esp_gcm128(0x300, true);
    e.num_ext_hdrs = n;
    EXPECT_EQ(add_ex(dev, e, Abi::x64).result.status, NDIS_STATUS_INVALID_DATA) << n;
  }
  EXPECT_EQ(dev.table().size(), 1u);
}

TEST(Add, ADD010_TwoSasNeedAhEspCombined) {
  DeviceProfile p = small_full(4);
  p.capabilities.ah_esp_combined = false;
  SaDevice dev(p);
  AddOutcome o = add_ex(dev, esp_then_ah(0x100, 0x200, true), Abi::x64);
  EXPECT_EQ(o.result.status, NDIS_STATUS_NOT_SUPPORTED);
  EXPECT_EQ(o.result.elements[0].field, "NumExtHdrs");
}

TEST(Add, ADD012_InboundFlagSelectsDirection) {
  SaDevice dev(small_full(4));
  const Handle in = add_one(dev, esp_gcm128(0x100, true));
  const Handle out = add_one(dev, esp_gcm128(0x101, false));
  EXPECT_TRUE(dev.table().find(in)->inbound());
  EXPECT_FALSE(dev.table().find(out)->inbound());
  EXPECT_TRUE(dev.table().find_inbound(0x100, std::array<uint8_t, 4>{10, 0, 1, 2}, IPsecOffloadV2Esp));
  EXPECT_FALSE(dev.table().find_inbound(0x101, std::array<uint8_t, 4>{10, 0, 1, 2}, IPsecOffloadV2Esp));
}

TEST(Add, ADD013_Ipv6FlagSelectsIpv6EndpointsAndNeedsIpv6Supported) {
  std::array<uint8_t, 16> src{0x20, 0x01, 0x0d, 0xb8};
  std::array<uint8_t, 16> dst{0x20, 0x01, 0x0d, 0xb8};
  src[15] = 1;
  dst[15] = 2;
  AddSaElement e = esp_gcm128(0x100, true);
  e.flags |= IPSEC_OFFLOAD_V2_IPv6;
  e.endpoints = Endpoints::ipv6(src, dst);
  SaDevice dev(small_full(4));
  const Handle h = add_one(dev, e);
  EXPECT_TRUE(dev.table().find(h)->spec.ipv6);
  EXPECT_TRUE(dev.table().find_inbound(0x100, dst, IPsecOffloadV2Esp));
  DeviceProfile v4only = small_full(4);
  v4only.capabilities.ipv6_supported = false;
  SaDevice dev4(v4only);
  AddOutcome o = add_ex(dev4, e, Abi::x86);
  EXPECT_EQ(o.result.status, NDIS_STATUS_NOT_SUPPORTED);
  EXPECT_EQ(o.result.elements[0].field, "Flags");
}

TEST(Add, ADD014_ADD015_ZeroAddressesAreWildcards) {
  SaDevice dev(small_full(4));
  AddSaElement e = esp_gcm128(0x100, true);
  e.endpoints = Endpoints::ipv4({0, 0, 0, 0}, {0, 0, 0, 0});
  add_one(dev, e);
  EXPECT_TRUE(dev.table().find_inbound(0x100, std::array<uint8_t, 4>{203, 0, 113, 5}, IPsecOffloadV2Esp))
      << "OQ-28: wildcard DestAddr matches any destination";
}

TEST(Add, ADD016_UdpEspTypeMustBeAdvertised) {
  AddSaElement e = esp_gcm128(0x100, true);
  e.udp_esp_encapsulation = IPSEC_OFFLOAD_V2_UDP_ESP_ENCAPSULATION_TRANSPORT;
  SaDevice soft(softnic_profile());  // UdpEsp = 0
  AddOutcome o = add_ex(soft, e, Abi::x64);
  EXPECT_EQ(o.result.status, NDIS_STATUS_NOT_SUPPORTED);
  EXPECT_EQ(o.result.elements[0].field, "UdpEspEncapsulation");
  SaDevice full(small_full(8));
  EXPECT_EQ(add_ex(full, e, Abi::x64).result.status, NDIS_STATUS_SUCCESS);
  // OQ-20: more than one type in one SA is malformed.
  e.udp_esp_encapsulation = IPSEC_OFFLOAD_V2_UDP_ESP_ENCAPSULATION_TRANSPORT |
                            IPSEC_OFFLOAD_V2_UDP_ESP_ENCAPSULATION_TUNNEL;
  EXPECT_FAILED(add_ex(full, e, Abi::x64).result.status);
  // The mode implied by the type must be advertised too.
  DeviceProfile no_combined = small_full(8);
  no_combined.capabilities.transport_tunnel_combined = false;
  SaDevice dev(no_combined);
  e.udp_esp_encapsulation = IPSEC_OFFLOAD_V2_UDP_ESP_ENCAPSULATION_TRANSPORT_OVER_TUNNEL;
  EXPECT_EQ(add_ex(dev, e, Abi::x64).result.status, NDIS_STATUS_NOT_SUPPORTED);
}

TEST(Add, ADD017_ADD018_KeysLocatedByOffsets) {
  SaDevice dev(small_full(4));
  // AES-CBC key after the HMAC key this time: only the offsets say where each one is.
  AddSaElement e = esp_cbc_sha1(0x100, false);
  e.sec_assoc[0].authentication.key_offset_bytes = 0;
  e.sec_assoc[0].encryption.key_offset_bytes = 20;
  for (Abi abi : kAbis) {
    const Handle h = add_one(dev, e, abi);
    const SaKeys& k = dev.table().find(h)->spec.sas[0].keys;
    ASSERT_EQ(k.authentication_key_length, 20u);
    ASSERT_EQ(k.encryption_key_length, 16u);
    EXPECT_TRUE(std::equal(k.authentication_key.begin(), k.authentication_key.begin() + 20,
                           e.key_data.begin()));
    EXPECT_TRUE(std::equal(k.encryption_key.begin(), k.encryption_key.begin() + 16,
                           e.key_data.begin() + 20));
  }
  AddSaElement outside = esp_cbc_sha1(0x101, false);
  outside.sec_assoc[0].authentication.key_offset_bytes = 17;  // 17 + 20 > 36
  EXPECT_EQ(add_ex(dev, outside, Abi::x64).result.status, NDIS_STATUS_INVALID_DATA);
}

TEST(Add, ADD019_AhWithEncryptionAlgorithmRefused) {
  SaDevice dev(small_full(4));
  AddSaElement e = ah_sha256(0x100, true);
  e.sec_assoc[0].encryption = {IPSEC_OFFLOAD_V2_ENCRYPTION_AES_CBC_128, 16, 0, 0};
  EXPECT_FAILED(add_ex(dev, e, Abi::x64).result.status);
  EXPECT_EQ(dev.table().size(), 0u);
  EXPECT_EQ(add_ex(dev, ah_sha256(0x101, true), Abi::x64).result.status, NDIS_STATUS_SUCCESS);
}

TEST(Add, ADD020_EspWithoutAnyAlgorithmRefused) {
  SaDevice dev(small_full(4));
  AddSaElement e = esp_gcm128(0x100, true);
  e.sec_assoc[0].encryption = {};
  e.key_data.clear();
  EXPECT_FAILED(add_ex(dev, e, Abi::x64).result.status);
  EXPECT_EQ(dev.table().size(), 0u);
}

TEST(Add, OQ09_EncryptionWithoutAuthenticationOnlyForCombinedMode) {
  SaDevice dev(small_full(4));
  AddSaElement cbc_only = esp_cbc_sha1(0x100, false);
  cbc_only.sec_assoc[0].authentication = {};
  cbc_only.key_data.resize(16);
  EXPECT_EQ(add_ex(dev, cbc_only, Abi::x64).result.status, NDIS_STATUS_NOT_SUPPORTED);
  EXPECT_EQ(add_ex(dev, esp_gcm128(0x101, false), Abi::x64).result.status, NDIS_STATUS_SUCCESS);
}

TEST(Add, ADD021_ADD022_GcmIcvLengthFromAdditionalInfo) {
  SaDevice dev(small_full(16));
  for (uint32_t icv : {8u, 12u, 16u}) {
    AddSaElement e = esp_gcm128(0x100 + icv, false);
    e.sec_assoc[0].encryption.additional_info = icv;
    const Handle h = add_one(dev, e);
    const SaSpec& sa = dev.table().find(h)->spec.sas[0];
    EXPECT_EQ(sa.icv_length, icv);
    EXPECT_EQ(sa.authentication_algorithm, 0u) << "ADD-021: no separate authentication";
    EXPECT_TRUE(sa.keys.has_salt) << "OQ-07: key block = key || salt";
  }
  for (uint32_t icv : {0u, 4u, 10u, 20u}) {
    AddSaElement e = esp_gcm128(0x200 + icv, false);
    e.sec_assoc[0].encryption.additional_info = icv;
    EXPECT_EQ(add_ex(dev, e, Abi::x64).result.status, NDIS_STATUS_INVALID_DATA) << icv;
  }
}

TEST(Add, OQ07_GcmKeyWithoutSaltIsAProfileKnob) {
  DeviceProfile p = small_full(8);
  p.validation.gcm_key_includes_salt = false;
  SaDevice dev(p);
  AddSaElement e = esp_gcm128(0x100, false);
  e.sec_assoc[0].encryption.key_length = 16;
  e.key_data.resize(16);
  EXPECT_EQ(add_ex(dev, e, Abi::x64).result.status, NDIS_STATUS_SUCCESS);
  AddSaElement salted = esp_gcm128(0x101, false);  // 20-byte key under the no-salt convention
  EXPECT_FAILED(add_ex(dev, salted, Abi::x64).result.status);
}

TEST(Add, ADD023_EsnFlagAndInitialHighOrder) {
  SaDevice dev(small_full(4));
  const Handle h = add_one(dev, with_esn(esp_gcm128(0x100, true), 0x89ABCDEF));
  const SaSpec& sa = dev.table().find(h)->spec.sas[0];
  EXPECT_TRUE(sa.esn);
  EXPECT_EQ(sa.sequence_number_high_order, 0x89ABCDEFu);
  AddSaElement bad = esp_gcm128(0x101, true);
  bad.sec_assoc[0].flags = 0x2;  // only IPSEC_OFFLOAD_V2_ESN_SA is defined
  EXPECT_FAILED(add_ex(dev, bad, Abi::x64).result.status);
}

TEST(Add, ADD024_OperationOutsideAhEspIsInvalidData) {
  SaDevice dev(small_full(4));
  for (uint32_t op : {0u, IPsecOffloadV2Max, 0x100u}) {
    AddSaElement e = esp_gcm128(0x100, true);
    e.sec_assoc[0].operation = op;
    EXPECT_EQ(add_ex(dev, e, Abi::x64).result.status, NDIS_STATUS_INVALID_DATA) << op;
  }
  EXPECT_EQ(dev.table().size(), 0u);
}

TEST(Add, OperationNotAdvertisedIsNotSupported) {
  DeviceProfile p = small_full(4);
  p.capabilities.esp = false;
  SaDevice dev(p);
  AddOutcome o = add_ex(dev, esp_gcm128(0x100, true), Abi::x64);
  EXPECT_EQ(o.result.status, NDIS_STATUS_NOT_SUPPORTED);
  EXPECT_EQ(o.result.elements[0].field, "SecAssoc[0].Operation");
  EXPECT_EQ(add_ex(dev, ah_sha256(0x101, true), Abi::x64).result.status, NDIS_STATUS_SUCCESS);
}

TEST(Add, SpiOutsideAcceptedRangeIsNotSupported) {
  DeviceProfile p = small_full(4);
  p.accepted_spi_range = SpiRange{0x1000, 0x1FFF};
  SaDevice dev(p);
  AddOutcome o = add_ex(dev, esp_gcm128(0x2000, true), Abi::x64);
  EXPECT_EQ(o.result.status, NDIS_STATUS_NOT_SUPPORTED);
  EXPECT_EQ(o.result.elements[0].field, "SecAssoc[0].Spi");
  EXPECT_EQ(add_ex(dev, esp_gcm128(0x1FFF, true), Abi::x64).result.status, NDIS_STATUS_SUCCESS);
}

TEST(Add, TruncatedBufferIsInvalidLengthWithBytesNeeded) {
  for (Abi abi : kAbis) {
    SaDevice dev(small_full(4));
    AddSaRequest req;
    req.elements = {esp_gcm128(0x100, true)};
    std::vector<uint8_t> buf = encode_add_sa(req, abi, {});
    const size_t full = layout_sizes(abi).add_sa_key_data_offset + 20;  // KeyData + 20-byte key
    ASSERT_GE(buf.size(), full);
    buf.resize(full - 1);  // the last key byte no longer fits
    OidResult r = dev.set_oid(OID_TCP_TASK_IPSEC_OFFLOAD_V2_ADD_SA, buf, abi);
    EXPECT_EQ(r.status, NDIS_STATUS_INVALID_LENGTH) << "OQ-04";
    EXPECT_GE(r.bytes_needed, full - 1);
    EXPECT_EQ(dev.table().size(), 0u);
  }
}

// --- ADDEX ------------------------------------------------------------------------------------

TEST(AddEx, ADDEX003_SuccessWritesHandle) {
  for (Abi abi : kAbis) {
    SaDevice dev(small_full(4));
    AddOutcome o = add_ex(dev, esp_cbc_sha1(0x100, true), abi);
    EXPECT_EQ(o.result.status, NDIS_STATUS_SUCCESS);
    EXPECT_NE(o.written[0], 0u);
    EXPECT_EQ(o.written[0], o.result.elements[0].handle);
    EXPECT_NE(dev.table().find(o.written[0]), nullptr);
  }
}

TEST(AddEx, ADDEX004_FailureWritesNullAndLeavesNothing) {
  for (Abi abi : kAbis) {
    SaDevice dev(softnic_profile());
    add_one(dev, esp_gcm128(1, false), abi);
    const std::string before = dev.table().dump_text();
    AddOutcome o = add_ex(dev, ah_sha256(0x100, true), abi);
    EXPECT_FAILED(o.result.status);
    EXPECT_EQ(o.written[0], 0u) << "handle field was poisoned; the device must write NULL";
    EXPECT_EQ(dev.table().dump_text(), before);
  }
}

TEST(AddEx, ADDEX005_CapacityRefusal) {
  SaDevice dev(small_full(1));
  add_one(dev, esp_gcm128(1, false));
  AddOutcome o = add_ex(dev, esp_gcm128(2, false), Abi::x64);
  EXPECT_EQ(o.result.status, NDIS_STATUS_RESOURCES);
  EXPECT_EQ(o.written[0], 0u);
}

TEST(AddEx, ADDEX006_ADDEX007_KeyBlockAtKeyOffset) {
  for (Abi abi : kAbis) {
    SaDevice dev(small_full(4));
    AddSaElement e = esp_cbc_sha1(0x100, false);
    e.key_offset = 256;  // far after the structure; OQ-05: key offsets relative to the block
    const Handle h = add_one(dev, e, abi);
    const SaKeys& k = dev.table().find(h)->spec.sas[0].keys;
    EXPECT_TRUE(std::equal(k.encryption_key.begin(), k.encryption_key.begin() + 16, e.key_data.begin()));
    EXPECT_TRUE(std::equal(k.authentication_key.begin(), k.authentication_key.begin() + 20,
                           e.key_data.begin() + 16));
    // OQ-05: a key block overlapping the structure is refused.
    AddSaElement inside = esp_cbc_sha1(0x101, false);
    inside.key_offset = 100;
    EXPECT_FAILED(add_ex(dev, inside, abi).result.status);
  }
}

TEST(AddEx, ADDEX008_ReservedFieldsIgnored) {
  SaDevice dev(small_full(4));
  AddSaElement e = esp_gcm128(0x100, true);
  e.source_switch_port_id = 0xDEADBEEF;
  e.vlan_id = 0x0FFF;
  EXPECT_EQ(add_ex(dev, e, Abi::x64).result.status, NDIS_STATUS_SUCCESS);
}

TEST(AddEx, ADDEX009_HeaderRevisionAndSize) {
  for (Abi abi : kAbis) {
    SaDevice dev(small_full(8));
    AddSaElement e = esp_gcm128(0x100, true);
    e.header.revision = 0;
    EXPECT_FAILED(add_ex(dev, e, abi).result.status);
    e.header.revision = 2;  // OQ-01: Revision >= 1 accepted
    EXPECT_EQ(add_ex(dev, e, abi).result.status, NDIS_STATUS_SUCCESS);
    EXPECT_EQ(dev.table().size(), 1u);
  }
}

TEST(AddEx, ADDEX010_SameFieldSemanticsAsAddSa) {
  SaDevice dev(softnic_profile());
  AddSaElement e = esp_gcm128(0x100, true);
  e.udp_esp_encapsulation = IPSEC_OFFLOAD_V2_UDP_ESP_ENCAPSULATION_TUNNEL;
  EXPECT_EQ(add_ex(dev, e, Abi::x64).result.status, add_list(dev, {e}, Abi::x64).result.status);
  EXPECT_EQ(dev.table().size(), 0u);
}

// --- DEL --------------------------------------------------------------------------------------

TEST(Del, DEL002_DEL003_ListDeletesAndFreesCapacity) {
  for (Abi abi : kAbis) {
    SaDevice dev(small_full(3));
    const Handle a = add_one(dev, esp_gcm128(1, true), abi);
    const Handle b = add_one(dev, esp_gcm128(2, false), abi);
    const Handle c = add_one(dev, esp_cbc_sha1(3, false), abi);
    EXPECT_EQ(add_ex(dev, esp_gcm128(4, false), abi).result.status, NDIS_STATUS_RESOURCES);
    const StoredBundle* stored_c = dev.table().find(c);
    OidResult r = delete_handles(dev, {a, c}, abi);
    EXPECT_EQ(r.status, NDIS_STATUS_SUCCESS);
    EXPECT_EQ(dev.table().size(), 1u);
    EXPECT_EQ(dev.table().find(a), nullptr);
    EXPECT_NE(dev.table().find(b), nullptr);
    // DEL-003 / OQ-12: keys cleansed (slot storage never moves, so the old address is readable).
    for (uint8_t byte : stored_c->spec.sas[0].keys.authentication_key) ASSERT_EQ(byte, 0u);
    for (uint8_t byte : stored_c->spec.sas[0].keys.encryption_key) ASSERT_EQ(byte, 0u);
    EXPECT_EQ(add_ex(dev, esp_gcm128(4, false), abi).result.status, NDIS_STATUS_SUCCESS)
        << "capacity freed";
    EXPECT_GT(r.bytes_read, 0u);
  }
}

TEST(Del, DEL004_OQ12_UnknownNullAndRepeatedHandlesSucceed) {
  SaDevice dev(small_full(4));
  const Handle a = add_one(dev, esp_gcm128(1, true));
  OidResult r = delete_handles(dev, {0, a, a, 0x12345677, a + 2}, Abi::x64);
  EXPECT_EQ(r.status, NDIS_STATUS_SUCCESS);
  EXPECT_EQ(dev.table().size(), 0u);
  ASSERT_EQ(r.elements.size(), 5u);
  EXPECT_EQ(r.elements[1].reason, "");
  EXPECT_NE(r.elements[2].reason, "") << "the repeat is reported as a no-op";
}

TEST(Del, DEL004_MalformedListStillSucceedsAndDeletesNothing) {
  SaDevice dev(small_full(4));
  const Handle a = add_one(dev, esp_gcm128(1, true));
  DeleteSaRequest req;
  req.elements.push_back(DeleteSaElement{{}, a});
  req.elements[0].header.type = 0x12;
  std::vector<uint8_t> buf = encode_delete_sa(req, Abi::x64, {});
  OidResult r = dev.set_oid(OID_TCP_TASK_IPSEC_OFFLOAD_V2_DELETE_SA, buf, Abi::x64);
  EXPECT_EQ(r.status, NDIS_STATUS_SUCCESS) << "DEL-004: no failure status is permitted";
  EXPECT_FALSE(r.message.empty());
  EXPECT_EQ(dev.table().size(), 1u);
  std::vector<uint8_t> tiny(3, 0);
  EXPECT_EQ(dev.set_oid(OID_TCP_TASK_IPSEC_OFFLOAD_V2_DELETE_SA, tiny, Abi::x64).status,
            NDIS_STATUS_SUCCESS);
}

TEST(Del, DEL006_DeleteRequestDoesNotRemove) {
  SaDevice dev(small_full(4));
  const Handle in = add_one(dev, esp_gcm128(0x42, true));
  const Handle out = add_one(dev, esp_gcm128(0x43, false));
  EXPECT_EQ(dev.table().request_delete_by_spi(0x42), 1u);
  EXPECT_NE(dev.table().find(in), nullptr);
  EXPECT_NE(dev.table().find(out), nullptr);
  delete_handles(dev, {in}, Abi::x64);
  EXPECT_EQ(dev.table().find(in), nullptr);
  EXPECT_NE(dev.table().find(out), nullptr) << "the partner stays until its own DELETE_SA";
}

TEST(Del, DEL009_DeletedHandleIsDead) {
  SaDevice dev(small_full(4));
  const Handle h = add_one(dev, with_esn(esp_gcm128(0x42, false), 1));
  delete_handles(dev, {h}, Abi::x64);
  EXPECT_EQ(update(dev, h, IPsecOffloadV2Esp, 0x42, 2).status, NDIS_STATUS_INVALID_PARAMETER);
  const Handle again = add_one(dev, with_esn(esp_gcm128(0x42, false), 1));
  EXPECT_NE(again, h) << "OQ-22: not reused soon";
}

// --- UPD --------------------------------------------------------------------------------------

TEST(Upd, UPD002_UPD003_SetsHighOrderOfSelectedSa) {
  for (Abi abi : kAbis) {
    SaDevice dev(small_full(4));
    const Handle h = add_one(dev, with_esn(esp_then_ah(0x100, 0x200, false), 10), abi);
    EXPECT_EQ(update(dev, h, IPsecOffloadV2Ah, 0x200, 11, abi).status, NDIS_STATUS_SUCCESS);
    const StoredBundle* b = dev.table().find(h);
    EXPECT_EQ(b->spec.sas[0].sequence_number_high_order, 10u) << "ESP SA untouched";
    EXPECT_EQ(b->spec.sas[1].sequence_number_high_order, 11u);
    EXPECT_EQ(update(dev, h, IPsecOffloadV2Esp, 0x100, 12, abi).status, NDIS_STATUS_SUCCESS);
    EXPECT_EQ(b->spec.sas[0].sequence_number_high_order, 12u);
    EXPECT_EQ(b->spec.sas[1].sequence_number_high_order, 11u);
  }
}

TEST(Upd, OQ11_BothDirectionsUpdatable) {
  SaDevice dev(small_full(4));
  const Handle in = add_one(dev, with_esn(esp_gcm128(0x100, true), 0));
  const Handle out = add_one(dev, with_esn(esp_gcm128(0x101, false), 0));
  EXPECT_EQ(update(dev, in, IPsecOffloadV2Esp, 0x100, 1).status, NDIS_STATUS_SUCCESS);
  EXPECT_EQ(update(dev, out, IPsecOffloadV2Esp, 0x101, 1).status, NDIS_STATUS_SUCCESS);
}

TEST(Upd, UPD004_UPD005_FailuresAreInvalidParameterAndChangeNothing) {
  SaDevice dev(small_full(4));
  const Handle esn = add_one(dev, with_esn(esp_gcm128(0x100, false), 5));
  const Handle plain = add_one(dev, esp_gcm128(0x101, false));
  const std::string before = dev.table().dump_text();
  struct Case {
    uint64_t handle;
    uint32_t op, spi;
    const char* what;
  } cases[] = {
      {0, IPsecOffloadV2Esp, 0x100, "NULL handle"},
      {esn ^ 0x40000000u, IPsecOffloadV2Esp, 0x100, "unknown handle (same slot, other generation)"},
      {esn, IPsecOffloadV2Esp, 0x999, "SPI does not match"},
      {esn, IPsecOffloadV2Ah, 0x100, "Operation does not match"},
      {plain, IPsecOffloadV2Esp, 0x101, "UPD-009: SA without ESN"},
  };
  for (const Case& c : cases) {
    OidResult r = update(dev, c.handle, c.op, c.spi, 99);
    EXPECT_EQ(r.status, NDIS_STATUS_INVALID_PARAMETER) << c.what;
    EXPECT_FALSE(r.message.empty()) << c.what;
  }
  EXPECT_EQ(dev.table().dump_text(), before);
}

TEST(Upd, UPD006_UPD007_HandleFromAddAndFull32BitValue) {
  SaDevice dev(small_full(4));
  const Handle h = add_one(dev, with_esn(esp_gcm128(0x100, false), 0), Abi::x86);
  EXPECT_EQ(update(dev, h, IPsecOffloadV2Esp, 0x100, 0xFFFFFFFFu, Abi::x86).status,
            NDIS_STATUS_SUCCESS);
  EXPECT_EQ(dev.table().find(h)->spec.sas[0].sequence_number_high_order, 0xFFFFFFFFu);
}

TEST(Upd, UPD008_OQ02_OneStructureBytesBeyondIgnored) {
  SaDevice dev(small_full(4));
  const Handle h = add_one(dev, with_esn(esp_gcm128(0x100, false), 0));
  UpdateSaRequest req;
  req.offload_handle = h;
  req.operation = IPsecOffloadV2Esp;
  req.spi = 0x100;
  req.sequence_number_high_order = 7;
  std::vector<uint8_t> buf = encode_update_sa(req, Abi::x64);
  std::vector<uint8_t> second = buf;
  second[24] = 9;  // a would-be second update following the first
  buf.insert(buf.end(), second.begin(), second.end());
  OidResult r = dev.set_oid(OID_TCP_TASK_IPSEC_OFFLOAD_V2_UPDATE_SA, buf, Abi::x64);
  EXPECT_EQ(r.status, NDIS_STATUS_SUCCESS);
  EXPECT_EQ(dev.table().find(h)->spec.sas[0].sequence_number_high_order, 7u);
  EXPECT_EQ(r.bytes_read, layout_sizes(Abi::x64).update_sa_sizeof_rev1);
}

// --- invariants (DESIGN.md) -------------------------------------------------------------------

TEST(Invariants, FailedOidLeavesTableUnchangedUnderMutation) {
  // Byte-level mutations of valid requests: whatever the device answers, it never crashes, a
  // failed request changes nothing, and live handles stay non-NULL and unique.
  std::mt19937 rng(20240601);
  for (Abi abi : kAbis) {
    SaDevice dev(small_full(64));
    std::vector<Handle> live;
    for (int round = 0; round < 1500; ++round) {
      const int kind = static_cast<int>(rng() % 4);
      std::vector<uint8_t> buf;
      uint32_t oid = 0;
      const uint32_t spi = 0x1000 + static_cast<uint32_t>(rng() % 5000);
      if (kind == 0) {
        AddSaRequest req;
        req.elements = {esp_cbc_sha1(spi, rng() % 2), with_esn(esp_gcm128(spi + 1, rng() % 2), 3)};
        buf = encode_add_sa(req, abi, {});
        oid = OID_TCP_TASK_IPSEC_OFFLOAD_V2_ADD_SA;
      } else if (kind == 1) {
        AddSaExRequest req;
        req.element = esp_then_ah(spi, spi + 7, rng() % 2);
        buf = encode_add_sa_ex(req, abi);
        oid = OID_TCP_TASK_IPSEC_OFFLOAD_V2_ADD_SA_EX;
      } else if (kind == 2) {
        DeleteSaRequest req;
        if (!live.empty()) req.elements.push_back({{}, live[rng() % live.size()]});
        req.elements.push_back({{}, rng()});
        buf = encode_delete_sa(req, abi, {});
        oid = OID_TCP_TASK_IPSEC_OFFLOAD_V2_DELETE_SA;
      } else {
        UpdateSaRequest req;
        req.offload_handle = live.empty() ? 1 : live[rng() % live.size()];
        req.spi = spi;
        buf = encode_update_sa(req, abi);
        oid = OID_TCP_TASK_IPSEC_OFFLOAD_V2_UPDATE_SA;
      }
      const int flips = static_cast<int>(rng() % 4);
      for (int f = 0; f < flips; ++f) buf[rng() % buf.size()] ^= static_cast<uint8_t>(1u << (rng() % 8));
      if (rng() % 8 == 0) buf.resize(rng() % (buf.size() + 1));
      const std::string before = dev.table().dump_text();
      OidResult r = dev.set_oid(oid, buf, abi);
      if (!r.succeeded()) {
        ASSERT_EQ(dev.table().dump_text(), before) << "failed OID changed the table";
      }
      if (oid == OID_TCP_TASK_IPSEC_OFFLOAD_V2_DELETE_SA) {
        ASSERT_EQ(r.status, NDIS_STATUS_SUCCESS);
      }
      live.clear();
      std::set<Handle> seen;
      dev.table().for_each([&](const StoredBundle& b) {
        ASSERT_NE(b.handle, kNullHandle);
        ASSERT_TRUE(seen.insert(b.handle).second);
        live.push_back(b.handle);
      });
    }
  }
}

}  // namespace
}  // namespace cts::sa
