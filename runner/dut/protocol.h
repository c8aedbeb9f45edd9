// The process protocol, message by message (docs/process-protocol.md is the normative text).
// Both ends use these functions: the client (process_adapter.cpp) builds requests and parses
// results, the agent (agent_server.cpp) parses requests and builds results, so the two can never
// disagree on a field name or an encoding.
//
// Framing: one JSON object per line ('\n'), UTF-8, no line breaks inside. Binary data as
// lower-case hex strings, 64-bit words as "0x..." strings, 32-bit words as JSON numbers.
#pragma once

#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include <nlohmann/json.hpp>

#include "runner/dut/dut_adapter.h"

namespace cts::dut::protocol {

inline constexpr uint32_t kVersion = 1;

// Operation names ("op" member of a request).
inline constexpr std::string_view kHello = "hello";
inline constexpr std::string_view kQueryCapabilities = "query_capabilities";
inline constexpr std::string_view kOidSet = "oid_set";
inline constexpr std::string_view kSend = "send";
inline constexpr std::string_view kReceive = "receive";
inline constexpr std::string_view kDump = "dump";
inline constexpr std::string_view kRequestSaDelete = "request_sa_delete";
inline constexpr std::string_view kReset = "reset";
inline constexpr std::string_view kClose = "close";

// Reading members with errors that name the message and the member ("send.oob.lso_mss: ...").
// Every reader returns a protocol_error DutError on a missing member or a wrong type/range.
DutResult<uint32_t> get_u32(const nlohmann::json& object, std::string_view member,
                            std::string_view where);
DutResult<uint64_t> get_u64_hex(const nlohmann::json& object, std::string_view member,
                                std::string_view where);
DutResult<bool> get_bool(const nlohmann::json& object, std::string_view member,
                         std::string_view where);
DutResult<std::string> get_string(const nlohmann::json& object, std::string_view member,
                                  std::string_view where);
DutResult<std::vector<uint8_t>> get_hex(const nlohmann::json& object, std::string_view member,
                                        std::string_view where);

// Error objects: {"kind": "...", "message": "...", "raw": "..."} ("raw" optional).
nlohmann::json error_to_json(const DutError& error);
// The value is the error the peer reported (message prefixed with `where`); the error is a
// protocol_error naming what is malformed (not an object, kind unknown, message missing).
struct ReportedError {
  DutError error;
};
DutResult<ReportedError> error_from_json(const nlohmann::json& error, std::string_view where);
std::optional<DutErrorKind> error_kind_from_name(std::string_view name);

// hello
struct Hello {
  uint32_t protocol = kVersion;
  std::string client;
  std::optional<nlohmann::json> config;  // object passed to the device's open
};
struct HelloReply {
  uint32_t protocol = kVersion;
  std::string device;
  std::vector<std::string> operations;
};
nlohmann::json hello_to_json(const Hello& hello);
DutResult<Hello> hello_from_json(const nlohmann::json& request);
nlohmann::json hello_reply_to_json(const HelloReply& reply);
DutResult<HelloReply> hello_reply_from_json(const nlohmann::json& result);

// query_capabilities
nlohmann::json capabilities_to_json(const Capabilities& caps);
DutResult<Capabilities> capabilities_from_json(const nlohmann::json& result);

// oid_set
struct OidSetRequest {
  uint32_t oid = 0;
  std::vector<uint8_t> buffer;  // Next members as offsets
};
nlohmann::json oid_set_to_json(uint32_t oid, std::span<const uint8_t> buffer);
DutResult<OidSetRequest> oid_set_from_json(const nlohmann::json& request);
nlohmann::json oid_reply_to_json(const OidReply& reply);
DutResult<OidReply> oid_reply_from_json(const nlohmann::json& result);

// send
struct SendRequest {
  std::vector<uint8_t> frame;
  ndis::SendOob oob;
};
nlohmann::json send_to_json(std::span<const uint8_t> frame, const ndis::SendOob& oob);
DutResult<SendRequest> send_from_json(const nlohmann::json& request);
nlohmann::json send_reply_to_json(const SendReply& reply);
DutResult<SendReply> send_reply_from_json(const nlohmann::json& result);

// receive
nlohmann::json receive_to_json(std::span<const uint8_t> frame);
DutResult<std::vector<uint8_t>> receive_from_json(const nlohmann::json& request);
nlohmann::json receive_reply_to_json(const ReceiveReply& reply);
DutResult<ReceiveReply> receive_reply_from_json(const nlohmann::json& result);

// dump: the result is {"table": <the device's JSON object>}
nlohmann::json dump_reply_to_json(const std::string& table_json);
DutResult<std::string> dump_reply_from_json(const nlohmann::json& result);

// request_sa_delete
DutResult<uint32_t> request_sa_delete_from_json(const nlohmann::json& request);

}  // namespace cts::dut::protocol
