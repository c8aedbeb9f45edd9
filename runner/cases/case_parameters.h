// Parameterised cases: one case object written once, expanded by the loader into one case per
// combination of parameter values, each judged on its own (a device that fails to send with
// aes-128-gcm over IPv6 still gets a verdict for receiving it).
//
//   { "id": "datapath.send.protected",
//     "parameters": [ {"name": "alg", "values": [{"name": "aes-128-gcm", "encryption": "AES_GCM_128"}, ...]},
//                     {"name": "ip",  "values": [4, 6]} ],
//     "exclude": [ {"alg": "null", "ip": "6"} ],
//     "comment": "${alg.name} over IPv${ip}: ...",
//     "capabilities": ["enc:${alg.encryption}", "${ip.caps}"], ... }
//
// expands to "datapath.send.protected[alg=aes-128-gcm,ip=4]" and so on, parameters in the order
// written. A value is a scalar (its name is its text) or an object with a "name". In every string
// of the case (keys excepted), "${p}" / "${p.field}" is replaced: a string that is exactly one
// reference takes the value's JSON type (a number stays a number), a reference inside a longer
// string is replaced by its text, and an array element that is exactly one reference to an array
// is spliced into the enclosing array. "exclude" drops the combinations matching every entry of
// one of its objects (value names).
#pragma once

#include <string>
#include <vector>

#include <nlohmann/json.hpp>

namespace cts::cases {

struct ParameterError {
  std::string path;  // JSON path inside the case object ("$.parameters[1].values[0]")
  std::string message;
};

struct ExpandedCase {
  nlohmann::json object;   // the case object, parameters substituted, without parameters/exclude
  std::string parameters;  // "alg=aes-128-gcm,ip=4" (empty for a case without parameters)
};

// A case object without "parameters" comes back unchanged, alone. Throws nothing; on error the
// result is empty and `error` says where.
std::vector<ExpandedCase> expand_case_parameters(const nlohmann::json& case_object, ParameterError& error);

// A whole case file with every parameterised case replaced by its expansions, as the JSON Schema
// judges it (the schema describes cases as they run: a "${ip}" stands where an integer goes). A
// case that does not expand is left as written; the loader reports why.
nlohmann::json expand_document_cases(nlohmann::json document);

}  // namespace cts::cases
