/*
 * softnic_tx.c — the send path: MiniportSendNetBufferLists for one NBL of one frame.
 *
 * Division of labour (OQ-16): the transport has built every header, chosen the SPI,
 * written the low 32 bits of the sequence number, padded the payload, framed the trailer and
 * left room for the IV and the ICV. The NIC generates the IV, encrypts and computes the ICV.
 * It rewrites nothing else (SEND-010).
 *
 * Outcomes: a zero handle sends the frame untouched (SEND-005); a handle that names no
 * outbound bundle, or a frame the SA cannot process, completes the NBL with
 * NDIS_STATUS_FAILURE and sends nothing (SEND-006) — never a frame that leaves unprotected.
 */
#include <string.h>

#include "softnic_ah.h"
#include "softnic_device.h"
#include "softnic_ip.h"
#include "softnic_lso.h"
#include "softnic_ndis.h"
#include "softnic_profile.h"

#define FAIL_SEND(...)                       \
  do {                                       \
    softnic_set_error(dut, __VA_ARGS__);     \
    *completion_status = NDIS_STATUS_FAILURE; \
    return IPSEC_CTS_OK;                     \
  } while (0)

ipsec_cts_result softnic_send(ipsec_cts_dut *dut, const uint8_t *frame, size_t length,
                              const ipsec_cts_send_oob *oob, ipsec_cts_frame_list *out,
                              uint32_t *completion_status) {
  out->frame_count = 0;
  if (out->max_frames < 1 || out->data_capacity < length) {
    softnic_set_error(dut, "send: the output holds %zu bytes and %u frames; this frame needs %zu "
                      "bytes and 1 frame", out->data_capacity, out->max_frames, length);
    return IPSEC_CTS_ERR_BUFFER_TOO_SMALL;
  }

  if (oob->offload_handle == 0) { /* SEND-005: no IPsec work for this NBL */
    if (oob->tunnel_handle != 0) {
      FAIL_SEND("send: TunnelHandle 0x%llx without an OffloadHandle",
                (unsigned long long)oob->tunnel_handle);
    }
    memcpy(out->data, frame, length);
    out->frame_lengths[0] = length;
    out->frame_count = 1;
    *completion_status = NDIS_STATUS_SUCCESS;
    return IPSEC_CTS_OK;
  }

  softnic_bundle *b = softnic_table_find_handle(&dut->table, oob->offload_handle);
#if defined(SOFTNIC_FAULT_SEND_UNKNOWN_HANDLE_CLEARTEXT) || defined(SOFTNIC_FAULT_SEND_INBOUND_HANDLE_CLEARTEXT)
#if defined(SOFTNIC_FAULT_SEND_UNKNOWN_HANDLE_CLEARTEXT)
  if (b == NULL) {
#else
  if (b != NULL && b->inbound) {
#endif
    /* Fault: a handle the engine cannot use is treated like no handle; the frame leaves in
     * the clear and the NBL completes successfully. */
    memcpy(out->data, frame, length);
    out->frame_lengths[0] = length;
    out->frame_count = 1;
    *completion_status = NDIS_STATUS_SUCCESS;
    return IPSEC_CTS_OK;
  }
#endif
  if (b == NULL || b->inbound) {
    FAIL_SEND("send: OffloadHandle 0x%llx names no outbound SA bundle (SEND-006)",
              (unsigned long long)oob->offload_handle);
  }
  /* Not advertised: TransportTunnelCombined = FALSE; LsoSupported only in softnic-full. */
  if (oob->tunnel_handle != 0) {
    FAIL_SEND("send: a TunnelHandle was given, but transport-over-tunnel is not advertised");
  }
  if (oob->lso_mss != 0) {
    if (!softnic_profile_get()->lso) {
      FAIL_SEND("send: LSO (MSS %u) was requested, but LsoSupported is FALSE", oob->lso_mss);
    }
    return softnic_lso_send(dut, b, frame, length, oob, out, completion_status);
  }
  if (b->has_ah) return softnic_ah_send(dut, b, frame, length, oob, out, completion_status);

  softnic_ip_view ip;
  if (!softnic_parse_ip(frame, length, &ip)) {
    FAIL_SEND("send: the frame is not Ethernet II carrying a well-formed IPv4/IPv6 header");
  }
  if (ip.ipv6 != b->ipv6) {
    FAIL_SEND("send: an IPv%d packet on an IPv%d SA bundle", ip.ipv6 ? 6 : 4, b->ipv6 ? 6 : 4);
  }
  if (ip.fragment) { /* v1 background rule: fragmented sends are not offloaded */
    FAIL_SEND("send: the IPv4 packet is a fragment");
  }
  if (ip.ip_end > length) {
    FAIL_SEND("send: the IP length field claims %zu bytes, the frame holds %zu",
              ip.ip_end - ip.ip_off, length - ip.ip_off);
  }
  /* Slot 12 transmit view: header offsets in 4-byte units from the IP header. */
  const uint32_t ah_units = (oob->header_info >> NBL_HDR_SEND_AH_OFFSET_SHIFT) & 0xFFu;
  const uint32_t esp_units = (oob->header_info >> NBL_HDR_SEND_ESP_OFFSET_SHIFT) & 0xFFu;
  if (ah_units != 0) FAIL_SEND("send: AhHeaderOffset %u given, but AH is not advertised", ah_units);
  const size_t esp_off = ip.ip_off + (size_t)esp_units * 4u;
  if (esp_units == 0 || esp_off < ip.ip_off + ip.header_len || esp_off + 8u > ip.ip_end) {
    FAIL_SEND("send: EspHeaderOffset %u (x4 = %u bytes) does not point past the IP header and "
              "inside the datagram", esp_units, esp_units * 4u);
  }
  /* UDP-ESP (RFC 3948): the parse finds ESP inside UDP 4500 where the OOB offset points. */
  size_t udp_off = 0;
  if (softnic_find_esp(frame, length, &ip, true, true, softnic_profile_get()->udp_esp != 0,
                       &udp_off) != esp_off) {
    udp_off = 0;
  }
  if (udp_off != 0 && b->udp_esp == 0) {
    FAIL_SEND("send: UDP-encapsulated ESP on a bundle added without UdpEspEncapsulation");
  }
  const size_t after_ip = udp_off != 0 ? udp_off : esp_off;
  /* Header shapes this device advertises (softnic_config.h); the transport offloads nothing
   * else (RECV-005 is the receive-side twin of this rule). */
  if (!ip.ipv6 && ip.header_len > 20u && !dut->config.ipv4_options) {
    FAIL_SEND("send: the IPv4 header carries options, and IPv4Options is not advertised");
  }
  if (ip.ipv6 && after_ip != ip.ip_off + ip.header_len && !dut->config.ipv6_extension_headers) {
    FAIL_SEND("send: extension headers precede ESP, and IPv6NonIPsecExtensionHeaders is not "
              "advertised");
  }
  const uint32_t spi = softnic_load_be32(frame + esp_off);
  if (spi != b->esp.spi) {
    FAIL_SEND("send: the ESP header carries SPI 0x%08x, the bundle's SA has SPI 0x%08x", spi,
              b->esp.spi);
  }

  memcpy(out->data, frame, length);
#if defined(SOFTNIC_FAULT_SEQUENCE_OVERWRITTEN)
  /* Fault: the engine numbers packets itself (1, 2, 3 ... per SA) over the transport's value. */
  {
    const uint64_t n = b->esp.packets + 1u;
    uint8_t *seq = out->data + esp_off + 4u;
    seq[0] = (uint8_t)(n >> 24);
    seq[1] = (uint8_t)(n >> 16);
    seq[2] = (uint8_t)(n >> 8);
    seq[3] = (uint8_t)n;
  }
#endif
#if defined(SOFTNIC_FAULT_IPV4_CHECKSUM_ZEROED)
  /* Fault: the header checksum is cleared for a checksum offload that is not enabled. */
  if (!ip.ipv6) memset(out->data + ip.ip_off + 10u, 0, 2u);
#endif
  switch (softnic_esp_encrypt(&b->esp, &dut->ivs, out->data + esp_off, ip.ip_end - esp_off)) {
    case SOFTNIC_ESP_OK:
      break;
    case SOFTNIC_ESP_BAD_LENGTH:
      FAIL_SEND("send: the ESP packet (%zu bytes) is too short for its IV, trailer and %u-byte "
                "ICV, or its body is not whole cipher blocks", ip.ip_end - esp_off,
                b->esp.icv_len);
    default:
      FAIL_SEND("send: OpenSSL failed to protect the packet");
  }
  if (udp_off != 0) {
    /* The payload changed under the UDP checksum: recompute it when the transport used one
     * (IPv6 always needs one); a zero IPv4 checksum stays zero (RFC 3948 §2.1). */
    const uint8_t *given = out->data + udp_off + 6u;
    if (ip.ipv6 || given[0] != 0 || given[1] != 0) softnic_udp_checksum(out->data, &ip, udp_off);
  }
  out->frame_lengths[0] = length;
  out->frame_count = 1;
  *completion_status = NDIS_STATUS_SUCCESS;
  return IPSEC_CTS_OK;
}
