#include "runner/vectors/vector_set.h"

#include <filesystem>
#include <fstream>

#include "runner/vectors/pcap_writer.h"

namespace cts::vectors {

bool write_vector(const std::string& dir, const VectorData& v, std::string& error) {
  const std::filesystem::path base = std::filesystem::path(dir) / v.name;
  std::error_code ec;
  std::filesystem::create_directories(base.parent_path(), ec);
  if (ec) {
    error = base.parent_path().string() + ": cannot create folder: " + ec.message();
    return false;
  }
  const std::string pcap_path = base.string() + ".pcap";
  auto w = PcapWriter::create(pcap_path, LinkType::kEthernet, error);
  if (!w) return false;
  // Fixed epoch (2024-01-01T00:00:00Z) plus one millisecond per record: reproducible bytes.
  constexpr int64_t kEpoch = 1704067200;
  for (size_t i = 0; i < v.frames.size(); ++i) {
    if (!w->write(v.frames[i], kEpoch + static_cast<int64_t>(i / 1000), static_cast<int64_t>(i % 1000) * 1000, error))
      return false;
  }
  if (!w->close(error)) return false;
  std::ofstream out(base.string() + ".json", std::ios::binary | std::ios::trunc);
  out << sidecar_to_json(v.sidecar);
  out.close();
  if (!out) {
    error = base.string() + ".json: write failed";
    return false;
  }
  return true;
}

}  // namespace cts::vectors
