// `ipsec-cts vectors generate|verify|kat|wireshark`: thin front of runner/vectors.
#include <chrono>
#include <ctime>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <optional>

#include <nlohmann/json.hpp>

#include "oracle/crypto/crypto_backend.h"
#include "oracle/crypto/crypto_library.h"
#include "reports/views.h"
#include "runner/cli/command_registry.h"
#include "runner/cli/crypto_backend_option.h"
#include "runner/results/atomic_file.h"
#include "runner/results/requirement_catalogue.h"
#include "runner/results/results_json.h"
#include "runner/vectors/capture_verifier.h"
#include "runner/vectors/json_fields.h"
#include "runner/vectors/kat_runner.h"
#include "runner/vectors/known_answer_file.h"
#include "runner/vectors/packet_line.h"
#include "runner/vectors/parallel_verify.h"
#include "runner/vectors/vector_generator.h"
#include "runner/vectors/verify_results.h"
#include "runner/vectors/wireshark_esp_sa.h"

namespace cts::cli {
namespace {

using namespace cts::vectors;

struct VectorsArgs {
  // generate
  uint64_t seed = kDefaultSeed;
  std::string out_dir;
  std::string known_answers = std::string(CTS_SOURCE_ROOT) + "/vectors/known-answers/esp-known-answers.json";
  // verify
  std::string pcap;
  std::string sidecar;
  bool json = false;
  bool allow_non_esp = false;
  bool failures_only = false;
  unsigned jobs = 0;
  std::string crypto_backend;
  std::string results_dir;  // --results: results.json, report.html, junit.xml
  // kat
  std::string kat_file;
  // wireshark
  std::string ws_sidecar;
  std::string ws_out;
};

int run_generate(const VectorsArgs& a) {
  GenerateOptions opt;
  opt.seed = a.seed;
  opt.known_answers = a.known_answers;
  opt.tool_version = CTS_VERSION;
  std::vector<VectorData> vectors;
  std::string error;
  if (!generate_vectors(opt, vectors, error)) {
    std::cerr << "vectors generate: " << error << "\n";
    return 2;
  }
  size_t packets = 0;
  for (const auto& v : vectors) {
    if (!write_vector(a.out_dir, v, error)) {
      std::cerr << "vectors generate: " << error << "\n";
      return 2;
    }
    packets += v.frames.size();
  }
  std::cout << "generated " << vectors.size() << " vectors (" << packets << " packets) into " << a.out_dir
            << " with seed " << a.seed << "\n";
  return 0;
}

nlohmann::ordered_json report_json(const PacketReport& r) {
  nlohmann::ordered_json j;
  j["index"] = r.index;
  j["verdict"] = verdict_label(r.verdict);
  if (r.detail && *r.detail) j["detail"] = r.detail;
  if (r.has_esp) {
    j["spi"] = hex_number_string(r.spi, 8);
    j["seq_low"] = hex_number_string(r.seq_low, 8);
    j["seq"] = hex_number_string(r.seq, r.esn ? 16 : 8);
    if (r.esn) j["esn_high"] = hex_number_string(r.seq >> 32, 8);
    j["window"] = {{"top", hex_number_string(r.window_top, r.esn ? 16 : 8)}, {"size", r.window_size}};
  }
  if (r.inner_protocol) j["inner_protocol"] = *r.inner_protocol;
  if (r.expected) {
    j["expected"] = verdict_label(r.expected->expect);
    if (r.expected->esn_high) j["expected_esn_high"] = hex_number_string(*r.expected->esn_high, 8);
    j["requirements"] = r.expected->requirements;
  }
  j["result"] = r.passed() ? "pass" : "fail";
  if (!r.passed()) j["mismatch"] = mismatch_text(r.mismatch);
  return j;
}

// The engine the ESP datapath ran on (--crypto-backend, CTS_CRYPTO_BACKEND or the fastest).
std::string backend_in_use() {
  const crypto::CryptoLibrary* lib = crypto::CryptoLibrary::shared();
  return lib ? std::string(crypto::crypto_backend_name(lib->backend())) : "none";
}

constexpr size_t kLineBuffer = size_t{1} << 16;

std::string utc_now() {
  const std::time_t t = std::time(nullptr);
  std::tm tm{};
  gmtime_r(&t, &tm);
  char buf[32];
  std::strftime(buf, sizeof buf, "%Y-%m-%dT%H:%M:%SZ", &tm);
  return buf;
}

// results.json (atomically), then report.html and junit.xml rendered from it, as a run writes them.
bool write_verify_results(const std::string& dir, const cts::results::Results& model, bool announce) {
  std::error_code ec;
  std::filesystem::create_directories(dir, ec);
  std::string error;
  const std::string path = dir + "/results.json";
  if (ec || !cts::results::write_file_atomically(path, cts::results::canonical_dump(cts::results::results_to_json(model)),
                                                 error)) {
    std::cerr << "vectors verify: " << (ec ? dir + ": cannot create: " + ec.message() : error) << "\n";
    return false;
  }
  auto catalogue =
      cts::results::RequirementCatalogue::load(std::string(CTS_SOURCE_ROOT) + "/cases/requirements.json", error);
  if (!catalogue) std::cerr << "vectors verify: " << error << " (report without requirement texts)\n";
  error.clear();
  if (!cts::reports::write_views_beside(path, catalogue ? &*catalogue : nullptr, error)) {
    std::cerr << "vectors verify: cannot write the report views: " << error << "\n";
    return false;
  }
  // With --json, standard output is one JSON document: the files are named on standard error.
  (announce ? std::cout : std::cerr) << "results: " << path << "\nreport:  " << dir << "/report.html\njunit:   " << dir
                                     << "/junit.xml\n";
  return true;
}

int run_verify(const VectorsArgs& a) {
  if (const std::string why = apply_crypto_backend(a.crypto_backend); !why.empty()) {
    std::cerr << "vectors verify: " << why << "\n";
    return 2;
  }
  Sidecar sidecar;
  std::string error;
  if (!load_sidecar(a.sidecar, sidecar, error)) {
    std::cerr << "vectors verify: " << error << "\n";
    return 2;
  }
  VerifyOptions opt;
  opt.allow_non_esp = a.allow_non_esp;
  VerifySummary summary;
  bool first = true;
  if (a.json) std::cout << "{\"capture\": " << nlohmann::json(a.pcap).dump() << ", \"packets\": [\n";
  // Lines are gathered in a buffer and written in large pieces: most of a million of them for a
  // 1 GB capture. Every line already made is written before any error is reported.
  std::string lines;
  lines.reserve(kLineBuffer + 1024);
  auto flush = [&] {
    std::cout.write(lines.data(), static_cast<std::streamsize>(lines.size()));
    lines.clear();
  };
  std::optional<VerifyResults> collected;
  if (!a.results_dir.empty()) collected.emplace(sidecar, a.pcap, a.sidecar);
  const std::string started_at = utc_now();
  const auto start = std::chrono::steady_clock::now();
  // Each report is formatted where it was judged (on the workers with --jobs), and the text
  // written here in capture order.
  PacketOutput output;
  output.format = [&a](const PacketReport& r, std::string& out) {
    if (a.failures_only && r.passed()) return;
    if (a.json) out += report_json(r).dump();
    else append_packet_line(r, out);
  };
  output.write = [&](std::string_view text) {
    if (a.json) {
      lines += first ? "  " : ",\n  ";
      first = false;
    }
    lines += text;
    if (lines.size() >= kLineBuffer) flush();
  };
  // --results gathers every report in capture order on this thread (VerifyResults is not shared
  // between workers), formatting here too; without it the workers format.
  std::string text;
  auto on_packet = [&](const PacketReport& r) {
    collected->add(r);
    text.clear();
    output.format(r, text);
    if (!text.empty()) output.write(text);
  };
  const bool read = collected ? verify_capture_jobs(a.pcap, sidecar, opt, a.jobs, on_packet, summary, error)
                              : verify_capture_jobs(a.pcap, sidecar, opt, a.jobs, output, summary, error);
  flush();
  if (!read) {
    if (a.json) std::cout << "]}\n";
    std::cerr << "vectors verify: " << error << "\n";
    return 2;
  }
  nlohmann::ordered_json counts = nlohmann::ordered_json::object();
  for (size_t i = 0; i < summary.by_verdict.size(); ++i)
    if (summary.by_verdict[i]) counts[verdict_label(static_cast<PacketVerdict>(i))] = summary.by_verdict[i];
  if (a.json) {
    nlohmann::ordered_json s;
    s["packets"] = summary.packets;
    s["passed"] = summary.passed;
    s["failed"] = summary.failed;
    s["expected_packets"] = summary.expected_packets;
    s["verdicts"] = counts;
    if (summary.capture_short) s["capture_short"] = true;
    if (!summary.read_error.empty()) s["read_error"] = summary.read_error;
    s["ok"] = summary.ok();
    s["crypto_backend"] = backend_in_use();
    std::cout << "\n], \"summary\": " << s.dump() << "}\n";
  } else {
    std::cout << "summary: " << summary.packets << " packets, " << summary.passed << " pass, " << summary.failed
              << " fail; verdicts " << counts.dump() << "\n";
    if (summary.capture_short)
      std::cout << "capture ends after " << summary.packets << " packets, the sidecar expects " << summary.expected_packets << "\n";
    if (!summary.read_error.empty()) std::cout << "read error: " << summary.read_error << "\n";
    std::cout << "crypto backend: " << backend_in_use() << "\n";
  }
  if (collected) {
    const double ms = std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - start).count();
    if (!write_verify_results(a.results_dir, collected->finish(summary, started_at, ms, CTS_VERSION), !a.json)) return 2;
  }
  // An unreadable capture is an input error (2), never a verification mismatch (1); the packets
  // read before it were reported above.
  if (!summary.read_error.empty()) {
    std::cerr << "vectors verify: " << summary.read_error << "\n";
    return 2;
  }
  return summary.ok() ? 0 : 1;
}

int run_kat(const VectorsArgs& a) {
  KnownAnswerFile file;
  std::string error;
  if (!load_known_answers(a.kat_file, file, error)) {
    std::cerr << "vectors kat: " << error << "\n";
    return 2;
  }
  const auto outcomes = run_known_answers(file);
  size_t passed = 0;
  nlohmann::ordered_json arr = nlohmann::ordered_json::array();
  for (const auto& o : outcomes) {
    passed += o.passed ? 1 : 0;
    if (a.json) {
      nlohmann::ordered_json j;
      j["name"] = o.name;
      j["category"] = o.category;
      j["result"] = o.passed ? "pass" : "fail";
      j["checks"] = o.checks;
      if (!o.failure.empty()) j["failure"] = o.failure;
      arr.push_back(j);
    } else {
      std::cout << (o.passed ? "PASS " : "FAIL ") << o.name << " [" << o.category << "] " << o.checks.size()
                << " checks";
      if (!o.failure.empty()) std::cout << ": " << o.failure;
      std::cout << "\n";
    }
  }
  if (a.json) {
    nlohmann::ordered_json root;
    root["file"] = a.kat_file;
    root["vectors"] = arr;
    root["summary"] = {{"vectors", outcomes.size()}, {"passed", passed}, {"failed", outcomes.size() - passed}};
    std::cout << root.dump(2) << "\n";
  } else {
    std::cout << "summary: " << outcomes.size() << " vectors, " << passed << " pass, " << outcomes.size() - passed
              << " fail\n";
  }
  return passed == outcomes.size() && !outcomes.empty() ? 0 : 1;
}

int run_wireshark(const VectorsArgs& a) {
  Sidecar sidecar;
  std::string error;
  if (!load_sidecar(a.ws_sidecar, sidecar, error)) {
    std::cerr << "vectors wireshark: " << error << "\n";
    return 2;
  }
  const std::string table = esp_sa_table(sidecar);
  if (a.ws_out.empty()) {
    std::cout << table;
    return 0;
  }
  std::ofstream out(a.ws_out, std::ios::binary | std::ios::trunc);
  out << table;
  if (!out) {
    std::cerr << "vectors wireshark: " << a.ws_out << ": write failed\n";
    return 2;
  }
  return 0;
}

const RegisterCommand kRegister{Command{
    "vectors", [](CLI::App& app) -> std::function<int()> {
      auto args = std::make_shared<VectorsArgs>();
      auto* cmd = app.add_subcommand("vectors", "pcap vectors: generate, verify a capture, known answers, Wireshark export");
      cmd->require_subcommand(1);
      auto* gen = cmd->add_subcommand("generate", "regenerate every vector (pcap + JSON sidecar) bit for bit");
      gen->add_option("--seed", args->seed, "seed of the deterministic generator (keys, payloads, IVs)");
      gen->add_option("--out", args->out_dir, "output folder (the repository's vectors/ to refresh it)")->required();
      gen->add_option("--known-answers", args->known_answers, "known-answer file converted into published/");
      auto* ver = cmd->add_subcommand("verify", "judge every packet of a capture against a sidecar");
      ver->add_option("pcap", args->pcap, "capture (pcap or pcapng; Ethernet, raw IP or Linux cooked)")->required();
      ver->add_option("--sa", args->sidecar, "JSON sidecar with the SAs and (optionally) expectations")->required();
      ver->add_flag("--json", args->json, "JSON output");
      ver->add_flag("--allow-non-esp", args->allow_non_esp, "without expectations, records without ESP do not fail");
      ver->add_flag("--failures-only", args->failures_only,
                    "report only the packets that fail (the summary still counts every packet)");
      ver->add_option("--results", args->results_dir,
                      "also write the verification as a run's results (results.json, report.html, junit.xml) "
                      "into this folder: one case per SA of the sidecar, each failing packet a finding");
      ver->add_option("--jobs", args->jobs,
                      "worker threads (SAs split among them, output unchanged); 0 = one per core")
          ->capture_default_str();
      add_crypto_backend_option(ver, args->crypto_backend);
      auto* kat = cmd->add_subcommand("kat", "check a known-answer file against the oracle, both directions");
      kat->add_option("file", args->kat_file, "known-answer JSON (esp-known-answers.json format)")->required();
      kat->add_flag("--json", args->json, "JSON output");
      auto* ws = cmd->add_subcommand("wireshark", "write the Wireshark esp_sa table for a sidecar's SAs");
      ws->add_option("sidecar", args->ws_sidecar, "JSON sidecar")->required();
      ws->add_option("--out", args->ws_out, "file to write (default: standard output)");
      return [args, gen, ver, kat, ws]() -> int {
        if (gen->parsed()) return run_generate(*args);
        if (ver->parsed()) return run_verify(*args);
        if (kat->parsed()) return run_kat(*args);
        if (ws->parsed()) return run_wireshark(*args);
        return 2;
      };
    }}};

}  // namespace
}  // namespace cts::cli
