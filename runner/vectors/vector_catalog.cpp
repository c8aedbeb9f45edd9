#include "runner/vectors/vector_catalog.h"

#include <algorithm>
#include <cstdlib>
#include <filesystem>

namespace cts::vectors {

namespace fs = std::filesystem;

std::string default_vectors_dir() {
  if (const char* env = std::getenv("CTS_VECTORS_DIR"); env != nullptr && *env != '\0') return env;
  return std::string(CTS_SOURCE_ROOT) + "/vectors";
}

std::vector<std::string> list_vectors(const std::string& dir) {
  std::vector<std::string> names;
  std::error_code ec;
  if (!fs::is_directory(dir, ec)) return names;
  for (auto it = fs::recursive_directory_iterator(dir, ec); it != fs::recursive_directory_iterator(); it.increment(ec)) {
    if (ec) break;
    const fs::path& p = it->path();
    if (p.extension() != ".json") continue;
    fs::path pcap = p;
    pcap.replace_extension(".pcap");
    if (!fs::exists(pcap)) continue;
    fs::path rel = fs::relative(p, dir, ec);
    rel.replace_extension();
    names.push_back(rel.generic_string());
  }
  std::sort(names.begin(), names.end());
  return names;
}

std::optional<VectorRef> find_vector(const std::string& name, std::string& error, const std::string& dir) {
  const auto names = list_vectors(dir);
  std::vector<std::string> hits;
  for (const auto& n : names)
    if (n == name || fs::path(n).filename().generic_string() == name) hits.push_back(n);
  if (hits.empty()) {
    error = "no vector named \"" + name + "\" under " + dir;
    return std::nullopt;
  }
  if (hits.size() > 1 && std::find(hits.begin(), hits.end(), name) == hits.end()) {
    error = "vector name \"" + name + "\" is ambiguous: " + hits[0] + ", " + hits[1];
    return std::nullopt;
  }
  const std::string chosen = std::find(hits.begin(), hits.end(), name) != hits.end() ? name : hits[0];
  VectorRef ref;
  ref.name = chosen;
  ref.pcap_path = (fs::path(dir) / (chosen + ".pcap")).string();
  ref.sidecar_path = (fs::path(dir) / (chosen + ".json")).string();
  if (!load_sidecar(ref.sidecar_path, ref.sidecar, error)) return std::nullopt;
  return ref;
}

}  // namespace cts::vectors
