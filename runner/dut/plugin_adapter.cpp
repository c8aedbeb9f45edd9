// In-process plugin device (see plugin_adapter.h). Every check here exists because a vendor's
// device got it wrong once somewhere: docs/dut-abi.md lists what each one protects against.
#include "runner/dut/plugin_adapter.h"

#include <dlfcn.h>

#include <algorithm>
#include <cstring>
#include <utility>
#include <vector>

#include <nlohmann/json.hpp>

#include "oracle/ndis/codec.h"
#include "runner/dut/guard_page_buffer.h"
#include "runner/dut/next_links.h"

namespace cts::dut {
namespace {

constexpr size_t kGuardBytes = 64;
constexpr uint8_t kGuardPattern = 0xA5;
constexpr size_t kMaxOutputBytes = 64u << 20;     // the largest frame / dump buffer offered
constexpr uint32_t kMaxFrames = 65536;            // the most frames one send may produce
constexpr size_t kMaxErrorText = 4096;            // last_error() / open() text read at most
constexpr size_t kRawExcerpt = 512;               // device output quoted in an error
constexpr uint32_t kUnsetStatus = 0xFFFFFFFFu;    // out-parameter sentinel

DutError make_error(DutErrorKind kind, std::string message, std::string raw = {}) {
  return DutError{kind, std::move(message), std::move(raw)};
}

std::string bounded_text(const char* text, size_t limit) {
  if (text == nullptr) return {};
  const void* nul = std::memchr(text, '\0', limit);
  const size_t n = nul ? static_cast<size_t>(static_cast<const char*>(nul) - text) : limit;
  return std::string(text, n);
}

std::string excerpt(std::string_view text) {
  if (text.size() <= kRawExcerpt) return std::string(text);
  return std::string(text.substr(0, kRawExcerpt)) + "... (" + std::to_string(text.size()) +
         " bytes)";
}

// A byte buffer with guard bytes behind it, 8-byte aligned (OID structures hold 8-byte members).
class GuardedBuffer {
 public:
  void resize(size_t size) {
    size_ = size;
    words_.assign((size + kGuardBytes + 7) / 8, 0);
    std::memset(data() + size_, kGuardPattern, kGuardBytes);
  }
  uint8_t* data() { return reinterpret_cast<uint8_t*>(words_.data()); }
  size_t size() const { return size_; }
  // Offset of the first guard byte the device overwrote, or -1.
  long first_damaged_guard() {
    const uint8_t* guard = data() + size_;
    for (size_t i = 0; i < kGuardBytes; ++i) {
      if (guard[i] != kGuardPattern) return static_cast<long>(size_ + i);
    }
    return -1;
  }

 private:
  std::vector<uint64_t> words_;
  size_t size_ = 0;
};

// Instances stopped mid-call by a fault: never closed (their state is unknown) and never freed,
// but kept here, so the memory stays accounted for rather than lost.
std::vector<ipsec_cts_dut*>& abandoned_instances() {
  static auto* instances = new std::vector<ipsec_cts_dut*>();  // never destroyed, on purpose
  return *instances;
}

class PluginLibrary {
 public:
  explicit PluginLibrary(void* handle) : handle_(handle) {}
  ~PluginLibrary() {
    if (handle_ != nullptr) dlclose(handle_);
  }
  PluginLibrary(const PluginLibrary&) = delete;
  PluginLibrary& operator=(const PluginLibrary&) = delete;

 private:
  void* handle_;
};

class PluginAdapter final : public DutAdapter {
 public:
  PluginAdapter(std::shared_ptr<PluginLibrary> library, const ipsec_cts_dut_vtable* vtable,
                std::string config_json, std::string description)
      : library_(std::move(library)),
        vt_(vtable),
        config_(config_json.empty() ? "{}" : std::move(config_json)),
        description_(std::move(description)) {
    name_ = bounded_text(vt_->name, 256);
    if (name_.empty()) name_ = description_;
  }
  ~PluginAdapter() override { close_instance(); }

  DutStatus open_instance() {
    char err[1024];
    std::memset(err, 0, sizeof(err));
    ipsec_cts_dut* instance = nullptr;
    const int r = vt_->open(config_.c_str(), &instance, err, sizeof(err));
    err[sizeof(err) - 1] = '\0';
    if (r != IPSEC_CTS_OK || instance == nullptr) {
      if (r == IPSEC_CTS_OK && instance == nullptr) {
        return make_error(DutErrorKind::protocol_error,
                          "open: returned IPSEC_CTS_OK but no instance", err);
      }
      if (instance != nullptr) vt_->close(instance);
      return make_error(DutErrorKind::device_error,
                        "open: " + result_name(r) + " with config " + excerpt(config_), err);
    }
    dut_ = instance;
    return Done{};
  }

  std::string name() const override { return name_; }
  std::string description() const override { return description_; }
  DutFeatures features() const override {
    return DutFeatures{vt_->dump != nullptr, vt_->request_sa_delete != nullptr};
  }

  DutResult<Capabilities> query_capabilities() override {
    if (dut_ == nullptr) return closed("query_capabilities");
    ipsec_cts_capabilities caps;
    std::memset(&caps, 0, sizeof(caps));
    caps.struct_size = sizeof(caps);
    const int r = vt_->query_capabilities(dut_, &caps);
    if (r != IPSEC_CTS_OK) return call_failed("query_capabilities", r);
    if (caps.struct_size != sizeof(caps)) {
      return make_error(DutErrorKind::protocol_error,
                        "query_capabilities: struct_size changed from " +
                            std::to_string(sizeof(caps)) + " to " +
                            std::to_string(caps.struct_size) + " (it is set by the caller)");
    }
    if (caps.gcm_key_includes_salt > 1) {
      return make_error(DutErrorKind::protocol_error,
                        "query_capabilities: gcm_key_includes_salt is " +
                            std::to_string(caps.gcm_key_includes_salt) + " (must be 0 or 1)");
    }
    auto decoded = ndis::decode_capabilities(std::span<const uint8_t>(caps.ipsec_offload_v2, 32));
    if (const auto* e = std::get_if<ndis::DecodeError>(&decoded)) {
      return make_error(DutErrorKind::protocol_error,
                        "query_capabilities: NDIS_IPSEC_OFFLOAD_V2." + e->field + ": " + e->message);
    }
    Capabilities out;
    out.ipsec_offload_v2 = std::get<ndis::IpsecOffloadV2Capabilities>(decoded);
    std::memcpy(out.ipsec_offload_v2_raw.data(), caps.ipsec_offload_v2, 32);
    out.inbound_bundle_capacity = caps.inbound_bundle_capacity;
    out.outbound_bundle_capacity = caps.outbound_bundle_capacity;
    out.inbound_dest_address_capacity = caps.inbound_dest_address_capacity;
    out.spi_min = caps.spi_min;
    out.spi_max = caps.spi_max;
    out.gcm_key_includes_salt = caps.gcm_key_includes_salt == 1;
    return out;
  }

  DutResult<OidReply> oid_set(uint32_t oid, std::span<const uint8_t> request) override {
    if (dut_ == nullptr) return closed("oid_set");
    if (request.size() > UINT32_MAX) {
      return make_error(DutErrorKind::invalid_argument, "oid_set: buffer longer than 4 GiB");
    }
    const auto length = static_cast<uint32_t>(request.size());
    uint8_t* live = oid_buffer_.prepare(request.size());
    if (live == nullptr) {
      return make_error(DutErrorKind::invalid_argument,
                        "oid_set: no memory for a buffer of " + std::to_string(length) + " bytes");
    }
    if (!request.empty()) std::memcpy(live, request.data(), request.size());
    const std::span<uint8_t> view(live, request.size());
    const uint64_t base = reinterpret_cast<uintptr_t>(live);
    // Offsets -> live pointers, exactly as a miniport receives InformationBuffer (dut.h).
    const NextLinkMap links = map_next_links(request, oid, 0);
    rebase_next_slots(view, links, 0, base);

    uint32_t status = kUnsetStatus;
    uint32_t bytes_read = 0;
    uint32_t bytes_needed = 0;
    int r = IPSEC_CTS_OK;
    const std::optional<GuardFault> fault = oid_buffer_.run(
        [&] { r = vt_->oid_set(dut_, oid, live, length, &status, &bytes_read, &bytes_needed); });
    if (fault) {
      // The device's own state is unknown after it was stopped mid-call: the instance is
      // abandoned, not closed; restart() opens a fresh one.
      abandoned_instances().push_back(dut_);
      dut_ = nullptr;
      return make_error(DutErrorKind::crashed,
                        std::string("oid_set: the device ") + (fault->write ? "wrote" : "reached") +
                            " past the end of InformationBuffer (length " + std::to_string(length) +
                            ") at offset " + std::to_string(fault->offset) +
                            ", caught by the guard page behind the buffer; the instance was "
                            "abandoned");
    }
    if (const long at = oid_buffer_.first_damaged_canary(); at >= 0) {
      return make_error(DutErrorKind::protocol_error,
                        "oid_set: the device wrote past the end of InformationBuffer (length " +
                            std::to_string(length) + ") at offset " + std::to_string(at));
    }
    if (r != IPSEC_CTS_OK) return call_failed("oid_set", r);
    if (auto altered = find_altered_next(view, links, 0, base)) {
      return make_error(DutErrorKind::protocol_error,
                        "oid_set: the device modified the request's Next links: " + *altered);
    }
    rebase_next_slots(view, links, 0, 0);  // the caller's offsets again
    OidReply reply;
    reply.status = status;
    reply.bytes_read = bytes_read;
    reply.bytes_needed = bytes_needed;
    reply.buffer.assign(live, live + request.size());
    return reply;
  }

  DutResult<SendReply> send(std::span<const uint8_t> frame, const ndis::SendOob& oob) override {
    if (dut_ == nullptr) return closed("send");
    ipsec_cts_send_oob c_oob{oob.offload_handle, oob.tunnel_handle, oob.header_info, oob.lso_mss};
    size_t capacity = std::max<size_t>(4 * frame.size() + 4096, 16384);
    uint32_t max_frames = 64;
    if (oob.lso_mss != 0) {
      max_frames = static_cast<uint32_t>(
          std::min<size_t>(kMaxFrames, frame.size() / oob.lso_mss + 64));
    }
    for (;;) {
      data_.resize(capacity);
      lengths_.assign(max_frames + kGuardBytes / sizeof(size_t), SIZE_MAX);
      ipsec_cts_frame_list list{data_.data(), capacity, lengths_.data(), max_frames, 0};
      const ipsec_cts_frame_list given = list;
      uint32_t completion = kUnsetStatus;
      const int r =
          vt_->send(dut_, frame.data(), frame.size(), &c_oob, &list, &completion);
      if (auto e = check_frame_list_untouched("send", list, given)) return *e;
      if (r == IPSEC_CTS_ERR_BUFFER_TOO_SMALL) {
        if (capacity >= kMaxOutputBytes && max_frames >= kMaxFrames) {
          return make_error(DutErrorKind::protocol_error,
                            "send: BUFFER_TOO_SMALL even with " + std::to_string(capacity) +
                                " bytes and " + std::to_string(max_frames) + " frames",
                            last_error());
        }
        capacity = std::min(kMaxOutputBytes, capacity * 4);
        max_frames = std::min(kMaxFrames, max_frames * 4);
        continue;
      }
      if (r != IPSEC_CTS_OK) return call_failed("send", r);
      if (completion == kUnsetStatus) {
        return make_error(DutErrorKind::protocol_error,
                          "send: completion_status was not written");
      }
      if (list.frame_count > max_frames) {
        return make_error(DutErrorKind::protocol_error,
                          "send: frame_count " + std::to_string(list.frame_count) +
                              " exceeds max_frames " + std::to_string(max_frames));
      }
      SendReply reply;
      reply.completion_status = completion;
      size_t used = 0;
      for (uint32_t i = 0; i < list.frame_count; ++i) {
        const size_t n = lengths_[i];
        if (n > capacity - used) {
          return make_error(DutErrorKind::protocol_error,
                            "send: frame " + std::to_string(i) + " of length " +
                                std::to_string(n) + " ends past data_capacity " +
                                std::to_string(capacity) + " (bytes already used: " +
                                std::to_string(used) + ")");
        }
        reply.frames.emplace_back(data_.data() + used, data_.data() + used + n);
        used += n;
      }
      return reply;
    }
  }

  DutResult<ReceiveReply> receive(std::span<const uint8_t> frame) override {
    if (dut_ == nullptr) return closed("receive");
    size_t capacity = std::max<size_t>(frame.size() + 1024, 2048);
    for (;;) {
      data_.resize(capacity);
      size_t out_length = SIZE_MAX;
      ipsec_cts_receive_result result{kUnsetStatus, 0, 0};
      const int r = vt_->receive(dut_, frame.data(), frame.size(), data_.data(),
                                              capacity, &out_length, &result);
      if (const long at = data_.first_damaged_guard(); at >= 0) {
        return make_error(DutErrorKind::protocol_error,
                          "receive: the device wrote past out_capacity " +
                              std::to_string(capacity) + " at offset " + std::to_string(at));
      }
      if (r == IPSEC_CTS_ERR_BUFFER_TOO_SMALL) {
        if (capacity >= kMaxOutputBytes) {
          return make_error(DutErrorKind::protocol_error,
                            "receive: BUFFER_TOO_SMALL even with " + std::to_string(capacity) +
                                " bytes",
                            last_error());
        }
        const size_t wanted = out_length > capacity && out_length != SIZE_MAX ? out_length
                                                                              : capacity * 4;
        capacity = std::min(kMaxOutputBytes, wanted);
        continue;
      }
      if (r != IPSEC_CTS_OK) return call_failed("receive", r);
      if (result.indicated > 1) {
        return make_error(DutErrorKind::protocol_error,
                          "receive: indicated is " + std::to_string(result.indicated) +
                              " (must be 0 or 1)");
      }
      ReceiveReply reply;
      reply.indicated = result.indicated == 1;
      reply.oob.ipsec_info = result.ipsec_info;
      reply.oob.header_info = result.header_info;
      if (reply.indicated) {
        if (out_length > capacity) {
          return make_error(DutErrorKind::protocol_error,
                            "receive: out_length " +
                                (out_length == SIZE_MAX ? std::string("was not written")
                                                        : std::to_string(out_length)) +
                                " exceeds out_capacity " + std::to_string(capacity));
        }
        reply.frame.assign(data_.data(), data_.data() + out_length);
      }
      return reply;
    }
  }

  DutResult<std::optional<std::string>> dump() override {
    if (dut_ == nullptr) return closed("dump");
    if (vt_->dump == nullptr) return std::optional<std::string>();
    size_t capacity = 65536;
    for (;;) {
      data_.resize(capacity);
      size_t needed = 0;
      auto* text = reinterpret_cast<char*>(data_.data());
      const int r = vt_->dump(dut_, text, capacity, &needed);
      if (const long at = data_.first_damaged_guard(); at >= 0) {
        return make_error(DutErrorKind::protocol_error,
                          "dump: the device wrote past capacity " + std::to_string(capacity) +
                              " at offset " + std::to_string(at));
      }
      if (r == IPSEC_CTS_ERR_BUFFER_TOO_SMALL) {
        if (capacity >= kMaxOutputBytes) {
          return make_error(DutErrorKind::protocol_error,
                            "dump: BUFFER_TOO_SMALL even with " + std::to_string(capacity) +
                                " bytes",
                            last_error());
        }
        capacity = std::min(kMaxOutputBytes, needed > capacity ? needed + 1 : capacity * 4);
        continue;
      }
      if (r != IPSEC_CTS_OK) return call_failed("dump", r);
      const void* nul = std::memchr(text, '\0', capacity);
      if (nul == nullptr) {
        return make_error(DutErrorKind::protocol_error,
                          "dump: no NUL terminator within capacity " + std::to_string(capacity),
                          excerpt(std::string_view(text, capacity)));
      }
      std::string json(text, static_cast<size_t>(static_cast<const char*>(nul) - text));
      const auto parsed = nlohmann::json::parse(json, nullptr, false);
      if (parsed.is_discarded() || !parsed.is_object()) {
        return make_error(DutErrorKind::protocol_error, "dump: not a JSON object",
                          excerpt(json));
      }
      return std::optional<std::string>(std::move(json));
    }
  }

  DutStatus request_sa_delete(uint32_t spi) override {
    if (dut_ == nullptr) return closed("request_sa_delete");
    if (vt_->request_sa_delete == nullptr) {
      return make_error(DutErrorKind::unsupported,
                        "request_sa_delete: the device does not offer this operation");
    }
    const int r = vt_->request_sa_delete(dut_, spi);
    if (r != IPSEC_CTS_OK) return call_failed("request_sa_delete", r);
    return Done{};
  }

  DutStatus reset() override {
    if (dut_ == nullptr) return closed("reset");
    const int r = vt_->reset(dut_);
    if (r != IPSEC_CTS_OK) return call_failed("reset", r);
    return Done{};
  }

  DutStatus restart() override {
    close_instance();
    return open_instance();
  }

 private:
  void close_instance() {
    if (dut_ != nullptr) vt_->close(dut_);
    dut_ = nullptr;
  }

  // Results are held as int: a device may return any value, and an out-of-range enum value is
  // undefined behaviour in C++ once it sits in an enum variable.
  static std::string result_name(int r) {
    switch (r) {
      case IPSEC_CTS_OK: return "IPSEC_CTS_OK";
      case IPSEC_CTS_ERR_UNSUPPORTED: return "IPSEC_CTS_ERR_UNSUPPORTED";
      case IPSEC_CTS_ERR_INVALID_ARGUMENT: return "IPSEC_CTS_ERR_INVALID_ARGUMENT";
      case IPSEC_CTS_ERR_BUFFER_TOO_SMALL: return "IPSEC_CTS_ERR_BUFFER_TOO_SMALL";
      case IPSEC_CTS_ERR_DEVICE: return "IPSEC_CTS_ERR_DEVICE";
    }
    return "unknown result " + std::to_string(r);
  }

  std::string last_error() {
    if (dut_ == nullptr) return {};
    return bounded_text(vt_->last_error(dut_), kMaxErrorText);
  }

  DutError closed(const char* op) const {
    return make_error(DutErrorKind::closed,
                      std::string(op) + ": no open instance (open or restart failed)");
  }

  DutError call_failed(const char* op, int r) {
    const std::string what = std::string(op) + ": " + result_name(r);
    switch (r) {
      case IPSEC_CTS_ERR_UNSUPPORTED:
        return make_error(DutErrorKind::unsupported, what, last_error());
      case IPSEC_CTS_ERR_INVALID_ARGUMENT:
        return make_error(DutErrorKind::invalid_argument, what, last_error());
      case IPSEC_CTS_ERR_DEVICE:
        return make_error(DutErrorKind::device_error, what, last_error());
      case IPSEC_CTS_ERR_BUFFER_TOO_SMALL:
        return make_error(DutErrorKind::protocol_error,
                          what + " from an operation without an output buffer", last_error());
      case IPSEC_CTS_OK:
        break;
    }
    return make_error(DutErrorKind::protocol_error, what, last_error());
  }

  std::optional<DutError> check_frame_list_untouched(const char* op,
                                                     const ipsec_cts_frame_list& after,
                                                     const ipsec_cts_frame_list& before) {
    if (after.data != before.data || after.data_capacity != before.data_capacity ||
        after.frame_lengths != before.frame_lengths || after.max_frames != before.max_frames) {
      return make_error(DutErrorKind::protocol_error,
                        std::string(op) +
                            ": the device changed data, data_capacity, frame_lengths or "
                            "max_frames of the frame list (only frame_count is an output)");
    }
    if (const long at = data_.first_damaged_guard(); at >= 0) {
      return make_error(DutErrorKind::protocol_error,
                        std::string(op) + ": the device wrote past data_capacity " +
                            std::to_string(before.data_capacity) + " at offset " +
                            std::to_string(at));
    }
    for (size_t i = before.max_frames; i < lengths_.size(); ++i) {
      if (lengths_[i] != SIZE_MAX) {
        return make_error(DutErrorKind::protocol_error,
                          std::string(op) + ": the device wrote frame_lengths[" +
                              std::to_string(i) + "] past max_frames " +
                              std::to_string(before.max_frames));
      }
    }
    return std::nullopt;
  }

  std::shared_ptr<PluginLibrary> library_;  // keeps the code of vt_ mapped
  const ipsec_cts_dut_vtable* vt_;
  std::string config_;
  std::string description_;
  std::string name_;
  ipsec_cts_dut* dut_ = nullptr;
  GuardPageBuffer oid_buffer_;
  GuardedBuffer data_;
  std::vector<size_t> lengths_;
};

}  // namespace

DutStatus check_vtable(const ipsec_cts_dut_vtable* vt, const std::string& origin) {
  if (vt == nullptr) {
    return make_error(DutErrorKind::device_error,
                      origin + ": ipsec_cts_dut_entry(" +
                          std::to_string(IPSEC_CTS_DUT_ABI_VERSION) +
                          ") returned NULL (the library cannot serve this ABI version)");
  }
  if (vt->abi_version != IPSEC_CTS_DUT_ABI_VERSION) {
    return make_error(DutErrorKind::device_error,
                      origin + ": ABI version " + std::to_string(vt->abi_version) +
                          ", this runner speaks version " +
                          std::to_string(IPSEC_CTS_DUT_ABI_VERSION));
  }
  if (vt->struct_size < sizeof(ipsec_cts_dut_vtable)) {
    return make_error(DutErrorKind::device_error,
                      origin + ": vtable struct_size " + std::to_string(vt->struct_size) +
                          " is smaller than the version-1 table (" +
                          std::to_string(sizeof(ipsec_cts_dut_vtable)) + " bytes)");
  }
  const std::pair<const char*, bool> mandatory[] = {
      {"open", vt->open != nullptr},
      {"query_capabilities", vt->query_capabilities != nullptr},
      {"oid_set", vt->oid_set != nullptr},
      {"send", vt->send != nullptr},
      {"receive", vt->receive != nullptr},
      {"reset", vt->reset != nullptr},
      {"close", vt->close != nullptr},
      {"last_error", vt->last_error != nullptr},
  };
  for (const auto& [function, present] : mandatory) {
    if (!present) {
      return make_error(DutErrorKind::device_error,
                        origin + ": mandatory function '" + function + "' is NULL in the vtable");
    }
  }
  return Done{};
}

DutResult<std::unique_ptr<DutAdapter>> open_plugin_vtable(const ipsec_cts_dut_vtable* vtable,
                                                          const std::string& config_json,
                                                          const std::string& description) {
  if (auto ok = check_vtable(vtable, description); !ok) return ok.error();
  auto adapter = std::make_unique<PluginAdapter>(nullptr, vtable, config_json, description);
  if (auto opened = adapter->open_instance(); !opened) return opened.error();
  return std::unique_ptr<DutAdapter>(std::move(adapter));
}

DutResult<std::unique_ptr<DutAdapter>> open_plugin(const std::string& path,
                                                   const std::string& config_json) {
  const std::string origin = "plugin:" + path;
  dlerror();
  void* handle = dlopen(path.c_str(), RTLD_NOW | RTLD_LOCAL);
  if (handle == nullptr) {
    const char* why = dlerror();
    return make_error(DutErrorKind::device_error,
                      origin + ": cannot load: " + (why ? why : "dlopen failed"));
  }
  auto library = std::make_shared<PluginLibrary>(handle);
  dlerror();
  void* symbol = dlsym(handle, IPSEC_CTS_DUT_ENTRY_SYMBOL);
  if (symbol == nullptr) {
    const char* why = dlerror();
    return make_error(DutErrorKind::device_error,
                      origin + ": no exported symbol " IPSEC_CTS_DUT_ENTRY_SYMBOL ": " +
                          (why ? why : "not found"));
  }
  ipsec_cts_dut_entry_fn entry;
  static_assert(sizeof(entry) == sizeof(symbol));
  std::memcpy(&entry, &symbol, sizeof(entry));  // POSIX: object pointer to function pointer
  const ipsec_cts_dut_vtable* vtable = entry(IPSEC_CTS_DUT_ABI_VERSION);
  if (auto ok = check_vtable(vtable, origin); !ok) return ok.error();
  auto adapter = std::make_unique<PluginAdapter>(std::move(library), vtable, config_json, origin);
  if (auto opened = adapter->open_instance(); !opened) return opened.error();
  return std::unique_ptr<DutAdapter>(std::move(adapter));
}

}  // namespace cts::dut
