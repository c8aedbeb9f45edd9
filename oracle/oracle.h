// cts::Oracle — the golden reference device of ipsec-cts: the SA model (oracle/sa) and the
// IPsecOV2 NIC model (oracle/esp/nic_model.h) behind one small facade. The runner diffs every
// device answer against it, and the `oracle` device of runner/dut wraps it.
//
// Conventions follow runner/dut/include/ipsec_cts/dut.h: OID buffers are InformationBuffer
// (writable; OffloadHandle written back), frames are whole Ethernet frames, OOB words are the
// NET_BUFFER_LIST info slots 1, 11 and 12. One thread at a time per instance.
#pragma once

#include <cstdint>
#include <memory>
#include <span>
#include <string>
#include <vector>

#include "oracle/ndis/codec.h"
#include "oracle/ndis/model.h"
#include "oracle/sa/device_profile.h"
#include "oracle/sa/sa_device.h"

namespace cts {

namespace esp {
class NicModel;
}

struct OracleOptions {
  // Seed of the IV source (CBC IVs come from a DRBG seeded with it; GCM/GMAC IVs are the 64-bit
  // sequence number, OQ-16). The same seed gives the same run, byte for byte.
  uint64_t iv_seed = 0x637473u;
};

struct SendResult {
  ndis::NdisStatus completion_status = ndis::NDIS_STATUS_SUCCESS;  // NBL completion (SEND-006)
  std::vector<std::vector<uint8_t>> frames;  // wire frames (several with LSO)
  std::string note;  // why the NIC did what it did ("unknown offload handle 0x...", ...)
};

struct ReceiveResult {
  bool indicated = true;          // RECV-012: the model indicates every packet
  std::vector<uint8_t> frame;     // the indicated frame (decrypted in place, OQ-15)
  ndis::ReceiveOob oob;           // slot 1 and slot 12 receive views
  std::string note;
};

class Oracle {
 public:
  explicit Oracle(sa::DeviceProfile profile, OracleOptions options = {});
  ~Oracle();
  Oracle(const Oracle&) = delete;
  Oracle& operator=(const Oracle&) = delete;

  const sa::DeviceProfile& profile() const;
  // NDIS_IPSEC_OFFLOAD_V2 as reported (CAP-001, CAP-010).
  const ndis::IpsecOffloadV2Capabilities& capabilities() const;

  sa::OidResult set_oid(uint32_t oid, std::span<uint8_t> buffer, ndis::Abi abi,
                        ndis::NextLinks links = {});

  // One NBL. Without LSO the wire frame has the framed frame's length; with oob.lso_mss != 0 the
  // NIC segments (SEND-011..013, OQ-17) and `frames` holds every segment.
  SendResult send(std::span<const uint8_t> frame, const ndis::SendOob& oob);
  ReceiveResult receive(std::span<const uint8_t> frame);

  // Mark the inbound SA(s) with this SPI: received packets on them carry SaDeleteReq (RECV-018)
  // until DELETE_SA names them; the SAs keep working meanwhile (DEL-006). Returns the number of
  // bundles marked.
  size_t request_sa_delete(uint32_t spi);

  std::string dump_text() const;
  std::string dump_json() const;

  // Back to the state right after construction: no SA, IV source re-seeded.
  void reset();

  const sa::SaTable& table() const;
  const esp::NicModel& nic() const;

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

}  // namespace cts
