// Client side of the process protocol (see process_adapter.h).
#include "runner/dut/process_adapter.h"

#include <unistd.h>

#include <algorithm>
#include <optional>

#include <nlohmann/json.hpp>

#include "runner/dut/child_process.h"
#include "runner/dut/line_channel.h"
#include "runner/dut/next_links.h"
#include "runner/dut/oid_set_line.h"
#include "runner/dut/protocol.h"

namespace cts::dut {
namespace {

using nlohmann::json;

constexpr size_t kRawExcerpt = 512;
constexpr std::chrono::milliseconds kExitGrace{1000};  // how long a dying child may take to die

// What a device wrote, fit for a terminal, a log and a report: control characters and bytes
// outside ASCII become \xNN, so a hostile device cannot send escape sequences through the runner.
std::string printable(std::string_view text) {
  static constexpr char kDigits[] = "0123456789abcdef";
  std::string out;
  out.reserve(text.size());
  for (const char ch : text) {
    const auto c = static_cast<unsigned char>(ch);
    if ((c >= 0x20 && c < 0x7f) || c == '\n' || c == '\t') {
      out.push_back(ch);
    } else {
      out += "\\x";
      out.push_back(kDigits[c >> 4]);
      out.push_back(kDigits[c & 0xF]);
    }
  }
  return out;
}

std::string excerpt(std::string_view text) {
  if (text.size() <= kRawExcerpt) return printable(text);
  return printable(text.substr(0, kRawExcerpt)) + "... (" + std::to_string(text.size()) +
         " bytes)";
}

std::string dump_json(const json& j) {
  return j.dump(-1, ' ', false, json::error_handler_t::replace);
}

class ProcessAdapter final : public DutAdapter {
 public:
  ProcessAdapter(ProcessEndpoint endpoint, ProcessOptions options)
      : endpoint_(std::move(endpoint)), options_(std::move(options)) {}

  ~ProcessAdapter() override { shut_down(); }

  DutStatus start() {
    if (endpoint_.kind == ProcessEndpoint::Kind::tcp) {
      auto fd = tcp_connect(endpoint_.address, Clock::now() + options_.request_timeout);
      if (!fd) return fd.error();
      socket_ = *fd;
      channel_ = std::make_unique<LineChannel>(socket_, socket_, options_.max_line_bytes);
    } else {
      auto child = endpoint_.kind == ProcessEndpoint::Kind::shell
                       ? ChildProcess::spawn_shell(endpoint_.command)
                       : ChildProcess::spawn(endpoint_.argv);
      if (!child) return child.error();
      child_ = std::move(*child);
      channel_ = std::make_unique<LineChannel>(child_->stdout_fd(), child_->stdin_fd(),
                                               options_.max_line_bytes);
      ChildProcess* c = child_.get();
      channel_->set_side_channel(child_->stderr_fd(),
                                 [c](std::string_view bytes) { c->append_stderr(bytes); });
    }
    protocol::Hello hello;
    hello.client = "ipsec-cts";
    if (!options_.config_json.empty()) {
      json config = json::parse(options_.config_json, nullptr, false);
      if (config.is_discarded() || !config.is_object()) {
        teardown("invalid config");
        return DutError{DutErrorKind::invalid_argument,
                        "config: not a JSON object: " + excerpt(options_.config_json), {}};
      }
      hello.config = std::move(config);
    }
    auto result = call(protocol::kHello, protocol::hello_to_json(hello));
    if (!result) {
      teardown(result.error().message);
      return result.error();
    }
    auto reply = protocol::hello_reply_from_json(*result);
    if (!reply) return fail_protocol(reply.error().message, dump_json(*result));
    if (reply->protocol != protocol::kVersion) {
      return fail_protocol("hello: the agent speaks protocol version " +
                               std::to_string(reply->protocol) + ", this runner version " +
                               std::to_string(protocol::kVersion),
                           dump_json(*result));
    }
    name_ = reply->device;
    const auto offers = [&](std::string_view op) {
      return std::find(reply->operations.begin(), reply->operations.end(), op) !=
             reply->operations.end();
    };
    features_ = DutFeatures{offers(protocol::kDump), offers(protocol::kRequestSaDelete)};
    return Done{};
  }

  std::string name() const override { return name_.empty() ? endpoint_.description : name_; }
  std::string description() const override { return endpoint_.description; }
  DutFeatures features() const override { return features_; }

  DutResult<Capabilities> query_capabilities() override {
    auto result = call(protocol::kQueryCapabilities, json::object());
    if (!result) return result.error();
    auto caps = protocol::capabilities_from_json(*result);
    if (!caps) return protocol_error_in_result(caps.error(), *result);
    return caps;
  }

  DutResult<OidReply> oid_set(uint32_t oid, std::span<const uint8_t> request) override {
    // The line the generic path would write, written directly; an answer in the exact form a
    // shipped agent writes is read directly too, anything else as JSON (oid_set_line.h).
    if (!channel_) return not_running(protocol::kOidSet);
    const uint64_t id = ++next_id_;
    auto line = exchange(protocol::kOidSet, oid_set_request_line(id, oid, request));
    if (!line) return line.error();
    DutResult<OidReply> reply = OidReply{};
    if (auto fast = read_oid_set_answer_line(*line); fast && fast->id == id) {
      reply = std::move(fast->reply);
    } else {
      auto result = interpret(protocol::kOidSet, id, *line);
      if (!result) return result.error();
      reply = protocol::oid_reply_from_json(*result);
      if (!reply) return protocol_error_in_result(reply.error(), *result);
    }
    if (reply->buffer.size() != request.size()) {
      return DutError{DutErrorKind::protocol_error,
                      "oid_set.result.buffer: " + std::to_string(reply->buffer.size()) +
                          " bytes, the request had " + std::to_string(request.size()),
                      {}};
    }
    const NextLinkMap links = map_next_links(request, oid, 0);
    if (auto altered = find_altered_next(reply->buffer, links, 0, 0)) {
      return DutError{DutErrorKind::protocol_error,
                      "oid_set: the device modified the request's Next links: " + *altered, {}};
    }
    return reply;
  }

  DutResult<SendReply> send(std::span<const uint8_t> frame, const ndis::SendOob& oob) override {
    auto result = call(protocol::kSend, protocol::send_to_json(frame, oob));
    if (!result) return result.error();
    auto reply = protocol::send_reply_from_json(*result);
    if (!reply) return protocol_error_in_result(reply.error(), *result);
    return reply;
  }

  DutResult<ReceiveReply> receive(std::span<const uint8_t> frame) override {
    auto result = call(protocol::kReceive, protocol::receive_to_json(frame));
    if (!result) return result.error();
    auto reply = protocol::receive_reply_from_json(*result);
    if (!reply) return protocol_error_in_result(reply.error(), *result);
    return reply;
  }

  DutResult<std::optional<std::string>> dump() override {
    if (!features_.dump) {
      if (!channel_) return not_running(protocol::kDump);
      return std::optional<std::string>();
    }
    auto result = call(protocol::kDump, json::object());
    if (!result) {
      if (result.error().kind == DutErrorKind::unsupported) return std::optional<std::string>();
      return result.error();
    }
    auto table = protocol::dump_reply_from_json(*result);
    if (!table) return protocol_error_in_result(table.error(), *result);
    return std::optional<std::string>(std::move(*table));
  }

  DutStatus request_sa_delete(uint32_t spi) override {
    if (!features_.request_sa_delete) {
      return DutError{DutErrorKind::unsupported,
                      "request_sa_delete: the agent does not offer this operation", {}};
    }
    auto result = call(protocol::kRequestSaDelete, json{{"spi", spi}});
    if (!result) return result.error();
    return Done{};
  }

  DutStatus reset() override {
    auto result = call(protocol::kReset, json::object());
    if (!result) return result.error();
    return Done{};
  }

  DutStatus restart() override {
    shut_down();
    last_failure_.clear();
    return start();
  }

 private:
  DutError not_running(std::string_view op) const {
    std::string message = std::string(op) + ": the device is not running";
    if (!last_failure_.empty()) message += " (after: " + last_failure_ + "); restart() it";
    return DutError{DutErrorKind::closed, std::move(message), {}};
  }

  // What the device said: the partial output or offending line, and the child's stderr tail.
  std::string device_said(std::string_view output) {
    std::string said;
    if (!output.empty()) said = "output: " + excerpt(output);
    if (child_) {
      child_->drain_stderr();
      const std::string tail = child_->stderr_tail();
      if (!tail.empty()) {
        if (!said.empty()) said += "\n";
        said += "stderr: " + printable(tail);
      }
    }
    return said;
  }

  void teardown(const std::string& reason) {
    last_failure_ = reason;
    channel_.reset();
    if (child_) child_->kill_and_reap();
    child_.reset();
    if (socket_ >= 0) ::close(socket_);
    socket_ = -1;
  }

  DutError fail_protocol(std::string message, std::string_view output) {
    DutError e{DutErrorKind::protocol_error, std::move(message), device_said(output)};
    teardown(e.message);
    return e;
  }

  // A result that parsed as JSON but lacks a member or holds a bad value: the device is out of
  // step with the protocol, so the session is not trusted further.
  DutError protocol_error_in_result(const DutError& e, const json& result) {
    return fail_protocol(e.message, dump_json(result));
  }

  DutError fail_channel(std::string_view op, const ChannelStatus& status, std::string_view phase) {
    const std::string pending(channel_ ? channel_->pending() : std::string_view());
    DutError e;
    switch (status.kind) {
      case ChannelStatus::Kind::timeout:
        e.kind = DutErrorKind::timeout;
        e.message = std::string(op) + ": no complete answer within " +
                    std::to_string(options_.request_timeout.count()) + " ms (" +
                    std::string(phase) + "); the device was stopped";
        break;
      case ChannelStatus::Kind::too_long:
        e.kind = DutErrorKind::protocol_error;
        e.message = std::string(op) + ": answer line longer than " +
                    std::to_string(options_.max_line_bytes) + " bytes";
        break;
      case ChannelStatus::Kind::eof:
      case ChannelStatus::Kind::io_error: {
        std::optional<std::string> ended;
        if (child_) ended = child_->wait_exit(kExitGrace);
        if (ended) {
          e.kind = DutErrorKind::crashed;
          e.message = std::string(op) + ": the device process " + *ended + " (" +
                      std::string(phase) + ")";
        } else {
          e.kind = DutErrorKind::closed;
          e.message = std::string(op) + ": " +
                      (child_ ? "the device closed its output but is still running"
                              : "the agent closed the connection") +
                      " (" + std::string(phase) + ")";
          if (!status.detail.empty()) e.message += ": " + status.detail;
        }
        break;
      }
      case ChannelStatus::Kind::ok:
        break;
    }
    e.raw = device_said(pending);
    teardown(e.message);
    return e;
  }

  DutResult<json> call(std::string_view op, json params) {
    if (!channel_) return not_running(op);
    const uint64_t id = ++next_id_;
    params["id"] = id;
    params["op"] = op;
    auto line = exchange(op, dump_json(params));
    if (!line) return line.error();
    return interpret(op, id, *line);
  }

  // Sends one request line and reads its answer line.
  DutResult<std::string> exchange(std::string_view op, const std::string& request) {
    const Deadline deadline = Clock::now() + options_.request_timeout;
    ChannelStatus st = channel_->write_line(request, deadline);
    if (!st.ok()) return fail_channel(op, st, "sending the request");
    std::string line;
    st = channel_->read_line(line, deadline);
    if (!st.ok()) return fail_channel(op, st, "waiting for the answer");
    return line;
  }

  // The result of the answer `line` to request `id`, or the error it reports or is.
  DutResult<json> interpret(std::string_view op, uint64_t id, const std::string& line) {
    const std::string where(op);
    json answer = json::parse(line, nullptr, false);
    if (answer.is_discarded() || !answer.is_object()) {
      return fail_protocol(where + ": the answer is not a JSON object", line);
    }
    const auto id_it = answer.find("id");
    if (id_it == answer.end() || !id_it->is_number_unsigned() || id_it->get<uint64_t>() != id) {
      return fail_protocol(where + ": answer id " +
                               (id_it == answer.end() ? std::string("missing") : dump_json(*id_it)) +
                               ", expected " + std::to_string(id),
                           line);
    }
    const auto ok_it = answer.find("ok");
    if (ok_it == answer.end() || !ok_it->is_boolean()) {
      return fail_protocol(where + ": answer member 'ok' missing or not a boolean", line);
    }
    if (!ok_it->get<bool>()) {
      const auto err_it = answer.find("error");
      if (err_it == answer.end()) {
        return fail_protocol(where + ": answer with ok=false has no 'error' object", line);
      }
      auto reported = protocol::error_from_json(*err_it, where);
      if (!reported) return fail_protocol(reported.error().message, line);
      return std::move(reported->error);
    }
    const auto result_it = answer.find("result");
    if (result_it == answer.end() || !result_it->is_object()) {
      return fail_protocol(where + ": answer member 'result' missing or not an object", line);
    }
    return std::move(*result_it);
  }

  // Polite end: `close`, then EOF on stdin, then SIGKILL if the agent lingers.
  void shut_down() {
    if (channel_) {
      const Deadline deadline =
          Clock::now() + std::min<std::chrono::milliseconds>(options_.request_timeout,
                                                             std::chrono::milliseconds(1000));
      json request{{"id", ++next_id_}, {"op", protocol::kClose}};
      if (channel_->write_line(dump_json(request), deadline).ok()) {
        std::string ignored;
        channel_->read_line(ignored, deadline);
      }
    }
    channel_.reset();
    if (child_) {
      child_->close_stdin();
      child_->wait_exit(std::chrono::milliseconds(500));
      child_->kill_and_reap();
      child_.reset();
    }
    if (socket_ >= 0) ::close(socket_);
    socket_ = -1;
  }

  ProcessEndpoint endpoint_;
  ProcessOptions options_;
  std::unique_ptr<ChildProcess> child_;
  int socket_ = -1;
  std::unique_ptr<LineChannel> channel_;
  uint64_t next_id_ = 0;
  std::string name_;
  DutFeatures features_;
  std::string last_failure_;
};

}  // namespace

DutResult<std::unique_ptr<DutAdapter>> open_process(const ProcessEndpoint& endpoint,
                                                    const ProcessOptions& options) {
  auto adapter = std::make_unique<ProcessAdapter>(endpoint, options);
  if (auto started = adapter->start(); !started) return started.error();
  return std::unique_ptr<DutAdapter>(std::move(adapter));
}

}  // namespace cts::dut
