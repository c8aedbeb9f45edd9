// The device-under-test layer as the runner sees it: one C++ interface, DutAdapter, over every
// kind of device (a plugin loaded in-process, a plugin isolated in a child agent, an agent
// speaking the process protocol on stdio or TCP, the oracle itself).
//
// The device is untrusted. Every answer is checked before it reaches the runner; a device that
// crashes, hangs, answers garbage or breaks the ABI yields a DutError value (never an exception)
// that says what it did and carries what it said, so the runner can record an ERROR verdict,
// restart() the device and continue with the next case.
//
// Buffers cross this interface in the x64 layout of the NDIS structures with every `Next` member
// written as an OFFSET from the start of the buffer (cts::ndis::NextLinks{0}, as produced by
// cts::ndis::encode_add_sa(request, Abi::x64, NextLinks{0})). Adapters translate to live pointers
// for in-process devices and back; the process protocol carries offsets unchanged.
//
// An adapter is used from one thread at a time (dut.h: the runner calls a device from one thread).
#pragma once

#include <array>
#include <chrono>
#include <cstddef>
#include <cstdint>
#include <memory>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <utility>
#include <variant>
#include <vector>

#include "oracle/ndis/constants.h"
#include "oracle/ndis/model.h"

namespace cts::dut {

// ---------------------------------------------------------------------------------------------
// Errors

enum class DutErrorKind : uint8_t {
  unsupported,       // the device does not implement the operation (IPSEC_CTS_ERR_UNSUPPORTED,
                     // or the operation is absent from the agent's `hello` list)
  invalid_argument,  // the call was malformed (IPSEC_CTS_ERR_INVALID_ARGUMENT; bad device spec)
  device_error,      // the device failed internally (IPSEC_CTS_ERR_DEVICE, open failure,
                     // a plugin that cannot be loaded or has the wrong ABI version)
  crashed,           // the device process died while a request was outstanding
  timeout,           // no complete answer within the per-request timeout (the device is killed)
  protocol_error,    // the device broke the ABI or the protocol: bad JSON, wrong id, missing or
                     // out-of-range fields, frames outside the buffers it was given, corrupted
                     // Next links, an unknown result code, an over-long line
  closed,            // the channel is closed (EOF from the device, or the adapter is unusable
                     // after an earlier failure until restart())
};

std::string_view to_string(DutErrorKind kind);

struct DutError {
  DutErrorKind kind = DutErrorKind::device_error;
  std::string message;  // what happened, naming the operation and the field ("send: frame 3 ...")
  std::string raw;      // what the device said: last_error() text, the offending line (truncated),
                        // the tail of a child's stderr. May be empty.

  std::string to_string() const;  // "timeout: send: no answer within 5000 ms [raw: ...]"
};

// Value-or-error (no std::expected in this toolchain).
template <typename T>
class DutResult {
 public:
  DutResult(T value) : v_(std::in_place_index<0>, std::move(value)) {}      // NOLINT
  DutResult(DutError error) : v_(std::in_place_index<1>, std::move(error)) {}  // NOLINT

  bool ok() const { return v_.index() == 0; }
  explicit operator bool() const { return ok(); }
  T& value() & { return std::get<0>(v_); }
  const T& value() const& { return std::get<0>(v_); }
  T&& value() && { return std::get<0>(std::move(v_)); }
  const DutError& error() const { return std::get<1>(v_); }
  T* operator->() { return &value(); }
  const T* operator->() const { return &value(); }
  T& operator*() & { return value(); }
  const T& operator*() const& { return value(); }

 private:
  std::variant<T, DutError> v_;
};

struct Done {};  // the value of an operation that returns nothing but success
using DutStatus = DutResult<Done>;

// ---------------------------------------------------------------------------------------------
// Operation results

// ipsec_cts_capabilities, decoded. `ipsec_offload_v2_raw` is the 32-byte NDIS_IPSEC_OFFLOAD_V2
// exactly as the device reported it (padding included), `ipsec_offload_v2` its decoded fields
// (cts::ndis::decode_capabilities).
struct Capabilities {
  ndis::IpsecOffloadV2Capabilities ipsec_offload_v2;
  std::array<uint8_t, 32> ipsec_offload_v2_raw{};
  uint32_t inbound_bundle_capacity = 0;   // 0 = shares SaOffloadCapacity
  uint32_t outbound_bundle_capacity = 0;  // 0 = shares SaOffloadCapacity
  uint32_t inbound_dest_address_capacity = 0;  // 0 = not separately limited
  uint32_t spi_min = 0;  // both 0 = any non-zero SPI
  uint32_t spi_max = 0;
  bool gcm_key_includes_salt = false;  // OQ-07
};

struct OidReply {
  ndis::NdisStatus status = 0;  // the NDIS_STATUS the device returned (any value; judged later)
  uint32_t bytes_read = 0;      // BytesRead
  uint32_t bytes_needed = 0;    // BytesNeeded
  // The written-back InformationBuffer (same length as the request), Next members as offsets
  // again. Handles are read from it with cts::ndis::offload_handle_offset /
  // list_element_offsets.
  std::vector<uint8_t> buffer;
};

struct SendReply {
  ndis::NdisStatus completion_status = 0;  // NBL completion status (SEND-006)
  std::vector<std::vector<uint8_t>> frames;  // wire frames, in order (several with LSO)
};

struct ReceiveReply {
  bool indicated = false;      // RECV-012: the frame was indicated to the stack
  std::vector<uint8_t> frame;  // the indicated frame (empty when not indicated)
  ndis::ReceiveOob oob;        // slot 1 and slot 12 receive views, exactly as reported
};

// Which optional operations the device offers. The mandatory ones (query_capabilities, oid_set,
// send, receive, reset) may still answer `unsupported` at call time.
struct DutFeatures {
  bool dump = false;
  bool request_sa_delete = false;
};

// ---------------------------------------------------------------------------------------------
// The interface

class DutAdapter {
 public:
  virtual ~DutAdapter() = default;

  // Short device name for reports (the vtable's `name`, the agent's `hello` answer, "oracle").
  virtual std::string name() const = 0;
  // How the device is reached, for evidence ("plugin:/path/libx.so (isolated)", "tcp:...").
  virtual std::string description() const = 0;
  virtual DutFeatures features() const = 0;

  virtual DutResult<Capabilities> query_capabilities() = 0;

  // An OID set request. `request` is InformationBuffer (x64 layout, Next as offsets); the adapter
  // copies it, so the caller's bytes are never modified. Devices receive live Next pointers
  // (plugins) or offsets (agents); a device that alters a Next member is a protocol_error.
  virtual DutResult<OidReply> oid_set(uint32_t oid, std::span<const uint8_t> request) = 0;

  virtual DutResult<SendReply> send(std::span<const uint8_t> frame, const ndis::SendOob& oob) = 0;
  virtual DutResult<ReceiveReply> receive(std::span<const uint8_t> frame) = 0;

  // The device's SA table as JSON text (docs/dut-abi.md gives the shape), validated to be one
  // JSON object; std::nullopt when the device does not offer the operation.
  virtual DutResult<std::optional<std::string>> dump() = 0;

  // Optional (features().request_sa_delete): have the device set SaDeleteReq on the next packet
  // it receives on the inbound SA with this SPI (RECV-018). `unsupported` when not offered.
  virtual DutStatus request_sa_delete(uint32_t spi) = 0;

  // Delete every SA: the state right after open.
  virtual DutStatus reset() = 0;

  // Throw the instance away and open a fresh one (a new child process, a new connection, a new
  // plugin instance). The way back after crashed / timeout / protocol_error / closed.
  virtual DutStatus restart() = 0;
};

// ---------------------------------------------------------------------------------------------
// Construction

// A parsed device spec:
//   softnic               the bundled plugin: <dir of /proc/self/exe>/../lib/libipsec_cts_softnic.so
//   softnic-full          its SOFTNIC_FULL build: .../lib/libipsec_cts_softnic_full.so
//   oracle                the oracle itself (harness self-tests)
//   plugin:PATH           a plugin shared library
//   cmd:COMMAND LINE      an agent speaking the protocol on its stdio, started without a shell:
//                         the line is split into words as a shell would (command_line.h), with
//                         no expansion; one pair of quotes around it is dropped (cmd:'a -b')
//   tcp:HOST:PORT         an agent listening on TCP (HOST may be [v6addr])
struct DutSpec {
  enum class Kind : uint8_t { softnic, oracle, plugin, command, tcp };
  Kind kind = Kind::softnic;
  std::string path;     // plugin: the library path; softnic: the resolved bundled library path
  std::string command;  // command: the command line (split by split_command_line)
  std::string host;     // tcp
  uint16_t port = 0;    // tcp
  // "no-dump:" before the spec ("no-dump:plugin:PATH"): this device's dump is never read, as
  // with `run --no-dump`, so its verdicts are those of a black-box driver (a per-device setting).
  bool ignore_dump = false;
};

DutResult<DutSpec> parse_dut_spec(std::string_view spec);

struct DutOptions {
  // Per-request limit for devices in another process (cmd:, tcp:, isolate). In-process plugins
  // cannot be interrupted; use `isolate` for devices that may hang.
  std::chrono::milliseconds request_timeout{10000};
  // JSON object passed to the device's open() (plugin) or in `hello` (agent). Empty: "{}" for
  // plugins, no `config` member in hello (the agent's own default).
  std::string config_json;
  // Host a plugin (softnic, plugin:) in a child ipsec-cts-agent so a crashing or hanging plugin
  // cannot take the runner down; it then behaves like cmd:.
  bool isolate = false;
  // The agent executable used by `isolate`; empty: <dir of /proc/self/exe>/ipsec-cts-agent.
  std::string agent_path;
  // The `oracle` device's profile as device-profile JSON (runner/dut/profile_json.h shape); empty:
  // the oracle's default profile.
  std::string oracle_profile_json;
  // Where oracle_profile_json came from, so an error in it names the file.
  std::string oracle_profile_origin = "oracle profile";
  // Longest protocol line accepted from an agent (a longer one is a protocol_error).
  size_t max_line_bytes = 64u << 20;
  // tcp: may connect to a non-loopback address. Off by default: the process protocol is
  // unauthenticated and carries SA keys in clear (docs/process-protocol.md §6).
  bool allow_remote_device = false;
};

// Builds, opens and (for agents) greets the device. Errors: invalid_argument for a bad spec,
// device_error when the library cannot be loaded / has the wrong ABI / open fails, and the
// process errors (crashed, timeout, protocol_error, closed) during the `hello` exchange.
DutResult<std::unique_ptr<DutAdapter>> make_dut(std::string_view spec, const DutOptions& options);
DutResult<std::unique_ptr<DutAdapter>> make_dut(const DutSpec& spec, const DutOptions& options);

// <dir of /proc/self/exe>, for locating bundled files (softnic, the agent).
std::string executable_directory();

}  // namespace cts::dut
