/*
 * softnic_lso.h — large send offload over an ESP SA (SEND-007, SEND-011..013), in the builds that
 * advertise LsoSupported (softnic-full, softnic_profile.h).
 *
 * The transport hands down one large TCP packet behind an ESP header: SPI, the low 32 bits of
 * the first segment's sequence number and room for the IV, then the TCP header and payload, no
 * trailer and no ICV (SEND-011), possibly followed by PadLength octets (header OOB) that the NIC
 * discards (SEND-012). softnic cuts the payload into MSS-sized segments and for each rewrites
 * the IP lengths (IPv4 Identification + i), the TCP sequence number, flags (FIN/PSH on the last
 * segment only, CWR on the first only) and checksum, gives it sequence number template + i
 * (OQ-17; on an ESN SA the 64-bit number, so a send that passes 2^32 protects the later
 * segments with the next high half, OQ-CTS-3), builds fresh minimal padding and the trailer with
 * the header OOB's Next Header (SEND-013), and protects it like any other packet.
 *
 * Shapes: ESP transport mode over IPv4 (options allowed) or IPv6 with ESP right behind the
 * fixed header; the transport never uses LSO for tunnel mode (SEND-014), and LSO over AH or
 * UDP-ESP is not specified by IPsecOV2, so such requests fail the NBL (SEND-006 style).
 */
#ifndef SOFTNIC_LSO_H
#define SOFTNIC_LSO_H

#include <stddef.h>
#include <stdint.h>

#include "softnic_device.h"

/* Same contract as softnic_send (softnic_device.h), for oob->lso_mss != 0 on bundle `b`. */
ipsec_cts_result softnic_lso_send(ipsec_cts_dut *dut, softnic_bundle *b, const uint8_t *frame,
                                  size_t length, const ipsec_cts_send_oob *oob,
                                  ipsec_cts_frame_list *out, uint32_t *completion_status);

#endif /* SOFTNIC_LSO_H */
