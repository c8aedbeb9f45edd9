/*
 * softnic_ip.c — Ethernet / IPv4 / IPv6 header parsing. Every read is preceded by a bounds
 * check against the frame length; nothing here trusts a length field.
 */
#include "softnic_ip.h"

#define ETHERTYPE_IPV4 0x0800u
#define ETHERTYPE_IPV6 0x86DDu
#define IPV4_MIN_HEADER 20u
#define IPV6_HEADER 40u

/* IPv6 extension header numbers (IANA "IPv6 Extension Header Types"). */
#define IPV6_HOP_BY_HOP 0u
#define IPV6_ROUTING 43u
#define IPV6_FRAGMENT 44u
#define IPV6_DEST_OPTIONS 60u
#define IPV6_MOBILITY 135u
#define IPV6_HIP 139u
#define IPV6_SHIM6 140u
#define IPV6_EXPERIMENT_1 253u
#define IPV6_EXPERIMENT_2 254u

static uint16_t load_be16(const uint8_t *p) { return (uint16_t)((p[0] << 8) | p[1]); }

uint32_t softnic_load_be32(const uint8_t *p) {
  return ((uint32_t)p[0] << 24) | ((uint32_t)p[1] << 16) | ((uint32_t)p[2] << 8) | (uint32_t)p[3];
}

bool softnic_parse_ip(const uint8_t *frame, size_t len, softnic_ip_view *v) {
  if (len < SOFTNIC_ETH_HEADER_LEN) return false;
  const uint16_t ethertype = load_be16(frame + 12);
  const size_t ip_off = SOFTNIC_ETH_HEADER_LEN;
  const uint8_t *ip = frame + ip_off;
  const size_t avail = len - ip_off;
  v->ip_off = ip_off;

  if (ethertype == ETHERTYPE_IPV4) {
    if (avail < IPV4_MIN_HEADER || (ip[0] >> 4) != 4) return false;
    const size_t ihl = (size_t)(ip[0] & 0x0Fu) * 4u;
    if (ihl < IPV4_MIN_HEADER || ihl > avail) return false;
    v->ipv6 = false;
    v->header_len = ihl;
    v->ip_end = ip_off + load_be16(ip + 2);
    v->dst = ip + 16;
    v->fragment = (load_be16(ip + 6) & 0x3FFFu) != 0; /* MF flag or fragment offset */
    v->protocol = ip[9];
    return true;
  }
  if (ethertype == ETHERTYPE_IPV6) {
    if (avail < IPV6_HEADER || (ip[0] >> 4) != 6) return false;
    const uint16_t payload_len = load_be16(ip + 4);
    if (payload_len == 0) return false; /* jumbogram (RFC 2675): not offloaded */
    v->ipv6 = true;
    v->header_len = IPV6_HEADER;
    v->ip_end = ip_off + IPV6_HEADER + payload_len;
    v->dst = ip + 24;
    v->fragment = false;
    v->protocol = ip[6];
    return true;
  }
  return false;
}

static bool is_generic_ipv6_extension(uint8_t nh) {
  switch (nh) {
    case IPV6_HOP_BY_HOP:
    case IPV6_ROUTING:
    case IPV6_DEST_OPTIONS:
    case IPV6_MOBILITY:
    case IPV6_HIP:
    case IPV6_SHIM6:
    case IPV6_EXPERIMENT_1:
    case IPV6_EXPERIMENT_2:
      return true;
    default:
      return false;
  }
}

size_t softnic_find_esp(const uint8_t *frame, size_t len, const softnic_ip_view *v,
                        bool ipv4_options, bool ipv6_extension_headers) {
  if (v->fragment) return 0;
  size_t off = v->ip_off + v->header_len;
  if (!v->ipv6) {
    if (v->header_len > IPV4_MIN_HEADER && !ipv4_options) return 0;
    return v->protocol == SOFTNIC_IPPROTO_ESP ? off : 0;
  }
  if (!ipv6_extension_headers) return v->protocol == SOFTNIC_IPPROTO_ESP ? off : 0;

  /* Walk the chain inside both the frame and the datagram. Each header is at least 8 bytes,
   * so the walk ends after at most len / 8 steps. */
  const size_t end = v->ip_end < len ? v->ip_end : len;
  uint8_t nh = v->protocol;
  for (;;) {
    if (nh == SOFTNIC_IPPROTO_ESP) return off;
    if (nh == IPV6_FRAGMENT) {
      if (end < off || end - off < 8u) return 0;
      const uint16_t offset_and_m = load_be16(frame + off + 2);
      if (offset_and_m & 0xFFF9u) return 0; /* offset != 0 or M set: needs reassembly */
      nh = frame[off];
      off += 8u;
      continue;
    }
    if (!is_generic_ipv6_extension(nh)) return 0; /* upper layer, AH, or No Next Header */
    if (end < off || end - off < 2u) return 0;
    const size_t ext_len = ((size_t)frame[off + 1] + 1u) * 8u;
    if (end - off < ext_len) return 0;
    nh = frame[off];
    off += ext_len;
  }
}
