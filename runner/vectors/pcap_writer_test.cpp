// Pcap writer: refuses what it cannot write and reports the file.
#include "runner/vectors/pcap_writer.h"

#include <gtest/gtest.h>

#include <vector>

namespace cts::vectors {
namespace {

TEST(PcapWriter, RefusesFramesAboveTheSnapLength) {
  std::string error;
  const std::string path = ::testing::TempDir() + "snap.pcap";
  auto w = PcapWriter::create(path, LinkType::kEthernet, error, 64);
  ASSERT_NE(w, nullptr) << error;
  std::vector<uint8_t> big(65, 0xab);
  EXPECT_FALSE(w->write(big, 0, 0, error));
  EXPECT_NE(error.find("snap length"), std::string::npos) << error;
  std::vector<uint8_t> ok(64, 0xab);
  EXPECT_TRUE(w->write(ok, 0, 0, error)) << error;
  EXPECT_EQ(w->records_written(), 1u);
  EXPECT_TRUE(w->close(error));
  EXPECT_TRUE(w->close(error));  // idempotent
}

TEST(PcapWriter, UnwritablePathIsAnErrorNamingIt) {
  std::string error;
  EXPECT_EQ(PcapWriter::create("/nonexistent-dir/x.pcap", LinkType::kEthernet, error), nullptr);
  EXPECT_NE(error.find("/nonexistent-dir/x.pcap"), std::string::npos) << error;
}

TEST(PcapWriter, LinuxCookedIsInputOnly) {
  std::string error;
  EXPECT_EQ(PcapWriter::create(::testing::TempDir() + "sll.pcap", LinkType::kLinuxSll, error), nullptr);
  EXPECT_FALSE(error.empty());
}

}  // namespace
}  // namespace cts::vectors
