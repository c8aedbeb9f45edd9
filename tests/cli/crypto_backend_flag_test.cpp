// `--crypto-backend` of `run` and `vectors verify`: the named engine is the one used, both give
// the same verdicts line for line, and a name that is no backend is unusable input (exit 2).
#include <gtest/gtest.h>

#include "cli_process.h"
#include <sys/wait.h>

#include <cstdio>
#include <string>

namespace {

using Result = cts::test::CliResult;  // out holds stdout and stderr together

Result cli(const std::string& args, const std::string& env = "") {
  return cts::test::run_command_line(env + std::string(CTS_CLI_BINARY) + " " + args + " 2>&1");
}

bool has(const Result& r, const std::string& text) { return r.out.find(text) != std::string::npos; }

const std::string kVectors = std::string(CTS_SOURCE_ROOT) + "/vectors/generated/";

std::string verify_args(const std::string& name) {
  return "vectors verify " + kVectors + name + ".pcap --sa " + kVectors + name + ".json";
}

// Everything but the last line, which names the backend.
std::string verdict_lines(const std::string& out) {
  const size_t at = out.rfind("crypto backend: ");
  return at == std::string::npos ? out : out.substr(0, at);
}

bool ipsec_mb_missing(const Result& r) {
  return r.exit_code == 2 && (has(r, "this build has no libipsec-mb") || has(r, "this CPU cannot run libipsec-mb"));
}

TEST(CryptoBackendFlag, VerifyRunsOnTheNamedBackendWithTheSameVerdicts) {
  for (const char* name : {"esn-wrap-gcm", "esn-wrap-hmac", "esn-wrap-gmac", "negative-twins", "replay-window"}) {
    const Result ref = cli(verify_args(name) + " --crypto-backend openssl");
    ASSERT_EQ(ref.exit_code, 0) << name << "\n" << ref.out;
    EXPECT_TRUE(has(ref, "crypto backend: openssl")) << ref.out;
    const Result mb = cli(verify_args(name) + " --crypto-backend ipsec-mb");
    if (ipsec_mb_missing(mb)) GTEST_SKIP() << "libipsec-mb not usable here: " << mb.out;
    ASSERT_EQ(mb.exit_code, 0) << name << "\n" << mb.out;
    EXPECT_TRUE(has(mb, "crypto backend: ipsec-mb")) << mb.out;
    EXPECT_EQ(verdict_lines(ref.out), verdict_lines(mb.out)) << name;
    // The JSON form names it too.
    const Result js = cli(verify_args(name) + " --json --crypto-backend openssl");
    EXPECT_TRUE(has(js, "\"crypto_backend\":\"openssl\"")) << js.out;
  }
}

TEST(CryptoBackendFlag, TheFlagOutranksTheEnvironment) {
  Result r = cli(verify_args("esn-wrap-gcm") + " --crypto-backend openssl", "CTS_CRYPTO_BACKEND=ipsec-mb ");
  EXPECT_EQ(r.exit_code, 0) << r.out;
  EXPECT_TRUE(has(r, "crypto backend: openssl")) << r.out;
  // Without the flag the environment still decides.
  r = cli(verify_args("esn-wrap-gcm"), "CTS_CRYPTO_BACKEND=openssl ");
  EXPECT_TRUE(has(r, "crypto backend: openssl")) << r.out;
}

TEST(CryptoBackendFlag, AnUnknownBackendIsUnusableInput) {
  Result r = cli(verify_args("esn-wrap-gcm") + " --crypto-backend aesni");
  EXPECT_EQ(r.exit_code, 2) << r.out;
  EXPECT_TRUE(has(r, "--crypto-backend")) << r.out;
  r = cli("run --dut oracle --crypto-backend nss --filter 'caps.*' --out /dev/null");
  EXPECT_EQ(r.exit_code, 2) << r.out;
  EXPECT_TRUE(has(r, "--crypto-backend")) << r.out;
}

TEST(CryptoBackendFlag, RunPassesTheDatapathOnEitherBackend) {
  for (const char* backend : {"openssl", "ipsec-mb"}) {
    const Result r = cli(std::string("run --dut oracle --seed 7 --quiet --filter 'datapath.*' --crypto-backend ") +
                         backend + " --out " + CTS_BINARY_DIR + "/crypto-backend-" + backend);
    if (std::string(backend) == "ipsec-mb" && ipsec_mb_missing(r)) GTEST_SKIP() << r.out;
    EXPECT_EQ(r.exit_code, 0) << backend << "\n" << r.out;
  }
}

}  // namespace
