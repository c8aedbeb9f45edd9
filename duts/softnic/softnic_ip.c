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

static bool is_generic_ipv6_extension(uint8_t nh);

/* True if the IPv6 extension chain starting with `nh` at `off` holds a Fragment header with an
 * offset or M set: the datagram needs reassembly (RFC 8200 §4.5), like an IPv4 fragment. */
static bool ipv6_needs_reassembly(const uint8_t *frame, size_t off, size_t end, uint8_t nh) {
  while (end >= off && end - off >= 8u) {
    if (nh == IPV6_FRAGMENT) return (load_be16(frame + off + 2) & 0xFFF9u) != 0;
    if (!is_generic_ipv6_extension(nh)) return false;
    const size_t ext_len = ((size_t)frame[off + 1] + 1u) * 8u;
    nh = frame[off];
    off += ext_len;
  }
  return false;
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
    v->protocol = ip[6];
    v->fragment = ipv6_needs_reassembly(frame, ip_off + IPV6_HEADER,
                                        v->ip_end < len ? v->ip_end : len, v->protocol);
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

/* ESP inside the UDP header at `off` (RFC 3948 §2.1), or 0. */
static size_t udp_encapsulated_esp(const uint8_t *frame, size_t end, size_t off) {
  if (end < off || end - off < 8u) return 0;
  if (load_be16(frame + off + 2) != SOFTNIC_UDP_ENCAP_PORT) return 0;
  const size_t payload = end - off - 8u;
  const uint8_t *p = frame + off + 8u;
  if (payload < 4u) return 0; /* NAT keepalive (one 0xFF) or truncated */
  if ((p[0] | p[1] | p[2] | p[3]) == 0) return 0; /* non-ESP marker: IKE (UDP-002) */
  return off + 8u;
}

size_t softnic_find_esp(const uint8_t *frame, size_t len, const softnic_ip_view *v,
                        bool ipv4_options, bool ipv6_extension_headers, bool udp_esp,
                        size_t *udp_off) {
  *udp_off = 0;
#if !defined(SOFTNIC_FAULT_FRAGMENT_OFFLOADED)
  if (v->fragment) return 0;
#endif
  size_t off = v->ip_off + v->header_len;
  const size_t end = v->ip_end < len ? v->ip_end : len;
  uint8_t nh = v->protocol;
  if (!v->ipv6) {
    if (v->header_len > IPV4_MIN_HEADER && !ipv4_options) return 0;
  } else if (ipv6_extension_headers) {
    /* Walk the chain inside both the frame and the datagram. Each header is at least 8 bytes,
     * so the walk ends after at most len / 8 steps. */
    for (;;) {
      if (nh == IPV6_FRAGMENT) {
        if (end < off || end - off < 8u) return 0;
        const uint16_t offset_and_m = load_be16(frame + off + 2);
        if (offset_and_m & 0xFFF9u) return 0; /* offset != 0 or M set: needs reassembly */
        nh = frame[off];
        off += 8u;
        continue;
      }
      if (!is_generic_ipv6_extension(nh)) break; /* upper layer, ESP, AH, No Next Header */
      if (end < off || end - off < 2u) return 0;
      const size_t ext_len = ((size_t)frame[off + 1] + 1u) * 8u;
      if (end - off < ext_len) return 0;
      nh = frame[off];
      off += ext_len;
    }
  }
  if (nh == SOFTNIC_IPPROTO_ESP) return off;
  if (nh == SOFTNIC_IPPROTO_UDP && udp_esp) {
    const size_t esp = udp_encapsulated_esp(frame, end, off);
    if (esp != 0) *udp_off = off;
    return esp;
  }
  return 0; /* another protocol, AH (not implemented), or No Next Header */
}

static uint32_t sum16(uint32_t sum, const uint8_t *p, size_t n) {
  for (size_t i = 0; i + 1u < n; i += 2u) sum += load_be16(p + i);
  if (n % 2u) sum += (uint32_t)p[n - 1u] << 8;
  return sum;
}

void softnic_udp_checksum(uint8_t *frame, const softnic_ip_view *v, size_t udp_off) {
  const uint8_t *ip = frame + v->ip_off;
  const size_t udp_len = v->ip_end - udp_off;
  uint32_t sum = 0;
  /* Pseudo-header: addresses, protocol, UDP length (RFC 768; RFC 8200 §8.1). */
  sum = v->ipv6 ? sum16(sum, ip + 8, 32) : sum16(sum, ip + 12, 8);
  sum += SOFTNIC_IPPROTO_UDP + (uint32_t)(udp_len & 0xFFFFu) + (uint32_t)(udp_len >> 16);
  frame[udp_off + 6] = 0;
  frame[udp_off + 7] = 0;
  sum = sum16(sum, frame + udp_off, udp_len);
  while (sum >> 16) sum = (sum & 0xFFFFu) + (sum >> 16);
  uint16_t c = (uint16_t)~sum;
  if (c == 0) c = 0xFFFFu; /* 0 means "no checksum" (RFC 768) */
  frame[udp_off + 6] = (uint8_t)(c >> 8);
  frame[udp_off + 7] = (uint8_t)c;
}
