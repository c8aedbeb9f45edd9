/*
 * softnic_ah.h — the IP Authentication Header (RFC 4302) and [ESP, AH] bundles (NDIS ADD-011),
 * send and receive, for the builds that advertise Ah / AhEspCombined (softnic_profile.h).
 *
 * Keys and contexts are those of softnic_esp.c: an AH SA is a softnic_sa with no cipher and an
 * HMAC (HMAC-MD5-96, HMAC-SHA1-96, HMAC-SHA-256-128), or with the AES-GMAC cipher (RFC 4543).
 *
 * ICV input (RFC 4302 §3.3.3): the IP header with its mutable fields zero — IPv4 TOS, flags and
 * fragment offset, TTL, checksum, and every option but the immutable ones of App. A1 zeroed
 * whole; IPv6 traffic class, flow label and hop limit, and the data of Hop-by-Hop / Destination
 * options whose type has the change-en-route bit (0x20) — then AH with its ICV octets zero (the
 * GMAC IV and explicit padding as they are), everything after AH, and the ESN high half when the
 * SA has ESN (§3.3.3.2.2). An atomic Fragment header in front of AH (offset 0, M 0) is left out
 * of the ICV input, its Next Header taking its place in the header before it (App. A2). Headers
 * AH cannot predict (routing, mobility... before AH) are outside what this device offloads: such
 * sends fail, such receives are indicated untouched.
 *
 * Bundles: on send ESP is completed first and AH computed over the finished ESP packet; on
 * receive AH is verified first and ESP opened only when AH passed (OQ-10).
 */
#ifndef SOFTNIC_AH_H
#define SOFTNIC_AH_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "ipsec_cts/dut.h"
#include "softnic_ip.h"
#include "softnic_sa.h"

#define SOFTNIC_IPPROTO_AH 51u

struct ipsec_cts_dut;

/* The send path of a bundle holding AH (softnic_tx.c hands it over after the handle checks). */
ipsec_cts_result softnic_ah_send(struct ipsec_cts_dut *dut, softnic_bundle *b, const uint8_t *frame,
                                 size_t length, const ipsec_cts_send_oob *oob,
                                 ipsec_cts_frame_list *out, uint32_t *completion_status);

/* The receive path of a datagram whose first IPsec header is AH: true when it was (result and
 * out_frame written), false when the datagram carries no AH this device processes. */
bool softnic_ah_receive(struct ipsec_cts_dut *dut, const uint8_t *frame, size_t length,
                        const softnic_ip_view *ip, uint8_t *out_frame,
                        ipsec_cts_receive_result *result);

#endif /* SOFTNIC_AH_H */
