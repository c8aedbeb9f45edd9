// The oid_set exchange of the process protocol written and read straight from its text. A
// capacity run makes a million of them per case; building and walking a JSON tree for each line
// on both ends (the buffer as 600 hex characters, escaped, lexed and copied character by
// character) was most of the processor time of a run through an agent.
//
// The lines are exactly those the generic JSON path writes (members in name order, compact), so
// nothing on the wire changes. A reader accepts only that exact form and answers nothing for any
// other text, which the caller then reads as JSON as before: the fast path never judges a line
// the generic path would read differently.
#pragma once

#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "runner/dut/dut_adapter.h"

namespace cts::dut {

// {"buffer":"<hex>","id":<id>,"oid":<oid>,"op":"oid_set"}
std::string oid_set_request_line(uint64_t id, uint32_t oid, std::span<const uint8_t> buffer);

struct OidSetRequestLine {
  uint64_t id = 0;
  uint32_t oid = 0;
  std::vector<uint8_t> buffer;
};
std::optional<OidSetRequestLine> read_oid_set_request_line(std::string_view line);

// {"id":<id>,"ok":true,"result":{"buffer":"<hex>","bytes_needed":n,"bytes_read":r,"status":s}}
std::string oid_set_answer_line(uint64_t id, const OidReply& reply);

struct OidSetAnswerLine {
  uint64_t id = 0;
  OidReply reply;
};
std::optional<OidSetAnswerLine> read_oid_set_answer_line(std::string_view line);

}  // namespace cts::dut
