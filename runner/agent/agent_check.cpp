// The agent self-check (agent_check.h): one raw protocol session, judged line by line.
#include "runner/agent/agent_check.h"

#include <unistd.h>

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <functional>
#include <map>
#include <memory>
#include <optional>

#include <nlohmann/json.hpp>

#include "oracle/ndis/codec.h"
#include "oracle/ndis/constants.h"
#include "runner/dut/child_process.h"
#include "runner/dut/hex.h"
#include "runner/dut/line_channel.h"
#include "runner/dut/next_links.h"
#include "runner/dut/protocol.h"
#include "runner/dut/tcp.h"

namespace cts::agent {
namespace {

using nlohmann::json;
using Clock = std::chrono::steady_clock;
namespace protocol = dut::protocol;

constexpr size_t kExcerpt = 300;
const char* const kRequired[] = {"query_capabilities", "oid_set", "send", "receive", "reset",
                                 "close"};
const char* const kOptional[] = {"dump", "request_sa_delete"};

std::string excerpt(std::string_view text) {
  if (text.size() <= kExcerpt) return std::string(text);
  return std::string(text.substr(0, kExcerpt)) + "... (" + std::to_string(text.size()) + " bytes)";
}

std::string dump_json(const json& j) { return j.dump(-1, ' ', false, json::error_handler_t::replace); }

// ---- a raw session: lines out, lines in, nothing judged --------------------------------------

struct Answer {
  std::string failure;  // transport failure (timeout, closed, crashed); empty when a line came
  std::string line;
  std::string extra;    // bytes that followed the answer line (an agent must send one line)
  double micros = 0;
};

class RawSession {
 public:
  RawSession(const dut::ProcessEndpoint& endpoint, std::chrono::milliseconds timeout)
      : endpoint_(endpoint), timeout_(timeout) {}
  ~RawSession() { stop(); }

  std::string start() {
    stop();
    if (endpoint_.kind == dut::ProcessEndpoint::Kind::tcp) {
      auto fd = dut::tcp_connect(endpoint_.address, Clock::now() + timeout_);
      if (!fd) return fd.error().message;
      socket_ = *fd;
      channel_ = std::make_unique<dut::LineChannel>(socket_, socket_, 64u << 20);
      return {};
    }
    auto child = endpoint_.kind == dut::ProcessEndpoint::Kind::shell
                     ? dut::ChildProcess::spawn_shell(endpoint_.command)
                     : dut::ChildProcess::spawn(endpoint_.argv);
    if (!child) return child.error().message;
    child_ = std::move(*child);
    channel_ = std::make_unique<dut::LineChannel>(child_->stdout_fd(), child_->stdin_fd(), 64u << 20);
    dut::ChildProcess* c = child_.get();
    channel_->set_side_channel(child_->stderr_fd(), [c](std::string_view b) { c->append_stderr(b); });
    return {};
  }

  bool alive() const { return channel_ != nullptr; }

  Answer exchange(std::string_view request) {
    Answer a;
    if (!channel_) {
      a.failure = "the session is closed";
      return a;
    }
    const auto begin = Clock::now();
    const dut::Deadline deadline = begin + timeout_;
    dut::ChannelStatus st = channel_->write_line(request, deadline);
    if (st.ok()) st = channel_->read_line(a.line, deadline);
    a.micros = std::chrono::duration<double, std::micro>(Clock::now() - begin).count();
    if (!st.ok()) {
      a.failure = describe(st);
      stop();
      return a;
    }
    a.extra = std::string(channel_->pending());
    return a;
  }

  // After `close`: the agent must end the session (exit, or close the connection).
  std::string wait_session_end() {
    if (!channel_) return {};
    std::string line;
    const dut::ChannelStatus st = channel_->read_line(line, Clock::now() + timeout_);
    std::string problem;
    if (st.ok()) problem = "the agent sent a line after `close`: " + excerpt(line);
    if (st.kind == dut::ChannelStatus::Kind::timeout) {
      problem = "the agent did not end the session within " + std::to_string(timeout_.count()) +
                " ms of `close`";
    }
    if (problem.empty() && child_) {
      const auto ended = child_->wait_exit(timeout_);
      if (!ended) problem = "the agent closed its output after `close` but did not exit";
      else if (*ended != "exited with status 0") problem = "the agent " + *ended + " after `close`";
    }
    stop();
    return problem;
  }

  void stop() {
    channel_.reset();
    if (child_) {
      child_->close_stdin();
      child_->wait_exit(std::chrono::milliseconds(300));
      child_->kill_and_reap();
      child_.reset();
    }
    if (socket_ >= 0) ::close(socket_);
    socket_ = -1;
  }

 private:
  std::string describe(const dut::ChannelStatus& st) {
    std::string what;
    switch (st.kind) {
      case dut::ChannelStatus::Kind::timeout:
        what = "no complete answer within " + std::to_string(timeout_.count()) + " ms";
        break;
      case dut::ChannelStatus::Kind::too_long: what = "answer line longer than 64 MiB"; break;
      default: {
        std::optional<std::string> ended;
        if (child_) ended = child_->wait_exit(std::chrono::milliseconds(500));
        what = ended ? "the agent " + *ended : "the agent closed the connection";
        if (!st.detail.empty()) what += " (" + st.detail + ")";
      }
    }
    if (channel_ && !channel_->pending().empty()) what += "; partial output: " + excerpt(channel_->pending());
    if (child_) {
      child_->drain_stderr();
      if (!child_->stderr_tail().empty()) what += "; stderr: " + excerpt(child_->stderr_tail());
    }
    return what;
  }

  dut::ProcessEndpoint endpoint_;
  std::chrono::milliseconds timeout_;
  std::unique_ptr<dut::ChildProcess> child_;
  int socket_ = -1;
  std::unique_ptr<dut::LineChannel> channel_;
};

// ---- requests the check sends ----------------------------------------------------------------

constexpr uint32_t kSpi = 0x1000;

ndis::AddSaElement cbc_sha1_bundle(bool inbound, uint32_t spi) {
  ndis::AddSaElement e;
  e.flags = inbound ? ndis::IPSEC_OFFLOAD_V2_INBOUND : 0;
  e.endpoints = ndis::Endpoints::ipv4({192, 0, 2, 1}, {192, 0, 2, 2});
  auto& sa = e.sec_assoc[0];
  sa.flags = ndis::IPSEC_OFFLOAD_V2_ESN_SA;  // so that UPDATE_SA has something to update
  sa.operation = ndis::IPsecOffloadV2Esp;
  sa.spi = spi;
  sa.authentication = {ndis::IPSEC_OFFLOAD_V2_AUTHENTICATION_SHA_1, 20, 16, 0};
  sa.encryption = {ndis::IPSEC_OFFLOAD_V2_ENCRYPTION_AES_CBC_128, 16, 0, 0};
  for (uint8_t i = 0; i < 16; ++i) e.key_data.push_back(static_cast<uint8_t>(0x10 + i));
  for (uint8_t i = 0; i < 20; ++i) e.key_data.push_back(static_cast<uint8_t>(0x40 + i));
  return e;
}

uint16_t ipv4_checksum(const std::vector<uint8_t>& f, size_t at) {
  uint32_t sum = 0;
  for (size_t i = 0; i < 20; i += 2) sum += static_cast<uint32_t>(f[at + i] << 8 | f[at + i + 1]);
  while (sum >> 16) sum = (sum & 0xFFFF) + (sum >> 16);
  return static_cast<uint16_t>(~sum);
}

// A transport-mode ESP frame as the transport frames it for the AES-CBC-128 / HMAC-SHA-1-96 SA
// above (docs/process-protocol.md §4.1): ESP header, zero IV, UDP "ping", padding 1 2, Pad
// Length 2, Next Header 17, zero ICV. Its header_info: NextHeader 17, PadLength 2, offset 5.
constexpr uint32_t kFrameHeaderInfo = 17u | 2u << 8 | 5u << 24;
std::vector<uint8_t> framed_send() {
  std::vector<uint8_t> f = {2, 0, 0, 0, 0, 2, 2, 0, 0, 0, 0, 1, 0x08, 0x00};
  const uint8_t ip[] = {0x45, 0, 0, 72, 0x12, 0x34, 0, 0, 64, 50, 0, 0, 192, 0, 2, 1, 192, 0, 2, 2};
  f.insert(f.end(), std::begin(ip), std::end(ip));
  const uint16_t sum = ipv4_checksum(f, 14);
  f[24] = static_cast<uint8_t>(sum >> 8);
  f[25] = static_cast<uint8_t>(sum);
  const uint8_t esp[] = {0, 0, 0x10, 0, 0, 0, 0, 1};  // SPI 0x1000, sequence number 1
  f.insert(f.end(), std::begin(esp), std::end(esp));
  f.insert(f.end(), 16, 0);  // IV placeholder
  const uint8_t udp[] = {0x04, 0xd2, 0x16, 0x2e, 0, 12, 0, 0, 'p', 'i', 'n', 'g', 1, 2, 2, 17};
  f.insert(f.end(), std::begin(udp), std::end(udp));
  f.insert(f.end(), 12, 0);  // ICV placeholder
  return f;
}

json send_request(const std::vector<uint8_t>& frame, uint64_t handle, uint32_t mss) {
  return protocol::send_to_json(frame, ndis::SendOob{handle, 0, kFrameHeaderInfo, mss});
}

uint64_t load_le64(const std::vector<uint8_t>& b, size_t at) {
  uint64_t v = 0;
  if (at + 8 > b.size()) return 0;
  for (size_t i = 0; i < 8; ++i) v |= static_cast<uint64_t>(b[at + i]) << (8 * i);
  return v;
}

json with_op(json request, std::string_view op) {
  request["op"] = op;
  return request;
}

bool has_upper_hex(const json& v) {
  if (!v.is_string()) return false;
  const auto& s = v.get_ref<const std::string&>();
  return std::any_of(s.begin(), s.end(), [](char c) { return c >= 'A' && c <= 'F'; });
}

// ---- the check -------------------------------------------------------------------------------

struct Envelope {
  bool ok = false;
  json result;       // ok
  std::string kind;  // !ok: error.kind
  std::string message;
};

class Checker {
 public:
  Checker(const dut::ProcessEndpoint& endpoint, const AgentCheckOptions& options)
      : session_(endpoint, options.timeout), options_(options) {
    report_.endpoint = endpoint.description;
  }

  AgentCheckReport run() {
    if (const std::string e = session_.start(); !e.empty()) {
      add("session.start", CheckOutcome::violation, e);
      return std::move(report_);
    }
    before_hello();
    if (!hello()) return finish();
    framing();
    capabilities();
    const uint64_t out_handle = add_sa_ex();
    const std::vector<uint64_t> list_handles = add_sa_list();
    update_sa(out_handle);
    oid_malformed();
    const std::vector<uint8_t> wire = send(out_handle);
    receive(wire);
    dump();
    request_sa_delete();
    std::vector<uint64_t> all = list_handles;
    all.insert(all.begin(), out_handle);
    delete_sa(all);
    reset();
    round_trip();
    hello_again();
    close();
    return finish();
  }

 private:
  void add(std::string name, CheckOutcome outcome, std::string detail) {
    report_.items.push_back({std::move(name), outcome, std::move(detail)});
  }

  void support(const std::string& op, CheckOutcome outcome, std::string detail) {
    auto& s = support_[op];
    // A violation or a device error seen once stays; "ok" never hides an earlier finding.
    if (s.op.empty() || static_cast<int>(outcome) > static_cast<int>(s.outcome)) {
      s.op = op;
      s.outcome = outcome;
      s.detail = std::move(detail);
    }
  }

  bool advertised(const std::string& op) const {
    return std::find(operations_.begin(), operations_.end(), op) != operations_.end();
  }

  // One exchange, judged as an envelope: one JSON object line, the id echoed, `ok`, and a
  // `result` object or an `error` object with a known kind. A violation is recorded under
  // `name` and nullopt returned; a dead session is restarted (with hello) for the next check.
  std::optional<Envelope> call(const std::string& name, const std::string& line, const json& want_id) {
    const Answer a = session_.exchange(line);
    if (!a.failure.empty()) {
      add(name, CheckOutcome::violation, a.failure);
      recover();
      return std::nullopt;
    }
    last_micros_ = a.micros;
    const std::string problem = envelope_problem(a, want_id);
    if (!problem.empty()) {
      add(name, CheckOutcome::violation, problem + "; answer: " + excerpt(a.line));
      return std::nullopt;
    }
    const json answer = json::parse(a.line);
    Envelope env;
    env.ok = answer["ok"].get<bool>();
    if (env.ok) {
      env.result = answer["result"];
    } else {
      env.kind = answer["error"]["kind"].get<std::string>();
      env.message = answer["error"]["message"].get<std::string>();
    }
    return env;
  }

  std::optional<Envelope> call(const std::string& name, json request) {
    const uint64_t id = ++next_id_;
    request["id"] = id;
    return call(name, dump_json(request), json(id));
  }

  static std::string envelope_problem(const Answer& a, const json& want_id) {
    if (!a.extra.empty()) return "more than one line for one request (extra: " + excerpt(a.extra) + ")";
    const json answer = json::parse(a.line, nullptr, false);
    if (answer.is_discarded() || !answer.is_object()) return "the answer is not one JSON object";
    const auto id = answer.find("id");
    if (id == answer.end()) return "the answer has no id";
    if (*id != want_id) return "answer id " + dump_json(*id) + ", expected " + dump_json(want_id);
    const auto ok = answer.find("ok");
    if (ok == answer.end() || !ok->is_boolean()) return "member 'ok' missing or not a boolean";
    if (ok->get<bool>()) {
      const auto r = answer.find("result");
      if (r == answer.end() || !r->is_object()) return "ok is true but 'result' is missing or not an object";
      return {};
    }
    const auto e = answer.find("error");
    if (e == answer.end()) return "ok is false but there is no 'error' object";
    auto reported = protocol::error_from_json(*e, "answer");
    if (!reported) return reported.error().message;
    return {};
  }

  void recover() {
    if (!session_.start().empty()) return;
    json greeting = protocol::hello_to_json(hello_request());
    greeting["op"] = "hello";
    greeting["id"] = ++next_id_;
    const Answer a = session_.exchange(dump_json(greeting));
    if (!a.failure.empty()) session_.stop();
  }

  protocol::Hello hello_request() const {
    protocol::Hello h;
    h.client = "ipsec-cts agent-check";
    if (!options_.config_json.empty()) h.config = json::parse(options_.config_json, nullptr, false);
    return h;
  }

  // A valid request of `op`: an ok answer is checked with `validate` (returns a problem or "");
  // `unsupported` makes the operation not implemented; another error kind is device behaviour.
  void judge(const std::string& name, const std::string& op, const std::optional<Envelope>& env,
             const std::function<std::string(const json&)>& validate) {
    if (!env) {
      support(op, CheckOutcome::violation, "see " + name);
      return;
    }
    if (env->ok) {
      const std::string problem = validate(env->result);
      if (!problem.empty()) {
        add(name, CheckOutcome::violation, problem + "; result: " + excerpt(dump_json(env->result)));
        support(op, CheckOutcome::violation, "see " + name);
        return;
      }
      add(name, CheckOutcome::ok, ok_detail_.empty() ? "well-formed result" : ok_detail_);
      ok_detail_.clear();
      support(op, CheckOutcome::ok, "");
      if (!advertised(op)) {
        add(name + ".advertised", CheckOutcome::warning, op + " works but hello does not list it");
      }
      return;
    }
    const bool required = std::find(std::begin(kRequired), std::end(kRequired), op) != std::end(kRequired);
    if (env->kind == "unsupported") {
      if (required || advertised(op)) {
        add(name, CheckOutcome::violation,
            op + (required ? " is a required operation" : " is listed in hello.operations") +
                " but the agent answered unsupported: " + env->message);
        support(op, CheckOutcome::violation, "answered unsupported");
      } else {
        add(name, CheckOutcome::not_implemented, env->message);
        support(op, CheckOutcome::not_implemented, "not offered");
      }
      return;
    }
    add(name, CheckOutcome::device_error, env->kind + ": " + env->message);
    support(op, CheckOutcome::device_error, "answered " + env->kind + " to a valid request");
  }

  // A malformed request must get an error answer (the session goes on).
  void expect_refusal(const std::string& name, const std::string& op, json request, const std::string& what) {
    request["op"] = op;
    const auto env = call(name, std::move(request));
    if (!env) return;
    if (env->ok) {
      add(name, CheckOutcome::violation, what + " was answered ok:true: " + excerpt(dump_json(env->result)));
      return;
    }
    add(name, CheckOutcome::ok, what + " refused: " + env->kind);
  }

  void hex_case(const std::string& name, std::initializer_list<json> values) {
    for (const json& v : values) {
      if (has_upper_hex(v)) {
        add(name + ".hex", CheckOutcome::warning, "upper-case hex digits (the protocol sends lower case)");
        return;
      }
    }
  }

  // ---- the steps

  void before_hello() {
    const auto env = call("session.before_hello", json{{"op", "query_capabilities"}});
    if (!env) return;
    if (env->ok || env->kind != "protocol_error") {
      add("session.before_hello", CheckOutcome::violation,
          "a request before hello must be answered with protocol_error, got " +
              (env->ok ? std::string("ok:true") : env->kind));
      return;
    }
    add("session.before_hello", CheckOutcome::ok, "refused: protocol_error");
  }

  bool hello() {
    json request = protocol::hello_to_json(hello_request());
    request["op"] = "hello";
    const auto env = call("hello", request);
    if (!env) return false;
    if (!env->ok) {
      add("hello", CheckOutcome::violation, "hello refused: " + env->kind + ": " + env->message);
      return false;
    }
    auto reply = protocol::hello_reply_from_json(env->result);
    if (!reply) {
      add("hello", CheckOutcome::violation, reply.error().message);
      return false;
    }
    if (reply->protocol != protocol::kVersion) {
      add("hello", CheckOutcome::violation, "protocol " + std::to_string(reply->protocol) + ", expected 1");
      return false;
    }
    report_.device = reply->device;
    operations_ = reply->operations;
    std::string missing;
    for (const char* op : kRequired)
      if (!advertised(op)) missing += std::string(missing.empty() ? "" : ", ") + op;
    if (!missing.empty()) {
      add("hello", CheckOutcome::violation, "hello.operations lacks required " + missing);
      return false;
    }
    std::string listed;
    for (const auto& op : operations_) listed += (listed.empty() ? "" : " ") + op;
    add("hello", CheckOutcome::ok, "device \"" + reply->device + "\", protocol 1, operations: " + listed);
    support("hello", CheckOutcome::ok, "");

    json bad = {{"op", "hello"}, {"protocol", 99}, {"client", "agent-check"}};
    const auto refused = call("hello.version_99", bad);
    if (refused) {
      if (refused->ok || refused->kind != "unsupported") {
        add("hello.version_99", CheckOutcome::violation,
            "a hello for protocol 99 must be answered unsupported, got " +
                (refused->ok ? std::string("ok:true") : refused->kind));
      } else {
        add("hello.version_99", CheckOutcome::ok, "refused: unsupported");
      }
    }
    return true;
  }

  void framing() {
    auto expect_null_id = [&](const std::string& name, const std::string& line, const std::string& what) {
      const auto env = call(name, line, json(nullptr));
      if (!env) return;
      if (env->ok || env->kind != "protocol_error") {
        add(name, CheckOutcome::violation, what + " must be answered with protocol_error, got " +
                                               (env->ok ? std::string("ok:true") : env->kind));
        return;
      }
      add(name, CheckOutcome::ok, what + " refused with id null: protocol_error");
    };
    expect_null_id("framing.not_json", "{\"id\": 5, \"op\": \"reset\"", "a line that is not JSON");
    expect_null_id("framing.not_object", "[1, 2, 3]", "a JSON array");
    expect_null_id("framing.no_id", "{\"op\":\"query_capabilities\"}", "a request without id");

    const uint64_t big = (uint64_t{1} << 53) - 1;  // the largest id every JSON library keeps exact
    const auto env = call("framing.large_id", "{\"id\":" + std::to_string(big) + ",\"op\":\"query_capabilities\"}",
                          json(big));
    if (env) add("framing.large_id", CheckOutcome::ok, "id 2^53-1 echoed");

    const auto unknown = call("framing.unknown_op", json{{"op", "no_such_operation"}});
    if (unknown) {
      if (unknown->ok) add("framing.unknown_op", CheckOutcome::violation, "an unknown operation was answered ok:true");
      else if (unknown->kind != "unsupported")
        add("framing.unknown_op", CheckOutcome::warning, "answered " + unknown->kind + " (the protocol says unsupported)");
      else add("framing.unknown_op", CheckOutcome::ok, "refused: unsupported");
    }
  }

  void capabilities() {
    const auto env = call("query_capabilities", json{{"op", "query_capabilities"}});
    judge("query_capabilities", "query_capabilities", env, [&](const json& r) -> std::string {
      auto caps = protocol::capabilities_from_json(r);
      if (!caps) return caps.error().message;
      hex_case("query_capabilities", {r["ipsec_offload_v2"]});
      return {};
    });
  }

  // oid_set with a valid buffer; returns the answer's buffer (empty when there is none).
  std::vector<uint8_t> oid(const std::string& name, uint32_t code, const std::vector<uint8_t>& buffer) {
    const auto env = call(name, with_op(protocol::oid_set_to_json(code, buffer), "oid_set"));
    std::vector<uint8_t> answer;
    judge(name, "oid_set", env, [&](const json& r) -> std::string {
      auto reply = protocol::oid_reply_from_json(r);
      if (!reply) return reply.error().message;
      if (reply->buffer.size() != buffer.size())
        return "oid_set.result.buffer: " + std::to_string(reply->buffer.size()) + " bytes, the request had " +
               std::to_string(buffer.size());
      const auto links = dut::map_next_links(buffer, code, 0);
      if (auto altered = dut::find_altered_next(reply->buffer, links, 0, 0))
        return "oid_set.result.buffer: the Next offsets changed: " + *altered;
      hex_case(name, {r["buffer"]});
      char status[16];
      std::snprintf(status, sizeof(status), "0x%08X", reply->status);
      ok_detail_ = "status " + std::string(status) + ", " + std::to_string(reply->buffer.size()) + "-byte buffer back" +
                   (links.slots.size() > 1 ? ", Next offsets unchanged" : "");
      answer = reply->buffer;
      return {};
    });
    return answer;
  }

  uint64_t add_sa_ex() {
    const auto buffer = ndis::encode_add_sa_ex(ndis::AddSaExRequest{cbc_sha1_bundle(false, kSpi)}, ndis::Abi::x64);
    const auto answer = oid("oid_set.add_sa_ex", ndis::OID_TCP_TASK_IPSEC_OFFLOAD_V2_ADD_SA_EX, buffer);
    return load_le64(answer, 48);  // x64 IPSEC_OFFLOAD_V2_ADD_SA_EX.OffloadHandle
  }

  std::vector<uint64_t> add_sa_list() {
    ndis::AddSaRequest request;
    request.elements = {cbc_sha1_bundle(true, kSpi), cbc_sha1_bundle(false, kSpi + 1)};
    const auto buffer = ndis::encode_add_sa(request, ndis::Abi::x64, ndis::NextLinks{0});
    const auto answer = oid("oid_set.add_sa_list", ndis::OID_TCP_TASK_IPSEC_OFFLOAD_V2_ADD_SA, buffer);
    std::vector<uint64_t> handles;
    if (answer.empty()) return handles;
    auto decoded = ndis::decode_add_sa(answer, ndis::Abi::x64, ndis::NextLinks{0});
    if (auto* r = std::get_if<ndis::AddSaRequest>(&decoded))
      for (const auto& e : r->elements) handles.push_back(e.offload_handle);
    return handles;
  }

  void update_sa(uint64_t handle) {
    ndis::UpdateSaRequest u;
    u.offload_handle = handle;
    u.spi = kSpi;
    u.sequence_number_high_order = 0;
    oid("oid_set.update_sa", ndis::OID_TCP_TASK_IPSEC_OFFLOAD_V2_UPDATE_SA, ndis::encode_update_sa(u, ndis::Abi::x64));
  }

  void delete_sa(const std::vector<uint64_t>& handles) {
    ndis::DeleteSaRequest d;
    for (uint64_t h : handles) d.elements.push_back(ndis::DeleteSaElement{{}, h});
    oid("oid_set.delete_sa_list", ndis::OID_TCP_TASK_IPSEC_OFFLOAD_V2_DELETE_SA,
        ndis::encode_delete_sa(d, ndis::Abi::x64, ndis::NextLinks{0}));
  }

  void oid_malformed() {
    expect_refusal("oid_set.malformed.no_buffer", "oid_set", json{{"oid", 4228055557u}}, "oid_set without buffer");
    expect_refusal("oid_set.malformed.odd_hex", "oid_set", json{{"oid", 4228055557u}, {"buffer", "abc"}},
                   "oid_set with an odd-length hex buffer");
    expect_refusal("oid_set.malformed.oid_string", "oid_set", json{{"oid", "ADD_SA"}, {"buffer", ""}},
                   "oid_set with a string oid");
    expect_refusal("oid_set.malformed.oid_33_bits", "oid_set", json{{"oid", 4294967296u}, {"buffer", ""}},
                   "oid_set with an oid above 32 bits");
  }

  std::vector<uint8_t> send(uint64_t handle) {
    const auto frame = framed_send();
    std::vector<uint8_t> wire;
    for (const uint32_t mss : {0u, 536u}) {
      const std::string name = mss == 0 ? "send" : "send.lso";
      const auto env = call(name, with_op(send_request(frame, handle, mss), "send"));
      judge(name, "send", env, [&](const json& r) -> std::string {
        auto reply = protocol::send_reply_from_json(r);
        if (!reply) return reply.error().message;
        for (const auto& f : r["frames"]) hex_case(name, {f});
        char status[16];
        std::snprintf(status, sizeof(status), "0x%08X", reply->completion_status);
        ok_detail_ = "completion status " + std::string(status) + ", " +
                     std::to_string(reply->frames.size()) + " frame(s)";
        if (mss == 0 && !reply->frames.empty()) wire = reply->frames.front();
        return {};
      });
    }
    expect_refusal("send.malformed.no_oob", "send", json{{"frame", "00"}}, "send without oob");
    expect_refusal("send.malformed.handle_number", "send",
                   json{{"frame", "00"}, {"oob", {{"offload_handle", 1}, {"tunnel_handle", "0x0"},
                                                  {"header_info", 0}, {"lso_mss", 0}}}},
                   "send with offload_handle as a number");
    return wire.empty() ? frame : wire;
  }

  void receive(const std::vector<uint8_t>& frame) {
    const auto env = call("receive", with_op(protocol::receive_to_json(frame), "receive"));
    judge("receive", "receive", env, [&](const json& r) -> std::string {
      auto reply = protocol::receive_reply_from_json(r);
      if (!reply) return reply.error().message;
      hex_case("receive", {r["frame"]});
      ok_detail_ = std::string(reply->indicated ? "indicated" : "not indicated") + ", ipsec_info " +
                   r["ipsec_info"].get<std::string>() + ", header_info " + std::to_string(reply->oob.header_info);
      return {};
    });
    expect_refusal("receive.malformed.not_hex", "receive", json{{"frame", "zz"}}, "receive with a non-hex frame");
  }

  void dump() {
    const auto env = call("dump", json{{"op", "dump"}});
    judge("dump", "dump", env, [&](const json& r) -> std::string {
      auto table = protocol::dump_reply_from_json(r);
      if (!table) return table.error().message;
      return {};
    });
  }

  void request_sa_delete() {
    const auto env = call("request_sa_delete", json{{"op", "request_sa_delete"}, {"spi", kSpi}});
    judge("request_sa_delete", "request_sa_delete", env, [](const json&) { return std::string(); });
    const auto it = support_.find("request_sa_delete");
    if (it != support_.end() && it->second.outcome == CheckOutcome::ok)
      expect_refusal("request_sa_delete.malformed", "request_sa_delete", json{{"spi", "0x1000"}},
                     "request_sa_delete with a string spi");
  }

  void reset() {
    const auto env = call("reset", json{{"op", "reset"}});
    judge("reset", "reset", env, [](const json&) { return std::string(); });
  }

  void round_trip() {
    std::vector<double> times;
    for (size_t i = 0; i < options_.round_trips && session_.alive(); ++i) {
      const auto env = call("round_trip", json{{"op", "query_capabilities"}});
      if (!env) break;
      times.push_back(last_micros_);
    }
    if (times.empty()) return;
    std::sort(times.begin(), times.end());
    RoundTrip& rt = report_.round_trip;
    rt.count = times.size();
    rt.min_us = times.front();
    rt.median_us = times[times.size() / 2];
    rt.p99_us = times[std::min(times.size() - 1, times.size() * 99 / 100)];
    rt.max_us = times.back();
  }

  void hello_again() {
    json request = protocol::hello_to_json(hello_request());
    request["op"] = "hello";
    const auto env = call("hello.again", request);
    if (!env) return;
    if (!env->ok) add("hello.again", CheckOutcome::violation, "a second hello was refused: " + env->kind);
    else add("hello.again", CheckOutcome::ok, "a second hello opens a fresh instance");
  }

  void close() {
    const auto env = call("close", json{{"op", "close"}});
    if (!env) return;
    if (!env->ok) {
      add("close", CheckOutcome::violation, "close was refused: " + env->kind);
      return;
    }
    support("close", CheckOutcome::ok, "");
    const std::string problem = session_.wait_session_end();
    if (!problem.empty()) add("close", CheckOutcome::violation, problem);
    else add("close", CheckOutcome::ok, "answered, then the session ended");
  }

  AgentCheckReport finish() {
    for (const char* op : {"hello", "query_capabilities", "oid_set", "send", "receive", "dump",
                           "request_sa_delete", "reset", "close"}) {
      OperationSupport s;
      const auto it = support_.find(op);
      if (it != support_.end()) {
        s = it->second;
      } else {
        s.outcome = CheckOutcome::violation;
        s.detail = "not exercised (the session failed earlier)";
      }
      s.op = op;
      s.advertised = std::string(op) == "hello" || advertised(op);
      report_.operations.push_back(std::move(s));
    }
    return std::move(report_);
  }

  RawSession session_;
  AgentCheckOptions options_;
  AgentCheckReport report_;
  std::vector<std::string> operations_;
  std::map<std::string, OperationSupport> support_;
  uint64_t next_id_ = 0;
  double last_micros_ = 0;
  std::string ok_detail_;
};

std::string pad(std::string text, size_t width) {
  if (text.size() < width) text.append(width - text.size(), ' ');
  return text;
}

const char* label(CheckOutcome o) {
  switch (o) {
    case CheckOutcome::ok: return "ok";
    case CheckOutcome::not_implemented: return "n/a";
    case CheckOutcome::device_error: return "dev";
    case CheckOutcome::warning: return "warn";
    case CheckOutcome::violation: return "FAIL";
  }
  return "?";
}

}  // namespace

size_t AgentCheckReport::violations() const {
  return static_cast<size_t>(std::count_if(items.begin(), items.end(),
                                           [](const CheckItem& i) { return i.outcome == CheckOutcome::violation; }));
}

size_t AgentCheckReport::warnings() const {
  return static_cast<size_t>(std::count_if(items.begin(), items.end(),
                                           [](const CheckItem& i) { return i.outcome == CheckOutcome::warning; }));
}

AgentCheckReport run_agent_check(const dut::ProcessEndpoint& endpoint, const AgentCheckOptions& options) {
  return Checker(endpoint, options).run();
}

std::string format_report(const AgentCheckReport& r) {
  std::string out = "agent-check: " + r.endpoint + "\n";
  if (!r.device.empty()) out += "device: " + r.device + "\n";
  out += "\nchecks\n";
  for (const auto& i : r.items) {
    out += "  [" + pad(label(i.outcome), 4) + "] " + pad(i.name, 34) + " " + i.detail + "\n";
  }
  out += "\noperations\n";
  for (const auto& s : r.operations) {
    std::string state;
    switch (s.outcome) {
      case CheckOutcome::ok: state = "implemented"; break;
      case CheckOutcome::not_implemented: state = "not implemented"; break;
      case CheckOutcome::device_error: state = "implemented (" + s.detail + ")"; break;
      case CheckOutcome::warning: state = "implemented"; break;
      case CheckOutcome::violation: state = "BROKEN (" + s.detail + ")"; break;
    }
    out += "  " + pad(s.op, 20) + " " + pad(s.advertised ? "advertised" : "not advertised", 14) + " " +
           state + "\n";
  }
  if (r.round_trip.count > 0) {
    const auto us = [](double v) { return std::to_string(std::llround(v)) + " us"; };
    const RoundTrip& t = r.round_trip;
    out += "\nround trip (query_capabilities x" + std::to_string(t.count) + "): min " + us(t.min_us) +
           ", median " + us(t.median_us) + ", p99 " + us(t.p99_us) + ", max " + us(t.max_us) + "\n";
  }
  const size_t v = r.violations();
  out += "\n" + std::string(v == 0 ? "PASS: the agent speaks protocol version 1 correctly"
                                   : "FAIL: " + std::to_string(v) + " protocol violation(s)") +
         " (" + std::to_string(r.warnings()) + " warning(s))\n";
  return out;
}

}  // namespace cts::agent
