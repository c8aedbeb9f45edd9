// `ipsec-cts report package RESULTS -o FILE.tar.gz`: one archive a vendor hands on: results.json,
// report.html, junit.xml and every evidence file the results name, with manifest.json (suite
// revision, case-set hash, device, SHA-256 of every file) and SHA256SUMS (the same digests for
// `sha256sum -c`). `ipsec-cts report verify FILE.tar.gz` checks an archive against its manifest.
//   package: exit 0 written; 2 unreadable results or unwritable output.
//   verify:  exit 0 intact; 1 a file missing, added or changed, or results.json invalid; 2 unreadable.
#include <openssl/evp.h>
#include <spawn.h>
#include <sys/wait.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <iomanip>
#include <iostream>
#include <map>
#include <sstream>

#include "runner/json/json_text.h"
#include "reports/results_view.h"
#include "runner/cases/json_schema.h"
#include "runner/cli/report_subcommands.h"
#include "runner/results/atomic_file.h"
#include "runner/results/results_json.h"

extern char** environ;

namespace cts::cli {
namespace {

namespace fs = std::filesystem;

std::optional<std::string> read_all(const fs::path& p) {
  std::ifstream in(p, std::ios::binary);
  if (!in) return std::nullopt;
  std::ostringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

std::string sha256_hex(const std::string& data) {
  unsigned char md[EVP_MAX_MD_SIZE];
  unsigned int len = 0;
  EVP_Digest(data.data(), data.size(), md, &len, EVP_sha256(), nullptr);
  std::ostringstream hex;
  for (unsigned i = 0; i < len; ++i) hex << std::hex << std::setw(2) << std::setfill('0') << int(md[i]);
  return hex.str();
}

// tar(1) from an argument vector, no shell.
bool run_tar(const std::vector<std::string>& args, std::string& error) {
  std::vector<char*> argv;
  argv.push_back(const_cast<char*>("tar"));
  for (const auto& a : args) argv.push_back(const_cast<char*>(a.c_str()));
  argv.push_back(nullptr);
  pid_t pid = 0;
  if (posix_spawnp(&pid, "tar", nullptr, nullptr, argv.data(), environ) != 0) {
    error = "cannot start tar";
    return false;
  }
  int status = 0;
  if (waitpid(pid, &status, 0) < 0 || !WIFEXITED(status) || WEXITSTATUS(status) != 0) {
    error = "tar failed (status " + std::to_string(status) + ")";
    return false;
  }
  return true;
}

struct TempDir {
  fs::path path;
  TempDir() {
    std::string tmpl = (fs::temp_directory_path() / "ipsec-cts-package.XXXXXX").string();
    if (mkdtemp(tmpl.data())) path = tmpl;
  }
  ~TempDir() {
    std::error_code ec;
    if (!path.empty()) fs::remove_all(path, ec);
  }
};

struct PackageOptions {
  std::string results, output;
};

int run_package(const PackageOptions& o) {
  std::string error;
  auto view = reports::load_results_file(o.results, error);
  if (!view) {
    std::cerr << "ipsec-cts report package: " << error << "\n";
    return 2;
  }
  const fs::path dir = fs::path(o.results).parent_path();
  std::vector<std::pair<std::string, fs::path>> files = {{"results.json", o.results}};
  for (const char* view_file : {"report.html", "junit.xml"})
    if (fs::is_regular_file(dir / view_file)) files.push_back({view_file, dir / view_file});
  for (const auto& c : view->cases)
    for (const auto& a : c.artifacts) {
      if (!fs::is_regular_file(dir / a.path)) {
        std::cerr << "ipsec-cts report package: " << (dir / a.path).string() << ": evidence file named by case " << c.id
                  << " is missing\n";
        return 2;
      }
      files.push_back({a.path, dir / a.path});
    }
  TempDir stage;
  if (stage.path.empty()) {
    std::cerr << "ipsec-cts report package: cannot create a temporary folder\n";
    return 2;
  }
  nlohmann::json manifest = {{"format", "ipsec-cts results package"}, {"version", 1},
                             {"suite", {{"version", view->tool_version}, {"revision", view->info.revision}}},
                             {"case_set_sha256", view->info.case_set_sha256},
                             {"device", view->device_name},
                             {"files", nlohmann::json::object()}};
  std::string sums;
  for (const auto& [name, source] : files) {
    auto data = read_all(source);
    if (!data) {
      std::cerr << "ipsec-cts report package: " << source.string() << ": cannot read\n";
      return 2;
    }
    std::error_code ec;
    fs::create_directories((stage.path / name).parent_path(), ec);
    if (!results::write_file_atomically((stage.path / name).string(), *data, error)) {
      std::cerr << "ipsec-cts report package: " << error << "\n";
      return 2;
    }
    const std::string digest = sha256_hex(*data);
    manifest["files"][name] = {{"sha256", digest}, {"bytes", data->size()}};
    sums += digest + "  " + name + "\n";
  }
  if (!results::write_file_atomically((stage.path / "manifest.json").string(), results::canonical_dump(manifest), error) ||
      !results::write_file_atomically((stage.path / "SHA256SUMS").string(), sums, error)) {
    std::cerr << "ipsec-cts report package: " << error << "\n";
    return 2;
  }
  const std::string tmp = o.output + ".tmp";
  std::vector<std::string> args = {"--create", "--gzip", "--file", tmp, "--sort=name", "--owner=0", "--group=0",
                                   "--numeric-owner", "--mtime=@0", "-C", stage.path.string(), "."};
  if (!run_tar(args, error)) {
    std::cerr << "ipsec-cts report package: " << o.output << ": " << error << "\n";
    return 2;
  }
  std::error_code ec;
  fs::rename(tmp, o.output, ec);
  if (ec) {
    std::cerr << "ipsec-cts report package: " << o.output << ": " << ec.message() << "\n";
    return 2;
  }
  std::cout << "package: " << o.output << " (" << files.size() << " file(s) and their SHA-256 manifest)\n";
  return 0;
}

struct VerifyOptions {
  std::string archive;
};

int run_verify(const VerifyOptions& o) {
  std::string error;
  TempDir tmp;
  if (tmp.path.empty() || !fs::is_regular_file(o.archive)) {
    std::cerr << "ipsec-cts report verify: " << o.archive << ": cannot open\n";
    return 2;
  }
  if (!run_tar({"--extract", "--gzip", "--file", o.archive, "--no-same-owner", "--no-same-permissions", "-C",
                tmp.path.string()},
               error)) {
    std::cerr << "ipsec-cts report verify: " << o.archive << ": not a readable package: " << error << "\n";
    return 2;
  }
  auto manifest = strict::read_file((tmp.path / "manifest.json").string(), error);
  if (!manifest || !manifest->is_object() || !(*manifest)["files"].is_object()) {
    std::cerr << "ipsec-cts report verify: " << o.archive << ": no usable manifest.json\n";
    return 1;
  }
  int problems = 0;
  // Only regular files are read: a link in the archive would make the check read (and vouch for)
  // a file of this machine instead of the package's.
  for (auto it = fs::recursive_directory_iterator(tmp.path); it != fs::recursive_directory_iterator(); ++it) {
    const fs::file_status st = it->symlink_status();
    if (fs::is_regular_file(st) || fs::is_directory(st)) continue;
    std::cerr << o.archive << ": " << it->path().lexically_relative(tmp.path).generic_string()
              << ": not a regular file (a link or device in the package)\n";
    ++problems;
    it.disable_recursion_pending();
  }
  if (problems) {
    std::cerr << "ipsec-cts report verify: " << o.archive << ": " << problems << " problem(s)\n";
    return 1;
  }
  std::map<std::string, bool> listed;
  std::map<std::string, std::string> manifest_sums;
  for (auto it = (*manifest)["files"].begin(); it != (*manifest)["files"].end(); ++it) {
    const fs::path name(it.key());
    bool safe = !it.key().empty() && name.is_relative();
    for (const auto& part : name) safe = safe && part != ".." && part != ".";
    if (!safe) {
      std::cerr << o.archive << ": manifest names \"" << it.key() << "\", a path outside the package\n";
      ++problems;
      continue;
    }
    listed[it.key()] = true;
    auto data = read_all(tmp.path / it.key());
    if (!data) {
      std::cerr << o.archive << ": " << it.key() << ": listed in the manifest, missing\n";
      ++problems;
      continue;
    }
    const std::string want = it->is_object() && (*it)["sha256"].is_string() ? (*it)["sha256"].get<std::string>() : "";
    manifest_sums[it.key()] = want;
    if (sha256_hex(*data) != want) {
      std::cerr << o.archive << ": " << it.key() << ": SHA-256 differs from the manifest (changed after packaging)\n";
      ++problems;
    }
  }
  // SHA256SUMS (for `sha256sum -c`) says what the manifest says.
  std::map<std::string, std::string> listed_sums;
  {
    std::istringstream lines(read_all(tmp.path / "SHA256SUMS").value_or(""));
    std::string line;
    while (std::getline(lines, line)) {
      const auto gap = line.find("  ");
      if (gap != std::string::npos) listed_sums[line.substr(gap + 2)] = line.substr(0, gap);
      else listed_sums["(malformed line) " + line] = "";
    }
  }
  if (listed_sums != manifest_sums) {
    std::cerr << o.archive << ": SHA256SUMS does not match manifest.json\n";
    ++problems;
  }
  for (const auto& entry : fs::recursive_directory_iterator(tmp.path)) {
    if (!entry.is_regular_file()) continue;
    const std::string name = fs::relative(entry.path(), tmp.path).generic_string();
    if (name != "manifest.json" && name != "SHA256SUMS" && !listed.count(name)) {
      std::cerr << o.archive << ": " << name << ": not in the manifest (added after packaging)\n";
      ++problems;
    }
  }
  auto results_doc = strict::read_file((tmp.path / "results.json").string(), error);
  auto schema_doc = strict::read_file(results_schema_path(), error);
  if (!results_doc) {
    std::cerr << o.archive << ": results.json: " << error << "\n";
    ++problems;
  } else if (schema_doc) {
    for (const auto& v : cases::JsonSchema(*schema_doc).validate(*results_doc)) {
      std::cerr << o.archive << ": results.json: " << v.path << ": " << v.message << "\n";
      ++problems;
    }
    const auto& run = (*results_doc)["run"];
    if (run.is_object() && run.value("case_set_sha256", std::string()) != manifest->value("case_set_sha256", std::string())) {
      std::cerr << o.archive << ": results.json: case-set hash differs from the manifest's\n";
      ++problems;
    }
  }
  if (problems) {
    std::cerr << "ipsec-cts report verify: " << o.archive << ": " << problems << " problem(s)\n";
    return 1;
  }
  std::cout << o.archive << ": intact: " << listed.size() << " file(s) match the manifest; suite "
            << (*manifest)["suite"].value("version", std::string("?")) << " "
            << (*manifest)["suite"].value("revision", std::string()) << ", case set "
            << manifest->value("case_set_sha256", std::string()).substr(0, 12) << "\n";
  return 0;
}

const RegisterReportSubcommand kPackage{{"package", [](CLI::App& report) -> std::function<int()> {
  auto o = std::make_shared<PackageOptions>();
  auto* sub = report.add_subcommand(
      "package", "Bundle results, HTML, JUnit and evidence with a SHA-256 manifest into one .tar.gz");
  sub->add_option("results", o->results, "results.json (its views and evidence are taken from beside it)")->required();
  sub->add_option("-o,--output", o->output, "the archive to write (FILE.tar.gz)")->required();
  return [o] { return run_package(*o); };
}}};

const RegisterReportSubcommand kVerify{{"verify", [](CLI::App& report) -> std::function<int()> {
  auto o = std::make_shared<VerifyOptions>();
  auto* sub = report.add_subcommand("verify", "Check a results package against its SHA-256 manifest and the schema");
  sub->add_option("package", o->archive, "FILE.tar.gz written by `ipsec-cts report package`")->required();
  sub->footer("Exit codes: 0 intact, 1 a file missing, added or changed, or results.json invalid, 2 unreadable");
  return [o] { return run_verify(*o); };
}}};

}  // namespace
}  // namespace cts::cli
