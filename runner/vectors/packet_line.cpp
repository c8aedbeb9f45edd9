#include "runner/vectors/packet_line.h"

#include <cstring>

#include "runner/vectors/json_fields.h"
#include "runner/vectors/sidecar.h"

namespace cts::vectors {
namespace {

void append_decimal(std::string& out, uint64_t v) {
  char buf[20];
  size_t n = 0;
  do {
    buf[sizeof buf - 1 - n++] = static_cast<char>('0' + v % 10);
    v /= 10;
  } while (v != 0);
  out.append(buf + sizeof buf - n, n);
}

}  // namespace

void append_packet_line(const PacketReport& r, std::string& out) {
  out += '#';
  append_decimal(out, r.index);
  out += r.passed() ? " PASS " : " FAIL ";
  out += verdict_label(r.verdict);
  if (r.has_esp) {
    const int seq_digits = r.esn ? 16 : 8;
    out += " spi=";
    append_hex_number(out, r.spi, 8);
    out += " seq=";
    append_hex_number(out, r.seq, seq_digits);
    if (r.esn) {
      out += " esn_high=";
      append_hex_number(out, r.seq >> 32, 8);
    }
    out += " window[top=";
    append_hex_number(out, r.window_top, seq_digits);
    out += " size=";
    append_decimal(out, r.window_size);
    out += ']';
  }
  if (r.inner_protocol) {
    out += " inner=";
    append_decimal(out, *r.inner_protocol);
  }
  if (r.expected) {
    out += " expected=";
    out += verdict_label(r.expected->expect);
  }
  if (!r.passed()) {
    out += " mismatch: ";
    out += mismatch_text(r.mismatch);
  }
  if (r.verdict != PacketVerdict::ok && r.detail && *r.detail) {
    out += " (";
    out += r.detail;
    out += ')';
  }
  out += '\n';
}

}  // namespace cts::vectors
