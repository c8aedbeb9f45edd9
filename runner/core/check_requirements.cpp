#include "runner/core/check_requirements.h"

#include <algorithm>
#include <cctype>

namespace cts::core {

namespace {

void add(RequirementIds& ids, const std::string& id) {
  if (std::find(ids.begin(), ids.end(), id) == ids.end()) ids.push_back(id);
}


}  // namespace

RequirementIds cited_requirements(const std::string& text) {
  RequirementIds ids;
  for (size_t i = 0; i < text.size(); ++i) {
    if (!std::isupper(static_cast<unsigned char>(text[i]))) continue;
    if (i > 0 && std::isalnum(static_cast<unsigned char>(text[i - 1]))) continue;
    size_t j = i;
    while (j < text.size() && std::isupper(static_cast<unsigned char>(text[j]))) ++j;
    if (j + 4 > text.size() || text[j] != '-') continue;
    if (!std::isdigit(static_cast<unsigned char>(text[j + 1])) || !std::isdigit(static_cast<unsigned char>(text[j + 2])) ||
        !std::isdigit(static_cast<unsigned char>(text[j + 3])))
      continue;
    if (j + 4 < text.size() && std::isalnum(static_cast<unsigned char>(text[j + 4]))) continue;
    add(ids, text.substr(i, j + 4 - i));
    i = j + 3;
  }
  return ids;
}

RequirementIds oid_status_requirements(cases::OidKind oid, bool want_success, bool device_success,
                                       const std::string& oracle_reason, bool wanted_invalid_data) {
  RequirementIds ids;
  switch (oid) {
    case cases::OidKind::add_sa:
    case cases::OidKind::add_sa_ex: {
      const bool ex = oid == cases::OidKind::add_sa_ex;
      if (want_success && !device_success) return {ex ? "ADDEX-003" : "ADD-004"};
      // Accepted, or refused with another code, what the specification has refused: the rule
      // the oracle's refusal cites (the capacity it advertised, the algorithms it advertised, the
      // field's own rule); only a refusal that cites none falls back on the miniport's general
      // duty to validate the content (GEN-004).
      // Refused, as the oracle did, with another code than INVALID_DATA: that code is the fault
      // (GEN-005), not the rule both sides refused for.
      if (!device_success && wanted_invalid_data) return {"GEN-005"};
      ids = cited_requirements(oracle_reason);
      if (ids.empty()) add(ids, "GEN-004");
      return ids;
    }
    case cases::OidKind::delete_sa:
      // DELETE_SA completes only with SUCCESS (or the reset / abort codes).
      // A refused DELETE_SA breaks DEL-004 (it never fails for content); what it left offloaded
      // is judged by the traffic and table checks that follow (DEL-003, DEL-009).
      if (want_success && !device_success) return {"DEL-004"};
      if (device_success) {
        // Carried out what had to be refused (a malformed request): the rule the refusal cites.
        ids = cited_requirements(oracle_reason);
        if (ids.empty()) add(ids, "GEN-004");
        return ids;
      }
      return {"DEL-004"};
    case cases::OidKind::update_sa:
      if (want_success && !device_success) return {"UPD-002", "UPD-003"};
      // Both refused and the code differs: the code is the fault (UPD-005, INVALID_PARAMETER),
      // not the rule both sides refused for.
      if (!device_success) return {"UPD-005"};
      // Carried out what had to be refused: the rule the refusal cites; if it cites none, the
      // refusal the NIC owed (UPD-004).
      ids = cited_requirements(oracle_reason);
      if (ids.empty()) add(ids, "UPD-004");
      return ids;
  }
  return {"GEN-004"};
}

RequirementIds add_refused_for_room_requirements(bool held_more_before) {
  return {held_more_before ? "DEL-003" : "CAP-010"};
}

RequirementIds handle_requirements(cases::OidKind oid, HandleCheck check) {
  const bool ex = oid == cases::OidKind::add_sa_ex;
  switch (check) {
    case HandleCheck::non_null_on_failure:
      return ex ? RequirementIds{"ADDEX-004"} : RequirementIds{"ADD-005", "ADD-006"};
    case HandleCheck::all_null_on_success:
      // Success with no handle: the handle was not written (ADD-003); whether the request should
      // have failed instead (ADD-004) the traffic checks show, not the handles.
      return ex ? RequirementIds{"ADDEX-003"} : RequirementIds{"ADD-003"};
    case HandleCheck::reused_live:
    case HandleCheck::identity:
    case HandleCheck::non_null_expected:
      return ex ? RequirementIds{"ADDEX-003"} : RequirementIds{"ADD-003"};
    case HandleCheck::null_expected:
      return ex ? RequirementIds{"ADDEX-004"} : RequirementIds{"ADD-006"};
  }
  return {"ADD-003"};
}

RequirementIds table_requirements(const cases::OidKind* step_oid, TableChange change, const std::string& field,
                                  const StepRequestOutcome& outcome) {
  const bool ex = step_oid && *step_oid == cases::OidKind::add_sa_ex;
  if (step_oid && (*step_oid == cases::OidKind::delete_sa || *step_oid == cases::OidKind::update_sa) &&
      !outcome.device_failed && outcome.oracle_failed && !outcome.refused_for.empty())
    return outcome.refused_for;
  if (change == TableChange::field) {
    auto ends_with = [&](const char* suffix) {
      const std::string s(suffix);
      return field.size() >= s.size() && field.compare(field.size() - s.size(), s.size(), s) == 0;
    };
    if (ends_with("sequence_number_high_order")) {
      if (step_oid && *step_oid == cases::OidKind::update_sa) return {"UPD-003"};
      return {ex ? "ADDEX-010" : "ADD-023"};
    }
    if (ends_with(".esn")) return {ex ? "ADDEX-010" : "ADD-023"};
    if (ends_with(".operation")) return {ex ? "ADDEX-010" : "ADD-024"};
    if (ends_with(".direction")) return {ex ? "ADDEX-010" : "ADD-012"};
    if (ends_with(".spi")) return {ex ? "ADDEX-010" : "ADD-011"};
    if (step_oid && *step_oid == cases::OidKind::update_sa) return {"UPD-002"};
    if (step_oid && *step_oid == cases::OidKind::delete_sa) return {"DEL-003"};
    return {ex ? "ADDEX-003" : "ADD-003"};
  }
  if (!step_oid) {
    // A data-path, query or table step changed the table: the device removed an SA on its own
    // (DEL-006) or brought one back.
    return change == TableChange::missing ? RequirementIds{"DEL-006"} : RequirementIds{"DEL-003"};
  }
  switch (*step_oid) {
    case cases::OidKind::add_sa:
      if (change == TableChange::extra) return {outcome.device_failed ? "ADD-005" : "ADD-006"};
      return {outcome.device_failed && !outcome.oracle_failed ? "ADD-004" : "ADD-003"};
    case cases::OidKind::add_sa_ex:
      return change == TableChange::extra ? RequirementIds{"ADDEX-004"} : RequirementIds{"ADDEX-003"};
    case cases::OidKind::delete_sa:
      return change == TableChange::extra ? RequirementIds{"DEL-003"} : RequirementIds{"DEL-006"};
    case cases::OidKind::update_sa:
      return {"UPD-002"};
  }
  return {"DEL-006"};
}

RequirementIds capability_flag_requirements(cases::CapabilityFlag flag) {
  using F = cases::CapabilityFlag;
  if (flag == F::tunnel) return {"CAP-009"};
  if (flag == F::extended_sequence_numbers) return {"CAP-019"};
  if (flag == F::lso_supported) return {"CAP-014"};
  return {"CAP-001"};
}

RequirementIds send_refusal_requirements(SendHandleState state) {
  switch (state) {
    case SendHandleState::zero: return {"SEND-005"};
    case SendHandleState::deleted: return {"SEND-006", "DEL-009"};
    case SendHandleState::never_issued: return {"SEND-006"};
    case SendHandleState::live: return {"SEND-008"};
  }
  return {"SEND-006"};
}

RequirementIds send_completion_requirements(SendHandleState state) {
  if (state == SendHandleState::live) return {"SEND-008"};
  return send_refusal_requirements(state);
}

namespace {

// A processed packet on an SA that is not offloaded: there was no matching SA (RECV-004), and the
// rule that says why there was none.
RequirementIds not_offloaded(ReceiveSaState sa) {
  switch (sa) {
    case ReceiveSaState::deleted: return {"RECV-004", "DEL-009"};
    case ReceiveSaState::request_failed: return {"RECV-004", "ADD-005"};
    case ReceiveSaState::element_refused: return {"RECV-004", "ADD-006"};
    case ReceiveSaState::live: break;
  }
  return {};
}

}  // namespace

bool device_processed_packet(bool frame_changed, uint16_t crypto_status) {
  // CRYPTO_TRANSPORT_AH_AUTH_FAILED (2) .. CRYPTO_TUNNEL_ESP_AUTH_FAILED (5): an ICV was checked.
  return frame_changed || (crypto_status >= 2 && crypto_status <= 5);
}

RequirementIds crypto_done_requirements(bool wanted, cases::Corruption corrupt, ReceiveSaState sa, bool frame_changed) {
  if (wanted) return {"RECV-006", "RECV-001"};
  if (sa != ReceiveSaState::live) return frame_changed ? not_offloaded(sa) : RequirementIds{"RECV-004", "RECV-010"};
  // A packet for no SA (its SPI or destination matches none): decrypted, it was matched where
  // nothing matches (RECV-003); flagged but left as it came, it got OOB data a lookup miss must
  // not carry (RECV-010).
  if (corrupt == cases::Corruption::spi || corrupt == cases::Corruption::dst)
    return frame_changed ? RequirementIds{"RECV-003", "RECV-004"} : RequirementIds{"RECV-004", "RECV-010"};
  return {"RECV-010"};
}

RequirementIds crypto_status_requirements(cases::Corruption corrupt, ReceiveSaState sa, bool frame_changed) {
  if (sa != ReceiveSaState::live) {
    RequirementIds ids = frame_changed ? not_offloaded(sa) : RequirementIds{"RECV-004"};
    ids.push_back("RECV-011");
    return ids;
  }
  using C = cases::Corruption;
  if (corrupt == C::spi || corrupt == C::dst || corrupt == C::clear || corrupt == C::udp_ike ||
      corrupt == C::udp_keepalive)
    return {"RECV-011"};
  if (corrupt == C::fragment) return {"RECV-017", "RECV-011"};  // must not be processed at all
  // Damaged padding under a valid ICV: either answer OQ-CTS-2 allows (success, or syntax for a
  // receiver that inspects the padding, PAD-004) was not given, so the code itself is wrong;
  // PAD-004 is a SHOULD the accepted success answer already leaves open.
  if (corrupt == C::pad_bytes) return {"RECV-009"};
  return {"RECV-009"};
}

}  // namespace cts::core
