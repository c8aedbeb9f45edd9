// Message encoders and strict decoders of the process protocol (docs/process-protocol.md §3).
#include "runner/dut/protocol.h"

#include <cstring>

#include "oracle/ndis/codec.h"
#include "runner/dut/hex.h"

namespace cts::dut::protocol {
namespace {

using nlohmann::json;

DutError bad(std::string_view where, std::string_view member, std::string_view what) {
  std::string message(where);
  message += ".";
  message += member;
  message += ": ";
  message += what;
  return DutError{DutErrorKind::protocol_error, std::move(message), {}};
}

const json* find(const json& object, std::string_view member) {
  if (!object.is_object()) return nullptr;
  const auto it = object.find(member);
  return it == object.end() ? nullptr : &*it;
}

}  // namespace

DutResult<uint32_t> get_u32(const json& object, std::string_view member, std::string_view where) {
  const json* v = find(object, member);
  if (v == nullptr) return bad(where, member, "missing");
  if (!v->is_number_unsigned() && !(v->is_number_integer() && v->get<int64_t>() >= 0)) {
    return bad(where, member, "must be an unsigned integer, got " + v->dump());
  }
  const uint64_t n = v->get<uint64_t>();
  if (n > UINT32_MAX) return bad(where, member, "exceeds 32 bits: " + v->dump());
  return static_cast<uint32_t>(n);
}

DutResult<uint64_t> get_u64_hex(const json& object, std::string_view member,
                                std::string_view where) {
  const json* v = find(object, member);
  if (v == nullptr) return bad(where, member, "missing");
  if (!v->is_string()) return bad(where, member, "must be a \"0x...\" string, got " + v->dump());
  const auto n = u64_from_hex(v->get_ref<const std::string&>());
  if (!n) return bad(where, member, "must be \"0x\" and 1 to 16 hex digits, got " + v->dump());
  return *n;
}

DutResult<bool> get_bool(const json& object, std::string_view member, std::string_view where) {
  const json* v = find(object, member);
  if (v == nullptr) return bad(where, member, "missing");
  if (!v->is_boolean()) return bad(where, member, "must be true or false, got " + v->dump());
  return v->get<bool>();
}

DutResult<std::string> get_string(const json& object, std::string_view member,
                                  std::string_view where) {
  const json* v = find(object, member);
  if (v == nullptr) return bad(where, member, "missing");
  if (!v->is_string()) return bad(where, member, "must be a string, got " + v->dump());
  return v->get<std::string>();
}

DutResult<std::vector<uint8_t>> get_hex(const json& object, std::string_view member,
                                        std::string_view where) {
  const json* v = find(object, member);
  if (v == nullptr) return bad(where, member, "missing");
  if (!v->is_string()) return bad(where, member, "must be a hex string");
  auto bytes = from_hex(v->get_ref<const std::string&>());
  if (!bytes) return bad(where, member, "not an even-length hex string");
  return std::move(*bytes);
}

// ---- errors

json error_to_json(const DutError& error) {
  json e = {{"kind", std::string(to_string(error.kind))}, {"message", error.message}};
  if (!error.raw.empty()) e["raw"] = error.raw;
  return e;
}

std::optional<DutErrorKind> error_kind_from_name(std::string_view name) {
  for (DutErrorKind k : {DutErrorKind::unsupported, DutErrorKind::invalid_argument,
                         DutErrorKind::device_error, DutErrorKind::crashed, DutErrorKind::timeout,
                         DutErrorKind::protocol_error, DutErrorKind::closed}) {
    if (to_string(k) == name) return k;
  }
  return std::nullopt;
}

DutResult<ReportedError> error_from_json(const json& error, std::string_view where) {
  if (!error.is_object()) return bad(where, "error", "must be an object, got " + error.dump());
  auto kind = get_string(error, "kind", std::string(where) + ".error");
  if (!kind) return kind.error();
  auto message = get_string(error, "message", std::string(where) + ".error");
  if (!message) return message.error();
  const auto k = error_kind_from_name(*kind);
  if (!k) return bad(where, "error.kind", "unknown kind \"" + *kind + "\"");
  DutError out{*k, std::string(where) + ": " + *message + " (reported by the agent)", {}};
  if (const json* raw = find(error, "raw"); raw != nullptr) {
    out.raw = raw->is_string() ? raw->get<std::string>() : raw->dump();
  }
  return ReportedError{std::move(out)};
}

// ---- hello

json hello_to_json(const Hello& hello) {
  json j = {{"protocol", hello.protocol}, {"client", hello.client}};
  if (hello.config) j["config"] = *hello.config;
  return j;
}

DutResult<Hello> hello_from_json(const json& request) {
  Hello h;
  auto protocol = get_u32(request, "protocol", "hello");
  if (!protocol) return protocol.error();
  h.protocol = *protocol;
  if (const json* client = find(request, "client"); client != nullptr && client->is_string()) {
    h.client = client->get<std::string>();
  }
  if (const json* config = find(request, "config"); config != nullptr) {
    if (!config->is_object()) return bad("hello", "config", "must be a JSON object");
    h.config = *config;
  }
  return h;
}

json hello_reply_to_json(const HelloReply& reply) {
  return {{"protocol", reply.protocol}, {"device", reply.device}, {"operations", reply.operations}};
}

DutResult<HelloReply> hello_reply_from_json(const json& result) {
  HelloReply r;
  auto protocol = get_u32(result, "protocol", "hello.result");
  if (!protocol) return protocol.error();
  r.protocol = *protocol;
  auto device = get_string(result, "device", "hello.result");
  if (!device) return device.error();
  r.device = std::move(*device);
  const json* ops = find(result, "operations");
  if (ops == nullptr || !ops->is_array()) {
    return bad("hello.result", "operations", "missing or not an array of strings");
  }
  for (const json& op : *ops) {
    if (!op.is_string()) return bad("hello.result", "operations", "holds a non-string");
    r.operations.push_back(op.get<std::string>());
  }
  return r;
}

// ---- query_capabilities

json capabilities_to_json(const Capabilities& caps) {
  return {{"ipsec_offload_v2", to_hex(caps.ipsec_offload_v2_raw)},
          {"inbound_bundle_capacity", caps.inbound_bundle_capacity},
          {"outbound_bundle_capacity", caps.outbound_bundle_capacity},
          {"inbound_dest_address_capacity", caps.inbound_dest_address_capacity},
          {"spi_min", caps.spi_min},
          {"spi_max", caps.spi_max},
          {"gcm_key_includes_salt", caps.gcm_key_includes_salt}};
}

DutResult<Capabilities> capabilities_from_json(const json& result) {
  constexpr std::string_view where = "query_capabilities.result";
  Capabilities caps;
  auto raw = get_hex(result, "ipsec_offload_v2", where);
  if (!raw) return raw.error();
  if (raw->size() != 32) {
    return bad(where, "ipsec_offload_v2",
               "must be 32 bytes (NDIS_IPSEC_OFFLOAD_V2), got " + std::to_string(raw->size()));
  }
  std::memcpy(caps.ipsec_offload_v2_raw.data(), raw->data(), 32);
  auto decoded = ndis::decode_capabilities(*raw);
  if (const auto* e = std::get_if<ndis::DecodeError>(&decoded)) {
    return bad(where, "ipsec_offload_v2", e->field + ": " + e->message);
  }
  caps.ipsec_offload_v2 = std::get<ndis::IpsecOffloadV2Capabilities>(decoded);
  const std::pair<const char*, uint32_t*> words[] = {
      {"inbound_bundle_capacity", &caps.inbound_bundle_capacity},
      {"outbound_bundle_capacity", &caps.outbound_bundle_capacity},
      {"inbound_dest_address_capacity", &caps.inbound_dest_address_capacity},
      {"spi_min", &caps.spi_min},
      {"spi_max", &caps.spi_max}};
  for (const auto& [member, out] : words) {
    auto v = get_u32(result, member, where);
    if (!v) return v.error();
    *out = *v;
  }
  auto salt = get_bool(result, "gcm_key_includes_salt", where);
  if (!salt) return salt.error();
  caps.gcm_key_includes_salt = *salt;
  return caps;
}

// ---- oid_set

json oid_set_to_json(uint32_t oid, std::span<const uint8_t> buffer) {
  return {{"oid", oid}, {"buffer", to_hex(buffer)}};
}

DutResult<OidSetRequest> oid_set_from_json(const json& request) {
  OidSetRequest r;
  auto oid = get_u32(request, "oid", "oid_set");
  if (!oid) return oid.error();
  r.oid = *oid;
  auto buffer = get_hex(request, "buffer", "oid_set");
  if (!buffer) return buffer.error();
  r.buffer = std::move(*buffer);
  return r;
}

json oid_reply_to_json(const OidReply& reply) {
  return {{"status", reply.status},
          {"bytes_read", reply.bytes_read},
          {"bytes_needed", reply.bytes_needed},
          {"buffer", to_hex(reply.buffer)}};
}

DutResult<OidReply> oid_reply_from_json(const json& result) {
  constexpr std::string_view where = "oid_set.result";
  OidReply r;
  auto status = get_u32(result, "status", where);
  if (!status) return status.error();
  auto read = get_u32(result, "bytes_read", where);
  if (!read) return read.error();
  auto needed = get_u32(result, "bytes_needed", where);
  if (!needed) return needed.error();
  auto buffer = get_hex(result, "buffer", where);
  if (!buffer) return buffer.error();
  r.status = *status;
  r.bytes_read = *read;
  r.bytes_needed = *needed;
  r.buffer = std::move(*buffer);
  return r;
}

// ---- send

json send_to_json(std::span<const uint8_t> frame, const ndis::SendOob& oob) {
  return {{"frame", to_hex(frame)},
          {"oob",
           {{"offload_handle", u64_to_hex(oob.offload_handle)},
            {"tunnel_handle", u64_to_hex(oob.tunnel_handle)},
            {"header_info", oob.header_info},
            {"lso_mss", oob.lso_mss}}}};
}

DutResult<SendRequest> send_from_json(const json& request) {
  SendRequest r;
  auto frame = get_hex(request, "frame", "send");
  if (!frame) return frame.error();
  r.frame = std::move(*frame);
  const json* oob = find(request, "oob");
  if (oob == nullptr || !oob->is_object()) return bad("send", "oob", "missing or not an object");
  auto handle = get_u64_hex(*oob, "offload_handle", "send.oob");
  if (!handle) return handle.error();
  auto tunnel = get_u64_hex(*oob, "tunnel_handle", "send.oob");
  if (!tunnel) return tunnel.error();
  auto header = get_u32(*oob, "header_info", "send.oob");
  if (!header) return header.error();
  auto mss = get_u32(*oob, "lso_mss", "send.oob");
  if (!mss) return mss.error();
  r.oob = ndis::SendOob{*handle, *tunnel, *header, *mss};
  return r;
}

json send_reply_to_json(const SendReply& reply) {
  json frames = json::array();
  for (const auto& f : reply.frames) frames.push_back(to_hex(f));
  return {{"completion_status", reply.completion_status}, {"frames", std::move(frames)}};
}

DutResult<SendReply> send_reply_from_json(const json& result) {
  constexpr std::string_view where = "send.result";
  SendReply r;
  auto status = get_u32(result, "completion_status", where);
  if (!status) return status.error();
  r.completion_status = *status;
  const json* frames = find(result, "frames");
  if (frames == nullptr || !frames->is_array()) {
    return bad(where, "frames", "missing or not an array of hex strings");
  }
  for (size_t i = 0; i < frames->size(); ++i) {
    const json& f = (*frames)[i];
    auto bytes = f.is_string() ? from_hex(f.get_ref<const std::string&>()) : std::nullopt;
    if (!bytes) {
      return bad(where, "frames[" + std::to_string(i) + "]", "not an even-length hex string");
    }
    r.frames.push_back(std::move(*bytes));
  }
  return r;
}

// ---- receive

json receive_to_json(std::span<const uint8_t> frame) { return {{"frame", to_hex(frame)}}; }

DutResult<std::vector<uint8_t>> receive_from_json(const json& request) {
  return get_hex(request, "frame", "receive");
}

json receive_reply_to_json(const ReceiveReply& reply) {
  return {{"indicated", reply.indicated},
          {"frame", to_hex(reply.frame)},
          {"ipsec_info", u64_to_hex(reply.oob.ipsec_info)},
          {"header_info", reply.oob.header_info}};
}

DutResult<ReceiveReply> receive_reply_from_json(const json& result) {
  constexpr std::string_view where = "receive.result";
  ReceiveReply r;
  auto indicated = get_bool(result, "indicated", where);
  if (!indicated) return indicated.error();
  auto frame = get_hex(result, "frame", where);
  if (!frame) return frame.error();
  auto info = get_u64_hex(result, "ipsec_info", where);
  if (!info) return info.error();
  auto header = get_u32(result, "header_info", where);
  if (!header) return header.error();
  r.indicated = *indicated;
  r.frame = std::move(*frame);
  r.oob.ipsec_info = *info;
  r.oob.header_info = *header;
  if (!r.indicated && !r.frame.empty()) {
    return bad(where, "frame", "must be empty when indicated is false");
  }
  return r;
}

// ---- dump

json dump_reply_to_json(const std::string& table_json) {
  return {{"table", json::parse(table_json, nullptr, false)}};
}

DutResult<std::string> dump_reply_from_json(const json& result) {
  const json* table = find(result, "table");
  if (table == nullptr || !table->is_object()) {
    return bad("dump.result", "table", "missing or not a JSON object");
  }
  return table->dump();
}

// ---- request_sa_delete

DutResult<uint32_t> request_sa_delete_from_json(const json& request) {
  return get_u32(request, "spi", "request_sa_delete");
}

}  // namespace cts::dut::protocol
