// Request dispatch of the agent (docs/process-protocol.md §3).
#include "runner/dut/agent_server.h"

#include <sys/socket.h>
#include <unistd.h>

#include <cerrno>
#include <optional>

#include <nlohmann/json.hpp>

#include "runner/dut/line_channel.h"
#include "runner/dut/oid_set_line.h"
#include "runner/dut/plugin_adapter.h"
#include "runner/dut/protocol.h"

namespace cts::dut {
namespace {

using nlohmann::json;

std::string dump_json(const json& j) {
  return j.dump(-1, ' ', false, json::error_handler_t::replace);
}

json ok_answer(const json& id, json result) {
  return {{"id", id}, {"ok", true}, {"result", std::move(result)}};
}

json error_answer(const json& id, const DutError& error) {
  return {{"id", id}, {"ok", false}, {"error", protocol::error_to_json(error)}};
}

DutError protocol_error(std::string message) {
  return DutError{DutErrorKind::protocol_error, std::move(message), {}};
}

class Session {
 public:
  Session(const DeviceOpener& opener, const AgentOptions& options)
      : opener_(opener), options_(options) {}

  // The answer to one request, and whether the session ends after it.
  json handle(const json& request, bool& end) {
    // Only a usable id (an unsigned integer) is repeated; anything else is answered with null
    // (docs/process-protocol.md §3.1), so a runner never matches an answer to a garbled id.
    const auto id_it = request.find("id");
    const bool id_usable = id_it != request.end() && id_it->is_number_unsigned();
    const json id = id_usable ? *id_it : json(nullptr);
    const auto op_it = request.find("op");
    if (op_it == request.end() || !op_it->is_string()) {
      return error_answer(id, protocol_error("request member 'op' missing or not a string"));
    }
    const std::string op = op_it->get<std::string>();
    if (!id_usable) {
      return error_answer(id, protocol_error(op + ": request member 'id' missing or not an "
                                                  "unsigned integer"));
    }
    if (op == protocol::kClose) {
      end = true;
      device_.reset();
      return ok_answer(id, json::object());
    }
    if (op == protocol::kHello) return hello(id, request);
    if (!device_) {
      return error_answer(id, protocol_error(op + ": no device is open; send hello first"));
    }
    auto answer = dispatch(op, request);
    if (!answer) return error_answer(id, answer.error());
    return ok_answer(id, std::move(*answer));
  }

  // The answer line to an oid_set read by read_oid_set_request_line, when a device is open;
  // nothing otherwise (the request then takes the generic path, which says why).
  std::optional<std::string> handle_oid_set(const OidSetRequestLine& request) {
    if (!device_) return std::nullopt;
    auto reply = device_->oid_set(request.oid, request.buffer);
    if (!reply) return dump_json(error_answer(json(request.id), reply.error()));
    return oid_set_answer_line(request.id, *reply);
  }

 private:
  json hello(const json& id, const json& request) {
    auto hello = protocol::hello_from_json(request);
    if (!hello) return error_answer(id, hello.error());
    if (hello->protocol != protocol::kVersion) {
      return error_answer(id, DutError{DutErrorKind::unsupported,
                                       "hello: protocol version " +
                                           std::to_string(hello->protocol) +
                                           " requested; this agent speaks version " +
                                           std::to_string(protocol::kVersion),
                                       {}});
    }
    device_.reset();  // a second hello starts over with a fresh instance
    const std::string config = hello->config ? dump_json(*hello->config) : options_.default_config;
    auto device = opener_(config);
    if (!device) return error_answer(id, device.error());
    device_ = std::move(*device);
    protocol::HelloReply reply;
    reply.device = device_->name();
    reply.operations = {std::string(protocol::kQueryCapabilities), std::string(protocol::kOidSet),
                        std::string(protocol::kSend),  std::string(protocol::kReceive),
                        std::string(protocol::kReset), std::string(protocol::kClose)};
    const DutFeatures features = device_->features();
    if (features.dump) reply.operations.emplace_back(protocol::kDump);
    if (features.request_sa_delete) reply.operations.emplace_back(protocol::kRequestSaDelete);
    return ok_answer(id, protocol::hello_reply_to_json(reply));
  }

  DutResult<json> dispatch(const std::string& op, const json& request) {
    if (op == protocol::kQueryCapabilities) {
      auto caps = device_->query_capabilities();
      if (!caps) return caps.error();
      return protocol::capabilities_to_json(*caps);
    }
    if (op == protocol::kOidSet) {
      auto parsed = protocol::oid_set_from_json(request);
      if (!parsed) return parsed.error();
      auto reply = device_->oid_set(parsed->oid, parsed->buffer);
      if (!reply) return reply.error();
      return protocol::oid_reply_to_json(*reply);
    }
    if (op == protocol::kSend) {
      auto parsed = protocol::send_from_json(request);
      if (!parsed) return parsed.error();
      auto reply = device_->send(parsed->frame, parsed->oob);
      if (!reply) return reply.error();
      return protocol::send_reply_to_json(*reply);
    }
    if (op == protocol::kReceive) {
      auto frame = protocol::receive_from_json(request);
      if (!frame) return frame.error();
      auto reply = device_->receive(*frame);
      if (!reply) return reply.error();
      return protocol::receive_reply_to_json(*reply);
    }
    if (op == protocol::kDump) {
      auto table = device_->dump();
      if (!table) return table.error();
      if (!*table) {
        return DutError{DutErrorKind::unsupported, "dump: the device does not offer this operation",
                        {}};
      }
      return protocol::dump_reply_to_json(**table);
    }
    if (op == protocol::kRequestSaDelete) {
      auto spi = protocol::request_sa_delete_from_json(request);
      if (!spi) return spi.error();
      auto done = device_->request_sa_delete(*spi);
      if (!done) return done.error();
      return json::object();
    }
    if (op == protocol::kReset) {
      auto done = device_->reset();
      if (!done) return done.error();
      return json::object();
    }
    return DutError{DutErrorKind::unsupported, "unknown operation '" + op + "'", {}};
  }

  const DeviceOpener& opener_;
  const AgentOptions& options_;
  std::unique_ptr<DutAdapter> device_;
};

}  // namespace

DeviceOpener vtable_opener(const ipsec_cts_dut_vtable* vtable, std::string description) {
  return [vtable, description = std::move(description)](const std::string& config) {
    return open_plugin_vtable(vtable, config, description);
  };
}

DeviceOpener plugin_opener(std::string path) {
  return [path = std::move(path)](const std::string& config) { return open_plugin(path, config); };
}

AgentServer::AgentServer(DeviceOpener opener, AgentOptions options)
    : opener_(std::move(opener)), options_(std::move(options)) {}

int AgentServer::serve(int in_fd, int out_fd) {
  LineChannel channel(in_fd, out_fd, options_.max_line_bytes);
  Session session(opener_, options_);
  std::string line;
  for (;;) {
    const ChannelStatus st = channel.read_line(line, std::nullopt);
    if (st.kind == ChannelStatus::Kind::eof) return 0;
    if (st.kind == ChannelStatus::Kind::too_long) {
      const json answer = error_answer(
          nullptr, protocol_error("request line longer than " +
                                  std::to_string(options_.max_line_bytes) + " bytes"));
      channel.write_line(dump_json(answer), Clock::now() + std::chrono::seconds(5));
      return 1;
    }
    if (!st.ok()) return 1;
    if (line.empty()) continue;
    if (auto fast = read_oid_set_request_line(line)) {
      if (auto answer_line = session.handle_oid_set(*fast)) {
        if (!channel.write_line(*answer_line, std::nullopt).ok()) return 1;
        continue;
      }
    }
    bool end = false;
    json answer;
    const json request = json::parse(line, nullptr, false);
    if (request.is_discarded() || !request.is_object()) {
      answer = error_answer(nullptr, protocol_error("request is not a JSON object"));
    } else {
      answer = session.handle(request, end);
    }
    if (!channel.write_line(dump_json(answer), std::nullopt).ok()) return 1;
    if (end) return 0;
  }
}

int serve_tcp(AgentServer& server, int listen_fd, size_t max_sessions) {
  for (size_t served = 0; max_sessions == 0 || served < max_sessions; ++served) {
    int fd;
    do {
      fd = ::accept4(listen_fd, nullptr, nullptr, SOCK_CLOEXEC);
    } while (fd < 0 && errno == EINTR);
    if (fd < 0) return 1;
    server.serve(fd, fd);
    ::close(fd);
  }
  return 0;
}

}  // namespace cts::dut
