#include "oracle/sa/sa_device.h"

#include <algorithm>
#include <memory>
#include <span>
#include <string_view>
#include <vector>

#include "oracle/sa/sa_dump.h"

namespace cts::sa {
namespace {

using namespace cts::ndis;

std::string sa_field(uint32_t i, std::string_view member) {
  return "SecAssoc[" + std::to_string(i) + "]." + std::string(member);
}

std::string alg_label(std::string_view name, uint32_t id) {
  return name.empty() ? format_hex32(id) : std::string(name);
}

void cleanse_keys(AddSaElement& e) {
  if (!e.key_data.empty()) cleanse(e.key_data.data(), e.key_data.size());
}

void cleanse_keys(BundleSpec& b) {
  for (auto& sa : b.sas) cleanse(sa.keys);
}

uint32_t key_block_length(const AddSaElement& e) {
  return e.key_length_override ? *e.key_length_override : static_cast<uint32_t>(e.key_data.size());
}

// Writes a handle into a pointer-sized little-endian field, if it lies inside the buffer.
void write_handle(std::span<uint8_t> buffer, size_t offset, Abi abi, Handle handle) {
  const size_t width = pointer_size(abi);
  if (offset > buffer.size() || buffer.size() - offset < width) return;
  for (size_t i = 0; i < width; ++i) {
    buffer[offset + i] = static_cast<uint8_t>(i < 8 ? (handle >> (8 * i)) & 0xFFu : 0u);
  }
}

uint32_t clamp_to(size_t value, size_t limit) {
  return static_cast<uint32_t>(std::min(value, limit));
}

OidResult decode_failure(uint32_t oid, const DecodeError& e) {
  OidResult r;
  r.oid = oid;
  r.status = e.status;
  r.bytes_needed = e.bytes_needed;
  r.message = "element " + std::to_string(e.element) + ", " + e.field + ": " + e.message;
  ElementOutcome o;
  o.index = e.element;
  o.status = e.status;
  o.field = e.field;
  o.reason = e.message;
  r.elements.push_back(std::move(o));
  return r;
}

}  // namespace

std::optional<Refusal> check_bundle_supported(const BundleSpec& b, const DeviceProfile& profile) {
  const IpsecOffloadV2Capabilities& caps = profile.capabilities;
  auto refuse = [](std::string field, std::string reason) {
    return Refusal{NDIS_STATUS_NOT_SUPPORTED, std::move(field), std::move(reason)};
  };
  // OQ-04: a feature or algorithm the device did not advertise fails the element with
  // NDIS_STATUS_NOT_SUPPORTED (ADD-008, ADD-025).
  if (b.ipv6 && !caps.ipv6_supported) {
    return refuse("Flags", "IPv6 bundle but the device does not advertise IPv6Supported");
  }
  if (b.num_ext_hdrs == 2 && !caps.ah_esp_combined) {
    return refuse("NumExtHdrs", "ESP+AH bundle but the device does not advertise AhEspCombined");
  }
  for (uint32_t i = 0; i < b.num_ext_hdrs && i < 2; ++i) {
    const SaSpec& sa = b.sas[i];
    if (sa.operation == IPsecOffloadV2Esp && !caps.esp) {
      return refuse(sa_field(i, "Operation"), "ESP SA but the device does not advertise Esp");
    }
    if (sa.operation == IPsecOffloadV2Ah && !caps.ah) {
      return refuse(sa_field(i, "Operation"), "AH SA but the device does not advertise Ah");
    }
    if (sa.authentication_algorithm != 0 &&
        (caps.authentication_algorithms & sa.authentication_algorithm) == 0) {
      return refuse(sa_field(i, "AuthenticationAlgorithm.Identifier"),
                    alg_label(authentication_algorithm_name(sa.authentication_algorithm),
                              sa.authentication_algorithm) +
                        " is not in the advertised AuthenticationAlgorithms " +
                        format_hex32(caps.authentication_algorithms) + " (ADD-025)");
    }
    if (sa.encryption_algorithm != 0 &&
        (caps.encryption_algorithms & sa.encryption_algorithm) == 0) {
      return refuse(sa_field(i, "EncryptionAlgorithm.Identifier"),
                    alg_label(encryption_algorithm_name(sa.encryption_algorithm),
                              sa.encryption_algorithm) +
                        " is not in the advertised EncryptionAlgorithms " +
                        format_hex32(caps.encryption_algorithms) + " (ADD-025)");
    }
    if (sa.esn && !caps.extended_sequence_numbers) {
      return refuse(sa_field(i, "Flags"),
                    "ESN SA but the device does not advertise ExtendedSequenceNumbers (CAP-019)");
    }
    if (profile.accepted_spi_range && !profile.accepted_spi_range->contains(sa.spi)) {
      return refuse(sa_field(i, "Spi"), format_hex32(sa.spi) + " is outside the accepted range [" +
                                            format_hex32(profile.accepted_spi_range->min) + ", " +
                                            format_hex32(profile.accepted_spi_range->max) + "]");
    }
  }
  const uint32_t udp = b.udp_esp_encapsulation;
  if (udp != 0) {
    // OQ-20: exactly one bit (validate.h checks that), and it must be one the NIC parses (UDP-001).
    if ((caps.udp_esp & udp) != udp) {
      return refuse("UdpEspEncapsulation",
                    alg_label(udp_esp_encapsulation_name(udp), udp) +
                        " is not in the advertised UdpEsp " + format_hex32(caps.udp_esp));
    }
    // The encapsulation type is the only place a bundle reveals its mode; check that the mode
    // itself is advertised too.
    if (udp == IPSEC_OFFLOAD_V2_UDP_ESP_ENCAPSULATION_TRANSPORT && !caps.transport) {
      return refuse("UdpEspEncapsulation", "transport-mode bundle but Transport is not advertised");
    }
    if (udp == IPSEC_OFFLOAD_V2_UDP_ESP_ENCAPSULATION_TUNNEL && !caps.tunnel) {
      return refuse("UdpEspEncapsulation", "tunnel-mode bundle but Tunnel is not advertised");
    }
    if ((udp == IPSEC_OFFLOAD_V2_TRANSPORT_OVER_UDP_ESP_ENCAPSULATION_TUNNEL ||
         udp == IPSEC_OFFLOAD_V2_UDP_ESP_ENCAPSULATION_TRANSPORT_OVER_TUNNEL) &&
        !caps.transport_tunnel_combined) {
      return refuse("UdpEspEncapsulation",
                    "transport-over-tunnel bundle but TransportTunnelCombined is not advertised");
    }
  }
  return std::nullopt;
}

SaDevice::SaDevice(DeviceProfile profile)
    : profile_(std::move(profile)), table_(profile_.pools) {}

ElementOutcome SaDevice::add_element(const AddSaElement& element, uint32_t index) {
  ElementOutcome out;
  out.index = index;
  Decoded<BundleSpec> validated = validate_add_element(element, index, profile_.validation);
  if (auto* err = std::get_if<DecodeError>(&validated)) {
    out.status = err->status;
    out.field = err->field;
    out.reason = err->message;
    return out;
  }
  BundleSpec& bundle = std::get<BundleSpec>(validated);
  if (auto refusal = check_bundle_supported(bundle, profile_)) {
    cleanse_keys(bundle);
    out.status = refusal->status;
    out.field = std::move(refusal->field);
    out.reason = std::move(refusal->reason);
    return out;
  }
  SaTable::AddResult added = table_.add(bundle);  // validate-then-commit: refusal changes nothing
  cleanse_keys(bundle);                            // the table holds the only copy now
  if (added.handle == kNullHandle) {
    // OQ-04: capacity exhausted -> NDIS_STATUS_RESOURCES (ADD-007, ADDEX-005).
    out.status = NDIS_STATUS_RESOURCES;
    if (added.full_pool) {
      out.field = "OffloadHandle";
      for (const PoolUsage& p : table_.pool_usage()) {
        if (p.pool == *added.full_pool) {
          out.reason = std::string("no capacity: pool ") + pool_name(p.pool) + " is full (" +
                       std::to_string(p.used) + "/" + std::to_string(p.limit) + ", CAP-010)";
        }
      }
    } else {
      out.reason = added.listener_reason;
    }
    return out;
  }
  out.handle = added.handle;  // ADD-003: never NULL (tag bit), unique among live bundles
  return out;
}

OidResult SaDevice::add_list(uint32_t oid, const std::vector<const AddSaElement*>& elements) {
  OidResult r;
  r.oid = oid;
  size_t offloaded = 0;
  for (uint32_t i = 0; i < elements.size(); ++i) {
    r.elements.push_back(add_element(*elements[i], i));
    if (r.elements.back().handle != kNullHandle) ++offloaded;
  }
  if (offloaded > 0) {
    // ADD-004 / OQ-03: partial success is success; failed elements carry NULL (ADD-006).
    r.status = NDIS_STATUS_SUCCESS;
    if (offloaded < elements.size()) {
      r.message = std::to_string(elements.size() - offloaded) + " of " +
                  std::to_string(elements.size()) + " element(s) not offloaded";
    }
  } else {
    // ADD-005: nothing offloaded, nothing left behind. The request fails with the status of the
    // first element (the only one for ADD_SA_EX, ADDEX-004).
    const ElementOutcome* first = r.elements.empty() ? nullptr : &r.elements.front();
    r.status = first ? first->status : NDIS_STATUS_INVALID_DATA;
    r.message = first ? "element " + std::to_string(first->index) + ", " + first->field + ": " +
                            first->reason
                      : "empty request";
  }
  return r;
}

OidResult SaDevice::add_sa(const AddSaRequest& request) {
  std::vector<const AddSaElement*> elements;
  for (const auto& e : request.elements) elements.push_back(&e);
  return add_list(OID_TCP_TASK_IPSEC_OFFLOAD_V2_ADD_SA, elements);
}

OidResult SaDevice::add_sa_ex(const AddSaExRequest& request) {
  return add_list(OID_TCP_TASK_IPSEC_OFFLOAD_V2_ADD_SA_EX, {&request.element});
}

OidResult SaDevice::delete_sa(const DeleteSaRequest& request) {
  OidResult r;
  r.oid = OID_TCP_TASK_IPSEC_OFFLOAD_V2_DELETE_SA;
  const size_t n = request.elements.size();
  std::vector<Handle> handles(n);
  for (size_t i = 0; i < n; ++i) handles[i] = request.elements[i].offload_handle;
  // OQ-12: unknown or NULL handles (and a handle named twice) are no-ops; DEL-004: the
  // request still succeeds.
  std::unique_ptr<bool[]> removed(new bool[n]());
  table_.remove_list(handles, std::span<bool>(removed.get(), n));
  size_t noops = 0;
  for (uint32_t i = 0; i < n; ++i) {
    ElementOutcome o;
    o.index = i;
    o.handle = handles[i];
    if (!removed[i]) {
      o.reason = o.handle == kNullHandle ? "NULL handle: no-op" : "no live bundle with this handle: no-op";
      ++noops;
    }
    r.elements.push_back(std::move(o));
  }
  r.status = NDIS_STATUS_SUCCESS;
  if (noops) r.message = std::to_string(noops) + " element(s) named no live bundle (no-op)";
  return r;
}

OidResult SaDevice::update_sa(const UpdateSaRequest& request) {
  OidResult r;
  r.oid = OID_TCP_TASK_IPSEC_OFFLOAD_V2_UPDATE_SA;
  ElementOutcome o;
  o.handle = request.offload_handle;
  // UPD-004 / UPD-005 / OQ-11: every failure is NDIS_STATUS_INVALID_PARAMETER.
  if (auto bad = validate_update_request(request)) {
    o.status = bad->status;
    o.field = bad->field;
    o.reason = bad->message;
  } else if (!profile_.capabilities.extended_sequence_numbers) {
    o.status = NDIS_STATUS_INVALID_PARAMETER;
    o.field = "SequenceNumberHighOrder";
    o.reason = "the device does not support ESN (ExtendedSequenceNumbers = FALSE)";
  } else {
    switch (table_.update_sequence_high(request.offload_handle, request.operation, request.spi,
                                        request.sequence_number_high_order)) {
      case UpdateOutcome::updated:
        break;
      case UpdateOutcome::unknown_handle:
        o.status = NDIS_STATUS_INVALID_PARAMETER;
        o.field = "OffloadHandle";
        o.reason = format_hex32(request.offload_handle) + " names no live bundle";
        break;
      case UpdateOutcome::no_matching_sa:
        o.status = NDIS_STATUS_INVALID_PARAMETER;
        o.field = "Spi";
        o.reason = "no SA in the bundle with Operation " + std::to_string(request.operation) +
                   " and SPI " + format_hex32(request.spi);
        break;
      case UpdateOutcome::not_esn:
        o.status = NDIS_STATUS_INVALID_PARAMETER;
        o.field = "Operation";
        o.reason = "the SA was not added with IPSEC_OFFLOAD_V2_ESN_SA (UPD-009)";
        break;
    }
  }
  r.status = o.status;
  if (ndis_failed(o.status)) r.message = o.field + ": " + o.reason;
  r.elements.push_back(std::move(o));
  return r;
}

OidResult SaDevice::set_oid(uint32_t oid, std::span<uint8_t> buffer, Abi abi, NextLinks links) {
  const std::span<const uint8_t> in(buffer.data(), buffer.size());
  const LayoutSizes& sizes = layout_sizes(abi);
  switch (oid) {
    case OID_TCP_TASK_IPSEC_OFFLOAD_V2_ADD_SA: {
      const size_t handle_at = offload_handle_offset(oid, abi);
      auto decoded = decode_add_sa(in, abi, links);
      if (auto* err = std::get_if<DecodeError>(&decoded)) {
        // The list could not be walked as a whole: nothing is offloaded (ADD-005). Clear every
        // handle we can still locate (ADD-006).
        for (size_t off : list_element_offsets(in, oid, abi, links)) {
          write_handle(buffer, off + handle_at, abi, kNullHandle);
        }
        return decode_failure(oid, *err);
      }
      AddSaRequest& request = std::get<AddSaRequest>(decoded);
      const std::vector<size_t> offsets = list_element_offsets(in, oid, abi, links);
      OidResult r = add_sa(request);
      size_t read = 0;
      for (size_t i = 0; i < request.elements.size() && i < offsets.size(); ++i) {
        write_handle(buffer, offsets[i] + handle_at, abi, r.elements[i].handle);
        read = std::max(read, offsets[i] + sizes.add_sa_key_data_offset +
                                  key_block_length(request.elements[i]));
      }
      for (auto& e : request.elements) cleanse_keys(e);
      r.bytes_read = clamp_to(read, buffer.size());
      return r;
    }
    case OID_TCP_TASK_IPSEC_OFFLOAD_V2_ADD_SA_EX: {
      const size_t handle_at = offload_handle_offset(oid, abi);
      auto decoded = decode_add_sa_ex(in, abi);
      if (auto* err = std::get_if<DecodeError>(&decoded)) {
        write_handle(buffer, handle_at, abi, kNullHandle);  // ADDEX-004
        return decode_failure(oid, *err);
      }
      AddSaExRequest& request = std::get<AddSaExRequest>(decoded);
      OidResult r = add_sa_ex(request);
      write_handle(buffer, handle_at, abi, r.elements.front().handle);  // NULL on failure
      const size_t key_end =
          static_cast<size_t>(request.element.key_offset.value_or(sizes.add_sa_ex_sizeof_rev1)) +
          key_block_length(request.element);
      r.bytes_read = clamp_to(std::max<size_t>(sizes.add_sa_ex_sizeof_rev1, key_end), buffer.size());
      cleanse_keys(request.element);
      return r;
    }
    case OID_TCP_TASK_IPSEC_OFFLOAD_V2_DELETE_SA: {
      auto decoded = decode_delete_sa(in, abi, links);
      if (auto* err = std::get_if<DecodeError>(&decoded)) {
        // DEL-004 allows no failure status (only SUCCESS, PENDING, NOT_ACCEPTED while
        // resetting, REQUEST_ABORTED). A list that cannot be walked names no bundle the model
        // can trust, so nothing is deleted and the request completes with SUCCESS; the outcome
        // records why.
        OidResult r = decode_failure(oid, *err);
        r.status = NDIS_STATUS_SUCCESS;
        r.bytes_needed = 0;
        r.message = "malformed DELETE_SA list ignored (DEL-004 allows no failure): " + r.message;
        return r;
      }
      const DeleteSaRequest& request = std::get<DeleteSaRequest>(decoded);
      OidResult r = delete_sa(request);
      size_t read = 0;
      for (size_t off : list_element_offsets(in, oid, abi, links)) {
        read = std::max<size_t>(read, off + sizes.delete_sa_sizeof_rev1);
      }
      r.bytes_read = clamp_to(read, buffer.size());
      return r;
    }
    case OID_TCP_TASK_IPSEC_OFFLOAD_V2_UPDATE_SA: {
      auto decoded = decode_update_sa(in, abi);
      if (auto* err = std::get_if<DecodeError>(&decoded)) return decode_failure(oid, *err);
      OidResult r = update_sa(std::get<UpdateSaRequest>(decoded));
      // OQ-02: one structure per request; bytes beyond NDIS_SIZEOF are ignored.
      r.bytes_read = clamp_to(sizes.update_sa_sizeof_rev1, buffer.size());
      return r;
    }
    default: {
      OidResult r;
      r.oid = oid;
      r.status = NDIS_STATUS_INVALID_OID;
      r.message = "OID " + format_hex32(oid) + " is not an IPsecOV2 SA OID";
      return r;
    }
  }
}

}  // namespace cts::sa
