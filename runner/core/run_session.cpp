#include "runner/core/run_session.h"

#include <openssl/evp.h>
#include <unistd.h>

#include <chrono>
#include <csignal>
#include <cstring>
#include <ctime>
#include <filesystem>
#include <fstream>
#include <iomanip>
#include <iostream>
#include <map>
#include <set>
#include <sstream>

#include "oracle/ndis/constants.h"
#include "oracle/oracle.h"
#include "runner/dut/profile_json.h"
#include "runner/json/json_text.h"
#include "runner/cases/case_loader.h"
#include "runner/core/case_runner.h"
#include "runner/core/results.h"
#include "runner/results/expectations.h"
#include "runner/results/requirement_catalogue.h"

namespace cts::core {

namespace {

namespace fs = std::filesystem;

std::string sha256_hex(const std::string& data) {
  unsigned char md[EVP_MAX_MD_SIZE];
  unsigned int len = 0;
  if (!EVP_Digest(data.data(), data.size(), md, &len, EVP_sha256(), nullptr)) return "";
  std::ostringstream hex;
  for (unsigned i = 0; i < len; ++i) hex << std::hex << std::setw(2) << std::setfill('0') << int(md[i]);
  return hex.str();
}

std::string sha256_file(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  std::ostringstream ss;
  ss << in.rdbuf();
  return sha256_hex(ss.str());
}

std::string utc_now() {
  const std::time_t t = std::time(nullptr);
  std::tm tm{};
  gmtime_r(&t, &tm);
  char buf[32];
  std::strftime(buf, sizeof buf, "%Y-%m-%dT%H:%M:%SZ", &tm);
  return buf;
}

std::string host_name() {
  char buf[256] = {};
  if (gethostname(buf, sizeof buf - 1) != 0) return "";
  return buf;
}

// The suite's revision from its source tree, when that is a git checkout.
std::string source_revision() {
  const std::string cmd = "git -C '" + std::string(CTS_SOURCE_ROOT_DIR) + "' describe --always --dirty 2>/dev/null";
  FILE* p = popen(cmd.c_str(), "r");
  if (!p) return "";
  char buf[128] = {};
  std::string out;
  if (fgets(buf, sizeof buf, p)) out = buf;
  pclose(p);
  while (!out.empty() && (out.back() == '\n' || out.back() == '\r')) out.pop_back();
  return out;
}

// The names of the bits set in an NDIS mask, as ndis.h spells them; an unknown bit as hex.
nlohmann::json mask_names(uint32_t mask, std::string_view (*name)(uint32_t)) {
  nlohmann::json names = nlohmann::json::array();
  for (uint32_t bit = 1; bit != 0; bit <<= 1) {
    if ((mask & bit) == 0) continue;
    const auto n = name(bit);
    char hex[16];
    std::snprintf(hex, sizeof hex, "0x%08X", bit);
    names.push_back(n.empty() ? std::string(hex) : std::string(n));
  }
  return names;
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
            {"encryption_algorithms", v.encryption_algorithms}, {"sa_offload_capacity", v.sa_offload_capacity},
            // Decoded beside the masks, so no view shows a bare bitmask.
            {"udp_esp_names", mask_names(v.udp_esp, ndis::udp_esp_encapsulation_name)},
            {"authentication_algorithm_names", mask_names(v.authentication_algorithms, ndis::authentication_algorithm_name)},
            {"encryption_algorithm_names", mask_names(v.encryption_algorithms, ndis::encryption_algorithm_name)}}},
          {"inbound_bundle_capacity", c.inbound_bundle_capacity},
          {"outbound_bundle_capacity", c.outbound_bundle_capacity},
          {"inbound_dest_address_capacity", c.inbound_dest_address_capacity},
          {"spi_min", c.spi_min}, {"spi_max", c.spi_max},
          {"gcm_key_includes_salt", c.gcm_key_includes_salt}};
}

// A --dut spec as the results record it: absolute paths of this machine reduced to file names
// ("plugin:/home/ci/build/libx.so" -> "plugin:libx.so"); a relative path stays as given, so a
// run started from the repository root reproduces from there ("plugin:build/lib/libx.so").
std::string spec_without_paths(const std::string& spec) {
  const auto colon = spec.find(':');
  if (colon == std::string::npos) return spec;
  const std::string kind = spec.substr(0, colon);
  if (kind != "plugin" && kind != "cmd") return spec;
  std::istringstream words(spec.substr(colon + 1));
  std::string w, out;
  while (words >> w) {
    if (w.find('/') != std::string::npos && w[0] != '-') w = w[0] == '/' ? fs::path(w).filename().string() : w;
    else w = results::without_machine_paths(w);
    out += (out.empty() ? "" : " ") + w;
  }
  return kind + ":" + out;
}

// Case files named relative to the case root they were found under, so no view shows this
// machine's paths and equal case sets from two workspaces compare equal.
// `root` gets the root as a command line names it (results::CaseFileInfo::root): "cases" for the
// library (roots[0] when `library` is set), a relative folder as given, empty for an absolute one.
std::string relative_case_path(const std::string& file, const std::vector<std::string>& roots, bool library,
                               std::string& root) {
  std::error_code ec;
  auto as_named = [](const fs::path& p) {
    return p.is_absolute() ? std::string() : p.lexically_normal().generic_string();
  };
  const fs::path f = fs::weakly_canonical(file, ec);
  for (size_t i = 0; i < roots.size(); ++i) {
    const fs::path r = fs::weakly_canonical(roots[i], ec);
    if (fs::is_directory(r, ec)) {
      const fs::path rel = f.lexically_relative(r);
      if (!rel.empty() && *rel.begin() != "..") {
        root = library && i == 0 ? std::string("cases") : as_named(roots[i]);
        return rel.generic_string();
      }
    }
  }
  root = as_named(fs::path(file).parent_path());
  if (root.empty() && !fs::path(file).is_absolute()) root = ".";
  return f.filename().string();
}

bool same_path(const std::string& a, const std::string& b) {
  std::error_code ec;
  return fs::weakly_canonical(a, ec) == fs::weakly_canonical(b, ec);
}

// A crash inside an in-process plugin takes the runner with it. The journal already holds every
// finished case; this says which case was running and how to go on.
char g_crash_note[2048];

extern "C" void on_fatal_signal(int sig) {
  const ssize_t unused = ::write(2, g_crash_note, std::strlen(g_crash_note));
  (void)unused;
  std::signal(sig, SIG_DFL);
  std::raise(sig);
}

void set_crash_note(const std::string& case_id, const std::string& out_dir) {
  const std::string note = "\nipsec-cts run: the runner died (a fatal signal) while case " + case_id +
                           " was running on the device; every finished case is in " + out_dir + "/" +
                           kJournalName + ".\n  Host the plugin in a child process with --isolate (a crash then "
                           "becomes an ERROR of that case), and continue with --resume " + out_dir + "\n";
  std::snprintf(g_crash_note, sizeof g_crash_note, "%s", note.c_str());
}

void install_crash_note() {
  struct sigaction sa {};
  sa.sa_handler = on_fatal_signal;
  sa.sa_flags = SA_RESETHAND;
  sigemptyset(&sa.sa_mask);
  for (int sig : {SIGSEGV, SIGBUS, SIGILL, SIGFPE, SIGABRT}) sigaction(sig, &sa, nullptr);
}

std::string clock_text(double seconds) {
  const long s = static_cast<long>(seconds + 0.5);
  char buf[32];
  std::snprintf(buf, sizeof buf, "%ld:%02ld", s / 60, s % 60);
  return buf;
}

void print_case(std::ostream& out, const results::RunInfo& run, const CaseResult& r) {
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
  for (const auto& a : r.acceptances) {
    out << "    " << a.step << " " << a.field << ": " << a.device << " where the oracle gives " << a.oracle
        << "  [accepted by " << a.question << "]\n";
    if (!a.note.empty()) out << "      " << a.note << "\n";
  }
  if (r.verdict == Verdict::fail || r.verdict == Verdict::error)
    out << "    reproduce: " << results::reproduce_command(run, r) << "\n";
}

}  // namespace

int run_suite(const RunOptions& options, std::ostream& out, std::ostream& err) {
  const auto run_start = std::chrono::steady_clock::now();

  // 0. What an interrupted run left, when continuing it.
  std::optional<JournalContents> journal;
  if (options.resume) {
    std::string jerr;
    journal = read_journal(options.out_dir, jerr);
    if (!journal) {
      err << "ipsec-cts run: --resume: " << jerr << "\n";
      return 2;
    }
  }
  const uint64_t seed = journal && journal->run.seed ? *journal->run.seed : options.seed;
  const std::vector<std::string> filters = journal ? journal->run.filters : options.filters;
  Shard shard = options.shard;
  if (journal) {
    auto s = parse_shard(journal->run.shard);
    if (!s) {
      err << "ipsec-cts run: --resume: the journal's shard \"" << journal->run.shard << "\" is not i/n\n";
      return 2;
    }
    shard = *s;
  }
  if (!options.quiet) out << "ipsec-cts run: seed " << seed << " (replay with --seed " << seed << ")\n";

  // 1. Cases, every requirement they cite known to the catalogue (as `lint` demands).
  cases::LoadResult loaded = cases::load_case_paths(options.case_paths);
  if (!loaded.ok()) {
    for (const auto& e : loaded.errors) err << "error: " << e.to_string() << "\n";
    err << "ipsec-cts run: " << loaded.errors.size() << " error(s) in the case files (run `ipsec-cts lint`)\n";
    return 2;
  }
  if (!options.requirements_path.empty()) {
    std::string cerr_text;
    auto catalogue = results::RequirementCatalogue::load(options.requirements_path, cerr_text);
    if (!catalogue) {
      err << "ipsec-cts run: " << cerr_text << "\n";
      return 2;
    }
    size_t unknown = 0;
    for (const auto& f : loaded.files)
      for (const auto& c : f.cases)
        for (const auto& id : c.requirements)
          if (!catalogue->find(id)) {
            err << "error: " << f.path << ": case " << c.id << ": requirement id " << id
                << " is not in the requirement catalogue\n";
            ++unknown;
          }
    if (unknown) {
      err << "ipsec-cts run: " << unknown << " unknown requirement id(s) in the case files (run `ipsec-cts lint`)\n";
      return 2;
    }
  }
  std::optional<results::ExpectationsFile> expectations;
  if (!options.expectations_path.empty()) {
    std::string eerr;
    expectations = results::load_expectations(options.expectations_path, eerr);
    if (!expectations) {
      err << "ipsec-cts run: " << eerr << "\n";
      return 2;
    }
  }

  results::RunInfo run;
  run.seed = seed;
  run.filters = filters;
  run.shard = std::to_string(shard.index + 1) + "/" + std::to_string(shard.count);
  run.rerun_of = journal ? journal->run.rerun_of : options.rerun_of;
  run.library = options.case_paths.size() == 1 && !options.library_root.empty() &&
                same_path(options.case_paths[0], options.library_root);
  std::map<std::string, std::string> relative_file;
  {
    // A file of the suite's own library is named from the library's root whichever folder or file
    // --cases gave ("recv/oob.json", never "oob.json"), so names (JUnit suites, the case-set hash
    // of a shard or a per-file ctest run) do not depend on how the cases were selected.
    std::vector<std::string> roots;
    if (!options.library_root.empty()) roots.push_back(options.library_root);
    roots.insert(roots.end(), options.case_paths.begin(), options.case_paths.end());
    std::vector<std::pair<std::string, std::string>> digests;
    for (const auto& f : loaded.files) {
      std::string root;
      const std::string rel = relative_case_path(f.path, roots, !options.library_root.empty(), root);
      relative_file[f.path] = rel;
      const std::string digest = sha256_file(f.path);
      run.case_files.push_back({rel, digest, f.cases.size(), root});
      digests.push_back({rel, digest});
      run.case_set_cases += f.cases.size();
    }
    std::sort(digests.begin(), digests.end());
    std::string all;
    for (const auto& [name, digest] : digests) all += name + '\0' + digest + '\n';
    run.case_set_sha256 = sha256_hex(all);
  }
  if (journal && journal->run.case_set_sha256 != run.case_set_sha256) {
    err << "ipsec-cts run: --resume: the case set differs from the interrupted run's (case-set hash "
        << journal->run.case_set_sha256.substr(0, 12) << " there, " << run.case_set_sha256.substr(0, 12)
        << " here); give the same --cases\n";
    return 2;
  }

  auto selected = select_cases(loaded.files, filters, shard);
  if (!options.exact_ids.empty()) {
    const std::set<std::string> wanted(options.exact_ids.begin(), options.exact_ids.end());
    std::set<std::string> found;
    std::vector<const cases::Case*> kept;
    for (const auto* c : selected)
      if (wanted.count(c->id)) {
        kept.push_back(c);
        found.insert(c->id);
      }
    for (const auto& id : wanted)
      if (!found.count(id)) err << "ipsec-cts run: note: case " << id << " of the earlier run is not in this case set\n";
    selected = std::move(kept);
  }
  if (selected.empty()) {
    err << "ipsec-cts run: the selection matches no case (";
    if (!filters.empty()) {
      err << "--filter";
      for (const auto& f : filters) err << " " << f;
      err << "; ";
    }
    err << run.case_set_cases << " case(s) in the case set, shard " << run.shard
        << "): nothing to run is unusable input\n";
    return 2;
  }

  // 2. Device, and the oracle configured with the device's own profile.
  dut::DutOptions dopt;
  dopt.request_timeout = std::chrono::milliseconds(options.timeout_ms);
  dopt.config_json = options.device_config;
  dopt.isolate = options.isolate;
  dopt.allow_remote_device = options.allow_remote_device;
  if (!options.oracle_device_profile.empty()) {
    std::string error;
    if (!cts::strict::read_text_file(options.oracle_device_profile, dopt.oracle_profile_json, error,
                              "device profile")) {
      err << "ipsec-cts run: " << error << "\n";
      return 2;
    }
    dopt.oracle_profile_origin = options.oracle_device_profile;
  }
  auto made = options.open_device ? options.open_device() : dut::make_dut(options.dut, dopt);
  // The dump is ignored for the whole run (--no-dump) or for this device (a "no-dump:" spec).
  const auto parsed_spec = dut::parse_dut_spec(options.dut);
  const bool device_no_dump = parsed_spec.ok() && parsed_spec->ignore_dump;
  const bool no_dump = options.no_dump || device_no_dump;
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
  if (journal && !journal->run.device.name.empty() && journal->run.device.name != results::without_machine_paths(device->name())) {
    err << "ipsec-cts run: --resume: the interrupted run tested device \"" << journal->run.device.name
        << "\", this one is \"" << device->name() << "\"\n";
    return 2;
  }
  OracleOptions oopt;
  oopt.iv_seed = seed;
  Oracle oracle(profile, oopt);

  run.device.spec = spec_without_paths(options.dut);
  run.device.name = results::without_machine_paths(device->name());
  run.device.description = results::without_machine_paths(device->description());
  run.device.features = {{"dump", device->features().dump && !no_dump},
                         {"dump_ignored", device->features().dump && no_dump},
                         {"request_sa_delete", device->features().request_sa_delete}};
  run.device.capabilities = capabilities_json(*caps);
  run.device.add_oids = {{"add_sa", options.add_oids.add_sa}, {"add_sa_ex", options.add_oids.add_sa_ex}};
  run.oracle_profile = nlohmann::json::parse(profile_to_json(profile), nullptr, false);
  if (run.oracle_profile.is_discarded()) run.oracle_profile = nullptr;
  run.started_at = journal ? journal->run.started_at : utc_now();
  run.host = host_name();
  run.revision = source_revision();

  ResultsJournal sink;
  std::string werr;
  if (!sink.open(options.out_dir, run, options.resume, werr)) {
    err << "ipsec-cts run: " << werr << "\n";
    return 2;
  }
  std::vector<CaseResult> results;
  std::set<std::string> done;
  if (journal) {
    for (auto& c : journal->cases)
      if (done.insert(c.id).second) results.push_back(std::move(c));
    if (!options.quiet)
      out << "resume: " << results.size() << " case(s) already finished in " << options.out_dir << "/" << kJournalName
          << (journal->torn_lines ? " (one torn line dropped: that case runs again)" : "") << "\n";
  }
  if (!options.quiet)
    out << "device: " << device->name() << " (" << device->description() << ")"
        << (device->features().dump && no_dump
                ? (options.no_dump ? " [dump ignored: --no-dump]" : " [dump ignored: no-dump: in the device spec]")
                : "")
        << ", "
        << selected.size() << " case(s) selected of " << run.case_set_cases << "\n";
  if (!options.isolate) install_crash_note();

  // 3. Cases, each from a reset state on both sides.
  CaseRunnerConfig cfg;
  cfg.seed = seed;
  cfg.add_oids = options.add_oids;
  cfg.use_dump = !no_dump;
  bool device_usable = true;
  std::string device_down_reason;
  uint32_t consecutive_errors = 0;
  size_t to_run = 0, ran = 0, failed_so_far = 0;
  for (const cases::Case* c : selected) to_run += done.count(c->id) ? 0 : 1;
  const auto loop_start = std::chrono::steady_clock::now();
  for (const cases::Case* c : selected) {
    if (done.count(c->id)) continue;
    if (options.max_consecutive_errors && consecutive_errors >= options.max_consecutive_errors) {
      run.stopped = std::to_string(consecutive_errors) + " consecutive ERRORs (--max-consecutive-errors " +
                    std::to_string(options.max_consecutive_errors) + "): the device seems gone; last: " +
                    results.back().error;
      err << "ipsec-cts run: stopping: " << run.stopped << "\n";
      break;
    }
    set_crash_note(c->id, options.out_dir);
    CaseResult r;
    r.id = c->id;
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
        if (!options.show_keys) runner.keys().redact(r);
        if (r.verdict == Verdict::fail || r.verdict == Verdict::error) {
          std::string cerr_text;
          r.artifacts = write_step_captures(options.out_dir, r.id, runner.captures(), options.show_keys, cerr_text);
          if (!cerr_text.empty())
            err << "ipsec-cts run: " << r.id << ": evidence: " << cerr_text << " (the run goes on)\n";
        }
        if (runner.device_failed()) {
          auto restarted = device->restart();
          if (!restarted.ok()) {
            device_usable = false;
            device_down_reason = restarted.error().to_string();
          }
        }
      }
    }
    r.error = results::without_machine_paths(r.error);
    for (auto& f : r.findings) f.detail = results::without_machine_paths(f.detail);
    r.file = relative_file.count(c->file) ? relative_file[c->file] : fs::path(c->file).filename().string();
    consecutive_errors = r.verdict == Verdict::error ? consecutive_errors + 1 : 0;
    if (r.verdict == Verdict::fail || r.verdict == Verdict::error) ++failed_so_far;
    ++ran;
    if (options.progress) err << "\r\033[K";
    if (options.verbose || (!options.quiet && (r.verdict == Verdict::fail || r.verdict == Verdict::error)))
      print_case(out, run, r);
    if (!sink.append(r, werr)) err << "ipsec-cts run: " << werr << " (the run goes on; results.json is still written)\n";
    results.push_back(std::move(r));
    if (options.progress) {
      const double elapsed =
          std::chrono::duration<double>(std::chrono::steady_clock::now() - loop_start).count();
      const double left = ran ? elapsed / static_cast<double>(ran) * static_cast<double>(to_run - ran) : 0;
      err << "[" << ran << "/" << to_run << "] " << failed_so_far << " failing, " << clock_text(elapsed)
          << " elapsed, ~" << clock_text(left) << " left" << std::flush;
    }
  }
  if (options.progress) err << "\r\033[K" << std::flush;
  g_crash_note[0] = '\0';

  // 4. Expectations, then the final file (atomically) in place of the journal.
  if (expectations) results::apply_expectations(*expectations, run, results);
  const double total_ms =
      std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - run_start).count();
  run.duration_ms = journal && journal->run.duration_ms ? *journal->run.duration_ms + total_ms : total_ms;
  run.ended_at = utc_now();
  results::Results all;
  all.tool_version = CTS_CORE_VERSION;
  all.run = run;
  all.cases = results;
  all.summary = results::summarize(results);
  if (!sink.finish(all, werr)) {
    err << "ipsec-cts run: " << werr << "\n";
    return 2;
  }
  const RunSummary& summary = all.summary;
  size_t unexpected = 0, expected_failures = 0;
  for (const auto& r : results) {
    if (r.unexpected()) ++unexpected;
    else if (r.expectation && r.expectation->outcome == results::ExpectationOutcome::expected) ++expected_failures;
  }
  for (const auto& e : run.expectations)
    if (e.stale)
      out << "stale expectation: " << e.glob << " expects " << verdict_name(e.verdict)
          << (e.matched ? " but no case it matches does any more" : " but matches no case of this run")
          << " (" << e.reason << "): remove it\n";
  out << "summary: " << summary.total << " case(s): " << summary.pass << " PASS, " << summary.acceptable
      << " ACCEPTABLE, " << summary.fail << " FAIL, "
      << summary.not_applicable << " NOT_APPLICABLE, " << summary.error << " ERROR in " << std::fixed
      << std::setprecision(2) << total_ms / 1000.0 << " s (seed " << seed << ")";
  if (expectations) out << "; " << expected_failures << " expected, " << unexpected << " unexpected";
  out << "\n";
  if (!options.quiet) out << "results: " << options.out_dir << "/results.json\n";
  return unexpected == 0 ? 0 : 1;
}

}  // namespace cts::core
