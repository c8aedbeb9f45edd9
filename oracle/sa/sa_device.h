// The semantics of the four IPsecOV2 SA OIDs over binary buffers: what a conforming miniport
// answers to ADD_SA, ADD_SA_EX, DELETE_SA and UPDATE_SA, and what it leaves in its SA table.
//
// One call = one OID set request on the direct path (GEN-001; handled identically on the regular
// path, OQ-21). The buffer is InformationBuffer: decoded with oracle/ndis/codec.h, each ADD
// element validated with oracle/ndis/validate.h, then judged against the device profile
// (advertised algorithms and features, SPI range) and the capacity pools, then committed.
// OffloadHandle fields are written back into the buffer.
//
// Invariant (tested): a request that fails leaves the SA table exactly as it was.
#pragma once

#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <vector>

#include "oracle/ndis/codec.h"
#include "oracle/ndis/validate.h"
#include "oracle/sa/device_profile.h"
#include "oracle/sa/sa_table.h"

namespace cts::sa {

// What happened to one element of the request (one per ADD/DELETE list element; one for
// ADD_SA_EX and UPDATE_SA).
struct ElementOutcome {
  uint32_t index = 0;
  Handle handle = kNullHandle;  // ADD: the handle written back (kNullHandle = not offloaded);
                                // DELETE/UPDATE: the handle named by the request
  ndis::NdisStatus status = ndis::NDIS_STATUS_SUCCESS;
  std::string field;   // ndis.h field path that decided a failure ("SecAssoc[0].Spi")
  std::string reason;  // human-readable; empty on plain success
};

struct OidResult {
  uint32_t oid = 0;
  ndis::NdisStatus status = ndis::NDIS_STATUS_SUCCESS;
  uint32_t bytes_read = 0;
  uint32_t bytes_needed = 0;
  std::vector<ElementOutcome> elements;
  std::string message;  // why the request as a whole failed (or a note, e.g. DELETE no-ops)

  bool succeeded() const { return !ndis::ndis_failed(status); }
};

// Device-level judgement of a validated bundle against the profile (OQ-04: NOT_SUPPORTED):
// operation advertised (Esp, Ah, AhEspCombined for two SAs), algorithms in the advertised masks,
// ESN, IPv6, the UDP-ESP type in UdpEsp (OQ-20), the mode implied by that type (Transport,
// Tunnel, TransportTunnelCombined), the SPI range. Returns nothing when supported.
struct Refusal {
  ndis::NdisStatus status = ndis::NDIS_STATUS_NOT_SUPPORTED;
  std::string field;
  std::string reason;
};
std::optional<Refusal> check_bundle_supported(const ndis::BundleSpec& bundle,
                                              const DeviceProfile& profile);

class SaDevice {
 public:
  explicit SaDevice(DeviceProfile profile);

  const DeviceProfile& profile() const { return profile_; }
  SaTable& table() { return table_; }
  const SaTable& table() const { return table_; }

  // One OID set request. `buffer` is written (OffloadHandle of every ADD element: the handle, or
  // 0 when that element was not offloaded). Unknown OID: NDIS_STATUS_INVALID_OID.
  OidResult set_oid(uint32_t oid, std::span<uint8_t> buffer, ndis::Abi abi,
                    ndis::NextLinks links = {});

  // The same semantics on already-decoded requests (no buffer to write back; handles are in the
  // outcomes). Used by tests, benches and the runner's logical steps.
  OidResult add_sa(const ndis::AddSaRequest& request);
  OidResult add_sa_ex(const ndis::AddSaExRequest& request);
  OidResult delete_sa(const ndis::DeleteSaRequest& request);
  OidResult update_sa(const ndis::UpdateSaRequest& request);

  // One bundle through every check and into the table; the heart of ADD_SA and ADD_SA_EX.
  ElementOutcome add_element(const ndis::AddSaElement& element, uint32_t index);

  // Delete every bundle (reset; LIFE-001).
  void reset() { table_.clear(); }

 private:
  OidResult add_list(uint32_t oid, const std::vector<const ndis::AddSaElement*>& elements);

  DeviceProfile profile_;
  SaTable table_;
};

}  // namespace cts::sa
