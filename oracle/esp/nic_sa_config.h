// From an offloaded NDIS SA (oracle/ndis SaSpec, as the SA table stores it) to the keyed-transform
// configurations of the ESP and AH cores. The NIC model keys one transform per SA at ADD time; the
// send judge keys its own copies the same way to decrypt what a device sent.
#pragma once

#include "oracle/esp/ah_sa.h"
#include "oracle/esp/esp_sa.h"
#include "oracle/ndis/validate.h"

namespace cts::esp {

// ESP suite and keys of an ESP SA (Operation = ESP). The IPsecOV2 NIC does no replay checking
// (RECV-015) and keeps no sender counter (the transport assigns sequence numbers, SEND-010), so
// anti_replay is off; SPI 0 is tolerated (the ADD validator, not the datapath, judges SPIs).
// GCM/GMAC key blocks are built as key ‖ salt (OQ-07; a zero salt when the profile's convention
// delivers none). Errors: invalid_argument naming the unsupported identifier combination.
EspStatus esp_config_from_sa(const ndis::SaSpec& sa, EspSaConfig& out);

// AH algorithm and key of an AH SA (Operation = AH; ADD-019): HMAC-MD5-96, HMAC-SHA1-96,
// HMAC-SHA-256-128, or AES-GMAC (key ‖ salt, OQ-AH-7). Errors: invalid_argument.
EspStatus ah_config_from_sa(const ndis::SaSpec& sa, AhSaConfig& out);

}  // namespace cts::esp
