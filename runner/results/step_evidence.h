// The typed evidence of one step, as the runner records it and every view renders it: the request
// (bytes and decoded fields), both sides' answers, each packet with both sides' outcome and OOB
// words (raw and decoded), and the SA tables of both sides after the step. Its JSON form is the
// "step_evidence" of reports/schema/results.schema.json.
//
// Decoded fields are (name, value) pairs with the ndis.h names ("elements[0].SecAssoc[0].Spi",
// "CryptoStatus"), so a view lines up both sides by name and marks the ones that differ.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

namespace cts::results {

struct DecodedField {
  std::string name;
  std::string value;
  bool operator==(const DecodedField&) const = default;
};

// The oracle's reason for one element of a list request.
struct ElementNote {
  uint64_t index = 0;
  std::string field;
  std::string reason;
  bool operator==(const ElementNote&) const = default;
};

// One side's answer to an OID request.
struct OidAnswer {
  std::string status;  // "NDIS_STATUS_SUCCESS (0x00000000)"
  std::optional<uint64_t> bytes_needed;
  std::optional<uint64_t> bytes_read;  // the device's only
  std::vector<std::string> handles;    // ADD: per element, "0x1" or "NULL"
  std::string message;                 // the oracle's only: why it answered so
  std::vector<ElementNote> elements;   // the oracle's only
  bool operator==(const OidAnswer&) const = default;
};

// One side's outcome for one packet: a send (completion, wire verdict, wire bytes) or a receive
// (indication and the OOB words).
struct PacketAnswer {
  std::string completion;  // send: NBL completion status
  std::string verdict;     // send: the wire judge's verdict ("protected", "clear", ...)
  std::string detail;
  std::string wire;  // send: the first wire frame (hex)
  std::string note;  // the oracle's only: why
  std::optional<uint64_t> seq_high_used;   // send: the ESN high half the ICV verified with
  std::optional<bool> indicated;           // receive
  std::optional<uint64_t> ipsec_info;      // receive: slot 1 word as reported
  std::optional<uint64_t> header_info;     // receive: slot 12 word as reported
  std::vector<DecodedField> oob;           // receive: both words decoded
  bool operator==(const PacketAnswer&) const = default;
};

struct VectorRecord {
  std::string name;
  uint64_t record = 0;
  bool operator==(const VectorRecord&) const = default;
};

struct PacketEvidence {
  std::string frame;  // what the host (send) or the peer (receive) handed over, hex
  std::optional<uint64_t> sequence;
  std::optional<uint64_t> seq_high;
  std::optional<uint64_t> header_info;  // send: the slot 12 word the host gave
  std::optional<uint64_t> pad_length;   // send: the ESP padding the host framed
  std::vector<DecodedField> send_oob;   // send: that word (and the handle) decoded
  std::optional<VectorRecord> vector;   // receive of a known-answer record
  std::optional<PacketAnswer> device;
  std::optional<PacketAnswer> oracle;
  bool operator==(const PacketEvidence&) const = default;
};

struct TableCounts {
  uint64_t bundles = 0, inbound = 0, outbound = 0;
  bool operator==(const TableCounts&) const = default;
};

struct StepEvidence {
  std::string step;  // "steps[3]"
  std::string op;    // "oid ADD_SA", "send", "receive", "probe", "table", "query", "repeat", ...
  std::string comment;
  // OID steps.
  std::string abi;                                   // "x64" / "x86"
  std::string request;                               // the oracle's request bytes, hex
  std::string device_request;                        // the device's, when different (its handles)
  std::vector<DecodedField> request_fields;          // `request` decoded (ipsec-cts decode)
  std::vector<DecodedField> device_request_fields;   // `device_request` decoded
  std::optional<OidAnswer> oracle;
  std::optional<OidAnswer> device;
  std::string refused;  // the optional feature the device cleanly refused
  // Datapath and probe steps.
  std::vector<PacketEvidence> packets;
  std::string label;            // probe: the bundle probed
  std::string expect;           // probe: "live" / "dead"
  std::string device_reported;  // probe: what the device's answers said
  std::string note;
  // query: the device's capabilities now (raw hex and decoded).
  std::string capabilities_raw;
  std::vector<DecodedField> capabilities;
  // request_sa_delete: the SPI the device asked about, and how many bundles the oracle marked.
  std::optional<uint64_t> spi;
  std::optional<uint64_t> bundles_marked;
  // repeat
  std::optional<uint64_t> iterations;
  // SA tables after the step: the oracle's dump and the device's (as it answered), or only the
  // oracle's counts on a large table whose step passed.
  nlohmann::json oracle_table;  // null: not recorded
  nlohmann::json device_table;
  std::optional<TableCounts> oracle_table_counts;
  bool operator==(const StepEvidence&) const = default;
};

// The JSON form (members left out when empty) and back. Reading throws strict::ReadError naming
// the JSON path of the first bad member; members it does not know are left to the schema.
nlohmann::json step_evidence_to_json(const StepEvidence& e);
StepEvidence step_evidence_from_json(const nlohmann::json& doc, const std::string& path);

// "CryptoDone=1 NextCryptoDone=0 CryptoStatus=CRYPTO_SUCCESS(0)" -> fields, in order.
std::vector<DecodedField> fields_from_description(const std::string& description);

}  // namespace cts::results
