// A scripted fake device for the case-engine tests: the oracle device (a conforming reference)
// behind hooks that inject one fault each, the way a faulty driver would answer. A test runs a
// case through CaseRunner against it and checks the verdict and what each finding names.
#pragma once

#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include <gtest/gtest.h>

#include "oracle/oracle.h"
#include "runner/cases/case_loader.h"
#include "runner/core/case_runner.h"
#include "runner/core/device_profile_bridge.h"
#include "runner/dut/oracle_adapter.h"

namespace cts::core::testing {

struct Script {
  // Before the request reaches the reference: an answer here replaces it (the reference never
  // sees the request, as a driver that ignores it).
  std::function<std::optional<dut::OidReply>(uint32_t oid, std::span<const uint8_t> request)> before_oid;
  // After the reference answered: edit the answer.
  std::function<void(uint32_t oid, dut::OidReply&)> after_oid;
  std::function<void(dut::SendReply&)> after_send;
  std::function<void(dut::ReceiveReply&)> after_receive;
  bool offers_dump = true;
  // The profile the reference plays (the JSON text of a duts/profiles/*.json); empty: the oracle's default.
  std::string profile;
  // Counts of calls, for tests of the engine itself.
  size_t oids = 0, sends = 0, receives = 0, dumps = 0;
};

class ScriptedDevice : public dut::DutAdapter {
 public:
  explicit ScriptedDevice(Script& script) : script_(script) {
    auto made = dut::open_oracle(script.profile);
    EXPECT_TRUE(made.ok());
    inner_ = std::move(made.value());
  }
  std::string name() const override { return "scripted"; }
  std::string description() const override { return "scripted fake device (tests)"; }
  dut::DutFeatures features() const override {
    dut::DutFeatures f = inner_->features();
    f.dump = script_.offers_dump;
    return f;
  }
  dut::DutResult<dut::Capabilities> query_capabilities() override { return inner_->query_capabilities(); }
  dut::DutResult<dut::OidReply> oid_set(uint32_t oid, std::span<const uint8_t> request) override {
    ++script_.oids;
    if (script_.before_oid)
      if (auto r = script_.before_oid(oid, request)) return *r;
    auto r = inner_->oid_set(oid, request);
    if (r.ok() && script_.after_oid) script_.after_oid(oid, r.value());
    return r;
  }
  dut::DutResult<dut::SendReply> send(std::span<const uint8_t> frame, const ndis::SendOob& oob) override {
    ++script_.sends;
    auto r = inner_->send(frame, oob);
    if (r.ok() && script_.after_send) script_.after_send(r.value());
    return r;
  }
  dut::DutResult<dut::ReceiveReply> receive(std::span<const uint8_t> frame) override {
    ++script_.receives;
    auto r = inner_->receive(frame);
    if (r.ok() && script_.after_receive) script_.after_receive(r.value());
    return r;
  }
  dut::DutResult<std::optional<std::string>> dump() override {
    ++script_.dumps;
    if (!script_.offers_dump) return std::optional<std::string>{};
    return inner_->dump();
  }
  dut::DutStatus request_sa_delete(uint32_t spi) override { return inner_->request_sa_delete(spi); }
  dut::DutStatus reset() override { return inner_->reset(); }
  dut::DutStatus restart() override { return inner_->restart(); }

 private:
  Script& script_;
  std::unique_ptr<dut::DutAdapter> inner_;
};

// Loads one case from the JSON text of a case object (wrapped into a one-case file).
inline cases::Case load_one_case(const std::string& case_json) {
  const std::string file = R"({"format": 1, "area": "test", "description": "scripted",
    "notes": {"T": {"bug_class": "b", "checks": "c", "impact": "i", "requirements": []}},
    "cases": [)" + case_json + "]}";
  cases::LoadResult r = cases::load_case_text(file, "scripted.json");
  for (const auto& e : r.errors) ADD_FAILURE() << e.to_string();
  if (r.files.empty() || r.files[0].cases.empty()) return {};
  return r.files[0].cases[0];
}

// Runs `c` on the scripted device and a fresh oracle with the device's profile.
inline CaseResult run_scripted(Script& script, const cases::Case& c, bool use_dump = true) {
  ScriptedDevice device(script);
  auto caps = device.query_capabilities();
  EXPECT_TRUE(caps.ok());
  Oracle oracle(profile_from_capabilities(*caps, device.name()), OracleOptions{});
  CaseRunnerConfig cfg;
  cfg.seed = 7;
  cfg.use_dump = use_dump;
  CaseRunner runner(device, oracle, *caps, cfg);
  return runner.run(c);
}

}  // namespace cts::core::testing
