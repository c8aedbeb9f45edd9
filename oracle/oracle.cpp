#include "oracle/oracle.h"

#include "oracle/esp/nic_model.h"

namespace cts {

struct Oracle::Impl {
  OracleOptions options;
  sa::SaDevice device;
  std::unique_ptr<esp::NicModel> nic;
  std::string nic_error;

  Impl(sa::DeviceProfile profile, OracleOptions opts)
      : options(opts), device(std::move(profile)) {
    esp::EspStatus st;
    esp::NicOptions nic_options;
    nic_options.iv_seed = options.iv_seed;
    nic = esp::NicModel::create(device.table(), device.profile().capabilities, nic_options, st);
    if (!nic) nic_error = st.detail;
  }
};

Oracle::Oracle(sa::DeviceProfile profile, OracleOptions options)
    : impl_(std::make_unique<Impl>(std::move(profile), options)) {}

Oracle::~Oracle() = default;

const sa::DeviceProfile& Oracle::profile() const { return impl_->device.profile(); }
const ndis::IpsecOffloadV2Capabilities& Oracle::capabilities() const {
  return impl_->device.profile().capabilities;
}
const sa::SaTable& Oracle::table() const { return impl_->device.table(); }
const esp::NicModel& Oracle::nic() const { return *impl_->nic; }

sa::OidResult Oracle::set_oid(uint32_t oid, std::span<uint8_t> buffer, ndis::Abi abi,
                              ndis::NextLinks links) {
  return impl_->device.set_oid(oid, buffer, abi, links);
}

SendResult Oracle::send(std::span<const uint8_t> frame, const ndis::SendOob& oob) {
  SendResult r;
  if (!impl_->nic) {
    r.completion_status = ndis::NDIS_STATUS_FAILURE;
    r.note = "oracle NIC model unavailable: " + impl_->nic_error;
    return r;
  }
  if (oob.lso_mss != 0) {
    // SEND-007: segmentation by the NIC; each segment gets its own trailer and ICV.
    struct Sink final : esp::SegmentSink {
      std::vector<std::vector<uint8_t>>* frames;
      esp::MutableBytes next(size_t size) override {
        frames->emplace_back(size);
        return frames->back();
      }
    } sink;
    sink.frames = &r.frames;
    const esp::NicSendOutcome o = impl_->nic->send_lso(frame, oob, sink);
    r.completion_status = o.completion_status;
    r.note = o.note;
    if (ndis::ndis_failed(o.completion_status)) r.frames.clear();
    return r;
  }
  std::vector<uint8_t> wire(frame.begin(), frame.end());
  const esp::NicSendOutcome o = impl_->nic->send(wire, oob);
  r.completion_status = o.completion_status;
  r.note = o.note;
  if (!ndis::ndis_failed(o.completion_status)) r.frames.push_back(std::move(wire));
  return r;
}

ReceiveResult Oracle::receive(std::span<const uint8_t> frame) {
  ReceiveResult r;
  r.frame.assign(frame.begin(), frame.end());
  if (!impl_->nic) {
    r.note = "oracle NIC model unavailable: " + impl_->nic_error;
    return r;
  }
  const esp::NicReceiveOutcome o = impl_->nic->receive(r.frame);
  r.indicated = true;  // RECV-012: every packet is indicated
  r.oob = o.oob;
  r.note = o.note;
  return r;
}

size_t Oracle::request_sa_delete(uint32_t spi) {
  return impl_->device.table().request_delete_by_spi(spi);
}

std::string Oracle::dump_text() const { return impl_->device.table().dump_text(); }
std::string Oracle::dump_json() const { return impl_->device.table().dump_json(); }

void Oracle::reset() {
  impl_->device.reset();
  if (impl_->nic) {
    impl_->nic->reseed(impl_->options.iv_seed);
    impl_->nic->set_iv_override(nullptr);
    impl_->nic->set_offload_enabled(true);
  }
}

}  // namespace cts
