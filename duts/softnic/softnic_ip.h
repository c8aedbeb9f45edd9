/*
 * softnic_ip.h — reading the Ethernet and IP headers of a frame, bounds-checked.
 *
 * The device advertises NDIS_ENCAPSULATION_IEEE_802_3 only: untagged Ethernet II frames with
 * EtherType 0x0800 (IPv4) or 0x86DD (IPv6). Tagged frames (802.1Q) are not parsed; they pass
 * through untouched, as every frame outside the advertised capabilities does (RECV-005).
 */
#ifndef SOFTNIC_IP_H
#define SOFTNIC_IP_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define SOFTNIC_ETH_HEADER_LEN 14u
#define SOFTNIC_IPPROTO_ESP 50u
#define SOFTNIC_IPPROTO_UDP 17u
#define SOFTNIC_UDP_ENCAP_PORT 4500u /* RFC 3948 §2 */

typedef struct softnic_ip_view {
  bool ipv6;
  size_t ip_off;         /* offset of the IP header in the frame */
  size_t header_len;     /* IPv4: IHL * 4 (options included); IPv6: 40, the fixed header */
  size_t ip_end;         /* end of the datagram per its length field; may lie past the frame */
  const uint8_t *dst;    /* destination address bytes (4 or 16) inside the frame */
  bool fragment;         /* IPv4 MF or offset set (IPv6 fragments are found by softnic_find_esp) */
  uint8_t protocol;      /* IPv4 Protocol / IPv6 Next Header of the fixed header */
} softnic_ip_view;

/* A big-endian 32-bit field (SPI, sequence number) at `p`. */
uint32_t softnic_load_be32(const uint8_t *p);

/* Fills `v` from an Ethernet II frame carrying IPv4 or IPv6. False when the frame is not one, or
 * its IP header is truncated or inconsistent (version, IHL < 5, IHL beyond the frame, IPv6
 * jumbogram). */
bool softnic_parse_ip(const uint8_t *frame, size_t len, softnic_ip_view *v);

/* Receive side: the frame offset of the ESP header the datagram carries. 0 when it carries no
 * ESP header this device processes: another protocol, AH (not advertised), a fragment needing
 * reassembly (RECV-017), or a header shape outside the advertised capabilities (RECV-005):
 * IPv4 options unless `ipv4_options`, IPv6 extension headers in front of ESP unless
 * `ipv6_extension_headers`. With it, Hop-by-Hop, Routing, Destination Options, Mobility, HIP,
 * Shim6 and experimental headers (RFC 8200 §4) are walked to ESP, and an atomic fragment header
 * (offset 0, M clear) is skipped like any other. */
size_t softnic_find_esp(const uint8_t *frame, size_t len, const softnic_ip_view *v,
                        bool ipv4_options, bool ipv6_extension_headers, bool udp_esp,
                        size_t *udp_off);

/* With `udp_esp` (UDP-ESP advertised), ESP inside UDP to port 4500 (RFC 3948 §2.1) is found
 * too, and *udp_off is the frame offset of its UDP header (0 for plain ESP). A payload of one
 * 0xFF byte (NAT keepalive) or starting with four zero bytes (the non-ESP marker of IKE,
 * UDP-002) is no ESP. */

/* RFC 768 / RFC 8200 §8.1: writes the UDP checksum of the datagram whose UDP header is at
 * `udp_off` (running to v->ip_end, inside the frame), 0xFFFF for a computed 0. */
void softnic_udp_checksum(uint8_t *frame, const softnic_ip_view *v, size_t udp_off);

#endif /* SOFTNIC_IP_H */
