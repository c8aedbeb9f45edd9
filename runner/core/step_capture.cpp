#include "runner/core/step_capture.h"

#include <arpa/inet.h>

#include <filesystem>

#include "runner/results/atomic_file.h"
#include "runner/vectors/pcap_writer.h"
#include "runner/vectors/wireshark_esp_sa.h"

namespace cts::core {

namespace fs = std::filesystem;

std::string evidence_file_stem(const std::string& text) {
  std::string out;
  for (char c : text) {
    const bool keep = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '.' ||
                      c == '-' || c == '_';
    out += keep ? c : '_';
  }
  if (out.empty() || out[0] == '.') out = "_" + out;  // never a hidden or a ".." name
  return out;
}

namespace {

std::string address_text(int ip_version, const std::array<uint8_t, 16>& a) {
  char buf[INET6_ADDRSTRLEN] = {};
  if (inet_ntop(ip_version == 6 ? AF_INET6 : AF_INET, a.data(), buf, sizeof buf) == nullptr) return "*";
  return buf;
}

}  // namespace

vectors::SidecarSa capture_sa(const MaterialBundle& bundle, const esp::EspSaConfig& config) {
  vectors::SidecarSa sa;
  sa.id = bundle.label;
  sa.spi = config.spi;
  sa.direction = bundle.inbound ? vectors::SaDirection::inbound : vectors::SaDirection::outbound;
  sa.ip_version = static_cast<uint8_t>(bundle.ip_version);
  sa.source = address_text(bundle.ip_version, bundle.src);
  sa.destination = address_text(bundle.ip_version, bundle.dst);
  sa.suite = config.suite;
  sa.encryption_key.assign(config.encryption_key.data(), config.encryption_key.data() + config.encryption_key.size());
  if (config.salt_convention == esp::SaltConvention::separate)
    sa.salt.assign(config.salt.begin(), config.salt.end());
  sa.integrity_key.assign(config.integrity_key.data(), config.integrity_key.data() + config.integrity_key.size());
  sa.esn = config.esn;
  sa.initial_sequence = config.initial_sequence;
  return sa;
}

std::string capture_esp_sa_text(const std::string& case_id, const StepCapture& capture) {
  std::string out = "# Wireshark esp_sa table (eight columns) for " + case_id + " " + capture.step + ".\n";
  out += "# SECRET: this file holds the SA's keys (copy it to the Wireshark profile's esp_sa file, or\n";
  out += "# give the row to tshark as -o \"uat:esp_sa:<row>\"; enable esp.enable_encryption_decode).\n";
  out += "# Frames of the pcap, in order:\n";
  for (size_t i = 0; i < capture.frames.size(); ++i)
    out += "#   " + std::to_string(i + 1) + ": " + capture.frames[i].origin + "\n";
  if (!capture.sa) return out + "# no ESP SA: nothing to decrypt\n";
  vectors::Sidecar sidecar;
  sidecar.name = case_id + " " + capture.step;
  sidecar.sas.push_back(*capture.sa);
  // The vectors' table writer, minus its own two-line header.
  std::string table = vectors::esp_sa_table(sidecar);
  for (int skip = 0; skip < 2; ++skip) {
    const auto nl = table.find('\n');
    if (nl != std::string::npos) table.erase(0, nl + 1);
  }
  return out + table;
}

std::vector<results::Artifact> write_step_captures(const std::string& out_dir, const std::string& case_id,
                                                   const std::vector<StepCapture>& captures, bool with_keys,
                                                   std::string& error) {
  std::vector<results::Artifact> written;
  if (captures.empty()) return written;
  const std::string rel_dir = "evidence/" + evidence_file_stem(case_id);
  std::error_code ec;
  fs::create_directories(fs::path(out_dir) / rel_dir, ec);
  if (ec) {
    error = (fs::path(out_dir) / rel_dir).string() + ": cannot create: " + ec.message();
    return written;
  }
  for (const StepCapture& c : captures) {
    const std::string stem = rel_dir + "/" + evidence_file_stem(c.step);
    const std::string pcap_path = (fs::path(out_dir) / (stem + ".pcap")).string();
    auto writer = vectors::PcapWriter::create(pcap_path, vectors::LinkType::kEthernet, error);
    if (!writer) return written;
    // Time stamps count the frames (0.000001 s apart): the file is a pure function of the run.
    for (size_t i = 0; i < c.frames.size(); ++i)
      if (!writer->write(c.frames[i].frame, 0, static_cast<int64_t>(i), error)) return written;
    if (!writer->close(error)) return written;
    written.push_back({"pcap", c.step, stem + ".pcap"});
    if (!with_keys) continue;
    std::string werr;
    if (!results::write_file_atomically((fs::path(out_dir) / (stem + ".esp_sa")).string(),
                                        capture_esp_sa_text(case_id, c), werr)) {
      error = werr;
      return written;
    }
    written.push_back({"esp_sa", c.step, stem + ".esp_sa"});
  }
  return written;
}

}  // namespace cts::core
