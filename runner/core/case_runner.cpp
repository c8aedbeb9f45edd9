#include "runner/core/case_runner.h"

#include <chrono>

#include "oracle/ndis/constants.h"
#include "runner/cases/case_names.h"
#include "runner/core/case_execution.h"
#include "runner/core/evidence_decoding.h"
#include "runner/core/check_requirements.h"
#include "runner/core/table_view.h"

namespace cts::core {

namespace detail {

std::string status_text(uint32_t status) {
  char buf[16];
  std::snprintf(buf, sizeof buf, "0x%08x", status);
  const auto name = ndis::ndis_status_name(status);
  return name.empty() ? std::string(buf) : std::string(name) + " (" + buf + ")";
}

std::string hex_bytes(const std::vector<uint8_t>& bytes, size_t limit) {
  static const char* digits = "0123456789abcdef";
  std::string s;
  for (size_t i = 0; i < bytes.size() && i < limit; ++i) {
    s += digits[bytes[i] >> 4];
    s += digits[bytes[i] & 15];
  }
  if (bytes.size() > limit) s += "...(" + std::to_string(bytes.size()) + " bytes)";
  return s;
}

CaseExecution::CaseExecution(dut::DutAdapter& device, Oracle& oracle, const dut::Capabilities& caps,
                             const CaseRunnerConfig& config, const cases::Case& c, CaseResult& result)
    : device_(device), oracle_(oracle), caps_(caps), config_(config), case_(c), result_(result),
      rng_(config.seed, c.id) {}

void CaseExecution::fail(const std::string& step, const std::string& field, const std::string& expected,
                         const std::string& actual, std::vector<std::string> requirements,
                         const std::string& detail) {
  if (requirements.empty()) throw HarnessFailed{step + ": the check of " + field + " names no requirement"};
  result_.findings.push_back({step, field, expected, actual, std::move(requirements), detail});
}

std::optional<size_t> status_alternative(const cases::StatusExpect& e, uint32_t status) {
  for (size_t i = 0; i < e.any_of.size(); ++i) {
    const auto& a = e.any_of[i];
    switch (a.kind) {
      case cases::StatusAlternative::Kind::exact:
        if (status == a.value) return i;
        break;
      case cases::StatusAlternative::Kind::success:
        if (!ndis::ndis_failed(status)) return i;
        break;
      case cases::StatusAlternative::Kind::failure:
        if (ndis::ndis_failed(status)) return i;
        break;
    }
  }
  return std::nullopt;
}

void CaseExecution::accept(const std::string& step, const std::string& field, const cases::OpenQuestion& q,
                           const std::string& device, const std::string& oracle) {
  if (q.empty()) throw HarnessFailed{step + ": " + field + " accepts alternatives without citing an open question"};
  result_.acceptances.push_back({step, field, q.text(), device, oracle, q.alternative});
}

void CaseExecution::end_if_failed() {
  if (result_.findings.size() > findings_at_step_start_) throw StepFailed{};
}

void CaseExecution::harness(const std::string& message) { throw HarnessFailed{message}; }

void CaseExecution::device_error(const std::string& op, const dut::DutError& e) {
  throw DeviceFailed{op + ": " + e.to_string()};
}

int64_t CaseExecution::eval(const cases::Expr& e, const cases::ExprEnv& env, const std::string& where) const {
  try {
    return e.eval(env);
  } catch (const cases::ExprError& err) {
    throw HarnessFailed{where + ": " + err.what()};
  }
}

LabelState* CaseExecution::find_label(const std::string& name) {
  LabelState* l = labels_.find(name);
  if (l && !l->unpacked) l->unpacked = std::make_unique<MaterialBundle>(shapes_.unpack(l->packed, name));
  return l;
}

LabelState& CaseExecution::label(const std::string& name, const std::string& step) {
  LabelState* l = find_label(name);
  if (!l) harness(step + ": label \"" + name + "\" was not added by an earlier step");
  return *l;
}

uint64_t CaseExecution::resolve_handle(const cases::HandleRef& ref, cases::ExprEnv& env, bool device_side,
                                       const std::string& step) {
  switch (ref.kind) {
    case cases::HandleRef::Kind::null: return 0;
    case cases::HandleRef::Kind::raw: return ref.raw;
    case cases::HandleRef::Kind::bogus: {
      // A value this side never returned: it names no bundle (SEND-006, OQ-12, UPD-004).
      const Side& side = device_side ? device_side_ : oracle_side_;
      uint64_t v = 0x7B5A0001u;
      while (side.issued(v)) v += 0x10002;
      return v;
    }
    case cases::HandleRef::Kind::label: break;
  }
  std::string name;
  try {
    name = ref.label.render(env);
  } catch (const cases::ExprError& e) {
    harness(step + ": " + e.what());
  }
  // Only the handles: a delete-all of a million labels unpacks no material.
  const LabelState* l = labels_.find(name);
  if (!l) harness(step + ": label \"" + name + "\" was not added by an earlier step");
  return device_side ? l->device_handle : l->oracle_handle;
}

bool CaseExecution::device_handle_deleted(uint64_t handle) const {
  return handle != 0 && device_side_.issued(handle) && !device_side_.live(handle);
}

uint32_t CaseExecution::current_seq_high(const LabelState& l) const {
  // The oracle's table holds the SA's current high half (ADD, then each UPDATE_SA, OQ-11).
  // The ESP SA's; an AH-only bundle's AH SA (a bundle's two SAs start from the same high half
  // in the cases, and UPDATE_SA of either moves the oracle's copy).
  const std::optional<size_t> idx = l.material().sas.empty() ? std::nullopt
                                    : esp_index(l.material()) ? esp_index(l.material())
                                                            : std::optional<size_t>(0);
  if (!idx) return 0;
  if (l.oracle_handle) {
    if (const sa::StoredBundle* b = oracle_.table().find(l.oracle_handle))
      return b->spec.sas[*idx].sequence_number_high_order;
  }
  return l.material().sas[*idx].seq_high;
}

std::map<uint64_t, std::string> CaseExecution::labels_by_handle(bool device_side) const {
  std::map<uint64_t, std::string> m;
  std::set<uint64_t> named_by_live;  // handles a label not deleted on the device holds
  labels_.for_each([&](std::string_view name, const LabelState& l) {
    const uint64_t h = device_side ? l.device_handle : l.oracle_handle;
    if (!h) return;
    // A handle value the device handed out again after a DELETE_SA (OQ-22) names the bundle that
    // holds it now, not the deleted one; otherwise a handle given to several labels over time
    // names the greatest of them, whatever the order the labels are visited in.
    const bool live = !(device_side && l.device_deleted);
    auto [it, fresh] = m.emplace(h, std::string(name));
    const bool held_by_live = named_by_live.count(h) != 0;
    if (fresh || (live && !held_by_live) || (live == held_by_live && name > it->second)) it->second = name;
    if (live) named_by_live.insert(h);
  });
  return m;
}

bool CaseExecution::device_handle_shared(const std::string& field) const {
  // "table.<label>.<...>": the label's device handle, held by another label not deleted.
  if (field.rfind("table.", 0) != 0) return false;
  const size_t end = field.find('.', 6);
  if (end == std::string::npos) return false;
  const LabelState* l = labels_.find(std::string_view(field).substr(6, end - 6));
  if (!l || !l->device_handle || l->device_deleted) return false;
  const LabelState* const* head = labels_of_device_handle_.find(l->device_handle);
  size_t live = 0;
  for (const LabelState* st = head ? *head : nullptr; st; st = st->next_with_device_handle)
    if (st->device_handle == l->device_handle && !st->device_deleted) ++live;
  return live > 1;
}

void CaseExecution::run_steps(const std::vector<cases::Step>& steps, cases::ExprEnv& env,
                              const std::string& prefix, bool top_level) {
  for (size_t i = 0; i < steps.size(); ++i) {
    const std::string name = prefix + "steps[" + std::to_string(i) + "]";
    run_step(steps[i], env, name, top_level);
  }
}

void CaseExecution::run_step(const cases::Step& step, cases::ExprEnv& env, const std::string& name,
                             bool top_level) {
  if (const auto* r = std::get_if<cases::RepeatStep>(&step.body)) {
    const int64_t from = eval(r->from, env, name + ".from");
    const int64_t to = eval(r->to, env, name + ".to");
    if (to - from > 10'000'000) harness(name + ": repeat of " + std::to_string(to - from) + " iterations");
    // A fill of a million bundles would otherwise rehash the label table twenty times.
    size_t labels_per_iteration = 0;
    for (const auto& inner : r->steps)
      if (const auto* o = std::get_if<cases::OidStep>(&inner.body)) labels_per_iteration += o->sas.size();
    if (to > from && labels_per_iteration)
      labels_.reserve(labels_.size() + static_cast<size_t>(to - from) * labels_per_iteration);
    for (int64_t k = from; k < to; ++k) {
      env.set(r->var, k);
      run_steps(r->steps, env, name + ".repeat[" + r->var + "=" + std::to_string(k) + "].", false);
    }
    if (top_level) {
      results::StepEvidence ev;
      ev.step = name;
      ev.op = "repeat";
      ev.iterations = static_cast<uint64_t>(to > from ? to - from : 0);
      diff_device_table(name, ev);
      record_oracle_table(ev, result_.findings.size() > findings_at_step_start_);
      result_.evidence.push_back(std::move(ev));
      end_if_failed();
    }
    return;
  }
  ++step_serial_;  // the device's table may change from here on
  findings_at_step_start_ = result_.findings.size();
  step_capture_ = StepCapture{};
  step_capture_.step = name;
  step_capture_label_.clear();
  results::StepEvidence ev;
  ev.step = name;
  ev.comment = step.comment;
  const auto* as_oid = std::get_if<cases::OidStep>(&step.body);
  oracle_only_step_ = as_oid && as_oid->x86;
  step_evidence_kept_ = top_level;
  step_oid_ = as_oid ? std::optional<cases::OidKind>(as_oid->oid) : std::nullopt;
  step_outcome_ = StepRequestOutcome{};
  bool failed = false;
  try {
    if (const auto* o = std::get_if<cases::OidStep>(&step.body)) oid_step(*o, env, name, ev);
    else if (const auto* s = std::get_if<cases::SendStep>(&step.body)) send_step(*s, env, name, ev);
    else if (const auto* rc = std::get_if<cases::ReceiveStep>(&step.body)) receive_step(*rc, env, name, ev);
    else if (const auto* q = std::get_if<cases::QueryStep>(&step.body)) query_step(*q, env, name, ev);
    else if (const auto* d = std::get_if<cases::RequestDeleteStep>(&step.body)) request_delete_step(*d, env, name, ev);
    else if (const auto* p = std::get_if<cases::ProbeStep>(&step.body)) probe_step(*p, env, name, ev);
    else if (const auto* t = std::get_if<cases::TableStep>(&step.body)) {
      ev.op = "table";
      check_table(t->expect, env, name, ev);
    }
    if (top_level) diff_device_table(name, ev);
    failed = result_.findings.size() > findings_at_step_start_;
  } catch (...) {
    failed = true;
    finish_capture();
    record_oracle_table(ev, true);
    result_.evidence.push_back(std::move(ev));
    throw;
  }
  if (failed) finish_capture();
  if (failed || top_level) {
    record_oracle_table(ev, failed);
    result_.evidence.push_back(std::move(ev));
  }
  end_if_failed();
}

void CaseExecution::capture_frame(const char* origin, const std::vector<uint8_t>& frame) {
  if (frame.empty()) return;
  auto& frames = step_capture_.frames;
  // A long step (count 100000) keeps its last frames: the failing packet ends the step.
  if (frames.size() >= kMaxCapturedFrames) frames.erase(frames.begin(), frames.begin() + kMaxCapturedFrames / 4);
  frames.push_back({origin, frame});
}

void CaseExecution::finish_capture() {
  if (!captures_ || step_capture_.frames.empty()) return;
  if (const LabelState* l = find_label(step_capture_label_)) {
    std::string why;
    if (auto cfg = host_esp_config(l->material(), 0, caps_.gcm_key_includes_salt, why))
      step_capture_.sa = capture_sa(l->material(), *cfg);
  }
  captures_->push_back(std::move(step_capture_));
  step_capture_ = StepCapture{};
}

const CaseExecution::DeviceDump& CaseExecution::device_dump() {
  if (device_dump_.step == step_serial_) return device_dump_;
  device_dump_ = DeviceDump{};
  device_dump_.step = step_serial_;
  auto d = device_.dump();
  if (!d.ok()) device_error("dump", d.error());
  if (!d.value()) return device_dump_;
  device_dump_.text = *d.value();
  device_dump_.view = parse_table_view(nlohmann::json::parse(*device_dump_.text, nullptr, false), device_dump_.error);
  return device_dump_;
}

void CaseExecution::record_oracle_table(results::StepEvidence& ev, bool step_failed) {
  // The whole table for a failing step, or while it is small; a passing step of a large table
  // (a capacity case on a 64K-bundle device) keeps the counts only, so writing dumps that are
  // thrown away when the case passes does not dominate the run.
  const sa::SaTable& t = oracle_.table();
  if (step_failed || t.size() <= kEvidenceTableBundles) {
    ev.oracle_table = oracle_.dump_json();  // parsed only if the case does not pass
  } else {
    ev.oracle_table_counts = results::TableCounts{t.size(), t.inbound_count(), t.outbound_count()};
  }
}

bool CaseExecution::dump_worth_reading() const {
  // A large table (a capacity case on a device of 64K bundles and more; the bundled small devices
  // stay below and keep a diff per step) is read whole only for a
  // step that has already failed on what the device showed (status, handles, traffic), where the
  // dump is evidence: a passing step costs no dump, so a capacity case costs OID round trips
  // linear in its size and a bounded number of whole-table dumps, whatever the size.
  return oracle_.table().size() <= kDumpEveryStepBundles || result_.findings.size() > findings_at_step_start_;
}

void CaseExecution::diff_device_table(const std::string& name, results::StepEvidence& ev) {
  // x86 steps reach only the oracle (the device ABI is x64); cases keep the table unchanged
  // across them, so the next x64 step compares again.
  if (!config_.use_dump || !device_.features().dump || oracle_only_step_) return;
  if (!dump_worth_reading()) return;
  const DeviceDump& d = device_dump();
  if (!d.text) return;
  ev.device_table = *d.text;
  if (!d.view) {
    // The dump is the suite's debug interface, not a requirement of the specification: a dump
    // the runner cannot read is a device error (docs/dut-abi.md), never a conformance finding.
    throw DeviceFailed{"dump: not a table view with a \"bundles\" array (docs/dut-abi.md): " + d.error};
  }
  const TableView* dv = &*d.view;
  const TableView ov = oracle_table_view(oracle_.table());
  const cases::OidKind* oid = step_oid_ ? &*step_oid_ : nullptr;
  for (const auto& diff : diff_tables(ov, *dv, labels_by_handle(false), labels_by_handle(true))) {
    // "present"/"absent" and count diffs say which way the table went; the rest are fields.
    TableChange change = TableChange::field;
    if (diff.expected == "present" || diff.actual == "present")
      change = diff.actual == "present" ? TableChange::extra : TableChange::missing;
    else if (diff.field == "table.bundle_count" || diff.field.rfind("table.pools.", 0) == 0)
      change = std::stoll(diff.actual) > std::stoll(diff.expected) ? TableChange::extra : TableChange::missing;
    // A bundle whose device handle another live bundle also holds shows that other bundle's
    // fields: the handle is the fault (ADD-003 / ADDEX-003), not the field.
    RequirementIds ids = table_requirements(oid, change, diff.field, step_outcome_);
    if (change == TableChange::field && device_handle_shared(diff.field))
      ids = handle_requirements(oid && *oid == cases::OidKind::add_sa_ex ? *oid : cases::OidKind::add_sa,
                                HandleCheck::reused_live);
    fail(name, diff.field, diff.expected, diff.actual, ids,
         "the device's SA table (dump) differs from the oracle's after this step");
  }
}

void CaseExecution::check_table(const cases::TableExpect& t, cases::ExprEnv& env, const std::string& name,
                                results::StepEvidence& ev) {
  (void)ev;
  const sa::SaTable& table = oracle_.table();
  auto check_count = [&](const std::optional<cases::Expr>& e, size_t oracle_value, const char* field) {
    if (!e) return;
    const int64_t want = eval(*e, env, name + ".table." + field);
    if (static_cast<int64_t>(oracle_value) != want)
      harness(name + ": the case expects table." + field + " = " + std::to_string(want) +
              " but the oracle holds " + std::to_string(oracle_value));
  };
  check_count(t.bundles, table.size(), "bundles");
  check_count(t.inbound, table.inbound_count(), "inbound");
  check_count(t.outbound, table.outbound_count(), "outbound");
  auto oracle_has = [&](const std::string& l) {
    const LabelState* st = labels_.find(l);
    return st && st->oracle_handle && table.find(st->oracle_handle);
  };
  for (const auto& p : t.present) {
    const std::string l = p.render(env);
    if (!oracle_has(l)) harness(name + ": the case expects \"" + l + "\" in the table; the oracle has no such bundle");
  }
  for (const auto& a : t.absent) {
    const std::string l = a.render(env);
    if (oracle_has(l)) harness(name + ": the case expects \"" + l + "\" gone; the oracle still holds it");
  }
  // The device side: through its dump when it has one.
  if (!config_.use_dump || !device_.features().dump || oracle_only_step_) return;
  if (!dump_worth_reading()) return;
  const DeviceDump& d = device_dump();
  if (!d.view) return;  // reported by diff_device_table
  const TableView* dv = &*d.view;
  size_t in = 0, out = 0;
  std::set<uint64_t> handles;
  for (const auto& b : dv->bundles) {
    handles.insert(b.handle);
    if (b.direction && *b.direction == "inbound") ++in;
    else if (b.direction && *b.direction == "outbound") ++out;
  }
  auto dev_count = [&](const std::optional<cases::Expr>& e, size_t v, const char* field) {
    if (!e) return;
    const int64_t want = eval(*e, env, name);
    if (static_cast<int64_t>(v) != want)
      fail(name, std::string("table.") + field, std::to_string(want), std::to_string(v),
           table_requirements(step_oid_ ? &*step_oid_ : nullptr,
                              static_cast<int64_t>(v) > want ? TableChange::extra : TableChange::missing, field,
                              step_outcome_));
  };
  dev_count(t.bundles, dv->bundles.size(), "bundles");
  dev_count(t.inbound, in, "inbound");
  dev_count(t.outbound, out, "outbound");
  for (const auto& p : t.present) {
    const std::string l = p.render(env);
    const LabelState* st = labels_.find(l);
    if (!st || !handles.count(st->device_handle))
      fail(name, "table." + l, "present", "absent",
           table_requirements(step_oid_ ? &*step_oid_ : nullptr, TableChange::missing, l, step_outcome_));
  }
  for (const auto& a : t.absent) {
    const std::string l = a.render(env);
    const LabelState* st = labels_.find(l);
    if (st && st->device_handle && handles.count(st->device_handle))
      fail(name, "table." + l, "absent", "present",
           table_requirements(step_oid_ ? &*step_oid_ : nullptr, TableChange::extra, l, step_outcome_));
  }
}

void CaseExecution::query_step(const cases::QueryStep& s, cases::ExprEnv& env, const std::string& name,
                               results::StepEvidence& ev) {
  ev.op = "query";
  auto q = device_.query_capabilities();
  if (!q.ok()) device_error("query_capabilities", q.error());
  const auto& c = q->ipsec_offload_v2;
  ev.capabilities_raw = hex_bytes(std::vector<uint8_t>(q->ipsec_offload_v2_raw.begin(), q->ipsec_offload_v2_raw.end()));
  // The answer must not change during a run (CAP-001, CAP-010: reported at initialization).
  if (q->ipsec_offload_v2_raw != caps_.ipsec_offload_v2_raw)
    fail(name, "capabilities", hex_bytes({caps_.ipsec_offload_v2_raw.begin(), caps_.ipsec_offload_v2_raw.end()}),
         hex_bytes({q->ipsec_offload_v2_raw.begin(), q->ipsec_offload_v2_raw.end()}), {"CAP-001", "CAP-010"},
         "the capabilities changed since the start of the run");
  const auto actual = [&c](cases::CapabilityFlag f) {
    using F = cases::CapabilityFlag;
    switch (f) {
      case F::ipv6_supported: return c.ipv6_supported;
      case F::ipv4_options: return c.ipv4_options;
      case F::ipv6_non_ipsec_extension_headers: return c.ipv6_non_ipsec_extension_headers;
      case F::ah: return c.ah;
      case F::esp: return c.esp;
      case F::ah_esp_combined: return c.ah_esp_combined;
      case F::transport: return c.transport;
      case F::tunnel: return c.tunnel;
      case F::transport_tunnel_combined: return c.transport_tunnel_combined;
      case F::lso_supported: return c.lso_supported;
      case F::extended_sequence_numbers: return c.extended_sequence_numbers;
    }
    return false;
  };
  for (const auto& [flag, want] : s.expect.flags)
    if (actual(flag) != want)
      fail(name, "capabilities." + cases::to_string(flag), want ? "TRUE" : "FALSE", actual(flag) ? "TRUE" : "FALSE",
           capability_flag_requirements(flag));
  for (const auto e : s.expect.encapsulation_includes) {
    if (!(c.encapsulation & static_cast<uint32_t>(e)))
      fail(name, "capabilities.encapsulation", "includes " + cases::to_string(e), std::to_string(c.encapsulation),
           {"CAP-008"});
  }
  if (s.expect.masks_defined_only) {
    if (c.authentication_algorithms & ~ndis::IPSEC_OFFLOAD_V2_AUTHENTICATION_ALL)
      fail(name, "capabilities.authentication_algorithms", "only defined identifier bits (mask 0x3f)",
           std::to_string(c.authentication_algorithms), {"CAP-012"});
    if (c.encryption_algorithms & ~ndis::IPSEC_OFFLOAD_V2_ENCRYPTION_ALL)
      fail(name, "capabilities.encryption_algorithms", "only defined identifier bits (mask 0x1ff)",
           std::to_string(c.encryption_algorithms), {"CAP-012"});
    if (c.udp_esp & ~ndis::IPSEC_OFFLOAD_V2_UDP_ESP_ALL)
      fail(name, "capabilities.udp_esp", "only defined UDP-ESP bits (mask 0xf)", std::to_string(c.udp_esp), {"CAP-013"});
  }
  if (s.expect.min_capacity) {
    const int64_t min = eval(*s.expect.min_capacity, env, name + ".min_capacity");
    if (static_cast<int64_t>(c.sa_offload_capacity) < min)
      fail(name, "capabilities.sa_offload_capacity", ">= " + std::to_string(min), std::to_string(c.sa_offload_capacity),
           {"CAP-010"});
  }
}

void CaseExecution::request_delete_step(const cases::RequestDeleteStep& s, cases::ExprEnv& env,
                                        const std::string& name, results::StepEvidence& ev) {
  ev.op = "request_sa_delete";
  const std::string l = s.sa.render(env);
  const LabelState& st = label(l, name);
  if (st.material().sas.empty()) harness(name + ": bundle without SA");
  const uint32_t spi = st.material().sas[0].spi;
  ev.spi = spi;
  auto r = device_.request_sa_delete(spi);
  if (!r.ok()) device_error("request_sa_delete", r.error());
  ev.bundles_marked = oracle_.request_sa_delete(spi);
}

}  // namespace detail

CaseRunner::CaseRunner(dut::DutAdapter& device, Oracle& oracle, const dut::Capabilities& device_caps,
                       CaseRunnerConfig config)
    : device_(device), oracle_(oracle), caps_(device_caps), config_(config) {}

CaseResult CaseRunner::run(const cases::Case& c) {
  const auto start = std::chrono::steady_clock::now();
  CaseResult result;
  result.id = c.id;
  result.file = c.file;
  result.requirements = c.requirements;
  result.flags = c.flags;
  device_failed_ = false;
  captures_.clear();
  keys_ = results::KeyRedactor();
  try {
    detail::CaseExecution exec(device_, oracle_, caps_, config_, c, result);
    exec.capture_into(&captures_);
    exec.keys_into(&keys_);
    cases::ExprEnv env = profile_environment(oracle_.profile());
    exec.run_steps(c.steps, env, "", true);
    result.verdict = result.acceptances.empty() ? Verdict::pass : Verdict::acceptable;
  } catch (const detail::StepFailed&) {
    result.verdict = Verdict::fail;
  } catch (const detail::FeatureRefused& e) {
    // Findings of earlier steps still make it a FAIL.
    result.verdict = result.findings.empty() ? Verdict::not_applicable : Verdict::fail;
    result.missing_capability = e.feature + ", which the device refused";
  } catch (const detail::DeviceFailed& e) {
    result.verdict = Verdict::error;
    result.error = "device: " + e.message;
    device_failed_ = true;
  } catch (const detail::HarnessFailed& e) {
    result.verdict = Verdict::error;
    result.error = "harness: " + e.message;
  } catch (const std::exception& e) {
    result.verdict = Verdict::error;
    result.error = std::string("harness: ") + e.what();
  }
  // Only a case that met every check took an alternative in the sense of ACCEPTABLE.
  if (result.verdict != Verdict::acceptable) result.acceptances.clear();
  // Evidence holds raw dumps while the case runs (parsing them for every passing step would
  // dominate the run time); a case that does not pass gets them as JSON.
  if (result.verdict != Verdict::pass) {
    for (auto& ev : result.evidence) {
      for (nlohmann::json* table : {&ev.oracle_table, &ev.device_table})
        if (table->is_string()) {
          nlohmann::json parsed = nlohmann::json::parse(table->get<std::string>(), nullptr, false);
          if (!parsed.is_discarded()) *table = std::move(parsed);
        }
      decode_step_evidence(ev, caps_.gcm_key_includes_salt);
    }
  } else {
    result.evidence.clear();
    captures_.clear();
  }
  // A finding recorded before an ERROR still matters to the reader; the verdict stays ERROR.
  result.duration_ms =
      std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - start).count();
  return result;
}

}  // namespace cts::core
