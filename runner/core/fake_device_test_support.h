// A fake device for the case-engine tests whose every answer a test scripts: OID status and the
// handles written back, send completions and wire frames, receive indications and OOB words, or a
// device error in place of any of them. Nothing conforming sits behind it, so each test states
// exactly what the device did and checks what the engine made of it. It also records what the
// engine asked (the request bytes, the send OOB, the frames given to receive), so a test can check
// which handle reached the device. A call the test did not script is a protocol error, never a
// silent default.
#pragma once

#include <algorithm>
#include <cstdint>
#include <deque>
#include <optional>
#include <string>
#include <utility>
#include <variant>
#include <vector>

#include <gtest/gtest.h>

#include "oracle/ndis/codec.h"
#include "oracle/oracle.h"
#include "runner/core/case_runner.h"
#include "runner/core/device_profile_bridge.h"
#include "runner/core/scripted_device_test_support.h"
#include "runner/dut/dut_adapter.h"
#include "runner/dut/oracle_adapter.h"

namespace cts::core::testing {

// An OID answer: the status, and the OffloadHandle written back into each ADD element in list
// order (missing entries: left as the request had them, i.e. NULL).
struct FakeOid {
  ndis::NdisStatus status = ndis::NDIS_STATUS_SUCCESS;
  std::vector<uint64_t> handles;
};

// A receive answer: indicated or not; `echo` indicates the very frame the engine gave (what a
// device does with a packet it does not process); else `frame`. The two OOB words as reported.
struct FakeReceive {
  bool indicated = true;
  bool echo = true;
  std::vector<uint8_t> frame;
  uint64_t ipsec_info = 0;
  uint32_t header_info = 0;
};

template <typename T>
using Scripted = std::variant<T, dut::DutError>;

struct FakeScript {
  dut::Capabilities caps;  // what query_capabilities reports
  std::deque<Scripted<FakeOid>> oids;
  std::deque<Scripted<dut::SendReply>> sends;
  std::deque<Scripted<FakeReceive>> receives;

  // What the engine did.
  std::vector<std::pair<uint32_t, std::vector<uint8_t>>> oid_requests;
  std::vector<ndis::SendOob> send_oobs;
  std::vector<std::vector<uint8_t>> received_frames;
  size_t resets = 0, restarts = 0, dumps = 0;
};

// The capabilities of the oracle's default device profile: a realistic, valid starting point a
// test narrows (no AH, no ESN, ...).
inline dut::Capabilities default_fake_capabilities() {
  auto made = dut::open_oracle("");
  EXPECT_TRUE(made.ok());
  auto caps = made.value()->query_capabilities();
  EXPECT_TRUE(caps.ok());
  return *caps;
}

class FakeDevice : public dut::DutAdapter {
 public:
  explicit FakeDevice(FakeScript& script) : script_(script) {}

  std::string name() const override { return "fake"; }
  std::string description() const override { return "scripted fake device (tests)"; }
  dut::DutFeatures features() const override { return {}; }  // no dump: a black-box driver
  dut::DutResult<dut::Capabilities> query_capabilities() override { return script_.caps; }

  dut::DutResult<dut::OidReply> oid_set(uint32_t oid, std::span<const uint8_t> request) override {
    script_.oid_requests.emplace_back(oid, std::vector<uint8_t>(request.begin(), request.end()));
    auto next = take(script_.oids, "oid_set");
    if (auto* e = std::get_if<dut::DutError>(&next)) return *e;
    const FakeOid& a = std::get<FakeOid>(next);
    dut::OidReply r;
    r.status = a.status;
    r.bytes_read = static_cast<uint32_t>(request.size());
    r.buffer.assign(request.begin(), request.end());
    const size_t at = ndis::offload_handle_offset(oid, ndis::Abi::x64);
    const auto elements = ndis::list_element_offsets(r.buffer, oid, ndis::Abi::x64, ndis::NextLinks{0});
    for (size_t i = 0; i < a.handles.size() && i < elements.size(); ++i)
      for (size_t k = 0; k < 8; ++k) r.buffer[elements[i] + at + k] = static_cast<uint8_t>(a.handles[i] >> (8 * k));
    return r;
  }

  dut::DutResult<dut::SendReply> send(std::span<const uint8_t>, const ndis::SendOob& oob) override {
    script_.send_oobs.push_back(oob);
    auto next = take(script_.sends, "send");
    if (auto* e = std::get_if<dut::DutError>(&next)) return *e;
    return std::get<dut::SendReply>(next);
  }

  dut::DutResult<dut::ReceiveReply> receive(std::span<const uint8_t> frame) override {
    script_.received_frames.emplace_back(frame.begin(), frame.end());
    auto next = take(script_.receives, "receive");
    if (auto* e = std::get_if<dut::DutError>(&next)) return *e;
    const FakeReceive& a = std::get<FakeReceive>(next);
    dut::ReceiveReply r;
    r.indicated = a.indicated;
    if (a.indicated) r.frame = a.echo ? std::vector<uint8_t>(frame.begin(), frame.end()) : a.frame;
    r.oob.ipsec_info = a.ipsec_info;
    r.oob.header_info = a.header_info;
    return r;
  }

  dut::DutResult<std::optional<std::string>> dump() override {
    ++script_.dumps;
    return std::optional<std::string>{};
  }
  dut::DutStatus request_sa_delete(uint32_t) override {
    return dut::DutError{dut::DutErrorKind::unsupported, "request_sa_delete: not offered", ""};
  }
  dut::DutStatus reset() override {
    ++script_.resets;
    return dut::Done{};
  }
  dut::DutStatus restart() override {
    ++script_.restarts;
    return dut::Done{};
  }

 private:
  template <typename T>
  static Scripted<T> take(std::deque<Scripted<T>>& queue, const char* op) {
    if (queue.empty())
      return dut::DutError{dut::DutErrorKind::protocol_error, std::string(op) + ": the test scripted no answer", ""};
    Scripted<T> next = std::move(queue.front());
    queue.pop_front();
    return next;
  }

  FakeScript& script_;
};

// Runs one case (the JSON text of a case object) on the fake device, beside an oracle with the
// fake's capabilities (the default profile's when the script sets none), dump unused.
inline CaseResult run_on_fake(FakeScript& script, const std::string& case_json) {
  if (script.caps.ipsec_offload_v2.sa_offload_capacity == 0) script.caps = default_fake_capabilities();
  FakeDevice device(script);
  Oracle oracle(profile_from_capabilities(script.caps, device.name()), OracleOptions{});
  CaseRunnerConfig cfg;
  cfg.seed = 7;
  cfg.use_dump = false;
  CaseRunner runner(device, oracle, script.caps, cfg);
  return runner.run(load_one_case(case_json));
}

inline bool names_requirement(const Finding& f, const std::string& id) {
  return std::find(f.requirements.begin(), f.requirements.end(), id) != f.requirements.end();
}

// The first finding, or the error, for a failure message.
inline std::string first_finding(const CaseResult& r) {
  return r.findings.empty() ? r.error : r.findings[0].step + " " + r.findings[0].field + ": " + r.findings[0].actual;
}

}  // namespace cts::core::testing
