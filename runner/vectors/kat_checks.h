// Recording what a known-answer run compared, and the checks of the fields a vector documents
// beside its packet (esp-known-answers.json "schema"): key material, nonce, AAD, the sequence
// number on the wire, the cipher input and output, the ICV and the HMAC input. A published value
// that disagrees with the packet it travels with, or with the RFC layout that relates them, is
// reported like a byte mismatch, so no documented field is read and then ignored.
#pragma once

#include <string>
#include <vector>

#include "oracle/crypto/crypto_library.h"
#include "oracle/esp/esp_sa.h"
#include "runner/vectors/kat_runner.h"

namespace cts::vectors {

// Records check `what`; on a difference keeps the first failure ("what: differs at octet N ...").
bool kat_same(KatOutcome& o, const std::string& what, const std::vector<uint8_t>& expected,
              const std::vector<uint8_t>& got);

// Keeps `why` as the failure unless an earlier one is already recorded; returns false.
bool kat_fail(KatOutcome& o, const std::string& why);

// Checks every documented field the vector carries against its esp_packet and the RFC 4303 /
// 4106 / 4543 layouts; `lib` computes HMACs over icv_input. Fields that are absent are skipped
// (they are optional in the format); nothing present is skipped.
bool check_documented_fields(const KnownAnswer& v, const esp::EspSuite& suite, const crypto::CryptoLibrary& lib,
                             KatOutcome& o);

}  // namespace cts::vectors
