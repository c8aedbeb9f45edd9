// JSON views of the decoded NDIS IPsecOV2 structures, keyed by the ndis.h field names (Header,
// Next, NumExtHdrs, SecAssoc[].Spi, ...), with symbolic names beside the numbers
// ("Operation": 2, "OperationName": "IPsecOffloadV2Esp"). Used by `ipsec-cts decode` and by any
// report that shows a request as evidence.
#pragma once

#include <nlohmann/json.hpp>

#include "oracle/ndis/codec.h"
#include "oracle/ndis/validate.h"

namespace cts::decode {

// One ADD_SA element (ex = false) or the ADD_SA_EX structure (ex = true). `next` is the raw Next
// member (ADD_SA only).
nlohmann::json add_element_json(const ndis::AddSaElement& element, bool ex, uint64_t next);
nlohmann::json delete_element_json(const ndis::DeleteSaElement& element, uint64_t next);
nlohmann::json update_json(const ndis::UpdateSaRequest& request);
nlohmann::json capabilities_json(const ndis::IpsecOffloadV2Capabilities& caps);

// {"status": "NDIS_STATUS_...", "status_code": "0x...", "element", "field", "message"
//  [, "bytes_needed"]}
nlohmann::json error_json(const ndis::DecodeError& error);
nlohmann::json status_json(ndis::NdisStatus status);  // {"status", "status_code"}

std::string hex32(uint32_t value);  // "0xC0010015"
std::string hex_bytes(const uint8_t* data, size_t length);

}  // namespace cts::decode
