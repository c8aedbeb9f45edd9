#include "runner/core/evidence_decoding.h"

#include <gtest/gtest.h>

#include <map>

#include "oracle/ndis/codec.h"
#include "oracle/ndis/constants.h"
#include "oracle/ndis/oob.h"

namespace cts::core {
namespace {

std::map<std::string, std::string> by_name(const std::vector<results::DecodedField>& fields) {
  std::map<std::string, std::string> m;
  for (const auto& f : fields) m[f.name] = f.value;
  return m;
}

std::string hex(const std::vector<uint8_t>& b) {
  static const char* d = "0123456789abcdef";
  std::string s;
  for (uint8_t x : b) {
    s += d[x >> 4];
    s += d[x & 15];
  }
  return s;
}

TEST(EvidenceDecoding, UpdateRequestDecodedByFieldName) {
  ndis::UpdateSaRequest req;
  req.offload_handle = 0x80001000;
  req.spi = 0x1001;
  req.sequence_number_high_order = 7;
  results::StepEvidence ev;
  ev.op = "oid UPDATE_SA";
  ev.abi = "x64";
  ev.request = hex(ndis::encode_update_sa(req, ndis::Abi::x64));
  decode_step_evidence(ev, true);
  const auto f = by_name(ev.request_fields);
  EXPECT_EQ(f.at("structure.Spi"), "4097");
  EXPECT_EQ(f.at("structure.SpiHex"), "0x00001001");
  EXPECT_EQ(f.at("structure.SequenceNumberHighOrder"), "7");
  EXPECT_EQ(f.at("structure.OffloadHandle"), std::to_string(0x80001000));
  EXPECT_EQ(f.count("file"), 0u);  // the buffer's envelope is not a field
  EXPECT_TRUE(ev.device_request_fields.empty());
}

TEST(EvidenceDecoding, ReceiveOobWordsOfBothSides) {
  results::StepEvidence ev;
  results::PacketEvidence p;
  p.device = results::PacketAnswer{};
  p.device->ipsec_info = ndis::make_receive_info({false, true, false, ndis::CRYPTO_GENERIC_ERROR});
  p.device->header_info = 0;
  p.oracle = results::PacketAnswer{};
  p.oracle->ipsec_info = ndis::make_receive_info({false, true, false, ndis::CRYPTO_TRANSPORT_ESP_AUTH_FAILED});
  p.oracle->header_info = 0;
  ev.packets = {p};
  decode_step_evidence(ev, true);
  const auto d = by_name(ev.packets[0].device->oob), o = by_name(ev.packets[0].oracle->oob);
  EXPECT_EQ(d.at("CryptoDone"), "1");
  EXPECT_EQ(d.at("CryptoStatus"), "CRYPTO_GENERIC_ERROR(1)");
  EXPECT_EQ(o.at("CryptoStatus"), "CRYPTO_TRANSPORT_ESP_AUTH_FAILED(3)");
  EXPECT_EQ(d.at("HeaderInfoSet"), "0");
}

TEST(EvidenceDecoding, KeysAreNamedByTheirLengthOnly) {
  std::vector<results::DecodedField> out;
  flatten_fields({{"structure", {{"KeyData", "00112233"}, {"List", {1, 2}}, {"SecAssoc", {{{"Spi", 1}}}}}}}, "", out);
  const auto f = by_name(out);
  EXPECT_EQ(f.at("structure.KeyData"), "(4 bytes: see the request bytes)");
  EXPECT_EQ(f.at("structure.List"), "1, 2");
  EXPECT_EQ(f.at("structure.SecAssoc[0].Spi"), "1");
}

}  // namespace
}  // namespace cts::core
