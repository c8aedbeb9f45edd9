// An agent that speaks the process protocol badly on request, for the failure-handling tests of
// the process adapter. Usage: cts_fake_agent MODE. It answers `hello` correctly (except in the
// hello modes) and misbehaves on the first other request according to MODE:
//   ok               answers reset / query_capabilities / send correctly (send echoes the frame)
//   crash            writes half an answer and a line on stderr, then raises SIGSEGV
//   hang             writes a line on stderr, then sleeps forever
//   close_stdout     closes stdout and sleeps forever
//   exit             exits with status 3 without answering
//   non_json         answers a line that is not JSON
//   wrong_id         answers with another id
//   missing_fields   answers send without completion_status
//   huge_line        answers 2 MiB without a newline
//   error_object     answers ok=false with a well-formed device_error, then behaves like ok
//   bad_error_object answers ok=false with "error": "oops"
//   bad_hello        answers hello with protocol version 2
//   noise_before_hello  prints a banner on stdout before the hello answer
#include <signal.h>
#include <unistd.h>

#include <cstdio>
#include <iostream>
#include <string>

#include <nlohmann/json.hpp>

using nlohmann::json;

namespace {

void answer(const json& j) { std::cout << j.dump() << "\n" << std::flush; }

[[noreturn]] void sleep_forever() {
  for (;;) pause();
}

json capabilities_result() {
  // NDIS_IPSEC_OFFLOAD_V2: IEEE_802_3, Esp, Transport, Tunnel; SHA_1; AES_CBC_128; capacity 4.
  return {{"ipsec_offload_v2",
           "02000000" "00000000" "01000101" "00000000" "00000000" "02000000" "40000000" "04000000"},
          {"inbound_bundle_capacity", 0},
          {"outbound_bundle_capacity", 0},
          {"inbound_dest_address_capacity", 0},
          {"spi_min", 0},
          {"spi_max", 0},
          {"gcm_key_includes_salt", false}};
}

}  // namespace

int main(int argc, char** argv) {
  const std::string mode = argc > 1 ? argv[1] : "ok";
  bool misbehaved = false;
  std::string line;
  while (std::getline(std::cin, line)) {
    const json request = json::parse(line, nullptr, false);
    if (request.is_discarded()) return 2;
    const json id = request.value("id", json());
    const std::string op = request.value("op", "");
    if (op == "hello") {
      if (mode == "noise_before_hello") std::cout << "fake agent 1.0 starting\n";
      const unsigned version = mode == "bad_hello" ? 2u : 1u;
      answer({{"id", id},
              {"ok", true},
              {"result",
               {{"protocol", version},
                {"device", "fake-agent"},
                {"operations", {"query_capabilities", "oid_set", "send", "receive", "reset",
                                "close"}}}}});
      continue;
    }
    if (op == "close") {
      answer({{"id", id}, {"ok", true}, {"result", json::object()}});
      return 0;
    }
    if (!misbehaved) {
      misbehaved = true;
      if (mode == "crash") {
        std::cout << "{\"id\":" << std::flush;
        std::cerr << "fake-agent: about to crash" << std::endl;
        raise(SIGSEGV);
      }
      if (mode == "hang") {
        std::cerr << "fake-agent: hanging" << std::endl;
        sleep_forever();
      }
      if (mode == "close_stdout") {
        std::fclose(stdout);
        ::close(1);
        sleep_forever();
      }
      if (mode == "exit") return 3;
      if (mode == "non_json") {
        std::cout << "this is not json" << std::endl;
        continue;
      }
      if (mode == "wrong_id") {
        answer({{"id", id.get<uint64_t>() + 7}, {"ok", true}, {"result", json::object()}});
        continue;
      }
      if (mode == "missing_fields" && op == "send") {
        answer({{"id", id}, {"ok", true}, {"result", {{"frames", json::array()}}}});
        continue;
      }
      if (mode == "huge_line") {
        std::cout << std::string(2u << 20, 'x') << std::flush;
        sleep_forever();
      }
      if (mode == "error_object") {
        answer({{"id", id},
                {"ok", false},
                {"error", {{"kind", "device_error"}, {"message", "ring stalled"}, {"raw", "E42"}}}});
        continue;
      }
      if (mode == "bad_error_object") {
        answer({{"id", id}, {"ok", false}, {"error", "oops"}});
        continue;
      }
    }
    if (op == "reset") {
      answer({{"id", id}, {"ok", true}, {"result", json::object()}});
    } else if (op == "query_capabilities") {
      answer({{"id", id}, {"ok", true}, {"result", capabilities_result()}});
    } else if (op == "send") {
      answer({{"id", id},
              {"ok", true},
              {"result", {{"completion_status", 0}, {"frames", {request["frame"]}}}}});
    } else {
      answer({{"id", id},
              {"ok", false},
              {"error", {{"kind", "unsupported"}, {"message", "fake agent: " + op}}}});
    }
  }
  return 0;
}
