// The decoded fields of a step's evidence, added once a case is known not to pass (a passing
// case keeps no evidence, so a run of a million-bundle case pays nothing for them): each OID
// request decoded with the ndis.h field names (the `ipsec-cts decode` machinery, runner/decode),
// each packet's OOB words decoded (oracle/ndis/oob.h), a query's capabilities decoded.
#pragma once

#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "runner/results/step_evidence.h"

namespace cts::core {

// {"a": {"b": [1, 2]}} -> a.b[0] = 1, a.b[1] = 2, in document order; `prefix` names the root.
void flatten_fields(const nlohmann::json& value, const std::string& prefix, std::vector<results::DecodedField>& out);

// The decoded view of an OID buffer as `ipsec-cts decode --oid OID` prints it, flattened; key
// bytes are named by their length only (the request bytes beside them are the record).
std::vector<results::DecodedField> decoded_request_fields(const std::string& oid, const std::string& abi,
                                                          const std::string& hex, bool gcm_key_includes_salt);

// Fills the decoded members of `ev` from its raw ones.
void decode_step_evidence(results::StepEvidence& ev, bool gcm_key_includes_salt);

}  // namespace cts::core
