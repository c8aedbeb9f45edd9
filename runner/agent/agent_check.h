// `ipsec-cts agent-check DEVICE`: does an agent speak the process protocol
// (docs/process-protocol.md)? It sends every message type once with a valid request and with
// malformed ones, checks the shape of every answer (envelope, id, members, types, hex, lengths,
// unchanged Next links) with the same decoders the runner uses, times the round trip, and lists
// which operations the agent implements.
//
// What a device *does* (statuses, handles, decrypted bytes) is the suite's business, not this
// check's: an error answer to a valid request is reported, never counted against the agent, as
// long as the answer itself is well formed. A violation is a breach of the protocol: a malformed
// or missing answer, a wrong id, a timeout, a crash, an operation advertised but refused, a
// required one not offered.
#pragma once

#include <chrono>
#include <cstddef>
#include <string>
#include <vector>

#include "runner/dut/process_adapter.h"

namespace cts::agent {

struct AgentCheckOptions {
  std::chrono::milliseconds timeout{5000};  // per request
  size_t round_trips = 200;                 // query_capabilities calls timed
  std::string config_json;                  // sent as hello.config when not empty
};

enum class CheckOutcome {
  ok,               // spoken correctly
  not_implemented,  // an optional operation the agent does not offer (answered `unsupported`)
  device_error,     // a well-formed error answer to a valid request (device behaviour)
  warning,          // allowed but discouraged (upper-case hex, an unadvertised operation works)
  violation,        // the protocol is broken
};

struct CheckItem {
  std::string name;  // "oid_set.add_sa_list", "framing.not_json"
  CheckOutcome outcome = CheckOutcome::ok;
  std::string detail;
};

struct RoundTrip {
  size_t count = 0;
  double min_us = 0, median_us = 0, p99_us = 0, max_us = 0;
};

struct OperationSupport {
  std::string op;
  bool advertised = false;  // listed in hello.operations
  CheckOutcome outcome = CheckOutcome::ok;
  std::string detail;
};

struct AgentCheckReport {
  std::string endpoint;
  std::string device;  // hello.result.device
  std::vector<CheckItem> items;
  std::vector<OperationSupport> operations;
  RoundTrip round_trip;
  size_t violations() const;
  size_t warnings() const;
};

AgentCheckReport run_agent_check(const dut::ProcessEndpoint& endpoint,
                                 const AgentCheckOptions& options);

// The checklist as printed by the CLI.
std::string format_report(const AgentCheckReport& report);

}  // namespace cts::agent
