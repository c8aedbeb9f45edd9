// OID steps: encode the request from its logical fields, apply raw edits, hand the same bytes to
// the device and the oracle (handles translated per side), then judge status and handles.
#include <algorithm>

#include "oracle/ndis/codec.h"
#include "runner/cases/ndis_fields.h"
#include "runner/core/case_execution.h"
#include "runner/core/check_requirements.h"

namespace cts::core::detail {

namespace {

// Runs `f` when the scope ends, normally or by an exception (which `f` must not add to).
template <typename F>
struct AtScopeExit {
  F& f;
  ~AtScopeExit() {
    try {
      f();
    } catch (...) {
    }
  }
};

bool is_add(cases::OidKind k) { return k == cases::OidKind::add_sa || k == cases::OidKind::add_sa_ex; }

uint64_t read_le(const std::vector<uint8_t>& b, size_t at, size_t width) {
  if (at + width > b.size()) return 0;
  uint64_t v = 0;
  for (size_t i = 0; i < width; ++i) v |= static_cast<uint64_t>(b[at + i]) << (8 * i);
  return v;
}

void write_le(std::vector<uint8_t>& b, size_t at, size_t width, uint64_t v) {
  for (size_t i = 0; i < width; ++i) b[at + i] = static_cast<uint8_t>(v >> (8 * i));
}

bool status_matches(const cases::StatusExpect& e, uint32_t status) { return status_alternative(e, status).has_value(); }

std::string expect_text(const cases::StatusExpect& e) {
  std::string s;
  for (const auto& a : e.any_of) {
    if (!s.empty()) s += " or ";
    if (a.kind == cases::StatusAlternative::Kind::success) s += "any success";
    else if (a.kind == cases::StatusAlternative::Kind::failure) s += "any failure (NT_ERROR)";
    else s += status_text(a.value);
  }
  return s;
}

std::string handle_text(uint64_t h) {
  if (h == 0) return "NULL";
  char buf[32];
  std::snprintf(buf, sizeof buf, "0x%llx", static_cast<unsigned long long>(h));
  return buf;
}

}  // namespace

// Up to this many keys per case are remembered as they are drawn (a capacity fill of a million
// bundles would otherwise spend 100 MB on them); past it, the keys of every step whose evidence
// is kept still are, which covers every buffer a result can show.
constexpr size_t kMaxRememberedKeys = 65536;

void CaseExecution::remember_keys(const MaterialBundle& m, bool always) {
  if (keys_ == nullptr || (!always && keys_->size() >= kMaxRememberedKeys)) return;
  for (const MaterialSa& sa : m.sas) {
    keys_->add(sa.encryption_key);
    keys_->add(sa.authentication_key);
  }
}

void CaseExecution::oid_step(const cases::OidStep& s, cases::ExprEnv& env, const std::string& name,
                             results::StepEvidence& ev) {
  const ndis::Abi abi = s.x86 ? ndis::Abi::x86 : ndis::Abi::x64;
  const uint32_t oid = cases::oid_number(s.oid);
  const auto& sizes = ndis::layout_sizes(abi);
  ev.op = std::string("oid ") + cases::oid_kind_name(s.oid);
  ev.abi = s.x86 ? "x86" : "x64";

  // 1. Logical request -> bytes, once per side (DELETE/UPDATE name each side's own handles).
  std::vector<MaterialBundle> materials;
  for (const auto& def : s.sas) {
    try {
      materials.push_back(make_material(def, env, rng_, caps_.gcm_key_includes_salt));
      remember_keys(materials.back(), false);
    } catch (const std::exception& e) {
      harness(e.what());
    }
  }
  auto encode = [&](bool device_side) {
    std::vector<uint8_t> buf;
    switch (s.oid) {
      case cases::OidKind::add_sa: {
        ndis::AddSaRequest req;
        for (const auto& m : materials) {
          if (m.keys.key_offset) harness(name + ": key_block.key_offset is ADD_SA_EX's KeyOffset; ADD_SA keeps its keys in KeyData");
          ndis::AddSaElement e = to_add_element(m);
          if (s.header_size == cases::HeaderSize::sizeof_struct) e.header.size = static_cast<uint16_t>(sizes.add_sa_struct);
          req.elements.push_back(std::move(e));
        }
        buf = ndis::encode_add_sa(req, abi, ndis::NextLinks{0});
        break;
      }
      case cases::OidKind::add_sa_ex: {
        ndis::AddSaExRequest req;
        req.element = to_add_element(materials.at(0));
        if (s.header_size == cases::HeaderSize::sizeof_struct)
          req.element.header.size = static_cast<uint16_t>(sizes.add_sa_ex_struct);
        buf = ndis::encode_add_sa_ex(req, abi);
        break;
      }
      case cases::OidKind::delete_sa: {
        ndis::DeleteSaRequest req;
        for (const auto& h : s.handles) {
          ndis::DeleteSaElement e;
          e.offload_handle = resolve_handle(h, env, device_side, name);
          if (s.header_size == cases::HeaderSize::sizeof_struct) e.header.size = static_cast<uint16_t>(sizes.delete_sa_struct);
          req.elements.push_back(e);
        }
        buf = ndis::encode_delete_sa(req, abi, ndis::NextLinks{0});
        break;
      }
      case cases::OidKind::update_sa: {
        ndis::UpdateSaRequest req;
        req.offload_handle = resolve_handle(s.handle, env, device_side, name);
        req.operation = s.operation;
        if (s.spi) {
          req.spi = static_cast<uint32_t>(eval(*s.spi, env, name + ".spi"));
        } else if (s.handle.kind == cases::HandleRef::Kind::label) {
          // Default Spi: the SA of the named bundle that Operation selects (OQ-11).
          const LabelState& l = label(s.handle.label.render(env), name);
          for (const auto& sa : l.material().sas)
            if (sa.operation == s.operation) req.spi = sa.spi;
        }
        req.sequence_number_high_order = static_cast<uint32_t>(eval(s.seq_high, env, name + ".seq_high"));
        if (s.header_size == cases::HeaderSize::sizeof_struct) req.header.size = static_cast<uint16_t>(sizes.update_sa_struct);
        buf = ndis::encode_update_sa(req, abi);
        break;
      }
    }
    return buf;
  };
  std::vector<uint8_t> device_buf = encode(true);
  std::vector<uint8_t> oracle_buf = encode(false);
  // Element offsets of the request as laid out, before any edit can disturb the chain.
  std::vector<size_t> elements = {0};
  if (s.oid == cases::OidKind::add_sa || s.oid == cases::OidKind::delete_sa)
    elements = ndis::list_element_offsets(oracle_buf, oid, abi, ndis::NextLinks{0});

  // A key shorter than the redactor searches for alone (malformed-length cases) goes to it with
  // the request bytes around its key block (up to 8 on each side), found where the encoder put
  // the block, so it is zeroed there, in either side's request, and by chance nowhere else.
  std::vector<std::pair<std::vector<uint8_t>, std::pair<size_t, size_t>>> short_keys;
  if (s.oid == cases::OidKind::add_sa || s.oid == cases::OidKind::add_sa_ex) {
    const auto key_data = cases::find_field(s.oid, s.x86, s.oid == cases::OidKind::add_sa ? "KeyData[0]" : "KeyOffset");
    for (size_t i = 0; key_data && i < materials.size() && i < elements.size(); ++i) {
      bool has_short = false;
      for (const MaterialSa& sa : materials[i].sas)
        for (const auto* k : {&sa.encryption_key, &sa.authentication_key})
          has_short = has_short || (!k->empty() && k->size() < results::kMinRedactedKeyBytes);
      if (!has_short) continue;
      const std::vector<uint8_t> block = to_add_element(materials[i]).key_data;
      const size_t start = s.oid == cases::OidKind::add_sa
                               ? elements[i] + key_data->offset
                               : static_cast<size_t>(read_le(oracle_buf, elements[i] + key_data->offset, key_data->width));
      if (block.empty() || start > oracle_buf.size() || block.size() > oracle_buf.size() - start ||
          !std::equal(block.begin(), block.end(), oracle_buf.begin() + static_cast<std::ptrdiff_t>(start)))
        continue;  // the encoder left the key bytes out (a KeyOffset that exists only to be refused)
      const size_t before = std::min<size_t>(8, start);
      const size_t after = std::min<size_t>(8, oracle_buf.size() - start - block.size());
      short_keys.push_back({std::vector<uint8_t>(oracle_buf.begin() + static_cast<std::ptrdiff_t>(start - before),
                                                 oracle_buf.begin() + static_cast<std::ptrdiff_t>(start + block.size() + after)),
                            {before, block.size()}});
    }
  }

  // 2. Raw edits, identically on both buffers.
  for (const auto& edit : s.edits) {
    for (auto* buf : {&device_buf, &oracle_buf}) {
      cases::ExprEnv e2 = env;
      e2.set("length", static_cast<int64_t>(buf->size()));
      if (edit.element >= elements.size()) harness(edit.path + ": no element " + std::to_string(edit.element));
      const size_t base = elements[edit.element];
      switch (edit.kind) {
        case cases::RawEdit::Kind::field: {
          const auto loc = cases::find_field(s.oid, s.x86, edit.field);
          if (!loc || base + loc->offset + loc->width > buf->size()) harness(edit.path + ": field outside the buffer");
          write_le(*buf, base + loc->offset, loc->width, static_cast<uint64_t>(eval(edit.value, e2, edit.path)));
          break;
        }
        case cases::RawEdit::Kind::bytes: {
          const int64_t at = eval(edit.offset, e2, edit.path);
          if (at < 0 || static_cast<size_t>(at) + edit.bytes.size() > buf->size())
            harness(edit.path + ": bytes outside the buffer");
          std::copy(edit.bytes.begin(), edit.bytes.end(), buf->begin() + at);
          break;
        }
        case cases::RawEdit::Kind::truncate: {
          const int64_t len = eval(edit.length, e2, edit.path);
          if (len < 0 || static_cast<size_t>(len) > buf->size()) harness(edit.path + ": truncate beyond the buffer");
          buf->resize(static_cast<size_t>(len));
          break;
        }
        case cases::RawEdit::Kind::next: {
          const auto loc = cases::find_field(s.oid, s.x86, "Next");
          if (!loc || base + loc->offset + loc->width > buf->size()) harness(edit.path + ": Next outside the buffer");
          uint64_t target = 0;
          if (edit.next == cases::RawEdit::NextTarget::loop) {
            if (edit.element == 0) harness(edit.path + ": element 0 cannot be linked to (offset 0 is NULL); loop a later element");
            target = base;
          } else if (edit.next == cases::RawEdit::NextTarget::outside) {
            target = buf->size() + 64;
          } else {
            if (edit.next_element >= elements.size() || edit.next_element == 0)
              harness(edit.path + ": cannot link to element " + std::to_string(edit.next_element));
            target = elements[edit.next_element];
          }
          write_le(*buf, base + loc->offset, loc->width, target);
          break;
        }
      }
    }
  }
  // 3. Both sides answer. Their answers go into the step's evidence only when it is kept (a top-
  // level step, or one that failed or threw): a passing ADD inside a capacity fill of a million
  // would otherwise spend most of its time formatting text that is thrown away.
  const size_t hoff = ndis::offload_handle_offset(oid, abi);
  const size_t hwidth = ndis::pointer_size(abi);
  sa::OidResult o;
  std::vector<uint64_t> oracle_handles;
  bool oracle_answered = false;
  std::optional<dut::OidReply> device_answer;
  std::vector<uint64_t> device_handles;
  const int exceptions_at_entry = std::uncaught_exceptions();
  auto write_evidence = [&] {
    if (!step_evidence_kept_ && result_.findings.size() <= findings_at_step_start_ &&
        std::uncaught_exceptions() <= exceptions_at_entry)
      return;
    for (const auto& m : materials) remember_keys(m, true);
    if (keys_ != nullptr)
      for (const auto& [context, key] : short_keys) keys_->add_in_context(context, key.first, key.second);
    ev.request = hex_bytes(oracle_buf);
    if (device_buf != oracle_buf) ev.device_request = hex_bytes(device_buf);
    if (oracle_answered) {
      results::OidAnswer oj;
      oj.status = status_text(o.status);
      oj.bytes_needed = o.bytes_needed;
      oj.message = o.message;
      for (const auto& el : o.elements)
        if (!el.reason.empty()) oj.elements.push_back({el.index, el.field, el.reason});
      if (is_add(s.oid))
        for (auto h : oracle_handles) oj.handles.push_back(handle_text(h));
      ev.oracle = std::move(oj);
    }
    if (device_answer) {
      results::OidAnswer dj;
      dj.status = status_text(device_answer->status);
      dj.bytes_read = device_answer->bytes_read;
      dj.bytes_needed = device_answer->bytes_needed;
      for (auto h : device_handles) dj.handles.push_back(handle_text(h));
      ev.device = std::move(dj);
    }
  };
  const AtScopeExit<decltype(write_evidence)> evidence{write_evidence};

  std::vector<uint8_t> oracle_out = oracle_buf;
  o = oracle_.set_oid(oid, oracle_out, abi, ndis::NextLinks{0});
  oracle_answered = true;
  if (is_add(s.oid))
    for (size_t off : elements) oracle_handles.push_back(read_le(oracle_out, off + hoff, hwidth));

  // The case's expectations hold for the oracle too; if not, the case or the oracle is wrong.
  if (s.expect.status && !status_matches(*s.expect.status, o.status))
    harness(name + ": the case expects status " + expect_text(*s.expect.status) + " but the oracle answers " +
            status_text(o.status) + (o.message.empty() ? "" : " (" + o.message + ")"));

  uint32_t device_status = o.status;
  device_handles = oracle_handles;
  if (!s.x86) {  // the device ABI is x64; x86 steps are encode-only checks against the oracle
    auto r = device_.oid_set(oid, device_buf);
    if (!r.ok()) device_error(std::string("oid_set ") + cases::oid_kind_name(s.oid), r.error());
    device_status = r->status;
    device_handles.clear();
    if (is_add(s.oid))
      for (size_t off : elements) device_handles.push_back(read_le(r->buffer, off + hoff, hwidth));
    device_answer = std::move(*r);
  }

  // 4. Judge the device.
  step_outcome_.device_failed = ndis::ndis_failed(device_status);
  step_outcome_.oracle_failed = ndis::ndis_failed(o.status);
  if (!s.expect.optional_feature.empty() && !s.x86 && ndis::ndis_failed(device_status) &&
      !ndis::ndis_failed(o.status) &&
      std::all_of(device_handles.begin(), device_handles.end(), [](uint64_t h) { return h == 0; })) {
    ev.refused = s.expect.optional_feature;  // run_step records the evidence
    throw FeatureRefused{s.expect.optional_feature};
  }
  // The oracle's outcome satisfies the case (checked above), so it says which class is wanted;
  // its refusal names the rule the request broke.
  std::string oracle_reason = o.message;
  for (const auto& el : o.elements) oracle_reason += " " + el.reason;
  const bool wants_invalid_data =
      s.expect.status && std::any_of(s.expect.status->any_of.begin(), s.expect.status->any_of.end(), [](const auto& a) {
        return a.kind == cases::StatusAlternative::Kind::exact && a.value == ndis::NDIS_STATUS_INVALID_DATA;
      });
  const auto status_ids = [&] {
    if (is_add(s.oid) && !ndis::ndis_failed(o.status) && device_status == ndis::NDIS_STATUS_RESOURCES)
      return add_refused_for_room_requirements(device_side_.live_count < device_side_.peak_live);
    // An UPDATE_SA the device carried out on a handle it had accepted a DELETE_SA for: the
    // bundle was never deleted (DEL-003).
    if (s.oid == cases::OidKind::update_sa && ndis::ndis_failed(o.status) && !ndis::ndis_failed(device_status) &&
        !elements.empty() &&
        device_handle_deleted(read_le(device_buf, elements[0] + ndis::offload_handle_offset(oid, abi), hwidth)))
      return RequirementIds{"DEL-003"};
    return oid_status_requirements(s.oid, !ndis::ndis_failed(o.status), !ndis::ndis_failed(device_status),
                                   oracle_reason, wants_invalid_data);
  };
  // A DELETE_SA or UPDATE_SA the device carried out although the oracle refused it (or, for
  // DELETE_SA, which never fails (DEL-004), ignored it as malformed): what the table shows of it
  // names the rule of that refusal, as the status check does.
  if (!step_outcome_.device_failed && !is_add(s.oid)) {
    if (step_outcome_.oracle_failed) {
      step_outcome_.refused_for = oid_status_requirements(s.oid, false, true, oracle_reason, false);
    } else if (s.oid == cases::OidKind::delete_sa) {
      // Ignored for a rule the message cites (not DEL-004, cited for why it still succeeds).
      for (auto& id : cited_requirements(oracle_reason))
        if (id != "DEL-004") step_outcome_.refused_for.push_back(id);
      step_outcome_.oracle_failed = !step_outcome_.refused_for.empty();
    }
  }
  if (s.expect.status) {
    const auto dev_alt = status_alternative(*s.expect.status, device_status);
    if (!dev_alt)
      fail(name, "status", expect_text(*s.expect.status), status_text(device_status), status_ids());
    else if (!s.x86 && dev_alt != status_alternative(*s.expect.status, o.status))
      accept(name, "status", s.expect.open_question, status_text(device_status), status_text(o.status));
  } else if (ndis::ndis_failed(device_status) != ndis::ndis_failed(o.status)) {
    fail(name, "status", status_text(o.status) + " (the oracle's; the case leaves the exact code open)",
         status_text(device_status), status_ids());
  }
  if (is_add(s.oid)) {
    const bool dev_failed = ndis::ndis_failed(device_status);
    size_t non_null = 0;
    for (size_t i = 0; i < device_handles.size(); ++i) {
      if (device_handles[i]) ++non_null;
      // A failed add leaves every element NULL and nothing offloaded (ADD-005/006, ADDEX-004).
      if (dev_failed && device_handles[i])
        fail(name, "handles[" + std::to_string(i) + "]", "NULL (the request failed)", handle_text(device_handles[i]),
             handle_requirements(s.oid, HandleCheck::non_null_on_failure));
    }
    if (!dev_failed && non_null == 0 && !device_handles.empty())
      fail(name, "handles", "at least one non-NULL handle (the request succeeded)", "all NULL",
           handle_requirements(s.oid, HandleCheck::all_null_on_success));
    // New handles are never equal to a live one nor to each other (ADD-003, OQ-22).
    // (A single-element ADD, a million of them in a capacity fill, allocates nothing here.)
    std::set<uint64_t> fresh;
    for (size_t i = 0; i < device_handles.size(); ++i) {
      const uint64_t h = device_handles[i];
      if (!h || dev_failed) continue;
      // (On an element the oracle refused, the handle itself is the fault: judged NULL-expected.)
      const bool refused = !ndis::ndis_failed(o.status) && i < oracle_handles.size() && !oracle_handles[i];
      if (device_side_.live(h) || (device_handles.size() > 1 && !fresh.insert(h).second))
        fail(name, "handles[" + std::to_string(i) + "]", "a handle distinct from every live handle",
             handle_text(h) + " (already in use)",
             handle_requirements(s.oid, refused ? HandleCheck::null_expected : HandleCheck::reused_live));
    }
    if (!dev_failed) {
      for (size_t i = 0; i < s.expect.handles.size() && i < device_handles.size(); ++i) {
        const auto& he = s.expect.handles[i];
        const uint64_t h = device_handles[i];
        const std::string field = "handles[" + std::to_string(i) + "]";
        switch (he.kind) {
          case cases::HandleExpect::Kind::null:
            if (h) fail(name, field, "NULL", handle_text(h), handle_requirements(s.oid, HandleCheck::null_expected));
            if (oracle_handles.size() > i && oracle_handles[i] && !ndis::ndis_failed(o.status))
              harness(name + ": the case expects " + field + " NULL but the oracle offloaded it");
            break;
          case cases::HandleExpect::Kind::non_null:
            if (!h) fail(name, field, "non-NULL", "NULL", handle_requirements(s.oid, HandleCheck::non_null_expected));
            if (oracle_handles.size() > i && !oracle_handles[i])
              harness(name + ": the case expects " + field + " non-NULL but the oracle returned NULL");
            break;
          case cases::HandleExpect::Kind::same_as:
          case cases::HandleExpect::Kind::not_same_as: {
            const std::string other = he.label.render(env);
            // The label of an element of this same request, or of an earlier step.
            uint64_t oh = 0;
            bool found = false;
            for (size_t k = 0; k < materials.size() && k < device_handles.size(); ++k)
              if (materials[k].label == other) {
                oh = device_handles[k];
                found = true;
              }
            if (!found) oh = label(other, name).device_handle;
            const bool same = h == oh;
            if (he.kind == cases::HandleExpect::Kind::same_as && !same)
              fail(name, field, "the handle of \"" + other + "\" (" + handle_text(oh) + ")", handle_text(h),
                   handle_requirements(s.oid, HandleCheck::identity));
            if (he.kind == cases::HandleExpect::Kind::not_same_as && same)
              fail(name, field, "a handle different from \"" + other + "\"", handle_text(h),
                   handle_requirements(s.oid, HandleCheck::identity));
            break;
          }
        }
      }
      // Where the case says nothing, the device offloads exactly the elements the oracle does,
      // as long as both chose the same outcome class (OQ-03 allows a whole-list failure).
      if (s.expect.handles.empty() && !ndis::ndis_failed(o.status))
        for (size_t i = 0; i < device_handles.size() && i < oracle_handles.size(); ++i)
          if (!device_handles[i] != !oracle_handles[i])
            fail(name, "handles[" + std::to_string(i) + "]", oracle_handles[i] ? "non-NULL (as the oracle)" : "NULL (as the oracle)",
                 handle_text(device_handles[i]),
                 handle_requirements(s.oid, oracle_handles[i] ? HandleCheck::non_null_expected : HandleCheck::null_expected));
    }
  }

  // 5. Bookkeeping: labels, live handles on each side.
  if (is_add(s.oid)) {
    for (size_t i = 0; i < materials.size() && i < device_handles.size(); ++i) {
      LabelState st;
      const std::string key = materials[i].label;
      if (auto packed = shapes_.pack(materials[i])) st.packed = *packed;
      else st.unpacked = std::make_unique<MaterialBundle>(std::move(materials[i]));  // not read again in this step
      st.device_handle = ndis::ndis_failed(device_status) ? 0 : device_handles[i];
      st.device_request_failed = ndis::ndis_failed(device_status);
      st.added_ex = s.oid == cases::OidKind::add_sa_ex;
      st.oracle_handle = ndis::ndis_failed(o.status) ? 0 : oracle_handles[i];
      if (st.device_handle) device_side_.add_live(st.device_handle);
      if (st.oracle_handle) oracle_side_.add_live(st.oracle_handle);
      const uint64_t device_handle = st.device_handle;
      bool fresh_label = false;
      LabelState& stored = labels_.emplace(key, fresh_label);
      // A label added again keeps its node: it leaves the chain of its earlier handle first.
      if (!fresh_label && stored.device_handle)
        if (LabelState** head = labels_of_device_handle_.find(stored.device_handle))
          for (LabelState** link = head; *link; link = &(*link)->next_with_device_handle)
            if (*link == &stored) {
              *link = stored.next_with_device_handle;
              break;
            }
      stored = std::move(st);
      if (device_handle) {
        LabelState*& head = labels_of_device_handle_[device_handle];
        stored.next_with_device_handle = head;
        head = &stored;
      }
    }
  } else if (s.oid == cases::OidKind::delete_sa) {
    if (!ndis::ndis_failed(device_status))
      for (size_t off : elements) {
        const uint64_t h = read_le(device_buf, off + ndis::offload_handle_offset(oid, abi), hwidth);
        if (!h || !device_side_.end_life(h)) continue;
        if (LabelState** head = labels_of_device_handle_.find(h)) {
          for (LabelState* st = *head; st;) {
            if (st->device_handle == h && !st->device_deleted) st->device_deleted = true;
            LabelState* next = st->next_with_device_handle;
            st->next_with_device_handle = nullptr;
            st = next;
          }
          *head = nullptr;
        }
      }
    if (!ndis::ndis_failed(o.status))
      for (size_t off : elements) oracle_side_.end_life(read_le(oracle_buf, off + ndis::offload_handle_offset(oid, abi), hwidth));
  }
  if (s.expect.table) check_table(*s.expect.table, env, name, ev);
}

}  // namespace cts::core::detail
