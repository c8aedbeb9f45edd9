/*
 * softnic_lso.c — large send offload over an ESP SA (softnic_lso.h).
 *
 * Everything is checked before the first segment is written, so a refused send leaves nothing
 * on the wire: the NBL completes with NDIS_STATUS_FAILURE (SEND-006).
 */
#include "softnic_lso.h"

#include <string.h>

#include "softnic_ip.h"
#include "softnic_ndis.h"

#define SOFTNIC_IPPROTO_TCP 6u
#define NBL_HDR_SEND_PAD_LENGTH_SHIFT 8u

#define FAIL_LSO(...)                         \
  do {                                        \
    softnic_set_error(dut, __VA_ARGS__);      \
    *completion_status = NDIS_STATUS_FAILURE; \
    return IPSEC_CTS_OK;                      \
  } while (0)

static void store_be16(uint8_t *p, uint32_t v) {
  p[0] = (uint8_t)(v >> 8);
  p[1] = (uint8_t)v;
}

static void store_be32(uint8_t *p, uint32_t v) {
  p[0] = (uint8_t)(v >> 24);
  p[1] = (uint8_t)(v >> 16);
  p[2] = (uint8_t)(v >> 8);
  p[3] = (uint8_t)v;
}

static uint32_t sum16(uint32_t sum, const uint8_t *p, size_t n) {
  for (size_t i = 0; i + 1u < n; i += 2u) sum += (uint32_t)((p[i] << 8) | p[i + 1u]);
  if (n % 2u) sum += (uint32_t)p[n - 1u] << 8;
  return sum;
}

static uint16_t fold(uint32_t sum) {
  while (sum >> 16) sum = (sum & 0xFFFFu) + (sum >> 16);
  return (uint16_t)~sum;
}

/* RFC 793 / RFC 8200 §8.1: the TCP checksum of `tcp` (len octets) under the pseudo-header. */
static void tcp_checksum(const uint8_t *ip, bool ipv6, uint8_t *tcp, size_t len) {
  uint32_t sum = ipv6 ? sum16(0, ip + 8, 32) : sum16(0, ip + 12, 8);
  sum += SOFTNIC_IPPROTO_TCP + (uint32_t)(len & 0xFFFFu) + (uint32_t)(len >> 16);
  tcp[16] = 0;
  tcp[17] = 0;
  store_be16(tcp + 16, fold(sum16(sum, tcp, len)));
}

static void ipv4_checksum(uint8_t *ip, size_t header_len) {
  ip[10] = 0;
  ip[11] = 0;
  store_be16(ip + 10, fold(sum16(0, ip, header_len)));
}

ipsec_cts_result softnic_lso_send(ipsec_cts_dut *dut, softnic_bundle *b, const uint8_t *frame,
                                  size_t length, const ipsec_cts_send_oob *oob,
                                  ipsec_cts_frame_list *out, uint32_t *completion_status) {
  if (!b->has_esp || b->has_ah || b->udp_esp != 0) {
    FAIL_LSO("send: LSO is offloaded for bundles of one ESP SA without UDP encapsulation only");
  }
  softnic_ip_view ip;
  if (!softnic_parse_ip(frame, length, &ip)) {
    FAIL_LSO("send: the LSO frame is not Ethernet II carrying a well-formed IPv4/IPv6 header");
  }
  if (ip.ipv6 != b->ipv6) {
    FAIL_LSO("send: an IPv%d packet on an IPv%d SA bundle", ip.ipv6 ? 6 : 4, b->ipv6 ? 6 : 4);
  }
  if (ip.protocol != SOFTNIC_IPPROTO_ESP || ip.fragment) {
    FAIL_LSO("send: LSO needs ESP right behind the IP header of a whole datagram");
  }
  if (!ip.ipv6 && ip.header_len > 20u && !dut->config.ipv4_options) {
    FAIL_LSO("send: the IPv4 header carries options, and IPv4Options is not advertised");
  }
#if defined(SOFTNIC_FAULT_LSO_IPV4_HEADER_ASSUMED_20)
  /* Fault: the segmentation engine takes every IPv4 header as 20 octets, options or not. */
  const size_t esp_off = ip.ip_off + (ip.ipv6 ? ip.header_len : 20u);
#else
  const size_t esp_off = ip.ip_off + ip.header_len;
#endif
  const uint32_t esp_units = (oob->header_info >> NBL_HDR_SEND_ESP_OFFSET_SHIFT) & 0xFFu;
  if (esp_units != 0 && ip.ip_off + (size_t)esp_units * 4u != esp_off) {
    FAIL_LSO("send: EspHeaderOffset %u does not point right behind the IP header", esp_units);
  }
  /* SEND-012: the NET_BUFFER may end with PadLength octets the NIC discards; the IP length
   * fields of a large send are not trusted, the buffer is. */
  const size_t discard = (oob->header_info >> NBL_HDR_SEND_PAD_LENGTH_SHIFT) & 0xFFu;
#if defined(SOFTNIC_FAULT_LSO_DISCARD_KEPT)
  /* Fault: the engine segments the whole buffer, so the transport's trailing pad octets go out
   * as TCP payload in the last segment. */
  const size_t end = length;
  (void)discard;
#else
  if (length < esp_off + discard) FAIL_LSO("send: the LSO frame is shorter than its PadLength");
  const size_t end = length - discard;
#endif
  softnic_sa *sa = &b->esp;
  const size_t tcp_off = esp_off + 8u + sa->iv_len;
  if (end < tcp_off + 20u) FAIL_LSO("send: no TCP header behind ESP in the LSO frame");
  if (softnic_load_be32(frame + esp_off) != sa->spi) {
    FAIL_LSO("send: the ESP header carries SPI 0x%08x, the bundle's SA has SPI 0x%08x",
             softnic_load_be32(frame + esp_off), sa->spi);
  }
  const size_t tcp_hlen = (size_t)(frame[tcp_off + 12u] >> 4) * 4u;
  if (tcp_hlen < 20u || end < tcp_off + tcp_hlen) FAIL_LSO("send: bad TCP data offset in the LSO frame");
  uint8_t next_header = (uint8_t)(oob->header_info & 0xFFu);
  if (next_header == 0) next_header = SOFTNIC_IPPROTO_TCP;

  const size_t mss = oob->lso_mss;
  const size_t payload = end - tcp_off - tcp_hlen;
  const size_t count = payload == 0 ? 1u : (payload + mss - 1u) / mss;
  const size_t modulus = sa->block_len < 4u ? 4u : sa->block_len; /* RFC 4303 §2.4 */
  const size_t header_part = tcp_off + tcp_hlen;                    /* Ethernet .. TCP header */
  /* Room: every segment repeats the headers and adds at most a block of padding, the trailer
   * and the ICV. */
  const size_t room = payload + count * (header_part + modulus + 2u + sa->icv_len);
  if (out->max_frames < count || out->data_capacity < room) {
    softnic_set_error(dut, "send: the output holds %zu bytes and %u frames; this LSO send needs "
                      "%zu bytes and %zu frames", out->data_capacity, out->max_frames, room, count);
    return IPSEC_CTS_ERR_BUFFER_TOO_SMALL;
  }
  if (ip.ipv6 ? header_part - ip.ip_off - 40u + mss + modulus + 2u + sa->icv_len > 0xFFFFu
              : header_part - ip.ip_off + mss + modulus + 2u + sa->icv_len > 0xFFFFu) {
    FAIL_LSO("send: MSS %zu makes segments longer than an IP datagram", mss);
  }

  const uint32_t seq_low0 = softnic_load_be32(frame + esp_off + 4u);
  const uint32_t tcp_seq0 = softnic_load_be32(frame + tcp_off + 4u);
  const uint32_t ipv4_id0 = ip.ipv6 ? 0u : (uint32_t)((frame[ip.ip_off + 4u] << 8) | frame[ip.ip_off + 5u]);
  const uint8_t flags0 = frame[tcp_off + 13u];
  const uint32_t high0 = sa->seq_high;
  uint8_t *at = out->data;
  for (size_t i = 0; i < count; ++i) {
    const size_t from = i * mss < payload ? i * mss : payload;
    const size_t chunk = payload - from < mss ? payload - from : mss;
    const size_t covered = tcp_hlen + chunk;
    size_t pad = 0;
    while ((covered + pad + 2u) % modulus != 0) ++pad; /* SEND-013: fresh minimal padding */
    const size_t esp_len = 8u + sa->iv_len + covered + pad + 2u + sa->icv_len;
    const size_t seg_len = esp_off + esp_len;
    uint8_t *seg = at;
    memcpy(seg, frame, header_part);
    memcpy(seg + header_part, frame + header_part + from, chunk);
    uint8_t *ipp = seg + ip.ip_off;
    uint8_t *tcp = seg + tcp_off;
    /* TCP: sequence number, flags, checksum over this segment. */
    store_be32(tcp + 4, (uint32_t)(tcp_seq0 + i * mss));
    uint8_t flags = flags0;
    if (i + 1u != count) flags = (uint8_t)(flags & ~0x09u); /* FIN, PSH */
    if (i != 0) flags = (uint8_t)(flags & ~0x80u);          /* CWR */
    tcp[13] = flags;
    /* IP: lengths and (IPv4) a fresh Identification. */
    if (ip.ipv6) {
      store_be16(ipp + 4, (uint32_t)(seg_len - ip.ip_off - 40u));
    } else {
      store_be16(ipp + 2, (uint32_t)(seg_len - ip.ip_off));
      store_be16(ipp + 4, (uint32_t)(ipv4_id0 + i));
      ipv4_checksum(ipp, ip.header_len);
    }
    tcp_checksum(ipp, ip.ipv6, tcp, covered);
    /* Trailer: default padding 1, 2, 3, ..., Pad Length, Next Header; ICV room. */
    uint8_t *t = tcp + covered;
    for (size_t k = 0; k < pad; ++k) t[k] = (uint8_t)(k + 1u);
    t[pad] = (uint8_t)pad;
    t[pad + 1u] = next_header;
    memset(t + pad + 2u, 0, sa->icv_len);
    /* ESP: sequence number template + i (OQ-17), the 64-bit number on an ESN SA (OQ-CTS-3). */
#if defined(SOFTNIC_FAULT_LSO_SEQUENCE_NOT_ADVANCED)
    /* Fault: every segment keeps the template's sequence number. */
    const uint64_t full = seq_low0;
#else
    const uint64_t full = (uint64_t)seq_low0 + i;
#endif
    store_be32(seg + esp_off + 4u, (uint32_t)full);
#if defined(SOFTNIC_FAULT_LSO_ESN_NO_CARRY)
    /* Fault: the high half is the SA's for the whole send, also after the low half wrapped. */
    sa->seq_high = high0;
#else
    if (sa->esn) sa->seq_high = high0 + (uint32_t)(full >> 32);
#endif
    const softnic_esp_result r = softnic_esp_encrypt(sa, &dut->ivs, seg + esp_off, esp_len);
    sa->seq_high = high0; /* the SA's high half moves only by UPDATE_SA (OQ-26) */
    if (r != SOFTNIC_ESP_OK) {
      out->frame_count = 0;
      FAIL_LSO("send: protecting LSO segment %zu failed (%d)", i, (int)r);
    }
    out->frame_lengths[i] = seg_len;
    at += seg_len;
  }
  out->frame_count = (uint32_t)count;
  *completion_status = NDIS_STATUS_SUCCESS;
  return IPSEC_CTS_OK;
}
