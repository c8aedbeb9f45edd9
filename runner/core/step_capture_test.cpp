#include "runner/core/step_capture.h"

#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <sstream>

#include "runner/vectors/pcap_reader.h"

namespace cts::core {
namespace {

namespace fs = std::filesystem;

MaterialBundle outbound_gcm_bundle() {
  MaterialBundle b;
  b.label = "out1";
  b.inbound = false;
  b.ip_version = 4;
  b.src = default_local(4);
  b.dst = default_peer(4);
  MaterialSa sa;
  sa.spi = 0x1001;
  b.sas.push_back(sa);
  return b;
}

esp::EspSaConfig gcm_config() {
  esp::EspSaConfig c;
  c.spi = 0x1001;
  c.suite = esp::EspSuite{esp::EspEncryption::aes_128_gcm, esp::EspIntegrity::none, 16};
  const std::vector<uint8_t> key = {0x00, 0x11, 0x22, 0x33, 0x44, 0x55, 0x66, 0x77, 0x88, 0x99, 0xaa,
                                    0xbb, 0xcc, 0xdd, 0xee, 0xff, 0xca, 0xfe, 0xba, 0xbe};  // key ‖ salt
  c.encryption_key.assign(crypto::ByteView(key.data(), key.size()));
  return c;
}

TEST(StepCapture, FileStemsAreSafeAndStable) {
  EXPECT_EQ(evidence_file_stem("recv.oob.icv_failure"), "recv.oob.icv_failure");
  EXPECT_EQ(evidence_file_stem("a.case[x=1]"), "a.case_x_1_");
  EXPECT_EQ(evidence_file_stem("steps[2].repeat[i=5].steps[0]"), "steps_2_.repeat_i_5_.steps_0_");
  EXPECT_EQ(evidence_file_stem("../x"), "_.._x");
  EXPECT_EQ(evidence_file_stem(""), "_");
}

TEST(StepCapture, WritesAPcapAndTheEspSaTableWithTheKeys) {
  const fs::path dir = fs::path(::testing::TempDir()) / "step_capture_test";
  fs::remove_all(dir);
  StepCapture c;
  c.step = "steps[3]";
  c.frames = {{"host -> device and oracle (to protect)", std::vector<uint8_t>(60, 0x11)},
              {"device wire output", std::vector<uint8_t>(90, 0x22)},
              {"oracle wire output", std::vector<uint8_t>(90, 0x33)}};
  c.sa = capture_sa(outbound_gcm_bundle(), gcm_config());
  std::string error;
  const auto written = write_step_captures(dir.string(), "send.x[n=1]", {c}, true, error);
  ASSERT_EQ(error, "");
  ASSERT_EQ(written.size(), 2u);
  EXPECT_EQ(written[0], (results::Artifact{"pcap", "steps[3]", "evidence/send.x_n_1_/steps_3_.pcap"}));
  EXPECT_EQ(written[1], (results::Artifact{"esp_sa", "steps[3]", "evidence/send.x_n_1_/steps_3_.esp_sa"}));

  auto reader = vectors::PcapReader::open((dir / written[0].path).string(), error);
  ASSERT_TRUE(reader) << error;
  EXPECT_EQ(reader->link_type(), vectors::LinkType::kEthernet);
  vectors::PcapRecord r;
  std::vector<size_t> lengths;
  while (reader->next(r) == vectors::ReadStatus::kRecord) lengths.push_back(r.data.size());
  EXPECT_EQ(lengths, (std::vector<size_t>{60, 90, 90}));

  std::ifstream in(dir / written[1].path);
  std::stringstream ss;
  ss << in.rdbuf();
  const std::string table = ss.str();
  EXPECT_NE(table.find("SECRET"), std::string::npos);
  EXPECT_NE(table.find("#   2: device wire output"), std::string::npos);
  // Wireshark's row: addresses of the bundle, the SPI, GCM with its ICV length, key ‖ salt.
  EXPECT_NE(table.find("\"IPv4\",\"192.0.2.1\",\"198.51.100.2\",\"0x00001001\",\"AES-GCM with 16 octet ICV [RFC4106]\","
                       "\"0x00112233445566778899aabbccddeeffcafebabe\",\"NULL\",\"\""),
            std::string::npos)
      << table;
}

TEST(StepCapture, NoCapturesWriteNothing) {
  std::string error;
  EXPECT_TRUE(write_step_captures(::testing::TempDir(), "x", {}, true, error).empty());
  EXPECT_EQ(error, "");
}

}  // namespace
}  // namespace cts::core
