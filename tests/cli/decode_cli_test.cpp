// `ipsec-cts decode` on the committed sample buffers. The samples are written by
// tests/data/ndis/make_samples.py with offsets typed from the spec tables; the values expected
// here are the ones that script puts at those offsets, so the test checks the codec and the CLI
// against the spec, not against themselves.
#include <gtest/gtest.h>

#include <nlohmann/json.hpp>
#include <string>

#include "cli_process.h"

namespace {

using nlohmann::json;
using cts::test::CliResult;
using cts::test::run_command_line;

struct Result {
  int exit_code = -1;
  std::string out;
  json doc;
};

Result run(const std::string& args) {
  const CliResult c = run_command_line(std::string(CTS_CLI_BINARY) + " decode " + args + " 2>/dev/null");
  Result r{c.exit_code, c.out, json::parse(c.out, nullptr, false)};
  return r;
}

std::string sample(const char* name) { return std::string(CTS_NDIS_SAMPLES) + "/" + name; }

TEST(DecodeCli, AddSaX64ListDecodesWithSpecFieldNames) {  // ADD_SA, ADD-002
  const Result r = run("--oid ADD_SA " + sample("add_sa_x64.bin"));
  ASSERT_EQ(r.exit_code, 0) << r.out;
  const json& d = r.doc;
  EXPECT_EQ(d["status"], "NDIS_STATUS_SUCCESS");
  ASSERT_EQ(d["elements"].size(), 2u);
  const json& e0 = d["elements"][0];
  EXPECT_EQ(e0["Header"]["Type"], 0x80);
  EXPECT_EQ(e0["Header"]["Revision"], 1);
  EXPECT_EQ(e0["Header"]["Size"], 169);
  EXPECT_EQ(e0["Next"], 208);  // 168 + 36 key bytes, rounded up to 8
  EXPECT_EQ(e0["NumExtHdrs"], 1);
  EXPECT_EQ(e0["Flags"], 0);
  EXPECT_EQ(e0["IPv4Endpoints"]["SrcAddr"], "10.0.0.1");
  EXPECT_EQ(e0["IPv4Endpoints"]["DestAddr"], "10.0.0.2");
  EXPECT_EQ(e0["SecAssoc"][0]["Spi"], 0x12345678);
  EXPECT_EQ(e0["SecAssoc"][0]["Operation"], 2);
  EXPECT_EQ(e0["SecAssoc"][0]["OperationName"], "IPsecOffloadV2Esp");
  EXPECT_EQ(e0["SecAssoc"][0]["EncryptionAlgorithm"]["Identifier"], 0x40);
  EXPECT_EQ(e0["SecAssoc"][0]["AuthenticationAlgorithm"]["Identifier"], 0x2);
  EXPECT_EQ(e0["SecAssoc"][0]["AuthenticationAlgorithm"]["KeyOffsetBytes"], 16);
  EXPECT_EQ(e0["KeyLength"], 36);
  EXPECT_EQ(e0["KeyData"].get<std::string>().substr(0, 8), "00010203");
  const json& e1 = d["elements"][1];
  EXPECT_EQ(e1["offset"], 208);
  EXPECT_EQ(e1["Next"], 0);
  EXPECT_EQ(e1["Header"]["Size"], 176);  // the sizeof() variant is accepted (OQ-01)
  EXPECT_EQ(e1["Flags"], 0x11);
  EXPECT_EQ(e1["IPv6Endpoints"]["SrcAddr"], "2001:db8::1");
  EXPECT_EQ(e1["IPv6Endpoints"]["DestAddr"], "2001:db8::2");
  EXPECT_EQ(e1["SecAssoc"][0]["Flags"], 1);
  EXPECT_EQ(e1["SecAssoc"][0]["Spi"], 0x87654321u);
  EXPECT_EQ(e1["SecAssoc"][0]["EncryptionAlgorithm"]["AdditionalInfo"], 16);
  EXPECT_EQ(e1["SecAssoc"][0]["SequenceNumberHighOrder"], 5);
  EXPECT_EQ(e1["KeyData"], "404142434445464748494a4b4c4d4e4f50515253");
}

TEST(DecodeCli, AddSaX86ListDecodes) {
  const Result r = run("--oid ADD_SA --abi x86 " + sample("add_sa_x86.bin"));
  ASSERT_EQ(r.exit_code, 0) << r.out;
  EXPECT_EQ(r.doc["elements"][0]["Header"]["Size"], 157);
  EXPECT_EQ(r.doc["elements"][0]["Next"], 192);  // 156 + 36, already 4-aligned
  EXPECT_EQ(r.doc["elements"][1]["SecAssoc"][0]["Spi"], 0x87654321u);
  // The same bytes read with the wrong ABI are not a valid x64 list.
  EXPECT_EQ(run("--oid ADD_SA --abi x64 " + sample("add_sa_x86.bin")).exit_code, 1);
}

TEST(DecodeCli, AddSaExBothAbis) {  // ADD_SA_EX, ADDEX-006
  const Result a = run("--oid ADD_SA_EX " + sample("add_sa_ex_x64.bin"));
  ASSERT_EQ(a.exit_code, 0) << a.out;
  const json& s = a.doc["structure"];
  EXPECT_EQ(s["Header"]["Size"], 170);
  EXPECT_EQ(s["NumExtHdrs"], 2);
  EXPECT_EQ(s["KeyOffset"], 176);
  EXPECT_EQ(s["KeyLength"], 64);
  EXPECT_EQ(s["SourceSwitchPortId"], 7);
  EXPECT_EQ(s["VlanId"], 42);
  EXPECT_EQ(s["SecAssoc"][1]["OperationName"], "IPsecOffloadV2Ah");
  EXPECT_EQ(s["IPv4Endpoints"]["DestAddr"], "192.168.1.20");
  EXPECT_FALSE(s.contains("Next"));
  const Result b = run("--oid ADD_SA_EX --abi x86 " + sample("add_sa_ex_x86.bin"));
  ASSERT_EQ(b.exit_code, 0) << b.out;
  EXPECT_EQ(b.doc["structure"]["KeyOffset"], 164);
  EXPECT_EQ(b.doc["structure"]["VlanId"], 42);
}

TEST(DecodeCli, DeleteAndUpdateBothAbis) {  // DELETE_SA, UPDATE_SA
  for (const char* abi : {"x64", "x86"}) {
    const std::string delete_file = std::string("delete_sa_") + abi + ".bin";
    const std::string update_file = std::string("update_sa_") + abi + ".bin";
    const Result d =
        run(std::string("--oid DELETE_SA --abi ") + abi + " " + sample(delete_file.c_str()));
    ASSERT_EQ(d.exit_code, 0) << d.out;
    ASSERT_EQ(d.doc["elements"].size(), 3u);
    EXPECT_EQ(d.doc["elements"][0]["OffloadHandle"], 0x1111);
    EXPECT_EQ(d.doc["elements"][1]["OffloadHandle"], 0);  // NULL: a no-op, not a failure (OQ-12)
    EXPECT_EQ(d.doc["elements"][2]["OffloadHandle"], 0x3333);
    const Result u =
        run(std::string("--oid UPDATE_SA --abi ") + abi + " " + sample(update_file.c_str()));
    ASSERT_EQ(u.exit_code, 0) << u.out;
    EXPECT_EQ(u.doc["structure"]["OffloadHandle"], 0xABCD);
    EXPECT_EQ(u.doc["structure"]["Spi"], 0x87654321u);
    EXPECT_EQ(u.doc["structure"]["SequenceNumberHighOrder"], 6);
  }
}

TEST(DecodeCli, Capabilities) {  // NDIS_IPSEC_OFFLOAD_V2
  const Result r = run("--oid CAPABILITIES " + sample("capabilities.bin"));
  ASSERT_EQ(r.exit_code, 0) << r.out;
  const json& c = r.doc["structure"];
  EXPECT_EQ(c["Encapsulation"], 2);
  EXPECT_EQ(c["IPv6Supported"], true);
  EXPECT_EQ(c["IPv4Options"], false);
  EXPECT_EQ(c["Tunnel"], true);
  EXPECT_EQ(c["ExtendedSequenceNumbers"], true);
  EXPECT_EQ(c["UdpEsp"], 1);
  EXPECT_EQ(c["AuthenticationAlgorithms"], 7);
  EXPECT_EQ(c["EncryptionAlgorithms"], 0x1C9);
  EXPECT_EQ(c["SaOffloadCapacity"], 1024);
}

void expect_failure(const Result& r, const char* status, const char* code, int element,
                    const char* field) {
  ASSERT_EQ(r.exit_code, 1) << r.out;
  EXPECT_EQ(r.doc["status"], status);
  EXPECT_EQ(r.doc["status_code"], code);
  EXPECT_EQ(r.doc["element"], element);
  EXPECT_EQ(r.doc["field"], field);
  EXPECT_FALSE(r.doc["message"].get<std::string>().empty());
}

TEST(DecodeCli, InvalidBuffersReportStatusElementAndField) {  // OQ-01, OQ-04, OQ-05, OQ-06
  expect_failure(run("--oid ADD_SA " + sample("add_sa_x64_loop.bin")), "NDIS_STATUS_INVALID_DATA",
                 "0xC0010015", 1, "Next");
  const Result t = run("--oid ADD_SA " + sample("add_sa_x64_truncated.bin"));
  expect_failure(t, "NDIS_STATUS_INVALID_LENGTH", "0xC0010014", 1, "KeyLength");
  EXPECT_EQ(t.doc["bytes_needed"], 208 + 168 + 20);
  expect_failure(run("--oid ADD_SA " + sample("add_sa_x64_bad_type.bin")),
                 "NDIS_STATUS_INVALID_PARAMETER", "0xC000000D", 0, "Header.Type");
  expect_failure(run("--oid ADD_SA_EX " + sample("add_sa_ex_x64_keyoffset_inside.bin")),
                 "NDIS_STATUS_INVALID_DATA", "0xC0010015", 0, "KeyOffset");
  const Result u = run("--oid UPDATE_SA " + sample("update_sa_x64_short.bin"));
  expect_failure(u, "NDIS_STATUS_INVALID_LENGTH", "0xC0010014", 0, "Header");
  EXPECT_EQ(u.doc["bytes_needed"], 28);
}

TEST(DecodeCli, DecodableButInvalidElementFails) {  // ESP-002 via validation
  const Result r = run("--oid ADD_SA " + sample("add_sa_x64_spi0.bin"));
  expect_failure(r, "NDIS_STATUS_INVALID_DATA", "0xC0010015", 0, "SecAssoc[0].Spi");
  ASSERT_EQ(r.doc["elements"].size(), 2u);  // the decoded structure is still shown
  EXPECT_EQ(r.doc["elements"][1]["validation"]["status"], "NDIS_STATUS_SUCCESS");
}

TEST(DecodeCli, UnusableArgumentsExitTwo) {
  EXPECT_EQ(run("--oid BOGUS " + sample("capabilities.bin")).exit_code, 2);
  EXPECT_EQ(run("--oid ADD_SA --abi arm64 " + sample("capabilities.bin")).exit_code, 2);
  EXPECT_EQ(run("--oid ADD_SA /nonexistent/buffer.bin").exit_code, 2);
  EXPECT_EQ(run("--oid ADD_SA").exit_code, 2);
  EXPECT_EQ(run(std::string("--oid ADD_SA ") + CTS_NDIS_SAMPLES).exit_code, 2);  // a directory
}

TEST(DecodeCli, EmptyFileIsInvalidLengthNotACrash) {
  const std::string empty = std::string(CTS_BINARY_DIR) + "/decode_cli_empty.bin";
  if (FILE* f = std::fopen(empty.c_str(), "wb")) std::fclose(f);
  for (const char* oid : {"ADD_SA", "ADD_SA_EX", "DELETE_SA", "UPDATE_SA", "CAPABILITIES"}) {
    const Result r = run(std::string("--oid ") + oid + " " + empty);
    EXPECT_EQ(r.exit_code, 1) << oid;
    EXPECT_EQ(r.doc["status"], "NDIS_STATUS_INVALID_LENGTH") << oid;
  }
}

}  // namespace
