#include "runner/dut/oid_set_line.h"

#include "runner/dut/hex.h"

namespace cts::dut {
namespace {

// A cursor over one line; every read either consumes exactly what it expects or fails.
struct Reader {
  std::string_view rest;
  bool literal(std::string_view s) {
    if (rest.substr(0, s.size()) != s) return false;
    rest.remove_prefix(s.size());
    return true;
  }
  // An unsigned JSON integer as nlohmann writes one: no sign, no leading zero, no fraction.
  bool number(uint64_t max, uint64_t& out) {
    size_t n = 0;
    uint64_t v = 0;
    while (n < rest.size() && rest[n] >= '0' && rest[n] <= '9') {
      const uint64_t d = static_cast<uint64_t>(rest[n] - '0');
      if (v > (max - d) / 10) return false;
      v = v * 10 + d;
      ++n;
    }
    if (n == 0 || (n > 1 && rest[0] == '0')) return false;
    rest.remove_prefix(n);
    out = v;
    return true;
  }
  bool u32(uint32_t& out) {
    uint64_t v = 0;
    if (!number(UINT32_MAX, v)) return false;
    out = static_cast<uint32_t>(v);
    return true;
  }
  // A quoted string of hex digits (nothing a JSON escape could change).
  bool hex(std::vector<uint8_t>& out) {
    if (!literal("\"")) return false;
    const size_t end = rest.find('"');
    if (end == std::string_view::npos) return false;
    auto bytes = from_hex(rest.substr(0, end));
    if (!bytes) return false;
    out = std::move(*bytes);
    rest.remove_prefix(end + 1);
    return true;
  }
};

void append_number(std::string& s, uint64_t v) { s += std::to_string(v); }

}  // namespace

std::string oid_set_request_line(uint64_t id, uint32_t oid, std::span<const uint8_t> buffer) {
  std::string s;
  s.reserve(buffer.size() * 2 + 64);
  s += "{\"buffer\":\"";
  s += to_hex(buffer);
  s += "\",\"id\":";
  append_number(s, id);
  s += ",\"oid\":";
  append_number(s, oid);
  s += ",\"op\":\"oid_set\"}";
  return s;
}

std::optional<OidSetRequestLine> read_oid_set_request_line(std::string_view line) {
  Reader r{line};
  OidSetRequestLine out;
  if (!r.literal("{\"buffer\":") || !r.hex(out.buffer) || !r.literal(",\"id\":") || !r.number(UINT64_MAX, out.id) ||
      !r.literal(",\"oid\":") || !r.u32(out.oid) || !r.literal(",\"op\":\"oid_set\"}") || !r.rest.empty())
    return std::nullopt;
  return out;
}

std::string oid_set_answer_line(uint64_t id, const OidReply& reply) {
  std::string s;
  s.reserve(reply.buffer.size() * 2 + 128);
  s += "{\"id\":";
  append_number(s, id);
  s += ",\"ok\":true,\"result\":{\"buffer\":\"";
  s += to_hex(reply.buffer);
  s += "\",\"bytes_needed\":";
  append_number(s, reply.bytes_needed);
  s += ",\"bytes_read\":";
  append_number(s, reply.bytes_read);
  s += ",\"status\":";
  append_number(s, reply.status);
  s += "}}";
  return s;
}

std::optional<OidSetAnswerLine> read_oid_set_answer_line(std::string_view line) {
  Reader r{line};
  OidSetAnswerLine out;
  uint32_t status = 0;
  if (!r.literal("{\"id\":") || !r.number(UINT64_MAX, out.id) || !r.literal(",\"ok\":true,\"result\":{\"buffer\":") ||
      !r.hex(out.reply.buffer) || !r.literal(",\"bytes_needed\":") || !r.u32(out.reply.bytes_needed) ||
      !r.literal(",\"bytes_read\":") || !r.u32(out.reply.bytes_read) || !r.literal(",\"status\":") ||
      !r.u32(status) || !r.literal("}}") || !r.rest.empty())
    return std::nullopt;
  out.reply.status = status;
  return out;
}

}  // namespace cts::dut
