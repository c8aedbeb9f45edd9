// Every input error is exit 2 with a message naming the file and, where it applies, the line,
// JSON path, record or step; a verification mismatch is exit 1 and never confused with it.
#include <gtest/gtest.h>

#include "cli_process.h"
#include <sys/wait.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cstdio>
#include <fstream>
#include <string>

namespace {

using Result = cts::test::CliResult;  // out holds stdout and stderr together

Result cli(const std::string& args) {
  return cts::test::run_command_line(std::string(CTS_CLI_BINARY) + " " + args + " 2>&1");
}

bool has(const Result& r, const std::string& text) { return r.out.find(text) != std::string::npos; }

const std::string kRoot = CTS_SOURCE_ROOT;
const std::string kWork = std::string(CTS_BINARY_DIR) + "/input-errors";

std::string write(const std::string& name, const std::string& text) {
  ::mkdir(kWork.c_str(), 0755);
  const std::string path = kWork + "/" + name;
  std::ofstream(path, std::ios::binary) << text;
  return path;
}

TEST(InputErrors, ADirectoryGivenAsAFileIsNamedAsSuch) {
  Result r = cli("decode --oid ADD_SA " + kRoot + "/tests");
  EXPECT_EQ(r.exit_code, 2) << r.out;
  EXPECT_TRUE(has(r, kRoot + "/tests: is a directory")) << r.out;

  r = cli("run --dut oracle --cases " + kRoot + "/cases/caps --oracle-profile " + kRoot +
          "/duts/profiles --out " + kWork + "/run");
  EXPECT_EQ(r.exit_code, 2) << r.out;
  EXPECT_TRUE(has(r, "is a directory, not a device profile")) << r.out;

  r = cli("vectors kat " + kRoot + "/vectors");
  EXPECT_EQ(r.exit_code, 2) << r.out;
  EXPECT_TRUE(has(r, "is a directory")) << r.out;
  EXPECT_FALSE(has(r, "unexpected end of input")) << r.out;
}

TEST(InputErrors, MalformedJsonNamesFileLineAndPath) {
  const std::string bad = write("bad-kat.json", "{\"vectors\": [\n  {\"name\": \"x\",,}\n]}\n");
  Result r = cli("vectors kat " + bad);
  EXPECT_EQ(r.exit_code, 2) << r.out;
  EXPECT_TRUE(has(r, bad + ": not valid JSON: line 2")) << r.out;
  EXPECT_TRUE(has(r, "$.vectors[0]")) << r.out;

  const std::string profile = write("profile.json", R"({"name":"p","capabilities":{"esp":true},"pools":{"total_bundles":4,"typo":1}})");
  r = cli("run --dut oracle --cases " + kRoot + "/cases/caps --oracle-profile " + profile +
          " --out " + kWork + "/run2");
  EXPECT_EQ(r.exit_code, 2) << r.out;
  EXPECT_TRUE(has(r, profile + ": $.pools.typo: unknown field")) << r.out;
}

TEST(InputErrors, UnreadableLintInputsAreNotFindings) {
  Result r = cli("lint --cases " + kWork + "/no-such-folder");
  EXPECT_EQ(r.exit_code, 2) << r.out;
  EXPECT_TRUE(has(r, "no-such-folder: No such file or directory")) << r.out;
}

TEST(InputErrors, ATruncatedCaptureIsAnInputErrorNotAMismatch) {
  const std::string pcap = kRoot + "/vectors/generated/esn-wrap-gcm.pcap";
  const std::string sidecar = kRoot + "/vectors/generated/esn-wrap-gcm.json";
  Result whole = cli("vectors verify " + pcap + " --sa " + sidecar);
  ASSERT_EQ(whole.exit_code, 0) << whole.out;
  std::ifstream in(pcap, std::ios::binary);
  std::string bytes((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  const std::string cut = write("cut.pcap", bytes.substr(0, bytes.size() - 7));
  Result r = cli("vectors verify " + cut + " --sa " + sidecar);
  EXPECT_EQ(r.exit_code, 2) << r.out;
  EXPECT_TRUE(has(r, cut + ": packet ")) << r.out;
  // The packets before the cut were judged and reported.
  EXPECT_TRUE(has(r, "summary:")) << r.out;
}

}  // namespace
