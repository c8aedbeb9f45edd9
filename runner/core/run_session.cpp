#include "runner/core/run_session.h"

#include <openssl/evp.h>

#include <chrono>
#include <ctime>
#include <fstream>
#include <iomanip>
#include <iostream>
#include <sstream>

#include "oracle/oracle.h"
#include "oracle/profile_json.h"
#include "runner/cases/case_loader.h"
#include "runner/core/case_runner.h"
#include "runner/core/results.h"

namespace cts::core {

namespace {

std::string sha256_file(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  std::ostringstream ss;
  ss << in.rdbuf();
  const std::string data = ss.str();
  unsigned char md[EVP_MAX_MD_SIZE];
  unsigned int len = 0;
  if (!EVP_Digest(data.data(), data.size(), md, &len, EVP_sha256(), nullptr)) return "";
  std::ostringstream hex;
  for (unsigned i = 0; i < len; ++i) hex << std::hex << std::setw(2) << std::setfill('0') << int(md[i]);
  return hex.str();
}

std::string utc_now() {
  const std::time_t t = std::time(nullptr);
  std::tm tm{};
  gmtime_r(&t, &tm);
  char buf[32];
  std::strftime(buf, sizeof buf, "%Y-%m-%dT%H:%M:%SZ", &tm);
  return buf;
}

nlohmann::json capabilities_json(const dut::Capabilities& c) {
  const auto& v = c.ipsec_offload_v2;
  char raw[80] = {};
  for (size_t i = 0; i < 32; ++i) std::snprintf(raw + 2 * i, 3, "%02x", c.ipsec_offload_v2_raw[i]);
  return {{"ipsec_offload_v2",
           {{"raw", raw}, {"encapsulation", v.encapsulation}, {"ipv6_supported", v.ipv6_supported},
            {"ipv4_options", v.ipv4_options},
            {"ipv6_non_ipsec_extension_headers", v.ipv6_non_ipsec_extension_headers}, {"ah", v.ah},
            {"esp", v.esp}, {"ah_esp_combined", v.ah_esp_combined}, {"transport", v.transport},
            {"tunnel", v.tunnel}, {"transport_tunnel_combined", v.transport_tunnel_combined},
            {"lso_supported", v.lso_supported}, {"extended_sequence_numbers", v.extended_sequence_numbers},
            {"udp_esp", v.udp_esp}, {"authentication_algorithms", v.authentication_algorithms},
            {"encryption_algorithms", v.encryption_algorithms}, {"sa_offload_capacity", v.sa_offload_capacity}}},
          {"inbound_bundle_capacity", c.inbound_bundle_capacity},
          {"outbound_bundle_capacity", c.outbound_bundle_capacity},
          {"inbound_dest_address_capacity", c.inbound_dest_address_capacity},
          {"spi_min", c.spi_min}, {"spi_max", c.spi_max},
          {"gcm_key_includes_salt", c.gcm_key_includes_salt}};
}

}  // namespace

int run_suite(const RunOptions& options, std::ostream& out, std::ostream& err) {
  const auto run_start = std::chrono::steady_clock::now();
  out << "ipsec-cts run: seed " << options.seed << " (replay with --seed " << options.seed << ")\n";

  // 1. Cases.
  cases::LoadResult loaded = cases::load_case_paths(options.case_paths);
  if (!loaded.ok()) {
    for (const auto& e : loaded.errors) err << "error: " << e.to_string() << "\n";
    err << "ipsec-cts run: " << loaded.errors.size() << " error(s) in the case files (run `ipsec-cts lint`)\n";
    return 2;
  }
  const auto selected = select_cases(loaded.files, options.filters, options.shard);

  // 2. Device, and the oracle configured with the device's own profile.
  dut::DutOptions dopt;
  dopt.request_timeout = std::chrono::milliseconds(options.timeout_ms);
  dopt.config_json = options.device_config;
  dopt.isolate = options.isolate;
  if (!options.oracle_device_profile.empty()) {
    std::ifstream in(options.oracle_device_profile);
    if (!in) {
      err << "ipsec-cts run: cannot read " << options.oracle_device_profile << "\n";
      return 2;
    }
    std::ostringstream ss;
    ss << in.rdbuf();
    dopt.oracle_profile_json = ss.str();
  }
  auto made = dut::make_dut(options.dut, dopt);
  if (!made.ok()) {
    err << "ipsec-cts run: cannot open device \"" << options.dut << "\": " << made.error().to_string() << "\n";
    return 2;
  }
  std::unique_ptr<dut::DutAdapter> device = std::move(made.value());
  auto caps = device->query_capabilities();
  if (!caps.ok()) {
    err << "ipsec-cts run: the device does not report its capabilities: " << caps.error().to_string() << "\n";
    return 2;
  }
  const sa::DeviceProfile profile = profile_from_capabilities(*caps, device->name());
  if (auto problems = sa::check_profile(profile); !problems.empty()) {
    for (const auto& p : problems) err << "error: device profile: " << p << "\n";
    err << "ipsec-cts run: the device's capabilities describe no usable IPsecOV2 offload\n";
    return 2;
  }
  OracleOptions oopt;
  oopt.iv_seed = options.seed;
  Oracle oracle(profile, oopt);

  nlohmann::json run = {
      {"seed", options.seed},
      {"device", {{"spec", options.dut}, {"name", device->name()}, {"description", device->description()},
                  {"features", {{"dump", device->features().dump && !options.no_dump},
                                {"dump_ignored", device->features().dump && options.no_dump},
                                {"request_sa_delete", device->features().request_sa_delete}}},
                  {"capabilities", capabilities_json(*caps)},
                  {"add_oids", {{"add_sa", options.add_oids.add_sa}, {"add_sa_ex", options.add_oids.add_sa_ex}}}}},
      {"oracle_profile", nlohmann::json::parse(profile_to_json(profile), nullptr, false)},
      {"filters", options.filters},
      {"shard", std::to_string(options.shard.index + 1) + "/" + std::to_string(options.shard.count)},
      {"started_at", utc_now()}};
  nlohmann::json files = nlohmann::json::array();
  for (const auto& f : loaded.files)
    files.push_back({{"path", f.path}, {"sha256", sha256_file(f.path)}, {"cases", f.cases.size()}});
  run["case_files"] = files;

  IncrementalResults sink;
  std::string werr;
  if (!sink.open(options.out_dir, run, werr)) {
    err << "ipsec-cts run: " << werr << "\n";
    return 2;
  }
  out << "device: " << device->name() << " (" << device->description() << ")"
      << (device->features().dump && options.no_dump ? " [dump ignored: --no-dump]" : "") << ", "
      << selected.size() << " case(s) selected of " << [&] {
           size_t n = 0;
           for (const auto& f : loaded.files) n += f.cases.size();
           return n;
         }() << "\n";

  // 3. Cases, each from a reset state on both sides.
  CaseRunnerConfig cfg;
  cfg.seed = options.seed;
  cfg.add_oids = options.add_oids;
  cfg.use_dump = !options.no_dump;
  std::vector<CaseResult> results;
  RunSummary summary;
  bool device_usable = true;
  std::string device_down_reason;
  for (const cases::Case* c : selected) {
    CaseResult r;
    r.id = c->id;
    r.file = c->file;
    r.requirements = c->requirements;
    r.flags = c->flags;
    if (auto missing = missing_capability(c->capabilities, *caps, device->features(), options.add_oids)) {
      r.verdict = Verdict::not_applicable;
      r.missing_capability = *missing;
    } else if (!device_usable) {
      r.verdict = Verdict::error;
      r.error = "device: unusable since an earlier case and could not be restarted: " + device_down_reason;
    } else {
      oracle.reset();
      auto reset = device->reset();
      if (!reset.ok()) {
        auto restarted = device->restart();
        if (restarted.ok()) reset = device->reset();
      }
      if (!reset.ok()) {
        r.verdict = Verdict::error;
        r.error = "device: reset failed: " + reset.error().to_string();
        device_usable = false;
        device_down_reason = reset.error().to_string();
      } else {
        CaseRunner runner(*device, oracle, *caps, cfg);
        r = runner.run(*c);
        if (runner.device_failed()) {
          auto restarted = device->restart();
          if (!restarted.ok()) {
            device_usable = false;
            device_down_reason = restarted.error().to_string();
          }
        }
      }
    }
    summary.add(r.verdict);
    if (options.verbose || r.verdict == Verdict::fail || r.verdict == Verdict::error) {
      out << verdict_name(r.verdict) << "  " << r.id;
      if (!r.missing_capability.empty()) out << "  (needs " << r.missing_capability << ")";
      out << "\n";
      for (const auto& f : r.findings) {
        out << "    " << f.step << " " << f.field << ": expected " << f.expected << ", got " << f.actual;
        out << "  [";
        for (size_t i = 0; i < f.requirements.size(); ++i) out << (i ? " " : "") << f.requirements[i];
        out << "]\n";
        if (!f.detail.empty()) out << "      " << f.detail << "\n";
      }
      if (!r.error.empty()) out << "    " << r.error << "\n";
    }
    sink.append(r);
    results.push_back(std::move(r));
  }

  const double total_ms =
      std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - run_start).count();
  run["duration_ms"] = std::round(total_ms);
  if (!sink.finish(run, results, werr)) {
    err << "ipsec-cts run: " << werr << "\n";
    return 2;
  }
  out << "summary: " << summary.total << " case(s): " << summary.pass << " PASS, " << summary.fail << " FAIL, "
      << summary.not_applicable << " NOT_APPLICABLE, " << summary.error << " ERROR in "
      << std::fixed << std::setprecision(2) << total_ms / 1000.0 << " s (seed " << options.seed << ")\n";
  out << "results: " << options.out_dir << "/results.json\n";
  return summary.fail == 0 && summary.error == 0 ? 0 : 1;
}

}  // namespace cts::core
