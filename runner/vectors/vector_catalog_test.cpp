// Lookup by name over the committed vectors folder.
#include "runner/vectors/vector_catalog.h"

#include <gtest/gtest.h>

#include <filesystem>

namespace cts::vectors {
namespace {

const std::string kDir = std::string(CTS_SOURCE_ROOT) + "/vectors";

TEST(VectorCatalog, FindsByFullAndShortName) {
  std::string error;
  auto full = find_vector("generated/esn-wrap-gcm", error, kDir);
  ASSERT_TRUE(full.has_value()) << error;
  EXPECT_TRUE(std::filesystem::exists(full->pcap_path));
  EXPECT_EQ(full->sidecar.name, "esn-wrap-gcm");
  auto short_name = find_vector("esn-wrap-gcm", error, kDir);
  ASSERT_TRUE(short_name.has_value()) << error;
  EXPECT_EQ(short_name->pcap_path, full->pcap_path);
}

TEST(VectorCatalog, UnknownNamesAreErrors) {
  std::string error;
  EXPECT_FALSE(find_vector("no-such-vector", error, kDir).has_value());
  EXPECT_NE(error.find("no-such-vector"), std::string::npos);
}

TEST(VectorCatalog, ListsEveryCommittedPair) {
  const auto names = list_vectors(kDir);
  EXPECT_GT(names.size(), 80u);
  for (const auto& n : names) EXPECT_TRUE(n.rfind("generated/", 0) == 0 || n.rfind("published/", 0) == 0) << n;
}

}  // namespace
}  // namespace cts::vectors
