// The oracle as a device (see oracle_adapter.h). The oracle takes buffers with Next written as
// offsets (NextLinks{0}) directly, so no translation is needed here.
#include "runner/dut/oracle_adapter.h"

#include <vector>

#include "oracle/ndis/codec.h"
#include "oracle/oracle.h"
#include "runner/dut/profile_json.h"

namespace cts::dut {
namespace {

class OracleAdapter final : public DutAdapter {
 public:
  explicit OracleAdapter(sa::DeviceProfile profile)
      : profile_(std::move(profile)), oracle_(std::make_unique<Oracle>(profile_)) {}

  std::string name() const override { return "oracle"; }
  std::string description() const override {
    return "oracle (profile " + (profile_.name.empty() ? std::string("unnamed") : profile_.name) +
           ")";
  }
  DutFeatures features() const override { return DutFeatures{true, true}; }

  DutResult<Capabilities> query_capabilities() override {
    Capabilities caps;
    caps.ipsec_offload_v2 = oracle_->capabilities();
    caps.ipsec_offload_v2_raw = ndis::encode_capabilities(caps.ipsec_offload_v2);
    caps.inbound_bundle_capacity = profile_.pools.inbound_bundles.value_or(0);
    caps.outbound_bundle_capacity = profile_.pools.outbound_bundles.value_or(0);
    caps.inbound_dest_address_capacity = profile_.pools.inbound_destination_addresses.value_or(0);
    if (profile_.accepted_spi_range) {
      caps.spi_min = profile_.accepted_spi_range->min;
      caps.spi_max = profile_.accepted_spi_range->max;
    }
    caps.gcm_key_includes_salt = profile_.validation.gcm_key_includes_salt;
    return caps;
  }

  DutResult<OidReply> oid_set(uint32_t oid, std::span<const uint8_t> request) override {
    OidReply reply;
    reply.buffer.assign(request.begin(), request.end());
    const sa::OidResult r = oracle_->set_oid(oid, reply.buffer, ndis::Abi::x64, ndis::NextLinks{0});
    reply.status = r.status;
    reply.bytes_read = r.bytes_read;
    reply.bytes_needed = r.bytes_needed;
    return reply;
  }

  DutResult<SendReply> send(std::span<const uint8_t> frame, const ndis::SendOob& oob) override {
    SendResult r = oracle_->send(frame, oob);
    return SendReply{r.completion_status, std::move(r.frames)};
  }

  DutResult<ReceiveReply> receive(std::span<const uint8_t> frame) override {
    ReceiveResult r = oracle_->receive(frame);
    ReceiveReply reply;
    reply.indicated = r.indicated;
    if (r.indicated) reply.frame = std::move(r.frame);
    reply.oob = r.oob;
    return reply;
  }

  DutResult<std::optional<std::string>> dump() override {
    return std::optional<std::string>(oracle_->dump_json());
  }

  DutStatus request_sa_delete(uint32_t spi) override {
    oracle_->request_sa_delete(spi);
    return Done{};
  }

  DutStatus reset() override {
    oracle_->reset();
    return Done{};
  }

  DutStatus restart() override {
    oracle_ = std::make_unique<Oracle>(profile_);
    return Done{};
  }

 private:
  sa::DeviceProfile profile_;
  std::unique_ptr<Oracle> oracle_;
};

}  // namespace

DutResult<std::unique_ptr<DutAdapter>> open_oracle(const std::string& profile_json, const std::string& origin) {
  sa::DeviceProfile profile;
  if (profile_json.empty()) {
    profile = sa::softnic_profile();
  } else {
    ProfileResult loaded = load_profile_json(profile_json, origin);
    if (const auto* e = std::get_if<ProfileError>(&loaded)) {
      return DutError{DutErrorKind::invalid_argument, "oracle: " + e->to_string(), {}};
    }
    profile = std::get<sa::DeviceProfile>(std::move(loaded));
  }
  if (const auto problems = sa::check_profile(profile); !problems.empty()) {
    std::string message = "oracle: unusable profile:";
    for (const auto& p : problems) message += " " + p + ";";
    return DutError{DutErrorKind::invalid_argument, message, {}};
  }
  return std::unique_ptr<DutAdapter>(std::make_unique<OracleAdapter>(std::move(profile)));
}

}  // namespace cts::dut
