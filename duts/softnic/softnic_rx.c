/*
 * softnic_rx.c — the receive path: what the miniport does before indicating a frame.
 *
 * Every frame is indicated (RECV-012); nothing is dropped, not even for replay: sequence-number
 * checks belong to the transport (RECV-015). The indicated copy is the received frame with the
 * ESP body decrypted in place when, and only when, its ICV verified (OQ-15); headers, trailer
 * and ICV stay where they were.
 *
 * OOB words written (OQ-24: both start at zero):
 *  - no inbound SA matches SPI + destination, or the frame is outside the advertised
 *    capabilities (IPv4 options, IPv6 extension headers unless configured, softnic_config.h):
 *    everything zero (RECV-004, RECV-005, RECV-011);
 *  - an SA matches: CryptoDone = 1, CryptoStatus = the result, SaDeleteReq if the device asked
 *    for this SA's deletion (OQ-14); NextCryptoDone stays 0 — one ESP layer is all this device
 *    checks (RECV-007). After a successful decryption the header word's receive view carries
 *    Next Header and Pad Length with HeaderInfoSet = 1 (RECV-016).
 *
 * CryptoStatus when the ICV fails — transport or tunnel portion? (CRYPTO_TRANSPORT_ESP_AUTH_FAILED
 * 3 vs CRYPTO_TUNNEL_ESP_AUTH_FAILED 5). The NDIS structures carry no mode, and the outer
 * addresses cannot tell either: a transport SA's endpoints are the very addresses of the outer
 * header. The rule this device follows (the same one the project's reference model uses): the
 * failing ESP layer is the tunnel portion when its Next Header, deciphered without being
 * authenticated, is 4 (IPv4) or 41 (IPv6) — an inner IP packet — and the transport portion
 * otherwise. The unauthenticated value picks the status code and nothing else; the packet is
 * still indicated exactly as received.
 */
#include <string.h>

#include "softnic_ah.h"
#include "softnic_device.h"
#include "softnic_ip.h"
#include "softnic_ndis.h"
#include "softnic_profile.h"

#define IPPROTO_IPV4_INNER 4u
#define IPPROTO_IPV6_INNER 41u
#define ESP_HEADER_LEN 8u

#if defined(SOFTNIC_FAULT_NEXT_CRYPTO_DONE_INSTEAD)
/* Fault: the driver's bit definitions are off by one: NextCryptoDone is set, CryptoDone not. */
#define CRYPTO_DONE_BIT NBL_IPSEC_RECV_NEXT_CRYPTO_DONE
#else
#define CRYPTO_DONE_BIT NBL_IPSEC_RECV_CRYPTO_DONE
#endif
#if defined(SOFTNIC_FAULT_OOB_RESERVED_BITS)
/* Fault: a hardware status bit leaks into a reserved bit of the receive word. */
#define RESERVED_LEAK 0x8u
#else
#define RESERVED_LEAK 0u
#endif

static uint64_t crypto_word(uint32_t status) {
  return CRYPTO_DONE_BIT | RESERVED_LEAK |
         ((uint64_t)status << NBL_IPSEC_RECV_CRYPTO_STATUS_SHIFT);
}

ipsec_cts_result softnic_receive(ipsec_cts_dut *dut, const uint8_t *frame, size_t length,
                                 uint8_t *out_frame, size_t out_capacity, size_t *out_length,
                                 ipsec_cts_receive_result *result) {
  if (out_capacity < length) {
    *out_length = length; /* how much room the indication needs */
    softnic_set_error(dut, "receive: out_capacity %zu is smaller than the %zu-byte frame",
                      out_capacity, length);
    return IPSEC_CTS_ERR_BUFFER_TOO_SMALL;
  }
  memcpy(out_frame, frame, length);
  *out_length = length;
  result->indicated = 1;
  result->ipsec_info = 0;
  result->header_info = 0;

  softnic_ip_view ip;
  if (!softnic_parse_ip(frame, length, &ip)) return IPSEC_CTS_OK;
  if (softnic_profile_get()->ah && softnic_ah_receive(dut, frame, length, &ip, out_frame, result)) {
    return IPSEC_CTS_OK;
  }
  size_t udp_off = 0;
  const size_t esp_off = softnic_find_esp(frame, length, &ip, dut->config.ipv4_options,
                                          dut->config.ipv6_extension_headers,
                                          softnic_profile_get()->udp_esp != 0, &udp_off);
  if (esp_off == 0 || length - esp_off < 4u) return IPSEC_CTS_OK; /* no SPI to look up */

  /* 4.11 step 2 (RECV-003): SPI, then the destination address. */
  softnic_bundle *b =
      softnic_table_find_inbound(&dut->table, softnic_load_be32(frame + esp_off), ip.ipv6, ip.dst);
  if (b == NULL) {
#if defined(SOFTNIC_FAULT_UNMATCHED_GETS_OOB)
    /* Fault: a lookup miss is reported as a failed IPsec check. */
    result->ipsec_info = crypto_word(CRYPTO_GENERIC_ERROR);
#endif
    return IPSEC_CTS_OK; /* RECV-004: indicated without IPsec OOB data */
  }

  const uint64_t delete_req = b->delete_requested ? NBL_IPSEC_RECV_SA_DELETE_REQ : 0;
  /* The packet's encapsulation must be the bundle's: UDP-ESP on a plain SA, or plain ESP on a
   * UDP transport SA, is the wrong protocol for the SA (the rule the reference model follows);
   * so is ESP alone for an SA that holds AH (softnic_ah.c). */
  if (b->has_ah || (udp_off != 0 && b->udp_esp == 0) ||
      (udp_off == 0 && b->udp_esp == IPSEC_OFFLOAD_V2_UDP_ESP_ENCAPSULATION_TRANSPORT)) {
    result->ipsec_info = crypto_word(CRYPTO_INVALID_PROTOCOL) | delete_req;
    return IPSEC_CTS_OK;
  }
  /* The datagram must lie inside the frame and hold at least the ESP header. */
  if (ip.ip_end > length || ip.ip_end < esp_off + ESP_HEADER_LEN) {
    result->ipsec_info = crypto_word(CRYPTO_INVALID_PACKET_SYNTAX) | delete_req;
    return IPSEC_CTS_OK;
  }

  uint8_t next_header = 0;
  uint8_t pad_length = 0;
  const softnic_esp_result r = softnic_esp_decrypt(&b->esp, frame + esp_off, out_frame + esp_off,
                                                   ip.ip_end - esp_off, &next_header, &pad_length);
  uint32_t status = CRYPTO_SUCCESS;
  switch (r) {
    case SOFTNIC_ESP_OK:
#if defined(SOFTNIC_FAULT_HEADER_INFO_SWAPPED)
      /* Fault: Next Header and Pad Length land in each other's fields. */
      result->header_info = (uint32_t)pad_length |
                            ((uint32_t)next_header << NBL_HDR_RECV_PAD_LENGTH_SHIFT) |
                            NBL_HDR_RECV_HEADER_INFO_SET;
#else
      result->header_info = (uint32_t)next_header |
                            ((uint32_t)pad_length << NBL_HDR_RECV_PAD_LENGTH_SHIFT) |
                            NBL_HDR_RECV_HEADER_INFO_SET;
#endif
#if defined(SOFTNIC_FAULT_NOT_DECRYPTED_IN_PLACE)
      /* Fault: the decrypted copy is never DMA'd back; the stack gets the ciphertext. */
      memcpy(out_frame, frame, length);
#endif
      break;
    case SOFTNIC_ESP_AUTH_FAILED:
#if defined(SOFTNIC_FAULT_CRYPTO_STATUS_BAD_ICV)
      status = CRYPTO_GENERIC_ERROR; /* Fault: every hardware error maps to one status. */
#else
      /* A UDP tunnel SA declares its portion; otherwise the unauthenticated Next Header. */
      status = (b->udp_esp == IPSEC_OFFLOAD_V2_UDP_ESP_ENCAPSULATION_TUNNEL ||
                next_header == IPPROTO_IPV4_INNER || next_header == IPPROTO_IPV6_INNER)
                   ? CRYPTO_TUNNEL_ESP_AUTH_FAILED
                   : CRYPTO_TRANSPORT_ESP_AUTH_FAILED;
#endif
#if defined(SOFTNIC_FAULT_BAD_ICV_DROPPED)
      result->indicated = 0; /* Fault: the hardware drops what fails authentication. */
#endif
      break;
    case SOFTNIC_ESP_BAD_LENGTH:
    case SOFTNIC_ESP_BAD_TRAILER:
      status = CRYPTO_INVALID_PACKET_SYNTAX;
      break;
    case SOFTNIC_ESP_INTERNAL:
      status = CRYPTO_GENERIC_ERROR;
      memcpy(out_frame, frame, length);
      break;
  }
  result->ipsec_info = crypto_word(status) | delete_req;
#if defined(SOFTNIC_FAULT_SA_DELETE_REQ_SELF_REMOVES)
  /* Fault: having asked for the SA's deletion, the device removes it itself (DEL-006). */
  if (b->delete_requested) softnic_delete_bundle(dut, b);
#endif
  return IPSEC_CTS_OK;
}
