// libFuzzer target: arbitrary text as one answer line from an agent, read the way the runner's
// process adapter reads it (runner/dut/process_adapter.cpp): a JSON object whose "error" member
// goes through error_from_json and whose "result" goes through the reader of every operation.
// Each reader either accepts or gives a protocol_error naming the member.
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <string>

#include <nlohmann/json.hpp>

#include "runner/dut/protocol.h"

namespace {

using namespace cts::dut;

template <typename T>
void expect_named(const DutResult<T>& r) {
  if (!r && r.error().message.empty()) std::abort();
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  const std::string line(reinterpret_cast<const char*>(data), size);
  const nlohmann::json answer = nlohmann::json::parse(line, nullptr, false);
  if (answer.is_discarded() || !answer.is_object()) return 0;
  if (const auto e = answer.find("error"); e != answer.end()) {
    expect_named(protocol::error_from_json(*e, "fuzz"));
  }
  const auto r = answer.find("result");
  if (r == answer.end() || !r->is_object()) return 0;
  const nlohmann::json& result = *r;
  expect_named(protocol::hello_reply_from_json(result));
  expect_named(protocol::capabilities_from_json(result));
  expect_named(protocol::oid_reply_from_json(result));
  expect_named(protocol::send_reply_from_json(result));
  expect_named(protocol::receive_reply_from_json(result));
  expect_named(protocol::dump_reply_from_json(result));
  // The agent's readers of requests take the same shapes.
  expect_named(protocol::hello_from_json(result));
  expect_named(protocol::oid_set_from_json(result));
  expect_named(protocol::send_from_json(result));
  expect_named(protocol::receive_from_json(result));
  expect_named(protocol::request_sa_delete_from_json(result));
  return 0;
}
