// Internal to runner/core: the state of one case while it runs (labels, handles on each side,
// sequence counters) and the step executors. case_runner.cpp drives it; oid_steps.cpp and
// datapath_steps.cpp implement the step kinds.
#pragma once

#include <algorithm>
#include <map>
#include <unordered_map>
#include <unordered_set>
#include <memory>
#include <optional>
#include <set>
#include <stdexcept>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "oracle/esp/esp_host.h"
#include "oracle/oracle.h"
#include "runner/cases/case_model.h"
#include "runner/core/bundle_material.h"
#include "runner/core/case_runner.h"
#include "runner/core/check_requirements.h"
#include "runner/core/flat_handle_map.h"
#include "runner/core/label_table.h"
#include "runner/core/lso_framer.h"
#include "runner/core/packed_material.h"
#include "runner/core/results.h"
#include "runner/core/step_capture.h"
#include "runner/core/table_view.h"
#include "runner/core/transport_framer.h"
#include "runner/core/wire_judge.h"
#include "runner/dut/dut_adapter.h"
#include "runner/results/key_redaction.h"

namespace cts::core::detail {

// The first alternative of `e` that `status` satisfies; nothing when none does. Two answers that
// satisfy different alternatives took different sides of the case's open question.
std::optional<size_t> status_alternative(const cases::StatusExpect& e, uint32_t status);

// How a step ends other than normally.
struct StepFailed {  // findings were recorded: FAIL
};
struct DeviceFailed {  // the device misbehaved: ERROR, restart it
  std::string message;
};
struct HarnessFailed {  // the case, the oracle or the runner is wrong: ERROR, not the device's fault
  std::string message;
};
struct FeatureRefused {  // the device cleanly refused an optional feature: NOT_APPLICABLE
  std::string feature;
};

struct LabelState {
  // The bundle's material: packed (packed_material.h) until a step names the label again, then
  // unpacked once (CaseExecution::find_label); material that does not pack is whole from the ADD.
  PackedMaterial packed;
  std::unique_ptr<MaterialBundle> unpacked;
  const MaterialBundle& material() const { return *unpacked; }
  uint64_t device_handle = 0;
  uint64_t oracle_handle = 0;
  // What the device's answer to the ADD left of this element: offloaded, refused in a request
  // that succeeded (NULL handle), or part of a request that failed.
  bool device_request_failed = false;
  bool added_ex = false;  // added with ADD_SA_EX (which handle rules its ADD answer broke)
  // A DELETE_SA the device accepted named this bundle's handle (the value may since have been
  // handed out again for another bundle, OQ-22: the bundle stays deleted).
  bool device_deleted = false;
  uint32_t next_send_seq = 1;
  uint32_t next_receive_seq = 1;
  // The next label given the same device handle (see labels_of_device_handle_).
  LabelState* next_with_device_handle = nullptr;
};

// A packet the peer protected with a bundle's keys (receive traffic).
struct PeerPacket {
  std::vector<uint8_t> datagram;
  size_t esp_offset = 0;    // of the ESP header in `datagram` (of AH in an AH-only bundle)
  size_t spi_offset = 0;    // of the outermost IPsec header's SPI (AH's in a bundle with AH)
  size_t plaintext_at = 0;  // where the ciphertext (and, decrypted in place, the plaintext) starts
};

// Every handle one side ever returned, and whether it is believed live (added, not yet deleted).
// Flat: a capacity case puts every handle of a million-bundle device in it.
struct Side {
  FlatHandleMap<uint8_t> handles;  // value 1: live
  // Bundles live now and at most so far: a side that once held more than it holds now refuses
  // an add for lack of room only if its deletes freed nothing (DEL-003).
  size_t live_count = 0, peak_live = 0;
  bool issued(uint64_t h) const { return handles.find(h) != nullptr; }
  bool live(uint64_t h) const {
    const uint8_t* v = handles.find(h);
    return v && *v;
  }
  void add_live(uint64_t h) {
    uint8_t& v = handles[h];
    if (!v) peak_live = std::max(peak_live, ++live_count);
    v = 1;
  }
  // Whether `h` was live; it is not afterwards.
  bool end_life(uint64_t h) {
    uint8_t* v = handles.find(h);
    if (!v || !*v) return false;
    *v = 0;
    --live_count;
    return true;
  }
};

class CaseExecution {
 public:
  CaseExecution(dut::DutAdapter& device, Oracle& oracle, const dut::Capabilities& caps,
                const CaseRunnerConfig& config, const cases::Case& c, CaseResult& result);

  void run_steps(const std::vector<cases::Step>& steps, cases::ExprEnv& env, const std::string& prefix,
                 bool top_level);
  // Datapath steps that fail (or err) leave their exchange here (step_capture.h).
  void capture_into(std::vector<StepCapture>* out) { captures_ = out; }
  // Every key the case draws is told to `keys` (the run redacts them from what it keeps).
  void keys_into(results::KeyRedactor* keys) { keys_ = keys; }

 private:
  void run_step(const cases::Step& step, cases::ExprEnv& env, const std::string& name, bool top_level);
  void oid_step(const cases::OidStep& s, cases::ExprEnv& env, const std::string& name, results::StepEvidence& ev);
  void send_step(const cases::SendStep& s, cases::ExprEnv& env, const std::string& name, results::StepEvidence& ev);
  // IVs each side repeated under one key (GCM-001, GMAC-001, AH-056, CBC-002), from the send
  // judge's verdicts: the oracle repeating one is a harness fault, the device repeating one fails.
  void check_iv_unique(const WireVerdict& device_verdict, const WireVerdict* oracle_verdict,
                       const std::string& pname);
  // The send judge of each side (created on first use, one IV history per side and case).
  esp::SendJudge& send_judge(bool device_side);
  // The bundle a label's sends are judged against: the oracle's table entry while it has one
  // (current ESN high halves, OQ-11), else the label's material.
  // (Nothing when the material does not validate: a case adding a malformed bundle.)
  std::optional<ndis::BundleSpec> send_bundle(const LabelState& l);
  // The frame the transport hands down for a send on `spec`: ESP (transport_framer), AH
  // (ah_framer) or both, ESP inside AH (ADD-011).
  FramedSend frame_send(const LabelState& l, const ndis::BundleSpec* spec, uint32_t seq,
                        const std::vector<uint8_t>& plain, bool tunnel, const std::string& step,
                        const TrailerShape& trailer = {}, std::optional<bool> udp_checksum = std::nullopt);
  // LSO sends (lso_steps.cpp): the large send and the segments a conforming NIC makes of it
  // (`mss` receives the OOB MSS), and one side's frames judged segment by segment.
  std::optional<LsoSend> frame_lso(const LabelState& l, const ndis::BundleSpec* spec, const cases::LsoDef& def,
                                   uint32_t seq, const std::vector<uint8_t>& plain, cases::ExprEnv& env,
                                   const std::string& pname, uint32_t& mss);
  WireVerdict judge_lso_output(const LsoSend& lso, const ndis::BundleSpec& spec,
                               const std::vector<std::vector<uint8_t>>& frames, std::optional<uint32_t> seq_high,
                               bool device_side, const std::string& pname);
  void receive_step(const cases::ReceiveStep& s, cases::ExprEnv& env, const std::string& name,
                    results::StepEvidence& ev);
  void probe_step(const cases::ProbeStep& s, cases::ExprEnv& env, const std::string& name, results::StepEvidence& ev);
  PeerPacket protect_as_peer(const LabelState& l, uint32_t seq, uint32_t high, const std::vector<uint8_t>& plain,
                             bool tunnel, const std::string& pname, const TrailerShape& shape = {},
                             bool malformed_padding = false, std::optional<bool> udp_checksum = std::nullopt,
                             bool damage_esp_icv = false);
  void query_step(const cases::QueryStep& s, cases::ExprEnv& env, const std::string& name, results::StepEvidence& ev);
  void request_delete_step(const cases::RequestDeleteStep& s, cases::ExprEnv& env, const std::string& name,
                           results::StepEvidence& ev);
  void check_table(const cases::TableExpect& t, cases::ExprEnv& env, const std::string& name,
                   results::StepEvidence& ev);
  void diff_device_table(const std::string& name, results::StepEvidence& ev);

  // Findings. fail() records and continues the step; end_if_failed() stops the case. Every
  // finding names the requirements of the check that failed (check_requirements.h), never the
  // case's whole list; a check without any is a harness fault.
  void fail(const std::string& step, const std::string& field, const std::string& expected,
            const std::string& actual, std::vector<std::string> requirements,
            const std::string& detail = "");
  void end_if_failed();
  // The device took an alternative the case accepts through `q` (its open question), other than
  // the oracle's documented choice: recorded, and the case ends ACCEPTABLE if nothing fails.
  void accept(const std::string& step, const std::string& field, const cases::OpenQuestion& q,
              const std::string& device, const std::string& oracle);
    void record_oracle_table(results::StepEvidence& ev, bool step_failed);
  // The device's dump, read and parsed at most once per step: a table check and the step's
  // diff share it.
  struct DeviceDump {
    uint64_t step = ~uint64_t{0};  // the step it was read in; none yet
    std::optional<std::string> text;
    std::optional<TableView> view;
    std::string error;  // why `text` gave no view
  };
  const DeviceDump& device_dump();
  // Whether this step reads the device's whole table (see case_runner.cpp).
  bool dump_worth_reading() const;
  static constexpr size_t kEvidenceTableBundles = 1024;
  static constexpr size_t kDumpEveryStepBundles = 16384;
  // The running step's frames and the label whose ESP SA protected them.
  void capture_frame(const char* origin, const std::vector<uint8_t>& frame);
  void finish_capture();
  [[noreturn]] void harness(const std::string& message);
  [[noreturn]] void device_error(const std::string& op, const dut::DutError& e);

  // The label's state with its material unpacked; label() makes an unknown name a harness fault.
  LabelState* find_label(const std::string& name);
  LabelState& label(const std::string& name, const std::string& step);
  uint64_t resolve_handle(const cases::HandleRef& ref, cases::ExprEnv& env, bool device_side,
                          const std::string& step);
  uint32_t current_seq_high(const LabelState& l) const;
  // Whether the device side once returned this handle and has since deleted it.
  bool device_handle_deleted(uint64_t handle) const;
  std::map<uint64_t, std::string> labels_by_handle(bool device_side) const;
  // Whether the bundle a table diff field names ("table.<label>....") shares its device handle
  // with another live bundle (a handle handed out twice).
  bool device_handle_shared(const std::string& field) const;
  int64_t eval(const cases::Expr& e, const cases::ExprEnv& env, const std::string& where) const;

  dut::DutAdapter& device_;
  Oracle& oracle_;
  const dut::Capabilities& caps_;
  const CaseRunnerConfig& config_;
  const cases::Case& case_;
  CaseResult& result_;
  CaseRandom rng_;
  // Flat (label_table.h): a capacity case names a million labels. States never move, so
  // pointers into it stay valid.
  LabelTable<LabelState> labels_;
  MaterialShapes shapes_;
  // The labels that were given each device handle (map nodes never move), chained through
  // LabelState::next_with_device_handle, so a DELETE_SA marks its labels without walking every
  // label: a delete-all of N bundles costs N, not N^2. A deleted handle's chain is emptied.
  FlatHandleMap<LabelState*> labels_of_device_handle_;
  Side device_side_, oracle_side_;
  size_t findings_at_step_start_ = 0;
  bool oracle_only_step_ = false;  // an x86 step: the device never saw it
  bool step_evidence_kept_ = true;  // a top-level step: its evidence is recorded even when it passes
  std::optional<cases::OidKind> step_oid_;  // the OID of the running step, if it is one
  StepRequestOutcome step_outcome_;          // how that OID request ended on each side
  uint64_t step_serial_ = 0;       // counts steps, so a dump is known to be this step's
  DeviceDump device_dump_;
  StepCapture step_capture_;
  std::string step_capture_label_;
  std::vector<StepCapture>* captures_ = nullptr;
  results::KeyRedactor* keys_ = nullptr;
  void remember_keys(const MaterialBundle& m, bool always);
  std::unique_ptr<crypto::SeededRandomSource> host_rng_;
  std::unique_ptr<esp::EspHost> peer_;  // protects receive traffic
  std::unique_ptr<esp::SendJudge> device_judge_, oracle_judge_;
};

std::string status_text(uint32_t status);
std::string hex_bytes(const std::vector<uint8_t>& bytes, size_t limit = 4096);

}  // namespace cts::core::detail
