// The requirement IDs each check of the runner judges, in one place. A finding names the IDs of
// the check that failed, never the case's whole list: a case that cites GCM-001 (IV uniqueness),
// ADD-022 (ICV length) and SEND-017 (ESN high half) and fails because the ICV used a stale high
// half names SEND-017 and ESN-004 only. The requirement matrix marks a requirement violated only
// through such findings, so an ID here that the check does not judge would blame the device for
// a requirement it kept (check_requirements_test.cpp pins every list against the catalogue).
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "runner/cases/case_model.h"

namespace cts::core {

using RequirementIds = std::vector<std::string>;

// Requirement IDs cited in free text, as the oracle writes them into its refusals
// ("... (ADD-024)"): catalogue-shaped IDs (LETTERS-NNN), in order of appearance, no duplicates.
RequirementIds cited_requirements(const std::string& text);

// ---- OID requests ------------------------------------------------------------------------------

// The device's status differs from what the case (or the oracle) expects. `want_success`: the
// expected outcome class; `device_success`: the device's; `oracle_reason`: the oracle's message
// and element reasons, whose cited IDs name the rule that made the request fail;
// `wanted_invalid_data`: the expected exact code was NDIS_STATUS_INVALID_DATA (GEN-005).
RequirementIds oid_status_requirements(cases::OidKind oid, bool want_success, bool device_success,
                                       const std::string& oracle_reason, bool wanted_invalid_data);

// An add the oracle offloads, refused by the device for lack of room (NDIS_STATUS_RESOURCES):
// with fewer bundles live than the device once held, its deletes did not free their room
// (DEL-003); otherwise it holds less than the SaOffloadCapacity it reported (CAP-010).
RequirementIds add_refused_for_room_requirements(bool held_more_before);

enum class HandleCheck {
  non_null_on_failure,   // the request failed but an element got a handle
  all_null_on_success,   // the request succeeded but no element got a handle
  reused_live,           // a new handle equals a live one or another of the same request
  null_expected,         // an element that cannot be offloaded got a handle
  non_null_expected,     // an element that must be offloaded got NULL
  identity,              // same_as / not_same_as
};
RequirementIds handle_requirements(cases::OidKind oid, HandleCheck check);

// ---- The device's SA table (dump) ------------------------------------------------------------------

enum class TableChange {
  extra,     // the device holds a bundle (or more bundles) the oracle does not
  missing,   // the device lacks a bundle (or holds fewer) than the oracle
  field,     // a stored field differs (see `field`)
};
// How the OID request of a step ended on each side; the table after an ADD is judged by it: a
// bundle left by a request the device failed breaks ADD-005, one the device offloaded in a
// request it completed although the element had to be refused breaks ADD-006 (the rule that
// refused it is named by the handle and status checks of the step), and one missing after the
// device failed a request that had to succeed breaks ADD-004.
struct StepRequestOutcome {
  bool device_failed = false;
  bool oracle_failed = false;
  // A DELETE_SA or UPDATE_SA the device carried out although it had to be refused: what the
  // table shows of it is that same fault, the rule the oracle's refusal cites (GEN-004 if none).
  RequirementIds refused_for;
};
// `step_oid`: the OID of the step after which the table was compared (nullptr: a data-path,
// query or table step); `field`: the diff field ("table.in.sas[0].sequence_number_high_order").
RequirementIds table_requirements(const cases::OidKind* step_oid, TableChange change,
                                  const std::string& field, const StepRequestOutcome& outcome = {});

// ---- Capabilities ----------------------------------------------------------------------------------

RequirementIds capability_flag_requirements(cases::CapabilityFlag flag);

// ---- Sends -------------------------------------------------------------------------------------------

// What the handle of a send named when the case expected it not to be protected.
enum class SendHandleState { live, zero, deleted, never_issued };
// Completion status or wire verdict other than expected for a send whose handle is in `state`.
// (A wrong result on a live handle is judged by the wire verdict's own IDs, WireVerdict.)
RequirementIds send_refusal_requirements(SendHandleState state);
RequirementIds send_completion_requirements(SendHandleState state);

// ---- Receives ----------------------------------------------------------------------------------------

// The inbound SA a receive step's peer protected with, as the device's answers left it.
enum class ReceiveSaState {
  live,             // added and not deleted
  deleted,          // deleted by an earlier DELETE_SA
  request_failed,   // its ADD request failed (nothing of it may stay offloaded: ADD-005, ADDEX-004)
  element_refused,  // its element got a NULL handle in a request that succeeded (ADD-006)
};
// Why the packet should (not) have been processed: `corrupt` is the case's damage.
// `frame_changed`: the device decrypted the packet or ran its ICV check (it indicated another
// frame than it received, or reported an AH/ESP authentication failure; see
// device_processed_packet). OOB words on a packet of an SA that is not offloaded, without that,
// show a lookup that found nothing and flagged the packet anyway (RECV-004, RECV-010 / RECV-011),
// not an SA that outlived its DELETE_SA or its failed ADD (DEL-009, ADD-005, ADD-006).
bool device_processed_packet(bool frame_changed, uint16_t crypto_status);
RequirementIds crypto_done_requirements(bool wanted, cases::Corruption corrupt, ReceiveSaState sa,
                                        bool frame_changed = true);
RequirementIds crypto_status_requirements(cases::Corruption corrupt, ReceiveSaState sa, bool frame_changed = true);

}  // namespace cts::core
