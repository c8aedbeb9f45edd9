#include "runner/core/vector_material.h"

#include <stdexcept>

#include "oracle/esp/ndis_algorithms.h"
#include "oracle/ndis/constants.h"
#include "runner/vectors/link_frame.h"
#include "runner/vectors/pcap_reader.h"
#include "runner/vectors/vector_catalog.h"

namespace cts::core {

namespace {

[[noreturn]] void refuse(const cases::BundleDef& def, const std::string& why) {
  throw std::runtime_error(def.path + ".vector_sa: " + why);
}

}  // namespace

MaterialBundle material_from_vector(const cases::BundleDef& def, const std::string& label,
                                    bool gcm_key_includes_salt) {
  using namespace ndis;
  std::string error;
  const auto ref = vectors::find_vector(def.vector, error);
  if (!ref) refuse(def, error);
  const vectors::SidecarSa* sa = ref->sidecar.find_sa(def.vector_sa_id);
  if (!sa) refuse(def, "vector \"" + ref->name + "\" has no SA \"" + def.vector_sa_id + "\"");
  const std::string where = "SA \"" + sa->id + "\" of vector \"" + ref->name + "\"";
  if (sa->udp_encap) refuse(def, where + " is UDP-encapsulated; its ports cannot be stated here");

  MaterialBundle b;
  b.label = label;
  b.inbound = true;
  b.ip_version = sa->ip_version;
  const auto src = parse_address(sa->source, sa->ip_version);
  const auto dst = parse_address(sa->destination, sa->ip_version);
  if (!src || !dst) refuse(def, where + " has an address that is not IPv" + std::to_string(sa->ip_version));
  b.src = *src;
  b.dst = *dst;

  MaterialSa m;
  m.operation = IPsecOffloadV2Esp;
  m.spi = sa->spi;
  m.esn = sa->esn;
  // The receiver's high half before the first packet (ADD-023); 0 on a 32-bit SA.
  m.seq_high = static_cast<uint32_t>(sa->initial_sequence >> 32);
  const esp::EspSuite& suite = sa->suite;
  const auto ids = esp::ndis_identifiers_of(suite);
  if (!ids) refuse(def, where + ": suite " + esp::format_suite(suite) + " has no NDIS identifier");
  m.encryption = ids->encryption;
  m.authentication = ids->authentication;
  if (esp::is_combined(suite.encryption)) {
    // OQ-07: the salt travels as the last 4 octets of the key block, or not at all.
    if (!gcm_key_includes_salt)
      refuse(def, where + ": the device profile carries no GCM salt in the key (OQ-07), so the vector's salt cannot be given");
    std::vector<uint8_t> key = sa->encryption_key;
    key.insert(key.end(), sa->salt.begin(), sa->salt.end());
    if (esp::is_gcm(suite.encryption)) {
      m.encryption_key = std::move(key);
      m.icv_length = suite.gcm_icv_size;  // ADD-022
    } else {
      m.authentication_key = std::move(key);  // AES-GMAC travels in AuthenticationAlgorithm
    }
  } else {
    if (suite.encryption != esp::EspEncryption::null) m.encryption_key = sa->encryption_key;
    if (m.authentication) m.authentication_key = sa->integrity_key;
  }
  b.sas.push_back(std::move(m));
  return b;
}

bool vector_datagram(const std::string& name, uint64_t index, std::vector<uint8_t>& datagram,
                     std::string& error) {
  const auto ref = vectors::find_vector(name, error);
  if (!ref) return false;
  auto reader = vectors::PcapReader::open(ref->pcap_path, error);
  if (!reader) return false;
  vectors::PcapRecord rec;
  for (;;) {
    const vectors::ReadStatus st = reader->next(rec);
    if (st == vectors::ReadStatus::kError) {
      error = reader->error();
      return false;
    }
    if (st == vectors::ReadStatus::kEnd) {
      error = "vector \"" + ref->name + "\" has " + std::to_string(reader->records_read()) +
              " record(s), no record " + std::to_string(index);
      return false;
    }
    if (rec.index == index) break;
  }
  const std::string where = "vector \"" + ref->name + "\" record " + std::to_string(index);
  if (rec.capture_truncated()) {
    error = where + " was cut by the capture's snap length";
    return false;
  }
  vectors::IpInRecord ip;
  std::string why;
  if (!vectors::ip_from_record(reader->link_type(), rec.data, ip, why)) {
    error = where + ": " + why;
    return false;
  }
  // The datagram ends where its IP header says (RFC 791 Total Length, RFC 8200 Payload Length).
  size_t length = 0;
  if (ip.version == 4 && ip.ip.size() >= 20) {
    length = static_cast<size_t>(ip.ip[2]) << 8 | ip.ip[3];
  } else if (ip.version == 6 && ip.ip.size() >= 40) {
    length = 40 + (static_cast<size_t>(ip.ip[4]) << 8 | ip.ip[5]);
  }
  if (length == 0 || length > ip.ip.size()) {
    error = where + ": the IP length field does not fit the record";
    return false;
  }
  datagram.assign(ip.ip.begin(), ip.ip.begin() + static_cast<long>(length));
  return true;
}

}  // namespace cts::core
